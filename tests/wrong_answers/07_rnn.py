"""Plausible wrong answers for 07_rnn: each must make its exercise's tests fail."""
WRONG = {
    # forgets return_sequences on the first LSTM: the second one gets a vector, not a sequence
    "ex1_stacked_lstm": '''
def build_stacked_lstm(window_len):
    model = keras.Sequential([
        keras.Input(shape=(window_len, 1)),
        layers.LSTM(12),
        layers.LSTM(6),
        layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model
''',
    # swaps the unit counts
    "ex2_stacked_gru": '''
def build_stacked_gru(window_len):
    model = keras.Sequential([
        keras.Input(shape=(window_len, 1)),
        layers.GRU(6, return_sequences=True),
        layers.GRU(12),
        layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model
''',
    # a ReLU on the output clips the forecasts of a regression at zero
    "ex3_dense_windows": '''
def build_dense_on_windows(window_len):
    model = keras.Sequential([
        keras.Input(shape=(window_len,)),
        layers.Dense(24, activation="relu"),
        layers.Dense(12, activation="relu"),
        layers.Dense(6, activation="relu"),
        layers.Dense(1, activation="relu"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model
''',
    # off by one: the target is the last step of its own window (leakage)
    "ex4a_windows": '''
def make_feature_windows(features, target, start_lag, window_len):
    features = np.asarray(features, dtype="float32")
    n = len(features) - start_lag - window_len + 1
    X = np.stack([features[i + start_lag:i + start_lag + window_len] for i in range(n)])
    y = np.asarray(target)[window_len - 1 + start_lag:]
    return X, y
''',
    # picks the majority class on the test labels instead of the training labels
    "ex4b_baseline": '''
def baseline_accuracy(y_train, y_test):
    y_test = np.asarray(y_test, dtype=float)
    return float(max(y_test.mean(), 1 - y_test.mean()))
''',
    # a softmax over one unit always outputs 1: nothing can be learned
    "ex4c_updown_model": '''
def build_updown_model(window_len, n_features):
    model = keras.Sequential([
        keras.Input(shape=(window_len, n_features)),
        layers.GRU(24, return_sequences=True),
        layers.GRU(18, return_sequences=True),
        layers.GRU(12),
        layers.Dense(1, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="binary_crossentropy", metrics=["accuracy"])
    return model
''',
}

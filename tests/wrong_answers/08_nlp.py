"""Plausible wrong answers for chapter 8: each must make its exercise's tests fail."""
WRONG = {
    # The vocabulary is learned on training *and* test messages (leakage).
    "ex1_vocab": '''
def train_for_vocab_size(vocab_size, texts_train, y_train, texts_test, y_test,
                         epochs=EX1_EPOCHS):
    vec = CountVectorizer(decode_error="ignore", max_features=vocab_size)
    vec.fit(list(texts_train) + list(texts_test))
    X_tr = vec.transform(texts_train).astype("float32")
    X_te = vec.transform(texts_test).astype("float32")
    model, _ = fit_logistic(X_tr, y_train, X_te, y_test, epochs=epochs, sparse=True,
                            verbose=False)
    return {"vocab_size": vocab_size, "n_features": X_tr.shape[1],
            "train_accuracy": float(model.evaluate(X_tr, y_train, verbose=0)[1]),
            "test_accuracy": float(model.evaluate(X_te, y_test, verbose=0)[1])}
''',
    # Forgets the index_from shift: every word comes out as its neighbour in rank.
    "ex2_decode": '''
def decode_review(sequence, word_index, index_from=3):
    reverse = {rank: word for word, rank in word_index.items()}
    words = []
    for i in sequence:
        if i == 0:
            continue
        words.append("[START]" if i == 1 else reverse.get(int(i), "[OOV]"))
    return " ".join(words)
''',
    # A ReLU output is not a probability, and MSE is not the classification loss.
    "ex2_model": '''
def build_imdb_model(vocab_size, maxlen):
    model = keras.Sequential([
        keras.Input(shape=(maxlen,)),
        keras.layers.Embedding(vocab_size, 16),
        keras.layers.LSTM(16),
        keras.layers.Dense(1, activation="relu"),
    ])
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    return model
''',
}

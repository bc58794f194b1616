"""Plausible wrong answers for 09_gpu: each must make its exercise's tests fail."""
WRONG = {
    # starts the clock before the warm-up, so tracing time is counted
    "ex1_time_fit": '''
def time_fit(build_fn, x, y, device, epochs, batch_size=1024):
    with tf.device(device):
        start = time.perf_counter()
        model = build_fn()
        model.fit(x[:batch_size], y[:batch_size], epochs=1, batch_size=batch_size, verbose=0)
        model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
        return time.perf_counter() - start
''',
    # places the layers only while constructing them; call runs everything on the default device
    "ex2_split_model": '''
class SplitRecurrentModel(keras.Model):
    def __init__(self, vocab_size, devices, units=64):
        super().__init__()
        with tf.device(devices[0]):
            self.embedding = layers.Embedding(vocab_size, 100)
            self.lstm1 = layers.LSTM(units, dropout=0.2, recurrent_dropout=0.2, return_sequences=True)
        with tf.device(devices[1]):
            self.lstm2 = layers.LSTM(units, dropout=0.2, recurrent_dropout=0.2, return_sequences=True)
            self.lstm3 = layers.LSTM(units, dropout=0.2, recurrent_dropout=0.2)
        with tf.device(devices[2]):
            self.out = layers.Dense(1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.lstm3(self.lstm2(self.lstm1(self.embedding(inputs)))))
''',
}

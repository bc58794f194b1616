"""Plausible wrong answers for chapter 12: each must make its exercise's tests fail."""
WRONG = {
    # Ranks by the raw vector: the word itself comes out as its own best neighbour.
    "ex1_top5": '''
def get_top_5(words, kv):
    return {w: [n for n, _ in kv.similar_by_vector(kv[w], topn=5)] if w in kv else None
            for w in words}
''',
    # Signs swapped: computes a - b + c instead of b - a + c.
    "ex1_analogy": '''
def solve_analogy(a, b, c, kv, topn=3):
    if not all(w in kv for w in (a, b, c)):
        return None
    return [w for w, _ in kv.most_similar(positive=[a, c], negative=[b], topn=topn)]
''',
    # Ignores `trainable`: the "frozen" model changes the pretrained vectors.
    "ex2_topics": '''
def build_topic_model(embedding_matrix, n_classes, trainable):
    rows, dim = embedding_matrix.shape
    model = keras.Sequential([
        keras.Input(shape=(None,)),
        keras.layers.Embedding(rows, dim, mask_zero=True,
                               embeddings_initializer=keras.initializers.Constant(
                                   embedding_matrix)),
        keras.layers.LSTM(64, dropout=0.2),
        keras.layers.Dense(n_classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
''',
}

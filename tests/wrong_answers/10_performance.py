"""Plausible wrong answers for chapter 10: each must make its exercise's tests fail."""
WRONG = {
    # A decent CNN, but with neither augmentation nor any regularisation.
    "ex1_faces": '''
def build_classifier(input_shape):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
''',
}

"""Plausible wrong answers for 06_cnn: each must make its exercise's tests fail."""
WRONG = {
    # forgets to rescale the pixels to 0-1
    "exA_prepare": '''
def prepare_mnist(images, labels):
    x = images.reshape(-1, 28, 28, 1).astype("float32")
    y = keras.utils.to_categorical(labels, 10)
    return x, y
''',
    # "same" padding: the Flatten layer and the parameter count change
    "exB_cnn": '''
def build_mnist_cnn():
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, (3, 3), padding="same"),
        layers.MaxPooling2D((2, 2)),
        layers.Activation("relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''',
    # evaluates on the training images instead of the test images
    "exC_evaluate": "cnn_test_loss, cnn_test_acc = cnn.evaluate(x_train_cnn, y_train_cnn, verbose=0)",
    # the second block doubles the filters: more parameters than asked for
    "ex1_two_blocks": '''
def build_two_block_cnn():
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, (3, 3)), layers.MaxPooling2D((2, 2)), layers.Activation("relu"),
        layers.Conv2D(64, (3, 3)), layers.MaxPooling2D((2, 2)), layers.Activation("relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''',
    # "same" padding on every convolution: Flatten gives 4,096 features, not 2,304
    "ex2_cifar": '''
def build_cifar_cnn():
    model = keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
        layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
        layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(512, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
''',
}

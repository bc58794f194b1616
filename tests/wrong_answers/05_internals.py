"""Plausible wrong answers for chapter 05: each must make its exercise's tests fail."""
WRONG = {
    # a constant is not watched, so the tape returns None instead of a gradient
    "exA_tape": (
        "def tape_derivative(f, x):\n"
        "    x = tf.constant(np.asarray(x, dtype='float32'))\n"
        "    with tf.GradientTape() as tape:\n"
        "        y = f(x)\n"
        "    return tape.gradient(y, x).numpy()\n"
    ),
    # moves *along* the gradient (assign_add): gradient ascent diverges
    "exB_gd_loop": (
        "def fit_line_gd(x, y, steps=1000, learning_rate=0.01):\n"
        "    x = tf.constant(np.asarray(x, dtype='float32'))\n"
        "    y = tf.constant(np.asarray(y, dtype='float32'))\n"
        "    b, w = tf.Variable(0.0), tf.Variable(0.0)\n"
        "    for _ in range(steps):\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = tf.reduce_mean(tf.square(y - (b + w * x)))\n"
        "        grad_b, grad_w = tape.gradient(loss, [b, w])\n"
        "        b.assign_add(learning_rate * grad_b)\n"
        "        w.assign_add(learning_rate * grad_w)\n"
        "    return float(b.numpy()), float(w.numpy())\n"
    ),
    # one sigmoid per class with binary cross-entropy instead of a softmax
    "ex1_wine_model": (
        "def build_wine_model():\n"
        "    model = keras.Sequential([\n"
        "        keras.Input(shape=(13,)),\n"
        "        layers.Dense(5, activation='relu', kernel_initializer='he_normal'),\n"
        "        layers.Dense(3, activation='sigmoid'),\n"
        "    ])\n"
        "    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.1),\n"
        "                  loss='binary_crossentropy', metrics=['accuracy'])\n"
        "    return model\n"
    ),
    # right sizes and parameter count, but relu instead of tanh in the hidden layers
    "ex2_bottleneck": (
        "def build_wine_bottleneck():\n"
        "    model = keras.Sequential([\n"
        "        keras.Input(shape=(13,)),\n"
        "        layers.Dense(8, activation='relu', kernel_initializer='he_normal'),\n"
        "        layers.Dense(5, activation='relu', kernel_initializer='he_normal'),\n"
        "        layers.Dense(2, activation='relu', kernel_initializer='he_normal'),\n"
        "        layers.Dense(3, activation='softmax'),\n"
        "    ])\n"
        "    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.05),\n"
        "                  loss='categorical_crossentropy', metrics=['accuracy'])\n"
        "    return model\n"
    ),
    # off by one: reads the 5-unit layer
    "ex2_features": (
        "def wine_features(model, X):\n"
        "    return keras.Model(model.inputs, model.layers[1].output).predict(X, verbose=0)\n"
    ),
    # the right network, but as a Sequential stack
    "ex3_functional": (
        "def build_wine_functional():\n"
        "    model = keras.Sequential([\n"
        "        keras.Input(shape=(13,)),\n"
        "        layers.Dense(8, activation='tanh', kernel_initializer='he_normal'),\n"
        "        layers.Dense(5, activation='tanh', kernel_initializer='he_normal'),\n"
        "        layers.Dense(2, activation='tanh', kernel_initializer='he_normal'),\n"
        "        layers.Dense(3, activation='softmax'),\n"
        "    ])\n"
        "    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.05),\n"
        "                  loss='categorical_crossentropy', metrics=['accuracy'])\n"
        "    return model\n"
    ),
    # early stopping watches the training loss with a longer patience
    "ex4_callbacks": (
        "def make_callbacks(folder):\n"
        "    folder = Path(folder)\n"
        "    return [\n"
        "        keras.callbacks.EarlyStopping(monitor='loss', patience=3),\n"
        "        keras.callbacks.ModelCheckpoint(str(folder / 'best.keras'), save_best_only=True),\n"
        "        keras.callbacks.TensorBoard(log_dir=str(folder / 'logs')),\n"
        "    ]\n"
    ),
}

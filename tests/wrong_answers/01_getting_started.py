"""Plausible wrong answers for chapter 01: each must make its exercise's tests fail."""
WRONG = {
    # the checkerboard starts with a 0 in the upper-left corner
    "ex1_board": (
        "board = np.zeros((10, 10))\n"
        "board[1::2, ::2] = 1\n"
        "board[::2, 1::2] = 1\n"
    ),
    # broadcasting multiplies the columns instead of the rows (passes the visible checks)
    "ex1_scaled": (
        "ramp = np.arange(5, 15)\n"
        "scaled = board * ramp\n"
        "mean_cols = scaled.mean(axis=0)\n"
        "mean_rows = scaled.mean(axis=1)\n"
        "std_cols = scaled.std(axis=0)\n"
        "std_rows = scaled.std(axis=1)\n"
    ),
    # noise with standard deviation 1 instead of 0.1
    "ex1_packed": (
        "packed = scaled[scaled > 0].reshape(10, 5)\n"
        "noisy = packed + np.random.normal(scale=1.0, size=(10, 5))\n"
    ),
    # default colour map instead of Greys
    "ex2_images": (
        "images_fig, axes = plt.subplots(2, 2, figsize=(10, 10))\n"
        "for ax, arr, title in zip(axes.ravel(), (board, scaled, packed, noisy), 'abcd'):\n"
        "    ax.imshow(arr)\n"
        "    ax.set_title(title)\n"
    ),
    # plots noisy without transposing: 5 lines of 10 points
    "ex2_lines": (
        "lines_fig, ax = plt.subplots()\n"
        "ax.plot(noisy, 'o-')\n"
        "ax.annotate(text='values', xy=(2, noisy[2, 0]))\n"
        "ax.set_title('noisy')\n"
        "ax.set_xlabel('row')\n"
        "ax.set_ylabel('value')\n"
    ),
    # keeps the fixed [-1.5, 1.5] grid of section 6
    "ex3_boundary": (
        "def plot_decision_boundary(model, X, y):\n"
        "    ticks = np.linspace(-1.5, 1.5, 101)\n"
        "    aa, bb = np.meshgrid(ticks, ticks)\n"
        "    cc = model.predict(np.c_[aa.ravel(), bb.ravel()], verbose=0).reshape(aa.shape)\n"
        "    fig, ax = plt.subplots(figsize=(7, 7))\n"
        "    ax.contourf(aa, bb, cc, cmap='bwr', alpha=0.2)\n"
        "    ax.plot(X[y == 0, 0], X[y == 0, 1], 'ob')\n"
        "    ax.plot(X[y == 1, 0], X[y == 1, 1], 'xr')\n"
        "    ax.set_title('boundary')\n"
        "    ax.set_xlabel('x1')\n"
        "    ax.set_ylabel('x2')\n"
        "    return ax\n"
    ),
    # a learning rate ten times too small
    "ex4_build": (
        "def build_and_train(X, y, epochs):\n"
        "    net = keras.Sequential([keras.Input(shape=(2,)),\n"
        "                            keras.layers.Dense(4, activation='tanh'),\n"
        "                            keras.layers.Dense(1, activation='sigmoid')])\n"
        "    net.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05),\n"
        "                loss='binary_crossentropy', metrics=['accuracy'])\n"
        "    return net, net.fit(X, y, epochs=epochs, verbose=0)\n"
    ),
}

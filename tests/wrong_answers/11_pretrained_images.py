"""Plausible wrong answers for chapter 11: each must make its exercise's tests fail."""
WRONG = {
    # forgets the model's preprocess_input: raw 0-255 pixels go into the network
    "ex1_top_k": (
        "def predict_top_k(model, preprocess, image_path, size, k=5):\n"
        "    img = keras.utils.load_img(image_path, target_size=(size, size))\n"
        "    x = np.expand_dims(keras.utils.img_to_array(img), axis=0)\n"
        "    probs = model.predict(x, verbose=0)[0]\n"
        "    best = np.argsort(probs)[::-1][:k]\n"
        "    return [(int(i), float(probs[i])) for i in best]\n"
    ),
    # reads the size as (width, height): wrong for non-square models
    "ex2_prepare": (
        "def prepare_image(image_path, model, preprocess):\n"
        "    height, width = model.input_shape[1:3]\n"
        "    img = keras.utils.load_img(image_path, target_size=(width, height))\n"
        "    return np.asarray(preprocess(keras.utils.img_to_array(img)[None]), dtype='float32')\n"
    ),
    # calls the base without training=False
    "ex3_build": (
        "def build_transfer_model(base, n_classes):\n"
        "    base.trainable = False\n"
        "    inputs = keras.Input(base.input_shape[1:])\n"
        "    x = base(inputs)\n"
        "    if len(x.shape) == 4:\n"
        "        x = keras.layers.GlobalAveragePooling2D()(x)\n"
        "    x = keras.layers.Dense(256, activation='relu')(x)\n"
        "    x = keras.layers.Dropout(0.5)(x)\n"
        "    outputs = keras.layers.Dense(n_classes, activation='softmax')(x)\n"
        "    model = keras.Model(inputs, outputs)\n"
        "    model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])\n"
        "    return model\n"
    ),
    # negative slicing: with n_layers=0, layers[:-0] is empty and the whole base unfreezes
    "ex3_unfreeze": (
        "def unfreeze_top(model, base, n_layers, learning_rate=1e-4):\n"
        "    base.trainable = True\n"
        "    for layer in base.layers[:-n_layers]:\n"
        "        layer.trainable = False\n"
        "    for layer in base.layers:\n"
        "        if isinstance(layer, keras.layers.BatchNormalization):\n"
        "            layer.trainable = False\n"
        "    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9),\n"
        "                  loss='categorical_crossentropy', metrics=['accuracy'])\n"
        "    return model\n"
    ),
}

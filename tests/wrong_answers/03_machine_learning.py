"""Plausible wrong answers for chapter 03: each must make its exercise's tests fail."""
WRONG = {
    # rescales the area by 100 instead of 1000 and forgets to rescale the age
    "ex1_housing_xy": (
        "def housing_xy(df):\n"
        "    X = df[['sqft', 'bdrms', 'age']].values / np.array([100.0, 1.0, 1.0])\n"
        "    y = df['price'].values / 1e5\n"
        "    return X, y\n"
    ),
    # ignores the learning_rate argument (hard-codes the weight-height value)
    "ex1_linear_model": (
        "def build_linear_model(n_features, learning_rate=0.1):\n"
        "    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(1)])\n"
        "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.8),\n"
        "                  loss='mean_squared_error')\n"
        "    return model\n"
    ),
    # returns the share of the positive class instead of the majority class
    "ex2_benchmark": (
        "def benchmark_accuracy(y):\n"
        "    return float(np.mean(y))\n"
    ),
    # scales with StandardScaler: values leave [0, 1]
    "ex2_preprocess": (
        "def preprocess_hr(df):\n"
        "    numeric = df.drop(columns=['left', 'sales', 'salary'])\n"
        "    scaled = StandardScaler().fit_transform(numeric)\n"
        "    dummies = pd.get_dummies(df[['sales', 'salary']], dtype=float).values\n"
        "    return np.hstack([scaled, dummies]), df['left'].values.astype(float)\n"
    ),
    # a linear (regression) output instead of a sigmoid probability
    "ex2_model": (
        "def build_hr_model(n_features, learning_rate=0.01):\n"
        "    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(1)])\n"
        "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),\n"
        "                  loss='binary_crossentropy', metrics=['accuracy'])\n"
        "    return model\n"
    ),
    # predictions and truth swapped: rows no longer count the true classes
    "ex2_confusion": "hr_cm = confusion_matrix(pred_test_hr, y_test_hr)\n",
    # keeps the 3 folds of section 7
    "ex2_cv": (
        "hr_cv_scores = cross_val_accuracy(lambda: build_hr_model(X_hr.shape[1]),\n"
        "                                  X_hr, y_hr, n_splits=3, epochs=EPOCHS_HR)\n"
    ),
}

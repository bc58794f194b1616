"""Plausible wrong answers for chapter 04: each must make its exercise's tests fail."""
WRONG = {
    # scales the outcome together with the features and keeps integer labels
    "ex1_prepare": (
        "def prepare_diabetes(df):\n"
        "    X = StandardScaler().fit_transform(df)\n"
        "    return X, df['Outcome'].values\n"
    ),
    # a single hidden layer and a sigmoid output
    "ex2_mlp": (
        "def build_mlp(n_features, n_classes, hidden_units=32, learning_rate=0.01):\n"
        "    model = keras.Sequential([\n"
        "        keras.Input(shape=(n_features,)),\n"
        "        keras.layers.Dense(hidden_units, activation='relu'),\n"
        "        keras.layers.Dense(n_classes, activation='sigmoid'),\n"
        "    ])\n"
        "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),\n"
        "                  loss='categorical_crossentropy', metrics=['accuracy'])\n"
        "    return model\n"
    ),
    # reports training accuracies instead of test accuracies
    "ex3_compare": (
        "def compare_classifiers(X_train, y_train, X_test, y_test):\n"
        "    models = {'random_forest': RandomForestClassifier(random_state=0),\n"
        "              'svm': SVC(), 'naive_bayes': GaussianNB()}\n"
        "    return {name: accuracy_score(y_train, m.fit(X_train, y_train).predict(X_train))\n"
        "            for name, m in models.items()}\n"
    ),
}

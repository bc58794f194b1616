"""Plausible wrong answers for chapter 00: each must make its exercise's tests fail."""
WRONG = {
    # forgets the bias
    "ex1_weighted_sum": (
        "def weighted_sum(x, w, b):\n"
        "    return float(np.dot(w, x))\n"
    ),
    # applies the sigmoid with the wrong sign (1 / (1 + e^z))
    "ex2_neuron": (
        "def neuron(x, w, b):\n"
        "    return 1.0 / (1.0 + np.exp(np.dot(w, x) + b))\n"
    ),
    # the forward difference of section 4 instead of the central difference
    "ex3_derivative": (
        "def derivative(f, a, h=1e-5):\n"
        "    return (f(a + h) - f(a)) / h\n"
    ),
}

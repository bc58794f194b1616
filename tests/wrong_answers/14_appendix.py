"""Plausible wrong answers for chapter 14: each must make its exercise's tests fail."""
WRONG = {
    # no shape check: mismatched inner sizes fail with an IndexError (or pass silently)
    "ex1_matmul": (
        "def matmul(A, B):\n"
        "    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)\n"
        "    out = np.zeros((A.shape[0], B.shape[1]))\n"
        "    for i in range(A.shape[0]):\n"
        "        for j in range(B.shape[1]):\n"
        "            for k in range(A.shape[1]):\n"
        "                out[i, j] += A[i, k] * B[k, j]\n"
        "    return out\n"
    ),
    # forgets the derivative of the inner function's sign: d(cos x)/dx taken as +sin x
    "ex2_chain": (
        "def h(x):\n"
        "    return np.log(2 + np.cos(x))\n"
        "\n"
        "\n"
        "def dh_dx(x):\n"
        "    return np.sin(x) / (2 + np.cos(x))\n"
    ),
    # alpha and 1 - alpha swapped
    "ex3_ewma": (
        "def ewma(x, alpha):\n"
        "    x = np.asarray(x, dtype=float)\n"
        "    y = np.empty_like(x)\n"
        "    y[0] = x[0]\n"
        "    for n in range(1, len(x)):\n"
        "        y[n] = alpha * y[n - 1] + (1 - alpha) * x[n]\n"
        "    return y\n"
    ),
    # contracts only the first axis
    "ex4_tensordot": (
        "def contract(T, M):\n"
        "    return np.tensordot(T, M, axes=([0], [0]))\n"
    ),
    # forgets to flip the kernel: this is a correlation
    "ex5_conv2d": (
        "def conv2d_valid(image, kernel):\n"
        "    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)\n"
        "    kh, kw = kernel.shape\n"
        "    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))\n"
        "    for i in range(out.shape[0]):\n"
        "        for j in range(out.shape[1]):\n"
        "            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)\n"
        "    return out\n"
    ),
    # horizontal and vertical detectors swapped
    "ex6_kernels": (
        "kernels = {\n"
        "    'horizontal': np.array([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]),\n"
        "    'vertical': np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]),\n"
        "    'diagonal': np.array([[1.0, -1.0, -1.0], [-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]]),\n"
        "    'antidiagonal': np.array([[-1.0, -1.0, 1.0], [-1.0, 1.0, -1.0], [1.0, -1.0, -1.0]]),\n"
        "}\n"
    ),
}

"""Train the same architecture several times and summarise the spread.

One training run of a small network is noisy: the random initial weights and the
order of the mini-batches move the final accuracy by a percent or more. To compare
two ideas (dropout or not, batch normalisation or not) fairly, train each a few
times and look at the mean curve with a band of one standard deviation around it.

Example::

    from dlcourse.training import repeat_train, plot_mean_std
    runs = repeat_train(build_base, X_train, y_train, X_test, y_test, repeats=3, epochs=40)
    ax = plot_mean_std(runs["val_accuracy"], label="base, test")
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def repeat_train(build_model: Callable, x_train, y_train, x_test, y_test, *,
                 repeats: int = 3, epochs: int = 40, batch_size: int = 256,
                 seed: int = 0, verbose: bool = True) -> dict[str, np.ndarray]:
    """Build and train a fresh model ``repeats`` times; return the per-epoch histories.

    ``build_model()`` must return a compiled Keras model with an accuracy metric. Run
    ``i`` is seeded with ``seed + i``, so the whole experiment is reproducible while
    each run still starts from different weights. The test set is passed as
    ``validation_data`` (it is only measured, never trained on).

    Returns a dict mapping each history key (``"loss"``, ``"accuracy"``,
    ``"val_loss"``, ``"val_accuracy"``) to an array of shape ``(repeats, epochs)``.
    """
    import keras

    if repeats < 1 or epochs < 1:
        raise ValueError(f"repeats and epochs must be at least 1 (got {repeats}, {epochs})")
    runs: dict[str, list] = {}
    for i in range(repeats):
        keras.utils.clear_session()
        keras.utils.set_random_seed(seed + i)
        model = build_model()
        if not getattr(model, "compiled", False):
            raise ValueError("build_model() returned a model that is not compiled; call "
                             "model.compile(...) inside it before returning the model.")
        history = model.fit(x_train, y_train, validation_data=(x_test, y_test),
                            epochs=epochs, batch_size=batch_size, verbose=0)
        if "accuracy" not in history.history:
            raise ValueError("the model has no 'accuracy' metric; compile it with "
                             "metrics=['accuracy'].")
        for key, values in history.history.items():
            runs.setdefault(key, []).append(values)
        if verbose:
            print(f"  run {i + 1}/{repeats}: train accuracy {history.history['accuracy'][-1]:.3f}, "
                  f"test accuracy {history.history['val_accuracy'][-1]:.3f}")
    return {key: np.asarray(values, dtype=float) for key, values in runs.items()}


def summarize(runs: dict[str, np.ndarray], keys=("accuracy", "val_accuracy")) -> dict[str, str]:
    """Final-epoch ``"mean ± std"`` text for each key, e.g. ``{"accuracy": "0.981 ± 0.004"}``."""
    out = {}
    for key in keys:
        final = np.asarray(runs[key])[:, -1]
        out[key] = f"{final.mean():.3f} ± {final.std():.3f}"
    return out


def plot_mean_std(curves, ax=None, label: str | None = None, color=None, linestyle="-"):
    """Plot the mean of ``curves`` (shape ``(repeats, epochs)``) with a ±1 std band.

    Returns the Matplotlib ``Axes`` (a new one when ``ax`` is None).
    """
    import matplotlib.pyplot as plt

    curves = np.asarray(curves, dtype=float)
    if curves.ndim != 2:
        raise ValueError(f"curves should have shape (repeats, epochs), got {curves.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    epochs = np.arange(1, curves.shape[1] + 1)
    mean, std = curves.mean(axis=0), curves.std(axis=0)
    (line,) = ax.plot(epochs, mean, label=label, color=color, linestyle=linestyle)
    ax.fill_between(epochs, mean - std, mean + std, color=line.get_color(), alpha=0.2)
    ax.set_xlabel("epoch")
    return ax

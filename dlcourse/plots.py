"""Plotting helpers shared by the chapters.

Every function draws on a Matplotlib ``Axes`` (a new figure when ``ax`` is None) and
returns it, so notebooks can add titles or combine plots. Functions that need Keras
import it lazily.
"""
from __future__ import annotations

import itertools
import math

import numpy as np


def _axes(ax=None, figsize=(7, 6)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def decision_grid(X, steps: int = 101, margin: float = 0.1):
    """Return ``(xx, yy, grid)``: a ``steps``×``steps`` mesh covering 2-D data ``X``.

    ``grid`` has shape ``(steps*steps, 2)``, ready for ``model.predict``.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision boundaries need 2-D inputs of shape (n, 2), got {X.shape}")
    x_min, y_min = X.min(axis=0) - margin
    x_max, y_max = X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, steps), np.linspace(y_min, y_max, steps))
    return xx, yy, np.c_[xx.ravel(), yy.ravel()]


def plot_decision_boundary(model, X, y, ax=None, steps: int = 101, margin: float = 0.1,
                           title: str | None = None):
    """Shade the regions a 2-input classifier assigns to each class, with the data on top.

    Works for a sigmoid output (probability of class 1) and for softmax outputs
    (the most likely class is shaded).
    """
    ax = _axes(ax)
    xx, yy, grid = decision_grid(X, steps, margin)
    pred = np.asarray(model.predict(grid, verbose=0))
    if pred.ndim == 2 and pred.shape[1] > 1:
        pred = pred.argmax(axis=1)
    zz = pred.reshape(xx.shape)
    ax.contourf(xx, yy, zz, cmap="bwr", alpha=0.25)
    y = np.asarray(y).ravel()
    for label, marker in zip(np.unique(y), itertools.cycle("os^vD<>p*h")):
        pts = np.asarray(X)[y == label]
        ax.plot(pts[:, 0], pts[:, 1], marker, alpha=0.6, label=f"class {label}")
    ax.set_xlabel("feature 1")
    ax.set_ylabel("feature 2")
    ax.legend(loc="best")
    ax.set_title(title or "Decision boundary")
    return ax


def plot_history(history, metrics=None, ax=None, title: str | None = None):
    """Plot training curves from a Keras ``History`` (or its ``.history`` dict).

    ``metrics`` defaults to every metric recorded; validation curves are dashed.
    """
    hist = getattr(history, "history", history)
    if not hist:
        raise ValueError("the history is empty: did the model train for at least one epoch?")
    names = metrics or [k for k in hist if not k.startswith("val_")]
    ax = _axes(ax, figsize=(8, 5))
    epochs = np.arange(1, len(next(iter(hist.values()))) + 1)
    for name in names:
        if name not in hist:
            raise KeyError(f"{name!r} was not recorded; available: {sorted(hist)}")
        line, = ax.plot(epochs, hist[name], label=name)
        if f"val_{name}" in hist:
            ax.plot(epochs, hist[f"val_{name}"], "--", color=line.get_color(),
                    label=f"val_{name}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("value")
    ax.set_title(title or "Training history")
    ax.legend(loc="best")
    return ax


def plot_confusion_matrix(y_true, y_pred, labels=None, ax=None, normalize: bool = False,
                          title: str | None = None):
    """Draw a confusion matrix with counts (or row fractions) written in each cell."""
    from sklearn.metrics import confusion_matrix

    cm = confusion_matrix(y_true, y_pred)
    if normalize:
        cm = cm / cm.sum(axis=1, keepdims=True).clip(min=1)
    ax = _axes(ax, figsize=(5, 5))
    ax.imshow(cm, cmap="Blues")
    n = cm.shape[0]
    labels = list(labels) if labels is not None else [str(i) for i in range(n)]
    ax.set_xticks(range(n), labels, rotation=45, ha="right")
    ax.set_yticks(range(n), labels)
    threshold = cm.max() / 2 if cm.size else 0
    for i in range(n):
        for j in range(n):
            text = f"{cm[i, j]:.2f}" if normalize else f"{int(cm[i, j])}"
            ax.text(j, i, text, ha="center", va="center",
                    color="white" if cm[i, j] > threshold else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title or "Confusion matrix")
    return ax


def show_images(images, labels=None, ncols: int = 8, cmap=None, size: float = 1.6,
                title: str | None = None):
    """Show a grid of images (grayscale ``(n, h, w)``/``(n, h, w, 1)`` or RGB ``(n, h, w, 3)``)."""
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    n = len(images)
    if n == 0:
        raise ValueError("no images to show")
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.4),
                             squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < n:
            img = images[k]
            if img.dtype.kind == "f" and img.ndim == 3 and img.max() > 1.0:
                img = img / 255.0
            ax.imshow(img, cmap=cmap or ("gray" if img.ndim == 2 else None))
            if labels is not None:
                ax.set_title(str(labels[k]), fontsize=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_filters(layer, n: int = 8, title: str | None = None):
    """Show the first ``n`` kernels of a ``Conv2D`` layer (first input channel)."""
    weights = layer.get_weights()
    if not weights or np.asarray(weights[0]).ndim != 4:
        raise ValueError(f"{getattr(layer, 'name', layer)!r} is not a built Conv2D layer "
                         "(expected a kernel of shape (h, w, in, out))")
    kernel = np.asarray(weights[0])
    n = min(n, kernel.shape[-1])
    return show_images(np.moveaxis(kernel[:, :, 0, :n], -1, 0), labels=[f"filter {i}" for i in range(n)],
                       cmap="gray", title=title or f"First {n} filters of {layer.name}")


def feature_maps(model, image, layer_index: int = 0):
    """Return the activations of ``model.layers[layer_index]`` for one image, shape (h, w, c)."""
    import keras

    image = np.asarray(image, dtype="float32")
    if image.ndim == len(model.inputs[0].shape) - 1:
        image = image[None, ...]
    extractor = keras.Model(model.inputs, model.layers[layer_index].output)
    return np.asarray(extractor.predict(image, verbose=0))[0]


def show_feature_maps(model, image, layer_index: int = 0, n: int = 8, title: str | None = None):
    """Show the first ``n`` feature maps a layer produces for one image."""
    maps = feature_maps(model, image, layer_index)
    if maps.ndim != 3:
        raise ValueError(f"layer {layer_index} outputs shape {maps.shape}; feature maps need (h, w, c)")
    n = min(n, maps.shape[-1])
    name = model.layers[layer_index].name
    return show_images(np.moveaxis(maps[:, :, :n], -1, 0), labels=[f"map {i}" for i in range(n)],
                       cmap="viridis", title=title or f"Feature maps of {name}")


def plot_mean_std(x, mean, std, label: str, ax=None, **kwargs):
    """Plot a mean curve with a shaded ±1 standard deviation band."""
    ax = _axes(ax, figsize=(8, 5))
    x, mean, std = (np.asarray(v, dtype=float) for v in (x, mean, std))
    line, = ax.plot(x, mean, label=label, **kwargs)
    ax.fill_between(x, mean - std, mean + std, color=line.get_color(), alpha=0.2)
    ax.legend(loc="best")
    return ax

"""Small, declarative checks for the *visible* tests of exercises.

Each helper raises ``AssertionError`` with a message written for a student: what is
wrong and where to look, never the expected answer. Hidden tests use plain ``assert``
statements (which student code cannot monkeypatch) and compare against values they
compute, so a traceback never shows an expected value.

Example visible test::

    from dlcourse.checks import require, check_shape, check
    require("checkerboard", globals())
    check_shape(checkerboard, (10, 10), "checkerboard")
    check(set(np.unique(checkerboard)) <= {0, 1}, "checkerboard should only hold 0s and 1s.")
    print("Looks good!")
"""
from __future__ import annotations

import math
from collections.abc import Iterable

NOT_ATTEMPTED = "Not attempted yet: "


class ExerciseNotAttempted(AssertionError):
    """Raised when a test finds the exercise untouched (name missing or a stub)."""


def check(condition, message: str) -> None:
    """Fail with ``message`` unless ``condition`` is true."""
    if not condition:
        raise AssertionError(message)


def require(name: str, namespace: dict, kind: str | None = None) -> object:
    """Return ``namespace[name]`` or explain that the exercise is not attempted yet.

    ``kind`` may be ``"function"`` to also insist on something callable.
    """
    if name not in namespace:
        raise ExerciseNotAttempted(
            f"{NOT_ATTEMPTED}`{name}` is not defined. Write your answer in the cell above "
            f"(replace `raise NotImplementedError()`), run it, then run this test again."
        )
    value = namespace[name]
    if kind == "function" and not callable(value):
        raise AssertionError(f"`{name}` should be a function, but it is a {type(value).__name__}.")
    return value


def check_type(value, types, name: str) -> None:
    """Check ``isinstance(value, types)`` with a readable message."""
    if not isinstance(value, types):
        wanted = types.__name__ if isinstance(types, type) else " or ".join(t.__name__ for t in types)
        raise AssertionError(f"`{name}` should be a {wanted}, but it is a {type(value).__name__}.")


def check_shape(value, shape: tuple, name: str) -> None:
    """Check an array-like's ``.shape`` (``None`` in ``shape`` matches any size)."""
    actual = getattr(value, "shape", None)
    if actual is None:
        raise AssertionError(f"`{name}` should be an array with a shape, but it is a "
                             f"{type(value).__name__}.")
    actual = tuple(actual)
    ok = len(actual) == len(shape) and all(w is None or a == w for a, w in zip(actual, shape, strict=True))
    if not ok:
        raise AssertionError(f"`{name}` has shape {actual}; check the number of rows and "
                             f"columns you kept, and any reshape you did.")


def check_close(actual, expected, name: str, *, rtol: float = 1e-5, atol: float = 1e-8,
                hint: str = "") -> None:
    """Check numbers/arrays are close, without printing ``expected``.

    Use this in visible tests only with values the student can already see (e.g. a
    formula applied to their own inputs); the message names the quantity, not the answer.
    """
    import numpy as np

    try:
        a = np.asarray(actual, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"`{name}` should be numeric, but it is a "
                             f"{type(actual).__name__}.") from None
    if a.shape != e.shape:
        raise AssertionError(f"`{name}` has shape {a.shape}, which is not the shape asked for.")
    if not np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True):
        extra = f" {hint}" if hint else ""
        raise AssertionError(f"`{name}` does not have the right values yet.{extra}")


def check_between(value, low: float, high: float, name: str) -> None:
    """Check ``low <= value <= high`` (both ends inclusive) and say which side failed."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise AssertionError(f"`{name}` should be a number, but it is a "
                             f"{type(value).__name__}.") from None
    if math.isnan(v):
        raise AssertionError(f"`{name}` is NaN: look for a division by zero or a diverging fit.")
    if v < low:
        raise AssertionError(f"`{name}` = {v:.4g} is too low (it should be at least {low}).")
    if v > high:
        raise AssertionError(f"`{name}` = {v:.4g} is too high (it should be at most {high}).")


def check_columns(df, columns: Iterable[str], name: str) -> None:
    """Check a DataFrame has (at least) the given columns."""
    missing = [c for c in columns if c not in getattr(df, "columns", [])]
    if missing:
        raise AssertionError(f"`{name}` is missing the column(s) {missing}.")


def check_layers(model, expected: list[str], name: str = "model") -> None:
    """Check a Keras model's layer classes in order, e.g. ``["Conv2D", "MaxPooling2D", ...]``.

    ``"*"`` in ``expected`` matches any single layer.
    """
    layers = [type(layer).__name__ for layer in getattr(model, "layers", [])]
    if not layers:
        raise AssertionError(f"`{name}` should be a Keras model with layers.")
    if len(layers) != len(expected) or any(w != "*" and w != a for a, w in zip(layers, expected, strict=True)):
        raise AssertionError(f"`{name}` has layers {layers}; compare them with the "
                             f"architecture the exercise describes.")


def check_figure(fig=None, *, min_axes: int = 1, need_title: bool = False,
                 need_labels: bool = False, name: str = "your figure") -> None:
    """Check a Matplotlib figure exists with content (and optionally titles/labels)."""
    import matplotlib.pyplot as plt

    fig = fig if fig is not None else plt.gcf()
    axes = [ax for ax in fig.get_axes() if ax.has_data() or ax.images]
    if len(axes) < min_axes:
        raise AssertionError(f"{name} should have at least {min_axes} plot(s) with data; "
                             f"did you call a plotting function in the cell above?")
    if need_title and not any(ax.get_title() for ax in axes) and not fig._suptitle:
        raise AssertionError(f"{name} needs a title (ax.set_title or plt.title).")
    if need_labels and not all(ax.get_xlabel() and ax.get_ylabel() for ax in axes):
        raise AssertionError(f"every plot in {name} needs x and y axis labels.")

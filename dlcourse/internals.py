"""Helpers for the maths chapters (05_internals, 14_appendix).

``hours_scores_table``
    A small, generated "hours studied vs exam score" table. The TensorFlow-basics note
    fitted a line to a public 25-row student-scores CSV; we do not ship that file, so
    the course generates a table of the same size and shape, with a fixed seed.
``numerical_derivative``
    Central finite differences, used to check hand-derived and GradientTape gradients.
``history_frame``
    Several Keras ``History`` objects side by side in one DataFrame with a
    ``(run, metric)`` column MultiIndex, for learning-rate / batch-size sweeps.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


def hours_scores_table(n: int = 25, *, intercept: float = 2.5, slope: float = 9.8,
                       noise: float = 5.0, seed: int = 0):
    """Return a DataFrame with ``Hours`` (1.0 to 9.5, one decimal) and ``Scores`` (0-100).

    Scores follow ``intercept + slope * Hours`` plus Gaussian noise of standard
    deviation ``noise``, rounded to whole points and clipped to 0-100, like the public
    table the TensorFlow-basics note used. The same ``seed`` always gives the same table.
    """
    import pandas as pd

    if n < 2:
        raise ValueError(f"n={n}: a line needs at least 2 rows; use n >= 2.")
    if noise < 0:
        raise ValueError(f"noise={noise} is a standard deviation and cannot be negative.")
    rng = np.random.default_rng(seed)
    hours = np.round(rng.uniform(1.0, 9.5, size=n), 1)
    scores = intercept + slope * hours + rng.normal(0.0, noise, size=n)
    scores = np.clip(np.round(scores), 0, 100).astype(int)
    return pd.DataFrame({"Hours": hours, "Scores": scores})


def numerical_derivative(f: Callable, x, h: float = 1e-5):
    """Central difference ``(f(x+h) - f(x-h)) / 2h``.

    * ``x`` scalar or array and ``f`` element-wise: the derivative at each point.
    * ``x`` an array and ``f`` returning a scalar: the gradient, same shape as ``x``
      (one coordinate nudged at a time).
    """
    if h <= 0:
        raise ValueError(f"h={h}: the step must be positive (1e-5 is a good default).")
    x = np.asarray(x, dtype=float)
    fx = np.asarray(f(x), dtype=float)
    if fx.shape == x.shape:  # element-wise function (or scalar in, scalar out)
        return (np.asarray(f(x + h), dtype=float) - np.asarray(f(x - h), dtype=float)) / (2 * h)
    if fx.shape != ():
        raise ValueError(
            f"f returned shape {fx.shape} for x of shape {x.shape}: numerical_derivative "
            "handles element-wise functions or functions returning one number."
        )
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = h
        grad[idx] = (float(f(x + step)) - float(f(x - step))) / (2 * h)
    return grad


def history_frame(histories: Mapping, name: str = "run"):
    """Combine ``{label: keras History}`` into one DataFrame.

    Rows are epochs (starting at 1); columns are a MultiIndex ``(name, "metric")``, so
    ``frame.xs("accuracy", axis=1, level="metric")`` gives one column per run.
    """
    import pandas as pd

    if not histories:
        raise ValueError("histories is empty: pass a dict such as {0.01: history, 0.1: history}.")
    frames = {}
    for label, h in histories.items():
        logs = getattr(h, "history", h)
        if not isinstance(logs, Mapping) or not logs:
            raise ValueError(f"entry {label!r} is not a Keras History (or its .history dict).")
        frame = pd.DataFrame(logs)
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="epoch")
        frames[label] = frame
    out = pd.concat(frames, axis=1)
    out.columns = out.columns.set_names([name, "metric"])
    return out

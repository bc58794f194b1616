"""Synthetic series and window helpers for the time-series chapter (07_rnn).

Two data sets the original course read from files that are not public any more are
*generated* here instead, and the chapter says so:

* :func:`make_anomaly_curves` - labelled curves for series classification (normal
  curves vs curves with a short burst of fast wiggles somewhere along them);
* :func:`make_price_candles` - half-hour "candles" (open/high/low/close, volume,
  weighted average) of a random-walk price, standing in for exchange data.

:func:`lagged_windows` turns one series into supervised ``(X, y)`` pairs for
forecasting; :func:`time_split` splits a time-indexed frame at a date.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def make_anomaly_curves(n_curves: int = 4000, length: int = 200, *, anomaly_share: float = 0.5,
                        seed: int = 0) -> pd.DataFrame:
    """Return labelled curves: a bool ``anomaly`` column plus ``t_0`` ... ``t_{length-1}``.

    Every curve is a slow wave (random frequency, phase and amplitude) plus noise whose
    level differs from curve to curve.
    An anomalous curve also carries one short burst of fast oscillation at a random
    place. The burst is what matters, and it can be anywhere: a model that looks for a
    local pattern wherever it occurs (a 1-D convolution) finds it easily, a dense
    network that gives each time step its own weight struggles.
    """
    if not 0 < anomaly_share < 1:
        raise ValueError(f"anomaly_share={anomaly_share} must be strictly between 0 and 1")
    if length < 40:
        raise ValueError(f"length={length} is too short for a burst to fit; use at least 40")
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    n_anom = int(round(n_curves * anomaly_share))
    labels = np.zeros(n_curves, dtype=bool)
    labels[rng.choice(n_curves, size=n_anom, replace=False)] = True

    freq = rng.uniform(0.5, 3.0, size=(n_curves, 1)) * 2 * np.pi / length
    phase = rng.uniform(0, 2 * np.pi, size=(n_curves, 1))
    amp = rng.uniform(0.5, 2.0, size=(n_curves, 1))
    offset = rng.normal(0, 0.5, size=(n_curves, 1))
    noise = rng.uniform(0.05, 0.2, size=(n_curves, 1))
    curves = offset + amp * np.sin(freq * t + phase) + noise * rng.normal(size=(n_curves, length))

    for i in np.flatnonzero(labels):
        width = rng.integers(8, 20)
        start = rng.integers(0, length - width)
        seg = np.arange(width)
        envelope = np.sin(np.pi * (seg + 0.5) / width)
        burst = rng.uniform(0.4, 0.9) * envelope * np.sign(np.sin(np.pi * seg / 1.5 + rng.uniform(0, 3)))
        curves[i, start:start + width] += burst

    frame = pd.DataFrame(curves, columns=[f"t_{k}" for k in range(length)])
    frame.insert(0, "anomaly", labels)
    return frame


def make_price_candles(n_candles: int = 40_000, *, ticks_per_candle: int = 30,
                       start: str = "2015-02-19", freq: str = "30min", seed: int = 0,
                       volatility: float = 0.002) -> pd.DataFrame:
    """Return half-hour candles of a synthetic random-walk price, indexed by time.

    Columns: ``open, high, low, close, volume, weightedAverage`` (like an exchange's
    candle API). The price is a geometric random walk sampled ``ticks_per_candle``
    times per candle; each candle summarises its ticks, and ``weightedAverage`` is the
    volume-weighted mean of the ticks. The walk itself has no memory, so nobody can
    predict the next *tick*; the *average* price, however, partly repeats the end of
    the previous candle, which a model with windowed features can exploit.
    """
    if n_candles < 2 or ticks_per_candle < 2:
        raise ValueError("need at least 2 candles and 2 ticks per candle")
    rng = np.random.default_rng(seed)
    n_ticks = n_candles * ticks_per_candle
    step = volatility / np.sqrt(ticks_per_candle)
    log_price = np.log(250.0) + np.cumsum(rng.normal(0.0, step, size=n_ticks))
    ticks = np.exp(log_price).reshape(n_candles, ticks_per_candle)
    tick_volume = rng.gamma(2.0, 1.0, size=ticks.shape)
    volume = tick_volume.sum(axis=1)
    index = pd.date_range(start=start, periods=n_candles, freq=freq, name="date")
    return pd.DataFrame({
        "open": ticks[:, 0],
        "high": ticks.max(axis=1),
        "low": ticks.min(axis=1),
        "close": ticks[:, -1],
        "volume": volume,
        "weightedAverage": (ticks * tick_volume).sum(axis=1) / volume,
    }, index=index)


def lagged_windows(series, start_lag: int = 1, window_len: int = 24):
    """Cut one series into forecasting pairs ``(X, y)``.

    For each target ``y[i] = series[t]`` the input ``X[i]`` holds the ``window_len``
    values that end ``start_lag`` steps before ``t``: ``series[t - start_lag - window_len
    + 1 : t - start_lag + 1]``, oldest first. Nothing at or after ``t - start_lag + 1``
    is used, so there is no leakage from the future. ``X`` has shape
    ``(n, window_len, 1)`` (ready for a recurrent layer) and ``y`` shape ``(n,)``, with
    ``n = len(series) - start_lag - window_len + 1``.
    """
    values = np.asarray(series, dtype="float32")
    if values.ndim != 1:
        raise ValueError(f"series should be one-dimensional, got shape {values.shape}; "
                         "pass one column, e.g. df['Total Ontario']")
    if start_lag < 1 or window_len < 1:
        raise ValueError(f"start_lag={start_lag} and window_len={window_len} must both be >= 1 "
                         "(start_lag=0 would put the target inside its own input)")
    n = len(values) - start_lag - window_len + 1
    if n <= 0:
        raise ValueError(f"a series of {len(values)} values is too short for "
                         f"start_lag={start_lag} and window_len={window_len}")
    X = np.lib.stride_tricks.sliding_window_view(values, window_len)[:n]
    y = values[start_lag + window_len - 1:]
    return np.ascontiguousarray(X)[..., None], y


def time_split(frame: pd.DataFrame, at) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a time-indexed frame into rows before ``at`` and rows from ``at`` on."""
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise TypeError("time_split needs a DatetimeIndex; set one with "
                        "df.set_index(pd.to_datetime(df['...']))")
    if not frame.index.is_monotonic_increasing:
        raise ValueError("the index is not sorted in time; call frame.sort_index() first")
    at = pd.Timestamp(at)
    before, after = frame.loc[frame.index < at], frame.loc[frame.index >= at]
    if before.empty or after.empty:
        raise ValueError(f"splitting at {at} leaves one side empty; the data runs from "
                         f"{frame.index[0]} to {frame.index[-1]}")
    return before, after

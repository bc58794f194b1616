"""Tests for dlcourse.timeseries (synthetic series and windows for 07_rnn)."""
import numpy as np
import pandas as pd
import pytest

from dlcourse.timeseries import lagged_windows, make_anomaly_curves, make_price_candles, time_split


def test_anomaly_curves_shape_labels_and_reproducibility():
    df = make_anomaly_curves(n_curves=200, length=60, seed=3)
    assert df.shape == (200, 61)
    assert list(df.columns[:3]) == ["anomaly", "t_0", "t_1"]
    assert df["anomaly"].dtype == bool and df["anomaly"].sum() == 100
    pd.testing.assert_frame_equal(df, make_anomaly_curves(n_curves=200, length=60, seed=3))
    assert not df.equals(make_anomaly_curves(n_curves=200, length=60, seed=4))


def test_anomalies_have_rougher_curves():
    # The burst adds fast wiggles: the spread of step-to-step changes grows on average.
    df = make_anomaly_curves(n_curves=400, length=100, seed=0)
    rough = np.diff(df.drop(columns="anomaly").to_numpy(), axis=1).std(axis=1)
    assert rough[df["anomaly"].to_numpy()].mean() > 1.2 * rough[~df["anomaly"].to_numpy()].mean()


@pytest.mark.parametrize("kwargs", [{"anomaly_share": 0}, {"anomaly_share": 1.5}, {"length": 10}])
def test_anomaly_curves_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        make_anomaly_curves(n_curves=10, **kwargs)


def test_price_candles_are_consistent():
    c = make_price_candles(n_candles=500, seed=1)
    assert list(c.columns) == ["open", "high", "low", "close", "volume", "weightedAverage"]
    assert isinstance(c.index, pd.DatetimeIndex) and c.index.freqstr in ("30min", "30T")
    assert (c["high"] >= c[["open", "close", "weightedAverage"]].max(axis=1) - 1e-9).all()
    assert (c["low"] <= c[["open", "close", "weightedAverage"]].min(axis=1) + 1e-9).all()
    assert (c["volume"] > 0).all()
    pd.testing.assert_frame_equal(c, make_price_candles(n_candles=500, seed=1))


def test_average_price_direction_is_partly_predictable():
    c = make_price_candles(n_candles=5000, seed=0)
    change = c.pct_change().dropna()
    up_next = (change["weightedAverage"].shift(-1) >= 0).iloc[:-1]
    last_close_up = (change["close"] >= 0).iloc[:-1]
    agree = (up_next == last_close_up).mean()
    assert 0.55 < agree < 0.9


def test_lagged_windows_on_a_fixed_array():
    X, y = lagged_windows(np.arange(10), start_lag=2, window_len=3)
    assert X.shape == (6, 3, 1) and y.shape == (6,)
    # target 4 is predicted from values 0, 1, 2 (they end 2 steps before it)
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2])
    assert y[0] == 4 and y[-1] == 9
    np.testing.assert_array_equal(X[-1, :, 0], [5, 6, 7])
    # no window reaches the time step just before its target minus (start_lag - 1)
    assert np.all(X[:, -1, 0] == y - 2)


def test_lagged_windows_lag_one_matches_shift():
    s = pd.Series(np.random.default_rng(0).normal(size=50))
    X, y = lagged_windows(s, start_lag=1, window_len=4)
    np.testing.assert_allclose(X[:, -1, 0], s.shift(1).to_numpy()[4:], rtol=1e-6)
    np.testing.assert_allclose(X[:, 0, 0], s.shift(4).to_numpy()[4:], rtol=1e-6)


@pytest.mark.parametrize("args", [(np.zeros((5, 2)), 1, 2), (np.zeros(5), 0, 2), (np.zeros(5), 3, 3)])
def test_lagged_windows_errors(args):
    with pytest.raises(ValueError):
        lagged_windows(*args)


def test_time_split():
    df = pd.DataFrame({"v": range(10)}, index=pd.date_range("2020-01-01", periods=10, freq="D"))
    before, after = time_split(df, "2020-01-04")
    assert len(before) == 3 and len(after) == 7 and after.index[0] == pd.Timestamp("2020-01-04")
    with pytest.raises(ValueError):
        time_split(df, "2030-01-01")
    with pytest.raises(TypeError):
        time_split(df.reset_index(drop=True), "2020-01-04")
    with pytest.raises(ValueError):
        time_split(df.iloc[::-1], "2020-01-04")

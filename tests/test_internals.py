"""Tests for dlcourse.internals (helpers of the maths chapters 05 and 14)."""
import numpy as np
import pytest

from dlcourse.internals import history_frame, hours_scores_table, numerical_derivative


def test_hours_scores_table_is_reproducible_and_plausible():
    a = hours_scores_table()
    b = hours_scores_table()
    assert a.equals(b)
    assert list(a.columns) == ["Hours", "Scores"]
    assert len(a) == 25
    assert a.Hours.between(1.0, 9.5).all()
    assert a.Scores.between(0, 100).all()
    slope, intercept = np.polyfit(a.Hours, a.Scores, 1)
    assert 8.0 < slope < 11.5
    assert not hours_scores_table(seed=1).equals(a)


def test_hours_scores_table_without_noise_is_the_line():
    t = hours_scores_table(n=10, noise=0.0, intercept=1.0, slope=10.0)
    assert np.allclose(t.Scores, np.round(1.0 + 10.0 * t.Hours))


@pytest.mark.parametrize("kwargs", [{"n": 1}, {"noise": -1.0}])
def test_hours_scores_table_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        hours_scores_table(**kwargs)


def test_numerical_derivative_elementwise():
    x = np.linspace(-2, 2, 9)
    assert np.allclose(numerical_derivative(np.sin, x), np.cos(x), atol=1e-8)
    assert np.isclose(numerical_derivative(lambda t: t**3, 2.0), 12.0, atol=1e-6)


def test_numerical_derivative_gradient_of_scalar_function():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_derivative(lambda m: float(np.sum(m**2)), w)
    assert grad.shape == w.shape
    assert np.allclose(grad, 2 * w, atol=1e-6)


def test_numerical_derivative_errors():
    with pytest.raises(ValueError, match="step"):
        numerical_derivative(np.sin, 1.0, h=0)
    with pytest.raises(ValueError, match="shape"):
        numerical_derivative(lambda v: v[:1], np.ones(3))


def test_history_frame_multiindex():
    class H:  # stands in for keras.callbacks.History
        def __init__(self, acc):
            self.history = {"loss": [1.0 - a for a in acc], "accuracy": acc}

    frame = history_frame({0.1: H([0.5, 0.7]), 0.5: H([0.6, 0.9])}, name="learning_rate")
    acc = frame.xs("accuracy", axis=1, level="metric")
    assert list(acc.columns) == [0.1, 0.5]
    assert list(acc.index) == [1, 2]
    assert acc.loc[2, 0.5] == 0.9
    with pytest.raises(ValueError):
        history_frame({})
    with pytest.raises(ValueError, match="History"):
        history_frame({"x": {}})

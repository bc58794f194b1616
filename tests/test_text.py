"""Tests for dlcourse.text (temperature sampling and character generation)."""
import numpy as np
import pytest

from dlcourse.text import apply_temperature, generate_chars, sample_with_temperature


def test_temperature_one_keeps_probabilities():
    p = np.array([0.1, 0.2, 0.7])
    assert np.allclose(apply_temperature(p, 1.0), p)


def test_low_temperature_sharpens_and_high_flattens():
    p = np.array([0.1, 0.2, 0.7])
    cold, hot = apply_temperature(p, 0.1), apply_temperature(p, 100.0)
    assert cold[2] > 0.999
    assert np.allclose(hot, 1 / 3, atol=0.01)
    assert np.isclose(cold.sum(), 1) and np.isclose(hot.sum(), 1)


def test_unnormalised_input_and_errors():
    assert np.allclose(apply_temperature([1, 1, 2]), [0.25, 0.25, 0.5])
    with pytest.raises(ValueError, match="temperature"):
        apply_temperature([0.5, 0.5], 0)
    with pytest.raises(ValueError, match="non-negative"):
        apply_temperature([-0.5, 1.5])


def test_sampling_frequencies_follow_probabilities():
    rng = np.random.default_rng(0)
    draws = [sample_with_temperature([0.2, 0.8], 1.0, rng) for _ in range(4000)]
    assert abs(np.mean(draws) - 0.8) < 0.03
    assert all(sample_with_temperature([0.2, 0.8], 0.01, rng) == 1 for _ in range(50))


class _CopyModel:
    """Fake next-character model: always predicts the index after the last one."""

    def __init__(self, n):
        self.n = n

    def __call__(self, x, training=False):
        last = int(np.asarray(x)[0, -1])
        out = np.zeros((1, self.n))
        out[0, min(last + 1, self.n - 1)] = 1.0
        return out


def test_generate_chars_stops_at_terminator():
    char_to_index = {"\n": 1, "a": 2, "b": 3, "c": 4}
    model = _CopyModel(5)  # a -> b -> c -> c ...; index 5 would be out of range
    text = generate_chars(model, "a", char_to_index, window=3, temperature=0.01, max_len=4,
                          rng=np.random.default_rng(0))
    assert text == "abccc"
    char_to_index = {"a": 1, "b": 2, "\n": 3}
    assert generate_chars(_CopyModel(4), "a", char_to_index, window=2, temperature=0.01,
                          rng=np.random.default_rng(0)) == "ab"


def test_generate_chars_rejects_unknown_seed():
    with pytest.raises(ValueError, match="does not know"):
        generate_chars(_CopyModel(3), "z", {"a": 1, "b": 2}, window=2)

"""Tests for dlcourse.training (repeated training and mean ± std plots)."""
import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from dlcourse.training import plot_mean_std, repeat_train, summarize


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    return x[:80], y[:80], x[80:], y[80:]


def _build():
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model


def test_repeat_train_shapes_and_reproducibility():
    runs = repeat_train(_build, *_data(), repeats=2, epochs=3, batch_size=32, verbose=False)
    assert set(runs) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert runs["accuracy"].shape == (2, 3)
    again = repeat_train(_build, *_data(), repeats=2, epochs=3, batch_size=32, verbose=False)
    assert np.allclose(runs["val_loss"], again["val_loss"])
    assert not np.allclose(runs["loss"][0], runs["loss"][1])  # different seeds per run
    text = summarize(runs)
    assert set(text) == {"accuracy", "val_accuracy"} and "±" in text["accuracy"]


def test_repeat_train_refuses_uncompiled_model():
    import keras

    def build():
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])

    with pytest.raises(ValueError, match="not compiled"):
        repeat_train(build, *_data(), repeats=1, epochs=1, verbose=False)


def test_plot_mean_std_draws_band():
    curves = np.array([[0.1, 0.5, 0.9], [0.3, 0.5, 0.7]])
    ax = plot_mean_std(curves, label="x")
    line = ax.get_lines()[0]
    assert np.allclose(line.get_ydata(), [0.2, 0.5, 0.8])
    assert len(ax.collections) == 1 and ax.get_xlabel() == "epoch"
    with pytest.raises(ValueError, match="repeats, epochs"):
        plot_mean_std(np.zeros(3))

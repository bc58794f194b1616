"""dlcourse.plots: each helper draws what it says, and rejects bad input clearly."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import plots  # noqa: E402


class ThresholdModel:
    """Predicts class 1 when x0 + x1 > 0: a known boundary, no Keras needed."""

    def __init__(self, softmax=False):
        self.softmax = softmax
        self.calls = []

    def predict(self, x, verbose=0):
        self.calls.append(x.shape)
        p = (x[:, 0] + x[:, 1] > 0).astype(float)
        return np.stack([1 - p, p], axis=1) if self.softmax else p[:, None]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_decision_grid_covers_the_data_with_a_margin():
    X = np.array([[0.0, 1.0], [2.0, 3.0]])
    xx, yy, grid = plots.decision_grid(X, steps=11, margin=0.5)
    assert grid.shape == (121, 2)
    assert xx.min() == pytest.approx(-0.5) and xx.max() == pytest.approx(2.5)
    assert yy.min() == pytest.approx(0.5) and yy.max() == pytest.approx(3.5)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plots.decision_grid(np.zeros((4, 3)))


@pytest.mark.parametrize("softmax", [False, True])
def test_plot_decision_boundary_shades_both_classes(softmax):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = (X.sum(axis=1) > 0).astype(int)
    model = ThresholdModel(softmax)
    ax = plots.plot_decision_boundary(model, X, y, steps=21)
    assert model.calls == [(441, 2)]
    assert ax.collections, "contourf should add filled regions"
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"class 0", "class 1"}
    assert ax.get_title() == "Decision boundary"


def test_plot_history_pairs_validation_curves():
    hist = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.7, 0.9]}
    ax = plots.plot_history(hist)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["loss", "val_loss", "accuracy"]
    assert ax.get_lines()[1].get_linestyle() == "--"
    assert list(ax.get_lines()[0].get_xdata()) == [1, 2, 3]
    with pytest.raises(KeyError, match="available"):
        plots.plot_history(hist, metrics=["auc"])
    with pytest.raises(ValueError, match="empty"):
        plots.plot_history({})


def test_plot_confusion_matrix_writes_counts():
    ax = plots.plot_confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], labels=["no", "yes"])
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1", "1", "1", "2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
    ax = plots.plot_confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], normalize=True)
    assert "0.50" in [t.get_text() for t in ax.texts]


def test_show_images_grid_and_errors():
    fig = plots.show_images(np.zeros((10, 8, 8, 1)), labels=list(range(10)), ncols=4, title="t")
    axes = fig.get_axes()
    assert len(axes) == 12 and sum(bool(ax.images) for ax in axes) == 10
    assert axes[3].get_title() == "3"
    with pytest.raises(ValueError, match="no images"):
        plots.show_images(np.zeros((0, 8, 8)))


@pytest.mark.slow
def test_filters_and_feature_maps_on_a_real_conv_layer():
    import keras

    model = keras.Sequential([keras.Input((12, 12, 1)), keras.layers.Conv2D(6, 3, name="conv"),
                              keras.layers.Flatten(), keras.layers.Dense(2)])
    fig = plots.show_filters(model.layers[0], n=4)
    assert sum(bool(ax.images) for ax in fig.get_axes()) == 4
    maps = plots.feature_maps(model, np.ones((12, 12, 1)), layer_index=0)
    assert maps.shape == (10, 10, 6)
    fig = plots.show_feature_maps(model, np.ones((12, 12, 1)), n=8)
    assert sum(bool(ax.images) for ax in fig.get_axes()) == 6
    with pytest.raises(ValueError, match="not a built Conv2D"):
        plots.show_filters(model.layers[2])
    with pytest.raises(ValueError, match="feature maps need"):
        plots.show_feature_maps(model, np.ones((12, 12, 1)), layer_index=1)


def test_plot_mean_std_band():
    ax = plots.plot_mean_std([1, 2, 3], [0.5, 0.6, 0.7], [0.1, 0.1, 0.1], label="test")
    assert ax.get_lines()[0].get_label() == "test" and ax.collections

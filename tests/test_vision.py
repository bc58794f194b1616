"""dlcourse.vision: application lookup, stand-in-aware decoding, dataset prediction, search."""
import json

import numpy as np
import pytest

from dlcourse import vision


def test_application_returns_constructor_and_its_own_preprocessing():
    import keras

    build, preprocess = vision.application("Xception")
    assert build is keras.applications.Xception
    x = np.full((1, 2, 2, 3), 255.0, dtype="float32")
    assert np.allclose(preprocess(x.copy()), 1.0)            # "tf" mode: [-1, 1]
    _, vgg_pre = vision.application("VGG16")
    assert not np.allclose(vgg_pre(x.copy()), 1.0)           # "caffe" mode: BGR minus means
    with pytest.raises(ValueError, match="Known names"):
        vision.application("AlexNet")


def test_decode_in_standin_mode_gives_sorted_indices_and_a_notice(monkeypatch, capsys):
    monkeypatch.setenv("DLCOURSE_STANDIN", "1")
    preds = np.zeros((2, 1000))
    preds[0, [335, 7, 990]] = [0.5, 0.3, 0.2]
    preds[1, 12] = 1.0
    out = vision.decode_predictions(preds, top=3)
    assert [t[1] for t in out[0]] == ["class 335", "class 7", "class 990"]
    assert out[0][0][2] == pytest.approx(0.5) and out[1][0][1] == "class 12"
    assert "stand-in mode" in capsys.readouterr().out
    with pytest.raises(ValueError, match="include_top=True"):
        vision.decode_predictions(np.zeros((1, 10)))


def test_class_names_read_the_keras_file_and_explain_a_failed_download(monkeypatch, tmp_path):
    import keras

    from dlcourse.data import DataUnavailableError

    monkeypatch.setenv("DLCOURSE_STANDIN", "0")
    index = {str(i): [f"n{i:08d}", f"name_{i}"] for i in range(1000)}
    path = tmp_path / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    monkeypatch.setattr(keras.utils, "get_file", lambda *a, **k: str(path))
    names = vision.imagenet_class_names()
    assert len(names) == 1000 and names[335] == "name_335"
    table = vision.describe_top_k([(335, 0.75), (3, 0.25)])
    assert list(table["name"]) == ["name_335", "name_3"] and list(table.index) == [1, 2]

    def offline(*a, **k):
        raise Exception("URL fetch failure on https://storage.googleapis.com: None")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(DataUnavailableError, match="DLCOURSE_STANDIN=1"):
        vision.imagenet_class_names()


def test_describe_top_k_in_standin_mode(monkeypatch, capsys):
    monkeypatch.setenv("DLCOURSE_STANDIN", "1")
    table = vision.describe_top_k([(np.int64(5), np.float32(0.9))])
    assert table.loc[1, "name"] == "class 5" and table.loc[1, "class"] == 5
    assert "stand-in mode" in capsys.readouterr().out


def test_predict_dataset_keeps_outputs_and_labels_aligned_when_shuffled():
    import keras
    import tensorflow as tf

    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.eye(3)[np.arange(10) % 3]
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(10, seed=1).batch(4)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda t: t[:, :1])])
    out, labels = vision.predict_dataset(model, ds)
    assert out.shape == (10, 1) and labels.shape == (10,)
    rows = (out[:, 0] / 2).astype(int)                  # first feature is 2 * row index
    assert np.array_equal(labels, rows % 3)
    assert sorted(rows) == list(range(10))
    with pytest.raises(ValueError, match="empty"):
        vision.predict_dataset(model, ds.take(0))


def test_nearest_and_farthest():
    from sklearn.metrics import pairwise_distances

    X = np.array([[0.0], [1.0], [5.0], [2.0]])
    d = pairwise_distances(X)
    idx, dist = vision.nearest(d, 0, n=3)
    assert list(idx) == [0, 1, 3] and np.allclose(dist, [0, 1, 2])
    idx, dist = vision.nearest(d, 0, n=2, farthest=True)
    assert list(idx) == [2, 3] and np.allclose(dist, [5, 2])
    with pytest.raises(IndexError):
        vision.nearest(d, 4)
    with pytest.raises(ValueError, match="square"):
        vision.nearest(d[:2], 0)


def test_load_thumbnails(tmp_path):
    from PIL import Image

    for k in range(2):
        Image.new("RGB", (40, 30), (10 * k, 0, 0)).save(tmp_path / f"{k}.png")
    thumbs = vision.load_thumbnails(sorted(tmp_path.glob("*.png")), size=16)
    assert thumbs.shape == (2, 16, 16, 3) and thumbs.dtype == np.uint8
    assert thumbs[1, 0, 0, 0] == 10

"""Helpers for pretrained image models (chapter 11).

- :func:`application` maps a ``keras.applications`` name (``"Xception"``) to its
  constructor and its own ``preprocess_input``;
- :func:`decode_predictions` and :func:`describe_top_k` put ImageNet class names on
  predictions, and say so loudly in stand-in mode, where there are no real weights and
  the class-name file is not downloaded;
- :func:`predict_dataset` runs a model over a ``tf.data`` dataset and keeps every
  output next to its label (one pass, so even a shuffled dataset stays aligned);
- :func:`nearest` ranks the rows of a distance matrix for image search;
- :func:`load_thumbnails` reads image files for display.
"""
from __future__ import annotations

import importlib

import numpy as np

from dlcourse.config import STANDIN_ENV, standin_mode

# keras.applications constructor name -> module holding its preprocess_input
_MODULES = {
    "Xception": "xception",
    "VGG16": "vgg16",
    "VGG19": "vgg19",
    "ResNet50": "resnet50",
    "ResNet50V2": "resnet_v2",
    "InceptionV3": "inception_v3",
    "InceptionResNetV2": "inception_resnet_v2",
    "MobileNet": "mobilenet",
    "MobileNetV2": "mobilenet_v2",
    "DenseNet121": "densenet",
    "DenseNet169": "densenet",
    "DenseNet201": "densenet",
    "EfficientNetB0": "efficientnet",
    "ConvNeXtTiny": "convnext",
}

N_IMAGENET_CLASSES = 1000
# the file keras.applications' decode_predictions downloads (same name, hash and cache)
CLASS_INDEX_URL = ("https://storage.googleapis.com/download.tensorflow.org/data/"
                   "imagenet_class_index.json")
_STANDIN_NAMES = ("stand-in mode: ImageNet class names are not looked up (the model has "
                  "random weights, so its classes mean nothing); showing class indices. "
                  f"Set {STANDIN_ENV}=0 and go online for real weights and names.")


def application(name: str):
    """``(constructor, preprocess_input)`` of the ``keras.applications`` model ``name``.

    >>> build, preprocess = application("Xception")   # keras.applications.Xception, ...
    """
    import keras

    if name not in _MODULES:
        raise ValueError(f"Unknown application {name!r}. Known names: {', '.join(_MODULES)}.")
    module = importlib.import_module(f"keras.applications.{_MODULES[name]}")
    return getattr(keras.applications, name), module.preprocess_input


def _notice(message: str) -> None:
    print(f"dlcourse: {message}", flush=True)


def imagenet_class_names() -> list[str] | None:
    """The 1000 ImageNet class names in index order (``"fox_squirrel"`` is 335).

    Keras downloads the class-index file once (a few kB) into ``~/.keras/models``. In
    stand-in mode nothing is downloaded: a notice is printed and ``None`` returned.
    """
    if standin_mode():
        _notice(_STANDIN_NAMES)
        return None
    import json

    import keras

    from dlcourse.data import DataUnavailableError

    try:
        path = keras.utils.get_file("imagenet_class_index.json", CLASS_INDEX_URL,
                                    cache_subdir="models",
                                    file_hash="c2c37ea517e94d9795004a39431a14cb")
    except Exception as exc:  # keras reports a failed download as a bare Exception
        if type(exc) is Exception or isinstance(exc, OSError):
            raise DataUnavailableError(
                f"Could not download ImageNet's class names ({exc}). Connect to the internet "
                f"once (the file is then cached), or set {STANDIN_ENV}=1 to run with "
                f"stand-in weights and class indices.") from exc
        raise
    with open(path, encoding="utf-8") as f:
        index = json.load(f)
    return [index[str(i)][1] for i in range(N_IMAGENET_CLASSES)]


def _check_probs(preds) -> np.ndarray:
    preds = np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != N_IMAGENET_CLASSES:
        raise ValueError(f"expected ImageNet predictions of shape (n, {N_IMAGENET_CLASSES}), "
                         f"got {preds.shape}: use a model built with include_top=True.")
    return preds


def decode_predictions(preds, top: int = 5):
    """Like ``keras.applications.imagenet_utils.decode_predictions``: for each row of
    ``preds`` (shape ``(n, 1000)``) a list of ``(wordnet_id, name, probability)``.

    In stand-in mode a notice is printed and the tuples read ``("#335", "class 335", p)``.
    """
    preds = _check_probs(preds)
    if standin_mode():
        _notice(_STANDIN_NAMES)
        return [[(f"#{i}", f"class {i}", float(row[i])) for i in np.argsort(-row, kind="stable")[:top]]
                for row in preds]
    import keras

    imagenet_class_names()  # downloads with our error message if offline
    return keras.applications.imagenet_utils.decode_predictions(preds, top=top)


def describe_top_k(pairs):
    """A ``DataFrame`` (rank, class, name, probability) for ``[(class_index, prob), ...]``."""
    import pandas as pd

    pairs = [(int(i), float(p)) for i, p in pairs]
    names = imagenet_class_names()
    rows = [{"class": i, "name": names[i] if names else f"class {i}", "probability": p}
            for i, p in pairs]
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="rank"))


def predict_dataset(model, dataset):
    """Run ``model`` over a batched ``(images, labels)`` dataset in one pass.

    Returns ``(outputs, labels)`` as NumPy arrays; one-hot labels become class indices.
    Outputs and labels come from the same batches, so they stay aligned even when the
    dataset shuffles.
    """
    outputs, labels = [], []
    for x, y in dataset:
        outputs.append(np.asarray(model.predict_on_batch(x)))
        labels.append(np.asarray(y))
    if not outputs:
        raise ValueError("the dataset is empty: check the folder it was read from.")
    labels = np.concatenate(labels)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    return np.concatenate(outputs), labels


def nearest(distances, index: int, n: int = 9, farthest: bool = False):
    """Indices and distances of the ``n`` items closest to item ``index``.

    ``distances`` is a square matrix such as ``sklearn.metrics.pairwise_distances(X)``;
    the query itself comes first (distance 0). ``farthest=True`` ranks the other way.
    """
    distances = np.asarray(distances)
    if distances.ndim != 2 or distances.shape[0] != distances.shape[1]:
        raise ValueError(f"distances must be a square matrix, got shape {distances.shape}.")
    if not 0 <= index < len(distances):
        raise IndexError(f"index {index} is outside 0..{len(distances) - 1}.")
    row = distances[index]
    order = np.argsort(-row if farthest else row, kind="stable")[:n]
    return order, row[order]


def load_thumbnails(paths, size: int = 96) -> np.ndarray:
    """Read image files into a uint8 array ``(n, size, size, 3)`` for display."""
    import keras

    return np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(size, size)),
                                              dtype="uint8") for p in paths])

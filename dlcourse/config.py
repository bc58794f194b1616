"""Run modes (full / fast / stand-in) and notebook setup.

Three environment variables steer the course; each is read at call time so tests can
flip them with ``monkeypatch.setenv``:

``DLCOURSE_FAST=1``
    Fast mode: fewer epochs and smaller samples so every notebook runs in under a
    minute on two CPU cores. Tests and the autograder set it. Full mode is the default.
``DLCOURSE_STANDIN=1``
    Stand-in mode: data that only exists on internet hubs (``keras.datasets``, GloVe,
    ImageNet weights) is replaced by offline stand-ins of the same format, with a
    visible notice. See :mod:`dlcourse.data`.
``DLCOURSE_MIRROR=/path``
    A folder holding exact copies of the course's data files; used instead of the
    download URLs, with the same sha256 verification.
"""
from __future__ import annotations

import os
import random
import shutil
import warnings

FAST_ENV = "DLCOURSE_FAST"
STANDIN_ENV = "DLCOURSE_STANDIN"
MIRROR_ENV = "DLCOURSE_MIRROR"
DATA_ENV = "DLCOURSE_DATA"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(
        f"{name}={os.environ[name]!r} is not understood: use 1 (on) or 0 (off)."
    )


def fast_mode() -> bool:
    """True when ``DLCOURSE_FAST`` is on (tests, grading, quick previews)."""
    return _flag(FAST_ENV)


def standin_mode() -> bool:
    """True when ``DLCOURSE_STANDIN`` is on: hub-only data is replaced by stand-ins."""
    return _flag(STANDIN_ENV)


def pick(full, fast):
    """Return ``fast`` in fast mode and ``full`` otherwise.

    Used in a notebook's parameters cell, e.g. ``EPOCHS = pick(full=40, fast=2)``.
    """
    return fast if fast_mode() else full


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ start-up chatter before TensorFlow is imported.

    On a machine without an NVIDIA driver the CUDA probe prints errors that mean
    nothing for a CPU run, so they are hidden too; with a driver, errors stay visible.
    An explicit ``TF_CPP_MIN_LOG_LEVEL`` set by the user always wins.
    """
    if "TF_CPP_MIN_LOG_LEVEL" not in os.environ:
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2" if shutil.which("nvidia-smi") else "3"
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")


def setup(seed: int = 42, *, plots: bool = True, verbose: bool = True) -> bool:
    """Prepare a notebook: seed every RNG, quiet TensorFlow, set plot defaults.

    Returns True in fast mode, so a parameters cell can write ``FAST = setup()``.
    """
    quiet_tensorflow()
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:  # pragma: no cover - numpy is a hard dependency
        pass
    _import_tensorflow_quietly()
    try:
        import keras

        keras.utils.set_random_seed(seed)
    except ImportError:
        warnings.warn("Keras is not importable: run `python check_env.py` to see why.",
                      stacklevel=2)
    try:
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
    except ImportError:
        pass
    if plots:
        _plot_defaults()
    _pandas_defaults()
    fast = fast_mode()
    if verbose:
        parts = ["fast mode (small data, few epochs)" if fast else "full mode"]
        if standin_mode():
            parts.append("stand-in data for hub downloads")
        print(f"dlcourse: {', '.join(parts)}; seed {seed}")
    return fast


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow with its C++ start-up chatter (written to fd 2) captured.

    TensorFlow 2.21 prints absl/CUDA lines before its logging is configured, so
    ``TF_CPP_MIN_LOG_LEVEL`` cannot hide them. If the import fails, the captured text
    is attached to the error, so nothing a student needs is lost.
    """
    import sys
    import tempfile

    if "tensorflow" in sys.modules:
        return
    try:
        saved = os.dup(2)
    except OSError:  # no real fd 2 (unusual embedding): import normally
        import tensorflow  # noqa: F401
        return
    with tempfile.TemporaryFile(mode="w+b") as capture:
        try:
            sys.stderr.flush()
        except (AttributeError, ValueError):
            pass
        os.dup2(capture.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        except Exception as e:
            os.dup2(saved, 2)
            capture.seek(0)
            chatter = capture.read().decode(errors="replace").strip()
            if chatter:
                e.add_note("TensorFlow printed while importing:\n" + chatter[-4000:])
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _plot_defaults() -> None:
    try:
        import matplotlib as mpl
    except ImportError:  # pragma: no cover
        return
    mpl.rcParams.update({
        "figure.figsize": (9, 6),
        "font.size": 13,
        "lines.linewidth": 2,
        "axes.titlepad": 12,
        "axes.grid": False,
        "savefig.pad_inches": 0.2,
        "image.cmap": "viridis",
    })


def _pandas_defaults() -> None:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return
    pd.set_option("display.max_rows", 13)
    pd.set_option("display.max_columns", 12)

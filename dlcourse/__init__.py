"""Helpers for the *Deep Learning, Step by Step* notebooks.

Import what a notebook needs from here::

    from dlcourse import setup, pick
    FAST = setup(seed=42)          # seeds everything, quiets TensorFlow, prints the mode
    EPOCHS = pick(full=40, fast=2)

Importing this package never imports TensorFlow, so `check_env.py` can use it to
diagnose a broken TensorFlow install.
"""
from dlcourse.config import (
    FAST_ENV,
    MIRROR_ENV,
    STANDIN_ENV,
    fast_mode,
    pick,
    quiet_tensorflow,
    setup,
    standin_mode,
)

__all__ = [
    "FAST_ENV",
    "MIRROR_ENV",
    "STANDIN_ENV",
    "fast_mode",
    "pick",
    "quiet_tensorflow",
    "setup",
    "standin_mode",
]
__version__ = "0.1.0"

quiet_tensorflow()

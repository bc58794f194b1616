"""Test-wide settings: fast mode, stand-ins, the offline data mirror, quiet TensorFlow."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_MIRROR = ROOT.parent / "shared" / "data"

os.environ.setdefault("DLCOURSE_FAST", "1")
os.environ.setdefault("DLCOURSE_STANDIN", "1")
if SHARED_MIRROR.is_dir():
    os.environ.setdefault("DLCOURSE_MIRROR", str(SHARED_MIRROR))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT

"""Instructor tooling around nbgrader: release, check, grade (``python -m autograder``)."""
import os
import sys
from pathlib import Path

# nbgrader runs helper programs (alembic for the gradebook, jupyter) by name, so the
# interpreter's own bin/ must be on PATH even when the virtualenv is not activated.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = "solutions"
RELEASE_DIR = "course"


def chapter_slugs(root: Path = ROOT) -> list[str]:
    """Slugs of the chapters that exist in ``solutions/`` (``NN_slug/NN_slug.ipynb``)."""
    src = root / SOURCE_DIR
    return sorted(p.name for p in src.iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").exists()) if src.exists() else []

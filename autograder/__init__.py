"""Instructor tooling around nbgrader: release, check, grade (``python -m autograder``)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = "solutions"
RELEASE_DIR = "course"


def chapter_slugs(root: Path = ROOT) -> list[str]:
    """Slugs of the chapters that exist in ``solutions/`` (``NN_slug/NN_slug.ipynb``)."""
    src = root / SOURCE_DIR
    return sorted(p.name for p in src.iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").exists()) if src.exists() else []

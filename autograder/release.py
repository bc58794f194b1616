"""Generate the student edition (``course/``) from the source notebooks (``solutions/``).

The work is nbgrader's own ``generate_assignment`` (solutions and hidden tests
stripped, outputs cleared, cells locked, checksums computed), run into a scratch
folder with a scratch gradebook, so releasing never touches an instructor's database.
``check`` generates the same way and compares with what is committed.
"""
from __future__ import annotations

import filecmp
import json
import shutil
import tempfile
from pathlib import Path

from autograder import RELEASE_DIR, ROOT, SOURCE_DIR, chapter_slugs


class ReleaseError(RuntimeError):
    pass


def generate(slugs: list[str], root: Path = ROOT) -> Path:
    """Run nbgrader generate_assignment for ``slugs`` into a temp dir; return its course/."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    for slug in slugs:
        if not (root / SOURCE_DIR / slug / f"{slug}.ipynb").exists():
            raise ReleaseError(f"no source notebook {root / SOURCE_DIR / slug / (slug + '.ipynb')}; "
                               f"known chapters: {', '.join(chapter_slugs(root)) or 'none'}")
    tmp = Path(tempfile.mkdtemp(prefix="dlcourse-release-"))
    (tmp / SOURCE_DIR).mkdir()
    for slug in slugs:
        src = root / SOURCE_DIR / slug
        shutil.copytree(src, tmp / SOURCE_DIR / slug,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    cfg = Config()
    cfg.CourseDirectory.root = str(tmp)
    cfg.CourseDirectory.source_directory = SOURCE_DIR
    cfg.CourseDirectory.release_directory = RELEASE_DIR
    cfg.CourseDirectory.db_url = f"sqlite:///{tmp / 'gradebook.db'}"
    cfg.CourseDirectory.course_id = "dlcourse"
    cfg.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    cfg.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    (tmp / "exchange").mkdir()
    cfg.Exchange.root = str(tmp / "exchange")
    try:
        api = NbGraderAPI(CourseDirectory(config=cfg), config=cfg)
        for slug in slugs:
            result = api.generate_assignment(slug, force=True)
            if not result["success"]:
                raise ReleaseError(f"nbgrader could not generate {slug}:\n{result['log']}\n"
                                   f"{result.get('error', '')}")
        for nb in (tmp / RELEASE_DIR).rglob("*.ipynb"):
            _normalise(nb)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # leave no scratch course behind
        raise
    return tmp / RELEASE_DIR


def _normalise(path: Path) -> None:
    """Stable formatting so a regenerated notebook is byte-identical to the committed one."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                    encoding="utf-8")


def release(slugs: list[str] | None = None, root: Path = ROOT) -> list[str]:
    slugs = slugs or chapter_slugs(root)
    out = generate(slugs, root)
    for slug in slugs:
        dst = root / RELEASE_DIR / slug
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(out / slug, dst)
    shutil.rmtree(out.parent, ignore_errors=True)
    return slugs


def check(slugs: list[str] | None = None, root: Path = ROOT) -> list[str]:
    """Return a list of problems: course/ files missing, extra or different from a fresh release."""
    slugs = slugs or chapter_slugs(root)
    if not slugs:
        return []
    out = generate(slugs, root)
    problems: list[str] = []
    try:
        for slug in slugs:
            problems += _compare(out / slug, root / RELEASE_DIR / slug, f"{RELEASE_DIR}/{slug}")
        released = root / RELEASE_DIR
        if released.exists():
            for extra in sorted(p.name for p in released.iterdir() if p.is_dir()):
                if extra not in chapter_slugs(root):
                    problems.append(f"{RELEASE_DIR}/{extra}: has no source in {SOURCE_DIR}/")
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    return problems


def _compare(fresh: Path, committed: Path, label: str) -> list[str]:
    if not committed.exists():
        return [f"{label}: missing (run `python -m autograder release`)"]
    cmp = filecmp.dircmp(fresh, committed, ignore=["__pycache__", ".ipynb_checkpoints"])
    problems = []

    def walk(c, prefix):
        problems.extend(f"{label}/{prefix}{n}: missing" for n in c.left_only)
        problems.extend(f"{label}/{prefix}{n}: not in the source" for n in c.right_only)
        for n in c.diff_files:
            problems.append(f"{label}/{prefix}{n}: differs from a fresh release")
        for n, sub in c.subdirs.items():
            walk(sub, f"{prefix}{n}/")

    walk(cmp, "")
    return problems

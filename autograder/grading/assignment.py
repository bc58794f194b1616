"""Prepare step: register the assignment with nbgrader and pack what workers need.

The workspace becomes an ordinary nbgrader course folder (``source/``,
``release/``, ``submitted/``, ``autograded/``, ``nbgrader_config.py``) so an
instructor can open it with ``nbgrader formgrader`` for manual grading. The
assignment is registered in the central gradebook by nbgrader's own
``generate_assignment`` (cells, points, checksums), and a second run into a
scratch SQLite file gives the *template gradebook* each worker copies: workers
never touch the central database.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder import ROOT, SOURCE_DIR

COURSE_ID = "dlcourse"
IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", "feedback")


class AssignmentError(RuntimeError):
    pass


@dataclass
class AssignmentBundle:
    """Everything a worker needs to grade one submission (picklable, no paths)."""

    slug: str
    gradebook: bytes                       # SQLite gradebook defining the assignment
    files: dict[str, bytes] = field(default_factory=dict)  # data files for the kernel
    source_hash: str = ""
    test_cells: dict[str, float] = field(default_factory=dict)  # grade_id -> points
    # grade_id -> checksums a read-only cell may have (released and source versions)
    locked_checksums: dict[str, set[str]] = field(default_factory=dict)


def source_folder(slug: str, source_root: Path = ROOT) -> Path:
    folder = Path(source_root) / SOURCE_DIR / slug
    if not (folder / f"{slug}.ipynb").exists():
        known = sorted(p.name for p in (Path(source_root) / SOURCE_DIR).glob("*")
                       if p.is_dir()) if (Path(source_root) / SOURCE_DIR).exists() else []
        raise AssignmentError(
            f"no source notebook {folder / (slug + '.ipynb')}; known assignments: "
            f"{', '.join(known) or 'none'} (is source_root the repository root?)")
    return folder


def _api(root: Path, db_url: str):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    cfg = Config()
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.db_url = db_url
    cfg.CourseDirectory.course_id = COURSE_ID
    cfg.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
    cfg.Exchange.root = str(root / ".exchange")
    cfg.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    cfg.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    return NbGraderAPI(CourseDirectory(config=cfg), config=cfg)


def _generate(root: Path, slug: str, db_url: str) -> None:
    from autograder.grading import nbgrader_compat

    nbgrader_compat.install()
    result = _api(root, db_url).generate_assignment(slug, force=True)
    if not result["success"]:
        raise AssignmentError(
            f"nbgrader generate_assignment failed for {slug} (gradebook {mask_url(db_url)}):\n"
            f"{result.get('log', '')}\n{result.get('error', '')}")


def mask_url(db_url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


def workspace_config(workspace: Path, db_url: str) -> str:
    shared = ROOT / "autograder" / "nbgrader_config.py"
    template = (ROOT / "autograder" / "templates" / "workspace_nbgrader_config.py.tmpl").read_text(
        encoding="utf-8")
    return template.format(shared=str(shared), root=str(workspace), db_url=db_url,
                           course_id=COURSE_ID, exchange=str(workspace / ".exchange"))


def prepare(slug: str, workspace: Path, db_url: str, source_root: Path = ROOT) -> AssignmentBundle:
    """Copy the source into the workspace course, register it, build the worker bundle."""
    src = source_folder(slug, source_root)
    workspace = Path(workspace)
    course_src = workspace / "source" / slug
    if course_src.exists():
        shutil.rmtree(course_src)
    shutil.copytree(src, course_src, ignore=IGNORE)
    cfg_path = workspace / "nbgrader_config.py"
    cfg_path.write_text(workspace_config(workspace, db_url), encoding="utf-8")
    cfg_path.chmod(0o600)  # may hold a database password
    _generate(workspace, slug, db_url)

    with tempfile.TemporaryDirectory(prefix="dlcourse-template-") as tmp:
        tmp = Path(tmp)
        db = tmp / "gradebook.db"
        central = sqlite_path(db_url)
        if central is not None:  # copy the definitions nbgrader just wrote, minus students
            shutil.copyfile(central, db)
            _strip_students(f"sqlite:///{db}")
            released = workspace / "release" / slug / f"{slug}.ipynb"
        else:  # a server database: generate a scratch SQLite gradebook the same way
            shutil.copytree(src, tmp / "source" / slug, ignore=IGNORE)
            _generate(tmp, slug, f"sqlite:///{db}")
            released = tmp / "release" / slug / f"{slug}.ipynb"
        gradebook = db.read_bytes()
        locked = _locked_checksums(released, f"sqlite:///{db}", slug)

    files, digest = {}, hashlib.sha256()
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        rel = path.relative_to(src).as_posix()
        if any(part in (".ipynb_checkpoints", "__pycache__", "feedback")
               for part in Path(rel).parts):
            continue
        data = path.read_bytes()
        digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
        if not rel.endswith(".ipynb"):
            files[rel] = data
    return AssignmentBundle(slug=slug, gradebook=gradebook, files=files,
                            source_hash=digest.hexdigest(),
                            test_cells=_test_cells(src / f"{slug}.ipynb"),
                            locked_checksums=locked)


def sqlite_path(db_url: str) -> Path | None:
    """The file of an SQLite URL, None for server databases."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _strip_students(db_url: str) -> None:
    """Leave only assignment definitions in a gradebook copy (workers get no grades)."""
    from nbgrader.api import Gradebook
    from sqlalchemy import text

    with Gradebook(db_url, COURSE_ID) as gb:
        for student in list(gb.students):
            gb.remove_student(student.id)
        gb.db.execute(text("DROP TABLE IF EXISTS dlcourse_graded"))
        gb.db.commit()
    import sqlite3

    con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        con.execute("VACUUM")  # deleted rows must not linger in free pages
    finally:
        con.close()


def _locked_checksums(released: Path, db_url: str, slug: str) -> dict[str, set[str]]:
    """Checksums of read-only cells as released (no hidden tests) and as in the source."""
    import nbformat
    from nbgrader.api import Gradebook

    out: dict[str, set[str]] = {}
    for cell in nbformat.read(released, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {}) or {}
        if meta.get("locked") and meta.get("checksum"):
            out.setdefault(meta["grade_id"], set()).add(meta["checksum"])
    with Gradebook(db_url) as gb:
        for cell in gb.find_notebook(slug, slug).source_cells:
            if cell.locked and cell.name in out:
                out[cell.name].add(cell.checksum)
    return out


def _test_cells(path: Path) -> dict[str, float]:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {}) or {}
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            out[meta["grade_id"]] = float(meta.get("points", 0))
    return out

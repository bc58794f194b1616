"""Grade one submission in a worker process (local pool or a Dask worker).

:func:`grade_submission` is the unit of parallel work: it receives everything as
data (:class:`GradeTask`: the submitted notebook's bytes and the assignment
bundle), so it runs the same on this machine or on a remote Dask worker, and
returns everything as data (:class:`WorkerResult`). It never touches the central
gradebook. Steps: isolate (private folder, sandbox), execute + score (nbgrader's
``Autograde`` with our execute and save preprocessors, scratch gradebook),
feedback (scrubbed HTML).
"""
from __future__ import annotations

import io
import logging
import os
import shutil
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.assignment import COURSE_ID, AssignmentBundle
from autograder.grading.isolate import Limits, private_dir, trusted_roots, write_box


@dataclass
class GradeTask:
    student: str
    notebook: bytes
    bundle: AssignmentBundle
    limits: Limits = field(default_factory=Limits)
    sandbox: str = "auto"
    timestamp: str | None = None
    sha256: str = ""


@dataclass
class WorkerResult:
    student: str
    sha256: str
    ok: bool                                 # False: the grader itself failed (retry later)
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    autograded: str = ""                     # executed notebook (JSON text)
    feedback_html: str = ""
    seconds: float = 0.0
    needs_manual: list[str] = field(default_factory=list)
    grades: dict = field(default_factory=dict)     # every grade row, for the central copy
    comments: dict = field(default_factory=dict)


def autograde_config(course: Path, box: Path, task: GradeTask):
    """nbgrader configuration: our execute/save steps inside nbgrader's Autograde."""
    from traitlets.config import Config

    lim = task.limits
    cfg = Config()
    cfg.CourseDirectory.root = str(course)
    cfg.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    cfg.CourseDirectory.course_id = COURSE_ID
    cfg.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
    cfg.Autograde.autograde_preprocessors = [
        "autograder.grading.execute.SandboxedExecute",
        "nbgrader.preprocessors.IgnorePattern",
        "nbgrader.preprocessors.LimitOutput",
        "autograder.grading.score.SaveVerdicts",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    cfg.OverwriteCells.add_missing_cells = True
    cfg.SandboxedExecute.box = str(box)
    cfg.SandboxedExecute.sandbox_mode = task.sandbox
    cfg.SandboxedExecute.timeout = int(lim.cell_timeout)
    cfg.SandboxedExecute.notebook_timeout = int(lim.notebook_timeout)
    cfg.SandboxedExecute.memory_mb = int(lim.memory_mb)
    cfg.SandboxedExecute.output_chars = int(lim.output_chars)
    cfg.SandboxedExecute.trusted_roots = trusted_roots()
    cfg.SandboxedExecute.interrupt_on_timeout = True
    cfg.SandboxedExecute.raise_on_iopub_timeout = False
    cfg.SandboxedExecute.iopub_timeout = 10
    cfg.SandboxedExecute.startup_timeout = 120
    cfg.SandboxedExecute.shutdown_kernel = "immediate"
    cfg.LimitOutput.max_lines = 1000
    cfg.LimitOutput.max_traceback = 100
    return cfg


def run_autograde(course: Path, box: Path, task: GradeTask) -> str:
    """nbgrader's Autograde for one student; returns its log text, raises on failure."""
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    cfg = autograde_config(course, box, task)
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = task.bundle.slug
    coursedir.student_id = task.student
    app = Autograde(coursedir=coursedir, config=cfg)
    app.force = True
    app.create_student = True
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    app.log.addHandler(handler)
    try:
        app.start()
    except Exception as e:
        raise RuntimeError(f"nbgrader autograde failed: {e}\n{buf.getvalue()[-3000:]}") from e
    finally:
        app.log.removeHandler(handler)
    return buf.getvalue()


def isolate(task: GradeTask) -> tuple[list[Path], Path, Path]:
    """Private folders: course/ (grader only, in RAM) and box/ (the kernel's view)."""
    scratch, kernel_dir = private_dir(fast=True), private_dir()
    slug = task.bundle.slug
    course, box = scratch / "course", kernel_dir / "box"
    src = course / "source" / slug
    src.mkdir(parents=True)
    for rel, data in task.bundle.files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(data)
    sub = course / "submitted" / task.student / slug
    sub.mkdir(parents=True)
    (sub / f"{slug}.ipynb").write_bytes(task.notebook)
    if task.timestamp:
        (sub / "timestamp.txt").write_text(task.timestamp, encoding="utf-8")
    (course / "gradebook.db").write_bytes(task.bundle.gradebook)
    box.mkdir()
    write_box(box, task.bundle.files)
    return [scratch, kernel_dir], course, box


def quiet_nbgrader_warnings() -> None:
    """nbgrader's own gradebook code triggers SQLAlchemy 2 'not in session' warnings."""
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)


def warm_up() -> None:
    """Load what grading needs once per worker process (libraries, feedback templates)."""
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
    from nbgrader.converters import Autograde  # noqa: F401

    from autograder.grading import execute, feedback, nbgrader_compat, score  # noqa: F401

    quiet_nbgrader_warnings()
    nbgrader_compat.install()
    _ = feedback._exporter().template  # compiles nbgrader's feedback templates


def grade_submission(task: GradeTask) -> WorkerResult:
    """Isolate, execute, score and render feedback for one readable submission."""
    import nbformat

    from autograder.grading import feedback, nbgrader_compat, score
    from autograder.grading.isolate import Sandbox

    start = time.monotonic()
    quiet_nbgrader_warnings()
    nbgrader_compat.install()
    slug = task.bundle.slug
    result = WorkerResult(student=task.student, sha256=task.sha256, ok=False)
    tmps: list[Path] = []
    try:
        tmps, course, box = isolate(task)
        note = Sandbox(box, mode=task.sandbox).note
        if note:
            result.problems.append(note)
        log = run_autograde(course, box, task)
        db_url = f"sqlite:///{course / 'gradebook.db'}"
        nb_path = course / "autograded" / task.student / slug / f"{slug}.ipynb"
        nb = nbformat.read(nb_path, as_version=4)
        result.scores = score.submission_scores(db_url, slug, task.student)
        result.problems += (score.edited_cells(task.notebook, task.bundle.locked_checksums)
                            + score.log_problems(log) + score.cell_problems(nb))
        result.needs_manual = score.answered_markdown(nb)
        result.grades, result.comments = score.gradebook_rows(db_url, slug, task.student)
        result.autograded = nbformat.writes(nb)
        result.feedback_html = feedback.render_feedback(nb, db_url, slug, task.student)
        result.ok = True
    except Exception as e:
        result.problems.append(f"the grader failed on this submission ({type(e).__name__}: "
                               f"{str(e).splitlines()[0] if str(e) else ''}); it will be "
                               f"retried on the next run")
        result.autograded = traceback.format_exc()
    finally:
        if not os.environ.get("DLCOURSE_GRADER_KEEP"):
            for tmp in tmps:
                shutil.rmtree(tmp, ignore_errors=True)
        result.seconds = time.monotonic() - start
    return result

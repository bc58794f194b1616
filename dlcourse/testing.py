"""Execute notebooks for tests and checks (nbclient), reporting the failing cell.

``run_notebook`` runs a notebook top to bottom in a fresh kernel, in fast mode and
(by default) stand-in mode, with the data mirror if one is configured, and raises
:class:`NotebookFailure` naming the first failing cell with its traceback.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookFailure(AssertionError):
    """A cell raised; ``cell_index``, ``grade_id`` and ``traceback`` say where and why."""

    def __init__(self, path, cell_index, grade_id, source, ename, evalue, traceback):
        self.path, self.cell_index, self.grade_id = path, cell_index, grade_id
        self.source, self.ename, self.evalue, self.traceback = source, ename, evalue, traceback
        where = f"cell {cell_index}" + (f" ({grade_id})" if grade_id else "")
        head = "\n".join(source.splitlines()[:8])
        super().__init__(f"{path}: {where} raised {ename}: {evalue}\n--- cell source ---\n"
                         f"{head}\n--- traceback ---\n{traceback}")


@dataclass
class CellResult:
    index: int
    grade_id: str | None
    is_test: bool
    points: float
    error: tuple[str, str, str] | None = None  # (ename, evalue, traceback)


@dataclass
class RunResult:
    path: Path
    notebook: nbformat.NotebookNode
    cells: list[CellResult] = field(default_factory=list)

    @property
    def errors(self) -> list[CellResult]:
        return [c for c in self.cells if c.error]

    @property
    def tests(self) -> list[CellResult]:
        return [c for c in self.cells if c.is_test]


def course_env(fast: bool = True, standin: bool = True, extra: dict | None = None) -> dict:
    """Environment for a course kernel: fast/stand-in flags, quiet TensorFlow, mirror kept."""
    env = dict(os.environ)
    env["DLCOURSE_FAST"] = "1" if fast else "0"
    env["DLCOURSE_STANDIN"] = "1" if standin else env.get("DLCOURSE_STANDIN", "0")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning:jupyter_client")
    if extra:
        env.update(extra)
    return env


@contextmanager
def _environ(env: dict):
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(old)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def run_notebook(path, *, fast: bool = True, standin: bool = True, timeout: int = 300,
                 allow_errors: bool = False, cwd=None, env: dict | None = None,
                 notebook=None) -> RunResult:
    """Execute ``path`` (or ``notebook``) in a fresh kernel and return the results.

    With ``allow_errors=False`` the first error raises :class:`NotebookFailure`.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    nb = notebook if notebook is not None else nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            raise_on_iopub_timeout=False, iopub_timeout=30,
                            resources={"metadata": {"path": str(cwd or path.parent)}})
    with _environ(course_env(fast, standin, env)):
        try:
            client.execute()
        except CellExecutionError:  # pragma: no cover - allow_errors=True
            pass
    result = RunResult(path=path, notebook=nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        cr = CellResult(i, meta.get("grade_id"), bool(meta.get("grade")),
                        float(meta.get("points", 0) or 0))
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                tb = ANSI.sub("", "\n".join(out.get("traceback", [])))
                cr.error = (out.get("ename", ""), out.get("evalue", ""), tb)
                break
        result.cells.append(cr)
        if cr.error and not allow_errors:
            raise NotebookFailure(path, i, cr.grade_id, cell.source, *cr.error)
    return result

"""Shared machinery for the chapter self-tests (tests/test_chapters.py).

The expensive part — executing a chapter — happens once per chapter: the solution
notebook runs top to bottom in one kernel, then every wrong answer from
``tests/wrong_answers/<slug>.py`` is swapped in, the exercise's test cells are run
against it, and the correct answer is restored.
"""
from __future__ import annotations

import copy
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from dlcourse.testing import ANSI, _environ, course_env, nbgrader_meta

ROOT = Path(__file__).resolve().parent.parent
WRONG_DIR = ROOT / "tests" / "wrong_answers"
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.M)


def is_solution(cell) -> bool:
    m = nbgrader_meta(cell)
    return cell.cell_type == "code" and m.get("solution", False) and not m.get("grade", False)


def is_test(cell) -> bool:
    m = nbgrader_meta(cell)
    return cell.cell_type == "code" and m.get("grade", False) and not m.get("solution", False)


def exercises(nb) -> dict[str, list[int]]:
    """Map each solution cell's grade_id to the indices of the test cells that check it.

    A test cell belongs to the nearest solution cell above it.
    """
    out: dict[str, list[int]] = {}
    current = None
    for i, cell in enumerate(nb.cells):
        if is_solution(cell):
            current = nbgrader_meta(cell)["grade_id"]
            out.setdefault(current, [])
        elif is_test(cell) and current is not None:
            out[current].append(i)
    return {k: v for k, v in out.items() if v}


def load_wrong_answers(slug: str) -> dict[str, str]:
    path = WRONG_DIR / f"{slug}.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"wrong_{slug}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return dict(getattr(mod, "WRONG", {}))


def _error(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            tb = ANSI.sub("", "\n".join(out.get("traceback", [])))
            return f"{out.get('ename')}: {out.get('evalue')}\n{tb[-3000:]}"
    return None


@dataclass
class ChapterRun:
    slug: str
    cell_errors: list[str] = field(default_factory=list)
    wrong_not_caught: list[str] = field(default_factory=list)
    wrong_crashed: list[str] = field(default_factory=list)
    restore_failed: list[str] = field(default_factory=list)


def run_chapter(slug: str, wrong: dict[str, str], timeout: int = 300) -> ChapterRun:
    from nbclient import NotebookClient

    path = ROOT / "solutions" / slug / f"{slug}.ipynb"
    nb = nbformat.read(path, as_version=4)
    ex = exercises(nb)
    result = ChapterRun(slug)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            raise_on_iopub_timeout=False, iopub_timeout=30,
                            resources={"metadata": {"path": str(path.parent)}})
    ids = {nbgrader_meta(c).get("grade_id"): i for i, c in enumerate(nb.cells)}
    with _environ(course_env(fast=True, standin=True)), client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, i)
            err = _error(cell)
            if err:
                gid = nbgrader_meta(cell).get("grade_id")
                result.cell_errors.append(f"cell {i}{f' ({gid})' if gid else ''}: {err}")
        if result.cell_errors:
            return result
        # nbclient stores each executed cell back at its index: give extras a scratch slot
        nb.cells.append(nbformat.v4.new_code_cell(""))
        extra = len(nb.cells) - 1
        for gid, source in wrong.items():
            wrong_cell = nbformat.v4.new_code_cell(source)
            client.execute_cell(wrong_cell, extra)
            err = _error(wrong_cell)
            if err:
                result.wrong_crashed.append(f"{gid}: {err}")
            caught = False
            for t in ex.get(gid, []):
                test_cell = copy.deepcopy(nb.cells[t])
                test_cell.outputs = []
                client.execute_cell(test_cell, extra)
                caught = caught or _error(test_cell) is not None
            if not caught:
                result.wrong_not_caught.append(gid)
            # restore the correct answer, then re-run its tests so later checks start clean
            restore = copy.deepcopy(nb.cells[ids[gid]])
            restore.outputs = []
            client.execute_cell(restore, extra)
            for t in ex.get(gid, []):
                test_cell = copy.deepcopy(nb.cells[t])
                test_cell.outputs = []
                client.execute_cell(test_cell, extra)
                err = _error(test_cell) or _error(restore)
                if err:
                    result.restore_failed.append(f"{gid}: {err}")
    return result


def filled_submission(slug: str) -> nbformat.NotebookNode:
    """The student edition with every answer cell filled in with the reference solution."""
    src = nbformat.read(ROOT / "solutions" / slug / f"{slug}.ipynb", as_version=4)
    sub = nbformat.read(ROOT / "course" / slug / f"{slug}.ipynb", as_version=4)
    answers = {nbgrader_meta(c)["grade_id"]: c.source for c in src.cells
               if nbgrader_meta(c).get("solution")}
    for cell in sub.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and meta.get("grade_id") in answers:
            cell.source = MARKER.sub("", answers[meta["grade_id"]])
    return sub

"""Score step: turn an executed notebook into points and human-readable problems.

:class:`SaveVerdicts` replaces nbgrader's ``SaveAutoGrades`` for test cells: a
test cell earns its points only when :mod:`autograder.grading.execute` recorded
``passed`` (the kernel said "ok", no error was shown and the end-of-test token
came back). nbgrader's own rule (no error output, no stderr) is fooled by a
notebook that hides its tracebacks and fails on a harmless warning; written
answers keep nbgrader's rule (manual grading).
"""
from __future__ import annotations

import re

from nbgrader import utils as nbutils
from nbgrader.preprocessors import SaveAutoGrades

from autograder.grading.execute import META, is_test_cell


class SaveVerdicts(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, scoring test cells from the grader's verdict."""

    def _add_score(self, cell, resources) -> None:
        if not is_test_cell(cell):
            return super()._add_score(cell, resources)
        grade = self.gradebook.find_grade(cell.metadata["nbgrader"]["grade_id"],
                                          self.notebook_id, self.assignment_id, self.student_id)
        passed = bool(cell.metadata.get(META, {}).get("passed"))
        grade.auto_score = float(cell.metadata["nbgrader"]["points"]) if passed else 0.0
        grade.needs_manual_grade = grade.manual_score is not None
        self.gradebook.db.commit()


def submission_scores(db_url: str, slug: str, student: str) -> dict[str, tuple[float, float]]:
    """grade_id → (points, max points) for every autograded (test) cell of a submission."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        nb = gb.find_submission_notebook(slug, slug, student)
        solution_ids = {c.name for c in nb.notebook.solution_cells}
        out = {}
        for g in nb.grades:
            if g.cell_type == "code" and g.name not in solution_ids:
                out[g.name] = (float(g.auto_score or 0.0), float(g.max_score))
    return out


def gradebook_rows(db_url: str, slug: str, student: str) -> tuple[dict, dict]:
    """Every grade and comment nbgrader stored for a submission, to copy centrally.

    Returns ``({cell: {"auto_score", "needs_manual_grade"}}, {cell: auto_comment})``.
    """
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        nb = gb.find_submission_notebook(slug, slug, student)
        grades = {g.name: {"auto_score": g.auto_score,
                           "needs_manual_grade": bool(g.needs_manual_grade)} for g in nb.grades}
        comments = {c.name: c.auto_comment for c in nb.comments}
    return grades, comments


# nbgrader log lines worth passing on, with what they mean for the instructor
_LOG_RULES = [
    (re.compile(r"Attribute 'cell_type' for cell (\S+) has changed"),
     "cell {0} had its type changed; the original type was restored"),
    (re.compile(r"Attribute 'locked' for cell (\S+) has changed"),
     "cell {0} was unlocked; it was locked again"),
    (re.compile(r"Attribute 'points' for cell (\S+) has changed"),
     "the points of cell {0} were edited; the original points were used"),
    (re.compile(r"Missing grade cell (\S+) encountered"),
     "graded cell {0} was deleted; the original was put back"),
    (re.compile(r"Cell '(\S+)' does not exist in the database"),
     "cell {0} is not part of the assignment (its nbgrader id was ignored)"),
    (re.compile(r"Duplicate cell id"), "the notebook had duplicate cell ids (renumbered)"),
]


def log_problems(log_text: str) -> list[str]:
    found = []
    for line in log_text.splitlines():
        for rx, template in _LOG_RULES:
            m = rx.search(line)
            if m:
                msg = template.format(*m.groups())
                if msg not in found:
                    found.append(msg)
    return found


def cell_problems(nb) -> list[str]:
    """Problems recorded while executing, plus unexpected errors in ordinary cells."""
    found = []
    stub_seen = False  # after an untouched exercise, NameErrors are its echo, not news
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get(META, {})
        name = (cell.metadata.get("nbgrader", {}) or {}).get("grade_id")
        where = f"cell {i}" + (f" ({name})" if name else "")
        if meta.get("problem"):
            found.append(f"{where}: {meta['problem']}")
            continue
        if cell.cell_type != "code" or is_test_cell(cell):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            ename = out.get("ename", "")
            if ename == "NotImplementedError":
                stub_seen = True
                continue  # an untouched exercise is not a problem of the notebook
            if ename == "NameError" and stub_seen:
                continue
            evalue = (out.get("evalue") or "").splitlines()[0][:200] if out.get("evalue") else ""
            label = {"MemoryError": f"ran out of memory (the limit is per kernel): {evalue}",
                     "SystemExit": "called sys.exit()/exit(); the cell stopped there"}.get(
                ename, f"raised {ename}: {evalue}")
            found.append(f"{where}: {label}")
            break
    return found


def edited_cells(submitted: bytes, locked_checksums: dict[str, set[str]]) -> list[str]:
    """Read-only cells whose content differs from both the released and the source version.

    (nbgrader's own log cannot tell: it reports every test cell with hidden tests as
    changed, since the released copy lacks them.)
    """
    import nbformat

    try:
        nb = nbformat.reads(submitted.decode("utf-8"), as_version=4)
    except Exception:
        return []
    found = []
    for cell in nb.cells:
        gid = (cell.metadata.get("nbgrader", {}) or {}).get("grade_id")
        if gid in locked_checksums and nbutils.compute_checksum(cell) not in locked_checksums[gid]:
            found.append(f"read-only cell {gid} was edited; it was graded with the original")
    return found


def answered_markdown(nb) -> list[str]:
    """Ids of written answers that need a human grader (changed from the stub)."""
    ids = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {}) or {}
        if cell.cell_type == "markdown" and meta.get("grade") and meta.get("solution"):
            if meta.get("checksum") != nbutils.compute_checksum(cell):
                ids.append(meta.get("grade_id"))
    return ids

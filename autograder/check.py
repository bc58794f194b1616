"""``python -m autograder check NOTEBOOK``: run a notebook and summarise its tests.

nbgrader's ``validate`` exits 0 even when tests fail; this command exits 1 when any
test cell fails (or any other cell errors), with one line per exercise.
"""
from __future__ import annotations

from pathlib import Path

from dlcourse.testing import run_notebook


def check_notebook(path, *, fast: bool = True, timeout: int = 300) -> int:
    path = Path(path)
    if not path.exists():
        print(f"error: {path} does not exist")
        return 2
    try:
        result = run_notebook(path, fast=fast, standin=True, timeout=timeout, allow_errors=True)
    except Exception as e:  # unreadable notebook, kernel died...
        print(f"error: could not run {path}: {type(e).__name__}: {e}")
        return 2
    passed = failed = 0
    print(f"{path}: {'fast' if fast else 'full'} mode")
    for cell in result.cells:
        if cell.is_test:
            if cell.error:
                failed += 1
                print(f"  ✗ {cell.grade_id} ({cell.points:g} pt): {cell.error[0]}: "
                      f"{cell.error[1].splitlines()[0] if cell.error[1] else ''}")
            else:
                passed += 1
                print(f"  ✓ {cell.grade_id} ({cell.points:g} pt)")
        elif cell.error:
            failed += 1
            print(f"  ✗ cell {cell.index}{' (' + cell.grade_id + ')' if cell.grade_id else ''}: "
                  f"{cell.error[0]}: {cell.error[1].splitlines()[0] if cell.error[1] else ''}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1

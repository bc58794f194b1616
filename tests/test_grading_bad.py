"""Bad submissions: one batch, every one must finish and be graded as specified.

Each student starts from the correct solution and breaks one thing, so "everything
else graded normally" is checkable: the untouched exercise keeps its points.
"""
from __future__ import annotations

import os

import nbformat
import pytest

from autograder.grading import grade
from autograder.grading.isolate import bwrap_problem
from autograder.grading.merge import CentralGradebook
from autograder.grading.sample import SAMPLE_ROOT, SAMPLE_SLUG, solution

pytestmark = pytest.mark.slow
SLUG = SAMPLE_SLUG
EX1, EX2 = "ex1_squares_test", "ex2_standardize_test"
FULL = {EX1: (2.0, 2.0), EX2: (3.0, 3.0)}
ONLY_EX2 = {EX1: (0.0, 2.0), EX2: (3.0, 3.0)}
ONLY_EX1 = {EX1: (2.0, 2.0), EX2: (0.0, 3.0)}
NOTHING = {EX1: (0.0, 2.0), EX2: (0.0, 3.0)}
RIGHT_EX2 = ("def standardize(x):\n    x = np.asarray(x, dtype=float)\n"
             "    return (x - x.mean()) / x.std()")

SNOOP = f'''
import glob, os, socket, sys
_found = []
for _p in ["/work/main/solutions", {str(SAMPLE_ROOT)!r}]:
    if os.path.exists(_p):
        _found.append(_p)
_found += glob.glob("/tmp/**/gradebook.db", recursive=True)
_found += glob.glob("/tmp/dlg-*/course", recursive=True)
_found += glob.glob("../**/*.ipynb", recursive=True)
_skip = tuple({{sys.prefix, sys.base_prefix, sys.exec_prefix}})
for _top in ["..", "/tmp", "/home", "/srv", "/work"]:
    for _root, _dirs, _files in os.walk(_top):
        if _root.startswith(_skip):
            _dirs[:] = []
            continue
        for _f in _files:
            try:
                with open(os.path.join(_root, _f), errors="ignore") as _fh:
                    if "_expected_" + "squares" in _fh.read(200_000):
                        _found.append(os.path.join(_root, _f))
            except OSError:
                pass
try:
    socket.create_connection(("1.1.1.1", 80), timeout=3).close()
    _net = "open"
except OSError:
    _net = "blocked"
print("SNOOP", sorted({{_f for _f in _found if not _f.startswith(_skip)}}), "NET", _net)
'''
SWALLOW = '''
def _swallow(lines):
    return ["try:\\n"] + ["    " + l for l in lines] + ["\\nexcept BaseException:\\n    pass\\n"]
get_ipython().input_transformers_post.append(_swallow)
squares = np.ones(10)
'''


def _nb(data: bytes):
    return nbformat.reads(data.decode(), as_version=4)


def _index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def edited(base: bytes, sources: dict | None = None, delete=(), retype=None,
           insert_after: dict | None = None) -> bytes:
    nb = _nb(base)
    for gid, src in (sources or {}).items():
        nb.cells[_index(nb, gid)].source = src
    for gid, src in (insert_after or {}).items():
        nb.cells.insert(_index(nb, gid) + 1, nbformat.v4.new_code_cell(src))
    if retype:
        i = _index(nb, retype)
        old = nb.cells[i]
        new = nbformat.v4.new_markdown_cell(old.source)
        new.metadata = old.metadata
        nb.cells[i] = new
    for gid in delete:
        del nb.cells[_index(nb, gid)]
    return nbformat.writes(nb).encode()


def reordered_with_extras(base: bytes) -> bytes:
    nb = _nb(base)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("My notes: remember to run all cells."))
    nb.cells.insert(3, nbformat.v4.new_code_cell("helper = 41 + 1"))
    nb.cells.append(nbformat.v4.new_code_cell("print('the end', helper)"))
    # markdown of exercise 1 moved below its answer cell
    i = _index(nb, "ex1_squares")
    nb.cells[i - 1], nb.cells[i] = nb.cells[i], nb.cells[i - 1]
    return nbformat.writes(nb).encode()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    good = solution(SLUG, SAMPLE_ROOT)
    folders = {
        "invalid_json": {f"{SLUG}.ipynb": b'{"cells": [ {"oops'},
        "empty_file": {f"{SLUG}.ipynb": b""},
        "wrong_name": {"my_homework.ipynb": good},
        "no_notebook": {"notes.txt": b"I forgot to upload it"},
        "extra_cells": {f"{SLUG}.ipynb": reordered_with_extras(good)},
        "deleted_test": {f"{SLUG}.ipynb": edited(good, delete=[EX1])},
        "deleted_answer": {f"{SLUG}.ipynb": edited(good, delete=["ex2_standardize"])},
        "retyped_test": {f"{SLUG}.ipynb": edited(good, retype=EX1)},
        "edited_test": {f"{SLUG}.ipynb": edited(good, {
            "ex1_squares": "squares = np.ones(10)", EX1: "print('all tests passed!')"})},
        "infinite_loop": {f"{SLUG}.ipynb": edited(good, {"ex1_squares": "while True:\n    pass"})},
        "stubborn_loop": {f"{SLUG}.ipynb": edited(good, {"ex1_squares": (
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
            "    pass")})},
        "memory_bomb": {f"{SLUG}.ipynb": edited(good, {"ex1_squares": (
            "_hog = []\nwhile True:\n    _hog.append(np.empty(2**27))")})},
        "os_exit": {f"{SLUG}.ipynb": edited(good, {"ex1_squares": "import os\nos._exit(3)"})},
        "sys_exit": {f"{SLUG}.ipynb": edited(good, {"ex2_standardize": "import sys\nsys.exit(0)"})},
        "segfault": {f"{SLUG}.ipynb": edited(good, {"ex2_standardize":
                                                    "import ctypes\nctypes.string_at(0)"})},
        "huge_output": {f"{SLUG}.ipynb": edited(good, insert_after={"ex1_squares": (
            "print('x' * 30_000_000)\nfor _i in range(100_000):\n    print(_i)")})},
        "snoop": {f"{SLUG}.ipynb": edited(good, insert_after={"load_numbers": SNOOP})},
        "patch_checks": {f"{SLUG}.ipynb": edited(good, {"ex1_squares": (
            "import dlcourse.checks as _c\n"
            "_c.check = _c.check_shape = _c.require = lambda *a, **k: None\n"
            "squares = [0, 1]")})},
        "hide_errors": {f"{SLUG}.ipynb": edited(good, {"ex1_squares": (
            "get_ipython().showtraceback = lambda *a, **k: None\nsquares = np.ones(10)")})},
        "swallow_errors": {f"{SLUG}.ipynb": edited(good, {"ex1_squares": SWALLOW})},
        "patch_numpy": {f"{SLUG}.ipynb": edited(good, {"ex1_squares": (
            "np.array_equal = lambda *a, **k: True\nsquares = np.arange(10)")})},
    }
    root = tmp_path_factory.mktemp("bad")
    subs = root / "subs"
    for student, files in folders.items():
        (subs / student).mkdir(parents=True)
        for name, data in files.items():
            (subs / student / name).write_bytes(data)
    ws = root / "ws"
    results = grade(SLUG, subs, ws, workers=2, cell_timeout=20, notebook_timeout=150,
                    memory_mb=3072, source_root=SAMPLE_ROOT, progress=False)
    return {r.student: r for r in results}, ws, set(folders)


def has(result, *words) -> bool:
    return any(all(w in p for w in words) for p in result.problems)


def autograded_nb(ws, student):
    return nbformat.read(ws / "autograded" / student / SLUG / f"{SLUG}.ipynb", as_version=4)


def test_every_submission_finished_and_gradebook_is_consistent(batch):
    results, ws, students = batch
    assert set(results) == students
    with CentralGradebook(f"sqlite:///{ws / 'gradebook.db'}") as central:
        assert central.check_consistent(SLUG) == []
        assert len(central.gb.assignment_submissions(SLUG)) == len(students)
    report = (ws / "report.html").read_text()
    for student, r in results.items():
        assert r.feedback_path and r.feedback_path.exists(), student
        html = r.feedback_path.read_text()
        for leak in ("_expected_squares", "_want_hidden", "HIDDEN TESTS"):
            assert leak not in html, (student, leak)
        if r.problems:
            assert student in report


@pytest.mark.parametrize("student, words", [
    ("invalid_json", ["not valid notebook JSON"]),
    ("empty_file", ["is empty"]),
    ("no_notebook", ["no notebook found"]),
])
def test_unreadable_submissions_score_zero(batch, student, words):
    r = batch[0][student]
    assert r.scores == NOTHING
    assert has(r, *words), r.problems


def test_wrong_name_is_graded_with_a_note(batch):
    r = batch[0]["wrong_name"]
    assert r.scores == FULL
    assert has(r, "my_homework.ipynb", "graded it anyway")


def test_extra_and_reordered_cells_are_fine(batch):
    r = batch[0]["extra_cells"]
    assert r.scores == FULL and r.problems == []


def test_deleted_test_cell_is_put_back_and_graded(batch):
    r = batch[0]["deleted_test"]
    assert r.scores == FULL
    assert has(r, EX1, "deleted")


def test_deleted_answer_cell_scores_zero_for_that_exercise(batch):
    assert batch[0]["deleted_answer"].scores == ONLY_EX1


def test_retyped_test_cell_is_restored(batch):
    r = batch[0]["retyped_test"]
    assert r.scores == FULL
    assert has(r, EX1, "type")


def test_edited_read_only_test_is_graded_with_the_original(batch):
    r = batch[0]["edited_test"]
    assert r.scores == ONLY_EX2
    assert has(r, EX1, "edited")


@pytest.mark.parametrize("student", ["infinite_loop", "stubborn_loop"])
def test_endless_loops_time_out_and_the_rest_is_graded(batch, student):
    r = batch[0][student]
    assert r.scores == ONLY_EX2
    assert has(r, "time limit"), r.problems


def test_memory_bomb_hits_the_limit(batch):
    r = batch[0]["memory_bomb"]
    assert r.scores == ONLY_EX2
    assert has(r, "memory"), r.problems


@pytest.mark.parametrize("student, scores", [("os_exit", ONLY_EX2), ("segfault", ONLY_EX1)])
def test_dead_kernel_is_restarted_and_the_rest_is_graded(batch, student, scores):
    r = batch[0][student]
    assert r.scores == scores
    assert has(r, "kernel died"), r.problems


def test_sys_exit_only_costs_that_exercise(batch):
    r = batch[0]["sys_exit"]
    assert r.scores == ONLY_EX1
    assert has(r, "sys.exit"), r.problems


def test_huge_output_is_cut_not_fatal(batch):
    results, ws, _ = batch
    r = results["huge_output"]
    assert r.scores == FULL
    assert has(r, "output was cut")
    assert (ws / "autograded" / "huge_output" / SLUG / f"{SLUG}.ipynb").stat().st_size < 5e6


def test_student_code_cannot_see_sources_or_network(batch):
    if bwrap_problem():
        pytest.skip(f"no sandbox here: {bwrap_problem()}")
    results, ws, _ = batch
    assert results["snoop"].scores == FULL
    nb = autograded_nb(ws, "snoop")
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "SNOOP [] NET blocked" in text, text[:2000]


def test_monkeypatched_check_helpers_are_reloaded(batch):
    results, ws, _ = batch
    assert results["patch_checks"].scores == ONLY_EX2
    assert has(results["patch_checks"], "dlcourse.checks.check", "undone"), \
        results["patch_checks"].problems
    nb = autograded_nb(ws, "patch_checks")
    test = nb.cells[_index(nb, EX1)]
    errors = [o for o in test.outputs if o.output_type == "error"]
    # the visible check ran with the real helpers (the patched ones would stay silent)
    assert errors and "should be an array with a shape" in errors[0].evalue


@pytest.mark.parametrize("student, changed", [("hide_errors", "shell.showtraceback"),
                                              ("swallow_errors", "input_transformers_post")])
def test_hidden_or_swallowed_errors_still_fail(batch, student, changed):
    r = batch[0][student]
    assert r.scores == ONLY_EX2
    assert has(r, changed, "undone before the test"), r.problems


def test_patched_numpy_is_detected(batch):
    r = batch[0]["patch_numpy"]
    assert r.scores[EX1] == (0.0, 2.0)
    assert has(r, "numpy.array_equal"), r.problems


def test_no_sandbox_is_reported(tmp_path):
    """Without bwrap (forced here) every result says isolation was not enforced."""
    subs = tmp_path / "subs" / "alice"
    subs.mkdir(parents=True)
    (subs / f"{SLUG}.ipynb").write_bytes(solution(SLUG, SAMPLE_ROOT))
    ws = tmp_path / "ws"
    (r,) = grade(SLUG, subs.parent, ws, workers=1, source_root=SAMPLE_ROOT, progress=False,
                 sandbox="none")
    assert r.scores == FULL
    assert has(r, "isolation not enforced")
    assert "isolation not enforced" in (ws / "report.html").read_text()
    assert os.path.exists(ws / "grades.csv")

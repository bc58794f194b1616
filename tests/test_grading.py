"""Unit tests of the grading steps (no kernels): collect, isolate, guard, feedback,
score, merge, report. End-to-end runs are in test_grading_pipeline.py/_bad.py."""
from __future__ import annotations

import csv
import subprocess
import sys
import types
import zipfile

import nbformat
import pytest

from autograder.grading import collect, feedback, guard, isolate, report, score
from autograder.grading.merge import Record

SLUG = "00_sample"


def notebook_bytes(*sources: str) -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nbformat.writes(nb).encode()


# ---------------------------------------------------------------- collect
def test_collect_folder_layouts(tmp_path):
    good = notebook_bytes("x = 1")
    layout = {
        "alice": {f"{SLUG}.ipynb": good, "scratch.ipynb": good},
        "bob": {"Copy of homework.ipynb": good},
        "carol": {"a.ipynb": good, "b.ipynb": good},
        "dave": {f"{SLUG}.ipynb": b"{broken"},
        "erin": {f"{SLUG}.ipynb": b""},
        "frank": {"notes.txt": b"hi"},
    }
    for student, files in layout.items():
        for name, data in files.items():
            (tmp_path / student).mkdir(exist_ok=True)
            (tmp_path / student / name).write_bytes(data)
    (tmp_path / "alice" / "timestamp.txt").write_text("2026-11-20 10:00:00 UTC")
    (tmp_path / "stray.ipynb").write_bytes(good)
    (tmp_path / "bad name!").mkdir()
    subs, ignored = collect.collect(tmp_path, SLUG)
    by = {s.student: s for s in subs}
    assert sorted(by) == ["alice", "bob", "carol", "dave", "erin", "frank"]
    assert by["alice"].readable and by["alice"].problems == []
    assert by["alice"].timestamp == "2026-11-20 10:00:00 UTC"
    assert by["bob"].readable and "graded it anyway" in by["bob"].problems[0]
    assert not by["carol"].readable and "several notebooks" in by["carol"].problems[0]
    assert not by["dave"].readable and "not valid notebook JSON" in by["dave"].problems[0]
    assert not by["erin"].readable and "is empty" in by["erin"].problems[0]
    assert not by["frank"].readable and "no notebook found" in by["frank"].problems[0]
    assert any("stray.ipynb" in i for i in ignored)
    assert any("bad name!" in i for i in ignored)
    assert by["alice"].sha256 == by["bob"].sha256  # same bytes, same hash


def test_collect_zip_default_and_custom_patterns(tmp_path):
    good = notebook_bytes("x = 1")
    z1 = tmp_path / "folders.zip"
    with zipfile.ZipFile(z1, "w") as z:
        z.writestr(f"download/alice/{SLUG}.ipynb", good)
        z.writestr(f"bob_{SLUG}.ipynb", good)
        z.writestr("__MACOSX/alice/._x.ipynb", b"junk")
    subs, _ = collect.collect(z1, SLUG)
    assert [s.student for s in subs] == ["alice", "bob"]
    assert all(s.readable and not s.problems for s in subs)

    z2 = tmp_path / "lms.zip"
    with zipfile.ZipFile(z2, "w") as z:
        z.writestr(f"Smith, Ann - 2026-11-20 0930 - ann42 - {SLUG}.ipynb", good)
        z.writestr("unrelated.ipynb", good)
    pattern = (r"^.* - (?P<timestamp>\d{4}-\d\d-\d\d \d{4}) - (?P<student_id>[a-z0-9]+)"
               r" - (?P<file_id>.+\.ipynb)$")
    subs, ignored = collect.collect(z2, SLUG, pattern)
    assert [(s.student, s.timestamp) for s in subs] == [("ann42", "2026-11-20 0930")]
    assert ignored == ["unrelated.ipynb (does not match the file-name pattern)"]


def test_collect_errors_say_what_to_do(tmp_path):
    with pytest.raises(collect.CollectError, match="does not exist"):
        collect.collect(tmp_path / "nope", SLUG)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(collect.CollectError, match="neither a folder nor a zip"):
        collect.collect(tmp_path / "file.txt", SLUG)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(collect.CollectError, match="no student submissions"):
        collect.collect(empty, SLUG)


# ---------------------------------------------------------------- isolate
def test_sandbox_environment_is_explicit(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    sb = isolate.Sandbox(tmp_path / "box", mode="none")
    env = sb.env()
    assert "PGPASSWORD" not in env and "AWS_SECRET_ACCESS_KEY" not in env
    assert env["DLCOURSE_FAST"] == "1" and env["DLCOURSE_STANDIN"] == "1"
    assert env["HOME"].startswith(str(tmp_path))
    assert sb.note and "bubblewrap" in sb.note


def test_write_box_refuses_paths_outside(tmp_path):
    with pytest.raises(isolate.IsolationError):
        isolate.write_box(tmp_path, {"../escape.csv": b"x"})
    isolate.write_box(tmp_path, {"data/a.csv": b"1"})
    assert (tmp_path / "data" / "a.csv").read_bytes() == b"1"


@pytest.mark.skipif(isolate.bwrap_problem() is not None, reason="bwrap not usable here")
def test_bwrap_hides_files_and_network(tmp_path):
    from autograder import ROOT

    sb = isolate.Sandbox(tmp_path / "box", mode="bwrap")
    sb.prepare()
    probe = (
        "import os, socket, dlcourse\n"
        f"print(os.path.exists({str(ROOT / 'solutions')!r}), os.path.exists({str(tmp_path)!r} + '/x'))\n"
        "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2); print('net')\n"
        "except OSError:\n    print('nonet')\n"
        "open('written.txt', 'w').write('ok')\n")
    (tmp_path / "x").write_text("outside the box")
    out = subprocess.run(sb.wrap([sys.executable, "-c", probe]), env=sb.env(),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "nonet"]
    assert (sb.box / "written.txt").read_text() == "ok"


@pytest.mark.skipif(isolate.bwrap_problem() is not None, reason="bwrap not usable here")
def test_bwrap_data_cache_is_readable_and_writes_stay_in_the_box(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    (cache / "standin").mkdir(parents=True)
    (cache / "iris.csv").write_text("a,b\n1,2\n")
    monkeypatch.setenv("DLCOURSE_DATA", str(cache))
    sb = isolate.Sandbox(tmp_path / "box", mode="bwrap")
    sb.prepare()
    probe = ("import os, pathlib\n"
             "d = pathlib.Path(os.environ['DLCOURSE_DATA'])\n"
             "print(d.joinpath('iris.csv').read_text().splitlines()[1])\n"
             "d.joinpath('standin', 'new.npy').write_text('x')\n"
             "d.joinpath('iris.csv').unlink(); d.joinpath('iris.csv').write_text('tampered')\n")
    out = subprocess.run(sb.wrap([sys.executable, "-c", probe]), env=sb.env(),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1,2"
    assert (cache / "iris.csv").read_text() == "a,b\n1,2\n"   # the real cache is untouched
    assert not (cache / "standin" / "new.npy").exists()


def test_sweep_removes_folders_of_dead_runs_only(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCOURSE_GRADER_TMP", str(tmp_path))
    mine = isolate.private_dir()
    dead = isolate.private_dir()
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    (dead / "owner.pid").write_text(str(proc.pid))  # a process that has exited
    (tmp_path / "dlg-foreign").mkdir()              # no owner file: not ours, kept
    assert isolate.sweep_stale() == 1
    assert mine.exists() and not dead.exists() and (tmp_path / "dlg-foreign").exists()


def test_one_grading_run_per_workspace(tmp_path):
    from autograder.grading.pipeline import workspace_lock

    with workspace_lock(tmp_path):
        with pytest.raises(RuntimeError, match="another grading run"):
            with workspace_lock(tmp_path):
                pass
    with workspace_lock(tmp_path):  # released again
        pass


def test_launch_applies_memory_limit(tmp_path):
    from pathlib import Path

    launcher = Path(isolate.__file__).with_name("launch.py")
    code = "b = bytearray(600 * 1024 * 1024)"
    out = subprocess.run([sys.executable, str(launcher), "--memory-mb", "300", "--",
                          sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode != 0 and "MemoryError" in out.stderr


# ------------------------------------------------------------------ guard
def test_guard_spots_notebook_code_in_library_modules(monkeypatch):
    import numpy

    monkeypatch.setattr(guard, "TRUSTED_ROOTS", tuple(isolate.trusted_roots()))
    fake_np = types.ModuleType("numpy")
    fake_np.array_equal = numpy.array_equal
    fake_np.mean = numpy.mean
    assert guard.foreign_functions({"numpy": fake_np}) == []
    fake_np.array_equal = lambda *a, **k: True          # defined in this (non-library) file
    ns = {"__name__": "__main__"}
    exec("f = lambda *a: True", ns)                      # what exec() in a cell produces
    fake_np.mean = ns["f"]
    found = guard.foreign_functions({"numpy": fake_np, "mymodule": fake_np})
    assert found == ["numpy.array_equal", "numpy.mean"]


def test_guard_kernel_code_is_self_contained():
    code = guard.kernel_code("snapshot", ["/usr"])
    ns = {}
    exec(compile(code, "<test>", "exec"), ns)  # runs outside IPython too
    assert "_dlcourse_grader_guard" not in ns
    with pytest.raises(ValueError):
        guard.kernel_code("rm -rf", [])


# --------------------------------------------------------------- feedback
def _test_cell(source, outputs):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "ex1_test", "locked": True,
                                 "points": 2, "schema_version": 3, "solution": False,
                                 "task": False}
    cell.outputs = outputs
    return cell


TEST_SRC = """from dlcourse.checks import check
check(len(x) == 3, "x should have 3 items")
### BEGIN HIDDEN TESTS
_secret_ref = [1, 2, 3]
assert x == _secret_ref, "x has the wrong items"
np.testing.assert_allclose(x, _secret_ref)
### END HIDDEN TESTS"""


def _error(ename, evalue, line):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[
        "\x1b[31m---------------------------------------------------------------------------",
        f"{ename}                            Traceback (most recent call last)",
        f"Cell In[7], line {line}\n      3 ### BEGIN HIDDEN TESTS\n      4 _secret_ref = [1, 2, 3]"
        f"\n----> 5 assert x == _secret_ref, \"x has the wrong items\"",
        f"{ename}: {evalue}"])


@pytest.mark.parametrize("ename, evalue, line, shown", [
    ("AssertionError", "x should have 3 items", 2, "x should have 3 items"),
    ("AssertionError", "x has the wrong items", 5, "a hidden test failed: x has the wrong items"),
    ("AssertionError", "\nNot equal to tolerance rtol=1e-07\n x: array([1, 2, 4])\n y: "
                       "array([1, 2, 3])", 6, "a hidden test failed"),
])
def test_feedback_shows_messages_not_hidden_tests(ename, evalue, line, shown):
    nb = nbformat.v4.new_notebook()
    printed = nbformat.v4.new_output("stream", name="stdout",
                                     text="history:\n_secret_ref = [1, 2, 3]\nok\n")
    nb.cells = [_test_cell(TEST_SRC, [_error(ename, evalue, line)]),
                nbformat.v4.new_code_cell("print(In)", outputs=[printed])]
    out, _ = feedback.ScrubForFeedback().preprocess(nb, {})
    test, later = out.cells
    assert "_secret_ref" not in test.source and "HIDDEN" not in test.source
    assert "check(len(x) == 3" in test.source
    err = test.outputs[0]
    assert err.evalue == shown
    assert err.traceback == [f"{ename}: {shown}"]
    assert later.outputs[0].text == "history:\nok\n"


# ------------------------------------------------------------------ score
def test_log_problems_translate_nbgrader_warnings():
    log = ("[WARNING] Attribute 'cell_type' for cell ex1_test has changed! (should be: code, "
           "got: markdown)\n[WARNING] Missing grade cell ex2_test encountered, adding to "
           "notebook\n[INFO] something else\n")
    assert score.log_problems(log) == [
        "cell ex1_test had its type changed; the original type was restored",
        "graded cell ex2_test was deleted; the original was put back"]


def test_cell_problems_skip_untouched_stubs():
    nb = nbformat.v4.new_notebook()
    stub = nbformat.v4.new_code_cell("raise NotImplementedError()")
    stub.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="",
                                           traceback=[])]
    boom = nbformat.v4.new_code_cell("1/0")
    boom.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
                                           evalue="division by zero", traceback=[])]
    echo = nbformat.v4.new_code_cell("print(board)")
    echo.outputs = [nbformat.v4.new_output("error", ename="NameError",
                                           evalue="name 'board' is not defined", traceback=[])]
    nb.cells = [boom, echo, stub, echo]
    assert score.cell_problems(nb) == ["cell 0: raised ZeroDivisionError: division by zero",
                                       "cell 1: raised NameError: name 'board' is not defined"]


# ----------------------------------------------------------------- report
def test_report_outputs(tmp_path):
    tests = {"ex1_test": 2.0, "ex2_test": 3.0}
    records = [Record("bo", "h1", "s", {"ex1_test": (2.0, 2.0), "ex2_test": (0.0, 3.0)},
                      ["cell 4: ran past the 20 s time limit"]),
               Record("al", "h2", "s", {"ex1_test": (2.0, 2.0), "ex2_test": (3.0, 3.0)})]
    path = report.write_report(tmp_path, SLUG, records, tests)
    rows = list(csv.reader((tmp_path / "grades.csv").open()))
    assert rows == [["student_id", "ex1_test", "ex2_test", "total", "max"],
                    ["al", "2", "3", "5", "5"], ["bo", "2", "0", "2", "5"]]
    html = path.read_text()
    assert "100%" in html and "50%" in html  # pass rates of ex1 and ex2
    assert "ran past the 20 s time limit" in html
    assert (tmp_path / "score_histogram.png").read_bytes()[:4] == b"\x89PNG"


# ------------------------------------------------------- prepare + merge
def test_prepare_and_central_gradebook(tmp_path):
    """Registering twice is fine; workers' template holds no student data; store is idempotent."""
    import sqlite3

    from autograder.grading.assignment import prepare
    from autograder.grading.merge import CentralGradebook
    from autograder.grading.sample import SAMPLE_ROOT

    ws = tmp_path / "ws"
    ws.mkdir()
    url = f"sqlite:///{ws / 'gradebook.db'}"
    bundle = prepare(SLUG, ws, url, SAMPLE_ROOT)
    assert bundle.test_cells == {"ex1_squares_test": 2.0, "ex2_standardize_test": 3.0}
    assert list(bundle.files) == ["numbers.csv"]
    assert (ws / "release" / SLUG / f"{SLUG}.ipynb").exists()
    rec = Record("zoe", "abc", bundle.source_hash, {"ex1_squares_test": (0.0, 2.0),
                                                    "ex2_standardize_test": (0.0, 3.0)},
                 ["no notebook found"])
    with CentralGradebook(url) as central:
        central.store(SLUG, rec)
        rec.scores["ex1_squares_test"] = (2.0, 2.0)
        central.store(SLUG, rec, grades={"ex1_squares_test": {"auto_score": 2.0,
                                                             "needs_manual_grade": False}})
        assert central.records(SLUG)["zoe"].autograded == 2.0
        assert len(central.gb.assignment_submissions(SLUG)) == 1
        assert central.check_consistent(SLUG) == []

    again = prepare(SLUG, ws, url, SAMPLE_ROOT)
    assert again.source_hash == bundle.source_hash
    template = tmp_path / "template.db"
    template.write_bytes(again.gradebook)
    con = sqlite3.connect(template)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    assert "dlcourse_graded" not in tables
    assert con.execute("select count(*) from student").fetchone() == (0,)
    assert con.execute("select count(*) from grade_cells").fetchone() == (3,)  # 2 tests + answer
    assert b"zoe" not in again.gradebook
    con.close()

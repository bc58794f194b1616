"""End-to-end grading of the sample assignment: full marks, zero, rerun, zip, kill -9."""
from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import ROOT
from autograder.grading import grade
from autograder.grading.sample import SAMPLE_ROOT, SAMPLE_SLUG, solution, student_edition

pytestmark = pytest.mark.slow
SLUG = SAMPLE_SLUG
HIDDEN_SNIPPETS = ["_expected_squares", "_want_hidden", "_x_hidden", "HIDDEN TESTS",
                   "3.0, 7.0, 11.0, 19.0", "should have std 1"]
FAST = dict(workers=2, cell_timeout=60, notebook_timeout=180, memory_mb=4096,
            source_root=SAMPLE_ROOT, progress=False)


@pytest.fixture(scope="module")
def editions():
    return {"solution": solution(SLUG, SAMPLE_ROOT), "stub": student_edition(SLUG, SAMPLE_ROOT)}


def wrong_ex1(stub: bytes) -> bytes:
    """The student edition with exercise 1 answered wrongly and exercise 2 right."""
    nb = nbformat.reads(stub.decode(), as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "ex1_squares":
            cell.source = "squares = np.arange(10) * 2"
        elif gid == "ex2_standardize":
            cell.source = ("def standardize(x):\n    x = np.asarray(x, dtype=float)\n"
                           "    return (x - x.mean()) / x.std()")
    return nbformat.writes(nb).encode()


def make_folder(root: Path, notebooks: dict[str, bytes]) -> Path:
    for student, data in notebooks.items():
        (root / student).mkdir(parents=True)
        (root / student / f"{SLUG}.ipynb").write_bytes(data)
    return root


def assert_no_hidden(html: str) -> None:
    for snippet in HIDDEN_SNIPPETS:
        assert snippet not in html, f"feedback leaks hidden test text {snippet!r}"


def test_solution_full_marks_stub_zero_and_rerun(tmp_path, editions):
    subs = make_folder(tmp_path / "subs", {"alice": editions["solution"],
                                           "bob": editions["stub"],
                                           "carol": wrong_ex1(editions["stub"])})
    ws = tmp_path / "ws"
    results = {r.student: r for r in grade(SLUG, subs, ws, **FAST)}

    alice, bob, carol = results["alice"], results["bob"], results["carol"]
    assert alice.scores == {"ex1_squares_test": (2.0, 2.0), "ex2_standardize_test": (3.0, 3.0)}
    assert (alice.autograded, alice.autograded_max) == (5.0, 5.0)
    assert alice.problems == []
    assert bob.autograded == 0.0 and bob.autograded_max == 5.0
    assert bob.problems == []  # an untouched exercise is not a problem of the notebook
    assert carol.scores == {"ex1_squares_test": (0.0, 2.0), "ex2_standardize_test": (3.0, 3.0)}

    rows = list(csv.DictReader((ws / "grades.csv").open()))
    assert [r["student_id"] for r in rows] == ["alice", "bob", "carol"]
    assert rows[2] == {"student_id": "carol", "ex1_squares_test": "0",
                       "ex2_standardize_test": "3", "total": "3", "max": "5"}

    for r in results.values():
        assert r.feedback_path == ws / "feedback" / r.student / f"{SLUG}.html"
        assert_no_hidden(r.feedback_path.read_text())
    carol_html = carol.feedback_path.read_text()
    assert "a hidden test failed" in carol_html
    assert "squares does not hold the requested values" in carol_html  # author's message
    report = (ws / "report.html").read_text()
    assert "ex1_squares_test" in report and "score_histogram.png" in report
    assert (ws / "score_histogram.png").stat().st_size > 1000
    # nbgrader's own gradebook agrees (formgrader / nbgrader export read it)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{ws / 'gradebook.db'}", "dlcourse") as gb:
        assert len(gb.assignment_submissions(SLUG)) == 3
        assert gb.find_submission(SLUG, "alice").score == 5.0
        assert gb.find_submission(SLUG, "carol").score == 3.0
        # the written answer waits for a human in formgrader
        assert gb.find_submission(SLUG, "alice").needs_manual_grade

    # after manual grading, nbgrader's own generate_feedback in the workspace scrubs too
    out = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", SLUG, "--force"],
                         cwd=ws, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    nb_feedback = (ws / "feedback" / "carol" / SLUG / f"{SLUG}.html").read_text()
    assert_no_hidden(nb_feedback)
    assert "a hidden test failed" in nb_feedback

    # rerun: nothing changed → nothing executed; bob edits his notebook → only bob
    again = {r.student: r for r in grade(SLUG, subs, ws, **FAST)}
    assert all(r.reused for r in again.values())
    nb = nbformat.reads(editions["stub"].decode(), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "ex1_squares":
            cell.source = "squares = np.arange(10) ** 2"
    (subs / "bob" / f"{SLUG}.ipynb").write_text(nbformat.writes(nb))
    third = {r.student: r for r in grade(SLUG, subs, ws, **FAST)}
    assert [s for s, r in third.items() if not r.reused] == ["bob"]
    assert third["bob"].scores == {"ex1_squares_test": (2.0, 2.0),
                                   "ex2_standardize_test": (0.0, 3.0)}
    with Gradebook(f"sqlite:///{ws / 'gradebook.db'}", "dlcourse") as gb:
        assert len(gb.assignment_submissions(SLUG)) == 3


def test_zip_download_with_lms_names(tmp_path, editions):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"dave_1234_5678_{SLUG}.ipynb", editions["solution"])
        z.writestr("erin_2222_3333_homework.ipynb", editions["stub"])
        z.writestr("readme.txt", "not a notebook")
    pattern = r"^(?P<student_id>[^_]+)_\d+_\d+_(?P<file_id>.+\.ipynb)$"
    results = {r.student: r for r in grade(SLUG, archive, tmp_path / "ws", zip_pattern=pattern,
                                           **FAST)}
    assert results["dave"].autograded == 5.0
    assert results["erin"].autograded == 0.0
    assert any("named homework.ipynb" in p for p in results["erin"].problems)


def test_cli_kill_9_then_rerun_grades_only_the_rest(tmp_path, editions):
    students = {f"s{i}": editions["solution"] if i % 2 == 0 else editions["stub"]
                for i in range(4)}
    subs = make_folder(tmp_path / "subs", students)
    ws = tmp_path / "ws"
    cmd = [sys.executable, "-m", "autograder", "grade", SLUG, str(subs), "--workspace", str(ws),
           "--workers", "1", "--no-progress", "--source-root", str(SAMPLE_ROOT)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((ws / "feedback").glob("*/*.html")):
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the coordinator, its worker and kernels
    proc.wait()
    done_before = {p.parent.name for p in (ws / "feedback").glob("*/*.html")}
    assert 1 <= len(done_before) < 4, "the run should have been killed half-way"

    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "graded now" in out.stdout
    from autograder.grading.merge import CentralGradebook

    with CentralGradebook(f"sqlite:///{ws / 'gradebook.db'}") as central:
        records = central.records(SLUG)
        assert sorted(records) == sorted(students)
        assert central.check_consistent(SLUG) == []
        assert len(central.gb.assignment_submissions(SLUG)) == 4
    for s, data in students.items():
        expected = 5.0 if data == editions["solution"] else 0.0
        assert records[s].autograded == expected, s
    m = re.search(r"(\d+) graded now, (\d+) unchanged", out.stdout)
    graded_now, reused = int(m.group(1)), int(m.group(2))
    assert graded_now + reused == 4
    # feedback is written just before the record: one may have to be graded again
    assert len(done_before) - 1 <= reused <= len(done_before)


def test_workspace_config_uses_a_private_writable_exchange(tmp_path):
    """The formgrader warns (and release/collect break) if the exchange is the unwritable default."""
    from traitlets.config import Config

    from autograder.grading.assignment import workspace_config

    text = workspace_config(tmp_path, f"sqlite:///{tmp_path / 'gradebook.db'}")
    cfg = Config()
    exec(compile(text, "nbgrader_config.py", "exec"),
         {"get_config": lambda: cfg, "load_subconfig": lambda path: None})
    assert cfg.Exchange.root == str(tmp_path / ".exchange")
    assert cfg.CourseDirectory.root == str(tmp_path)

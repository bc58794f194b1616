"""End to end in a real browser (Debian's chromium driven by Playwright).

Student: JupyterLab on a copy of course/ (fast + stand-in modes), run every cell of a
chapter, only the exercise stubs and their tests may fail; type one answer with the
keyboard, run its visible test, press nbgrader's Validate button and read the dialog.

Instructor: grade one filled-in submission with the autograder, open the workspace's
formgrader, see the chapters listed, open the graded submission.

Screenshots and server logs go to artifacts/browser/ (printed by each test; a failing
test also leaves ``*_failure.png`` there).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from browser_support import (
    ARTIFACTS,
    ROOT,
    JupyterServer,
    Notebook,
    descendants,
    launch_browser,
    server_env,
)

from dlcourse.testing import nbgrader_meta

PREFERRED_CHAPTER = "01_getting_started"
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.M)
# generous: the CI machine has 2 cores, and a loaded one is several times slower
PAGE_TIMEOUT_S = 600


def chapter_slug() -> str:
    """01_getting_started when it exists, else the first chapter with both editions."""
    def complete(slug: str) -> bool:
        return ((ROOT / "course" / slug / f"{slug}.ipynb").exists()
                and (ROOT / "solutions" / slug / f"{slug}.ipynb").exists())

    if complete(PREFERRED_CHAPTER):
        return PREFERRED_CHAPTER
    slugs = sorted(p.name for p in (ROOT / "course").iterdir() if p.is_dir() and complete(p.name))
    if not slugs:
        pytest.fail("no chapter has both course/SLUG/SLUG.ipynb and solutions/SLUG/SLUG.ipynb; "
                    "run `python -m autograder release`")
    return slugs[0]


def browser_setup():
    """tools/browser_setup.py as a module."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import browser_setup
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return browser_setup


@pytest.fixture(scope="module")
def chromium() -> Path:
    setup = browser_setup()
    try:
        path, version = setup.ensure_chromium()
    except setup.BrowserUnavailable as e:
        pytest.skip(f"browser test skipped, no usable chromium: {e}")
    print(f"browser: {path} ({version})")
    return path


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"browser test artifacts: {ARTIFACTS}")
    return ARTIFACTS


def course_modes() -> dict[str, str]:
    """Fast + stand-in modes and the data mirror, inherited by every kernel."""
    env = {"DLCOURSE_FAST": "1", "DLCOURSE_STANDIN": "1"}
    if os.environ.get("DLCOURSE_MIRROR"):
        env["DLCOURSE_MIRROR"] = os.environ["DLCOURSE_MIRROR"]
    return env


class Timer:
    def __init__(self, name: str, folder: Path):
        self.path = folder / f"{name}_timings.txt"
        self.start = self.last = time.monotonic()
        self.lines: list[str] = []

    def lap(self, what: str) -> None:
        now = time.monotonic()
        self.lines.append(f"{what:<40} {now - self.last:7.1f} s")
        self.last = now
        self.path.write_text("\n".join(self.lines + [f"{'total':<40} {now - self.start:7.1f} s"])
                             + "\n")
        print(self.lines[-1], flush=True)


@contextlib.contextmanager
def server_log_on_failure(server: JupyterServer):
    """On failure: the end of the server log in the error message."""
    try:
        yield
    except Exception as e:
        what = str(e) if isinstance(e, AssertionError) else f"{type(e).__name__}: {e}"
        raise AssertionError(
            f"{what}\n\nserver log: {server.log_path}\n"
            f"--- end of the server log ---\n{server.log_tail()}") from e


@contextlib.contextmanager
def screenshot_on_failure(page, path: Path):
    """On failure: a screenshot of the page as it was (taken before the browser closes)."""
    try:
        yield
    except Exception as e:
        try:
            page.screenshot(path=str(path))
            note = f"screenshot of the page: {path}"
        except Exception as shot_error:
            note = f"no screenshot ({shot_error})"
        what = str(e) if isinstance(e, AssertionError) else f"{type(e).__name__}: {e}"
        raise AssertionError(f"{what}\n{note}") from e


def exercise_map(nb) -> tuple[dict[int, str], dict[str, list[int]]]:
    """(solution code cell index -> grade_id, grade_id -> indices of its test cells)."""
    answers: dict[int, str] = {}
    tests: dict[str, list[int]] = {}
    current = None
    for i, cell in enumerate(nb.cells):
        m = nbgrader_meta(cell)
        if cell.cell_type == "code" and m.get("solution") and not m.get("grade"):
            current = m["grade_id"]
            answers[i] = current
            tests[current] = []
        elif cell.cell_type == "code" and m.get("grade") and current is not None:
            tests[current].append(i)
    return answers, tests


@dataclass
class StudentCopy:
    """A chapter in the served copy of course/, and the exercise the test answers."""

    slug: str
    rel: str                        # path below the server root
    file: Path
    stub: nbformat.NotebookNode     # the student edition as released
    answers: dict[int, str]         # answer cell index -> grade_id
    tests: dict[str, list[int]]     # grade_id -> its test cell indices
    cell: int = 0                   # the exercise typed in: its answer cell,
    answer: str = ""                # the reference answer (no indented line),
    its_tests: list[int] = field(default_factory=list)  # and its test cells

    @classmethod
    def load(cls, served: Path, slug: str) -> StudentCopy:
        rel = f"{slug}/{slug}.ipynb"
        stub = nbformat.read(served / rel, as_version=4)
        answers, tests = exercise_map(stub)
        copy = cls(slug, rel, served / rel, stub, answers, tests)
        source = nbformat.read(ROOT / "solutions" / slug / f"{slug}.ipynb", as_version=4)
        reference = {nbgrader_meta(c).get("grade_id"): MARKER.sub("", c.source).strip()
                     for c in source.cells if nbgrader_meta(c).get("solution")}
        for i, gid in answers.items():
            answer = reference.get(gid, "")
            if answer and tests[gid] and not any(line[:1].isspace()
                                                 for line in answer.splitlines()):
                copy.cell, copy.answer, copy.its_tests = i, answer, tests[gid]
                return copy
        pytest.fail(f"{slug}: no exercise with a flat (unindented) reference answer to type")


def clear_artifacts(folder: Path, prefix: str, shots: list[str]) -> None:
    """Remove this test's files from an earlier run, so every file left is from this one."""
    for path in [*folder.glob(f"{prefix}_*"), *(folder / s for s in shots)]:
        path.unlink(missing_ok=True)


@pytest.mark.browser
@pytest.mark.slow
def test_student_runs_chapter_fills_an_answer_and_validates(chromium, artifacts, tmp_path):
    from playwright.sync_api import sync_playwright

    clear_artifacts(artifacts, "student", ["student_notebook.png", "validation_dialog.png"])
    timer = Timer("student", artifacts)
    # serve a copy: the Validate button saves the notebook, course/ must stay untouched
    served = tmp_path / "course"
    shutil.copytree(ROOT / "course", served,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    chapter = StudentCopy.load(served, chapter_slug())

    server = JupyterServer(root_dir=served, cwd=served, log_path=artifacts / "student_server.log",
                           env=server_env(course_modes(), tmp_path / "jupyter"))
    with server_log_on_failure(server):
        server.start()
        timer.lap(f"jupyter lab start (port {server.port})")
        try:
            with sync_playwright() as pw:
                context = launch_browser(pw, chromium, tmp_path / "profile")
                page = context.new_page()
                with screenshot_on_failure(page, artifacts / "student_failure.png"):
                    student_session(Notebook(page, server, chapter.rel, PAGE_TIMEOUT_S),
                                    chapter, timer, artifacts)
                context.close()
        finally:
            forced = server.stop()
    timer.lap("stop server (nothing left running)")
    saved = nbformat.read(chapter.file, as_version=4)
    assert saved.cells[chapter.cell].source.strip() == chapter.answer, \
        "Validate did not save the typed answer"
    assert not forced, f"had to kill processes the server left behind: {forced}"


def student_session(notebook: Notebook, chapter: StudentCopy, timer: Timer,
                    artifacts: Path) -> None:
    page = notebook.page
    notebook.open()
    timer.lap(f"open {chapter.rel}, kernel idle")

    rounds = notebook.run_everything()
    notebook.save()
    timer.lap(f"run every cell ({rounds} rounds of Run All/Below)")
    check_run_outputs(nbformat.read(chapter.file, as_version=4), chapter.answers, chapter.tests)

    typed = notebook.type_into(chapter.cell, chapter.answer)
    assert typed.strip() == chapter.answer, (
        f"the editor holds something else than what was typed:\n{typed!r}\n"
        f"typed:\n{chapter.answer!r}")
    notebook.run_cells(chapter.cell, max(chapter.its_tests))
    for t in chapter.its_tests:
        out = notebook.output_text(t)
        assert not notebook.has_error_output(t) and "passed" in out, (
            f"the visible test (cell {t}) of the typed answer did not pass:\n{out}")
    notebook.cell(max(chapter.its_tests)).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "student_notebook.png"))
    timer.lap("type one answer, run its visible test")

    result = notebook.validate()
    page.screenshot(path=str(artifacts / "validation_dialog.png"))
    timer.lap("Validate button -> dialog")
    check_validation(result, chapter.stub, chapter.tests, chapter.answers[chapter.cell])
    notebook.close_dialog()


def check_run_outputs(nb, answers: dict[int, str], tests: dict[str, list[int]]) -> None:
    """Every code cell ran; errors only in the stubs (NotImplementedError) and their tests."""
    test_cells = {i for ids in tests.values() for i in ids}
    not_run, unexpected, stubs_silent = [], [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.execution_count is None:
            not_run.append(i)
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if i in answers:
            if not any(o.ename == "NotImplementedError" for o in errors):
                stubs_silent.append(f"cell {i} ({answers[i]})")
        elif errors and i not in test_cells:
            unexpected.append(f"cell {i}: {errors[0].ename}: {errors[0].evalue}")
    assert not not_run, f"code cells that never ran: {not_run}"
    assert not unexpected, "errors outside the exercise stubs and their tests:\n" + \
        "\n".join(unexpected)
    assert not stubs_silent, f"stubs that did not raise NotImplementedError: {stubs_silent}"


def check_validation(result, nb, tests: dict[str, list[int]], answered: str) -> None:
    """The dialog lists exactly what is still unanswered: the test cells of the other
    exercises and the written answers (nbgrader scores an untouched answer cell 0)."""
    assert result.title == "Validation Results", f"{result.title}: {result.text[:2000]}"
    assert "validation-failed" in result.body_class, result.text[:2000]
    expected = {nb.cells[i].source.strip() for gid, ids in tests.items() if gid != answered
                for i in ids}
    expected |= {c.source.strip() for c in nb.cells
                 if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")}
    listed = {f["source"].strip() for f in result.failed}
    answered_tests = {nb.cells[i].source.strip() for i in tests[answered]}
    assert not listed & answered_tests, "Validate reports the answered exercise's test as failed"
    assert listed == expected, (
        f"Validate listed {len(listed)} failed cells, expected the {len(expected)} test and "
        f"answer cells of the unanswered exercises;\nunexpected: {sorted(listed - expected)}\n"
        f"missing: {sorted(expected - listed)}")


@pytest.mark.browser
@pytest.mark.slow
def test_instructor_opens_graded_submission_in_formgrader(chromium, artifacts, tmp_path):
    from chapter_tools import filled_submission
    from playwright.sync_api import sync_playwright

    from autograder.grading import grade

    clear_artifacts(artifacts, "instructor",
                    ["formgrader_assignments.png", "formgrader_submission.png"])
    slug = chapter_slug()
    timer = Timer("instructor", artifacts)
    subs = tmp_path / "submissions" / "student_a"
    subs.mkdir(parents=True)
    nbformat.write(filled_submission(slug), subs / f"{slug}.ipynb")
    ws = tmp_path / "workspace"
    (result,) = grade(slug, subs.parent, ws, workers=1, progress=False)
    timer.lap(f"autograde one filled {slug} submission")
    assert result.problems == [] and result.autograded == result.autograded_max > 0, result
    # the course as an instructor keeps it: every chapter's source next to the graded one
    chapters = sorted(p.name for p in (ROOT / "solutions").iterdir()
                      if (p / f"{p.name}.ipynb").exists())
    for other in chapters:
        if not (ws / "source" / other).exists():
            shutil.copytree(ROOT / "solutions" / other, ws / "source" / other,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))

    server = JupyterServer(root_dir=ws, cwd=ws, log_path=artifacts / "instructor_server.log",
                           env=server_env({}, tmp_path / "jupyter"))
    with server_log_on_failure(server):
        server.start()
        timer.lap(f"jupyter lab start in the workspace (port {server.port})")
        try:
            with sync_playwright() as pw:
                context = launch_browser(pw, chromium, tmp_path / "profile")
                page = context.new_page()
                page.set_default_timeout(PAGE_TIMEOUT_S * 1000)
                with screenshot_on_failure(page, artifacts / "instructor_failure.png"):
                    instructor_session(page, server, slug, chapters, result, timer, artifacts)
                context.close()
        finally:
            forced = server.stop()
    timer.lap("stop server (nothing left running)")
    assert not forced, f"had to kill processes the server left behind: {forced}"


def instructor_session(page, server, slug, chapters, result, timer, artifacts) -> None:
    page.goto(f"{server.url}/formgrader?token={server.token}")
    rows = page.locator("table tbody tr")
    page.locator("table tbody td a", has_text=chapters[-1]).wait_for()
    listed = [r.split("\t")[0].strip() for r in rows.all_inner_texts()]
    assert set(chapters) <= set(listed), f"formgrader lists {listed}, expected {chapters}"
    n_subs = rows.filter(has=page.locator("td a", has_text=slug)).first \
        .locator(f"a[href$='/manage_submissions/{slug}']")
    assert n_subs.inner_text().strip() == "1", f"{slug}: submissions {n_subs.inner_text()!r}"
    page.screenshot(path=str(artifacts / "formgrader_assignments.png"))
    timer.lap("formgrader: assignments listed")

    page.locator("a", has_text="Manual Grading").first.click()
    page.wait_for_url(re.compile(r".*/formgrader/gradebook/?$"))
    page.locator("td a", has_text=slug).first.click()                       # the assignment
    page.wait_for_url(re.compile(rf".*/formgrader/gradebook/{slug}/?$"))
    page.locator("td a", has_text=slug).first.click()                       # its notebook
    page.wait_for_url(re.compile(rf".*/formgrader/gradebook/{slug}/{slug}/?$"))
    row = page.locator("table tbody tr", has_text="Submission #1")
    code_score = f"{result.autograded:g} / {result.autograded_max:g}"
    assert code_score in row.inner_text(), f"code score {code_score}? {row.inner_text()}"
    row.locator("a", has_text="Submission #1").click()
    page.wait_for_url(re.compile(r".*/formgrader/submissions/[0-9a-f]+/?$"))
    # the autograder's score of each test cell is the placeholder of its score field
    for gid, (got, _points) in result.scores.items():
        field = page.locator(f"input.score[id='{gid}']")
        field.wait_for()
        shown = field.get_attribute("placeholder")
        assert shown and float(shown) == got, f"{gid}: formgrader shows {shown!r}, graded {got}"
    first_test = next(iter(result.scores))
    page.locator(f"input.score[id='{first_test}']").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -300)")
    page.screenshot(path=str(artifacts / "formgrader_submission.png"))
    timer.lap("formgrader: graded submission open")


# ---------------------------------------------------------------- the helpers themselves (quick)
def test_browser_setup_rejects_a_bad_chromium_override(monkeypatch, tmp_path):
    setup = browser_setup()
    monkeypatch.setenv("DLCOURSE_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(setup.BrowserUnavailable, match="not an executable file"):
        setup.ensure_chromium(install=False)
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'not a browser'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("DLCOURSE_CHROMIUM", str(fake))
    with pytest.raises(setup.BrowserUnavailable, match="--version failed"):
        setup.ensure_chromium(install=False)


def test_descendants_include_children_in_their_own_session():
    """Kernels start with setsid: stopping a server must still find them."""
    parent = subprocess.Popen(["sh", "-c", "setsid sleep 120 & echo $!; wait"],
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    child = int(parent.stdout.readline())
    try:
        assert child in descendants(parent.pid)
        assert os.getsid(child) != os.getsid(parent.pid)  # out of the server's group
    finally:
        os.kill(child, 15)
        parent.wait(10)
    assert child not in descendants(parent.pid)

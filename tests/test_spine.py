"""Tests for the course spine: modes, checks, nbsource, release/check, notebook runner."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import nbsource, release
from dlcourse import checks, config
from dlcourse.testing import NotebookFailure, run_notebook

ROOT = Path(__file__).resolve().parent.parent
MINI = (Path(__file__).parent / "fixtures" / "mini_chapter.txt").read_text()


# ---------------------------------------------------------------- modes
def test_modes_follow_environment(monkeypatch):
    monkeypatch.setenv("DLCOURSE_FAST", "1")
    assert config.fast_mode() and config.pick(full=40, fast=2) == 2
    monkeypatch.setenv("DLCOURSE_FAST", "0")
    assert not config.fast_mode() and config.pick(full=40, fast=2) == 40
    monkeypatch.delenv("DLCOURSE_FAST")
    assert not config.fast_mode()
    monkeypatch.setenv("DLCOURSE_STANDIN", "yes")
    assert config.standin_mode()


def test_bad_mode_value_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DLCOURSE_FAST", "maybe")
    with pytest.raises(ValueError, match="DLCOURSE_FAST='maybe'.*use 1"):
        config.fast_mode()


def test_setup_seeds_numpy_and_reports_mode(monkeypatch, capsys):
    monkeypatch.setenv("DLCOURSE_FAST", "1")
    assert config.setup(seed=3, plots=False) is True
    a = np.random.rand(3)
    config.setup(seed=3, plots=False)
    assert np.array_equal(a, np.random.rand(3))
    assert "fast mode" in capsys.readouterr().out


def test_importing_dlcourse_does_not_import_tensorflow():
    code = "import sys, dlcourse, dlcourse.checks, dlcourse.plots; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- checks
def test_require_explains_missing_answer():
    with pytest.raises(checks.ExerciseNotAttempted, match="Not attempted yet: `board`"):
        checks.require("board", {})
    with pytest.raises(AssertionError, match="should be a function"):
        checks.require("f", {"f": 3}, kind="function")
    assert checks.require("f", {"f": len}, kind="function") is len


def test_check_close_never_prints_the_expected_value():
    with pytest.raises(AssertionError) as e:
        checks.check_close([1.0, 2.0], [1.0, 123.456], "means")
    assert "123.456" not in str(e.value) and "means" in str(e.value)
    checks.check_close([1.0, 2.0], [1.0, 2.0 + 1e-9], "means")


def test_shape_between_columns_layers_figure():
    checks.check_shape(np.zeros((3, 4)), (3, None), "x")
    with pytest.raises(AssertionError, match=r"shape \(3, 4\)"):
        checks.check_shape(np.zeros((3, 4)), (4, 3), "x")
    with pytest.raises(AssertionError, match="too low"):
        checks.check_between(0.5, 0.8, 1.0, "accuracy")
    with pytest.raises(AssertionError, match="NaN"):
        checks.check_between(float("nan"), 0, 1, "loss")
    import pandas as pd

    with pytest.raises(AssertionError, match=r"\['b'\]"):
        checks.check_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "df")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    with pytest.raises(AssertionError, match="at least 1 plot"):
        checks.check_figure(fig)
    ax.plot([1, 2])
    with pytest.raises(AssertionError, match="title"):
        checks.check_figure(fig, need_title=True)
    ax.set_title("t")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    checks.check_figure(fig, need_title=True, need_labels=True)
    plt.close(fig)


def test_check_layers():
    class L:  # stands in for a Keras layer: only the class name matters
        pass

    class Dense(L):
        pass

    class Model:
        layers = [Dense(), Dense()]

    checks.check_layers(Model(), ["Dense", "*"])
    with pytest.raises(AssertionError, match="has layers"):
        checks.check_layers(Model(), ["Conv2D", "Dense"])


# ---------------------------------------------------------------- nbsource
def test_nbsource_builds_nbgrader_cells_and_round_trips():
    nb = nbsource.text_to_notebook(MINI)
    nbformat.validate(nb)
    meta = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]
            for c in nb.cells if "nbgrader" in c.metadata}
    assert meta["ex1_double"]["solution"] and not meta["ex1_double"]["grade"]
    assert meta["ex1_double_test"]["grade"] and meta["ex1_double_test"]["locked"]
    assert meta["ex1_double_test"]["points"] == 2
    assert meta["ex2_why"]["grade"] and meta["ex2_why"]["solution"]
    assert all(m["schema_version"] == 3 for m in meta.values())
    assert [c.cell_type for c in nb.cells][-1] == "markdown"
    again = nbsource.text_to_notebook(nbsource.notebook_to_text(nb))
    assert [(c.cell_type, c.source, c.metadata) for c in again.cells] == \
           [(c.cell_type, c.source, c.metadata) for c in nb.cells]


@pytest.mark.parametrize("bad, message", [
    ("# %% [wat] id=x\n1\n", "unknown cell kind"),
    ("# %% [solution]\nx = 1\n", "needs id="),
    ("x = 1\n", "before the first"),
    ("# %% [solution] id=a\n1\n# %% [solution] id=a\n2\n", "duplicate id=a"),
    ("# %% [markdown]\nnot commented\n", "must start with '# '"),
])
def test_nbsource_rejects_malformed_text(bad, message):
    with pytest.raises(nbsource.SourceError, match=message):
        nbsource.text_to_notebook(bad)


# ---------------------------------------------------------------- release / check
@pytest.fixture
def mini_root(tmp_path):
    nbsource.write_notebook(nbsource.text_to_notebook(MINI),
                            tmp_path / "solutions" / "99_mini" / "99_mini.ipynb")
    (tmp_path / "solutions" / "99_mini" / "asset.txt").write_text("data for the chapter")
    return tmp_path


def test_release_strips_solutions_and_hidden_tests(mini_root):
    release.release(root=mini_root)
    out = mini_root / "course" / "99_mini"
    assert (out / "asset.txt").read_text() == "data for the chapter"
    text = (out / "99_mini.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "HIDDEN" not in text
    assert "return 2 * x" not in text and "raise NotImplementedError()" in text
    assert "YOUR ANSWER HERE" in text and "twice" not in text
    assert release.check(root=mini_root) == []


def test_release_check_reports_drift(mini_root):
    release.release(root=mini_root)
    nb_path = mini_root / "course" / "99_mini" / "99_mini.ipynb"
    nb = json.loads(nb_path.read_text())
    nb["cells"][0]["source"] = "edited by hand"
    nb_path.write_text(json.dumps(nb))
    (mini_root / "course" / "old_chapter").mkdir()
    problems = release.check(root=mini_root)
    assert any("99_mini.ipynb: differs" in p for p in problems)
    assert any("old_chapter" in p for p in problems)


def test_release_unknown_slug_is_a_clear_error(mini_root):
    with pytest.raises(release.ReleaseError, match="known chapters: 99_mini"):
        release.release(["42_nope"], root=mini_root)


# ---------------------------------------------------------------- notebook runner + check CLI
@pytest.mark.slow
def test_run_notebook_and_check_cli(mini_root, tmp_path):
    src = mini_root / "solutions" / "99_mini" / "99_mini.ipynb"
    result = run_notebook(src, timeout=120)
    assert [c.grade_id for c in result.tests] == ["ex1_double_test"] and not result.errors
    release.release(root=mini_root)
    stub = mini_root / "course" / "99_mini" / "99_mini.ipynb"
    with pytest.raises(NotebookFailure) as e:
        run_notebook(stub, timeout=120)
    assert "NotImplementedError" in str(e.value) and e.value.grade_id == "ex1_double_test"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run([sys.executable, "-m", "autograder", "check", str(src)],
                        capture_output=True, text=True, env=env, cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 passed, 0 failed" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "autograder", "check", str(stub)],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert bad.returncode == 1 and "✗ ex1_double_test" in bad.stdout


# ---------------------------------------------------------------- make lab
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_lab_starts_headless_and_serves_lab():
    port, token = _free_port(), "dlcourse-test"
    proc = subprocess.Popen([sys.executable, str(ROOT / "tools" / "lab.py"), "--port", str(port),
                             "--token", token, "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        deadline, status = time.monotonic() + 90, None
        while time.monotonic() < deadline and status != 200:
            if proc.poll() is not None:
                pytest.fail("jupyter lab exited early:\n" + proc.stdout.read())
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}",
                                            timeout=5) as r:
                    status = r.status
                    body = r.read().decode()
            except OSError:
                time.sleep(1)
        assert status == 200, "JupyterLab did not answer on /lab within 90 s"
        assert "JupyterLab" in body
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def test_venv_ok_detects_missing_venv(tmp_path):
    code = subprocess.call([sys.executable, str(ROOT / "tools" / "venv_ok.py"), str(tmp_path / "nope")])
    assert code == 1
    assert subprocess.call([sys.executable, str(ROOT / "tools" / "venv_ok.py"),
                            str(Path(sys.executable).parent.parent)]) in (0, 1)


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = ROOT / "README.md"
    assert readme.exists() and "make test" in readme.read_text()
    assert shutil.which("make") is not None


@pytest.mark.slow
def test_setup_silences_tensorflow_startup_chatter():
    code = "from dlcourse import setup; setup(plots=False, verbose=False); import tensorflow as tf; print(tf.__version__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith("2.")
    assert "absl::InitializeLog" not in out.stderr and "cuda" not in out.stderr.lower(), out.stderr


def test_failed_quiet_import_keeps_what_tensorflow_printed(tmp_path):
    fake = tmp_path / "tensorflow"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "import os\nos.write(2, b'libcudart.so: cannot open shared object file\\n')\n"
        "raise ImportError('DLL load failed')\n")
    code = ("from dlcourse import config\n"
            "try:\n    config._import_tensorflow_quietly()\n"
            "except ImportError as e:\n    print('NOTES', getattr(e, '__notes__', []))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"})
    assert "libcudart.so" in out.stdout, out.stdout + out.stderr

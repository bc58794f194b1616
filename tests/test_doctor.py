"""The environment doctor (dlcourse.doctor / check_env.py).

Every failure mode is produced by faking a probe, never by breaking the machine. A few
tests run the real probes against fake programs (a `tensorflow` package that fails to
import, an `nvidia-smi` script, a kernelspec folder), and one runs `check_env.py --json`
for real on this machine.
"""
from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dlcourse import doctor
from dlcourse.doctor import FAIL, OK, SKIP, WARN, ProbeError, Probes, run_checks

ROOT = Path(__file__).resolve().parent.parent

PYPROJECT = """
[project]
name = "dlcourse"
requires-python = ">=3.11"
dependencies = [
  "tensorflow>=2.21,<2.22",
  "keras>=3.15,<3.16",
  "numpy>=2.0",
  "nbgrader==0.9.6",
  "colorama>=0.4; sys_platform == 'win32'",
]
[project.optional-dependencies]
dev = ["pytest>=8"]
"""

LOCK = """# test lock
absl-py==2.5.1
keras==3.15.1
nbgrader==0.9.6
numpy==2.4.6
pytest==9.2.0
tensorflow==2.21.0
"""

REQUIRES = {
    "tensorflow": ["absl-py>=1.0.0", "numpy>=1.26.0",
                   "nvidia-cudnn-cu12==9.3.0; extra == 'and-cuda'"],
    "keras": ["absl-py", "numpy"],
}

HEALTHY_TF = {
    "stage": "done", "import_seconds": 3.2, "tf_version": "2.21.0",
    "tf_file": "/env/lib/python3.11/site-packages/tensorflow/__init__.py",
    "built_with_cuda": True, "cuda_version": "12.5.1", "gpus": ["/physical_device:GPU:0"],
    "compute_device": "/job:localhost/replica:0/task:0/device:GPU:0", "compute_result": 12.0,
    "keras_version": "3.15.1", "keras_backend": "tensorflow", "tf_keras_version": "3.15.1",
    "returncode": 0, "stderr": "", "seconds": 4.0,
}

NVIDIA = {"path": "/usr/bin/nvidia-smi", "ok": True, "error": "",
          "gpus": [{"name": "NVIDIA GeForce RTX 3060", "driver": "550.54.14", "memory": "12288 MiB"}]}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "requirements.lock").write_text(LOCK)
    (tmp_path / "dlcourse").mkdir()
    (tmp_path / "data").mkdir()
    return tmp_path


def _versions() -> dict[str, str]:
    out = {}
    for line in LOCK.splitlines():
        if "==" in line:
            name, version = line.split("==")
            out[name] = version
    out.update({"nvidia-cuda-runtime-cu12": "12.5.82", "nvidia-cudnn-cu12": "9.3.0.75",
                "nvidia-cublas-cu12": "12.5.3.2", "dlcourse": "0.1.0"})
    return out


@pytest.fixture
def healthy(project: Path) -> Probes:
    """A machine where everything is right (with an NVIDIA GPU that TensorFlow sees)."""
    versions = _versions()
    return Probes(
        executable="/env/bin/python",
        prefix="/env",
        version_info=(3, 11, 7),
        platform="linux",
        environ={},
        root=project,
        dist_version=lambda name: versions.get(name),
        dist_requires=lambda name: REQUIRES.get(name, []),
        dlcourse_location_probe=lambda: str(project / "dlcourse" / "__init__.py"),
        which=lambda cmd: "/env/bin/jupyter" if cmd == "jupyter" else None,
        tf_probe=lambda timeout: dict(HEALTHY_TF),
        nvidia_smi=lambda: json.loads(json.dumps(NVIDIA)),
        kernelspec=lambda name: {"argv": ["python", "-m", "ipykernel_launcher", "-f",
                                          "{connection_file}"],
                                 "resource_dir": "/env/share/jupyter/kernels/python3"},
        python_prefix=lambda exe: {"/env/bin/python": "/env"}[exe],
        server_extensions=lambda: {ext: True for ext in doctor.NBGRADER_SERVER_EXTENSIONS}
        | {"jupyterlab": True},
        lab_extensions=lambda: {"installed": {"@jupyter/nbgrader": "0.9.6"}, "disabled": []},
        data_status=lambda: {"cache_dir": str(project / "data"), "rows": [
            {"name": "iris.csv", "cached": True, "verified": True},
            {"name": "titanic-train.csv", "cached": True, "verified": True}]},
        disk_free=lambda path: 80 * 10**9,
        meminfo=lambda: {"MemTotal": 16_000_000, "MemAvailable": 9_000_000},
        keras_config=lambda env: {"path": "/home/me/.keras/keras.json",
                                  "config": {"backend": "tensorflow"}},
    )


def by_id(results) -> dict:
    return {r.id: r for r in results}


def with_(probes: Probes, **changes) -> Probes:
    return dataclasses.replace(probes, **changes)


def versions_with(**changes) -> callable:
    versions = _versions()
    for name, version in changes.items():
        name = name.replace("_", "-")
        if version is None:
            versions.pop(name, None)
        else:
            versions[name] = version
    return lambda name: versions.get(name)


# --------------------------------------------------------------------------------------
# The healthy baseline, the report and the exit code
# --------------------------------------------------------------------------------------


def test_healthy_machine_passes_every_check(healthy):
    results = run_checks(probes=healthy)
    assert [r.id for r in results] == [c.__name__.removeprefix("check_") for c in doctor.CHECKS]
    bad = [(r.id, r.status, r.detail) for r in results if r.status != OK]
    assert bad == []
    assert doctor.usable(results)


def test_main_json_and_exit_codes(healthy, capsys):
    assert doctor.main(["--json"], probes=healthy) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["usable"] is True
    assert {c["id"] for c in payload["checks"]} >= {"python", "packages", "tensorflow", "gpu",
                                                    "kernel", "data", "disk", "ram"}
    broken = with_(healthy, disk_free=lambda path: 10**8)
    assert doctor.main(["--json"], probes=broken) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["usable"] is False
    assert by_id_dicts(payload)["disk"]["status"] == FAIL


def by_id_dicts(payload):
    return {c["id"]: c for c in payload["checks"]}


def test_every_problem_is_reported_at_once(healthy, capsys):
    broken = with_(
        healthy,
        dist_version=versions_with(numpy=None),
        environ={"KERAS_BACKEND": "jax"},
        disk_free=lambda path: 10**9,
        meminfo=lambda: {"MemTotal": 2_000_000, "MemAvailable": 1_000_000},
    )
    assert doctor.main([], probes=broken) == 1
    out = capsys.readouterr().out
    for line in ("✗ Packages", "✗ Keras", "✗ Disk", "✗ RAM", "✓ Python", "✓ Jupyter kernel"):
        assert line in out
    assert "Verdict: NOT READY: 4 problem(s)" in out
    assert "! Pinned versions" in out  # numpy missing also differs from the lock
    assert out.count("fix: ") == 5


def test_warnings_do_not_make_it_unusable(healthy, capsys):
    warned = with_(healthy, tf_probe=lambda t: dict(HEALTHY_TF, gpus=[]), nvidia_smi=lambda: None)
    assert doctor.main([], probes=warned) == 0
    out = capsys.readouterr().out
    assert "! GPU" in out and "Verdict: ready, with 1 warning(s)" in out


def test_report_falls_back_to_ascii_when_the_console_cannot_print_ticks(healthy):
    stream = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    results = run_checks(probes=with_(healthy, disk_free=lambda path: 10**8))
    doctor.print_report(results, file=stream)
    stream.flush()
    text = stream.buffer.getvalue().decode("latin-1")
    assert " X Disk" in text and " ok Python" in text


def test_a_crashing_check_becomes_a_failure_not_a_traceback(healthy):
    def boom():
        raise RuntimeError("meminfo exploded")

    results = by_id(run_checks(probes=with_(healthy, meminfo=boom)))
    assert results["ram"].status == FAIL
    assert "meminfo exploded" in results["ram"].detail
    assert results["disk"].status == OK


def test_quick_mode_does_not_import_tensorflow(healthy):
    def must_not_run(*args):
        raise AssertionError("the slow probes ran in --quick mode")

    results = by_id(run_checks(quick=True, probes=with_(healthy, tf_probe=must_not_run,
                                                        nvidia_smi=must_not_run)))
    assert results["tensorflow"].status == SKIP
    assert results["gpu"].status == SKIP
    assert results["keras"].status == OK  # static checks (env, keras.json, version) still run
    assert doctor.usable(results.values())
    out = io.StringIO()
    doctor.print_report(list(results.values()), file=out)
    assert "(quick: TensorFlow and GPU not probed)" in out.getvalue()


# --------------------------------------------------------------------------------------
# Python and packages
# --------------------------------------------------------------------------------------


def test_old_python(healthy):
    r = by_id(run_checks(probes=with_(healthy, version_info=(3, 10, 12))))["python"]
    assert r.status == FAIL and "3.10.12" in r.detail and "3.11" in r.fix


def test_missing_package(healthy):
    r = by_id(run_checks(probes=with_(healthy, dist_version=versions_with(keras=None))))
    assert r["packages"].status == FAIL
    assert "keras is missing" in r["packages"].detail
    assert "pip install -c" in r["packages"].fix and "requirements.lock" in r["packages"].fix


def test_missing_dependency_of_a_dependency(healthy):
    r = by_id(run_checks(probes=with_(healthy, dist_version=versions_with(absl_py=None))))
    assert r["packages"].status == FAIL
    assert "absl-py is missing (needed by " in r["packages"].detail


def test_extras_and_platform_markers_are_not_required(healthy):
    # nvidia-cudnn-cu12 is only wanted by tensorflow[and-cuda]; colorama only on Windows.
    r = by_id(run_checks(probes=with_(healthy, dist_version=versions_with(
        nvidia_cudnn_cu12=None))))
    assert r["packages"].status == OK


def test_wrong_version_outside_the_supported_range(healthy):
    r = by_id(run_checks(probes=with_(healthy, dist_version=versions_with(keras="3.14.0"))))
    assert r["packages"].status == FAIL
    assert "keras 3.14.0 does not satisfy" in r["packages"].detail
    assert r["pins"].status == WARN and "keras 3.14.0 (lock: 3.15.1)" in r["pins"].detail


def test_version_inside_range_but_not_the_pin_is_a_warning(healthy):
    r = by_id(run_checks(probes=with_(healthy, dist_version=versions_with(numpy="2.1.0"))))
    assert r["packages"].status == OK
    assert r["pins"].status == WARN and "numpy 2.1.0 (lock: 2.4.6)" in r["pins"].detail


def test_missing_dev_tool_is_only_a_warning(healthy):
    results = run_checks(probes=with_(healthy, dist_version=versions_with(pytest=None)))
    r = by_id(results)
    assert r["packages"].status == OK
    assert r["pins"].status == WARN and "pytest" in r["pins"].detail
    assert doctor.usable(results)


def test_course_package_not_importable_or_from_elsewhere(healthy):
    def not_importable():
        raise ProbeError("ModuleNotFoundError: No module named 'dlcourse'")

    r = by_id(run_checks(probes=with_(healthy, dlcourse_location_probe=not_importable)))
    assert r["packages"].status == FAIL and "cannot `import dlcourse`" in r["packages"].detail
    r = by_id(run_checks(probes=with_(
        healthy, dlcourse_location_probe=lambda: "/elsewhere/site-packages/dlcourse/__init__.py")))
    assert r["packages"].status == FAIL and "/elsewhere/site-packages" in r["packages"].detail


# --------------------------------------------------------------------------------------
# TensorFlow and Keras
# --------------------------------------------------------------------------------------


def _tf_error(error, **extra):
    return lambda timeout: {"stage": "tensorflow", "error": error, "traceback": "",
                            "stderr": "", "returncode": 0, **extra}


def test_tensorflow_not_importable(healthy):
    probes = with_(healthy, tf_probe=_tf_error("ModuleNotFoundError: No module named 'tensorflow'"))
    r = by_id(run_checks(probes=probes))
    assert r["tensorflow"].status == FAIL
    assert "No module named 'tensorflow'" in r["tensorflow"].detail
    assert "pip install" in r["tensorflow"].fix
    assert r["keras"].status == SKIP and r["gpu"].status == SKIP


@pytest.mark.parametrize("error, extra, expected", [
    ("the Python process was killed by SIGILL", {"returncode": -4}, "AVX"),
    ("no answer after 180 s", {"timeout": True}, "--timeout"),
    ("ImportError: numpy.core.multiarray failed to import", {}, "NumPy"),
    ("TypeError: Descriptors cannot be created directly.", {}, "protobuf"),
    ("ImportError: libcudart.so.12: cannot open shared object file", {}, "--force-reinstall"),
])
def test_tensorflow_failure_fixes(healthy, error, extra, expected):
    r = by_id(run_checks(probes=with_(healthy, tf_probe=_tf_error(error, **extra))))
    assert r["tensorflow"].status == FAIL
    assert expected in r["tensorflow"].fix


def test_tensorflow_imports_but_cannot_compute(healthy):
    probe = {**HEALTHY_TF, "stage": "compute", "compute_result": None,
             "error": "InternalError: CUDA error: no kernel image is available for execution"}
    r = by_id(run_checks(probes=with_(healthy, tf_probe=lambda t: probe)))
    assert r["tensorflow"].status == FAIL
    assert "cannot compute" in r["tensorflow"].detail and "no kernel image" in r["tensorflow"].detail
    assert r["keras"].status == SKIP and r["gpu"].status == SKIP


def test_tensorflow_shadowed_by_a_local_folder(healthy):
    probe = dict(HEALTHY_TF, tf_file="/home/me/project/tensorflow/__init__.py")
    r = by_id(run_checks(probes=with_(healthy, tf_probe=lambda t: probe)))["tensorflow"]
    assert r.status == WARN and "/home/me/project/tensorflow" in r.detail


@pytest.mark.parametrize("environ, config, probe_backend, expected", [
    ({"KERAS_BACKEND": "jax"}, "tensorflow", "jax", "KERAS_BACKEND=jax"),
    ({}, "torch", "torch", '"backend": "torch"'),
    ({}, "tensorflow", "jax", "'jax' backend"),
    ({"TF_USE_LEGACY_KERAS": "1"}, "tensorflow", "tensorflow", "TF_USE_LEGACY_KERAS"),
])
def test_keras_backend_wrong(healthy, environ, config, probe_backend, expected):
    probes = with_(healthy, environ=environ,
                   keras_config=lambda env: {"path": "/home/me/.keras/keras.json",
                                             "config": {"backend": config}},
                   tf_probe=lambda t: dict(HEALTHY_TF, keras_backend=probe_backend))
    r = by_id(run_checks(probes=probes))["keras"]
    assert r.status == FAIL
    assert expected in r.detail
    assert r.fix


def test_keras_backend_wrong_is_caught_in_quick_mode(healthy):
    r = by_id(run_checks(quick=True, probes=with_(healthy, environ={"KERAS_BACKEND": "torch"})))
    assert r["keras"].status == FAIL and "unset KERAS_BACKEND" in r["keras"].fix


def test_keras_2_installed(healthy):
    r = by_id(run_checks(probes=with_(healthy, dist_version=versions_with(keras="2.15.0"))))
    assert r["keras"].status == FAIL and "Keras 3" in r["keras"].detail


# --------------------------------------------------------------------------------------
# GPU
# --------------------------------------------------------------------------------------


def _no_gpu_seen(healthy, *, versions=None, nvidia=None, **tf):
    return with_(healthy,
                 tf_probe=lambda t: dict(HEALTHY_TF, gpus=[], **tf),
                 nvidia_smi=lambda: nvidia if nvidia is not None else json.loads(json.dumps(NVIDIA)),
                 dist_version=versions or healthy.dist_version)


def test_no_gpu_at_all(healthy):
    probes = with_(healthy, tf_probe=lambda t: dict(HEALTHY_TF, gpus=[]), nvidia_smi=lambda: None)
    r = by_id(run_checks(probes=probes))["gpu"]
    assert r.status == WARN
    assert "runs on CPU" in r.detail
    for chapter in doctor.SLOW_ON_CPU:
        assert chapter in r.detail


def test_nvidia_driver_but_no_cuda_wheels(healthy):
    probes = _no_gpu_seen(healthy, versions=versions_with(nvidia_cudnn_cu12=None,
                                                          nvidia_cuda_runtime_cu12=None))
    r = by_id(run_checks(probes=probes))["gpu"]
    assert r.status == WARN
    assert "RTX 3060" in r.detail and "TensorFlow sees no GPU" in r.detail
    assert '-e ".[gpu]"' in r.fix


def test_nvidia_driver_too_old(healthy):
    old = json.loads(json.dumps(NVIDIA))
    old["gpus"][0]["driver"] = "470.223.02"
    r = by_id(run_checks(probes=_no_gpu_seen(healthy, nvidia=old)))["gpu"]
    assert r.status == WARN and "470.223.02 is too old" in r.detail and "525.60.13" in r.fix


def test_gpu_hidden_by_cuda_visible_devices(healthy):
    probes = with_(_no_gpu_seen(healthy), environ={"CUDA_VISIBLE_DEVICES": "-1"})
    r = by_id(run_checks(probes=probes))["gpu"]
    assert r.status == WARN and "CUDA_VISIBLE_DEVICES" in r.fix


def test_gpu_library_errors_are_quoted(healthy):
    log = ("W0000 some noise\nW0000 dso_loader.cc:78] Could not load dynamic library "
           "'libcudnn.so.9'; dlerror: libcudnn.so.9: cannot open shared object file\n")
    r = by_id(run_checks(probes=_no_gpu_seen(healthy, stderr=log)))["gpu"]
    assert r.status == WARN and "libcudnn.so.9" in r.detail and "--force-reinstall" in r.fix


def test_tensorflow_built_without_cuda(healthy):
    r = by_id(run_checks(probes=_no_gpu_seen(healthy, built_with_cuda=False)))["gpu"]
    assert r.status == WARN and "no CUDA support" in r.detail and ".[gpu]" in r.fix


def test_nvidia_smi_present_but_broken(healthy):
    broken = {"path": "/usr/bin/nvidia-smi", "ok": False, "gpus": [],
              "error": "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."}
    r = by_id(run_checks(probes=_no_gpu_seen(healthy, nvidia=broken)))["gpu"]
    assert r.status == WARN and "couldn't communicate" in r.detail and "driver" in r.fix


# --------------------------------------------------------------------------------------
# Jupyter
# --------------------------------------------------------------------------------------


def test_kernel_pointing_elsewhere(healthy):
    probes = with_(healthy,
                   kernelspec=lambda n: {"argv": ["/usr/bin/python3", "-m", "ipykernel_launcher"],
                                         "resource_dir": "/home/me/.local/share/jupyter/kernels/python3"},
                   python_prefix=lambda exe: {"/usr/bin/python3": "/usr"}[exe])
    r = by_id(run_checks(probes=probes))["kernel"]
    assert r.status == FAIL
    assert "/usr/bin/python3" in r.detail and "not this environment" in r.detail
    assert "ipykernel install --user --name python3" in r.fix


def test_kernel_symlinked_interpreter_of_this_environment_is_fine(healthy):
    probes = with_(healthy,
                   kernelspec=lambda n: {"argv": ["/env/bin/python3.11", "-m", "ipykernel_launcher"],
                                         "resource_dir": "/env/share/jupyter/kernels/python3"},
                   python_prefix=lambda exe: {"/env/bin/python3.11": "/env"}[exe])
    assert by_id(run_checks(probes=probes))["kernel"].status == OK


def test_kernel_missing_or_broken(healthy):
    def no_kernel(name):
        raise ProbeError("no kernel named 'python3' is installed")

    def dead(exe):
        raise ProbeError(f"cannot run {exe}: No such file or directory")

    r = by_id(run_checks(probes=with_(healthy, kernelspec=no_kernel)))["kernel"]
    assert r.status == FAIL and "no kernel named" in r.detail
    gone = with_(healthy, kernelspec=lambda n: {"argv": ["/old/env/bin/python"], "resource_dir": "x"},
                 python_prefix=dead)
    r = by_id(run_checks(probes=gone))["kernel"]
    assert r.status == FAIL and "/old/env/bin/python" in r.detail


def test_jupyter_on_path_from_another_environment(healthy):
    probes = with_(healthy, which=lambda cmd: "/usr/local/bin/jupyter")
    r = by_id(run_checks(probes=probes))["kernel"]
    assert r.status == WARN and "/usr/local/bin/jupyter" in r.detail and "make lab" in r.fix


def test_nbgrader_extensions_disabled(healthy):
    server = {ext: True for ext in doctor.NBGRADER_SERVER_EXTENSIONS}
    server["nbgrader.server_extensions.assignment_list"] = False
    probes = with_(healthy, server_extensions=lambda: server,
                   lab_extensions=lambda: {"installed": {"@jupyter/nbgrader": "0.9.6"},
                                           "disabled": ["@jupyter/nbgrader:assignment-list"]})
    results = run_checks(probes=probes)
    r = by_id(results)["nbgrader"]
    assert r.status == WARN
    assert "jupyter server extension enable --sys-prefix nbgrader.server_extensions.assignment_list" in r.fix
    assert "jupyter labextension enable @jupyter/nbgrader:assignment-list" in r.fix
    assert doctor.usable(results)


def test_nbgrader_lab_extension_missing(healthy):
    probes = with_(healthy, lab_extensions=lambda: {"installed": {}, "disabled": []})
    r = by_id(run_checks(probes=probes))["nbgrader"]
    assert r.status == WARN and "not installed" in r.detail and "nbgrader==0.9.6" in r.fix


# --------------------------------------------------------------------------------------
# Data, disk, RAM
# --------------------------------------------------------------------------------------


def _data(project, *rows):
    return lambda: {"cache_dir": str(project / "data"),
                    "rows": [{"name": n, "cached": c, "verified": v} for n, c, v in rows]}


def test_corrupt_dataset(healthy, project):
    probes = with_(healthy, data_status=_data(project, ("iris.csv", True, True),
                                              ("titanic-train.csv", True, False)))
    r = by_id(run_checks(probes=probes))["data"]
    assert r.status == WARN
    assert "1 corrupted" in r.detail and "titanic-train.csv" in r.detail
    assert "make data" in r.fix


def test_missing_dataset(healthy, project):
    probes = with_(healthy, data_status=_data(project, ("iris.csv", True, True),
                                              ("sms.wav", False, False)))
    r = by_id(run_checks(probes=probes))["data"]
    assert r.status == WARN and "1 missing" in r.detail and "sms.wav" in r.detail
    assert "needs internet" in r.detail
    r = by_id(run_checks(probes=with_(probes, environ={"DLCOURSE_MIRROR": "/srv/mirror"})))["data"]
    assert r.status == WARN and "DLCOURSE_MIRROR=/srv/mirror" in r.detail


def test_data_module_unavailable_is_a_warning(healthy):
    def no_module():
        raise ImportError("cannot import name 'data' from 'dlcourse'")

    results = run_checks(probes=with_(healthy, data_status=no_module))
    assert by_id(results)["data"].status == WARN
    assert doctor.usable(results)


def test_data_status_crash_is_a_failure(healthy):
    def broken():
        raise PermissionError("[Errno 13] Permission denied: '/data'")

    r = by_id(run_checks(probes=with_(healthy, data_status=broken)))["data"]
    assert r.status == FAIL and "Permission denied" in r.detail


def test_low_disk(healthy):
    r = by_id(run_checks(probes=with_(healthy, disk_free=lambda path: int(1.2e9))))["disk"]
    assert r.status == FAIL and "1.2 GB free" in r.detail and "DLCOURSE_DATA" in r.fix
    r = by_id(run_checks(probes=with_(healthy, disk_free=lambda path: int(3.5e9))))["disk"]
    assert r.status == WARN


def test_low_ram(healthy):
    r = by_id(run_checks(probes=with_(
        healthy, meminfo=lambda: {"MemTotal": 2_000_000, "MemAvailable": 1_500_000})))["ram"]
    assert r.status == FAIL and "need 4 GB" in r.detail
    r = by_id(run_checks(probes=with_(
        healthy, meminfo=lambda: {"MemTotal": 8_000_000, "MemAvailable": 900_000})))["ram"]
    assert r.status == WARN and "close other programs" in r.fix
    r = by_id(run_checks(probes=with_(healthy, meminfo=lambda: None)))["ram"]
    assert r.status == WARN


# --------------------------------------------------------------------------------------
# The real probes, against fake programs
# --------------------------------------------------------------------------------------


def _fake_package(tmp_path: Path, body: str) -> dict:
    pkg = tmp_path / "fake" / "tensorflow"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent(body))
    return {**os.environ, "PYTHONPATH": str(tmp_path / "fake")}


def test_real_tf_probe_reports_an_import_error(tmp_path):
    env = _fake_package(tmp_path, """
        raise ImportError("libcudart.so.12: cannot open shared object file")
    """)
    out = doctor._tf_probe(sys.executable, 60, env)
    assert out["stage"] == "tensorflow"
    assert out["error"] == "ImportError: libcudart.so.12: cannot open shared object file"
    assert out["tf_origin"] == str(tmp_path / "fake" / "tensorflow" / "__init__.py")
    r = doctor.check_tensorflow(doctor._Context(probes=Probes(), quick=False, tf=out))
    assert r.status == FAIL and "outside this environment" in r.detail and "PYTHONPATH" in r.fix


def test_real_tf_probe_reports_a_crash_and_a_hang(tmp_path):
    env = _fake_package(tmp_path, """
        import os, signal, sys, time
        if os.environ.get("HANG"):
            time.sleep(60)
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGSEGV)
    """)
    crashed = doctor._tf_probe(sys.executable, 60, env)
    assert crashed["error"] == "the Python process was killed by SIGSEGV"
    hung = doctor._tf_probe(sys.executable, 1.5, {**env, "HANG": "1"})
    assert hung.get("timeout") is True


def test_real_nvidia_smi_probe_parses_its_output(tmp_path, monkeypatch):
    smi = tmp_path / "nvidia-smi"
    smi.write_text("#!/bin/sh\necho 'NVIDIA A100-SXM4-40GB, 535.104.05, 40960 MiB'\n")
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert doctor._nvidia_smi() == {
        "path": str(smi), "ok": True, "error": "",
        "gpus": [{"name": "NVIDIA A100-SXM4-40GB", "driver": "535.104.05", "memory": "40960 MiB"}]}
    smi.write_text("#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n")
    assert doctor._nvidia_smi()["ok"] is False


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="needs a virtual environment")
def test_real_kernelspec_pointing_at_the_base_interpreter(tmp_path, monkeypatch):
    """A user-level 'python3' kernel that runs the base interpreter instead of this venv
    (symlinked to the same binary, so only sys.prefix tells them apart)."""
    base = os.path.realpath(sys.executable)
    spec_dir = tmp_path / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [base, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    r = doctor.check_kernel(doctor._Context(probes=Probes(), quick=True))
    assert r.status == FAIL
    assert base in r.detail and "not this environment" in r.detail


def test_importing_the_doctor_does_not_import_tensorflow():
    code = ("import sys, dlcourse.doctor as d; d._data_status(); d._meminfo(); "
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_check_env_runs_for_real_on_this_machine():
    proc = subprocess.run([sys.executable, str(ROOT / "check_env.py"), "--json"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    payload = json.loads(proc.stdout)
    failed = [(c["name"], c["detail"]) for c in payload["checks"] if c["status"] == FAIL]
    assert proc.returncode == 0, failed
    assert payload["usable"] is True
    checks = by_id_dicts(payload)
    assert checks["tensorflow"]["status"] == OK
    assert "multiplies matrices" in checks["tensorflow"]["detail"]
    assert checks["keras"]["status"] == OK
    assert checks["python"]["detail"].startswith(".".join(map(str, sys.version_info[:3])))

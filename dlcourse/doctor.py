"""The environment doctor: is this machine ready for the course, and if not, why?

Run it from the project root (``make check-env`` or ``python check_env.py``), or from a
notebook::

    from dlcourse.doctor import run_checks, print_report
    print_report(run_checks())

Every check is a small function that returns a :class:`Result` (name, status, detail,
fix). The checks never touch the machine directly: they ask a :class:`Probes` object
(installed versions, subprocess runs, disk usage, /proc/meminfo, the Jupyter kernelspec,
...), so the tests can fake any failure without breaking anything.

Importing this module never imports TensorFlow: the doctor must diagnose a broken
TensorFlow install, not crash on it. Everything that needs TensorFlow runs in a child
process with a timeout.

What the course needs (the numbers the checks compare against):

* Python >= 3.11 (the pins in ``requirements.lock`` were resolved on 3.11);
* every package of ``pyproject.toml`` installed, inside its range, ideally at the exact
  version of ``requirements.lock``;
* TensorFlow importable, Keras 3 on the TensorFlow backend;
* the ``python3`` Jupyter kernel running this environment's interpreter;
* about 5 GB of free disk (datasets ~1.5 GB, Keras hub downloads and pretrained weights
  ~1.5 GB, checkpoints and logs) and 4 GB of RAM (TensorFlow plus CIFAR-10 in float32).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CHECKS",
    "DISK_MIN_GB",
    "DISK_NEED_GB",
    "RAM_AVAILABLE_GB",
    "RAM_NEED_GB",
    "SLOW_ON_CPU",
    "Probes",
    "Result",
    "main",
    "print_report",
    "run_checks",
    "usable",
]

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
SYMBOLS = {OK: "✓", WARN: "!", FAIL: "✗", SKIP: "-"}
ASCII_SYMBOLS = {OK: "ok", WARN: "!", FAIL: "X", SKIP: "-"}

MIN_PYTHON = (3, 11)
LOCK_PYTHON = (3, 11)
DISK_NEED_GB = 5.0      # comfortable: all datasets, hub downloads, weights, checkpoints
DISK_MIN_GB = 2.0       # below this, downloads and model saving will fail
RAM_NEED_GB = 4.0       # total RAM for the full-mode chapters
RAM_AVAILABLE_GB = 2.0  # free RAM right now, below which training will swap or die
TF_TIMEOUT_S = 180.0    # importing TensorFlow takes 3-10 s; a loaded laptop can be slow

# Chapters that train convolutional/recurrent networks or large pretrained models.
SLOW_ON_CPU = ("06_cnn", "07_rnn", "09_gpu", "10_performance", "11_pretrained_images")

# Oldest Linux driver that runs each CUDA major version (minor-version compatibility).
MIN_DRIVER_FOR_CUDA = {"12": "525.60.13", "13": "580.65.06"}
# Wheels that `tensorflow[and-cuda]` brings; without them TensorFlow cannot find CUDA.
CUDA_WHEELS = ("nvidia-cuda-runtime-cu12", "nvidia-cudnn-cu12", "nvidia-cublas-cu12")

NBGRADER_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.validate_assignment",
)
NBGRADER_LAB_EXTENSION = "@jupyter/nbgrader"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_PROBE_MARK = "@@DLCOURSE_DOCTOR@@"


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass
class Result:
    """The outcome of one check.

    ``status`` is ``"ok"`` (✓), ``"warn"`` (! works, but read this), ``"fail"``
    (✗ the course will not work) or ``"skip"`` (- not checked, e.g. ``--quick``).
    ``fix`` is a concrete command or action, empty when there is nothing to do.
    """

    id: str
    name: str
    status: str
    detail: str
    fix: str = ""

    def __post_init__(self) -> None:
        if self.status not in SYMBOLS:
            raise ValueError(f"unknown status {self.status!r}; use one of {sorted(SYMBOLS)}")

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "status": self.status,
                "symbol": self.symbol, "detail": self.detail, "fix": self.fix}


def usable(results: Iterable[Result]) -> bool:
    """True when no check failed (warnings and skipped checks do not count)."""
    return all(r.status != FAIL for r in results)


# --------------------------------------------------------------------------------------
# Probes: the only code that looks at the machine
# --------------------------------------------------------------------------------------


class ProbeError(RuntimeError):
    """A probe could not get its answer; the message says why."""


def _dist_version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _dist_requires(name: str) -> list[str]:
    from importlib import metadata

    try:
        return list(metadata.requires(name) or [])
    except metadata.PackageNotFoundError:
        return []


_TF_PROBE_SCRIPT = r"""
import json, os, sys, time, traceback
mark = sys.argv[1]
out = {"stage": "tensorflow"}
def done():
    print(mark + json.dumps(out), flush=True)
try:
    import importlib.util
    spec = importlib.util.find_spec("tensorflow")
    out["tf_origin"] = spec.origin if spec is not None else None
    t0 = time.perf_counter()
    import tensorflow as tf
    out["import_seconds"] = round(time.perf_counter() - t0, 2)
    out["tf_version"] = tf.__version__
    out["tf_file"] = getattr(tf, "__file__", None)
    out["built_with_cuda"] = bool(tf.test.is_built_with_cuda())
    info = dict(tf.sysconfig.get_build_info())
    out["cuda_version"] = info.get("cuda_version")
    out["cudnn_version"] = info.get("cudnn_version")
    out["gpus"] = [d.name for d in tf.config.list_physical_devices("GPU")]
    out["stage"] = "compute"
    product = tf.matmul(tf.ones((2, 3)), tf.ones((3, 2)))
    out["compute_device"] = product.device
    out["compute_result"] = float(tf.reduce_sum(product))
    out["stage"] = "keras"
    import keras
    out["keras_version"] = keras.__version__
    out["keras_file"] = getattr(keras, "__file__", None)
    out["keras_backend"] = keras.backend.backend()
    out["tf_keras"] = type(tf.keras).__module__ + ":" + getattr(tf.keras, "__name__", "")
    out["tf_keras_version"] = getattr(tf.keras, "__version__", None)
    out["stage"] = "done"
except BaseException as exc:
    out["error"] = f"{type(exc).__name__}: {exc}"
    out["traceback"] = traceback.format_exc()[-3000:]
done()
"""


def _tf_probe(executable: str, timeout: float, env: Mapping[str, str]) -> dict:
    """Import TensorFlow and Keras in a child process; return what they report.

    The dict always has ``stage`` ("done" on success) and on trouble ``error``; a
    crash or timeout is reported through ``error`` too, with ``returncode`` and
    ``stderr`` (TensorFlow's own log lines, e.g. about GPU libraries).
    """
    child_env = dict(env)
    # Keep TensorFlow's warnings (GPU library messages are warnings) but not its info.
    child_env["TF_CPP_MIN_LOG_LEVEL"] = "1"
    start = time.perf_counter()
    try:
        proc = subprocess.run([executable, "-c", _TF_PROBE_SCRIPT, _PROBE_MARK],
                              capture_output=True, text=True, timeout=timeout,
                              env=child_env, cwd=str(Path.home()))
    except subprocess.TimeoutExpired as exc:
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return {"stage": "tensorflow", "timeout": True, "seconds": timeout,
                "error": f"no answer after {timeout:.0f} s", "stderr": stderr[-3000:]}
    except OSError as exc:
        return {"stage": "tensorflow", "error": f"could not start {executable}: {exc}",
                "stderr": ""}
    seconds = round(time.perf_counter() - start, 2)
    for line in proc.stdout.splitlines():
        if line.startswith(_PROBE_MARK):
            out = json.loads(line[len(_PROBE_MARK):])
            out.update(returncode=proc.returncode, stderr=proc.stderr[-3000:], seconds=seconds)
            return out
    # The child died before printing (segfault, illegal instruction, abort).
    code = proc.returncode
    reason = f"the Python process died with exit code {code}"
    if code < 0:
        import signal

        try:
            reason = f"the Python process was killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return {"stage": "tensorflow", "error": reason, "returncode": code,
            "stderr": proc.stderr[-3000:], "seconds": seconds}


def _nvidia_smi(timeout: float = 20.0) -> dict | None:
    """None when there is no ``nvidia-smi``; otherwise what it says about the GPUs."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return None
    try:
        proc = subprocess.run(
            [exe, "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as exc:
        return {"path": exe, "ok": False, "gpus": [], "error": str(exc)}
    if proc.returncode != 0:
        return {"path": exe, "ok": False, "gpus": [],
                "error": (proc.stdout + proc.stderr).strip()[-500:]}
    gpus = []
    for line in proc.stdout.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 2:
            gpus.append({"name": parts[0], "driver": parts[1],
                         "memory": parts[2] if len(parts) > 2 else ""})
    return {"path": exe, "ok": True, "gpus": gpus, "error": ""}


def _dlcourse_location(executable: str, env: Mapping[str, str]) -> str:
    """Where ``import dlcourse`` comes from for code running outside the project root
    (as a notebook in course/NN_slug/ does)."""
    try:
        proc = subprocess.run([executable, "-c", "import dlcourse; print(dlcourse.__file__)"],
                              capture_output=True, text=True, timeout=60, env=dict(env),
                              cwd=str(Path.home()))
    except (OSError, subprocess.SubprocessError) as exc:
        raise ProbeError(f"cannot run {executable}: {exc}") from exc
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise ProbeError(lines[-1] if lines else f"exit code {proc.returncode}")
    return proc.stdout.strip().splitlines()[-1]


def _kernelspec(name: str) -> dict:
    """The kernelspec Jupyter will use for ``name``, as jupyter_client resolves it."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError as exc:
        raise ProbeError(f"jupyter_client is not importable ({exc})") from exc
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel as exc:
        raise ProbeError(f"no kernel named {name!r} is installed") from exc
    return {"argv": list(spec.argv), "resource_dir": spec.resource_dir,
            "display_name": spec.display_name}


def _python_prefix(executable: str) -> str:
    """``sys.prefix`` of another interpreter (venvs share the base binary via symlinks,
    so comparing resolved paths would call every venv the same)."""
    try:
        proc = subprocess.run([executable, "-c", "import sys; print(sys.prefix)"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ProbeError(f"cannot run {executable}: {exc}") from exc
    if proc.returncode != 0:
        raise ProbeError(f"{executable} failed: {proc.stderr.strip()[-300:]}")
    return proc.stdout.strip()


def _server_extensions() -> dict[str, bool]:
    """Jupyter Server extensions and whether each is enabled (``jupyter server extension list``)."""
    try:
        from jupyter_core.paths import jupyter_config_path
        from jupyter_server.extension.config import ExtensionConfigManager
    except ImportError as exc:
        raise ProbeError(f"jupyter_server is not importable ({exc})") from exc
    manager = ExtensionConfigManager(read_config_path=jupyter_config_path())
    return dict(manager.get_jpserver_extensions())


def _lab_extensions() -> dict:
    """Installed JupyterLab (federated) extensions and the disabled list
    (``jupyter labextension list``)."""
    try:
        from jupyter_core.paths import jupyter_path
        from jupyterlab_server.config import get_federated_extensions, get_static_page_config
    except ImportError as exc:
        raise ProbeError(f"jupyterlab_server is not importable ({exc})") from exc
    installed = get_federated_extensions(jupyter_path("labextensions"))
    static = get_static_page_config(level="all")
    disabled = static.get("disabledExtensions", {})
    if isinstance(disabled, dict):
        disabled = [k for k, v in disabled.items() if v]
    return {"installed": {name: data.get("version", "") for name, data in installed.items()},
            "disabled": list(disabled)}


def _data_status() -> dict:
    """``dlcourse.data.status()`` plus the cache folder it describes."""
    from dlcourse import data

    return {"rows": data.status(), "cache_dir": str(data.cache_dir())}


def _meminfo() -> dict[str, int] | None:
    """/proc/meminfo in kB (Linux); None where it does not exist."""
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    out = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            out[key.strip()] = int(parts[0])
    return out


def _keras_config(env: Mapping[str, str]) -> dict:
    """Keras' own config file (``$KERAS_HOME/keras.json``, else ``~/.keras/keras.json``)."""
    base = env.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    path = Path(base) / "keras.json"
    if not path.is_file():
        return {"path": str(path), "config": None}
    try:
        return {"path": str(path), "config": json.loads(path.read_text())}
    except (OSError, ValueError) as exc:
        return {"path": str(path), "config": None, "error": str(exc)}


@dataclass
class Probes:
    """Everything the checks may ask about the machine. Replace any field in tests:

    ``dataclasses.replace(Probes(), dist_version=lambda name: None)``.
    """

    executable: str = field(default_factory=lambda: sys.executable)
    prefix: str = field(default_factory=lambda: sys.prefix)
    version_info: tuple = field(default_factory=lambda: tuple(sys.version_info[:3]))
    platform: str = field(default_factory=lambda: sys.platform)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    root: Path = PROJECT_ROOT
    dist_version: Callable[[str], str | None] = _dist_version
    dist_requires: Callable[[str], list[str]] = _dist_requires
    # None: ask ``executable`` where `import dlcourse` leads (see _dlcourse_location).
    dlcourse_location_probe: Callable[[], str] | None = None
    which: Callable[[str], str | None] = shutil.which
    # None: import TensorFlow with ``executable`` in a child process (see _tf_probe).
    tf_probe: Callable[[float], dict] | None = None
    nvidia_smi: Callable[[], dict | None] = _nvidia_smi
    kernelspec: Callable[[str], dict] = _kernelspec
    python_prefix: Callable[[str], str] = _python_prefix
    server_extensions: Callable[[], dict[str, bool]] = _server_extensions
    lab_extensions: Callable[[], dict] = _lab_extensions
    data_status: Callable[[], dict] = _data_status
    disk_free: Callable[[str], int] = lambda path: shutil.disk_usage(path).free
    meminfo: Callable[[], dict[str, int] | None] = _meminfo
    keras_config: Callable[[Mapping[str, str]], dict] = _keras_config

    def dlcourse_location(self) -> str:
        if self.dlcourse_location_probe is not None:
            return self.dlcourse_location_probe()
        return _dlcourse_location(self.executable, self.environ)

    def probe_tensorflow(self, timeout: float) -> dict:
        if self.tf_probe is not None:
            return self.tf_probe(timeout)
        return _tf_probe(self.executable, timeout, self.environ)


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def _canon(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _short_path(path: str) -> str:
    """``path`` relative to the current folder when it lies below it (shorter fixes)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return rel if not rel.startswith("..") else path


def _py(p: Probes) -> str:
    return _short_path(p.executable)


def _pip_fix(p: Probes) -> str:
    lock = _short_path(str(p.root / "requirements.lock"))
    return f'{_py(p)} -m pip install -c {lock} -e ".[dev]"   (or: make setup)'


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:.1f} GB"


def _read_lock(root: Path) -> dict[str, tuple[str, str]]:
    """requirements.lock as {canonical name: (name as written, version)}."""
    path = root / "requirements.lock"
    pins = {}
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep or not name.strip() or not version.strip():
            raise ValueError(f"{path}:{number}: expected 'name==version', got {raw!r}")
        pins[_canon(name.strip())] = (name.strip(), version.strip())
    return pins


def _read_pyproject(root: Path) -> dict:
    import tomllib

    with open(root / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)


def _inside(path: str, folder: str) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(folder) + os.sep)


def _first_line(text: str) -> str:
    for line in text.strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


@dataclass
class _Context:
    """What the checks share during one run: the probes and the slow probes' answers."""

    probes: Probes
    quick: bool
    tf: dict | None = None        # answer of probes.tf_probe, None in quick mode
    nvidia: dict | None = None    # answer of probes.nvidia_smi (None: no nvidia-smi)


def check_python(ctx: _Context) -> Result:
    p = ctx.probes
    v = tuple(p.version_info[:3])
    text = ".".join(map(str, v))
    need = ".".join(map(str, MIN_PYTHON))
    if v[:2] < MIN_PYTHON:
        return Result("python", "Python", FAIL,
                      f"{text} at {p.executable}; the course needs Python >= {need}",
                      f"create the environment with Python {need}: `conda env create -f "
                      f"environment.yml`, or `make clean-venv setup PYTHON=python{need}`")
    note = "" if v[:2] == LOCK_PYTHON else (
        f" (the pins were resolved on {'.'.join(map(str, LOCK_PYTHON))}; "
        f"a newer Python works if every pin has a wheel for it)")
    return Result("python", "Python", OK, f"{text} at {p.executable}{note}")


def _requirement_closure(p: Probes, roots: list[Any], problems: list[str]) -> set[str]:
    """Canonical names of every distribution the ``roots`` need, following installed
    metadata (markers evaluated, extras followed). Missing or out-of-range
    dependencies are appended to ``problems``."""
    from packaging.requirements import InvalidRequirement, Requirement

    seen: set[tuple[str, frozenset]] = set()
    names: set[str] = set()
    todo = [(req, "pyproject.toml") for req in roots]
    while todo:
        req, parent = todo.pop()
        key = (_canon(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        names.add(key[0])
        version = p.dist_version(req.name)
        if version is None:
            problems.append(f"{req.name} is missing (needed by {parent})")
            continue
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name} {version} does not satisfy "
                            f"{parent}'s '{req.name}{req.specifier}'")
            # Still follow its dependencies: they may be broken too.
        for text in p.dist_requires(req.name):
            try:
                sub = Requirement(text)
            except InvalidRequirement:
                continue
            if sub.marker is not None:
                extras = sorted(req.extras) or [""]
                if not any(sub.marker.evaluate({"extra": e}) for e in extras):
                    continue
            todo.append((sub, f"{req.name} {version}"))
    return names


def check_packages(ctx: _Context) -> Result:
    """Every pyproject dependency (and what it needs) installed, inside its range."""
    p = ctx.probes
    name = "Packages"
    try:
        from packaging.requirements import Requirement
    except ImportError:
        return Result("packages", name, FAIL,
                      "`packaging` is not installed, so versions cannot be compared "
                      "(pip, setuptools and Jupyter all need it)",
                      f"{_py(p)} -m pip install packaging, then {_pip_fix(p)}")
    try:
        project = _read_pyproject(p.root)["project"]
    except (OSError, KeyError, ValueError) as exc:
        return Result("packages", name, FAIL, f"cannot read {p.root / 'pyproject.toml'}: {exc}",
                      "run the doctor from the project folder (git clone of the course)")
    roots = [Requirement(r) for r in project.get("dependencies", [])]
    roots = [r for r in roots if r.marker is None or r.marker.evaluate()]
    problems: list[str] = []
    closure = _requirement_closure(p, roots, problems)
    # The course package itself: notebooks in course/NN_*/ import it from outside the root.
    try:
        location = p.dlcourse_location()
    except ProbeError as exc:
        problems.append(f"notebooks cannot `import dlcourse` (the course package): {exc}")
    else:
        here = Path(p.root).resolve() / "dlcourse"
        if Path(location).resolve().parent != here:
            problems.append(f"notebooks would import `dlcourse` from {location}, not from "
                            f"this checkout ({here})")
    if problems:
        shown = "; ".join(problems[:8])
        more = f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""
        return Result("packages", name, FAIL, f"{len(problems)} problem(s): {shown}{more}",
                      _pip_fix(p))
    return Result("packages", name, OK,
                  f"all {len(roots)} course dependencies installed and in range "
                  f"({len(closure)} packages including what they need)")


def check_pins(ctx: _Context) -> Result:
    """Installed versions against requirements.lock (differences are warnings)."""
    p = ctx.probes
    name = "Pinned versions"
    try:
        pins = _read_lock(p.root)
    except (OSError, ValueError) as exc:
        return Result("pins", name, FAIL, f"cannot read requirements.lock: {exc}",
                      "restore it: `git checkout requirements.lock`, or regenerate: `make lock`")
    differ, missing = [], []
    for written, version in pins.values():
        have = p.dist_version(written)
        if have is None:
            missing.append(written)
        elif have != version:
            differ.append(f"{written} {have} (lock: {version})")
    if not differ and not missing:
        return Result("pins", name, OK, f"all {len(pins)} packages match requirements.lock")
    parts = []
    if differ:
        parts.append(f"{len(differ)} differ from requirements.lock: " + ", ".join(differ[:6])
                     + (" ..." if len(differ) > 6 else ""))
    if missing:
        parts.append(f"{len(missing)} not installed (test and development tools are "
                     f"optional): " + ", ".join(missing[:6]) + (" ..." if len(missing) > 6 else ""))
    return Result("pins", name, WARN,
                  "; ".join(parts) + ". The course is tested with the locked versions.",
                  _pip_fix(p))


def _tf_failure_fix(p: Probes, tf: dict) -> str:
    text = f"{tf.get('error', '')}\n{tf.get('traceback', '')}\n{tf.get('stderr', '')}"
    pin = ""
    try:
        pin = _read_lock(p.root).get("tensorflow", ("", ""))[1]
    except (OSError, ValueError):
        pass
    spec = f"tensorflow=={pin}" if pin else "tensorflow"
    if tf.get("timeout"):
        return (f"run `{_py(p)} -c \"import tensorflow\"` yourself to see where it hangs; "
                f"if the machine is just busy, rerun with a longer --timeout")
    if tf.get("returncode") == -4 or "Illegal instruction" in text or "SIGILL" in text:
        return ("this CPU lacks instructions (AVX) that the TensorFlow wheels need: "
                "use another machine, or a hosted notebook service such as Google Colab")
    if "No module named 'tensorflow'" in text:
        return _pip_fix(p)
    if "numpy" in text.lower() and ("compiled using NumPy" in text or "multiarray" in text
                                    or "_ARRAY_API" in text):
        return (f"NumPy does not match what TensorFlow was built against: {_pip_fix(p)}")
    if "Descriptors cannot be created directly" in text or "protobuf" in text.lower():
        return f"protobuf does not match TensorFlow: {_pip_fix(p)}"
    return (f'reinstall TensorFlow: `{_py(p)} -m pip install --force-reinstall "{spec}"`, '
            f"then {_pip_fix(p)}")


def check_tensorflow(ctx: _Context) -> Result:
    p, tf = ctx.probes, ctx.tf
    name = "TensorFlow"
    if ctx.quick or tf is None:
        return Result("tensorflow", name, SKIP, "not imported (--quick)")
    if tf.get("stage") == "tensorflow":
        last = _first_line(tf.get("error", "")) or "unknown error"
        tail = [ln for ln in tf.get("traceback", "").strip().splitlines() if ln.strip()][-1:]
        detail = f"`import tensorflow` fails: {last}"
        if tail and tail[0] not in detail:
            detail += f" ({tail[0].strip()})"
        origin = tf.get("tf_origin")
        if origin and not _inside(origin, p.prefix):
            return Result("tensorflow", name, FAIL,
                          f"{detail}; and `tensorflow` is found at {origin}, outside this "
                          f"environment ({p.prefix})",
                          "remove that folder from PYTHONPATH (or rename a local folder called "
                          "`tensorflow`), then run the check again")
        return Result("tensorflow", name, FAIL, detail, _tf_failure_fix(p, tf))
    if tf.get("stage") == "compute" or tf.get("compute_result") != 12.0:
        problem = (_first_line(tf.get("error", "")) if tf.get("stage") == "compute"
                   else f"a 2x3 by 3x2 matrix product of ones summed to "
                        f"{tf.get('compute_result')}, not 12")
        return Result("tensorflow", name, FAIL,
                      f"{tf.get('tf_version')} imports but cannot compute: {problem}",
                      _tf_failure_fix(p, tf))
    device = str(tf.get("compute_device", "")).rsplit("device:", 1)[-1] or "?"
    detail = (f"{tf.get('tf_version')} imports in {tf.get('import_seconds', '?')} s and "
              f"multiplies matrices (on {device})")
    where = tf.get("tf_file") or ""
    if where and not _inside(where, p.prefix):
        return Result("tensorflow", name, WARN,
                      f"{detail}, but from {where}, outside this environment ({p.prefix}): "
                      f"a folder or file named `tensorflow` (or another site-packages) "
                      f"shadows the installed one",
                      "rename that folder/file or remove it from PYTHONPATH")
    return Result("tensorflow", name, OK, detail)


def check_keras(ctx: _Context) -> Result:
    p, tf = ctx.probes, ctx.tf
    name = "Keras"
    env = p.environ
    legacy = env.get("TF_USE_LEGACY_KERAS", "").strip().lower()
    if legacy in {"1", "true", "yes"}:
        return Result("keras", name, FAIL,
                      f"TF_USE_LEGACY_KERAS={env['TF_USE_LEGACY_KERAS']} makes `tf.keras` the old "
                      f"Keras 2 (tf_keras); the course is written for Keras 3",
                      "unset TF_USE_LEGACY_KERAS (check your shell profile and conda env vars)")
    backend_env = env.get("KERAS_BACKEND", "").strip()
    if backend_env and backend_env != "tensorflow":
        return Result("keras", name, FAIL,
                      f"KERAS_BACKEND={backend_env}: Keras would run on {backend_env}, the "
                      f"course needs the TensorFlow backend",
                      "unset KERAS_BACKEND (or set KERAS_BACKEND=tensorflow); check your shell "
                      "profile and conda env vars")
    cfg = p.keras_config(env)
    cfg_backend = (cfg.get("config") or {}).get("backend")
    if not backend_env and cfg_backend and cfg_backend != "tensorflow":
        return Result("keras", name, FAIL,
                      f"{cfg['path']} sets \"backend\": \"{cfg_backend}\"; the course needs "
                      f"the TensorFlow backend",
                      f"edit {cfg['path']}: \"backend\": \"tensorflow\" (or delete the file)")
    if cfg.get("error"):
        return Result("keras", name, FAIL, f"{cfg['path']} is not valid JSON: {cfg['error']}",
                      f"fix or delete {cfg['path']} (Keras recreates it)")
    installed = p.dist_version("keras")
    if installed is None:
        return Result("keras", name, FAIL, "keras is not installed", _pip_fix(p))
    if not installed.split(".")[0] == "3":
        return Result("keras", name, FAIL, f"keras {installed} is installed; the course needs Keras 3",
                      _pip_fix(p))
    if ctx.quick or tf is None:
        source = ("KERAS_BACKEND" if backend_env else cfg["path"] if cfg_backend
                  else "Keras' default")
        return Result("keras", name, OK,
                      f"keras {installed}, tensorflow backend (from {source}; "
                      f"not imported with --quick)")
    if tf.get("stage") in {"tensorflow", "compute"}:
        return Result("keras", name, SKIP, "not imported: TensorFlow does not work (see above)")
    if tf.get("stage") == "keras":
        return Result("keras", name, FAIL,
                      f"`import keras` fails: {_first_line(tf.get('error', ''))}", _pip_fix(p))
    backend = tf.get("keras_backend")
    version = tf.get("keras_version", "")
    if backend != "tensorflow":
        return Result("keras", name, FAIL,
                      f"Keras {version} runs on the {backend!r} backend, not TensorFlow",
                      "unset KERAS_BACKEND and set \"backend\": \"tensorflow\" in "
                      f"{cfg['path']}")
    if not str(version).startswith("3."):
        return Result("keras", name, FAIL, f"`import keras` gives Keras {version}, not Keras 3",
                      _pip_fix(p))
    tf_keras_version = str(tf.get("tf_keras_version") or "")
    if tf_keras_version and not tf_keras_version.startswith("3."):
        return Result("keras", name, FAIL,
                      f"`tf.keras` is Keras {tf_keras_version} (tf_keras), not Keras 3",
                      "unset TF_USE_LEGACY_KERAS; `pip uninstall tf_keras` if you do not need it")
    return Result("keras", name, OK, f"Keras {version} on the TensorFlow backend")


def _cpu_only_note() -> str:
    return ("the course runs on CPU; these chapters train for longer there: "
            + ", ".join(SLOW_ON_CPU) + " (fast mode, DLCOURSE_FAST=1, previews them quickly)")


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def _gpu_library_errors(stderr: str) -> list[str]:
    keys = ("Cannot dlopen", "Could not load dynamic library", "Could not find cuda",
            "cuInit", "CUDA driver version is insufficient", "failed call to cuInit",
            "libcudnn", "libcudart")
    out = []
    for line in stderr.splitlines():
        if any(k in line for k in keys):
            text = line.strip()
            out.append(text if len(text) < 220 else text[:217] + "...")
    return out[:3]


def check_gpu(ctx: _Context) -> Result:
    p, tf, smi = ctx.probes, ctx.tf, ctx.nvidia
    name = "GPU"
    if ctx.quick:
        return Result("gpu", name, SKIP, "not probed (--quick)")
    if tf is None or tf.get("stage") in {"tensorflow", "compute"}:
        return Result("gpu", name, SKIP, "not probed: TensorFlow does not work (see above)")
    gpus = tf.get("gpus") or []
    if gpus:
        names = ", ".join(g["name"] for g in (smi or {}).get("gpus", [])) or ", ".join(gpus)
        return Result("gpu", name, OK, f"TensorFlow sees {len(gpus)} GPU(s): {names}")
    if smi is None:
        return Result("gpu", name, WARN, f"no NVIDIA GPU (no nvidia-smi): {_cpu_only_note()}")
    if not smi.get("ok"):
        return Result("gpu", name, WARN,
                      f"nvidia-smi is installed ({smi.get('path')}) but fails: "
                      f"{_first_line(smi.get('error', ''))}. Without a working driver "
                      f"{_cpu_only_note()}",
                      "the NVIDIA driver is not loaded or does not match its tools: reboot after "
                      "a driver update, or reinstall the driver from your distribution/NVIDIA")
    cards = ", ".join(f"{g['name']} (driver {g['driver']})" for g in smi.get("gpus", []))
    intro = f"nvidia-smi shows {cards or 'a GPU'}, but TensorFlow sees no GPU: "
    cvd = p.environ.get("CUDA_VISIBLE_DEVICES")
    if cvd is not None and cvd.strip() in {"", "-1"}:
        return Result("gpu", name, WARN, intro + f"CUDA_VISIBLE_DEVICES={cvd!r} hides every GPU",
                      "unset CUDA_VISIBLE_DEVICES (or set it to 0)")
    if p.platform != "linux":
        return Result("gpu", name, WARN,
                      intro + f"TensorFlow has no native GPU support on {p.platform}; "
                      + _cpu_only_note(),
                      "use WSL2 (Windows) with the Linux instructions, or run on CPU")
    if not tf.get("built_with_cuda", True):
        return Result("gpu", name, WARN, intro + "this TensorFlow build has no CUDA support",
                      f'{_py(p)} -m pip install -e ".[gpu]"   (installs tensorflow[and-cuda]; '
                      f"or `conda env create -f environment-gpu.yml`)")
    missing = [w for w in CUDA_WHEELS if p.dist_version(w) is None]
    if missing:
        return Result("gpu", name, WARN,
                      intro + "the NVIDIA CUDA/cuDNN libraries TensorFlow loads are not "
                      f"installed ({', '.join(missing)})",
                      f'{_py(p)} -m pip install -c requirements.lock -e ".[gpu]"   '
                      f"(tensorflow[and-cuda] brings the CUDA wheels; or use environment-gpu.yml)")
    cuda = str(tf.get("cuda_version") or "12")
    need = MIN_DRIVER_FOR_CUDA.get(cuda.split(".")[0])
    old = [g for g in smi.get("gpus", [])
           if need and _version_tuple(g["driver"]) < _version_tuple(need)]
    if old:
        return Result("gpu", name, WARN,
                      intro + f"driver {old[0]['driver']} is too old for CUDA {cuda} "
                      f"(needs >= {need})",
                      f"update the NVIDIA driver to {need} or newer (then reboot)")
    errors = _gpu_library_errors(tf.get("stderr", ""))
    why = ("TensorFlow's log says: " + " | ".join(errors)) if errors else \
        "TensorFlow gave no reason in its log"
    ld = p.environ.get("LD_LIBRARY_PATH", "")
    fix = (f'reinstall the CUDA wheels: {_py(p)} -m pip install --force-reinstall -e ".[gpu]"; '
           f"check the driver supports CUDA {cuda} (`nvidia-smi` top right)")
    if "cuda" in ld.lower():
        fix += f"; LD_LIBRARY_PATH={ld} may load another CUDA first: try without it"
    return Result("gpu", name, WARN, intro + why, fix)


def check_kernel(ctx: _Context) -> Result:
    p = ctx.probes
    name = "Jupyter kernel"
    fix = (f"{_py(p)} -m ipykernel install --user --name python3 "
           f"--display-name \"Python 3 (dlcourse)\"   (points 'python3' at this environment)")
    try:
        spec = p.kernelspec("python3")
    except ProbeError as exc:
        return Result("kernel", name, FAIL, f"cannot resolve the 'python3' kernel: {exc}", fix)
    argv = spec.get("argv") or []
    if not argv:
        return Result("kernel", name, FAIL,
                      f"the 'python3' kernelspec in {spec.get('resource_dir')} has no argv", fix)
    exe = argv[0]
    major, minor = p.version_info[:2]
    # jupyter_client runs 'python', 'python3' and 'python3.X' as the server's own
    # interpreter (KernelManager.format_kernel_cmd). With `make lab` that is this one.
    substituted = exe in {"python", f"python{major}", f"python{major}.{minor}"}
    if substituted:
        exe = p.executable
    where = spec.get("resource_dir", "?")
    how = f" ('{argv[0]}' is replaced by the interpreter running Jupyter)" if substituted else ""
    if os.path.abspath(exe) == os.path.abspath(p.executable):
        detail = f"'python3' runs {exe}{how}"
        return _with_path_note(p, Result("kernel", name, OK, detail))
    try:
        prefix = p.python_prefix(exe)
    except ProbeError as exc:
        return Result("kernel", name, FAIL,
                      f"the 'python3' kernel ({where}) runs {exe}, which does not work: {exc}", fix)
    if os.path.abspath(prefix) != os.path.abspath(p.prefix):
        return Result("kernel", name, FAIL,
                      f"the 'python3' kernel ({where}) runs {exe} from {prefix}, not this "
                      f"environment ({p.prefix}): notebooks would not see the packages "
                      f"installed here", fix)
    return _with_path_note(p, Result("kernel", name, OK, f"'python3' runs {exe} (this environment)"))


def _with_path_note(p: Probes, result: Result) -> Result:
    """Warn when `jupyter` on PATH belongs to another environment."""
    ours = Path(p.executable).parent / "jupyter"
    found = p.which("jupyter")
    if found and os.path.abspath(found) != os.path.abspath(ours):
        return Result(result.id, result.name, WARN,
                      result.detail + f"; but `jupyter` on your PATH is {found}, another "
                      f"environment: a plain `jupyter lab` would start that one",
                      f"start with `make lab`, or activate this environment first "
                      f"(source {_short_path(str(Path(p.executable).parent / 'activate'))})")
    return result


def check_nbgrader(ctx: _Context) -> Result:
    p = ctx.probes
    name = "nbgrader extensions"
    if p.dist_version("nbgrader") is None:
        return Result("nbgrader", name, FAIL, "nbgrader is not installed", _pip_fix(p))
    problems, fixes = [], []
    try:
        server = p.server_extensions()
    except ProbeError as exc:
        server = None
        problems.append(f"cannot list server extensions: {exc}")
        fixes.append(_pip_fix(p))
    if server is not None:
        for ext in NBGRADER_SERVER_EXTENSIONS:
            if ext not in server:
                problems.append(f"server extension {ext} is not registered")
                fixes.append(f"{_py(p)} -m pip install --force-reinstall --no-deps nbgrader==0.9.6")
            elif not server[ext]:
                problems.append(f"server extension {ext} is disabled")
                fixes.append(f"jupyter server extension enable --sys-prefix {ext}")
    try:
        lab = p.lab_extensions()
    except ProbeError as exc:
        lab = None
        problems.append(f"cannot list lab extensions: {exc}")
        fixes.append(_pip_fix(p))
    if lab is not None:
        if NBGRADER_LAB_EXTENSION not in lab.get("installed", {}):
            problems.append(f"lab extension {NBGRADER_LAB_EXTENSION} is not installed")
            fixes.append(f"{_py(p)} -m pip install --force-reinstall --no-deps nbgrader==0.9.6")
        else:
            off = [d for d in lab.get("disabled", [])
                   if d == NBGRADER_LAB_EXTENSION or d.startswith(NBGRADER_LAB_EXTENSION + ":")]
            if off:
                problems.append("lab extension disabled: " + ", ".join(off))
                fixes.append("jupyter labextension enable " + " ".join(off))
    if problems:
        unique_fixes = list(dict.fromkeys(fixes))
        return Result("nbgrader", name, WARN,
                      "; ".join(problems) + " (exercises still run; the Validate button and "
                      "assignment list need these)",
                      "; ".join(unique_fixes))
    version = lab["installed"][NBGRADER_LAB_EXTENSION] if lab else ""
    return Result("nbgrader", name, OK,
                  f"lab extension {NBGRADER_LAB_EXTENSION} {version} and "
                  f"{len(NBGRADER_SERVER_EXTENSIONS)} server extensions enabled")


def check_data(ctx: _Context) -> Result:
    p = ctx.probes
    name = "Datasets"
    try:
        answer = p.data_status()
    except (ImportError, AttributeError) as exc:
        return Result("data", name, WARN,
                      f"cannot ask dlcourse.data for the dataset status ({exc})",
                      "update the project checkout (`git pull`); dlcourse/data.py provides status()")
    except Exception as exc:  # the status code reads files; report, do not crash
        return Result("data", name, FAIL,
                      f"dlcourse.data.status() failed: {type(exc).__name__}: {exc}",
                      "check DLCOURSE_DATA (if set) points at a readable folder")
    rows = answer.get("rows") or []
    cache = answer.get("cache_dir", "")
    verified = [r["name"] for r in rows if r.get("verified")]
    corrupt = [r["name"] for r in rows if r.get("cached") and not r.get("verified")]
    missing = [r["name"] for r in rows if not r.get("cached")]
    folder = Path(cache) if cache else None
    probe_dir = folder
    while probe_dir is not None and not probe_dir.exists() and probe_dir != probe_dir.parent:
        probe_dir = probe_dir.parent
    if probe_dir is not None and not os.access(probe_dir, os.W_OK):
        return Result("data", name, FAIL,
                      f"the data folder {cache} is not writable: datasets cannot be downloaded",
                      "set DLCOURSE_DATA to a folder you can write to, or fix its permissions")
    summary = f"{len(verified)} of {len(rows)} registry files cached and verified in {cache}"
    if corrupt:
        return Result("data", name, WARN,
                      f"{summary}; {len(corrupt)} corrupted (sha256 mismatch): "
                      + ", ".join(corrupt[:5]) + ("..." if len(corrupt) > 5 else "")
                      + "; they are deleted and downloaded again on first use",
                      "make data   (re-downloads and verifies them now, while you are online)")
    if missing:
        mirror = p.environ.get("DLCOURSE_MIRROR", "").strip()
        source = (f"copied from DLCOURSE_MIRROR={mirror} on first use" if mirror
                  else "downloaded on first use, needs internet")
        return Result("data", name, WARN,
                      f"{summary}; {len(missing)} missing ({source}): "
                      + ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else ""),
                      "make data   (fetches and verifies all of them now)")
    return Result("data", name, OK, summary + " (hub datasets such as MNIST or GloVe "
                  "are downloaded by Keras on first use)")


def _disk_paths(p: Probes) -> list[str]:
    paths = [str(p.root)]
    data = p.environ.get("DLCOURSE_DATA", "").strip()
    if data:
        paths.append(data)
    paths.append(p.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras"))
    out = []
    for path in paths:
        here = Path(path)
        while not here.exists() and here != here.parent:
            here = here.parent
        out.append(str(here))
    return list(dict.fromkeys(out))


def check_disk(ctx: _Context) -> Result:
    p = ctx.probes
    name = "Disk"
    lowest = None
    for path in _disk_paths(p):
        try:
            free = p.disk_free(path)
        except OSError as exc:
            return Result("disk", name, WARN, f"cannot measure free space at {path}: {exc}")
        if lowest is None or free < lowest[1]:
            lowest = (path, free)
    path, free = lowest
    need = f"the course needs about {DISK_NEED_GB:.0f} GB (datasets, Keras downloads, " \
           f"pretrained weights, checkpoints)"
    if free < DISK_MIN_GB * 1e9:
        return Result("disk", name, FAIL, f"{_gb(free)} free at {path}; {need}",
                      f"free at least {DISK_NEED_GB - free / 1e9:.1f} GB there, or set "
                      f"DLCOURSE_DATA and KERAS_HOME to a bigger disk")
    if free < DISK_NEED_GB * 1e9:
        return Result("disk", name, WARN, f"{_gb(free)} free at {path}; {need}",
                      f"free about {DISK_NEED_GB - free / 1e9:.1f} GB more, or set "
                      f"DLCOURSE_DATA and KERAS_HOME to a bigger disk")
    return Result("disk", name, OK, f"{_gb(free)} free at {path} (need ~{DISK_NEED_GB:.0f} GB)")


def check_ram(ctx: _Context) -> Result:
    p = ctx.probes
    name = "RAM"
    info = p.meminfo()
    if not info or "MemTotal" not in info:
        return Result("ram", name, WARN,
                      f"cannot read /proc/meminfo on {p.platform}; the course needs "
                      f"{RAM_NEED_GB:.0f} GB of RAM", "check it in your system settings")
    total = info["MemTotal"] * 1024
    available = info.get("MemAvailable", info.get("MemFree", 0)) * 1024
    text = f"{_gb(total)} total, {_gb(available)} available"
    if total < RAM_NEED_GB * 1e9 * 0.95:  # "4 GB" machines report a bit less
        return Result("ram", name, FAIL,
                      f"{text}; the full-mode chapters need {RAM_NEED_GB:.0f} GB",
                      "use a machine with more memory, or a hosted notebook service "
                      "(or run chapters in fast mode: DLCOURSE_FAST=1)")
    if available < RAM_AVAILABLE_GB * 1e9:
        return Result("ram", name, WARN,
                      f"{text}; less than {RAM_AVAILABLE_GB:.0f} GB free right now, training "
                      f"may be slow or killed", "close other programs (browsers, other kernels)")
    return Result("ram", name, OK, f"{text} (need {RAM_NEED_GB:.0f} GB)")


CHECKS: tuple[Callable[[_Context], Result], ...] = (
    check_python, check_packages, check_pins, check_tensorflow, check_keras, check_gpu,
    check_kernel, check_nbgrader, check_data, check_disk, check_ram,
)
_NEEDS_TF = {"tensorflow", "keras", "gpu"}


# --------------------------------------------------------------------------------------
# Running and reporting
# --------------------------------------------------------------------------------------


def run_checks(quick: bool = False, probes: Probes | None = None,
               timeout: float = TF_TIMEOUT_S) -> list[Result]:
    """Run every check and return the results in a fixed order.

    ``quick`` skips the slow probes (importing TensorFlow, asking it for GPUs).
    The TensorFlow probe runs in the background while the other checks work.
    A check that crashes becomes a ✗ result naming the bug, the others still run.
    """
    p = probes if probes is not None else Probes()
    ctx = _Context(probes=p, quick=quick)
    with ThreadPoolExecutor(max_workers=2) as pool:
        tf_future = None if quick else pool.submit(p.probe_tensorflow, timeout)
        smi_future = None if quick else pool.submit(p.nvidia_smi)
        early = []
        for check in CHECKS:
            if _check_id(check) in _NEEDS_TF:
                continue
            early.append(_safe(check, ctx))
        if tf_future is not None:
            ctx.tf = tf_future.result()
            ctx.nvidia = smi_future.result()
    late = {_check_id(c): _safe(c, ctx) for c in CHECKS if _check_id(c) in _NEEDS_TF}
    by_id = {r.id: r for r in early} | late
    return [by_id[_check_id(c)] for c in CHECKS]


def _check_id(check: Callable) -> str:
    return check.__name__.removeprefix("check_")


def _safe(check: Callable[[_Context], Result], ctx: _Context) -> Result:
    try:
        return check(ctx)
    except Exception as exc:  # a bug in one check must not hide the others
        return Result(_check_id(check), _check_id(check), FAIL,
                      f"the check itself crashed: {type(exc).__name__}: {exc}",
                      "please report this with the output of `python check_env.py --json`")


def _symbols_for(stream) -> dict[str, str]:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "".join(SYMBOLS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII_SYMBOLS
    return SYMBOLS


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [indent]


def format_report(results: list[Result], *, quick: bool = False, width: int = 100,
                  symbols: Mapping[str, str] = SYMBOLS) -> str:
    """The human-readable table: one line per check, details and fixes indented."""
    name_w = max(len(r.name) for r in results)
    lines = ["Deep Learning, Step by Step: environment check"
             + (" (quick: TensorFlow and GPU not probed)" if quick else ""), ""]
    for r in results:
        head = f" {symbols[r.status]:>2} {r.name:<{name_w}}  "
        body = _wrap(r.detail, width, " " * len(head))
        body[0] = head + body[0].lstrip()
        lines.extend(body)
        if r.fix and r.status in {FAIL, WARN}:
            fix_lines = _wrap("fix: " + r.fix, width, " " * (len(head) + 2))
            lines.extend(fix_lines)
    fails = [r for r in results if r.status == FAIL]
    warns = [r for r in results if r.status == WARN]
    lines.append("")
    if fails:
        lines.append(f"Verdict: NOT READY: {len(fails)} problem(s) to fix "
                     f"({', '.join(r.name for r in fails)})"
                     + (f", {len(warns)} warning(s)" if warns else "") + ".")
    elif warns:
        lines.append(f"Verdict: ready, with {len(warns)} warning(s) worth reading "
                     f"({', '.join(r.name for r in warns)}).")
    else:
        lines.append("Verdict: ready. Start with `make lab`.")
    lines.append(f"Assumed needs: Python >= {'.'.join(map(str, MIN_PYTHON))}, "
                 f"{DISK_NEED_GB:.0f} GB free disk, {RAM_NEED_GB:.0f} GB RAM.")
    return "\n".join(lines)


def print_report(results: list[Result], file=None, *, quick: bool | None = None) -> None:
    """Print the table to ``file`` (stdout). ``usable(results)`` gives the verdict as a bool.

    ``quick`` only changes the title; by default it is inferred from skipped slow checks.
    """
    stream = file if file is not None else sys.stdout
    if quick is None:
        quick = any(r.status == SKIP and r.detail.endswith("(--quick)") for r in results)
    print(format_report(results, quick=quick, symbols=_symbols_for(stream)), file=stream)


def to_json(results: list[Result], *, quick: bool, probes: Probes | None = None) -> str:
    p = probes if probes is not None else Probes()
    return json.dumps({
        "usable": usable(results),
        "quick": quick,
        "python": p.executable,
        "platform": platform.platform(),
        "assumptions": {"min_python": ".".join(map(str, MIN_PYTHON)),
                        "disk_need_gb": DISK_NEED_GB, "disk_min_gb": DISK_MIN_GB,
                        "ram_need_gb": RAM_NEED_GB, "ram_available_gb": RAM_AVAILABLE_GB},
        "checks": [r.to_dict() for r in results],
    }, indent=2)


def main(argv: list[str] | None = None, probes: Probes | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="check_env.py",
        description="Check that this machine is ready for the course; list every problem "
                    "with its fix. Exit code 0 when the course is usable, 1 otherwise.")
    parser.add_argument("--json", action="store_true", help="print JSON for machines")
    parser.add_argument("--quick", action="store_true",
                        help="skip the slow probes (importing TensorFlow, GPU detection)")
    parser.add_argument("--timeout", type=float, default=TF_TIMEOUT_S,
                        help=f"seconds to wait for TensorFlow to import (default {TF_TIMEOUT_S:.0f})")
    args = parser.parse_args(argv)
    p = probes if probes is not None else Probes()
    results = run_checks(quick=args.quick, probes=p, timeout=args.timeout)
    if args.json:
        print(to_json(results, quick=args.quick, probes=p))
    else:
        print_report(results, quick=args.quick)
    return 0 if usable(results) else 1


"""Isolate step: a private folder per submission and a sandboxed kernel command.

Each submission is graded in a fresh temporary folder with two parts:

``course/``
    a one-student nbgrader course (source with hidden tests, the submission, a
    scratch gradebook); only the grading process reads it.
``box/``
    what the student's kernel sees: the assignment's data files and a scratch
    home. The kernel runs inside ``bwrap`` (bubblewrap) with only the system,
    the Python installation, ``dlcourse/`` and the data mirror mounted read-only,
    ``box/`` writable, no network (``--unshare-net``), its own PID namespace,
    no capabilities, and memory/file-size/CPU-core-dump limits set by
    :mod:`autograder.grading.launch`. The kernel talks to the grader over Unix
    sockets inside ``box/`` (ZeroMQ ``ipc`` transport), so no network is needed.

Without ``bwrap`` (not installed, or user namespaces disabled) the kernel still
gets the resource limits and the private working folder, and every result says
that file-system and network isolation were not enforced.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SANDBOX_MODES = ("auto", "bwrap", "none")
NO_SANDBOX_NOTE = ("isolation not enforced: bubblewrap (bwrap) is not usable here, so the "
                   "kernel could read other files and use the network "
                   "(install it: apt-get install -y bubblewrap)")


class IsolationError(RuntimeError):
    pass


@functools.lru_cache(maxsize=1)
def bwrap_problem() -> str | None:
    """None when ``bwrap`` can create a sandbox here, else why it cannot."""
    exe = shutil.which("bwrap")
    if exe is None:
        return "bwrap is not installed (apt-get install -y bubblewrap)"
    try:
        probe = subprocess.run(
            [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--unshare-net", "--unshare-pid", "--die-with-parent", "true"],
            capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap could not run: {e}"
    if probe.returncode != 0:
        return f"bwrap cannot create a sandbox here: {probe.stderr.strip() or probe.returncode}"
    return None


def resolve_mode(mode: str) -> str:
    """Turn ``auto`` into ``bwrap`` or ``none``; refuse ``bwrap`` when it cannot work."""
    if mode not in SANDBOX_MODES:
        raise ValueError(f"sandbox mode {mode!r}: use one of {SANDBOX_MODES}")
    problem = bwrap_problem() if mode != "none" else None
    if mode == "bwrap" and problem:
        raise IsolationError(f"sandbox requested but {problem}")
    if mode == "auto":
        return "none" if problem else "bwrap"
    return mode


def dlcourse_dir() -> Path:
    """The folder of the ``dlcourse`` package the kernels import (mounted read-only)."""
    import dlcourse

    if getattr(dlcourse, "__file__", None) is None:
        raise IsolationError(
            f"'dlcourse' resolves to a bare folder {list(dlcourse.__path__)}, not the course "
            f"package (a folder named dlcourse in the current directory shadows it); run "
            f"from another directory or install the project (make setup)")
    return Path(dlcourse.__file__).resolve().parent


def trusted_roots() -> list[str]:
    """Folders holding installed code: the Python installation and ``dlcourse``."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(dlcourse_dir())}
    for p in sys.path:  # site-packages outside the prefixes (e.g. --user installs)
        if p.endswith(("site-packages", "dist-packages")):
            roots.add(p)
    return sorted({os.path.realpath(r) for r in roots} | roots)


@dataclass
class Limits:
    cell_timeout: int = 120
    notebook_timeout: int = 600
    memory_mb: int = 4096
    file_mb: int = 512          # largest file the kernel may write
    output_chars: int = 2_000_000  # per cell, while executing (LimitOutput trims further)


@dataclass
class Sandbox:
    """How to start one kernel for one submission."""

    box: Path
    mode: str = "auto"
    limits: Limits = field(default_factory=Limits)
    extra_env: dict = field(default_factory=dict)

    def __post_init__(self):
        self.box = Path(self.box)
        self.mode = resolve_mode(self.mode)

    @property
    def runtime(self) -> Path:
        return self.box / ".kernel"

    @property
    def home(self) -> Path:
        return self.box / ".home"

    @property
    def note(self) -> str | None:
        return NO_SANDBOX_NOTE if self.mode == "none" else None

    def prepare(self) -> None:
        for d in (self.box, self.runtime, self.home, self.home / "mpl"):
            d.mkdir(parents=True, exist_ok=True)
        if self.mode == "bwrap":
            self._data_view()

    @property
    def data_view(self) -> Path:
        return self.home / "dlcourse-data"

    def _data_view(self) -> None:
        """A writable view of the data cache: the real cache is mounted read-only; the
        view has real folders for its top-level folders and symlinks for everything one
        level below, so files fetched from the mirror or stand-ins built by a notebook
        land in the box (and vanish with it). Two levels are enough for ``dlcourse.data``
        (``<cache>/file``, ``<cache>/standin/<set>``, ``<cache>/glove/...``) and keep this
        to a few dozen links instead of one per file.
        """
        real = data_cache()
        view = self.data_view
        view.mkdir(parents=True, exist_ok=True)
        if real is None:
            return
        for entry in real.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                (view / entry.name).mkdir(exist_ok=True)
                for sub in entry.iterdir():
                    (view / entry.name / sub.name).symlink_to(sub)
            else:
                (view / entry.name).symlink_to(entry)

    def env(self) -> dict:
        """A small, explicit environment: course flags, no secrets from ours."""
        keep = ("PATH", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "DLCOURSE_MIRROR",
                "DLCOURSE_DATA", "OMP_NUM_THREADS", "TF_NUM_INTEROP_THREADS",
                "TF_NUM_INTRAOP_THREADS")
        env = {k: os.environ[k] for k in keep if k in os.environ}
        env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
        env.update({
            "HOME": str(self.home), "MPLCONFIGDIR": str(self.home / "mpl"),
            "MPLBACKEND": "Agg", "DLCOURSE_FAST": "1", "DLCOURSE_STANDIN": "1",
            "TF_CPP_MIN_LOG_LEVEL": "3", "ABSL_MIN_LOG_LEVEL": "3",
            "PYTHONDONTWRITEBYTECODE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "JUPYTER_PLATFORM_DIRS": "1", "IPYTHONDIR": str(self.home / "ipython"),
            "XDG_CACHE_HOME": str(self.home / "cache"),
        })
        # dlcourse must import in the kernel even when it is not pip-installed (only its
        # own folder is mounted from the repository, so this exposes nothing else)
        pkg_parent = str(dlcourse_dir().parent)
        env["PYTHONPATH"] = os.pathsep.join(
            [pkg_parent] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                            if p and p != pkg_parent])
        if self.mode == "bwrap":
            env["DLCOURSE_DATA"] = str(self.data_view)
        env.update(self.extra_env)
        return env

    def _readonly_paths(self) -> list[str]:
        paths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc",
                 sys.prefix, sys.base_prefix, sys.exec_prefix, *trusted_roots()]
        from autograder import ROOT

        paths.append(str(dlcourse_dir()))
        for var in ("DLCOURSE_MIRROR", "DLCOURSE_DATA"):
            if os.environ.get(var):
                paths.append(os.environ[var])
        if (ROOT / "data").is_dir():
            paths.append(str(ROOT / "data"))  # downloaded data files only
        if data_cache() is not None:
            paths.append(str(data_cache()))
        real = []
        for p in paths:
            for q in (p, os.path.realpath(p)):
                if os.path.exists(q) and q not in real:
                    real.append(q)
        return real

    def wrap(self, argv: list[str]) -> list[str]:
        """The full command: resource limits, then (if available) the sandbox, then argv."""
        lim = self.limits
        launch = [sys.executable, "-I", str(Path(__file__).with_name("launch.py")),
                  "--memory-mb", str(lim.memory_mb), "--file-mb", str(lim.file_mb), "--"]
        if self.mode == "none":
            return launch + argv
        bw = [shutil.which("bwrap") or "bwrap", "--die-with-parent", "--unshare-net",
              "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", "grader",
              "--cap-drop", "ALL",
              # the kernel's parent-PID watchdog cannot see our PID from inside the
              # PID namespace; bwrap --die-with-parent does that job instead
              "--unsetenv", "JPY_PARENT_PID", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
              "--tmpfs", "/run", "--tmpfs", "/root", "--tmpfs", "/home"]
        for p in self._readonly_paths():
            bw += ["--ro-bind", p, p]
        bw += ["--bind", str(self.box), str(self.box), "--chdir", str(self.box)]
        return launch + bw + ["--"] + argv


def data_cache() -> Path | None:
    """The course's data cache (``dlcourse.data.cache_dir()``), if it exists."""
    try:
        from dlcourse.data import cache_dir
    except ImportError:
        return None
    path = cache_dir()
    return path if path.is_dir() else None


def kernel_argv(connection_file: str) -> list[str]:
    return [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file,
            "--HistoryManager.enabled=False"]


def _tmp_base() -> str:
    return os.environ.get("DLCOURSE_GRADER_TMP") or "/tmp"


def _fast_base() -> str:
    """RAM-backed folder for the scratch gradebook: nbgrader commits after every cell,
    and on a disk each SQLite commit waits for fsync (~30 ms here, 0.05 ms on tmpfs)."""
    shm = "/dev/shm"
    if not os.environ.get("DLCOURSE_GRADER_TMP") and os.path.isdir(shm) and os.access(
            shm, os.W_OK):
        return shm
    return _tmp_base()


def private_dir(fast: bool = False) -> Path:
    """A fresh folder for one submission; short path (Unix sockets live inside).

    ``fast=True`` puts it in RAM (``/dev/shm``) when possible: for the grader's own
    scratch files, never for the kernel's folder (notebooks may write large files).
    It records the grading process's PID so :func:`sweep_stale` can remove the folders
    of a run that was killed (they hold a copy of the hidden tests).
    """
    base = _fast_base() if fast else _tmp_base()
    path = Path(tempfile.mkdtemp(prefix="dlg-", dir=base))
    (path / "owner.pid").write_text(str(os.getpid()))
    return path


def sweep_stale() -> int:
    """Delete private folders whose grading process no longer exists; return how many."""
    removed = 0
    folders = {p for base in {_tmp_base(), _fast_base()} for p in Path(base).glob("dlg-*")}
    for folder in folders:
        try:
            pid = int((folder / "owner.pid").read_text())
        except (OSError, ValueError):
            continue  # not ours, or still being created
        try:
            os.kill(pid, 0)
            continue  # alive
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # someone else's live process
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def write_box(box: Path, files: dict[str, bytes]) -> None:
    """Copy the assignment's data files (never notebooks) into the kernel's folder."""
    for rel, data in files.items():
        target = (box / rel).resolve()
        if box.resolve() not in target.parents:
            raise IsolationError(f"assignment file {rel!r} would land outside the sandbox")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

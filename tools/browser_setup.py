"""Install what the browser test (tests/test_browser.py) needs: Debian's chromium.

Playwright for Python comes with the ``dev`` extra, but its own browser download
needs the internet; the test drives the distribution's ``chromium`` instead,
which comes from the apt archive (reachable in CI). Running this as root installs
it if missing; as a normal user it says which command to run. ``ensure_chromium()``
is what the test calls; several pytest workers may call it at once, so the
install is serialised with a lock file.

    python tools/browser_setup.py          # install if needed, then check it starts
    python tools/browser_setup.py --check  # only report, install nothing
"""
from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

# where Debian puts the browser, then what may be on PATH elsewhere
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
APT_PACKAGE = "chromium"
LOCK = Path("/tmp/dlcourse-browser-setup.lock")


class BrowserUnavailable(RuntimeError):
    """The browser is missing and cannot be installed here (the message says why)."""


def find_chromium() -> Path | None:
    """The chromium executable: $DLCOURSE_CHROMIUM if set, else the usual places."""
    override = os.environ.get("DLCOURSE_CHROMIUM")
    if override:
        path = Path(override)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BrowserUnavailable(f"DLCOURSE_CHROMIUM={override} is not an executable file")
        return path
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def chromium_version(path: Path) -> str:
    """``chromium --version`` (proves the binary and its libraries load)."""
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                             timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise BrowserUnavailable(f"{path} does not run: {e}") from e
    version = out.stdout.strip()
    if out.returncode != 0 or "chrom" not in version.lower():
        raise BrowserUnavailable(f"{path} --version failed (exit {out.returncode}): "
                                 f"{(out.stdout + out.stderr).strip()[-500:]}")
    return version


def _apt_install(log) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", APT_PACKAGE]):
        log(f"+ {' '.join(cmd)}")
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        except subprocess.TimeoutExpired as e:
            raise BrowserUnavailable(f"`{' '.join(cmd)}` took longer than 15 minutes") from e
        if out.returncode != 0:
            raise BrowserUnavailable(
                f"`{' '.join(cmd)}` failed (exit {out.returncode}); is the Debian archive "
                f"reachable?\n{(out.stdout + out.stderr).strip()[-1500:]}")


def ensure_chromium(install: bool = True, log=print) -> tuple[Path, str]:
    """Return (path, version) of a working chromium, installing it with apt if needed.

    Raises :class:`BrowserUnavailable` with the reason and the fix when there is
    no browser and this process cannot install one (not root, no apt-get, apt failed).
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as e:
        raise BrowserUnavailable(
            "the Python package 'playwright' is missing; install the dev extra: "
            "`.venv/bin/pip install -e '.[dev]'` (or run `make setup`)") from e
    path = find_chromium()
    if path is None and install:
        if os.geteuid() != 0:
            raise BrowserUnavailable(
                f"chromium is not installed and this is not root; install it with "
                f"`sudo apt-get install -y {APT_PACKAGE}` (or set DLCOURSE_CHROMIUM to a "
                f"Chromium/Chrome executable)")
        if shutil.which("apt-get") is None:
            raise BrowserUnavailable(
                "chromium is not installed and there is no apt-get to install it; install "
                "Chromium with the system's package manager or set DLCOURSE_CHROMIUM")
        with LOCK.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another pytest worker may be installing
            path = find_chromium()
            if path is None:
                log(f"chromium missing: installing the Debian package '{APT_PACKAGE}'")
                _apt_install(log)
                path = find_chromium()
    if path is None:
        raise BrowserUnavailable(
            f"chromium is not installed (looked for {', '.join(CANDIDATES)}); run "
            f"`python tools/browser_setup.py` as root or set DLCOURSE_CHROMIUM")
    return path, chromium_version(path)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="only report, install nothing")
    args = p.parse_args()
    try:
        path, version = ensure_chromium(install=not args.check)
    except BrowserUnavailable as e:
        print(f"browser test unavailable: {e}")
        return 1
    print(f"browser ready: {path} ({version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

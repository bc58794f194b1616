"""Install the Debian packages the test suite uses, once, before pytest starts.

| package     | used by |
|-------------|---------|
| bubblewrap  | the grader's sandbox (no network, no view of other processes) |
| postgresql  | the shared-gradebook test (a real server on a loopback port) |
| chromium    | the end-to-end browser test (Playwright drives the system browser) |

Missing packages are installed with one ``apt-get install`` when running as root
(CI runs as root); otherwise the command to run is printed and the affected tests
say why they skip. Nothing here is fatal: the suite decides what a missing tool means.

    python tools/system_deps.py           # install what is missing
    python tools/system_deps.py --check   # only report
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys

PACKAGES = {
    "bubblewrap": lambda: shutil.which("bwrap") is not None,
    "postgresql": lambda: bool(shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb")),
    "chromium": lambda: any(shutil.which(n) for n in ("chromium", "chromium-browser")),
}


def missing() -> list[str]:
    return [name for name, present in PACKAGES.items() if not present()]


def install(packages: list[str]) -> bool:
    if not packages:
        return True
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"system_deps: missing {', '.join(packages)}; install them with "
              f"`sudo apt-get install -y {' '.join(packages)}` (affected tests will skip)")
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]):
        print("system_deps: +", " ".join(cmd), flush=True)
        try:
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
        except subprocess.TimeoutExpired:
            print(f"system_deps: `{' '.join(cmd)}` timed out after 20 minutes")
            return False
        if result.returncode != 0:
            print(f"system_deps: `{' '.join(cmd)}` failed (exit {result.returncode}):\n"
                  f"{(result.stdout + result.stderr)[-1500:]}")
            return False
    still = missing()
    if still:
        print(f"system_deps: still missing after apt-get: {', '.join(still)}")
        return False
    return True


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="only report, install nothing")
    args = p.parse_args()
    todo = missing()
    if not todo:
        print("system_deps: bubblewrap, postgresql and chromium are installed")
        return 0
    if args.check:
        print(f"system_deps: missing {', '.join(todo)}")
        return 1
    return 0 if install(todo) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Start JupyterLab on course/ (what `make lab` runs).

Adds ``--allow-root`` only when running as root, and keeps the server's working
directory at course/ so nbgrader's Validate button finds the course config.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def command(port: int, token: str | None = None, browser: bool = True) -> list[str]:
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={ROOT / 'course'}",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if not browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=8888)
    p.add_argument("--token", default=None, help="fixed login token (default: random)")
    p.add_argument("--no-browser", action="store_true")
    args = p.parse_args()
    cmd = command(args.port, args.token, browser=not args.no_browser)
    os.chdir(ROOT / "course")
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())

"""Run the whole test suite the way CI does (`make test`).

Sets the test modes (fast, stand-ins, offline mirror), runs pytest across WORKERS
processes with pytest-xdist, prints the wall time, and turns "no tests collected"
into a failure so an empty run can never look green.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-n", "--workers", default=os.environ.get("WORKERS", "2"))
    p.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = p.parse_args()
    env = dict(os.environ)
    env.setdefault("DLCOURSE_FAST", "1")
    env.setdefault("DLCOURSE_STANDIN", "1")
    mirror = env.get("DLCOURSE_MIRROR") or str(ROOT.parent / "shared" / "data")
    if Path(mirror).is_dir():
        env["DLCOURSE_MIRROR"] = mirror
    else:
        env.pop("DLCOURSE_MIRROR", None)
        print(f"note: no data mirror at {mirror}; tests that need real data files will "
              "download them (or fail offline)")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("MPLBACKEND", "Agg")
    # Debian packages some tests use (sandbox, PostgreSQL, browser); never fatal here
    subprocess.call([sys.executable, str(ROOT / "tools" / "system_deps.py")], cwd=ROOT)
    cmd = [sys.executable, "-m", "pytest", "-n", str(args.workers), "--durations=15",
           "-p", "no:cacheprovider", *args.pytest_args]
    print("+", " ".join(cmd), flush=True)
    start = time.monotonic()
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    print(f"test suite wall time: {time.monotonic() - start:.0f} s", flush=True)
    if code == 5:
        print("error: pytest collected no tests")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())

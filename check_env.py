#!/usr/bin/env python3
"""Is this machine ready for *Deep Learning, Step by Step*? Lists every problem with its fix.

    python check_env.py            # full check (imports TensorFlow in a child process)
    python check_env.py --quick    # skip TensorFlow and GPU probes (used by `make lab`)
    python check_env.py --json     # machine-readable

Exit code 0 when the course is usable (warnings allowed), 1 otherwise. The checks live in
dlcourse/doctor.py; this file only makes them runnable from the project root even when
the course package is not installed.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dlcourse.doctor import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

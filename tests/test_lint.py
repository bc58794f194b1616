"""The Python sources stay ruff-clean (the same check as `make lint`)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean():
    targets = [p for p in ("dlcourse", "autograder", "tests", "tools", "benchmarks", "check_env.py")
               if (ROOT / p).exists()]
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", *targets],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr

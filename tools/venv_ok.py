"""Exit 0 when VENV exists and was built by the interpreter running this script.

`make` calls this to decide whether .venv is stale (missing, broken, or made by
another Python, e.g. after a system upgrade) and must be recreated.
"""
import pathlib
import subprocess
import sys

venv = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".venv")
py = venv / "bin" / "python"
if not py.exists():
    sys.exit(1)
try:
    out = subprocess.run([str(py), "-c", "import sys; print(sys.version_info[:2])"],
                         capture_output=True, text=True, timeout=30).stdout.strip()
except (OSError, subprocess.SubprocessError):
    sys.exit(1)
sys.exit(0 if out == str(sys.version_info[:2]) else 1)

"""Start a command under resource limits: ``python -m autograder.grading.launch --memory-mb M -- CMD``.

Used as the first link of the kernel command (before ``bwrap``), so the limits are
inherited by the sandbox and the student's kernel:

- address space (``RLIMIT_AS``): a memory bomb gets ``MemoryError`` instead of
  exhausting the machine;
- file size (``RLIMIT_FSIZE``): no file larger than ``--file-mb`` (writes fail with
  ``OSError: File too large``, the signal is ignored so the kernel survives);
- core dumps off (a crashing kernel does not fill the disk).
"""
from __future__ import annotations

import argparse
import os
import resource
import signal
import sys


def apply_limits(memory_mb: int, file_mb: int) -> None:
    mem = int(memory_mb) * 1024 * 1024
    fsize = int(file_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.grading.launch")
    p.add_argument("--memory-mb", type=int, required=True)
    p.add_argument("--file-mb", type=int, default=512)
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        p.error("no command given after --")
    apply_limits(args.memory_mb, args.file_mb)
    os.execvp(cmd[0], cmd)
    return 127  # pragma: no cover - execvp does not return


if __name__ == "__main__":
    sys.exit(main())

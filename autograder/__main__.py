"""``python -m autograder``: release chapters, check a notebook, grade a class."""
from __future__ import annotations

import argparse
import sys

from autograder import chapter_slugs


def cmd_release(args) -> int:
    from autograder import release

    if args.check:
        problems = release.check(args.slugs or None)
        if problems:
            print("course/ is out of sync with solutions/:")
            for p in problems:
                print(f"  - {p}")
            print("Fix: python -m autograder release")
            return 1
        print(f"course/ is in sync with solutions/ ({len(args.slugs or chapter_slugs())} chapters)")
        return 0
    done = release.release(args.slugs or None)
    print(f"released {len(done)} chapter(s) into course/: {', '.join(done)}")
    return 0


def cmd_check(args) -> int:
    from autograder.check import check_notebook

    return check_notebook(args.notebook, fast=not args.full, timeout=args.cell_timeout)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m autograder",
        description="Instructor tools for Deep Learning, Step by Step (built on nbgrader).")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("release", help="regenerate course/ (student edition) from solutions/")
    r.add_argument("slugs", nargs="*", metavar="SLUG", help="chapters (default: all)")
    r.add_argument("--check", action="store_true",
                   help="do not write; exit 1 if course/ differs from a fresh release")
    r.set_defaults(func=cmd_release)

    c = sub.add_parser("check", help="run a notebook's visible tests and summarise them")
    c.add_argument("notebook", help="path to a chapter notebook (student or source edition)")
    c.add_argument("--full", action="store_true", help="run in full mode (default: fast mode)")
    c.add_argument("--cell-timeout", type=int, default=300, metavar="S")
    c.set_defaults(func=cmd_check)

    try:  # the grading pipeline registers its own sub-command
        from autograder import cli_grade
    except ImportError:
        cli_grade = None
    if cli_grade is not None:
        cli_grade.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""``python -m autograder grade SLUG SUBMISSIONS --workspace DIR``: grade a class.

Registered into ``python -m autograder`` by :func:`register`. Exit codes: 0 all
submissions graded (problems are listed in the report, they are not failures of
the command), 1 some submissions could not be graded because the grader itself
failed (rerun to retry them), 2 bad arguments or an assignment/submissions error.
"""
from __future__ import annotations

import argparse
from pathlib import Path

EPILOG = """\
examples:
  python -m autograder grade 03_numpy submissions/ --workspace grading/03_numpy
  python -m autograder grade 03_numpy lms_download.zip --workspace grading/03_numpy \\
      --zip-pattern '^(?P<student_id>[^_]+)_\\d+_\\d+_(?P<file_id>.+\\.ipynb)$'
  python -m autograder grade 03_numpy submissions/ --workspace /shared/grading \\
      --db postgresql://grader@db/dlcourse --scheduler tcp://scheduler:8786

outputs in the workspace: grades.csv, report.html, score_histogram.png,
feedback/STUDENT/SLUG.html, and an nbgrader course (gradebook, autograded/) for
`nbgrader formgrader`. Rerunning grades only new or changed notebooks.
"""


def register(subparsers) -> None:
    g = subparsers.add_parser(
        "grade", help="autograde a folder or zip of student submissions",
        description=__doc__.split("\n\n")[0], epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("slug", metavar="SLUG", help="assignment (chapter) slug, e.g. 03_numpy")
    g.add_argument("submissions", metavar="SUBMISSIONS", type=Path,
                   help="folder with one sub-folder per student, or an LMS zip download")
    g.add_argument("--workspace", required=True, type=Path, metavar="DIR",
                   help="where the gradebook, feedback and reports go (created if missing)")
    g.add_argument("--workers", type=int, default=2, metavar="N",
                   help="parallel kernels on this machine (default 2)")
    g.add_argument("--cell-timeout", type=int, default=120, metavar="S",
                   help="seconds per cell before it is interrupted (default 120)")
    g.add_argument("--notebook-timeout", type=int, default=600, metavar="S",
                   help="seconds for a whole notebook (default 600)")
    g.add_argument("--memory-mb", type=int, default=4096, metavar="M",
                   help="address-space limit of each kernel in MB (default 4096)")
    g.add_argument("--db", metavar="URL", default=None,
                   help="gradebook URL (default: sqlite in the workspace), e.g. "
                        "postgresql://user@host/db for shared grading")
    g.add_argument("--scheduler", metavar="ADDR", default=None,
                   help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786")
    g.add_argument("--zip-pattern", metavar="REGEX", default=None,
                   help="regex with (?P<student_id>...) for file names inside a zip")
    g.add_argument("--sandbox", choices=["auto", "bwrap", "none"], default="auto",
                   help="kernel isolation: bwrap if usable (auto), required, or off")
    g.add_argument("--source-root", type=Path, default=None, metavar="DIR",
                   help="folder holding solutions/SLUG/SLUG.ipynb (default: this repository)")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    g.set_defaults(func=cmd_grade)

    s = subparsers.add_parser(
        "sandbox", help="say whether kernels can be isolated here (bubblewrap)",
        description="Exit 0 if grading kernels can run in a bubblewrap sandbox here, "
                    "1 (with what to do) if not. For setup scripts and CI.")
    s.set_defaults(func=cmd_sandbox)


def cmd_sandbox(args) -> int:
    from autograder.grading.isolate import bwrap_problem

    problem = bwrap_problem()
    if problem:
        print(f"sandbox: NOT available: {problem}\n"
              f"grading still works, but kernels can read other files and use the network; "
              f"reports will say so. Debian/Ubuntu: apt-get install -y bubblewrap")
        return 1
    print("sandbox: bubblewrap works (no network, private files, own PID namespace)")
    return 0


def cmd_grade(args) -> int:
    from autograder import ROOT
    from autograder.grading import grade
    from autograder.grading.assignment import AssignmentError
    from autograder.grading.collect import CollectError
    from autograder.grading.isolate import IsolationError

    try:
        results = grade(args.slug, args.submissions, args.workspace, workers=args.workers,
                        cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                        memory_mb=args.memory_mb, db_url=args.db, scheduler=args.scheduler,
                        progress=not args.no_progress, sandbox=args.sandbox,
                        zip_pattern=args.zip_pattern, source_root=args.source_root or ROOT)
    except (AssignmentError, CollectError, IsolationError, RuntimeError) as e:
        print(f"error: {e}")
        return 2
    failed = [r for r in results if not r.sha256]
    reused = sum(r.reused for r in results)
    print(f"{args.slug}: {len(results)} submission(s), {len(results) - reused} graded now, "
          f"{reused} unchanged since the last run")
    for r in results:
        flag = f"  ({len(r.problems)} problem(s))" if r.problems else ""
        print(f"  {r.student:<24} {r.autograded:g} / {r.autograded_max:g}{flag}")
    ws = args.workspace
    print(f"report: {ws / 'report.html'}\ngrades: {ws / 'grades.csv'}\n"
          f"feedback: {ws / 'feedback'}/STUDENT/{args.slug}.html")
    if failed:
        print(f"{len(failed)} submission(s) hit a grader failure; run the same command "
              f"again to retry them: {', '.join(r.student for r in failed)}")
        return 1
    return 0

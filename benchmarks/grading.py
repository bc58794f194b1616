"""Benchmark: our grader vs plain serial ``nbgrader autograde`` on the same submissions.

    python benchmarks/grading.py                     # the sample assignment, 8 submissions
    python benchmarks/grading.py --slug 03_numpy -n 8 --workers 2

Everything is measured in the same run, on the same machine:

floor
    start a plain kernel (no sandbox) and run the notebook's imports — the part of
    grading no grader can avoid; and the plain execution of the whole notebook with
    nbclient (kernel start + every cell).
nbgrader
    ``nbgrader generate_assignment`` (not timed) then ``nbgrader autograde SLUG``
    over all N submissions (one process, one notebook after the other) — timed.
ours
    ``autograder.grading.grade(..., workers=W)`` — timed end to end, including
    registering the assignment, the sandbox, feedback and the report.

Printed: wall times, the speed ratio nbgrader/ours, and our per-submission overhead
(the worker's time per notebook minus the plain nbclient execution time).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder import ROOT  # noqa: E402
from autograder.grading.sample import SAMPLE_ROOT, SAMPLE_SLUG, solution, student_edition  # noqa: E402


def course_env() -> dict:
    env = dict(os.environ)
    env.update(DLCOURSE_FAST="1", DLCOURSE_STANDIN="1", TF_CPP_MIN_LOG_LEVEL="3",
               MPLBACKEND="Agg", PYTHONPATH=os.pathsep.join(
                   [str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]))
    return env


def import_lines(nb_bytes: bytes) -> str:
    """The notebook's import statements (what every kernel must load before grading)."""
    import nbformat

    nb = nbformat.reads(nb_bytes.decode(), as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines += [ln for ln in cell.source.splitlines()
                      if ln.startswith(("import ", "from ")) and " import " in ln or
                      ln.startswith("import ")]
            if "setup(" in cell.source and "from dlcourse import" in cell.source:
                lines.append("import keras")  # dlcourse.setup() imports Keras/TensorFlow
    return "\n".join(dict.fromkeys(lines))


def floor_kernel_imports(code: str, repeats: int = 3) -> float:
    from jupyter_client.manager import start_new_kernel

    times = []
    env = course_env()
    for _ in range(repeats):
        t = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", env=env)
        try:
            reply = kc.execute_interactive(code, timeout=300)
            assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def floor_execution(nb_path: Path, repeats: int = 3) -> float:
    from dlcourse.testing import run_notebook

    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        run_notebook(nb_path, fast=True, standin=True, timeout=600, allow_errors=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_nbgrader(slug: str, source_root: Path, subs: dict[str, bytes], tmp: Path) -> float:
    course = tmp / "nbgrader_course"
    shutil.copytree(source_root / "solutions" / slug, course / "source" / slug)
    for student, data in subs.items():
        (course / "submitted" / student / slug).mkdir(parents=True)
        (course / "submitted" / student / slug / f"{slug}.ipynb").write_bytes(data)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        "c.Exchange.root = 'exchange'\n"
        "c.ExecutePreprocessor.timeout = 300\n"
        "c.ExecutePreprocessor.raise_on_iopub_timeout = False\n")
    env = course_env()
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run(nbgrader + ["generate_assignment", slug, "--force"], cwd=course, env=env,
                   check=True, capture_output=True)
    t = time.perf_counter()
    out = subprocess.run(nbgrader + ["autograde", slug, "--force"], cwd=course, env=env,
                         capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(f"nbgrader autograde failed:\n{out.stderr[-3000:]}")
    return elapsed


def run_ours(slug: str, source_root: Path, subs: dict[str, bytes], tmp: Path, workers: int):
    from autograder.grading import grade

    folder = tmp / "submissions"
    for student, data in subs.items():
        (folder / student).mkdir(parents=True)
        (folder / student / f"{slug}.ipynb").write_bytes(data)
    t = time.perf_counter()
    results = grade(slug, folder, tmp / "workspace", workers=workers, source_root=source_root,
                    progress=False)
    return time.perf_counter() - t, results


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--slug", default=None, help=f"assignment (default: the sample, {SAMPLE_SLUG})")
    p.add_argument("-n", type=int, default=8, help="number of submissions (default 8)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3, help="repeats of the floor measurements")
    args = p.parse_args(argv)
    slug = args.slug or SAMPLE_SLUG
    source_root = ROOT if args.slug else SAMPLE_ROOT
    sol, stub = solution(slug, source_root), student_edition(slug, source_root)
    # half full marks, half untouched: both paths through the tests
    subs = {f"student{i:02d}": sol if i % 2 == 0 else stub for i in range(args.n)}
    print(f"benchmark: {slug}, {args.n} submissions, {args.workers} workers, "
          f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="dlcourse-bench-") as tmp:
        tmp = Path(tmp)
        nb_path = tmp / f"{slug}.ipynb"
        nb_path.write_bytes(sol)
        shutil.copytree(source_root / "solutions" / slug, tmp / "exec", dirs_exist_ok=True)
        kernel_floor = floor_kernel_imports(import_lines(sol), args.repeats)
        exec_floor = floor_execution(tmp / "exec" / f"{slug}.ipynb", args.repeats)
        t_nbgrader = run_nbgrader(slug, source_root, subs, tmp)
        t_ours, results = run_ours(slug, source_root, subs, tmp, args.workers)
    bad = [r.student for r in results
           if r.autograded != (r.autograded_max if subs[r.student] is sol else 0.0)]
    per_sub = statistics.mean(r.seconds for r in results)
    print(f"floor: kernel start + imports     {kernel_floor:6.2f} s")
    print(f"floor: plain nbclient execution    {exec_floor:6.2f} s per notebook")
    print(f"nbgrader autograde, serial         {t_nbgrader:6.2f} s  "
          f"({t_nbgrader / args.n:.2f} s per submission)")
    print(f"ours, {args.workers} workers                     {t_ours:6.2f} s  "
          f"({t_ours / args.n:.2f} s per submission, wall)")
    print(f"speed ratio nbgrader/ours          {t_nbgrader / t_ours:6.2f}x")
    print(f"our time per notebook in a worker  {per_sub:6.2f} s  -> overhead over the "
          f"execution floor {per_sub - exec_floor:+.2f} s, over kernel+imports "
          f"{per_sub - kernel_floor:+.2f} s")
    if bad:
        print(f"WARNING: unexpected scores for {bad}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

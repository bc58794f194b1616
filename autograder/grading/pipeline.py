"""The grading pipeline: prepare → collect → (isolate → execute → score → feedback)
in parallel → merge → report. See :mod:`autograder.grading` for the step map."""
from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from autograder import ROOT


@dataclass
class SubmissionResult:
    """One student's outcome (the contract used by the chapter self-tests)."""

    student: str
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)
    autograded: float = 0.0
    autograded_max: float = 0.0
    problems: list[str] = field(default_factory=list)
    feedback_path: Path | None = None
    sha256: str = ""
    reused: bool = False          # already graded by an earlier run (same notebook, same source)
    seconds: float = 0.0


def default_db_url(workspace: Path) -> str:
    return f"sqlite:///{Path(workspace).resolve() / 'gradebook.db'}"


@contextlib.contextmanager
def make_executor(workers: int, scheduler: str | None) -> Executor:
    """A local process pool, or the executor of a Dask cluster at ``scheduler``."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError as e:  # pragma: no cover - distributed is a dependency
            raise RuntimeError("--scheduler needs the 'distributed' package") from e
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as e:
            raise RuntimeError(f"cannot reach the Dask scheduler at {scheduler} ({e}); "
                               f"start one with `dask scheduler` and workers with "
                               f"`dask worker {scheduler}`") from e
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=max(1, workers),
                             mp_context=multiprocessing.get_context(method)) as pool:
        yield pool


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="nb", disable=not enabled or total == 0,
                file=sys.stderr, dynamic_ncols=True)


def grade(slug: str, submissions, workspace, *, workers: int = 2, cell_timeout: int = 120,
          notebook_timeout: int = 600, memory_mb: int = 4096, db_url: str | None = None,
          scheduler: str | None = None, source_root=ROOT, progress: bool = True,
          sandbox: str = "auto", zip_pattern: str | None = None) -> list[SubmissionResult]:
    """Grade every submission of ``slug`` in ``submissions`` into ``workspace``.

    Submissions already graded with the same notebook (SHA-256) against the same
    assignment source are not run again. Returns one result per collected student.
    """
    from autograder.grading import isolate

    workspace = Path(workspace).resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    with workspace_lock(workspace):
        isolate.sweep_stale()  # leftovers of a killed run (they hold hidden tests)
        return _grade(slug, submissions, workspace, workers=workers, cell_timeout=cell_timeout,
                      notebook_timeout=notebook_timeout, memory_mb=memory_mb, db_url=db_url,
                      scheduler=scheduler, source_root=source_root, progress=progress,
                      sandbox=sandbox, zip_pattern=zip_pattern)


@contextlib.contextmanager
def workspace_lock(workspace: Path):
    """One grading run per workspace at a time (the run is the gradebook's single writer)."""
    import fcntl
    import os

    path = workspace / ".grading.lock"
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            raise RuntimeError(f"another grading run (pid {fh.read().strip() or '?'}) is using "
                               f"{workspace}; wait for it to finish") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _grade(slug, submissions, workspace: Path, *, workers, cell_timeout, notebook_timeout,
           memory_mb, db_url, scheduler, source_root, progress, sandbox, zip_pattern):
    from autograder.grading import assignment, collect, isolate, merge, report
    from autograder.grading.worker import (
        GradeTask,
        WorkerResult,
        grade_submission,
        quiet_nbgrader_warnings,
        warm_up,
    )

    quiet_nbgrader_warnings()
    db_url = db_url or default_db_url(workspace)
    mode = isolate.resolve_mode(sandbox)
    limits = isolate.Limits(cell_timeout=cell_timeout, notebook_timeout=notebook_timeout,
                            memory_mb=memory_mb)
    threading.Thread(target=report.preload, daemon=True).start()  # plotting, for the end

    bundle = assignment.prepare(slug, workspace, db_url, Path(source_root))        # prepare
    subs, ignored = collect.collect(Path(submissions), slug, zip_pattern)          # collect
    max_points = sum(bundle.test_cells.values())
    results: dict[str, SubmissionResult] = {}

    with merge.CentralGradebook(db_url) as central:
        known = central.records(slug)
        todo = []
        for sub in subs:
            rec = known.get(sub.student)
            fb = workspace / "feedback" / sub.student / f"{slug}.html"
            if (rec and rec.sha256 == sub.sha256 and rec.source_hash == bundle.source_hash
                    and fb.exists()):
                results[sub.student] = _from_record(rec, fb, reused=True)
            elif not sub.readable:                                                 # score: 0
                rec = merge.Record(sub.student, sub.sha256, bundle.source_hash,
                                   {g: (0.0, p) for g, p in bundle.test_cells.items()},
                                   list(sub.problems))
                path = merge.write_files(workspace, slug, sub.student, sub.data or None, None,
                                         report.unreadable_feedback(slug, sub.student,
                                                                    rec.problems, max_points))
                central.store(slug, rec, grades=None, timestamp=sub.timestamp)    # merge
                results[sub.student] = _from_record(rec, path)
            else:
                todo.append(sub)

        tasks = {sub.student: GradeTask(student=sub.student, notebook=sub.data, bundle=bundle,
                                        limits=limits, sandbox=mode, timestamp=sub.timestamp,
                                        sha256=sub.sha256)
                 for sub in todo}
        by_student = {sub.student: sub for sub in todo}
        if tasks:
            if scheduler is None:
                warm_up()  # forked workers inherit loaded libraries and compiled templates
            with make_executor(min(workers, len(tasks)), scheduler) as ex, \
                    _progress(len(tasks), progress) as bar:
                futures: dict[Future, str] = {ex.submit(grade_submission, t): s
                                              for s, t in tasks.items()}
                for fut in as_completed(futures):
                    student = futures[fut]
                    sub = by_student[student]
                    try:
                        out: WorkerResult = fut.result()
                    except Exception as e:  # the worker process itself died
                        out = WorkerResult(student=student, sha256=sub.sha256, ok=False,
                                           problems=[f"the grading worker failed "
                                                     f"({type(e).__name__}: {e}); it will be "
                                                     f"retried on the next run"])
                    results[student] = _merge_one(central, workspace, slug, bundle, sub, out)
                    bar.update(1)
        report.write_report(workspace, slug, list(central.records(slug).values()),    # report
                            bundle.test_cells, ignored, isolate.NO_SANDBOX_NOTE
                            if mode == "none" else None)
    return [results[s.student] for s in subs]


def _merge_one(central, workspace: Path, slug: str, bundle, sub, out) -> SubmissionResult:
    """Store one worker result centrally (files first, then grades, then the record)."""
    from autograder.grading import merge

    problems = list(sub.problems) + list(out.problems)
    scores = {g: out.scores.get(g, (0.0, p)) for g, p in bundle.test_cells.items()}
    # a grader failure is stored as 0 with no record, so the next run retries it
    rec = merge.Record(sub.student, sub.sha256 if out.ok else "", bundle.source_hash,
                       scores, problems)
    path = merge.write_files(workspace, slug, sub.student, sub.data,
                             out.autograded if out.ok else None,
                             out.feedback_html if out.ok else None)
    central.store(slug, rec, grades=out.grades if out.ok else None,
                  comments=out.comments if out.ok else None, timestamp=sub.timestamp)
    result = _from_record(rec, path)
    result.seconds = out.seconds
    return result


def _from_record(rec, feedback_path, reused: bool = False) -> SubmissionResult:
    return SubmissionResult(student=rec.student, scores=dict(rec.scores),
                            autograded=rec.autograded, autograded_max=rec.autograded_max,
                            problems=list(rec.problems), feedback_path=feedback_path,
                            sha256=rec.sha256, reused=reused)

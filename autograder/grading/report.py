"""Report step: ``grades.csv``, ``report.html`` and a score histogram (PNG).

Everything is built from the central gradebook's records of the assignment, so a
rerun that graded only a few changed submissions still reports the whole class.
"""
from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from autograder import ROOT

TEMPLATES = ROOT / "autograder" / "templates"


@dataclass
class ExerciseStats:
    grade_id: str
    points: float
    passed: int
    rate: float


def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                              autoescape=jinja2.select_autoescape(["html", "j2"]))


def exercise_stats(records, test_cells: dict[str, float]) -> list[ExerciseStats]:
    out = []
    n = len(records) or 1
    for gid, pts in test_cells.items():
        passed = sum(1 for r in records if r.scores.get(gid, (0, 0))[0] >= pts > 0)
        out.append(ExerciseStats(gid, pts, passed, passed / n))
    return out


def write_csv(path: Path, records, test_cells: dict[str, float]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student_id", *test_cells, "total", "max"])
        for r in records:
            w.writerow([r.student, *(f"{r.scores.get(g, (0.0, p))[0]:g}" for g, p in
                                     test_cells.items()),
                        f"{r.autograded:g}", f"{sum(test_cells.values()):g}"])
    return path


def preload() -> None:
    """Import the plotting code ahead of time (run in a thread while grading)."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401


def write_histogram(path: Path, totals: list[float], max_points: float, slug: str) -> Path:
    # the object-oriented API: no pyplot, no global backend switch in the caller's process
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    bins = max(1, min(20, int(max_points) + 1))
    ax.hist(totals, bins=bins, range=(0, max_points if max_points > 0 else 1),
            color="#4a7", edgecolor="white")
    ax.set_title(f"{slug}: autograded totals ({len(totals)} submissions)")
    ax.set_xlabel(f"points (out of {max_points:g})")
    ax.set_ylabel("students")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path


def write_report(workspace: Path, slug: str, records, test_cells: dict[str, float],
                 ignored: list[str] | None = None, isolation_note: str | None = None) -> Path:
    records = sorted(records, key=lambda r: r.student)
    workspace = Path(workspace)
    write_csv(workspace / "grades.csv", records, test_cells)
    max_points = sum(test_cells.values())
    totals = [r.autograded for r in records]
    write_histogram(workspace / "score_histogram.png", totals, max_points, slug)
    html = _env().get_template("report.html.j2").render(
        slug=slug, n=len(records), max_points=max_points,
        mean=statistics.fmean(totals) if totals else 0.0,
        median=statistics.median(totals) if totals else 0.0,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        exercises=exercise_stats(records, test_cells), histogram="score_histogram.png",
        with_problems=[r for r in records if r.problems], records=records,
        ignored=ignored or [], isolation_note=isolation_note)
    path = workspace / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def unreadable_feedback(slug: str, student: str, problems: list[str], max_points: float) -> str:
    return _env().get_template("unreadable_feedback.html.j2").render(
        slug=slug, student=student, problems=problems, max_points=max_points)

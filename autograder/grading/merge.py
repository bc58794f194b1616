"""Merge step: the single writer of the central gradebook.

Only the process that runs :func:`autograder.grading.grade` writes here; workers
return data. The gradebook is nbgrader's own (SQLAlchemy ``Gradebook``: SQLite in
the workspace by default, PostgreSQL for shared grading), so formgrader and
``nbgrader export`` see every autograded score.

Next to nbgrader's tables one small table, ``dlcourse_graded``, remembers for each
(assignment, student) the SHA-256 of the notebook that was graded, the assignment
source it was graded against, and the scores and problems. It is written *after*
the grades, in its own transaction: a run killed in between (even ``kill -9``)
leaves a submission without a record, which the next run simply grades again —
nbgrader's ``update_or_create`` calls make that idempotent, so a grade is never
duplicated or lost.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)

from autograder.grading.assignment import COURSE_ID

_meta = MetaData()
GRADED = Table(
    "dlcourse_graded", _meta,
    Column("assignment", String(128), primary_key=True),
    Column("student", String(128), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("source_hash", String(64), nullable=False),
    Column("graded_at", DateTime, nullable=False),
    Column("autograded", Float, nullable=False),
    Column("autograded_max", Float, nullable=False),
    Column("scores", Text, nullable=False),     # JSON {grade_id: [points, max]}
    Column("problems", Text, nullable=False),   # JSON [str]
)


@dataclass
class Record:
    """What the central gradebook knows about one graded submission."""

    student: str
    sha256: str
    source_hash: str
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    graded_at: datetime | None = None

    @property
    def autograded(self) -> float:
        return sum(p for p, _ in self.scores.values())

    @property
    def autograded_max(self) -> float:
        return sum(m for _, m in self.scores.values())


class CentralGradebook:
    """The central nbgrader gradebook plus our record table; use as a context manager."""

    def __init__(self, db_url: str):
        from nbgrader.api import Gradebook

        from autograder.grading import nbgrader_compat
        from autograder.grading.worker import quiet_nbgrader_warnings

        nbgrader_compat.install()
        quiet_nbgrader_warnings()
        self.db_url = db_url
        self.gb = Gradebook(db_url, COURSE_ID)
        if self.gb.engine.dialect.name == "sqlite":
            _sqlite_wal(self.gb.engine)
        _meta.create_all(self.gb.engine)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.gb.close()

    # ------------------------------------------------------------------ read
    def records(self, slug: str) -> dict[str, Record]:
        with self.gb.engine.connect() as conn:
            rows = conn.execute(select(GRADED).where(GRADED.c.assignment == slug)).all()
        out = {}
        for r in rows:
            scores = {k: (float(v[0]), float(v[1])) for k, v in json.loads(r.scores).items()}
            out[r.student] = Record(r.student, r.sha256, r.source_hash, scores,
                                    json.loads(r.problems), r.graded_at)
        return out

    # ----------------------------------------------------------------- write
    def store(self, slug: str, record: Record, grades: dict | None = None,
              comments: dict | None = None, timestamp: str | None = None) -> None:
        """Write grades (nbgrader tables), then the record. ``grades=None``: all zero."""
        gb = self.gb
        gb.update_or_create_student(record.student)
        kwargs = {"timestamp": timestamp} if timestamp else {}
        submission = gb.update_or_create_submission(slug, record.student, **kwargs)
        for nb in submission.notebooks:
            for grade in nb.grades:
                row = (grades or {}).get(grade.name)
                if row is None:  # unreadable notebook, or a cell the worker never saw
                    grade.auto_score = 0.0
                    grade.needs_manual_grade = grade.manual_score is not None
                else:
                    grade.auto_score = row["auto_score"]
                    grade.needs_manual_grade = bool(row["needs_manual_grade"]) or (
                        grade.manual_score is not None)
            for comment in nb.comments:
                if comments is not None and comment.name in comments:
                    comment.auto_comment = comments[comment.name]
                elif grades is None:
                    comment.auto_comment = "No response."
        gb.db.commit()
        with gb.engine.begin() as conn:
            conn.execute(delete(GRADED).where((GRADED.c.assignment == slug)
                                              & (GRADED.c.student == record.student)))
            conn.execute(insert(GRADED).values(
                assignment=slug, student=record.student, sha256=record.sha256,
                source_hash=record.source_hash,
                graded_at=record.graded_at or datetime.now(UTC).replace(tzinfo=None),
                autograded=record.autograded, autograded_max=record.autograded_max,
                scores=json.dumps({k: list(v) for k, v in record.scores.items()}),
                problems=json.dumps(record.problems)))

    def check_consistent(self, slug: str) -> list[str]:
        """Differences between our records and nbgrader's tables (should be none)."""
        issues = []
        for student, rec in self.records(slug).items():
            try:
                sub = self.gb.find_submission(slug, student)
            except Exception:
                issues.append(f"{student}: recorded but no nbgrader submission")
                continue
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.name in rec.scores and float(g.auto_score or 0) != rec.scores[g.name][0]:
                        issues.append(f"{student}/{g.name}: gradebook {g.auto_score} vs "
                                      f"record {rec.scores[g.name][0]}")
        return issues


def _sqlite_wal(engine) -> None:
    """Write-ahead log, fsync at checkpoints: a commit survives kill -9 (not a power cut)
    and costs ~0.1 ms instead of a full fsync per nbgrader commit."""
    from sqlalchemy import event

    def pragmas(dbapi_connection, _record):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    event.listen(engine, "connect", pragmas)
    engine.dispose()  # pooled connections were opened before the listener existed


def write_files(workspace: Path, slug: str, student: str, submitted: bytes | None,
                autograded: str | None, feedback_html: str | None) -> Path | None:
    """nbgrader's folder layout (for formgrader) plus ``feedback/STUDENT/SLUG.html``."""
    def atomic(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)

    if submitted is not None:
        atomic(workspace / "submitted" / student / slug / f"{slug}.ipynb", submitted)
    auto_dir = workspace / "autograded" / student / slug
    if autograded:
        atomic(auto_dir / f"{slug}.ipynb", autograded.encode("utf-8"))
    elif auto_dir.exists():
        shutil.rmtree(auto_dir)  # a stale autograded copy would contradict the new grade
    if feedback_html is None:
        return None
    path = workspace / "feedback" / student / f"{slug}.html"
    atomic(path, feedback_html.encode("utf-8"))
    return path

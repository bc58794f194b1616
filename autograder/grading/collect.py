"""Collect step: find each student's notebook in a folder or an LMS zip download.

Two layouts are understood:

- a folder with one sub-folder per student: ``SUBMISSIONS/STUDENT/SLUG.ipynb``
  (an optional ``STUDENT/timestamp.txt`` is nbgrader's submission time);
- a ``.zip`` (what an LMS "download all submissions" gives). Each member's path is
  matched against a regular expression with the named groups ``student_id`` and
  optionally ``timestamp`` — nbgrader's ``zip_collect`` convention, using its
  ``FileNameCollectorPlugin``. By default ``STUDENT/ANY.ipynb`` (also nested one
  level deeper) and the flat ``STUDENT_ANY.ipynb`` are recognised; pass
  ``pattern=`` (``--zip-pattern``) for other LMS naming schemes.

Nothing is executed here. A submission that cannot be graded (no notebook, not
JSON, empty) is returned with ``readable=False`` and the reason in ``problems``;
it scores 0 without starting a kernel.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

FOLDER_PATTERN = r"^(?:[^/]+/)?(?P<student_id>[^/]+)/(?P<file_id>[^/]+\.ipynb)$"
FLAT_PATTERN = r"^(?P<student_id>[^/_]+)_(?P<file_id>[^/]+\.ipynb)$"
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class CollectError(RuntimeError):
    pass


@dataclass
class Submission:
    student: str
    data: bytes = b""
    source: str = ""                        # where it came from (for messages)
    problems: list[str] = field(default_factory=list)
    readable: bool = False
    timestamp: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_readable(sub: Submission, slug: str) -> Submission:
    """Parse the bytes as a notebook; record why not, when it is not one."""
    import nbformat

    if not sub.data:
        sub.problems.append(f"{sub.source or slug + '.ipynb'} is empty: nothing to grade")
        return sub
    if len(sub.data) > MAX_NOTEBOOK_BYTES:
        sub.problems.append(f"{sub.source} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB; "
                            f"not graded (clear the outputs and resubmit)")
        return sub
    try:
        nb = nbformat.reads(sub.data.decode("utf-8"), as_version=4)
    except UnicodeDecodeError:
        sub.problems.append(f"{sub.source} is not a text (JSON) file: not a notebook")
        return sub
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as e:
        sub.problems.append(f"{sub.source} is not valid notebook JSON ({str(e)[:120]})")
        return sub
    except Exception as e:  # nbformat raises various errors for malformed structure
        sub.problems.append(f"{sub.source} is not a readable notebook "
                            f"({type(e).__name__}: {str(e)[:120]})")
        return sub
    if not any(c.get("cell_type") == "code" for c in nb.get("cells", [])):
        sub.problems.append(f"{sub.source} has no code cells")
    sub.readable = True
    return sub


def _pick(student: str, notebooks: dict[str, bytes], slug: str) -> Submission:
    """Choose the notebook to grade among a student's files."""
    sub = Submission(student=student)
    wanted = f"{slug}.ipynb"
    exact = [n for n in notebooks if PurePosixPath(n).name == wanted]
    if exact:
        sub.source, sub.data = exact[0], notebooks[exact[0]]
    elif len(notebooks) == 1:
        name = next(iter(notebooks))
        sub.source, sub.data = name, notebooks[name]
        sub.problems.append(f"the notebook is named {PurePosixPath(name).name}, expected "
                            f"{wanted}; graded it anyway")
    elif not notebooks:
        sub.problems.append(f"no notebook found (expected {wanted})")
        return sub
    else:
        names = ", ".join(sorted(PurePosixPath(n).name for n in notebooks))
        sub.problems.append(f"several notebooks ({names}) and none is named {wanted}; "
                            f"not graded")
        return sub
    return check_readable(sub, slug)


def _valid_student(student: str) -> bool:
    return bool(STUDENT_ID.match(student))


def from_folder(folder: Path, slug: str) -> tuple[list[Submission], list[str]]:
    subs, ignored = [], []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            ignored.append(f"{entry.name} (not in a student folder)")
            continue
        if not _valid_student(entry.name):
            ignored.append(f"{entry.name}/ (not a usable student id: letters, digits, ._@+-)")
            continue
        notebooks = {}
        for nb in sorted(entry.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in nb.parts:
                continue
            notebooks[nb.relative_to(entry).as_posix()] = nb.read_bytes()
        sub = _pick(entry.name, notebooks, slug)
        stamp = entry / "timestamp.txt"
        if stamp.exists():
            sub.timestamp = stamp.read_text(encoding="utf-8").strip() or None
        subs.append(sub)
    return subs, ignored


def from_zip(path: Path, slug: str, pattern: str | None = None) -> tuple[list[Submission], list[str]]:
    from nbgrader.plugins import FileNameCollectorPlugin

    patterns = [pattern] if pattern else [FOLDER_PATTERN, FLAT_PATTERN]
    quiet = logging.getLogger("autograder.collect")
    quiet.setLevel(logging.ERROR)  # every non-matching pattern would log a warning
    collectors = [FileNameCollectorPlugin(named_regexp=p, log=quiet) for p in patterns]
    per_student: dict[str, dict[str, bytes]] = {}
    stamps: dict[str, str] = {}
    ignored = []
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise CollectError(f"{path} is not a readable zip file ({e})") from e
    with archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir() or "__MACOSX" in name or ".ipynb_checkpoints" in name:
                continue
            if not name.endswith(".ipynb"):
                continue
            info_dict = None
            for collector in collectors:
                info_dict = collector.collect(name)
                if info_dict:
                    break
            if not info_dict or not info_dict.get("student_id"):
                ignored.append(f"{name} (does not match the file-name pattern)")
                continue
            student = info_dict["student_id"]
            if not _valid_student(student):
                ignored.append(f"{name} (student id {student!r} is not usable)")
                continue
            key = info_dict.get("file_id") or name  # the file name the student gave it
            if info.file_size > MAX_NOTEBOOK_BYTES:
                per_student.setdefault(student, {})[key] = b""
                continue
            per_student.setdefault(student, {})[key] = archive.read(info)
            if info_dict.get("timestamp"):
                stamps[student] = str(info_dict["timestamp"])
    subs = []
    for student in sorted(per_student):
        sub = _pick(student, per_student[student], slug)
        sub.timestamp = stamps.get(student)
        subs.append(sub)
    return subs, ignored


def collect(submissions: Path, slug: str, pattern: str | None = None
            ) -> tuple[list[Submission], list[str]]:
    """Submissions (one per student, sorted) and the files that were ignored, with why."""
    submissions = Path(submissions)
    if not submissions.exists():
        raise CollectError(f"{submissions} does not exist: pass a folder with one sub-folder "
                           f"per student, or an LMS zip download")
    if submissions.is_dir():
        subs, ignored = from_folder(submissions, slug)
    elif zipfile.is_zipfile(submissions):
        subs, ignored = from_zip(submissions, slug, pattern)
    else:
        raise CollectError(f"{submissions} is neither a folder nor a zip file")
    if not subs:
        raise CollectError(f"no student submissions found in {submissions}"
                           + (f" (ignored: {'; '.join(ignored[:5])})" if ignored else ""))
    return subs, ignored

"""Feedback step: an HTML page per student with scores and messages, no hidden tests.

nbgrader's feedback shows hidden tests unless ``ClearHiddenTests`` runs, and even
then the tracebacks of failed hidden tests quote their source lines (and sometimes
expected values, e.g. ``np.testing`` messages). :class:`ScrubForFeedback`:

1. removes the ``### BEGIN/END HIDDEN TESTS`` region from test cells;
2. rewrites the error of a failed test cell as one line, ``AssertionError: message``:
   the message is kept when the error came from the visible part, or when it is an
   author-written string literal of the hidden part; otherwise it says only that a
   hidden test failed;
3. deletes every output line of every cell that quotes a hidden-test line (student
   code could print its own kernel history).

It is also registered in ``autograder/nbgrader_config.py`` so that
``nbgrader generate_feedback`` run by an instructor scrubs the same way.
"""
from __future__ import annotations

import ast
import functools
import re

from nbgrader.preprocessors import ClearHiddenTests
from traitlets import Bool

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_FRAME = re.compile(r"(?:Cell In\s*\[\d*\],\s*line\s*(\d+))|(?:<ipython-input-[^>]*>\s+in\s+\S+\(\)?)")
HIDDEN_FAILED = "a hidden test failed"


def hidden_region(source: str, begin="BEGIN HIDDEN TESTS", end="END HIDDEN TESTS"):
    """(first, last) 1-based line numbers of the hidden region (markers included), lines."""
    lines = source.split("\n")
    first = last = None
    for n, line in enumerate(lines, start=1):
        if begin in line and first is None:
            first = n
        elif end in line and first is not None:
            last = n
    if first is None:
        return None, []
    last = last or len(lines)
    return (first, last), lines[first - 1:last]


def _literals(lines: list[str]) -> set[str]:
    """Plain string constants written in the hidden code (the author's messages)."""
    text = "\n".join(ln for ln in lines if "HIDDEN TESTS" not in ln)
    try:
        tree = ast.parse(_dedent(text))
    except SyntaxError:
        return set()
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for v in node.values:
                if isinstance(v, ast.Constant):
                    v._skip = True  # f-string parts are not whole messages
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and not getattr(
                node, "_skip", False):
            out.add(node.value.strip())
    return {s for s in out if s}


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text)


def _failing_line(traceback: list[str]) -> int | None:
    """Line number (in the test cell) where the error was raised, if shown."""
    line = None
    for entry in traceback:
        for m in CELL_FRAME.finditer(ANSI.sub("", entry)):
            if m.group(1):
                line = int(m.group(1))
                break
        if line is not None:
            break  # the outermost cell frame is the test cell itself
    return line


def scrub_text(text: str, hidden_lines: list[str]) -> str:
    if not text or not hidden_lines:
        return text
    kept = [ln for ln in text.split("\n") if not any(h in ANSI.sub("", ln) for h in hidden_lines)]
    return "\n".join(kept)


class ScrubForFeedback(ClearHiddenTests):
    """Hide hidden tests everywhere in a feedback notebook (source, errors, outputs)."""

    # a student may type the markers into their own cell: scrub it, do not crash
    enforce_metadata = Bool(False).tag(config=True)

    def preprocess(self, nb, resources):
        hidden_lines: list[str] = []
        regions = {}
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            span, lines = hidden_region(cell.source, self.begin_test_delimeter,
                                        self.end_test_delimeter)
            if span:
                regions[i] = (span, _literals(lines))
                hidden_lines += [ln.strip() for ln in lines
                                 if len(ln.strip()) >= 6 and "HIDDEN TESTS" not in ln]
        self._hidden_lines = sorted(set(hidden_lines), key=len, reverse=True)
        self._regions = regions
        nb, resources = super().preprocess(nb, resources)
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code":
            region = self._regions.get(cell_index)
            outputs = []
            for out in cell.get("outputs", []):
                out = self._scrub_output(out, region)
                if out is not None:
                    outputs.append(out)
            cell.outputs = outputs
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        return cell, resources

    def _scrub_output(self, out, region):
        kind = out.get("output_type")
        if kind == "error":
            ename, evalue = out.get("ename", "Error"), out.get("evalue", "") or ""
            line = _failing_line(out.get("traceback", []))
            if region is not None:
                (first, last), literals = region
                in_hidden = line is None or first <= line <= last
                if in_hidden:
                    shown = evalue.strip() if evalue.strip() in literals else ""
                    evalue = f"{HIDDEN_FAILED}" + (f": {shown}" if shown else "")
            evalue = scrub_text(evalue, self._hidden_lines)
            out.evalue = evalue
            out.traceback = [f"{ename}: {evalue}"]
            return out
        if kind == "stream":
            out.text = scrub_text(out.get("text", ""), self._hidden_lines)
            return out if out.text else None
        data = out.get("data")
        if data:
            for mime, value in list(data.items()):
                if isinstance(value, str):
                    cleaned = scrub_text(value, self._hidden_lines)
                    if cleaned != value and mime != "text/plain":
                        del data[mime]  # rich output quoting hidden code: drop it
                    else:
                        data[mime] = cleaned
                elif isinstance(value, list):
                    data[mime] = scrub_text("".join(value), self._hidden_lines)
            if not data:
                return None
        return out


@functools.lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process: compiling nbgrader's templates takes ~1 s."""
    import os

    import nbgrader.converters
    from nbconvert.exporters import HTMLExporter
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades
    from traitlets.config import Config

    base = os.path.dirname(nbgrader.converters.__file__)
    cfg = Config()
    cfg.HTMLExporter.template_name = "feedback"
    cfg.HTMLExporter.extra_template_basedirs = [
        os.path.abspath(os.path.join(base, "..", "server_extensions", "formgrader", "templates"))]
    cfg.HTMLExporter.extra_template_paths = [os.path.abspath(os.path.join(
        base, "..", "server_extensions", "formgrader", "static", "node_modules", "bootstrap",
        "dist", "css"))]
    exporter = HTMLExporter(config=cfg)
    for pp in (ScrubForFeedback(config=cfg), GetGrades(config=cfg),
               CSSHTMLHeaderPreprocessor(config=cfg)):
        exporter.register_preprocessor(pp, enabled=True)
    return exporter


def render_feedback(nb, db_url: str, slug: str, student: str) -> str:
    """nbgrader's feedback page (template, scores from the gradebook), scrubbed."""
    import copy

    resources = {"nbgrader": {"notebook": slug, "assignment": slug, "student": student,
                              "db_url": db_url},
                 "metadata": {"name": slug}}
    html, _ = _exporter().from_notebook_node(copy.deepcopy(nb), resources=resources)
    return html

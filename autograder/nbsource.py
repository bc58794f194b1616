"""Convert between nbgrader source notebooks and a readable "percent" text format.

The notebook in ``solutions/`` is the single source of truth. This converter exists
so authors and reviewers can edit a chapter as plain text and turn it back into a
notebook with correct nbgrader (schema 3) metadata, then delete the text file.

Cell headers (one line each; everything up to the next header is the cell body)::

    # %% [markdown]                          markdown (body lines start with "# ")
    # %%                                     ordinary code cell
    # %% [solution] id=ex1_grid              autograded answer cell (### BEGIN/END SOLUTION)
    # %% [tests] id=ex1_grid_test points=2   locked test cell, visible + ### BEGIN HIDDEN TESTS
    # %% [answer] id=ex1_why points=2        manually graded markdown answer ("# " lines)
    # %% [readonly] id=setup_data            locked code cell students cannot change

Usage::

    python -m autograder.nbsource to-ipynb chapter.py solutions/NN_slug/NN_slug.ipynb
    python -m autograder.nbsource to-py solutions/NN_slug/NN_slug.ipynb chapter.py
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

HEADER = re.compile(r"^# %%(?: \[(?P<kind>\w+)\])?(?P<attrs>(?: \w+=\S+)*)\s*$")
KINDS = {"code", "markdown", "solution", "tests", "answer", "readonly"}
MARKDOWN_KINDS = {"markdown", "answer"}


class SourceError(ValueError):
    """The text source is malformed; the message names the line."""


def _nbgrader(kind: str, attrs: dict, lineno: int) -> dict | None:
    if kind in ("code", "markdown"):
        return None
    if "id" not in attrs:
        raise SourceError(f"line {lineno}: a [{kind}] cell needs id=...")
    meta = {"grade": False, "grade_id": attrs["id"], "locked": False,
            "schema_version": 3, "solution": False, "task": False}
    if kind == "solution":
        meta["solution"] = True
    elif kind == "tests":
        meta.update(grade=True, locked=True, points=float(attrs.get("points", 1)))
    elif kind == "answer":
        meta.update(grade=True, solution=True, points=float(attrs.get("points", 1)))
    elif kind == "readonly":
        meta["locked"] = True
    if "points" in meta and meta["points"] == int(meta["points"]):
        meta["points"] = int(meta["points"])
    return meta


def text_to_notebook(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
    }
    cells: list[tuple[str, dict, int, list[str]]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = HEADER.match(line)
        if m:
            kind = m.group("kind") or "code"
            if kind not in KINDS:
                raise SourceError(f"line {lineno}: unknown cell kind [{kind}]; use one of {sorted(KINDS)}")
            attrs = dict(a.split("=", 1) for a in m.group("attrs").split())
            cells.append((kind, attrs, lineno, []))
        elif cells:
            cells[-1][3].append(line)
        elif line.strip():
            raise SourceError(f"line {lineno}: text before the first '# %%' header")
    seen: set[str] = set()
    for kind, attrs, lineno, body in cells:
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        if kind in MARKDOWN_KINDS:
            src = "\n".join(_uncomment(b, lineno) for b in body)
            cell = nbformat.v4.new_markdown_cell(src)
        else:
            cell = nbformat.v4.new_code_cell("\n".join(body))
        meta = _nbgrader(kind, attrs, lineno)
        if meta:
            if meta["grade_id"] in seen:
                raise SourceError(f"line {lineno}: duplicate id={meta['grade_id']}")
            seen.add(meta["grade_id"])
            cell.metadata["nbgrader"] = meta
            cell.id = meta["grade_id"].replace("_", "-")[:64]
        cells_out = nb.cells
        cells_out.append(cell)
    _stable_ids(nb)
    return nb


def _uncomment(line: str, lineno: int) -> str:
    if line == "#":
        return ""
    if line.startswith("# "):
        return line[2:]
    raise SourceError(f"cell at line {lineno}: markdown lines must start with '# ' ({line[:40]!r})")


def _stable_ids(nb) -> None:
    """Give every cell a deterministic id so regenerating a notebook yields no diff."""
    used = set()
    for i, cell in enumerate(nb.cells):
        if "nbgrader" not in cell.metadata:
            cell.id = f"cell-{i:03d}"
        base, n = cell.id, 1
        while cell.id in used:
            cell.id = f"{base}-{n}"
            n += 1
        used.add(cell.id)


def notebook_to_text(nb) -> str:
    out: list[str] = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            header = "# %% [markdown]" if cell.cell_type == "markdown" else "# %%"
        else:
            if meta.get("solution") and meta.get("grade"):
                kind = "answer" if cell.cell_type == "markdown" else "solution"
            elif meta.get("solution"):
                kind = "solution"
            elif meta.get("grade"):
                kind = "tests"
            else:
                kind = "readonly"
            header = f"# %% [{kind}] id={meta['grade_id']}"
            if meta.get("grade"):
                pts = meta.get("points", 0)
                header += f" points={int(pts) if float(pts).is_integer() else pts}"
        out.append(header)
        if cell.cell_type == "markdown":
            out.extend(("# " + ln) if ln else "#" for ln in cell.source.splitlines())
        else:
            out.extend(cell.source.splitlines())
        out.append("")
    return "\n".join(out)


def write_notebook(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.nbsource", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("to-ipynb", help="percent text -> nbgrader source notebook")
    a.add_argument("src", type=Path)
    a.add_argument("dst", type=Path)
    b = sub.add_parser("to-py", help="notebook -> percent text")
    b.add_argument("src", type=Path)
    b.add_argument("dst", type=Path)
    args = p.parse_args(argv)
    try:
        if args.cmd == "to-ipynb":
            write_notebook(text_to_notebook(args.src.read_text(encoding="utf-8")), args.dst)
        else:
            nb = nbformat.read(args.src, as_version=4)
            args.dst.write_text(notebook_to_text(nb), encoding="utf-8")
    except SourceError as e:
        print(f"{args.src}: {e}", file=sys.stderr)
        return 2
    print(f"wrote {args.dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

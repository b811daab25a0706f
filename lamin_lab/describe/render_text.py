"""Render a describe tree as a box-drawing text tree, plain or coloured.

Plain text is built with string operations only (fast, no imports); colour
goes through rich, imported only when a coloured print is asked for.
"""

from __future__ import annotations

import sys
from typing import IO

from lamin_lab.describe.tree import DescribeTree, Row, Section

TEE, ELBOW, PIPE, BLANK = "├── ", "└── ", "│   ", "    "
GAP = "  "

#: segment style → rich style (used only for coloured output)
RICH_STYLES = {
    "title": "bold",
    "subtitle": "bold cyan",
    "version": "magenta",
    "tree": "dim",
    "section": "bold",
    "note": "dim italic",
    "label": "",
    "dtype": "magenta",
    "code": "green",
    "path": "blue",
    "muted": "dim",
    "datetime": "",
    "size": "",
    "number": "cyan",
    "text": "",
    "list": "",
}

# data may carry control characters (even ANSI escapes): never pass them to a terminal
_CONTROL = {c: "\ufffd" for c in range(32) if c not in (9, 10)}
_CONTROL[0x7F] = "\ufffd"

Segment = tuple[str, str]


def _clean(text: str) -> str:
    return text.translate(_CONTROL)


def _one_line(text: str) -> str:
    return _clean(" ".join(str(text).split()))


def tree_lines(tree: DescribeTree, *, show_empty: bool = False) -> list[list[Segment]]:
    """The tree as lines of ``(text, style)`` segments (shared by both outputs).

    Examples
    --------
    >>> tree_lines(DescribeTree("Run", "abc"))
    [[('Run', 'title'), ('  ', ''), ('abc', 'subtitle')]]
    """
    header: list[Segment] = [(_one_line(tree.title), "title")]
    if tree.subtitle:
        header += [(GAP, ""), (_one_line(tree.subtitle), "subtitle")]
    if tree.version:
        header += [(" · ", "tree"), (f"version {_one_line(tree.version)}", "version")]
    lines = [header]
    sections = [s for s in tree.sections if show_empty or not s.is_empty]
    for i, sec in enumerate(sections):
        _section_lines(sec, "", i == len(sections) - 1, lines, show_empty)
    return lines


def _section_lines(sec: Section, prefix: str, last: bool, lines: list, show_empty: bool) -> None:
    head: list[Segment] = [(prefix + (ELBOW if last else TEE), "tree")]
    head.append((_one_line(sec.name), "section"))
    if sec.note:
        head += [(GAP, ""), (_one_line(sec.note), "note")]
    lines.append(head)
    inner = prefix + (BLANK if last else PIPE)
    children = [c for c in sec.children if show_empty or not c.is_empty]
    n_items = len(sec.rows) + len(children)
    labels = [_one_line(r.label) for r in sec.rows]
    width = max((len(s) for s in labels), default=0)
    dwidth = max((len(_one_line(r.dtype)) for r in sec.rows), default=0)
    for j, (row, label) in enumerate(zip(sec.rows, labels, strict=True)):
        _row_lines(row, label, inner, j == n_items - 1, width, dwidth, lines)
    for k, child in enumerate(children):
        is_last = len(sec.rows) + k == n_items - 1
        _section_lines(child, inner, is_last, lines, show_empty)


def _row_lines(
    row: Row, label: str, inner: str, last: bool, width: int, dwidth: int, lines: list
) -> None:
    values = _clean(row.text).split("\n")
    line: list[Segment] = [(inner + (ELBOW if last else TEE), "tree")]
    line.append((label.ljust(width), "label"))
    if dwidth:
        line += [(GAP, ""), (_one_line(row.dtype).ljust(dwidth), "dtype")]
    line += [(GAP, ""), (values[0], row.kind)]
    lines.append(line)
    # continuation lines of a multi-line value stay under the value column
    cont = inner + (BLANK if last else PIPE)
    pad = " " * (width + len(GAP) + (dwidth + len(GAP) if dwidth else 0))
    for extra in values[1:]:
        lines.append([(cont, "tree"), (pad + extra, row.kind)])


def to_text(tree: DescribeTree, *, show_empty: bool = False) -> str:
    """Plain text tree with aligned columns and no ANSI codes.

    Parameters
    ----------
    tree
        What to render.
    show_empty
        Also list sections that have nothing in them.

    Examples
    --------
    >>> from lamin_lab.describe.tree import Row, Section
    >>> t = DescribeTree("Artifact", "x.csv", [Section("General", [
    ...     Row("uid", "Ab12", "code"), Row("size", 1500, "size")])])
    >>> print(to_text(t))
    Artifact  x.csv
    └── General
        ├── uid   Ab12
        └── size  1.5 kB
    """
    out = []
    for line in tree_lines(tree, show_empty=show_empty):
        out.append("".join(text for text, _ in line).rstrip())
    return "\n".join(out)


def to_rich_text(tree: DescribeTree, *, show_empty: bool = False):
    """The tree as a ``rich.text.Text`` with styles (imports rich).

    Examples
    --------
    >>> to_rich_text(DescribeTree("Run")).plain
    'Run'
    """
    from rich.text import Text

    text = Text()
    for i, line in enumerate(tree_lines(tree, show_empty=show_empty)):
        if i:
            text.append("\n")
        for seg, style in line:
            text.append(seg, style=RICH_STYLES.get(style, "") or None)
    text.rstrip()
    return text


def print_tree(
    tree: DescribeTree,
    *,
    return_str: bool = False,
    color: bool | None = None,
    file: IO[str] | None = None,
) -> str | None:
    """Print the tree (coloured on a terminal) or return it as plain text.

    Parameters
    ----------
    return_str
        Return the plain text instead of printing.
    color
        Force colour on or off; by default only when ``file`` is a terminal.
    file
        Where to print (default: ``sys.stdout``).

    Examples
    --------
    >>> print_tree(DescribeTree("Run", "abc"), return_str=True)
    'Run  abc'
    """
    if return_str:
        return to_text(tree)
    file = file if file is not None else sys.stdout
    if color is None:
        color = bool(getattr(file, "isatty", lambda: False)())
    if not color:
        print(to_text(tree), file=file)
        return None
    from rich.console import Console

    console = Console(file=file, force_terminal=True, highlight=False, soft_wrap=True)
    console.print(to_rich_text(tree), markup=False, highlight=False)
    return None

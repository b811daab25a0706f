"""Render a lineage graph as DOT text (for ``graphviz.Source``; no binary needed here)."""

from __future__ import annotations

from lamin_lab.lineage.graph import LineageGraph, Node
from lamin_lab.lineage.layout import shorten

#: kind → (shape, style, fill colour); runs are pills, data are boxes
STYLES = {
    "artifact": ("box", "filled", "#dbeafe"),
    "collection": ("box3d", "filled", "#e0e7ff"),
    "run": ("box", "filled,rounded", "#fef3c7"),
    "transform": ("hexagon", "filled", "#fde68a"),
    "cluster": ("folder", "filled", "#e5e7eb"),
}
FOCUS_FILL = "#bbf7d0"


def dot_quote(text: str) -> str:
    """Quote ``text`` as a DOT string whose label shows it literally.

    Backslashes are doubled (graphviz would read ``\\n``, ``\\N`` ... in
    labels as escapes), double quotes escaped, and newlines become ``\\n``.

    Examples
    --------
    >>> dot_quote('say "hi"\\nbye')
    '"say \\\\"hi\\\\"\\\\nbye"'
    """
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def _node_line(node: Node, focus: bool) -> str:
    shape, style, fill = STYLES.get(node.kind, STYLES["artifact"])
    label = shorten(node.label)
    if node.sublabel:
        label += "\n" + shorten(node.sublabel)
    attrs = [
        f"label={dot_quote(label)}",
        f"tooltip={dot_quote(node.label)}",
        f"shape={shape}",
        f'style="{style}"',
        f'fillcolor="{FOCUS_FILL if focus else fill}"',
    ]
    if focus:
        attrs.append("penwidth=2")
    return f"  {dot_quote(node.id)} [{', '.join(attrs)}];"


def to_dot(graph: LineageGraph, *, rankdir: str = "LR") -> str:
    """DOT text of ``graph``: every id and label quoted and escaped.

    Parameters
    ----------
    graph
        The lineage graph.
    rankdir
        ``"LR"`` (data flows left to right) or ``"TB"``.

    Examples
    --------
    >>> from lamin_lab.lineage.graph import LineageGraph
    >>> print(to_dot(LineageGraph(edges=[("run:r", "artifact:b")])).splitlines()[-2])
      "run:r" -> "artifact:b";
    """
    rankdir = "TB" if rankdir == "TB" else "LR"
    focus = set(graph.focus)
    lines = [
        "digraph lineage {",
        f"  graph [rankdir={rankdir}, bgcolor=transparent];",
        '  node [fontname="Helvetica", fontsize=10, margin="0.12,0.04", height=0.3];',
        '  edge [color="#888888", arrowsize=0.6];',
    ]
    lines += [_node_line(n, n.id in focus) for n in graph.nodes.values()]
    lines += [f"  {dot_quote(s)} -> {dot_quote(d)};" for s, d in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"

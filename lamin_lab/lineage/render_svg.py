"""Draw a lineage graph as standalone SVG from :mod:`lamin_lab.lineage.layout`.

Colours are fixed mid-tone fills with dark text so the drawing reads on light
and dark notebook themes alike; every text is XML-escaped.
"""

from __future__ import annotations

from lamin_lab.lineage.graph import LineageGraph, Node
from lamin_lab.lineage.layout import LABEL_PX, SUBLABEL_PX, compute_layout, shorten

#: kind → (fill, stroke, corner radius: None = half the height → pill)
PALETTE = {
    "artifact": ("#dbeafe", "#1e3a8a", 2.0),
    "collection": ("#e0e7ff", "#3730a3", 2.0),
    "run": ("#fef3c7", "#92400e", None),
    "transform": ("#fde68a", "#92400e", 8.0),
    "cluster": ("#e5e7eb", "#374151", 4.0),
}
FOCUS_FILL, FOCUS_STROKE = "#bbf7d0", "#15803d"
EDGE = "#8a8a8a"
FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif"


# XML 1.0 forbids most control characters even when escaped: drop them
_INVALID_XML = dict.fromkeys([c for c in range(32) if c not in (9, 10, 13)] + [0xFFFE, 0xFFFF])


def _esc(text: str) -> str:
    # str.replace instead of xml.sax.saxutils: that module drags in urllib (~25 ms)
    text = str(text).translate(_INVALID_XML)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """A double-quoted attribute value."""
    return '"' + _esc(text).replace('"', "&quot;") + '"'


def _f(v: float) -> str:
    """Compact number formatting keeps big drawings small."""
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _path(points: list[tuple[float, float]]) -> str:
    """A smooth path: horizontal-tangent cubic curves between route points."""
    (x0, y0), rest = points[0], points[1:]
    parts = [f"M{_f(x0)},{_f(y0)}"]
    for x1, y1 in rest:
        mx = (x0 + x1) / 2
        parts.append(f"C{_f(mx)},{_f(y0)} {_f(mx)},{_f(y1)} {_f(x1)},{_f(y1)}")
        x0, y0 = x1, y1
    return "".join(parts)


def _node_svg(node: Node, box: tuple[float, ...], focus: bool) -> str:
    x, y, w, h = box
    fill, stroke, rx = PALETTE.get(node.kind, PALETTE["artifact"])
    if focus:
        fill, stroke = FOCUS_FILL, FOCUS_STROKE
    r = h / 2 if rx is None else rx
    sw = "2.5" if focus else "1"
    shapes = []
    if node.kind == "cluster":  # a stack of cards: a second outline behind
        shapes.append(
            f'<rect x="{_f(x + 4)}" y="{_f(y - 4)}" width="{_f(w)}" height="{_f(h)}"'
            f' rx="{_f(r)}" fill="{fill}" stroke="{stroke}" stroke-width="1"/>'
        )
    shapes.append(
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}"'
        f' rx="{_f(r)}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"/>'
    )
    cx = x + w / 2
    title = node.label + (f"\n{node.sublabel}" if node.sublabel else "")
    texts = []
    if node.sublabel:
        texts.append(_text(cx, y + 17, shorten(node.label), LABEL_PX, "600"))
        texts.append(_text(cx, y + 33, shorten(node.sublabel), SUBLABEL_PX, "400"))
    else:
        texts.append(_text(cx, y + h / 2 + 4, shorten(node.label), LABEL_PX, "600"))
    return (
        f'<g class="node {_esc(node.kind)}" data-id={_attr(node.id)}>'
        f"<title>{_esc(title)}</title>{''.join(shapes)}{''.join(texts)}</g>"
    )


def _text(x: float, y: float, text: str, size: float, weight: str) -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{_f(size)}" font-weight="{weight}"'
        f' text-anchor="middle" fill="#111827">{_esc(text)}</text>'
    )


def to_svg(graph: LineageGraph) -> str:
    """A standalone SVG document of ``graph`` (no graphviz involved).

    Examples
    --------
    >>> from lamin_lab.lineage.graph import LineageGraph
    >>> svg = to_svg(LineageGraph(edges=[("run:r", "artifact:b")]))
    >>> svg.count('<g class="node ')
    2
    """
    lay = compute_layout(graph)
    focus = set(graph.focus)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(lay.width)}"'
        f' height="{_f(lay.height)}" viewBox="0 0 {_f(lay.width)} {_f(lay.height)}"'
        f' font-family={_attr(FONT)} role="img">',
        '<defs><marker id="ll-arrow" viewBox="0 0 10 10" refX="9" refY="5"'
        ' markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0L10,5L0,10z" fill="{EDGE}"/></marker></defs>',
        f'<g class="edges" fill="none" stroke="{EDGE}" stroke-width="1.2">',
    ]
    for (s, d), pts in lay.routes.items():
        out.append(
            f'<path d="{_path(pts)}" marker-end="url(#ll-arrow)"'
            f" data-source={_attr(s)} data-target={_attr(d)}/>"
        )
    out.append('</g><g class="nodes">')
    for nid, node in graph.nodes.items():
        out.append(_node_svg(node, lay.boxes[nid], nid in focus))
    out.append("</g></svg>")
    return "".join(out)

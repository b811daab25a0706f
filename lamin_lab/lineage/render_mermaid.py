"""Render a lineage graph as Mermaid ``flowchart`` text with escaped labels."""

from __future__ import annotations

from lamin_lab.lineage.graph import LineageGraph
from lamin_lab.lineage.layout import shorten

# Mermaid reads ``#name;`` / ``#123;`` entity codes inside quoted labels; every
# character that could end the label or start markup is written that way.
_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    ";": "#59;",
    "|": "#124;",
    "\\": "#92;",
}
_TABLE = str.maketrans(_ENTITIES)

#: kind → (opening, closing) bracket pair of the node shape
SHAPES = {
    "artifact": ("[", "]"),
    "collection": ("[[", "]]"),
    "run": ("([", "])"),
    "transform": ("{{", "}}"),
    "cluster": ("[/", "/]"),
}


def mermaid_escape(text: str) -> str:
    """Escape ``text`` for a double-quoted Mermaid label (one line).

    Examples
    --------
    >>> mermaid_escape('a "b" <c>')
    'a #quot;b#quot; #lt;c#gt;'
    """
    return " ".join(str(text).split()).translate(_TABLE)


def to_mermaid(graph: LineageGraph) -> str:
    """Mermaid text; nodes get safe ids ``n0, n1, ...`` and a class per kind.

    Examples
    --------
    >>> from lamin_lab.lineage.graph import LineageGraph
    >>> print(to_mermaid(LineageGraph(edges=[("run:r", "artifact:b")])))
    flowchart LR
      n0(["r"]):::run
      n1["b"]:::artifact
      n0 --> n1
      classDef artifact fill:#dbeafe,stroke:#1e3a8a,color:#111827
      classDef collection fill:#e0e7ff,stroke:#3730a3,color:#111827
      classDef run fill:#fef3c7,stroke:#92400e,color:#111827
      classDef transform fill:#fde68a,stroke:#92400e,color:#111827
      classDef cluster fill:#e5e7eb,stroke:#374151,color:#111827
      classDef focus stroke-width:3px,stroke:#15803d
    """
    short = {nid: f"n{i}" for i, nid in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for nid, node in graph.nodes.items():
        left, right = SHAPES.get(node.kind, SHAPES["artifact"])
        label = mermaid_escape(shorten(node.label))
        if node.sublabel:
            label += "<br>" + mermaid_escape(shorten(node.sublabel))
        lines.append(f'  {short[nid]}{left}"{label}"{right}:::{node.kind}')
    lines += [f"  {short[s]} --> {short[d]}" for s, d in graph.edges]
    marked = [short[n] for n in graph.focus if n in short]
    if marked:
        lines.append(f"  class {','.join(marked)} focus")
    lines += [
        "  classDef artifact fill:#dbeafe,stroke:#1e3a8a,color:#111827",
        "  classDef collection fill:#e0e7ff,stroke:#3730a3,color:#111827",
        "  classDef run fill:#fef3c7,stroke:#92400e,color:#111827",
        "  classDef transform fill:#fde68a,stroke:#92400e,color:#111827",
        "  classDef cluster fill:#e5e7eb,stroke:#374151,color:#111827",
        "  classDef focus stroke-width:3px,stroke:#15803d",
    ]
    return "\n".join(lines)

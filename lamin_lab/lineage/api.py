"""``view_lineage()`` for Artifact, Collection, Run and Transform records.

The graph is walked over the database (:mod:`.db`, one query per level), optionally
reduced (look-alike siblings collapsed into cluster nodes) and then shown:

- in a notebook: the interactive lineage panel (``lamin_lab.widgets.Lineage``, reached
  through :mod:`lamin_lab._services`; no graphviz binary). :func:`display_graph` shows a
  static SVG from lamin_lab's own layout instead, for a graph you pass it.
- in a terminal: an indented text tree, upstream and downstream of the focus
  (:func:`to_text_tree`).

Depths count hops (edges): ``artifact ← run`` is one hop, ``run ← input artifact``
the next. So ``upstream_depth=2`` shows the run that made an artifact and that run's
inputs.

Imported lazily by the registries' ``view_lineage`` (see ``lamin_lab/_services.py``).
"""

from __future__ import annotations

import sys
from typing import Any

from lamin_lab._services import service
from lamin_lab.errors import InvalidArgument
from lamin_lab.lineage.graph import LineageGraph, Node
from lamin_lab.lineage.reduce import cluster_siblings
from lamin_lab.lineage.walk import walk
from lamin_lab.lineage import closure, db

#: upstream hops when no depth is given: "everything" for any real pipeline
UNLIMITED = 10_000
#: downstream hops shown by ``with_children=True`` when no depth is given
CHILD_HOPS = 2
#: siblings collapsed into one cluster node from this many on (``cluster=True``)
CLUSTER_THRESHOLD = 10


def lineage_graph(
    record: Any,
    *,
    with_children: bool = True,
    depth: int | None = None,
    upstream_depth: int | None = None,
    downstream_depth: int | None = None,
    cluster: bool | int = True,
    max_nodes: int | None = None,
) -> LineageGraph:
    """The lineage graph around ``record`` read from the database.

    Parameters are those of :func:`view_lineage`.

    Examples
    --------
    >>> graph = lineage_graph(artifact, upstream_depth=2)  # doctest: +SKIP
    >>> graph.edges  # doctest: +SKIP
    [('run:...', 'artifact:...'), ('artifact:...', 'run:...')]
    """

    up, down = _depths(with_children, depth, upstream_depth, downstream_depth)
    focus = db.node_for_record(record)
    if focus.kind == "transform":
        graph = _transform_graph(record, focus, up, down, max_nodes)
    else:
        graph = _grow([focus], up, down, max_nodes)
    if cluster:
        threshold = CLUSTER_THRESHOLD if cluster is True else int(cluster)
        graph = cluster_siblings(graph, threshold=threshold, match="auto")
    return graph


def _depths(
    with_children: bool, depth: int | None, up: int | None, down: int | None
) -> tuple[int, int]:
    for name, value in (("depth", depth), ("upstream_depth", up), ("downstream_depth", down)):
        if value is not None and (not isinstance(value, int) or value < 0):
            raise InvalidArgument(f"{name} counts hops and must be an int >= 0, not {value!r}")
    up = up if up is not None else (depth if depth is not None else UNLIMITED)
    if down is None:
        down = (depth if depth is not None else CHILD_HOPS) if with_children else 0
    return up, down


def _transform_graph(
    transform: Any, focus: Node, up: int, down: int, max_nodes: int | None
) -> LineageGraph:
    """A transform's runs with their inputs (upstream) and outputs (downstream)."""

    runs = db.runs_of_transform(transform)
    # the runs sit one hop below the transform: one hop less in each direction
    graph = _grow(runs, _minus_one(up), _minus_one(down), max_nodes)
    graph.add_node(focus)
    for run in runs:
        graph.add_edge(focus.id, run.id)
    graph.focus = [focus.id]
    return graph


def _minus_one(hops: int) -> int:
    return hops if hops >= UNLIMITED else max(hops - 1, 0)


def _grow(seeds: list[Node], up: int, down: int, max_nodes: int | None) -> LineageGraph:
    """Walk level by level, or fetch a whole direction at once when it has no limit.

    Without a depth or node limit, :func:`~lamin_lab.lineage.closure.closure` answers a
    direction with one query however deep it goes (one per level would make a chain
    of 1,000 runs 2,000 queries).
    """

    whole = {d: hops >= UNLIMITED and max_nodes is None for d, hops in (("up", up), ("down", down))}
    graph = walk(
        seeds,
        db.neighbors,
        upstream_depth=0 if whole["up"] else up,
        downstream_depth=0 if whole["down"] else down,
        max_nodes=max_nodes,
    )
    for direction in ("up", "down"):
        if whole[direction] and seeds:
            nodes, edges = closure.closure([n.id for n in seeds], direction)
            for node in nodes:
                graph.add_node(node)
            for src, dst in edges:
                graph.add_edge(src, dst)
    return graph


def view_lineage(
    record: Any,
    with_children: bool = True,
    depth: int | None = None,
    return_graph: bool = False,
    upstream_depth: int | None = None,
    downstream_depth: int | None = None,
    cluster: bool | int = True,
    max_nodes: int | None = None,
) -> LineageGraph | None:
    """Show (or return) the data flow around an artifact, collection, run or transform.

    Parameters
    ----------
    record
        An Artifact, Collection, Run or Transform (the focus of the graph). For a
        transform: its runs, their inputs and their outputs.
    with_children
        Also show what was made from the record (downstream).
    depth
        Hops in both directions (default: all of upstream, 2 hops downstream).
    return_graph
        Return the :class:`~lamin_lab.lineage.graph.LineageGraph` instead of showing it.
    upstream_depth, downstream_depth
        Hops in one direction; they override ``depth``.
    cluster
        Collapse look-alike siblings (e.g. 200 input files of one run) into one node:
        ``True`` from 10 siblings on, an int for another threshold, ``False`` never.
    max_nodes
        Stop expanding once the graph has this many nodes (``graph.truncated``).

    Examples
    --------
    >>> artifact.view_lineage()  # doctest: +SKIP
    >>> graph = artifact.view_lineage(return_graph=True, upstream_depth=2)  # doctest: +SKIP
    >>> print(graph.to_mermaid())  # doctest: +SKIP
    """
    graph = lineage_graph(
        record,
        with_children=with_children,
        depth=depth,
        upstream_depth=upstream_depth,
        downstream_depth=downstream_depth,
        cluster=cluster,
        max_nodes=max_nodes,
    )
    if return_graph:
        return graph
    show(graph)
    return None


def show(graph: LineageGraph) -> None:
    """Display in a notebook, print a text tree elsewhere.

    In a notebook it is the interactive lineage panel (``ln.widgets.Lineage``).

    Examples
    --------
    >>> show(LineageGraph(edges=[("run:r", "artifact:b")], focus=["artifact:b"]))  # doctest: +SKIP
    """
    if not in_notebook():
        print(to_text_tree(graph))
        return
    service("lineage_panel")(graph)


def in_notebook() -> bool:
    """Whether code runs in a Jupyter kernel (IPython with a kernel, not a terminal).

    Examples
    --------
    >>> in_notebook()
    False
    """
    ipython_mod = sys.modules.get("IPython")
    if ipython_mod is None:  # never import IPython just to find out
        return False
    get = getattr(ipython_mod, "get_ipython", None)
    shell = get() if get else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def display_graph(graph: LineageGraph) -> None:
    """Show a lineage graph in a notebook (an SVG drawn by lamin_lab's own layout).

    ``view_lineage()`` shows the interactive panel instead; this is for a static picture
    (e.g. a notebook exported to HTML without widget state).

    Examples
    --------
    >>> display_graph(graph)  # doctest: +SKIP
    """
    from IPython.display import SVG, display

    display(SVG(graph.to_svg()))


# ----------------------------------------------------------------- text rendering
def to_text_tree(graph: LineageGraph, *, max_lines: int = 200) -> str:
    """The graph as indented trees: upstream and downstream of each focus node.

    A node met again is written once more with ``(↑ above)`` and not expanded;
    cluster nodes show their member count. Labels are single-line and stripped of
    control characters.

    Examples
    --------
    >>> g = LineageGraph([Node("run:r", label="train.py"), Node("artifact:b", label="model.pt")],
    ...                  [("run:r", "artifact:b")], focus=["artifact:b"])
    >>> print(to_text_tree(g))
    artifact model.pt  ◀ focus
    upstream
    └── run train.py
    """
    kids, pars = graph.adjacency()
    lines: list[str] = []
    for fid in graph.focus:
        if fid not in graph.nodes:
            continue
        lines.append(f"{_node_text(graph.nodes[fid])}  ◀ focus")
        for title, step in (("upstream", pars), ("downstream", kids)):
            if step.get(fid):
                lines.append(title)
                _tree(graph, step, fid, "", {fid}, lines, max_lines)
    if graph.truncated:
        lines.append("… (stopped at max_nodes; pass a larger max_nodes or a smaller depth)")
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [
            f"… ({len(lines) - max_lines} more lines; return_graph=True gives all)"
        ]
    return "\n".join(lines)


def _tree(
    graph: LineageGraph,
    step: dict[str, list[str]],
    root: str,
    prefix: str,
    seen: set[str],
    lines: list[str],
    max_lines: int,
) -> None:
    """Append the tree below ``root`` (pre-order), iteratively: chains can be very deep."""
    stack = [(child, prefix, i == len(step[root]) - 1) for i, child in enumerate(step[root])][::-1]
    while stack and len(lines) <= max_lines:
        nid, pre, last = stack.pop()
        again = nid in seen
        lines.append(
            pre
            + ("└── " if last else "├── ")
            + _node_text(graph.nodes[nid])
            + ("  (↑ above)" if again else "")
        )
        if again:
            continue
        seen.add(nid)
        below = step.get(nid, [])
        sub = pre + ("    " if last else "│   ")
        stack.extend(
            (child, sub, i == len(below) - 1) for i, child in reversed(list(enumerate(below)))
        )


def _node_text(node: Node) -> str:
    if node.kind == "cluster":  # "20 artifacts (fcs/s00.fcs, …)"
        return _one_line(f"{node.label} ({node.sublabel})" if node.sublabel else node.label)
    text = f"{node.kind} {node.label}"
    if node.sublabel:
        text += f" · {node.sublabel}"
    return _one_line(text)


_CONTROL = {c: " " for c in range(32)}


def _one_line(text: str) -> str:
    return " ".join(str(text).translate(_CONTROL).split())

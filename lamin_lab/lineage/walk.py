"""Breadth-first lineage walk that asks for neighbours one level at a time.

The caller supplies ``neighbors(frontier, direction)``; it is called once per
level with the whole frontier so that it can answer with one or two SQL
queries per level instead of one query per node (no N+1).
"""

from __future__ import annotations

from typing import Literal
from collections.abc import Callable, Iterable

from lamin_lab.errors import InvalidArgument
from lamin_lab.lineage.graph import LineageGraph, Node

Direction = Literal["up", "down"]
#: ``neighbors(node_ids, direction) -> (nodes, edges)``; edges in data-flow direction
NeighborsFn = Callable[[list[str], Direction], tuple[Iterable[Node], Iterable[tuple[str, str]]]]


def walk(
    focus: Iterable[str | Node],
    neighbors: NeighborsFn,
    *,
    upstream_depth: int = 5,
    downstream_depth: int = 0,
    max_nodes: int | None = None,
) -> LineageGraph:
    """Collect the lineage around ``focus`` into a :class:`LineageGraph`.

    Parameters
    ----------
    focus
        Node ids (or nodes) to start from; they are highlighted when drawn.
    neighbors
        Called once per level with the frontier ids and ``"up"`` (parents
        wanted) or ``"down"`` (children wanted). Returns the nodes it knows
        about and edges ``(source, target)`` in data-flow direction; for
        ``"up"`` the targets are frontier ids, for ``"down"`` the sources are.
    upstream_depth, downstream_depth
        How many hops to follow against / along the data flow (0: none).
    max_nodes
        Stop expanding once the graph holds this many nodes and set
        ``graph.truncated``; checked before each level, so the level that
        crosses the limit is kept whole.

    Returns
    -------
    The graph; ids seen only in edges become placeholder nodes.

    Examples
    --------
    >>> def neighbors(ids, direction):
    ...     if direction == "up":
    ...         return [], [("run:r", i) for i in ids if i == "artifact:b"]
    ...     return [], []
    >>> walk(["artifact:b"], neighbors, upstream_depth=3).edges
    [('run:r', 'artifact:b')]
    """
    if upstream_depth < 0 or downstream_depth < 0:
        raise InvalidArgument(
            "upstream_depth and downstream_depth count hops and must be >= 0;"
            " pass 0 to skip a direction"
        )
    graph = LineageGraph()
    start: list[str] = []
    for item in focus:
        node = item if isinstance(item, Node) else Node.placeholder(item)
        graph.add_node(node)
        if node.id not in start:
            start.append(node.id)
    graph.focus = start
    for direction, depth in (("up", upstream_depth), ("down", downstream_depth)):
        _walk_direction(graph, start, neighbors, direction, depth, max_nodes)
    return graph


def _walk_direction(
    graph: LineageGraph,
    start: list[str],
    neighbors: NeighborsFn,
    direction: Direction,
    depth: int,
    max_nodes: int | None,
) -> None:
    """Expand ``graph`` level by level in one direction; cycle-safe via ``seen``."""
    seen = set(start)
    frontier = list(start)
    for _ in range(depth):
        if not frontier:
            return
        if max_nodes is not None and len(graph.nodes) >= max_nodes:
            graph.truncated = True
            return
        nodes, edges = neighbors(list(frontier), direction)
        for node in nodes:
            graph.add_node(node)
        nxt: list[str] = []
        for src, dst in edges:
            graph.add_edge(src, dst)
            far = src if direction == "up" else dst
            if far not in seen:
                seen.add(far)
                nxt.append(far)
        frontier = nxt

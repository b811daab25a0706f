"""Make big lineage graphs readable: collapse siblings, drop implied edges.

Both functions return a new graph and leave their input untouched.
"""

from __future__ import annotations

import hashlib
from collections import deque
from typing import Literal

from lamin_lab.errors import InvalidArgument
from lamin_lab.lineage.graph import LineageGraph, Node

Match = Literal["both", "parents", "children", "auto"]


def cluster_siblings(
    graph: LineageGraph, threshold: int = 5, *, match: Match = "both"
) -> LineageGraph:
    """Collapse groups of look-alike siblings into ``cluster:<hash>`` nodes.

    Nodes of the same kind whose parent set and child set are equal (what
    ``match`` compares) form a group; a group of at least ``threshold`` nodes
    becomes one cluster node listing its members (``graph.clusters``). Focus
    nodes are never collapsed. Collapsing repeats until nothing changes, so
    e.g. with ``match="children"`` 1,000 parallel ``input → run → output``
    chains feeding one run become three clusters.

    Parameters
    ----------
    graph
        The graph to reduce (not modified).
    threshold
        Minimum group size to collapse (>= 2).
    match
        ``"both"`` (same parents and same children), ``"children"`` or
        ``"parents"`` only, or ``"auto"``: children for nodes upstream of the
        focus, parents for nodes downstream of it, both elsewhere — what a
        lineage view around a focus usually wants.

    Examples
    --------
    >>> edges = [(f"run:r{i}", "artifact:out") for i in range(6)]
    >>> g = cluster_siblings(LineageGraph(edges=edges), threshold=5)
    >>> [len(m) for m in g.clusters.values()]
    [6]
    """
    if threshold < 2:
        raise InvalidArgument("threshold must be >= 2: a cluster of one is no cluster")
    if match not in ("both", "parents", "children", "auto"):
        raise InvalidArgument("match must be 'both', 'parents', 'children' or 'auto'")
    new = graph.copy()
    while _collapse_once(new, threshold, match):
        pass
    return new


def _collapse_once(graph: LineageGraph, threshold: int, match: Match) -> bool:
    """Collapse every group of the current graph; return whether any was found."""
    kids, pars = graph.adjacency()
    focus = set(graph.focus)
    up = _closure(pars, focus) if match == "auto" else set()
    down = _closure(kids, focus) if match == "auto" else set()
    groups: dict[tuple, list[str]] = {}
    for nid, node in graph.nodes.items():
        if nid in focus or node.kind == "cluster":
            continue
        how = match
        if match == "auto" and (nid in up) != (nid in down):
            how = "children" if nid in up else "parents"
        elif match == "auto":
            how = "both"
        p = frozenset(pars[nid]) if how != "children" else None
        c = frozenset(kids[nid]) if how != "parents" else None
        if not p and not c:  # isolated nodes have nothing in common
            continue
        groups.setdefault((node.kind, p, c), []).append(nid)
    found = False
    for (kind, _, _), members in groups.items():
        if len(members) >= threshold:
            _collapse(graph, kind, members)
            found = True
    return found


def _closure(step: dict[str, list[str]], start: set[str]) -> set[str]:
    """Nodes reachable from ``start`` following ``step`` (start excluded)."""
    seen: set[str] = set()
    stack = list(start)
    while stack:
        for nxt in step[stack.pop()]:
            if nxt not in seen and nxt not in start:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _collapse(graph: LineageGraph, kind: str, members: list[str]) -> str:
    """Replace ``members`` by one cluster node, remembering what was hidden."""
    digest = hashlib.sha1("\n".join(sorted(members)).encode()).hexdigest()[:12]
    cid = f"cluster:{digest}"
    member_set = set(members)
    touched = [e for e in graph.edges if e[0] in member_set or e[1] in member_set]
    plural = kind if kind.endswith("s") else kind + "s"
    graph.nodes[cid] = Node(
        cid,
        label=f"{len(members)} {plural}",
        sublabel=graph.nodes[members[0]].label + ", …",
        attrs={"member_kind": kind, "n_members": len(members)},
    )
    for m in members:
        graph._hidden_nodes[m] = graph.nodes.pop(m)
    for src, dst in touched:
        graph.remove_edge(src, dst)
        s = cid if src in member_set else src
        d = cid if dst in member_set else dst
        if s != d:
            graph.add_edge(s, d)
    graph.clusters[cid] = list(members)
    graph._hidden_edges[cid] = touched
    return cid


def expand_cluster(graph: LineageGraph, cluster_id: str) -> LineageGraph:
    """Undo one collapse: put the members and their original edges back.

    Edge ends that are themselves hidden in another cluster are drawn to that
    cluster.

    Examples
    --------
    >>> edges = [(f"run:r{i}", "artifact:out") for i in range(6)]
    >>> g = cluster_siblings(LineageGraph(edges=edges), threshold=5)
    >>> len(expand_cluster(g, next(iter(g.clusters))).nodes)
    7
    """
    if cluster_id not in graph.clusters:
        raise InvalidArgument(
            f"{cluster_id!r} is not a cluster of this graph; pick one of {sorted(graph.clusters)}"
        )
    new = graph.copy()
    members = new.clusters.pop(cluster_id)
    touched = new._hidden_edges.pop(cluster_id)
    for src, dst in new.edges:
        if cluster_id in (src, dst):
            new.remove_edge(src, dst)
    del new.nodes[cluster_id]
    for m in members:
        new.nodes[m] = new._hidden_nodes.pop(m)
    owner = {m: cid for cid, ms in new.clusters.items() for m in ms}
    for src, dst in touched:
        s, d = owner.get(src, src), owner.get(dst, dst)
        if s in new.nodes and d in new.nodes and s != d:
            new.add_edge(s, d)
    return new


def transitive_reduction(graph: LineageGraph) -> LineageGraph:
    """Drop every edge ``u → v`` that another path from ``u`` to ``v`` implies.

    Reachability between all nodes stays the same. Only nodes with two or more
    children can hold an implied edge, so one search per such node finds the
    candidates; each candidate is re-checked against the current graph before
    it goes, which keeps the result correct when the graph has cycles.

    Examples
    --------
    >>> g = LineageGraph(edges=[("artifact:a", "run:r"), ("run:r", "artifact:b"),
    ...                         ("artifact:a", "artifact:b")])
    >>> transitive_reduction(g).edges
    [('artifact:a', 'run:r'), ('run:r', 'artifact:b')]
    """
    new = graph.copy()
    kids, _ = new.adjacency()
    succ = {n: set(c) for n, c in kids.items()}
    for u, children in kids.items():
        if len(children) < 2:
            continue
        beyond = _reachable(succ, succ[u])  # reachable in >= 2 hops from u
        for v in children:
            if v in beyond and v != u and _reachable_without(succ, u, v):
                succ[u].discard(v)
                new.remove_edge(u, v)
    return new


def _reachable(succ: dict[str, set[str]], starts: set[str]) -> set[str]:
    """Nodes reachable from ``starts`` by one or more further hops."""
    seen: set[str] = set()
    queue = deque(starts)
    while queue:
        for nxt in succ.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _reachable_without(succ: dict[str, set[str]], u: str, v: str) -> bool:
    """Whether ``v`` is reachable from ``u`` without the direct edge ``u → v``."""
    seen = {u}
    queue = deque(c for c in succ[u] if c != v)
    seen.update(queue)
    while queue:
        cur = queue.popleft()
        if cur == v:
            return True
        for nxt in succ.get(cur, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False

"""Lineage as plain data: typed node ids, nodes, directed edges and the graph.

Nothing here knows about registries or the database. Node ids are strings
``"<kind>:<uid>"`` so that a graph can be shipped to a browser as JSON and
mapped back to records by whoever owns the models. Edges always point in the
direction data flows: input artifact → run → output artifact, transform → run.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable

from lamin_lab.errors import InvalidArgument

#: The kinds a node id may carry; ``cluster`` nodes stand for collapsed siblings.
NODE_KINDS = ("artifact", "collection", "run", "transform", "cluster")


def node_id(kind: str, uid: str) -> str:
    """Build the typed id of a node.

    Examples
    --------
    >>> node_id("artifact", "Ab12")
    'artifact:Ab12'
    """
    if kind not in NODE_KINDS:
        raise InvalidArgument(f"unknown node kind {kind!r}; use one of {', '.join(NODE_KINDS)}")
    return f"{kind}:{uid}"


def split_node_id(nid: str) -> tuple[str, str]:
    """Split a typed node id into ``(kind, uid)``.

    Examples
    --------
    >>> split_node_id("run:XyZ")
    ('run', 'XyZ')
    """
    kind, sep, uid = nid.partition(":")
    if not sep or kind not in NODE_KINDS or not uid:
        raise InvalidArgument(
            f"{nid!r} is not a lineage node id; write it as '<kind>:<uid>' with kind"
            f" one of {', '.join(NODE_KINDS)}"
        )
    return kind, uid


@dataclass
class Node:
    """One vertex of a lineage graph.

    Parameters
    ----------
    id
        Typed id ``"<kind>:<uid>"``.
    kind
        ``artifact``, ``collection``, ``run``, ``transform`` or ``cluster``;
        derived from ``id`` when empty.
    label
        Main text (an artifact key, a transform key, ...).
    sublabel
        Second, smaller line (a version, a run's start time, ...).
    attrs
        Anything else the caller wants to carry to a widget (JSON-able values).

    Examples
    --------
    >>> Node("artifact:Ab12", label="data/x.parquet", sublabel="v2").kind
    'artifact'
    """

    id: str
    kind: str = ""
    label: str = ""
    sublabel: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kind, uid = split_node_id(self.id)
        if self.kind and self.kind != kind:
            raise InvalidArgument(
                f"node {self.id!r} has kind {self.kind!r} but its id says {kind!r};"
                " pass a matching kind or leave it empty"
            )
        self.kind = kind
        if not self.label:
            self.label = uid

    @classmethod
    def placeholder(cls, nid: str) -> Node:
        """A node known only by its id (label = uid), marked as a placeholder.

        Examples
        --------
        >>> Node.placeholder("run:r1").attrs
        {'placeholder': True}
        """
        return cls(nid, attrs={"placeholder": True})


class LineageGraph:
    """A directed lineage graph: nodes by id, ordered unique edges, focus ids.

    Parameters
    ----------
    nodes
        The nodes; later nodes with the same id replace placeholders.
    edges
        ``(source id, target id)`` pairs in data-flow direction.
    focus
        Ids of the records the graph was drawn for (highlighted).

    Examples
    --------
    >>> g = LineageGraph([Node("artifact:a"), Node("run:r")], [("artifact:a", "run:r")])
    >>> g.children("artifact:a")
    ['run:r']
    """

    def __init__(
        self,
        nodes: Iterable[Node] = (),
        edges: Iterable[tuple[str, str]] = (),
        focus: Iterable[str] = (),
    ) -> None:
        self.nodes: dict[str, Node] = {}
        self._edges: dict[tuple[str, str], None] = {}  # an ordered set
        self.focus: list[str] = list(focus)
        #: cluster id → member ids (members are hidden from ``nodes``)
        self.clusters: dict[str, list[str]] = {}
        #: hidden member nodes and the original edges that touched them
        self._hidden_nodes: dict[str, Node] = {}
        self._hidden_edges: dict[str, list[tuple[str, str]]] = {}
        #: set by :func:`walk` when ``max_nodes`` stopped the expansion
        self.truncated = False
        for node in nodes:
            self.add_node(node)
        for src, dst in edges:
            self.add_edge(src, dst)

    # ------------------------------------------------------------ building
    def add_node(self, node: Node) -> Node:
        """Add a node; a real node replaces a placeholder with the same id.

        Examples
        --------
        >>> g = LineageGraph()
        >>> g.add_node(Node("run:r", label="train")).label
        'train'
        """
        old = self.nodes.get(node.id)
        # never let a bare id overwrite what a caller told us about a node
        if old is None or not node.attrs.get("placeholder"):
            self.nodes[node.id] = node
        return self.nodes[node.id]

    def add_edge(self, src: str, dst: str) -> None:
        """Add the edge ``src → dst``; unknown endpoints become placeholders.

        Examples
        --------
        >>> g = LineageGraph()
        >>> g.add_edge("artifact:a", "run:r")
        >>> sorted(g.nodes)
        ['artifact:a', 'run:r']
        """
        for nid in (src, dst):
            if nid not in self.nodes:
                self.nodes[nid] = Node.placeholder(nid)
        self._edges[(src, dst)] = None

    def remove_edge(self, src: str, dst: str) -> None:
        """Remove an edge if present.

        Examples
        --------
        >>> g = LineageGraph(edges=[("artifact:a", "run:r")])
        >>> g.remove_edge("artifact:a", "run:r"); g.edges
        []
        """
        self._edges.pop((src, dst), None)

    def copy(self) -> LineageGraph:
        """A copy that shares Node objects but not the containers.

        Examples
        --------
        >>> LineageGraph(edges=[("artifact:a", "run:r")]).copy().edges
        [('artifact:a', 'run:r')]
        """
        new = LineageGraph(focus=self.focus)
        new.nodes = dict(self.nodes)
        new._edges = dict(self._edges)
        new.clusters = {k: list(v) for k, v in self.clusters.items()}
        new._hidden_nodes = dict(self._hidden_nodes)
        new._hidden_edges = {k: list(v) for k, v in self._hidden_edges.items()}
        new.truncated = self.truncated
        return new

    # ------------------------------------------------------------ queries
    @property
    def edges(self) -> list[tuple[str, str]]:
        """The edges in insertion order.

        Examples
        --------
        >>> LineageGraph(edges=[("run:r", "artifact:b")]).edges
        [('run:r', 'artifact:b')]
        """
        return list(self._edges)

    def has_edge(self, src: str, dst: str) -> bool:
        """Whether ``src → dst`` is an edge.

        Examples
        --------
        >>> LineageGraph(edges=[("run:r", "artifact:b")]).has_edge("run:r", "artifact:b")
        True
        """
        return (src, dst) in self._edges

    def children(self, nid: str) -> list[str]:
        """Targets of edges leaving ``nid``.

        Examples
        --------
        >>> LineageGraph(edges=[("run:r", "artifact:b")]).children("run:r")
        ['artifact:b']
        """
        return [d for s, d in self._edges if s == nid]

    def parents(self, nid: str) -> list[str]:
        """Sources of edges entering ``nid``.

        Examples
        --------
        >>> LineageGraph(edges=[("run:r", "artifact:b")]).parents("artifact:b")
        ['run:r']
        """
        return [s for s, d in self._edges if d == nid]

    def adjacency(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """``(children, parents)`` lists for every node, built in one pass.

        Examples
        --------
        >>> kids, pars = LineageGraph(edges=[("run:r", "artifact:b")]).adjacency()
        >>> kids["run:r"], pars["artifact:b"]
        (['artifact:b'], ['run:r'])
        """
        kids: dict[str, list[str]] = {n: [] for n in self.nodes}
        pars: dict[str, list[str]] = {n: [] for n in self.nodes}
        for s, d in self._edges:
            kids[s].append(d)
            pars[d].append(s)
        return kids, pars

    def __len__(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        return (
            f"LineageGraph({len(self.nodes)} nodes, {len(self._edges)} edges, focus={self.focus!r})"
        )

    # ------------------------------------------------------------ rendering
    @property
    def source(self) -> str:
        """DOT text, so that ``graphviz.Source(graph.source)`` works.

        Examples
        --------
        >>> LineageGraph(edges=[("run:r", "artifact:b")]).source.startswith("digraph")
        True
        """
        from lamin_lab.lineage.render_dot import to_dot

        return to_dot(self)

    def to_dot(self) -> str:
        """DOT text of the graph (same as :attr:`source`).

        Examples
        --------
        >>> "->" in LineageGraph(edges=[("run:r", "artifact:b")]).to_dot()
        True
        """
        return self.source

    def to_mermaid(self) -> str:
        """Mermaid ``flowchart LR`` text with escaped labels.

        Examples
        --------
        >>> LineageGraph(edges=[("run:r", "artifact:b")]).to_mermaid().splitlines()[0]
        'flowchart LR'
        """
        from lamin_lab.lineage.render_mermaid import to_mermaid

        return to_mermaid(self)

    def to_svg(self) -> str:
        """An SVG drawing made by lamin_lab's own layered layout.

        Examples
        --------
        >>> LineageGraph(edges=[("run:r", "artifact:b")]).to_svg().startswith("<svg")
        True
        """
        from lamin_lab.lineage.render_svg import to_svg

        return to_svg(self)

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def to_dict(self, *, with_layout: bool = False) -> dict[str, Any]:
        """A JSON-able dict for a browser widget: nodes, edges, clusters, focus.

        Parameters
        ----------
        with_layout
            Also include ``x, y, w, h`` per node from :func:`layout`.

        Examples
        --------
        >>> d = LineageGraph(edges=[("run:r", "artifact:b")], focus=["artifact:b"]).to_dict()
        >>> d["edges"], d["focus"]
        ([['run:r', 'artifact:b']], ['artifact:b'])
        """
        boxes = {}
        if with_layout:
            from lamin_lab.lineage.layout import layout

            boxes = layout(self)
        focus = set(self.focus)
        nodes = []
        for n in self.nodes.values():
            item = {
                "id": n.id,
                "kind": n.kind,
                "label": n.label,
                "sublabel": n.sublabel,
                "attrs": _jsonable(n.attrs),
                "focus": n.id in focus,
            }
            if n.id in boxes:
                item.update(zip("xywh", boxes[n.id], strict=True))
            nodes.append(item)
        return {
            "nodes": nodes,
            "edges": [[s, d] for s, d in self._edges],
            "clusters": {k: list(v) for k, v in self.clusters.items()},
            "focus": list(self.focus),
            "truncated": self.truncated,
        }


def _jsonable(value: Any) -> Any:
    """Turn attrs into JSON-able values (datetimes → ISO text, others → str)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value)

"""``Lineage``: the lineage graph drawn in the browser (SVG), expandable hop by hop.

The layout is computed in Python (:func:`lamin_lab.lineage.compute_layout`) and
shipped as boxes and edge routes; the browser only draws, pans and zooms.

The browser gets the whole graph once (``graph_data``: the first drawing, a new
record, or when it asks with ``resync``) and after that only what an expand
changed (``graph_delta``: added and removed nodes and edges, and the positions
and routes that moved). Every drawing has a version; a delta names the version it
applies to, so a browser that missed one asks for the whole graph again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import traitlets

from ..errors import InvalidArgument, LaminLabError
from ..lineage import LineageGraph, Node, compute_layout, expand_cluster, split_node_id
from ..catalog import LINEAGE_KINDS
from ..catalog.registries import registry as registry_class
from ._base import Panel, panel_module
from ..lineage import api
from ..lineage import db

_KIND_REGISTRY = {kind: name for name, kind in LINEAGE_KINDS.items()}
EXPORTS = {
    "dot": ("to_dot", "text/vnd.graphviz"),
    "mermaid": ("to_mermaid", "text/plain"),
    "svg": ("to_svg", "image/svg+xml"),
}


def graph_payload(graph: LineageGraph, message: str = "") -> dict[str, Any]:
    """A graph as JSON for the browser: nodes with boxes, edges with routes.

    Examples
    --------
    >>> from lamin_lab.lineage import LineageGraph
    >>> data = graph_payload(LineageGraph(edges=[("run:r", "artifact:b")], focus=["artifact:b"]))
    >>> [n["id"] for n in data["nodes"]], len(data["edges"][0]["points"])
    (['run:r', 'artifact:b'], 2)
    """
    data = graph.to_dict()
    lay = compute_layout(graph)
    for node in data["nodes"]:
        # Only what the drawing needs: a 500-node graph is sent again on every expand.
        node.pop("attrs", None)
        node.update(zip("xywh", (round(v, 1) for v in lay.boxes[node["id"]]), strict=True))
        node["size"] = len(data["clusters"].get(node["id"], ()))
    data["edges"] = [
        {
            "source": s,
            "target": d,
            "points": [[round(x, 1), round(y, 1)] for x, y in lay.routes.get((s, d), [])],
        }
        for s, d in data["edges"]
    ]
    data.update(width=lay.width, height=lay.height, message=message)
    return data


_POSITION = ("x", "y")


def payload_delta(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from the payload ``old`` to ``new``; :func:`apply_delta` replays it.

    ``nodes`` and ``edges`` hold the added ones and those that changed otherwise;
    ``moved`` is ``[i, x, y]`` of the nodes that only moved and ``rerouted`` is
    ``[i, points]`` of the edges whose route alone changed (``i``: the index in
    ``old``, shorter than two ids); ``removed`` and ``removed_edges`` say what is gone,
    ``set`` the other fields that changed (size, message, focus, ...). ``order`` /
    ``edge_order`` appear only when the new order is not the old one with the
    additions at the end.

    Examples
    --------
    >>> from lamin_lab.lineage import LineageGraph
    >>> old = graph_payload(LineageGraph(edges=[("run:r", "artifact:a")]))
    >>> new = graph_payload(LineageGraph(edges=[("run:r", "artifact:a"), ("run:r", "artifact:b")]))
    >>> delta = payload_delta(old, new)
    >>> [n["id"] for n in delta["nodes"]], apply_delta(old, delta) == new
    (['artifact:b'], True)
    """
    before = {n["id"]: (i, n) for i, n in enumerate(old.get("nodes", []))}
    nodes, moved = [], []
    for node in new.get("nodes", []):
        i, was = before.get(node["id"], (None, None))
        if was == node:
            continue
        if was is not None and _same_but(was, node, _POSITION):
            moved.append([i, node["x"], node["y"]])
        else:
            nodes.append(node)
    edges_before = {_edge_key(e): (i, e) for i, e in enumerate(old.get("edges", []))}
    edges, rerouted = [], []
    for edge in new.get("edges", []):
        i, was = edges_before.get(_edge_key(edge), (None, None))
        if was == edge:
            continue
        if was is not None and _same_but(was, edge, ("points",)):
            rerouted.append([i, edge["points"]])
        else:
            edges.append(edge)
    now = {n["id"] for n in new.get("nodes", [])}
    edges_now = {_edge_key(e) for e in new.get("edges", [])}
    delta: dict[str, Any] = {
        "base": old.get("version"),
        "version": new.get("version"),
        "nodes": nodes,
        "moved": moved,
        "removed": [nid for nid in before if nid not in now],
        "edges": edges,
        "rerouted": rerouted,
        "removed_edges": [list(key) for key in edges_before if key not in edges_now],
        "set": {
            k: v
            for k, v in new.items()
            if k not in ("nodes", "edges", "version") and old.get(k) != v
        },
    }
    # apply_delta keeps the old order and adds the new ones last: say so when that is not it
    removed, removed_edges = set(delta["removed"]), set(map(tuple, delta["removed_edges"]))
    kept = [nid for nid in before if nid not in removed] + [
        n["id"] for n in nodes if n["id"] not in before
    ]
    if kept != [n["id"] for n in new.get("nodes", [])]:
        delta["order"] = [n["id"] for n in new["nodes"]]
    kept_edges = [key for key in edges_before if key not in removed_edges] + [
        _edge_key(e) for e in edges if _edge_key(e) not in edges_before
    ]
    if kept_edges != [_edge_key(e) for e in new.get("edges", [])]:
        delta["edge_order"] = [list(_edge_key(e)) for e in new["edges"]]
    return delta


def apply_delta(old: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """The payload that ``delta`` (from :func:`payload_delta`) makes of ``old`` (not changed).

    The browser's ``applyDelta`` in ``static/lineage.js`` does the same.

    Examples
    --------
    >>> old = {"version": 1, "nodes": [{"id": "run:r", "x": 0, "y": 0}], "edges": []}
    >>> apply_delta(old, {"version": 2, "moved": [[0, 5, 6]]})["nodes"]
    [{'id': 'run:r', 'x': 5, 'y': 6}]
    """
    old_nodes, old_edges = old.get("nodes", []), old.get("edges", [])
    moved = {old_nodes[i]["id"]: {"x": x, "y": y} for i, x, y in delta.get("moved", ())}
    changed = [*delta.get("nodes", ())]
    changed += [{**old_nodes[i], **moved[old_nodes[i]["id"]]} for i, *_ in delta.get("moved", ())]
    nodes = _merge(old_nodes, changed, set(delta.get("removed", ())), _node_key, delta.get("order"))
    edges = _merge(
        old_edges,
        [
            *delta.get("edges", ()),
            *({**old_edges[i], "points": p} for i, p in delta.get("rerouted", ())),
        ],
        {tuple(key) for key in delta.get("removed_edges", ())},
        _edge_key,
        delta.get("edge_order") and [tuple(key) for key in delta["edge_order"]],
    )
    out = {k: v for k, v in old.items() if k not in ("nodes", "edges")}
    out.update(delta.get("set", {}), nodes=nodes, edges=edges)
    if delta.get("version") is not None:
        out["version"] = delta["version"]
    return out


def _merge(old: list, fresh: list, gone: set, key: Any, order: list | None) -> list:
    """``old`` but ``gone``, items replaced by those of ``fresh``, the new ones last; or in ``order``."""
    by_key = {key(x): x for x in fresh}
    out = [by_key.pop(key(x), x) for x in old if key(x) not in gone]
    out += by_key.values()
    if order is None:
        return out
    at = {key(x): x for x in out}
    return [at[k] for k in order]


def _same_but(a: dict[str, Any], b: dict[str, Any], fields: tuple[str, ...]) -> bool:
    return a.keys() == b.keys() and all(a[k] == b[k] for k in a if k not in fields)


def _node_key(node: dict[str, Any]) -> str:
    return node["id"]


def _edge_key(edge: dict[str, Any]) -> tuple[str, str]:
    return edge["source"], edge["target"]


def merge_into(graph: LineageGraph, nodes: Any, edges: Any) -> int:
    """Add nodes and edges to ``graph`` (in place); return how many nodes are new.

    Examples
    --------
    >>> from lamin_lab.lineage import LineageGraph, Node
    >>> g = LineageGraph([Node("artifact:a")])
    >>> merge_into(g, [Node("run:r")], [("run:r", "artifact:a")])
    1
    """
    before = len(graph.nodes)
    for node in nodes:
        if node.id not in graph.nodes or graph.nodes[node.id].attrs.get("placeholder"):
            graph.add_node(node)
    for src, dst in edges:
        graph.add_edge(src, dst)
    return len(graph.nodes) - before


def _grown(graph: LineageGraph, nodes: Any, edges: Any) -> tuple[int, LineageGraph | None]:
    """How many nodes ``nodes`` add to ``graph``, and the graph with them and ``edges``
    merged in (a copy), or None when nothing would change."""
    grown = graph.copy()
    added = merge_into(grown, nodes, edges)
    same = grown.edges == graph.edges and all(
        grown.nodes[nid] is node for nid, node in graph.nodes.items()
    )  # a placeholder that became a real node changes its label
    return added, (None if not added and same else grown)


@dataclass
class _Ready:
    """An expand laid out ahead: valid while the drawing and the database say the same."""

    version: int | None
    nodes: list[Node]
    edges: list[tuple[str, str]]
    added: int
    graph: LineageGraph
    payload: dict[str, Any]

    def matches(self, version: int | None, nodes: Any, edges: Any) -> bool:
        return version == self.version and self.nodes == list(nodes) and self.edges == list(edges)


def record_of_node(nid: str) -> Any:
    """The record behind a node id like ``artifact:<uid>``.

    Examples
    --------
    >>> record_of_node("run:" + run.uid) == run  # doctest: +SKIP
    True
    """
    kind, uid = split_node_id(nid)
    if kind not in _KIND_REGISTRY:
        raise InvalidArgument(f"{nid!r} is a group of nodes, not a record; expand it first.")
    return registry_class(_KIND_REGISTRY[kind]).get(uid=uid)


class Lineage(Panel):
    """The data flow around a record: pan, zoom, expand, focus, pick, export.

    Parameters
    ----------
    record
        An Artifact, Collection, Run or Transform; or None (set ``.record`` later).
    depth
        Hops drawn upstream and downstream of the record.
    graph
        A ready graph to show instead of walking the database.

    Examples
    --------
    >>> panel = ln.widgets.Lineage(artifact, depth=3)  # doctest: +SKIP
    >>> panel  # click a node  # doctest: +SKIP
    >>> panel.selected  # doctest: +SKIP
    """

    _esm = panel_module("lineage")  # live with ANYWIDGET_HMR=1
    #: the whole drawing at one version: sent first, for a new record, and on ``resync``
    graph_data = traitlets.Dict({}).tag(sync=True)
    #: the newest change: from drawing ``base`` to ``version`` (see :func:`payload_delta`)
    graph_delta = traitlets.Dict({}).tag(sync=True)
    depth = traitlets.Int(3).tag(sync=True)
    record = traitlets.Any(None)

    def __init__(
        self,
        record: Any = None,
        depth: int = 3,
        *,
        graph: LineageGraph | None = None,
        **kwargs: Any,
    ):
        super().__init__(depth=depth, **kwargs)
        self.graph: LineageGraph = LineageGraph()
        #: the drawing the browser shows now: ``graph_data`` with the deltas since applied
        self.drawn: dict[str, Any] = {}
        #: expands laid out ahead, by (node id, direction) (see ``_prefetch``)
        self._ready: dict[tuple[str, str], _Ready] = {}
        if graph is not None:
            self.show_graph(graph)
        elif record is not None:
            self.record = record
        else:
            self.show_graph(
                LineageGraph(), "Pick an artifact, collection, run or transform to see its lineage."
            )

    @traitlets.observe("record")
    def _record_changed(self, change: dict[str, Any]) -> None:
        record = change["new"]
        if record is None:
            self.show_graph(
                LineageGraph(), "Pick an artifact, collection, run or transform to see its lineage."
            )
            return
        name = type(record).__name__
        if name not in LINEAGE_KINDS:
            self.show_graph(
                LineageGraph(),
                f"A {name} has no lineage: pick an artifact, collection, run or transform.",
            )
            return

        self.show_graph(
            api.lineage_graph(record, upstream_depth=self.depth, downstream_depth=self.depth)
        )

    def show_graph(self, graph: LineageGraph, message: str = "") -> None:
        """Draw ``graph`` (replacing the current one): the browser gets it whole.

        Examples
        --------
        >>> panel.show_graph(artifact.view_lineage(return_graph=True))  # doctest: +SKIP
        """
        self.graph = graph
        self._ready = {}
        if not message and not graph.nodes:
            message = "No lineage recorded."
        self.drawn = {**graph_payload(graph, message), "version": self._next_version()}
        self.graph_data = self.drawn

    def _redraw(self, graph: LineageGraph, payload: dict[str, Any] | None = None) -> None:
        """Draw ``graph``, a change of the one shown: the browser gets only what changed."""
        self.graph = graph
        self._ready = {}
        new = {**(payload or graph_payload(graph)), "version": self._next_version()}
        delta = payload_delta(self.drawn, new)
        self.drawn = new
        self.graph_delta = delta

    def _next_version(self) -> int:
        return int(self.drawn.get("version") or 0) + 1

    def _node(self, msg: dict[str, Any]) -> str:
        nid = str(msg.get("node") or "")
        if nid not in self.graph.nodes:
            raise InvalidArgument(f"{nid!r} is not drawn in this graph; refresh the panel.")
        return nid

    def _cmd_expand(self, msg: dict[str, Any]) -> dict[str, Any]:
        nid = self._node(msg)
        direction = msg.get("direction")
        if direction not in ("up", "down"):
            raise InvalidArgument("expand needs direction 'up' or 'down'.")
        if nid.startswith("cluster:"):
            raise InvalidArgument("Expand the group first (double-click it).")
        if nid.startswith("transform:"):
            more = api.lineage_graph(
                record_of_node(nid), upstream_depth=1, downstream_depth=1, cluster=False
            )
            nodes, edges = list(more.nodes.values()), more.edges
        else:
            nodes, edges = db.neighbors([nid], direction)
        ready = self._ready.get((nid, direction))
        if ready is not None and ready.matches(self.drawn.get("version"), nodes, edges):
            added, grown, payload = ready.added, ready.graph, ready.payload  # laid out already
        else:
            added, grown = _grown(self.graph, nodes, edges)
            payload = graph_payload(grown) if grown is not None else None
        if grown is not None:
            self._redraw(grown, payload)
        return {"type": "expanded", "node": nid, "added": added}

    def _on_message(self, widget: Any, content: Any, buffers: Any) -> None:
        super()._on_message(widget, content, buffers)  # the reply goes out first
        if isinstance(content, dict) and content.get("type") == "select":
            self._prefetch(str(content.get("node") or ""))

    def _prefetch(self, nid: str) -> None:
        """Lay out both expands of the node just picked while the person reaches for a button.

        The layout of a 500-node graph takes ~30 ms, most of an expand; done here, after the
        pick's reply, an expand that follows finds it ready (the same graph, so the same
        positions) and only checks the database for what it would add.
        """
        self._ready = {}
        if nid not in self.graph.nodes or nid.startswith(("cluster:", "transform:")):
            return
        version = self.drawn.get("version")
        for direction in ("up", "down"):
            try:
                nodes, edges = db.neighbors([nid], direction)
            except LaminLabError:  # only a guess: the expand itself will say what is wrong
                return
            added, grown = _grown(self.graph, nodes, edges)
            if grown is not None:
                ready = _Ready(version, nodes, edges, added, grown, graph_payload(grown))
                self._ready[(nid, direction)] = ready

    def _cmd_expand_cluster(self, msg: dict[str, Any]) -> dict[str, Any]:
        nid = self._node(msg)
        self._redraw(expand_cluster(self.graph, nid))
        return {"type": "expanded", "node": nid}

    def _cmd_resync(self, msg: dict[str, Any]) -> dict[str, Any]:
        """The browser missed a delta (or opened late): send the whole drawing again."""
        if self.graph_data is self.drawn:
            self.send_state("graph_data")  # the same dict: a trait would not send it again
        else:
            self.graph_data = self.drawn
        return {"type": "resync", "version": self.drawn["version"]}

    def _cmd_focus(self, msg: dict[str, Any]) -> dict[str, Any]:
        nid = self._node(msg)
        self.record = record_of_node(nid)
        return {"type": "focused", "node": nid}

    def _cmd_select(self, msg: dict[str, Any]) -> dict[str, Any]:
        nid = self._node(msg)
        self._set_selected(record_of_node(nid))
        return {"type": "selected", "node": nid, "ref": self.selection}

    def _cmd_export(self, msg: dict[str, Any]) -> dict[str, Any]:
        fmt = str(msg.get("format") or "")
        if fmt not in EXPORTS:
            raise InvalidArgument(f"Export as one of {', '.join(EXPORTS)}, not {fmt!r}.")
        method, mime = EXPORTS[fmt]
        return {
            "type": "export",
            "format": fmt,
            "mime": mime,
            "text": getattr(self.graph, method)(),
        }


def display_lineage(graph_or_record: Any, depth: int = 3) -> Lineage:
    """Show a lineage graph (or a record's lineage) as an interactive panel.

    ``record.view_lineage()`` calls it in notebooks.

    Examples
    --------
    >>> ln.widgets.display_lineage(artifact)  # doctest: +SKIP
    """
    from IPython.display import display

    if isinstance(graph_or_record, LineageGraph):
        panel = Lineage(graph=graph_or_record, depth=depth)
    else:
        panel = Lineage(graph_or_record, depth=depth)
    display(panel)
    return panel

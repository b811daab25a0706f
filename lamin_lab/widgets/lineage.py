"""``Lineage``: the lineage graph drawn in the browser (SVG), expandable hop by hop.

The layout is computed in Python (:func:`lamin_lab.lineage.compute_layout`) and
shipped as boxes and edge routes; the browser only draws, pans and zooms.
"""

from __future__ import annotations

from typing import Any

import traitlets

from ..errors import InvalidArgument
from ..lineage import LineageGraph, compute_layout, expand_cluster, split_node_id
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
    graph_data = traitlets.Dict({}).tag(sync=True)
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
        """Draw ``graph`` (replacing the current one).

        Examples
        --------
        >>> panel.show_graph(artifact.view_lineage(return_graph=True))  # doctest: +SKIP
        """
        self.graph = graph
        if not message and not graph.nodes:
            message = "No lineage recorded."
        self.graph_data = graph_payload(graph, message)

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
            nodes, edges = more.nodes.values(), more.edges
        else:
            nodes, edges = db.neighbors([nid], direction)
        added = merge_into(self.graph, nodes, edges)
        self.show_graph(self.graph)
        return {"type": "expanded", "node": nid, "added": added}

    def _cmd_expand_cluster(self, msg: dict[str, Any]) -> dict[str, Any]:
        nid = self._node(msg)
        self.show_graph(expand_cluster(self.graph, nid))
        return {"type": "expanded", "node": nid}

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

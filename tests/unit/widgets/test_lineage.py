"""Lineage panel: graph payload with layout, expand, clusters, focus, select, export."""

from __future__ import annotations

from lamin_lab.lineage import LineageGraph, Node, cluster_siblings
from lamin_lab.widgets import Lineage
from lamin_lab.widgets.lineage import graph_payload, merge_into


def _ids(panel):
    return sorted(node["id"] for node in panel.graph_data["nodes"])


def test_payload_has_boxes_routes_and_focus():
    graph = LineageGraph(
        [Node("run:r", label="prep.py"), Node("artifact:b", label="b.csv")],
        [("run:r", "artifact:b")],
        focus=["artifact:b"],
    )
    data = graph_payload(graph)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["artifact:b"]["focus"] is True and nodes["run:r"]["focus"] is False
    assert nodes["run:r"]["x"] < nodes["artifact:b"]["x"]
    edge = data["edges"][0]
    assert (edge["source"], edge["target"]) == ("run:r", "artifact:b")
    assert edge["points"][0][0] == nodes["run:r"]["x"] + nodes["run:r"]["w"]
    assert data["width"] > 0 and data["message"] == ""


def test_record_lineage_with_depth(catalog):
    panel = Lineage(catalog.clean, depth=1)
    assert _ids(panel) == sorted([f"artifact:{catalog.clean.uid}", f"run:{catalog.run.uid}"])
    assert panel.graph_data["focus"] == [f"artifact:{catalog.clean.uid}"]
    assert len(Lineage(catalog.clean, depth=3).graph_data["nodes"]) == 3


def test_expand_up_adds_the_inputs_of_a_run(catalog):
    panel = Lineage(catalog.clean, depth=1)
    reply = panel._handle(
        {"type": "expand", "node": f"run:{catalog.run.uid}", "direction": "up", "request_id": 5}
    )
    assert (reply["type"], reply["added"], reply["request_id"]) == ("expanded", 1, 5)
    assert f"artifact:{catalog.raw.uid}" in _ids(panel)
    assert [f"artifact:{catalog.raw.uid}", f"run:{catalog.run.uid}"] in [
        [e["source"], e["target"]] for e in panel.graph_data["edges"]
    ]


def test_expand_down_from_an_input(catalog):
    panel = Lineage(catalog.raw, depth=0)
    assert _ids(panel) == [f"artifact:{catalog.raw.uid}"]
    panel._handle({"type": "expand", "node": f"artifact:{catalog.raw.uid}", "direction": "down"})
    assert _ids(panel) == sorted([f"artifact:{catalog.raw.uid}", f"run:{catalog.run.uid}"])


def test_select_and_focus_resolve_records(catalog):
    panel = Lineage(catalog.clean)
    panel._handle({"type": "select", "node": f"artifact:{catalog.raw.uid}"})
    assert panel.selected == catalog.raw
    panel._handle({"type": "focus", "node": f"run:{catalog.run.uid}"})
    assert panel.record == catalog.run
    assert panel.graph_data["focus"] == [f"run:{catalog.run.uid}"]


def test_unknown_node_or_direction_is_an_error(catalog):
    panel = Lineage(catalog.clean)
    assert "not drawn" in panel._handle({"type": "select", "node": "artifact:nope"})["message"]
    reply = panel._handle(
        {"type": "expand", "node": f"artifact:{catalog.clean.uid}", "direction": "sideways"}
    )
    assert reply["type"] == "error"


def test_records_without_lineage_show_a_message(catalog):
    panel = Lineage(catalog.labels[0])
    assert panel.graph_data["nodes"] == []
    assert "ULabel has no lineage" in panel.graph_data["message"].replace("A ULabel", "ULabel")


def test_clusters_expand(catalog):
    edges = [(f"artifact:in{i}", "run:r") for i in range(6)]
    graph = cluster_siblings(LineageGraph(edges=edges, focus=["run:r"]), threshold=5)
    panel = Lineage(graph=graph)
    cluster = next(n for n in panel.graph_data["nodes"] if n["kind"] == "cluster")
    assert cluster["size"] == 6
    panel._handle({"type": "expand_cluster", "node": cluster["id"]})
    assert len(panel.graph_data["nodes"]) == 7


def test_export_dot_mermaid_svg(catalog):
    panel = Lineage(catalog.clean)
    dot = panel._handle({"type": "export", "format": "dot"})
    assert dot["text"].startswith("digraph") and "pbmc_clean.parquet" in dot["text"]
    assert panel._handle({"type": "export", "format": "mermaid"})["text"].startswith("flowchart LR")
    svg = panel._handle({"type": "export", "format": "svg"})
    assert svg["mime"] == "image/svg+xml" and svg["text"].lstrip().startswith("<svg")
    assert panel._handle({"type": "export", "format": "png"})["type"] == "error"


def test_merge_into_replaces_placeholders_only():
    graph = LineageGraph([Node.placeholder("run:r"), Node("artifact:a", label="kept")])
    added = merge_into(
        graph,
        [Node("run:r", label="prep.py"), Node("artifact:a", label="other")],
        [("artifact:a", "run:r")],
    )
    assert added == 0
    assert (graph.nodes["run:r"].label, graph.nodes["artifact:a"].label) == ("prep.py", "kept")
    assert graph.edges == [("artifact:a", "run:r")]


def test_view_lineage_in_a_notebook_shows_the_panel(catalog, monkeypatch):
    import lamin_lab.lineage.api as api

    monkeypatch.setattr(api, "in_notebook", lambda: True)
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    catalog.clean.view_lineage(upstream_depth=1)
    assert isinstance(shown[0], Lineage)
    assert shown[0].graph_data["focus"] == [f"artifact:{catalog.clean.uid}"]

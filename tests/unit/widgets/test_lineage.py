"""Lineage panel: graph payload with layout, expand, clusters, focus, select, export."""

from __future__ import annotations

from lamin_lab.lineage import LineageGraph, Node, cluster_siblings
from lamin_lab.widgets import Lineage
from lamin_lab.widgets.lineage import apply_delta, graph_payload, merge_into, payload_delta


def _ids(panel):
    return sorted(node["id"] for node in panel.drawn["nodes"])


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
        [e["source"], e["target"]] for e in panel.drawn["edges"]
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
    assert len(panel.drawn["nodes"]) == 7


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


def _expanded(panel, nid, direction="up"):
    before = panel.drawn
    reply = panel._handle({"type": "expand", "node": nid, "direction": direction})
    return before, reply


def test_an_expand_sends_a_delta_and_leaves_the_whole_graph_alone(catalog):
    panel = Lineage(catalog.clean, depth=1)
    whole = panel.graph_data
    before, _ = _expanded(panel, f"run:{catalog.run.uid}")
    assert panel.graph_data is whole and whole["version"] == 1
    delta = panel.graph_delta
    assert (delta["base"], delta["version"]) == (1, 2)
    assert [n["id"] for n in delta["nodes"]] == [f"artifact:{catalog.raw.uid}"]
    assert [(e["source"], e["target"]) for e in delta["edges"]][-1] == (
        f"artifact:{catalog.raw.uid}",
        f"run:{catalog.run.uid}",
    )
    assert delta["removed"] == [] and delta["removed_edges"] == []


def test_the_delta_applied_to_the_old_drawing_gives_the_new_one_exactly(catalog):
    panel = Lineage(catalog.clean, depth=1)
    before, _ = _expanded(panel, f"run:{catalog.run.uid}")
    assert apply_delta(before, panel.graph_delta) == panel.drawn
    assert panel.drawn == {**graph_payload(panel.graph), "version": 2}


def test_a_delta_moves_nodes_that_only_moved_and_keeps_the_rest_out():
    chain = [("run:r", "artifact:b")]
    old = {**graph_payload(LineageGraph(edges=chain)), "version": 1}
    wider = chain + [("artifact:a", "run:r"), ("artifact:c", "run:r")]
    new = {**graph_payload(LineageGraph(edges=wider)), "version": 2}
    delta = payload_delta(old, new)
    assert sorted(n["id"] for n in delta["nodes"]) == ["artifact:a", "artifact:c"]
    # by index in the old drawing: [i, x, y] of a node, [i, points] of an edge's new route
    moved = {old["nodes"][i]["id"]: (x, y) for i, x, y in delta["moved"]}
    assert moved == {
        n["id"]: (n["x"], n["y"]) for n in new["nodes"] if n["id"] in ("run:r", "artifact:b")
    }
    assert [old["edges"][i]["source"] for i, _ in delta["rerouted"]] == ["run:r"]
    assert delta["edges"] == [e for e in new["edges"] if e["target"] == "run:r"]
    assert apply_delta(old, delta) == new


def test_a_delta_removes_nodes_and_edges_and_sets_what_else_changed():
    old = {
        **graph_payload(LineageGraph(edges=[("run:r", "artifact:a"), ("run:r", "artifact:b")])),
        "version": 4,
    }
    new = {**graph_payload(LineageGraph(edges=[("run:r", "artifact:a")]), "gone"), "version": 5}
    delta = payload_delta(old, new)
    assert delta["removed"] == ["artifact:b"]
    assert delta["removed_edges"] == [["run:r", "artifact:b"]]
    assert delta["set"]["message"] == "gone" and "height" in delta["set"]
    assert apply_delta(old, delta) == new


def test_a_delta_keeps_a_new_order_of_nodes_and_edges():
    old = {
        **graph_payload(LineageGraph(edges=[("run:r", "artifact:a"), ("run:s", "artifact:b")])),
        "version": 1,
    }
    new = {
        **graph_payload(LineageGraph(edges=[("run:s", "artifact:b"), ("run:r", "artifact:a")])),
        "version": 2,
    }
    delta = payload_delta(old, new)
    assert delta["order"] == [n["id"] for n in new["nodes"]]
    assert delta["edge_order"] == [["run:s", "artifact:b"], ["run:r", "artifact:a"]]
    assert apply_delta(old, delta) == new


def test_deltas_replay_a_series_of_expands(catalog):
    panel = Lineage(catalog.raw, depth=0)
    drawings = [panel.drawn]
    for nid, direction in [
        (f"artifact:{catalog.raw.uid}", "down"),
        (f"run:{catalog.run.uid}", "down"),
    ]:
        panel._handle({"type": "expand", "node": nid, "direction": direction})
        assert panel.graph_delta["base"] == drawings[-1]["version"]
        drawings.append(apply_delta(drawings[-1], panel.graph_delta))
    assert drawings[-1] == panel.drawn and panel.drawn["version"] == 3
    assert f"artifact:{catalog.clean.uid}" in _ids(panel)


def test_an_expand_that_adds_nothing_sends_nothing(catalog):
    panel = Lineage(catalog.clean, depth=1)
    _expanded(panel, f"run:{catalog.run.uid}")
    delta = panel.graph_delta
    reply = panel._handle({"type": "expand", "node": f"run:{catalog.run.uid}", "direction": "up"})
    assert reply["added"] == 0 and panel.graph_delta is delta and panel.drawn["version"] == 2


def test_resync_sends_the_whole_drawing_again(catalog):
    panel = Lineage(catalog.clean, depth=1)
    _expanded(panel, f"run:{catalog.run.uid}")
    reply = panel._handle({"type": "resync"})
    assert (reply["type"], reply["version"]) == ("resync", 2)
    assert panel.graph_data == panel.drawn and panel.graph_data["version"] == 2


def test_a_new_record_is_sent_whole_with_the_next_version(catalog):
    panel = Lineage(catalog.clean, depth=1)
    _expanded(panel, f"run:{catalog.run.uid}")
    panel._handle({"type": "focus", "node": f"run:{catalog.run.uid}"})
    assert panel.graph_data is panel.drawn and panel.graph_data["version"] == 3


def test_opening_a_group_is_a_delta_too():
    edges = [(f"artifact:in{i}", "run:r") for i in range(6)]
    panel = Lineage(graph=cluster_siblings(LineageGraph(edges=edges, focus=["run:r"]), threshold=5))
    before = panel.drawn
    cluster = next(n for n in before["nodes"] if n["kind"] == "cluster")
    panel._handle({"type": "expand_cluster", "node": cluster["id"]})
    assert panel.graph_delta["removed"] == [cluster["id"]]
    assert apply_delta(before, panel.graph_delta) == panel.drawn


def _pipelines(n: int, steps: int = 4) -> LineageGraph:
    """``n`` parallel pipelines of ``steps`` runs into one collection."""
    edges = []
    for p in range(n):
        prev = f"artifact:p{p}s0"
        for s in range(steps):
            edges += [(prev, f"run:p{p}r{s}"), (f"run:p{p}r{s}", f"artifact:p{p}s{s + 1}")]
            prev = f"artifact:p{p}s{s + 1}"
        edges.append((prev, "collection:final"))
    return LineageGraph(edges=edges, focus=["collection:final"])


def _expand_a_pipeline(n: int = 30) -> tuple[dict, dict]:
    """The drawings before and after one more input joins a pipeline (every position moves)."""
    graph = _pipelines(n)
    old = {**graph_payload(graph), "version": 1}
    merge_into(graph, [Node("artifact:extra", label="a much longer key/extra.parquet")], [])
    graph.add_edge("artifact:extra", "run:p0r0")
    return old, {**graph_payload(graph), "version": 2}


def test_a_delta_of_a_large_graph_replays_exactly_and_is_smaller():
    import json

    old, new = _expand_a_pipeline()
    delta = payload_delta(old, new)
    assert apply_delta(old, delta) == new
    assert [n["id"] for n in delta["nodes"]] == ["artifact:extra"]
    assert len(json.dumps(delta)) < len(json.dumps(new)) / 3


def test_the_browser_applies_a_delta_as_python_does(tmp_path):
    import json
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    old, new = _expand_a_pipeline()
    (tmp_path / "in.json").write_text(json.dumps({"old": old, "delta": payload_delta(old, new)}))
    static = Path(__file__).resolve().parents[3] / "lamin_lab" / "widgets" / "static"
    script = f"""
    const fs = require("fs"), vm = require("vm");
    const src = fs.readFileSync({json.dumps(str(static / "lineage.js"))}, "utf8")
      .replace(/^import .*$/m, "").replace(/^export default .*$/m, "");
    const context = vm.createContext({{}});
    vm.runInContext(src, context);
    const {{ old, delta }} = JSON.parse(fs.readFileSync({json.dumps(str(tmp_path / "in.json"))}, "utf8"));
    process.stdout.write(JSON.stringify(vm.runInContext("applyDelta", context)(old, delta)));
    """
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == new


def test_a_pick_lays_out_its_expands_ahead_and_the_expand_uses_them(catalog, monkeypatch):
    import lamin_lab.widgets.lineage as module

    panel = Lineage(catalog.clean, depth=1)
    run = f"run:{catalog.run.uid}"
    panel._on_message(panel, {"type": "select", "node": run}, [])
    assert [key for key in panel._ready] == [(run, "up")]  # down adds nothing: nothing to lay out
    laid_out = []
    monkeypatch.setattr(module, "compute_layout", lambda g: laid_out.append(g))
    before = panel.drawn
    panel._handle({"type": "expand", "node": run, "direction": "up"})
    assert laid_out == [] and f"artifact:{catalog.raw.uid}" in _ids(panel)
    assert apply_delta(before, panel.graph_delta) == panel.drawn
    assert panel._ready == {}


def test_a_layout_laid_out_ahead_is_the_one_an_expand_would_make(catalog):
    ahead, plain = Lineage(catalog.clean, depth=1), Lineage(catalog.clean, depth=1)
    run = f"run:{catalog.run.uid}"
    ahead._on_message(ahead, {"type": "select", "node": run}, [])
    for panel in (ahead, plain):
        panel._handle({"type": "expand", "node": run, "direction": "up"})
    assert ahead.drawn == plain.drawn and ahead.graph_delta == plain.graph_delta


def test_a_layout_laid_out_ahead_is_dropped_when_the_database_changed(catalog):
    panel = Lineage(catalog.clean, depth=1)
    run = f"run:{catalog.run.uid}"
    panel._on_message(panel, {"type": "select", "node": run}, [])
    catalog.run.input_artifacts.add(catalog.notes)  # one more input since the pick
    panel._handle({"type": "expand", "node": run, "direction": "up"})
    assert {f"artifact:{catalog.raw.uid}", f"artifact:{catalog.notes.uid}"} <= set(_ids(panel))
    assert panel.drawn == {**graph_payload(panel.graph), "version": 2}

import json
import re
import xml.etree.ElementTree as ET
import datetime as dt

import graphviz

from lamin_lab.lineage import LineageGraph, Node, compute_layout, layout

from .fakes import chain, fan_in

NASTY = 'say "hi" \\ back\\slash\nnew line <script>alert(1)</script> & #x;'
SVG_NS = "{http://www.w3.org/2000/svg}"


def _nasty_graph():
    nodes = [
        Node("artifact:a", label=NASTY, sublabel="v1 <b>"),
        Node("run:r", label="run `x` | y; [z]", sublabel='2026 "q"'),
        Node("artifact:b", label="out\\"),
    ]
    edges = [("artifact:a", "run:r"), ("run:r", "artifact:b")]
    return LineageGraph(nodes, edges, focus=["artifact:b"])


def _dot_strings(text):
    """Tokenise DOT quoted strings; fails on an unterminated one."""
    out, i = [], 0
    while i < len(text):
        if text[i] == '"':
            j, buf = i + 1, []
            while text[j] != '"':
                if text[j] == "\\":  # graphviz label escapes
                    buf.append({'"': '"', "\\": "\\", "n": "\n"}[text[j + 1]])
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            out.append("".join(buf))
            i = j + 1
        else:
            i += 1
    return out


# ------------------------------------------------------------------ DOT
def test_dot_is_a_digraph_with_every_node_and_edge():
    g = _nasty_graph()
    src = g.source
    assert src.startswith("digraph lineage {") and src.rstrip().endswith("}")
    assert '"artifact:a" -> "run:r";' in src and '"run:r" -> "artifact:b";' in src
    assert graphviz.Source(src).source == src


def test_dot_strings_are_balanced_and_escaped():
    src = _nasty_graph().source
    strings = _dot_strings(src)  # raises IndexError if a quote is left open
    assert NASTY in strings  # the tooltip decodes back to the exact label
    assert "out\\" in strings  # a trailing backslash cannot swallow the quote
    assert all("\n" not in line for line in src.splitlines())


def test_dot_marks_focus():
    src = _nasty_graph().source
    line = next(x for x in src.splitlines() if x.startswith('  "artifact:b" ['))
    assert "penwidth=2" in line


# ------------------------------------------------------------------ mermaid
def test_mermaid_labels_are_escaped():
    text = _nasty_graph().to_mermaid()
    assert text.startswith("flowchart LR\n")
    labels = re.findall(r'^\s+n\d+\W+"(.*)"\W+:::\w+$', text, flags=re.M)
    assert len(labels) == 3
    for label in labels:
        stripped = re.sub(r"#\w+;", "", label.replace("<br>", ""))
        assert not set(stripped) & set('"<>`|;\\')
    assert "#lt;b#gt;" in text and "#quot;hi#quot;" in text and "#92;" in text


def test_mermaid_has_edges_and_focus_class():
    text = _nasty_graph().to_mermaid()
    assert "n0 --> n1" in text and "n1 --> n2" in text
    assert "class n2 focus" in text


# ------------------------------------------------------------------ SVG
def test_svg_is_well_formed_and_draws_every_node():
    g = _nasty_graph()
    root = ET.fromstring(g.to_svg())
    groups = root.findall(f".//{SVG_NS}g[@data-id]")
    assert sorted(x.get("data-id") for x in groups) == sorted(g.nodes)
    assert len(root.findall(f".//{SVG_NS}path[@data-source]")) == 2


def test_svg_text_is_escaped_not_markup():
    svg = _nasty_graph().to_svg()
    assert "<script" not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter(f"{SVG_NS}title")]
    assert NASTY + "\nv1 <b>" in titles
    assert root.find(f".//{SVG_NS}script") is None


def test_svg_drops_control_characters():
    g = LineageGraph([Node("artifact:a", label="bad\x00\x07char\x1b[31m")])
    root = ET.fromstring(g.to_svg())
    assert [t.text for t in root.iter(f"{SVG_NS}text")] == ["badchar[31m"]


def test_repr_svg_matches_to_svg():
    g = _nasty_graph()
    assert g._repr_svg_() == g.to_svg()


def test_svg_shapes_differ_by_kind():
    svg = _nasty_graph().to_svg()
    root = ET.fromstring(svg)
    rects = {
        g.get("data-id"): g.find(f"{SVG_NS}rect")
        for g in root.iter(f"{SVG_NS}g")
        if g.get("data-id")
    }
    run = rects["run:r"]
    assert float(run.get("rx")) == float(run.get("height")) / 2  # a pill
    assert float(rects["artifact:a"].get("rx")) < 5
    assert rects["artifact:b"].get("stroke-width") == "2.5"  # focus


# ------------------------------------------------------------------ layout
def _overlap(a, b):
    return a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[0] < b[0] + b[2] and b[0] < a[0] + a[2]


def test_layout_boxes_in_a_layer_do_not_overlap():
    g = LineageGraph(edges=fan_in(30) + [("artifact:in0", "run:final")])
    lay = compute_layout(g)
    for col in lay.layers:
        boxes = sorted((lay.boxes[n] for n in col), key=lambda b: b[1])
        for upper, lower in zip(boxes, boxes[1:], strict=False):
            assert upper[1] + upper[3] <= lower[1]
    for n, m in zip(lay.layers[0], lay.layers[0][1:], strict=False):
        assert not _overlap(lay.boxes[n], lay.boxes[m])


def test_layout_puts_data_flow_left_to_right():
    g = LineageGraph(edges=fan_in(5))
    boxes = layout(g)
    assert set(boxes) == set(g.nodes)
    for s, d in g.edges:
        assert boxes[s][0] + boxes[s][2] <= boxes[d][0]


def test_layout_routes_long_edges_level_through_each_column_they_cross():
    g = LineageGraph(edges=chain(2) + [("artifact:a0", "artifact:a2")])
    lay = compute_layout(g)
    route = lay.routes[("artifact:a0", "artifact:a2")]
    assert len(route) == 2 + 2 * 3  # in and out of each of the 3 columns crossed
    lanes = list(zip(route[1:-1:2], route[2:-1:2], strict=True))
    assert all(enter[1] == leave[1] and enter[0] < leave[0] for enter, leave in lanes)


def test_layout_one_to_one_links_between_adjacent_columns_are_level():
    # a chain that fans out at the end: every link with one end on each side stays level
    edges = chain(3) + [("run:r3", "artifact:extra")]
    lay = compute_layout(LineageGraph(edges=edges))
    kids, parents = LineageGraph(edges=edges).adjacency()
    for s, d in edges:
        if len(kids[s]) == 1 and len(parents[d]) == 1:
            (_, y0), (_, y1) = lay.routes[(s, d)]
            assert abs(y0 - y1) < 0.5, (s, d)


def test_layout_long_edge_does_not_detour_around_a_column():
    # a0 feeds r1 and, past three columns, r3: the long edge keeps one lane, not a dip and a climb
    edges = chain(3) + [("artifact:a0", "run:r3")]
    lay = compute_layout(LineageGraph(edges=edges))
    ys = [y for _, y in lay.routes[("artifact:a0", "run:r3")]]
    lanes = ys[1:-1]
    assert max(lanes) - min(lanes) < 2.0


def test_layout_handles_cycles_and_self_loops():
    g = LineageGraph(
        edges=[("run:a", "run:b"), ("run:b", "run:c"), ("run:c", "run:a"), ("run:c", "run:c")]
    )
    lay = compute_layout(g)
    assert set(lay.boxes) == {"run:a", "run:b", "run:c"}
    assert len(lay.reversed_edges) == 1
    assert ("run:c", "run:c") not in lay.routes


def test_layout_deep_chain_does_not_recurse():
    g = LineageGraph(edges=chain(1500))
    lay = compute_layout(g)
    assert len(lay.layers) == 3001


def test_barycenter_untangles_crossed_pairs():
    # two independent chains given in crossing order: ordering must keep them apart
    edges = [("artifact:a", "run:y"), ("artifact:b", "run:x"), ("artifact:b", "run:z")]
    edges += [("run:x", "artifact:p"), ("run:y", "artifact:q"), ("run:z", "artifact:p")]
    lay = compute_layout(LineageGraph(edges=edges))
    y = {n: b[1] for n, b in lay.boxes.items()}
    assert (y["artifact:a"] < y["artifact:b"]) == (y["run:y"] < y["run:x"])


# ------------------------------------------------------------------ dict
def test_to_dict_is_json_able_with_layout():
    g = _nasty_graph()
    g.nodes["run:r"].attrs["started_at"] = dt.datetime(2026, 1, 1, 12, 0)
    g.nodes["run:r"].attrs["obj"] = object()
    d = json.loads(json.dumps(g.to_dict(with_layout=True)))
    assert [n["id"] for n in d["nodes"]] == ["artifact:a", "run:r", "artifact:b"]
    assert d["nodes"][1]["attrs"]["started_at"] == "2026-01-01T12:00:00"
    assert {"x", "y", "w", "h"} <= set(d["nodes"][0])
    assert d["focus"] == ["artifact:b"] and d["nodes"][2]["focus"] is True


def test_count_crossings_matches_brute_force():
    import random

    from lamin_lab.lineage.layout import count_crossings

    rng = random.Random(3)
    left, right = [f"l{i}" for i in range(8)], [f"r{i}" for i in range(9)]
    succ = {n: rng.sample(right, rng.randint(0, 3)) for n in left}
    pos = {n: i for col in (left, right) for i, n in enumerate(col)}
    edges = [(pos[u], pos[v]) for u in left for v in succ[u]]
    brute = sum(1 for a in edges for b in edges if a[0] < b[0] and a[1] > b[1])
    assert count_crossings([left, right], succ, pos) == brute


def test_layout_of_two_crossed_chains_has_no_crossings():
    from lamin_lab.lineage.layout import count_crossings

    edges = []
    for i in range(6):  # inputs listed in reverse so the start order is tangled
        edges += [(f"artifact:in{5 - i}", f"run:r{i}"), (f"run:r{5 - i}", f"artifact:o{i}")]
    lay = compute_layout(LineageGraph(edges=edges))
    kids, _ = LineageGraph(edges=edges).adjacency()
    pos = {n: i for col in lay.layers for i, n in enumerate(col)}
    assert count_crossings(lay.layers, kids, pos) == 0

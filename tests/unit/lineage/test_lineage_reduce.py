import random

import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.lineage import (
    LineageGraph,
    cluster_siblings,
    expand_cluster,
    transitive_reduction,
)

from .fakes import fan_in


def _star(n):
    """n runs, each reading artifact:src and writing artifact:dst."""
    edges = [("artifact:src", f"run:r{i}") for i in range(n)]
    edges += [(f"run:r{i}", "artifact:dst") for i in range(n)]
    return LineageGraph(edges=edges, focus=["artifact:dst"])


def _reach(graph):
    kids, _ = graph.adjacency()
    out = {}
    for start in graph.nodes:
        seen, stack = set(), [start]
        while stack:
            for k in kids[stack.pop()]:
                if k not in seen:
                    seen.add(k)
                    stack.append(k)
        out[start] = seen
    return out


def test_siblings_with_same_parents_and_children_collapse():
    g = cluster_siblings(_star(6), threshold=5)
    ((cid, members),) = g.clusters.items()
    assert cid.startswith("cluster:")
    assert sorted(members) == [f"run:r{i}" for i in range(6)]
    assert g.edges == [("artifact:src", cid), (cid, "artifact:dst")]
    assert g.nodes[cid].label == "6 runs"


def test_groups_below_threshold_stay():
    g = cluster_siblings(_star(4), threshold=5)
    assert g.clusters == {} and len(g.nodes) == 6


def test_clustering_leaves_input_graph_untouched():
    star = _star(6)
    cluster_siblings(star, threshold=5)
    assert len(star.nodes) == 8 and star.clusters == {}


def test_focus_nodes_are_never_collapsed():
    g = _star(6)
    g.focus = ["run:r0"]
    out = cluster_siblings(g, threshold=5)
    (members,) = out.clusters.values()
    assert "run:r0" not in members and "run:r0" in out.nodes


def test_different_kinds_do_not_mix():
    g = _star(3)
    for i in range(3):
        g.add_edge("artifact:src", f"collection:c{i}")
        g.add_edge(f"collection:c{i}", "artifact:dst")
    assert cluster_siblings(g, threshold=4).clusters == {}


def test_match_children_collapses_parallel_chains():
    g = LineageGraph(edges=fan_in(50), focus=["artifact:focus"])
    assert cluster_siblings(g, threshold=5).clusters == {}  # parents differ
    out = cluster_siblings(g, threshold=5, match="children")
    assert sorted(len(m) for m in out.clusters.values()) == [50, 50, 50]
    assert len(out.nodes) == 5  # 3 clusters + final run + focus


def test_expand_cluster_restores_members_and_edges():
    star = _star(6)
    g = cluster_siblings(star, threshold=5)
    back = expand_cluster(g, next(iter(g.clusters)))
    assert set(back.nodes) == set(star.nodes)
    assert set(back.edges) == set(star.edges)
    assert back.clusters == {}


def test_expand_nested_cluster_points_at_outer_cluster():
    g = cluster_siblings(
        LineageGraph(edges=fan_in(6), focus=["artifact:focus"]), 5, match="children"
    )
    runs = next(c for c, m in g.clusters.items() if m[0].startswith("run:"))
    out = expand_cluster(g, runs)
    ins = next(c for c, m in out.clusters.items() if m[0].startswith("artifact:in"))
    assert out.has_edge(ins, "run:r0") and "run:r0" in out.nodes


def test_expand_unknown_cluster_is_rejected():
    with pytest.raises(InvalidArgument, match="not a cluster"):
        expand_cluster(_star(2), "cluster:nope")


def test_threshold_below_two_is_rejected():
    with pytest.raises(InvalidArgument):
        cluster_siblings(_star(2), threshold=1)


def test_to_dict_lists_cluster_members():
    g = cluster_siblings(_star(5), threshold=5)
    (members,) = g.to_dict()["clusters"].values()
    assert len(members) == 5


def test_transitive_reduction_drops_shortcut():
    g = LineageGraph(
        edges=[("artifact:a", "run:r"), ("run:r", "artifact:b"), ("artifact:a", "artifact:b")]
    )
    assert transitive_reduction(g).edges == [("artifact:a", "run:r"), ("run:r", "artifact:b")]


def test_transitive_reduction_keeps_reachability_on_random_dags():
    rng = random.Random(7)
    ids = [f"artifact:n{i}" for i in range(25)]
    edges = [(ids[i], ids[j]) for i in range(25) for j in range(i + 1, 25) if rng.random() < 0.2]
    g = LineageGraph(edges=edges)
    red = transitive_reduction(g)
    assert _reach(red) == _reach(g)
    assert len(red.edges) < len(g.edges)
    for s, d in red.edges:  # nothing left is implied by another path
        alt = LineageGraph(nodes=g.nodes.values(), edges=[e for e in red.edges if e != (s, d)])
        assert d not in _reach(alt)[s]


def test_transitive_reduction_is_safe_on_cycles():
    g = LineageGraph(
        edges=[("run:a", "run:b"), ("run:b", "run:a"), ("run:a", "run:c"), ("run:b", "run:c")]
    )
    red = transitive_reduction(g)
    assert _reach(red) == _reach(g)
    assert len(red.edges) == 3


def test_match_auto_uses_children_upstream_and_parents_downstream():
    edges = fan_in(6)  # upstream of the focus
    edges += [("artifact:focus", f"run:d{i}") for i in range(6)]
    edges += [(f"run:d{i}", f"artifact:d{i}") for i in range(6)]
    out = cluster_siblings(LineageGraph(edges=edges, focus=["artifact:focus"]), 5, match="auto")
    sizes = sorted((m[0].split(":")[0], len(m)) for m in out.clusters.values())
    assert sizes == [("artifact", 6), ("artifact", 6), ("artifact", 6), ("run", 6), ("run", 6)]
    assert len(out.nodes) == 7  # 5 clusters + final run + focus

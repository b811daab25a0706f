import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.lineage import Node, walk

from .fakes import FakeStore, chain, fan_in


def test_upstream_depth_counts_hops():
    store = FakeStore(chain(3))  # a0 r1 a1 r2 a2 r3 a3
    g = walk(["artifact:a3"], store.neighbors, upstream_depth=3)
    assert set(g.nodes) == {"artifact:a3", "run:r3", "artifact:a2", "run:r2"}


def test_depth_zero_never_calls_neighbors():
    store = FakeStore(chain(3))
    g = walk(["artifact:a3"], store.neighbors, upstream_depth=0)
    assert store.calls == [] and list(g.nodes) == ["artifact:a3"]


def test_neighbors_called_once_per_level_with_whole_frontier():
    store = FakeStore(fan_in(20))
    walk(["artifact:focus"], store.neighbors, upstream_depth=4)
    sizes = [len(ids) for ids, _ in store.calls]
    assert sizes == [1, 1, 20, 20]
    assert {d for _, d in store.calls} == {"up"}


def test_walk_stops_calling_when_frontier_is_empty():
    store = FakeStore(chain(1))
    walk(["artifact:a1"], store.neighbors, upstream_depth=50)
    assert len(store.calls) == 3  # r1, a0, then nothing new: a0 has no parents


def test_downstream_walk_follows_data_flow():
    store = FakeStore(chain(2))
    g = walk(["artifact:a0"], store.neighbors, upstream_depth=0, downstream_depth=2)
    assert g.edges == [("artifact:a0", "run:r1"), ("run:r1", "artifact:a1")]
    assert [d for _, d in store.calls] == ["down", "down"]


def test_both_directions_share_one_graph():
    store = FakeStore(chain(2))
    g = walk(["artifact:a1"], store.neighbors, upstream_depth=1, downstream_depth=1)
    assert set(g.nodes) == {"run:r1", "artifact:a1", "run:r2"}
    assert g.focus == ["artifact:a1"]


def test_cycle_terminates_and_each_node_is_expanded_once():
    edges = [("artifact:a", "run:r"), ("run:r", "artifact:b"), ("artifact:b", "run:r")]
    store = FakeStore(edges)
    g = walk(["artifact:b"], store.neighbors, upstream_depth=100)
    assert set(g.nodes) == {"artifact:a", "artifact:b", "run:r"}
    expanded = [i for ids, _ in store.calls for i in ids]
    assert sorted(expanded) == ["artifact:a", "artifact:b", "run:r"]


def test_returned_nodes_replace_placeholders():
    store = FakeStore(chain(1), nodes=[Node("run:r1", label="train.py", sublabel="v2")])
    g = walk(["artifact:a1"], store.neighbors, upstream_depth=1)
    assert g.nodes["run:r1"].label == "train.py"
    assert g.nodes["artifact:a1"].attrs == {"placeholder": True}


def test_focus_may_be_given_as_nodes():
    store = FakeStore(chain(1))
    focus = Node("artifact:a1", label="data.csv")
    g = walk([focus], store.neighbors, upstream_depth=1)
    assert g.nodes["artifact:a1"].label == "data.csv"


def test_max_nodes_truncates_expansion():
    store = FakeStore(chain(10))
    g = walk(["artifact:a10"], store.neighbors, upstream_depth=20, max_nodes=4)
    assert g.truncated is True
    assert len(g.nodes) == 4


def test_negative_depth_is_rejected():
    with pytest.raises(InvalidArgument, match="must be >= 0"):
        walk(["artifact:a"], FakeStore([]).neighbors, upstream_depth=-1)


def test_bad_node_id_is_rejected():
    with pytest.raises(InvalidArgument, match="<kind>:<uid>"):
        Node("nokind")

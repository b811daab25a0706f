"""An in-memory lineage store answering ``neighbors`` like a database would."""

from __future__ import annotations

from lamin_lab.lineage import Node


class FakeStore:
    """Edges in data-flow direction; counts how often ``neighbors`` is called."""

    def __init__(self, edges, nodes=()):
        self.edges = list(edges)
        self.nodes = {n.id: n for n in nodes}
        self.calls: list[tuple[list[str], str]] = []

    def neighbors(self, ids, direction):
        self.calls.append((list(ids), direction))
        wanted = set(ids)
        if direction == "up":
            found = [e for e in self.edges if e[1] in wanted]
            far = [s for s, _ in found]
        else:
            found = [e for e in self.edges if e[0] in wanted]
            far = [d for _, d in found]
        nodes = [self.nodes[n] for n in far if n in self.nodes]
        return nodes, found


def chain(n_runs: int) -> list[tuple[str, str]]:
    """artifact:a0 → run:r1 → artifact:a1 → run:r2 → ... → artifact:a<n_runs>."""
    edges = []
    for i in range(1, n_runs + 1):
        edges += [(f"artifact:a{i - 1}", f"run:r{i}"), (f"run:r{i}", f"artifact:a{i}")]
    return edges


def fan_in(n_runs: int) -> list[tuple[str, str]]:
    """n parallel input → run → output chains feeding one run that makes the focus."""
    edges = []
    for i in range(n_runs):
        edges += [
            (f"artifact:in{i}", f"run:r{i}"),
            (f"run:r{i}", f"artifact:out{i}"),
            (f"artifact:out{i}", "run:final"),
        ]
    edges.append(("run:final", "artifact:focus"))
    return edges


def label_node(nid: str, label: str, sublabel: str = "") -> Node:
    return Node(nid, label=label, sublabel=sublabel)

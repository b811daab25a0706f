"""Speed of lineage graphs and describe rendering, with in-memory fakes.

Run: ``.venv/bin/python benchmarks/bench_lineage.py [--repeat N]``

Scenarios (each ~1,000 upstream runs, every run with an input and an output
artifact), answered by a fake ``neighbors`` that indexes edges like a
database index would, so the numbers measure lamin_lab's own work:

- ``fan-in``: 1,000 parallel ``input → run → output`` chains feeding one run
  that wrote the focus artifact (wide: 1,000 boxes per column);
- ``chain``: one chain of 1,000 runs (deep: 2,001 columns);
- ``fan-in clustered``: the fan-in graph collapsed with
  ``cluster_siblings(match="auto")`` before layout.

Each stage is timed separately (best of ``--repeat``): walk, layout, DOT,
SVG, plus describe text/HTML rendering of a typical artifact tree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import defaultdict

from lamin_lab.describe import record_tree, to_html, to_text
from lamin_lab.lineage import (
    Node,
    cluster_siblings,
    compute_layout,
    to_dot,
    to_svg,
    walk,
)


class IndexedStore:
    """Edges indexed by source and by target, answering a whole level at once."""

    def __init__(self, edges: list[tuple[str, str]]):
        self.up = defaultdict(list)
        self.down = defaultdict(list)
        for s, d in edges:
            self.up[d].append((s, d))
            self.down[s].append((s, d))
        self.calls = 0

    def neighbors(self, ids: list[str], direction: str):
        self.calls += 1
        index = self.up if direction == "up" else self.down
        edges = [e for i in ids for e in index.get(i, ())]
        far = [e[0] if direction == "up" else e[1] for e in edges]
        nodes = [Node(n, label=_label(n), sublabel=_sublabel(n)) for n in far]
        return nodes, edges


def _label(nid: str) -> str:
    kind, uid = nid.split(":", 1)
    return f"train_{uid}.py" if kind == "run" else f"data/{uid}.parquet"


def _sublabel(nid: str) -> str:
    return "2026-11-23 05:00" if nid.startswith("run:") else "v1"


def fan_in(n: int) -> list[tuple[str, str]]:
    edges = []
    for i in range(n):
        edges += [(f"artifact:in{i}", f"run:r{i}"), (f"run:r{i}", f"artifact:out{i}")]
        edges.append((f"artifact:out{i}", "run:final"))
    return edges + [("run:final", "artifact:focus")]


def chain(n: int) -> list[tuple[str, str]]:
    edges = []
    for i in range(1, n + 1):
        edges += [(f"artifact:a{i - 1}", f"run:r{i}"), (f"run:r{i}", f"artifact:a{i}")]
    return edges


def _best(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000, out


def bench_graph(name: str, edges, focus: str, depth: int, repeat: int, cluster=False):
    store = IndexedStore(edges)
    t_walk, graph = _best(lambda: walk([focus], store.neighbors, upstream_depth=depth), repeat)
    t_clu = 0.0
    if cluster:
        t_clu, graph = _best(lambda: cluster_siblings(graph, 5, match="auto"), repeat)
    t_lay, _ = _best(lambda: compute_layout(graph), repeat)
    t_dot, _ = _best(lambda: to_dot(graph), repeat)
    t_svg, svg = _best(lambda: to_svg(graph), repeat)
    total = t_walk + t_clu + t_lay + t_dot
    print(
        f"{name:<18} nodes={len(graph.nodes):>5} edges={len(graph.edges):>5}"
        f" | walk {t_walk:6.1f} ms ({store.calls // repeat} calls/walk)"
        + (f" | cluster {t_clu:5.1f} ms" if cluster else "")
        + f" | layout {t_lay:6.1f} ms | dot {t_dot:5.1f} ms"
        f" | walk+layout+dot {total:6.1f} ms | svg (incl. layout) {t_svg:6.1f} ms"
        f" ({len(svg) / 1e6:.2f} MB)"
    )


def bench_describe(repeat: int) -> None:
    tree = record_tree(
        "Artifact",
        key="datasets/pbmc.h5ad",
        version="2",
        general={
            "uid": "Xk3dfa9Q0lPz0001",
            "key": "datasets/pbmc.h5ad",
            "description": "PBMC 3k",
            "hash": "kAFQmDzST7DWlj99KOF_cg",
            "size": 123456789,
            "created_by": "alice",
            "created_at": dt.datetime(2026, 11, 23, 5, 1, tzinfo=dt.timezone.utc),
        },
        storage_path="s3://bucket/.lamindb/Xk3dfa9Q0lPz0001.h5ad",
        transform={"key": "qc.ipynb", "version": "1"},
        run={"uid": "Run0123456789abc", "started_at": "2026-11-23T04:00:00"},
        versions=[{"version": "1", "uid": "A0000"}, {"version": "2", "uid": "A0001"}],
        dataset_features={"obs": [("cell_type", "cat[CellType]", ["T cell", "B cell"])]},
        external_features=[("temperature", "float", 21.5)],
        labels={"ulabels": ["exp1", "exp2"]},
    )
    n = 200
    t_text, _ = _best(lambda: [to_text(tree) for _ in range(n)], repeat)
    t_html, _ = _best(lambda: [to_html(tree) for _ in range(n)], repeat)
    print(
        f"describe           text {t_text / n * 1000:6.1f} µs | html"
        f" {t_html / n * 1000:6.1f} µs per render (typical artifact tree)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    n, r = args.runs, args.repeat
    bench_graph("fan-in", fan_in(n), "artifact:focus", 4, r)
    bench_graph("chain", chain(n), f"artifact:a{n}", 2 * n, r)
    bench_graph("fan-in clustered", fan_in(n), "artifact:focus", 4, r, cluster=True)
    bench_describe(r)


if __name__ == "__main__":
    main()

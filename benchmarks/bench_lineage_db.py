"""Lineage graphs and describe over a real (SQLite) instance, and describe vs LaminDB.

Run: ``.venv/bin/python benchmarks/bench_lineage_db.py [--repeat 5] [--no-lamindb]``

Scenarios, each in a fresh instance in a temp dir, rows written in bulk:

- ``fan-in``: 1,000 runs each write one input of a merge run that wrote the focus
  artifact (1,001 upstream runs, 2 levels of runs);
- ``chain``: one chain of 1,000 runs ``a0 → r1 → a1 → … → r1000 → a1000`` (2,000 levels).

Timed (best of ``--repeat``): building the graph from the database as
``view_lineage(return_graph=True, cluster=False)`` does (no depth limit: one recursive
query per direction; ``graph_first_ms`` is the very first call), the same with
clustering, the level-by-level walk that an explicit depth uses (one query per level;
compiled once per frontier shape), DOT text of the flat graph, and the query count of
the default path. Issue target: ≤ 200 ms for a graph
of 1,000 upstream runs.

``describe(return_str=True)`` of an artifact with 5 versions, 20 ulabels and 2 projects,
made by a run: median of 20 calls here, and the same artifact built in LaminDB 2.12.1
(``benchmarks/lamindb_env.py``), median of 20 calls there. Issue target: ≥ 5× faster.
Results go to ``benchmarks/results/lineage_db.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
RESULTS = HERE / "results" / "lineage_db.json"
N_RUNS = 1000
LEVELS = 5000  # a depth limit above any scenario's depth: forces the level-by-level walk


def fresh_instance(tmp: Path):
    os.environ["LAMIN_LAB_HOME"] = str(tmp / "home")
    import lamin_lab as ln

    ln.setup.init(storage=str(tmp / "data"))
    return ln


def _uid(prefix: str, i: int, width: int) -> str:
    return f"{prefix}{i:0{width - len(prefix)}d}"


def build_fan_in(ln, n: int) -> str:
    """n producer runs → n inputs → merge run → focus artifact; returns the focus uid."""
    from lamin_lab.models import ArtifactRun

    transform = ln.Transform(key="produce.py", kind="script").save()
    merge_t = ln.Transform(key="merge.py", kind="script").save()
    with ln.models.Artifact._meta.database.atomic():
        ln.Run.insert_many(
            [dict(uid=_uid("p", i, 16), transform=transform.id) for i in range(n)]
            + [dict(uid=_uid("m", 0, 16), transform=merge_t.id)]
        ).execute()
        run_ids = {u: i for i, u in ln.Run.select(ln.Run.id, ln.Run.uid).tuples()}
        rows = [
            _artifact_row(_uid("in", i, 16) + "0000", f"inputs/{i}.csv", run_ids[_uid("p", i, 16)])
            for i in range(n)
        ]
        rows.append(
            _artifact_row("focus" + "0" * 11 + "0000", "merged.csv", run_ids[_uid("m", 0, 16)])
        )
        ln.Artifact.insert_many(rows).execute()
        art_ids = dict(ln.Artifact.select(ln.Artifact.uid, ln.Artifact.id).tuples())
        ArtifactRun.insert_many(
            [
                dict(artifact=art_ids[_uid("in", i, 16) + "0000"], run=run_ids[_uid("m", 0, 16)])
                for i in range(n)
            ]
        ).execute()
    return "focus" + "0" * 11 + "0000"


def build_chain(ln, n: int) -> str:
    """a0 → r1 → a1 → … → rn → an; returns the uid of an."""
    from lamin_lab.models import ArtifactRun

    transform = ln.Transform(key="step.py", kind="script").save()
    with ln.models.Artifact._meta.database.atomic():
        ln.Run.insert_many(
            [dict(uid=_uid("c", i, 16), transform=transform.id) for i in range(1, n + 1)]
        ).execute()
        run_ids = {u: i for i, u in ln.Run.select(ln.Run.id, ln.Run.uid).tuples()}
        rows = [_artifact_row(_uid("a", 0, 16) + "0000", "chain/0.csv", None)]
        rows += [
            _artifact_row(_uid("a", i, 16) + "0000", f"chain/{i}.csv", run_ids[_uid("c", i, 16)])
            for i in range(1, n + 1)
        ]
        ln.Artifact.insert_many(rows).execute()
        art_ids = dict(ln.Artifact.select(ln.Artifact.uid, ln.Artifact.id).tuples())
        ArtifactRun.insert_many(
            [
                dict(artifact=art_ids[_uid("a", i - 1, 16) + "0000"], run=run_ids[_uid("c", i, 16)])
                for i in range(1, n + 1)
            ]
        ).execute()
    return _uid("a", n, 16) + "0000"


def _artifact_row(uid: str, key: str, run_id: int | None) -> dict:
    return dict(
        uid=uid,
        key=key,
        storage=1,
        hash=uid[:22],
        size=1000,
        suffix=".csv",
        _key_is_virtual=True,
        is_latest=True,
        run=run_id,
        created_by=1,
    )


def best_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(min(times), 2)


def median_ms(fn, n: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 3)


def bench_graph(name: str, build, repeat: int) -> dict:
    from lamin_lab.lineage import to_dot
    from lamin_lab.lineage.api import lineage_graph
    from tests.support.query_count import count_queries

    with tempfile.TemporaryDirectory() as tmp:
        ln = fresh_instance(Path(tmp))
        focus = ln.Artifact.get(uid=build(ln, N_RUNS))
        start = time.perf_counter()
        with count_queries() as log:  # the first walk also compiles each query shape once
            graph = lineage_graph(focus, with_children=False, cluster=False)
        cold = round((time.perf_counter() - start) * 1000, 2)
        out = {
            "scenario": name,
            "nodes": len(graph.nodes),
            "edges": len(graph.edges),
            "queries_per_walk": len(log),
            "graph_first_ms": cold,
            "graph_ms": best_ms(
                lambda: lineage_graph(focus, with_children=False, cluster=False), repeat
            ),
            "graph_clustered_ms": best_ms(
                lambda: lineage_graph(focus, with_children=False), repeat
            ),
            # an explicit depth walks level by level (one query per level) instead of the closure
            "graph_level_walk_ms": best_ms(
                lambda: lineage_graph(
                    focus, upstream_depth=LEVELS, with_children=False, cluster=False
                ),
                repeat,
            ),
            "dot_ms": best_ms(lambda: to_dot(graph), repeat),
        }
        ln.setup.disconnect()
    return out


def bench_describe_ours(n: int = 20) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        ln = fresh_instance(Path(tmp))
        transform = ln.Transform(key="make.py", kind="script").save()
        run = ln.Run(transform=transform).save()
        stem = "Dd1234567890abcd"
        ln.Artifact.insert_many(
            [
                dict(_artifact_row(stem + f"000{v}", "tables/main.csv", run.id), is_latest=v == 4)
                for v in range(5)
            ]
        ).execute()
        artifact = ln.Artifact.get(uid=stem + "0004")
        artifact.ulabels.add(*[ln.ULabel(name=f"label {i}").save() for i in range(20)])
        artifact.projects.add(ln.Project(name="atlas").save(), ln.Project(name="pilot").save())
        text = artifact.describe(return_str=True)
        ms = median_ms(lambda: ln.Artifact.get(uid=stem + "0004").describe(return_str=True), n)
        import lamin_lab.curation  # noqa: F401 - registers the feature sections of describe

        ms_features = median_ms(
            lambda: ln.Artifact.get(uid=stem + "0004").describe(return_str=True), n
        )
        ln.setup.disconnect()
    return {
        "describe_ms": ms,
        "describe_with_feature_sections_ms": ms_features,
        "lines": len(text.splitlines()),
    }


LAMINDB_DESCRIBE = """
import statistics, time, lamindb as ln
# offline machine: answer the hub question up front instead of asking the network
ln.setup.settings.instance._is_on_hub = False
open("main.csv", "w").write("a,b\\n1,2\\n")
transform = ln.Transform(key="make.py", kind="script").save()
run = ln.Run(transform).save()
artifact = ln.Artifact("main.csv", key="tables/main.csv", run=run).save()
for v in range(4):
    open("main.csv", "w").write(f"a,b\\n1,{v + 3}\\n")
    artifact = ln.Artifact("main.csv", key="tables/main.csv", run=run).save()
labels = [ln.ULabel(name=f"label {i}").save() for i in range(20)]
artifact.ulabels.add(*labels)
artifact.projects.add(ln.Project(name="atlas").save(), ln.Project(name="pilot").save())
uid = artifact.uid
def once():
    ln.Artifact.get(uid).describe(return_str=True)
once()
times = []
for _ in range(N):
    t = time.perf_counter(); once(); times.append((time.perf_counter() - t) * 1000)
result["describe_ms"] = round(statistics.median(times), 3)
result["lines"] = len(ln.Artifact.get(uid).describe(return_str=True).splitlines())
result["versions"] = artifact.versions.count()
"""


def bench_describe_lamindb(n: int = 20) -> dict:
    from lamindb_env import run_in_lamindb

    return run_in_lamindb(LAMINDB_DESCRIBE.replace("N)", f"{n})"), init_instance=True, timeout=900)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-lamindb", action="store_true", help="skip the LaminDB comparison")
    args = parser.parse_args()
    results: dict = {
        "graphs": [
            bench_graph("fan-in", build_fan_in, args.repeat),
            bench_graph("chain", build_chain, args.repeat),
        ]
    }
    results["describe"] = {"lamin_lab": bench_describe_ours()}
    if not args.no_lamindb:
        try:
            results["describe"]["lamindb"] = bench_describe_lamindb()
            ours, theirs = results["describe"]["lamin_lab"], results["describe"]["lamindb"]
            results["describe"]["speedup"] = round(theirs["describe_ms"] / ours["describe_ms"], 1)
            results["describe"]["speedup_with_feature_sections"] = round(
                theirs["describe_ms"] / ours["describe_with_feature_sections_ms"], 1
            )
        except Exception as error:  # report and keep our numbers
            results["describe"]["lamindb_error"] = f"{type(error).__name__}: {str(error)[-800:]}"
    print(json.dumps(results, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

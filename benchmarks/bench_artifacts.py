"""Artifact speed, side by side with lamindb 2.12.1 (issue #3).

Measures, each in a fresh instance:

1. ``Artifact.from_df(small_df, key=...).save()`` one by one: ms per artifact;
2. ``ln.save([1,000 artifacts from DataFrames])`` vs 1,000 lamindb saves: total seconds;
3. ``collection.load()`` of 4 × ~161 MB dense h5ad files (the mapped benchmark's data).

Run: ``.venv/bin/python benchmarks/bench_artifacts.py [--n-single 200] [--n-bulk 1000] [--skip-lamindb]
[--backend sqlite|postgres]``. With ``--backend postgres`` every instance of both sides is a
fresh database on the test suite's PostgreSQL server (created for the run, dropped after;
lamindb's made with ``lamin init --storage DIR --db URL``).
Results go to ``benchmarks/results/artifacts.json`` (``artifacts_postgres.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.lamindb_env import run_in_lamin_lab, run_in_lamindb_with  # noqa: E402
from benchmarks.roundtrips import fresh_database  # noqa: E402

SINGLE = """
import time, pandas as pd
dfs = [pd.DataFrame({"x": [i, i + 1, i + 2], "y": ["a", "b", "c"]}) for i in range(N_SINGLE)]
ln.Artifact.from_dataframe(pd.DataFrame({"warm": [0]}), key="warm/up.parquet").save()
t = time.perf_counter()
for i, df in enumerate(dfs):
    ln.Artifact.from_dataframe(df, key=f"single/{i}.parquet").save()
result["single_ms"] = (time.perf_counter() - t) / N_SINGLE * 1000
"""

BULK_OURS = """
import time, pandas as pd
dfs = [pd.DataFrame({"x": [i, -i], "y": ["u", "v"]}) for i in range(N_BULK)]
artifacts = [ln.Artifact.from_dataframe(df, key=f"bulk/{i}.parquet") for i, df in enumerate(dfs)]
t = time.perf_counter()
ln.save(artifacts)
result["bulk_s"] = time.perf_counter() - t
"""

BULK_LAMINDB = """
import time, pandas as pd
dfs = [pd.DataFrame({"x": [i, -i], "y": ["u", "v"]}) for i in range(N_BULK)]
artifacts = [ln.Artifact.from_dataframe(df, key=f"bulk/{i}.parquet") for i, df in enumerate(dfs)]
t = time.perf_counter()
for a in artifacts:
    a.save()
result["bulk_s"] = time.perf_counter() - t
"""

COLLECTION = """
import time
paths = PATHS
artifacts = [ln.Artifact(p, key=f"dense/{i}.h5ad").save() for i, p in enumerate(paths)]
collection = ln.Collection(artifacts, key="dense").save()
collection.load()  # first load: also warms the page cache
t = time.perf_counter()
adata = collection.load()
result["collection_load_s"] = time.perf_counter() - t
result["collection_shape"] = list(adata.shape)
"""


def _dense_paths(data_dir: Path) -> list[str]:
    paths = sorted(data_dir.glob("dense_*.h5ad"))
    if len(paths) < 4:
        from benchmarks.bench_mapped import make_dense  # type: ignore[attr-defined]

        make_dense(data_dir)
        paths = sorted(data_dir.glob("dense_*.h5ad"))
    return [str(p) for p in paths[:4]]


def _on(backend: str, run, code: str, params: dict) -> dict:
    """``run(code, params, db=...)`` on a fresh database of ``backend`` (None: SQLite)."""
    with fresh_database(backend, "artifacts") as db:
        return run(code, params, db=db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-single", type=int, default=200)
    parser.add_argument("--n-bulk", type=int, default=1000)
    parser.add_argument(
        "--data-dir", default=os.environ.get("LAMIN_LAB_BENCH_DATA", "/tmp/lamin_lab-bench-mapped")
    )
    parser.add_argument(
        "--skip-lamindb", action="store_true", help="keep the stored lamindb numbers"
    )
    parser.add_argument("--skip-collection", action="store_true")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    b = args.backend
    params = {"N_SINGLE": args.n_single, "N_BULK": args.n_bulk}
    name = "artifacts_postgres.json" if b == "postgres" else "artifacts.json"
    old_path = REPO / "benchmarks" / "results" / name
    old = json.loads(old_path.read_text()) if old_path.exists() else {}
    # --skip-lamindb keeps the stored lamindb numbers
    rows: dict[str, dict] = {
        "ours": {},
        "lamindb": old.get("lamindb", {}) if args.skip_lamindb else {},
    }
    rows["ours"].update(_on(b, run_in_lamin_lab, SINGLE, params))
    rows["ours"].update(_on(b, run_in_lamin_lab, BULK_OURS, params))
    if not args.skip_lamindb:
        rows["lamindb"].update(_on(b, run_in_lamindb_with, SINGLE, params))
        rows["lamindb"].update(_on(b, run_in_lamindb_with, BULK_LAMINDB, params))
    if not args.skip_collection:
        paths = {"PATHS": _dense_paths(Path(args.data_dir))}
        rows["ours"].update(_on(b, run_in_lamin_lab, COLLECTION, paths))
        if not args.skip_lamindb:
            rows["lamindb"].update(_on(b, run_in_lamindb_with, COLLECTION, paths))
    ratios = {}
    for key in ("single_ms", "bulk_s", "collection_load_s"):
        if key in rows["ours"] and key in rows["lamindb"]:
            ratios[key] = rows["lamindb"][key] / rows["ours"][key]
    out = {
        "backend": b,
        "load_average": os.getloadavg(),
        "ours": rows["ours"],
        "lamindb": rows["lamindb"],
        "speedup": ratios,
        "params": params,
    }
    results = REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / name).write_text(json.dumps(out, indent=2))
    print(f"{'metric':<22}{'lamin_lab':>14}{'lamindb':>14}{'speedup':>10}")
    for key in ("single_ms", "bulk_s", "collection_load_s"):
        ours, theirs = rows["ours"].get(key), rows["lamindb"].get(key)
        ratio = f"{ratios[key]:.1f}x" if key in ratios else "-"
        print(
            f"{key:<22}{ours if ours is None else round(ours, 3)!s:>14}"
            f"{theirs if theirs is None else round(theirs, 3)!s:>14}{ratio:>10}"
        )


if __name__ == "__main__":
    main()

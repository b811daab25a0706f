"""Feature and curation speed, side by side with lamindb 2.12.1 (issue #5).

Measures, each in a fresh instance:

1. ``artifact.features.add_values({...5 features...})``: ms per call (mean over N calls);
2. ``DataFrameCurator(df_3_rows, schema).validate()``: ms per call (construction included);
3. ``DataFrameCurator(df_1M_rows, schema).validate()`` with 3 categorical columns, as
   object (string) columns and as pandas categoricals: seconds (lamin_lab only unless
   ``--lamindb-1m``);
4. over 10,000 annotated artifacts (a float, a string and a categorical feature):
   ``Artifact.filter(<feature>=...)`` for a few conditions and
   ``to_dataframe(features=[...], limit=None)``: ms. The artifact rows and their
   annotations are written in bulk with each ORM's own bulk insert, the same data
   on both sides; only the timed reads differ.

Times are CPU times of the measuring process (``time.process_time``; both ORMs run
SQLite in-process), so that other work on a shared machine does not skew the ratios:
the median per call for 1. and 2., the fastest of several runs for 4.
``to_dataframe_ms`` (no feature columns) is reported next to it to show what the
feature columns add.

Run: ``.venv/bin/python benchmarks/bench_curation.py [--n-calls 30] [--n-artifacts 10000] [--skip-lamindb]``.
Results go to ``benchmarks/results/curation.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.lamindb_env import run_in_lamin_lab, run_in_lamindb_with  # noqa: E402

ADD_VALUES = """
import time, statistics, pandas as pd
ln.Feature(name="temperature", dtype=float).save()
ln.Feature(name="count", dtype=int).save()
ln.Feature(name="donor", dtype=str).save()
ln.Feature(name="is_control", dtype=bool).save()
ln.Feature(name="cell_type", dtype=ln.ULabel).save()
for name in ("T cell", "B cell"):
    ln.ULabel(name=name).save()
artifacts = [
    ln.Artifact.from_dataframe(pd.DataFrame({"x": [i]}), key=f"a/{i}.parquet").save()
    for i in range(N_CALLS + 1)
]
values = lambda i: {
    "temperature": 21.5 + i, "count": i, "donor": f"D{i % 3}", "is_control": i % 2 == 0,
    "cell_type": "T cell",
}
artifacts[-1].features.add_values(values(-1))  # warm-up
times = []
for i, a in enumerate(artifacts[:-1]):
    t = time.process_time()
    a.features.add_values(values(i))
    times.append(time.process_time() - t)
result["add_values_ms"] = statistics.median(times) * 1000
"""

VALIDATE_SMALL = """
import time, statistics, pandas as pd
pert = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
temp = ln.Feature(name="temperature", dtype=float).save()
donor = ln.Feature(name="donor", dtype=str).save()
for name in ("IFNG", "DMSO"):
    ln.ULabel(name=name).save()
schema = ln.Schema(name="small", features=[pert, temp, donor]).save()
df = pd.DataFrame({"perturbation": pd.Categorical(["IFNG", "DMSO", "IFNG"]), "temperature": [21.5, 22.0, 23.0],
                   "donor": ["a", "b", "c"]})  # lamindb wants categorical dtype for cat features
ln.curators.DataFrameCurator(df, schema).validate()  # warm-up (imports)
times = []
for _ in range(N_CALLS):
    t = time.process_time()
    ln.curators.DataFrameCurator(df, schema).validate()
    times.append(time.process_time() - t)
result["validate_3_rows_ms"] = statistics.median(times) * 1000
"""

VALIDATE_LARGE = """
import time, numpy as np, pandas as pd
names = {c: [f"{c}_{i}" for i in range(20)] for c in ("perturbation", "cell_type", "tissue")}
features = []
for c, values in names.items():
    features.append(ln.Feature(name=c, dtype=ln.ULabel).save())
    for v in values:
        ln.ULabel(name=v).save()
schema = ln.Schema(name="large", features=features).save()
rng = np.random.default_rng(0)
n = N_ROWS
df = pd.DataFrame({c: np.array(values, dtype=object)[rng.integers(0, 20, n)] for c, values in names.items()})
dfc = df.astype("category")
ln.curators.DataFrameCurator(dfc.head(3).copy(), schema).validate()  # warm-up (imports)
if not CATEGORICAL_ONLY:  # lamindb validates categorical features only on category columns
    t = time.process_time()
    ln.curators.DataFrameCurator(df, schema).validate()
    result["validate_1m_object_s"] = time.process_time() - t
t = time.process_time()
ln.curators.DataFrameCurator(dfc, schema).validate()
result["validate_1m_categorical_s"] = time.process_time() - t
"""

# Bulk set-up of N annotated artifacts, in each ORM's own bulk insert; then the timed reads.
SETUP_OURS = """
import pandas as pd
seed = ln.Artifact.from_dataframe(pd.DataFrame({"x": [0]}), key="seed.parquet").save()
base = {k: v for k, v in seed.__data__.items() if k != "id"}
rows = [dict(base, uid=f"{i:016d}0000", key=f"bench/{i}.parquet", hash=f"h{i:021d}") for i in range(N_ARTIFACTS)]
with ln.models.Artifact._meta.database.atomic():
    for s in range(0, len(rows), 1000):
        ln.Artifact.insert_many(rows[s:s + 1000]).execute()
bench = ln.Artifact.key.startswith("bench/")
ids = [i for (i,) in ln.Artifact.select(ln.Artifact.id).where(bench).order_by(ln.Artifact.id).tuples()]
JV, AJV, AUL = ln.models.JsonValue, ln.models.ArtifactJsonValue, ln.models.ArtifactULabel
temps = {v: JV.get_or_create(temperature, v)[0].id for v in TEMPS}
donors = {v: JV.get_or_create(donor, v)[0].id for v in DONORS}
links = [{"artifact": a, "jsonvalue": temps[TEMPS[n % len(TEMPS)]]} for n, a in enumerate(ids)]
links += [{"artifact": a, "jsonvalue": donors[DONORS[n % len(DONORS)]]} for n, a in enumerate(ids)]
ul = [{"artifact": a, "ulabel": labels[n % len(labels)].id, "feature": cell_type.id} for n, a in enumerate(ids)]
with ln.models.Artifact._meta.database.atomic():
    for s in range(0, len(links), 1000):
        AJV.insert_many(links[s:s + 1000]).execute()
    for s in range(0, len(ul), 1000):
        AUL.insert_many(ul[s:s + 1000]).execute()
"""

SETUP_LAMINDB = """
import pandas as pd
seed = ln.Artifact.from_dataframe(pd.DataFrame({"x": [0]}), key="seed.parquet").save()
fields = ln.Artifact._meta.concrete_fields
base = {f.attname: getattr(seed, f.attname) for f in fields}
objs = []
for i in range(N_ARTIFACTS):
    vals = dict(base, id=None, uid=f"{i:016d}0000", key=f"bench/{i}.parquet", hash=f"h{i:021d}")
    objs.append(ln.Artifact(*[vals[f.attname] for f in fields]))
ln.Artifact.objects.bulk_create(objs, batch_size=1000)
ids = list(ln.Artifact.objects.filter(key__startswith="bench/").order_by("id").values_list("id", flat=True))
JV, AJV, AUL = ln.models.JsonValue, ln.models.ArtifactJsonValue, ln.models.ArtifactULabel
temps = {v: JV.get_or_create(temperature, v)[0].id for v in TEMPS}
donors = {v: JV.get_or_create(donor, v)[0].id for v in DONORS}
links = [AJV(artifact_id=a, jsonvalue_id=temps[TEMPS[n % len(TEMPS)]]) for n, a in enumerate(ids)]
links += [AJV(artifact_id=a, jsonvalue_id=donors[DONORS[n % len(DONORS)]]) for n, a in enumerate(ids)]
AJV.objects.bulk_create(links, batch_size=1000)
AUL.objects.bulk_create([AUL(artifact_id=a, ulabel_id=labels[n % len(labels)].id, feature_id=cell_type.id)
                         for n, a in enumerate(ids)], batch_size=1000)
"""

QUERIES = """
import time, statistics
temperature = ln.Feature(name="temperature", dtype=float).save()
donor = ln.Feature(name="donor", dtype=str).save()
cell_type = ln.Feature(name="cell_type", dtype=ln.ULabel).save()
labels = [ln.ULabel(name=f"type {i}").save() for i in range(5)]
TEMPS = [20.0 + i / 10 for i in range(100)]
DONORS = [f"donor {i}" for i in range(50)]
exec(SETUP)

def best(fn, repeat=9):
    # the fastest of several runs: interference from other work on the machine only adds time
    times = []
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return min(times) * 1000, out

result["filter_float_eq_ms"], n1 = best(lambda: len(list(ln.Artifact.filter(temperature=21.5))))
result["filter_float_gt_ms"], n2 = best(lambda: len(list(ln.Artifact.filter(temperature__gt=29.5))))
result["filter_cat_ms"], n3 = best(lambda: len(list(ln.Artifact.filter(cell_type="type 1"))))
result["filter_two_ms"], n4 = best(lambda: len(list(ln.Artifact.filter(cell_type="type 1", donor="donor 1"))))
result["to_dataframe_ms"], _ = best(
    lambda: ln.Artifact.filter(key__startswith="bench/").to_dataframe(limit=None), repeat=5
)
result["to_dataframe_features_ms"], df = best(lambda: ln.Artifact.filter(key__startswith="bench/").to_dataframe(
    features=["temperature", "donor", "cell_type"], limit=None), repeat=5)
result["counts"] = [n1, n2, n3, n4, len(df)]
result["df_columns"] = [c for c in df.columns if c in ("temperature", "donor", "cell_type")]
"""


METRICS = (
    "add_values_ms",
    "validate_3_rows_ms",
    "validate_1m_object_s",
    "validate_1m_categorical_s",
    "filter_float_eq_ms",
    "filter_float_gt_ms",
    "filter_cat_ms",
    "filter_two_ms",
    "to_dataframe_ms",
    "to_dataframe_features_ms",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-calls", type=int, default=30)
    parser.add_argument("--n-rows", type=int, default=1_000_000)
    parser.add_argument("--n-artifacts", type=int, default=10_000)
    parser.add_argument("--skip-lamindb", action="store_true")
    parser.add_argument(
        "--lamindb-1m", action="store_true", help="also validate 1M rows in lamindb (slow)"
    )
    args = parser.parse_args()
    params = {"N_CALLS": args.n_calls, "N_ROWS": args.n_rows, "N_ARTIFACTS": args.n_artifacts}
    rows: dict[str, dict] = {"ours": {}, "lamindb": {}}
    for code in (ADD_VALUES, VALIDATE_SMALL, VALIDATE_LARGE):
        rows["ours"].update(run_in_lamin_lab(code, {**params, "CATEGORICAL_ONLY": False}))
    rows["ours"].update(run_in_lamin_lab(QUERIES, {**params, "SETUP": SETUP_OURS}))
    if not args.skip_lamindb:
        for code in (ADD_VALUES, VALIDATE_SMALL) + ((VALIDATE_LARGE,) if args.lamindb_1m else ()):
            rows["lamindb"].update(run_in_lamindb_with(code, {**params, "CATEGORICAL_ONLY": True}))
        rows["lamindb"].update(run_in_lamindb_with(QUERIES, {**params, "SETUP": SETUP_LAMINDB}))
    ratios = {
        k: rows["lamindb"][k] / rows["ours"][k]
        for k in METRICS
        if k in rows["ours"] and k in rows["lamindb"]
    }
    out = {"ours": rows["ours"], "lamindb": rows["lamindb"], "speedup": ratios, "params": params}
    results = REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "curation.json").write_text(json.dumps(out, indent=2))
    print(f"{'metric':<28}{'lamin_lab':>12}{'lamindb':>12}{'speedup':>10}")
    for key in METRICS:
        ours, theirs = rows["ours"].get(key), rows["lamindb"].get(key)
        ratio = f"{ratios[key]:.1f}x" if key in ratios else "-"
        fmt = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
        print(f"{key:<28}{fmt(ours):>12}{fmt(theirs):>12}{ratio:>10}")
    print(
        "result counts (ours / lamindb):", rows["ours"].get("counts"), rows["lamindb"].get("counts")
    )


if __name__ == "__main__":
    main()

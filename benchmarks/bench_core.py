"""Core API speed, lamin_lab side by side with lamindb 2.12.1 (not a test).

Run: ``.venv/bin/python benchmarks/bench_core.py [--skip-lamindb] [--search-rows 100000]
[--backend sqlite|postgres]``

Both sides run the *same* snippet (the API is the same: ``import X as ln``) in a fresh
process with a fresh instance in a temporary directory: SQLite, or with ``--backend
postgres`` a fresh database each on the test suite's PostgreSQL server (created for the
run and dropped after it; lamindb's made with ``lamin init --storage DIR --db URL``).
``import`` does not touch the database, so it is measured on SQLite only.

- ``import``: ``python -c "import X"``, median of 10 subprocess runs, instance set up;
- ``bulk_save_ms_per_record``: ``ln.save()`` of 10,000 new ULabels, per record
  (constructing them is timed apart: ``construct_ms_per_record``);
- ``single_save_1000_s``: 1,000 × ``ULabel(name=...).save()`` one by one, 10k labels present;
- ``get_ms`` / ``count_ms``: median of 200 ``ULabel.get(name=...)`` /
  ``ULabel.filter(name__startswith=...).count()`` over ~11k labels;
- ``df_ms``: median of 5 ``ULabel.to_dataframe(limit=None)`` over ~11k labels;
- ``lookup_ms``: median of 5 ``ULabel.lookup()`` over ~11k labels;
- ``search_p50_ms``: p50 of ``ULabel.search(q)`` over a query list, ``--search-rows`` labels.

Results go to ``benchmarks/results/core.json`` (``core_postgres.json``); a table with the ratios is printed.
lamindb runs in its own venv (``benchmarks/lamindb_env.py``; built on first use).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.lamindb_env import isolated_env, lamindb_python, run_snippet  # noqa: E402
from benchmarks.roundtrips import fresh_database  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "core.json"

# Shared by both sides: ``ln`` is imported by the prelude, ``result`` collects numbers.
OPS = r"""
import random, statistics, time
N_SEARCH = int(N_SEARCH_ROWS)
WORDS = ["T cell", "B cell", "monocyte", "macrophage", "hepatocyte", "neuron", "fibroblast",
         "dendritic cell", "natural killer cell", "plasma cell", "astrocyte", "pericyte"]
STATES = ["naive", "memory", "effector", "regulatory", "activated", "mature", "resting"]
TISSUES = ["lung", "liver", "kidney", "spleen", "brain", "blood", "skin"]
rng = random.Random(0)
def name(i):
    return f"{rng.choice(STATES)} {rng.choice(WORDS)} of {rng.choice(TISSUES)} {i}"

def timed(f, n):
    out = []
    for _ in range(n):
        t = time.perf_counter(); f(); out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000

t = time.perf_counter()
labels = [ln.ULabel(name=name(i)) for i in range(10_000)]
result["construct_ms_per_record"] = (time.perf_counter() - t) * 1000 / 10_000
t = time.perf_counter()
ln.save(labels)
result["bulk_save_ms_per_record"] = (time.perf_counter() - t) * 1000 / 10_000

t = time.perf_counter()
for i in range(1000):
    ln.ULabel(name=f"single label {i}").save()
result["single_save_1000_s"] = time.perf_counter() - t

names = [l.name for l in labels]
picks = [rng.choice(names) for _ in range(200)]
it = iter(picks * 2)
result["get_ms"] = timed(lambda: ln.ULabel.get(name=next(it)), 200)
result["count_ms"] = timed(lambda: ln.ULabel.filter(name__startswith="memory").count(), 200)
to_df = getattr(ln.ULabel, "to_dataframe", None) or ln.ULabel.df
result["df_ms"] = timed(lambda: to_df(limit=None), 5)
result["df_rows"] = len(to_df(limit=None))
result["lookup_ms"] = timed(lambda: ln.ULabel.lookup(), 5)

if hasattr(ln.settings, "creation"):  # lamindb: skip its per-record name search while filling
    ln.settings.creation.search_names = False
more = [ln.ULabel(name=name(i)) for i in range(10_000, N_SEARCH - 1000)]
for start in range(0, len(more), 10_000):
    ln.save(more[start:start + 10_000])
result["search_rows"] = ln.ULabel.filter().count()
queries = ["T cell", "hepatocyte", "macrophage of lung", "memory B cell", "dendritic", "natural killer",
           "t cel", "hepatocite", "plasma", "regulatory T cell of spleen", "neuron 4242", "fibroblast"]
for q in queries[:2]:  # warm-up: builds indexes / caches on both sides
    list(ln.ULabel.search(q)[:20])
times = []
for q in queries * SEARCH_REPEAT:
    t = time.perf_counter()
    hits = ln.ULabel.search(q)
    list(hits[:20])
    times.append((time.perf_counter() - t) * 1000)
result["search_p50_ms"] = statistics.median(times)
result["search_max_ms"] = max(times)
result["search_first_hit_t_cel"] = ln.ULabel.search("t cel")[0].name
"""

LAMIN_LAB_PRELUDE = r"""
import os
import lamin_lab as ln
ln.setup.init(
    storage=os.path.join(os.environ["BENCH_TMP"], "storage"), db=os.environ.get("BENCH_DB")
)
ln.settings.verbosity = "error"
"""

LAMINDB_PRELUDE = r"""
import logging
import lamindb as ln
ln.setup.settings.instance._is_on_hub = False
logging.disable(logging.INFO)
"""


def _import_times(python: str, module: str, env: dict[str, str], cwd: str, n: int = 10) -> float:
    """Median wall time (ms) of ``python -c "import module"`` in fresh processes.

    Bytecode caching is allowed and warmed up first, as on any user's machine: with
    PYTHONDONTWRITEBYTECODE set, an editable install recompiles every module on each
    import while the pip-installed lamindb has its .pyc files.
    """
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [python, "-c", f"import {module}"], env=env, cwd=cwd, check=True, capture_output=True
    )
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(
            [python, "-c", f"import {module}"], env=env, cwd=cwd, check=True, capture_output=True
        )
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_import_lamin_lab() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, LAMIN_LAB_HOME=f"{tmp}/home")
        subprocess.run(
            [sys.executable, "-c", f"import lamin_lab as ln; ln.setup.init(storage='{tmp}/data')"],
            env=env,
            check=True,
            capture_output=True,
        )
        return _import_times(sys.executable, "lamin_lab", env, tmp)


def bench_import_lamindb() -> float:
    python = str(lamindb_python())
    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(Path(tmp))
        lamin = str(Path(python).parent / "lamin")
        subprocess.run(
            [lamin, "init", "--storage", f"{tmp}/storage"],
            env=env,
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        return _import_times(python, "lamindb", env, tmp)


def _ops(search_rows: int, repeat: int) -> str:
    return OPS.replace("N_SEARCH_ROWS", str(search_rows)).replace("SEARCH_REPEAT", str(repeat))


def bench_ops_lamin_lab(search_rows: int, backend: str = "sqlite") -> dict:
    with tempfile.TemporaryDirectory() as tmp, fresh_database(backend, "core_lab") as db:
        env = {
            "LAMIN_LAB_HOME": f"{tmp}/home",
            "BENCH_TMP": tmp,
            "LAMIN_LAB_CACHE_DIR": f"{tmp}/cache",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
            **({"BENCH_DB": db} if db else {}),
        }
        return run_snippet(LAMIN_LAB_PRELUDE + _ops(search_rows, 3), extra_env=env, timeout=3600)


def bench_ops_lamindb(search_rows: int, backend: str = "sqlite") -> dict:
    with fresh_database(backend, "core_lamindb") as db:
        return run_snippet(
            LAMINDB_PRELUDE + _ops(search_rows, 1),
            python=lamindb_python(),
            init_instance=True,
            timeout=7200,
            db=db,
        )


# name → (target description, ratio needed, how to compute the ratio lamindb/lamin_lab)
TARGETS = {
    "import_ms": ">= 10x faster",
    "single_save_1000_s": ">= 5x faster",
    "bulk_save_ms_per_record": "<= 0.135 ms/record",
    "search_p50_ms": "<= 5 ms",
    "lookup_ms": ">= 10x faster",
    "get_ms": ">= 2x faster",
    "count_ms": ">= 2x faster",
    "df_ms": ">= 2x faster",
    "construct_ms_per_record": "(info)",
}


def _met(key: str, ours: float, theirs: float | None) -> str:
    ratio = theirs / ours if theirs and ours else None
    need = {
        "import_ms": 10,
        "single_save_1000_s": 5,
        "lookup_ms": 10,
        "get_ms": 2,
        "count_ms": 2,
        "df_ms": 2,
    }
    if key == "bulk_save_ms_per_record":
        return "yes" if ours <= 0.135 else "NO"
    if key == "search_p50_ms":
        return "yes" if ours <= 5 else "NO"
    if key in need and ratio is not None:
        return "yes" if ratio >= need[key] else "NO"
    return ""


def print_table(ours: dict, theirs: dict) -> None:
    print(f"{'measure':28} {'lamin_lab':>12} {'lamindb':>12} {'ratio':>8}  target")
    for key, target in TARGETS.items():
        a, b = ours.get(key), theirs.get(key)
        if a is None:
            continue
        ratio = f"{b / a:7.1f}x" if a and b else "      -"
        b_text = f"{b:12.3f}" if b is not None else f"{'-':>12}"
        print(f"{key:28} {a:12.3f} {b_text} {ratio}  {target} {_met(key, a, b)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-lamindb",
        action="store_true",
        help="measure lamin_lab only (keep old lamindb numbers)",
    )
    parser.add_argument("--search-rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    pg = args.backend == "postgres"
    results = RESULTS.with_name("core_postgres.json") if pg else RESULTS
    old = json.loads(results.read_text()) if results.exists() else {}
    ours = {} if pg else {"import_ms": bench_import_lamin_lab()}
    ours.update(bench_ops_lamin_lab(args.search_rows, args.backend))
    if args.skip_lamindb:
        theirs = old.get("lamindb", {})
    else:
        theirs = {} if pg else {"import_ms": bench_import_lamindb()}
        theirs.update(bench_ops_lamindb(args.search_rows, args.backend))
    import peewee

    out = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "peewee": peewee.__version__,
        "backend": args.backend,
        "load_average": os.getloadavg(),
        "lamin_lab": ours,
        "lamindb": theirs,
        "ratios_lamindb_over_lamin_lab": {
            k: theirs[k] / ours[k]
            for k in ours
            if isinstance(ours.get(k), (int, float))
            and isinstance(theirs.get(k), (int, float))
            and ours[k]
        },
    }
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(out, indent=2) + "\n")
    print_table(ours, theirs)
    print(f"written to {results}")


if __name__ == "__main__":
    main()

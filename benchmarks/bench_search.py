"""Speed of search (FTS5 trigram candidates + Python ranking) and of lookup building.

Run: ``.venv/bin/python benchmarks/bench_search.py [--rows 100000] [--repeat 5] [--postgres]``

- 100,000 labels with cell-type-like names made from word lists and numbers
  (``"CD8-positive memory T cell of spleen 412"``), 30 % with a description,
  20 % with ``|``-separated synonyms, in a fresh SQLite file (and, with ``--postgres``,
  a throwaway database on 127.0.0.1:5432);
- index build time (``ensure_search_index``: FTS5 table, triggers, back-fill);
- per query: the median of ``--repeat`` runs of ``search_scores(..., limit=20)``; reported
  as p50/p95 over a varied query list (whole names, words, prefixes as typed, multi-word,
  1–2 characters, very common words, typos, no match), overall and per kind;
- a typing session (``h``, ``he``, ``hep``, ...) and the cold first fuzzy query, which
  reads the table once into the fuzzy cache;
- ``build_lookup`` over 10,000 values.

Results are printed and written to ``benchmarks/results/search.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import peewee

from lamin_lab.orm.lookup import build_lookup
from lamin_lab.orm.search.api import ensure_search_index, search_scores

MARKERS = [
    "CD4-positive",
    "CD8-positive",
    "CD14-positive",
    "CD16-negative",
    "CD34-positive",
    "CD56-bright",
    "alpha-beta",
    "gamma-delta",
    "IgG-producing",
    "Foxp3-positive",
]
STATES = [
    "naive",
    "memory",
    "effector",
    "regulatory",
    "activated",
    "mature",
    "immature",
    "resting",
    "cycling",
    "tissue-resident",
    "circulating",
    "central memory",
    "terminally differentiated",
    "early",
    "late",
]
TYPES = [
    "T cell",
    "B cell",
    "natural killer cell",
    "monocyte",
    "macrophage",
    "dendritic cell",
    "neutrophil",
    "hepatocyte",
    "neuron",
    "astrocyte",
    "oligodendrocyte",
    "fibroblast",
    "endothelial cell",
    "epithelial cell",
    "keratinocyte",
    "erythrocyte",
    "megakaryocyte",
    "mast cell",
    "plasma cell",
    "progenitor cell",
    "hematopoietic stem cell",
    "myoblast",
    "adipocyte",
    "chondrocyte",
    "osteoblast",
    "podocyte",
    "cardiomyocyte",
    "pericyte",
    "melanocyte",
    "Schwann cell",
    "microglial cell",
    "Purkinje cell",
    "goblet cell",
    "enterocyte",
    "alveolar macrophage",
    "pneumocyte",
    "basophil",
    "eosinophil",
    "thymocyte",
    "Kupffer cell",
]
TISSUES = [
    "lung",
    "liver",
    "kidney",
    "bone marrow",
    "thymus",
    "spleen",
    "skin",
    "brain",
    "heart",
    "gut",
    "pancreas",
    "retina",
    "lymph node",
    "blood",
    "placenta",
]

QUERIES = {
    "whole name": [
        "T cell",
        "hepatocyte",
        "Kupffer cell",
        "goblet cell",
        "microglial cell",
        "Schwann cell",
    ],
    "word": ["macrophage", "thymocyte", "pericyte", "regulatory", "pancreas", "basophil"],
    "prefix": ["hepato", "kerat", "oligo", "cardiomyo", "Purk", "megakar"],
    "multi-word": [
        "naive B cell",
        "memory T cell of lung",
        "cell T",
        "CD8-positive T",
        "Kupffer liver",
        "plasma cell of spleen 12",
    ],
    "short": ["T", "ne", "CD", "ki"],
    "common": ["cell", "positive", "of", "cyte"],
    "typo": ["hepatocite", "T cdll", "macrophaeg", "oligodendrocite", "astrocyt of brian"],
    "no match": ["xylophone", "zzzz qqq"],
}


def make_names(rows: int, seed: int = 0) -> list[tuple[str, str | None, str | None]]:
    """Realistic labels: name, optional description, optional synonyms."""
    rng = random.Random(seed)
    data = []
    for _ in range(rows):
        parts = [rng.choice(MARKERS)] if rng.random() < 0.4 else []
        if rng.random() < 0.6:
            parts.append(rng.choice(STATES))
        parts.append(rng.choice(TYPES))
        if rng.random() < 0.6:
            parts.append("of " + rng.choice(TISSUES))
        if rng.random() < 0.5:
            parts.append(str(rng.randint(1, 999)))
        name = " ".join(parts)
        description = (
            f"A {name} found in {rng.choice(TISSUES)} samples" if rng.random() < 0.3 else None
        )
        synonyms = "|".join(rng.sample(TYPES, 2)) if rng.random() < 0.2 else None
        data.append((name, description, synonyms))
    return data


def make_model(db: peewee.Database) -> type[peewee.Model]:
    class Label(peewee.Model):
        name = peewee.CharField()
        description = peewee.TextField(null=True)
        synonyms = peewee.TextField(null=True)

        class Meta:
            database = db
            table_name = "bench_label"

    return Label


def fill(model: type[peewee.Model], data: list[tuple]) -> float:
    db = model._meta.database
    db.create_tables([model])
    start = time.perf_counter()
    with db.atomic():
        for i in range(0, len(data), 5000):
            model.insert_many(
                data[i : i + 5000], fields=[model.name, model.description, model.synonyms]
            ).execute()
    return time.perf_counter() - start


def timed(fn, repeat: int, clock=time.perf_counter) -> float:
    """Median milliseconds of ``repeat`` runs (wall clock by default)."""
    runs = []
    for _ in range(repeat):
        start = clock()
        fn()
        runs.append(clock() - start)
    return statistics.median(runs) * 1e3


def cpu_timed(fn, repeat: int) -> float:
    """Median CPU milliseconds of this process (insensitive to other processes on the machine)."""
    return timed(fn, repeat, clock=time.process_time)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_queries(model: type[peewee.Model], repeat: int) -> dict:
    fields = ["name", "description"]
    search = lambda q: search_scores(model, q, fields=fields, synonyms_field="synonyms", limit=20)  # noqa: E731
    cold_start = time.perf_counter()
    top_typo = search("hepatocite")  # builds the fuzzy cache (reads the table once)
    cold_ms = (time.perf_counter() - cold_start) * 1e3
    per_query, per_query_cpu, per_kind = {}, {}, {}
    for kind, queries in QUERIES.items():
        for q in queries:
            per_query[q] = round(timed(lambda: search(q), repeat), 3)
            per_query_cpu[q] = round(cpu_timed(lambda: search(q), repeat), 3)
        times = [per_query[q] for q in queries]
        per_kind[kind] = {
            "p50_ms": round(percentile(times, 0.5), 3),
            "max_ms": round(max(times), 3),
        }
    typing = {
        prefix: round(timed(lambda: search(prefix), repeat), 3)
        for prefix in [
            "h",
            "he",
            "hep",
            "hepa",
            "hepat",
            "hepato",
            "hepatoc",
            "hepatocy",
            "hepatocyt",
            "hepatocyte",
        ]
    }
    all_times, cpu_times = list(per_query.values()), list(per_query_cpu.values())
    examples = {
        q: [model.get_by_id(pk).name for pk, _ in search(q)[:3]]
        for q in ["T cdll", "cell T", "hepato"]
    }
    return {
        "p50_ms": round(percentile(all_times, 0.5), 3),
        "p95_ms": round(percentile(all_times, 0.95), 3),
        "max_ms": round(max(all_times), 3),
        "cpu_p50_ms": round(percentile(cpu_times, 0.5), 3),
        "cpu_p95_ms": round(percentile(cpu_times, 0.95), 3),
        "per_kind": per_kind,
        "per_query_ms": per_query,
        "typing_session_ms": typing,
        "cold_first_fuzzy_query_ms": round(cold_ms, 1),
        "cold_fuzzy_found": bool(top_typo),
        "examples_top3": examples,
    }


def bench_backend(db: peewee.Database, data: list[tuple], repeat: int) -> dict:
    model = make_model(db)
    insert_s = fill(model, data)
    start = time.perf_counter()
    ensure_search_index(model, ["name", "description", "synonyms"])
    index_s = time.perf_counter() - start
    ensure_ms = timed(
        lambda: ensure_search_index(model, ["name", "description", "synonyms"]), repeat
    )
    result = {
        "rows": len(data),
        "insert_s": round(insert_s, 2),
        "index_build_s": round(index_s, 2),
        "ensure_again_ms": round(ensure_ms, 3),
    }
    result.update(bench_queries(model, repeat))
    return result


def bench_lookup(repeat: int) -> dict:
    values = [name for name, _, _ in make_names(10_000, seed=1)]
    items = [object() for _ in values]
    build_ms = timed(lambda: build_lookup(values, items), max(repeat, 5))
    build_cpu_ms = cpu_timed(lambda: build_lookup(values, items), max(repeat, 5))
    lookup = build_lookup(values, items)
    access_ms = timed(lambda: [getattr(lookup, n) for n in dir(lookup)[:1000]], repeat)
    return {
        "values": len(values),
        "build_ms": round(build_ms, 2),
        "build_cpu_ms": round(build_cpu_ms, 2),
        "names": len(dir(lookup)) - 1,
        "1000_attribute_reads_ms": round(access_ms, 3),
    }


def postgres_db(name: str) -> peewee.PostgresqlDatabase:
    import psycopg2

    from lamin_lab.orm._peewee import PostgresqlDatabase

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return PostgresqlDatabase(name, host="127.0.0.1", user="postgres")


def drop_postgres(name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def print_backend(label: str, r: dict) -> None:
    print(
        f"\n== {label}: {r['rows']:,} rows, insert {r['insert_s']} s, index build {r['index_build_s']} s, "
        f"ensure again {r['ensure_again_ms']} ms"
    )
    print(
        f"query p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms (wall clock); "
        f"CPU p50 {r['cpu_p50_ms']} ms, p95 {r['cpu_p95_ms']} ms"
    )
    for kind, v in r["per_kind"].items():
        print(f"  {kind:12} p50 {v['p50_ms']:8.3f} ms   max {v['max_ms']:8.3f} ms")
    print("  typing: " + ", ".join(f"{k}={v}" for k, v in r["typing_session_ms"].items()))
    print(f"  cold first fuzzy query (builds cache): {r['cold_first_fuzzy_query_ms']} ms")
    print(f"  examples: {r['examples_top3']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="also run against 127.0.0.1:5432")
    args = parser.parse_args()
    data = make_names(args.rows)
    results = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "peewee": peewee.__version__,
        "repeat": args.repeat,
    }
    with tempfile.TemporaryDirectory() as tmp:
        db = peewee.SqliteDatabase(str(Path(tmp) / "bench.db"), pragmas={"journal_mode": "wal"})
        results["sqlite_search"] = bench_backend(db, data, args.repeat)
        db.close()
    print_backend("SQLite", results["sqlite_search"])
    if args.postgres:
        name = f"lamin_lab_search_bench_{uuid.uuid4().hex[:8]}"
        db = postgres_db(name)
        try:
            results["postgres_search"] = bench_backend(db, data, args.repeat)
        finally:
            db.close()
            drop_postgres(name)
        print_backend("PostgreSQL", results["postgres_search"])
    results["lookup"] = bench_lookup(args.repeat)
    print(
        f"\n== lookup: build over {results['lookup']['values']:,} values {results['lookup']['build_ms']} ms "
        f"(CPU {results['lookup']['build_cpu_ms']} ms) "
        f"({results['lookup']['names']:,} names), 1000 attribute reads "
        f"{results['lookup']['1000_attribute_reads_ms']} ms"
    )
    out = Path(__file__).parent / "results" / "search.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()

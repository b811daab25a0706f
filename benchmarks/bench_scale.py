"""How the cost of everyday calls grows with the size of the catalog (10k → 1M artifacts).

Run: ``.venv/bin/python benchmarks/bench_scale.py --sizes 10000,100000,1000000
--out benchmarks/results/scale.json [--backend sqlite|postgres] [--repeat 7]``

For each size ``N`` a fresh lamin_lab instance (SQLite in a temp dir, or a fresh
database on the PostgreSQL server of the test suite, ``LAMIN_LAB_TEST_PG_URL`` or
``postgresql://postgres@127.0.0.1:5432``) gets a catalog of ``N`` artifacts:

- ``N`` artifacts with keys ``batch<b>/sample_<i>.parquet`` (folders of 1,000) and a
  description, each the output of a run (10 artifacts per run);
- ``N / 10`` runs of ``max(10, N / 1000)`` transforms; runs form pipelines of 5 steps
  (a run that is not the first of its pipeline took the first output of the run before
  it as input), so the lineage of one artifact has the same size at every ``N``;
- ``max(100, N / 100)`` ulabels, each artifact linked to one through the categorical
  feature ``cell_type``; a numeric feature ``temperature`` with ``N / 10`` values, each
  shared by 10 artifacts.

Every filter matches the same number of rows at every size (a folder: 1,000; a
temperature: 10), so what grows is the cost of finding them, not their number.

How rows are written: the ORM's bulk insert, not one ``save()`` per record. peewee's
``Model.insert_many(rows, fields=[...])`` compiles one multi-row INSERT per chunk length
(500 rows on SQLite, 100 on PostgreSQL, fewer when a row has many columns), re-run with
each chunk's values, one transaction per table, ids chosen by the benchmark (1..N) so
that links need no read-back; fields not given get their defaults. On PostgreSQL the
secondary indexes of the big tables are dropped for the load and built again after it,
then ``ANALYZE`` runs (as autovacuum would after a bulk load). The search index is
built by the first ``search()``, outside the timings.

Timed: the median (p50) of ``--repeat`` calls after one warm-up call of ``get(uid)``,
``get(key=...)``, ``filter(key__startswith=folder).count()``, a feature-value filter
(``filter(temperature=...).count()``), ``search()``, ``to_dataframe(limit=100)``,
``describe(return_str=True)``, ``view_lineage(return_graph=True)`` of one artifact, one
new ``Artifact.from_dataframe(...).save()`` (new content each call), and
``to_dataframe(limit=None)`` (3 calls; a single call when it takes over 2 s, as at 1M).
Output: ``{"sizes": [...], "ops": {name: [p50_ms per size]}, "growth": {name: last /
first}, "checks": [...], "builds": [...], ...}`` at ``--out`` and a log-log PNG next to it
(matplotlib when installed, imported only there, else :mod:`png_plot`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
DEFAULT_OUT = HERE / "results" / "scale.json"
ROWS_PER_INSERT = {"sqlite": 500, "postgres": 100}  # psycopg2 quotes long statements slower per row
PER_RUN = 10  # artifacts written by one run
PIPELINE = 5  # runs per pipeline: bounds the lineage of one artifact
PER_FOLDER = 1000  # artifacts per key folder: a prefix count matches this many at every size
PER_VALUE = 10  # artifacts per temperature value: a feature filter matches this many
SLOW_MS = 2000  # a call slower than this (the full to_dataframe at 1M) is timed once

OPS = (
    "get_uid",
    "get_key",
    "count_startswith",
    "feature_filter",
    "search",
    "to_dataframe_100",
    "describe",
    "view_lineage",
    "save_new",
    "to_dataframe_all",
)


def artifact_uid(i: int) -> str:
    return f"Sc{i:014d}0000"


def artifact_key(i: int) -> str:
    return f"batch{i // PER_FOLDER}/sample_{i}.parquet"


def temperature_value(v: int) -> float:
    return round(15 + v * 0.001, 3)


# ---------------------------------------------------------------- instance


def open_instance(tmp: Path, backend: str, size: int) -> tuple[Any, str | None]:
    """A fresh instance in ``tmp``; returns ``(ln, name of the PostgreSQL database or None)``."""
    os.environ["LAMIN_LAB_HOME"] = str(tmp / "home")
    os.environ["LAMIN_LAB_CACHE_DIR"] = str(tmp / "cache")
    import lamin_lab as ln

    ln.settings._user = None  # the user lives in LAMIN_LAB_HOME: read it afresh
    if backend == "postgres":
        from tests.support.postgres import create_database

        name = f"bench_scale_{size}_{uuid.uuid4().hex[:6]}"
        ln.setup.init(storage=str(tmp / "data"), db=create_database(name))
        return ln, name
    ln.setup.init(storage=str(tmp / "data"))
    return ln, None


def close_instance(ln: Any, pg_name: str | None) -> None:
    ln.setup.disconnect()
    if pg_name is not None:
        from tests.support.postgres import drop_database

        drop_database(pg_name)


# ---------------------------------------------------------------- building


def _insert(model: type, fields: list, rows: list[tuple]) -> None:
    """Bulk-insert ``rows`` (values of ``fields``) with the registry's multi-row INSERT.

    peewee's ``insert_many`` compiles the statement once per chunk length (building it
    anew for every chunk costs more than the database's work); the fields not given get
    their defaults, computed once; JSON fields are converted as the ORM converts them.
    """
    from lamin_lab.orm.fields import JSONField

    given = [f.name for f in fields]
    rest = [f for f in model._meta.sorted_fields if f.name not in given and not f.primary_key]
    defaults = tuple(f.db_value(f.default() if callable(f.default) else f.default) for f in rest)
    columns = [*fields, *rest]
    json_columns = {k for k, f in enumerate(fields) if isinstance(f, JSONField)}
    db = model._meta.database
    per = max(
        1, min(ROWS_PER_INSERT["postgres" if _is_postgres(db) else "sqlite"], 30000 // len(columns))
    )
    compiled: dict[int, str] = {}
    with db.atomic():
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            if json_columns:
                chunk = [
                    tuple(
                        fields[k].db_value(v) if k in json_columns else v for k, v in enumerate(row)
                    )
                    for row in chunk
                ]
            full = [row + defaults for row in chunk]
            sql = compiled.get(len(full))
            if sql is None:
                sql = compiled[len(full)] = model.insert_many(full, fields=columns).sql()[0]
            db.execute_sql(sql, [v for row in full for v in row])


def _is_postgres(db: Any) -> bool:
    return "postgres" in type(getattr(db, "obj", db)).__name__.lower()


@contextmanager
def _indexes_deferred(db: Any, tables: list[str]):
    """PostgreSQL: drop the tables' secondary indexes for the load, build them after.

    The usual way to bulk-load PostgreSQL: the ~22 indexes of ``artifact`` about double
    the cost of each inserted row; building them once afterwards costs seconds. Primary
    keys stay. SQLite keeps its indexes (its inserts are fast enough with them).
    """
    if not _is_postgres(db):
        yield
        return
    marks = ", ".join(["%s"] * len(tables))
    rows = db.execute_sql(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        f"AND i.tablename IN ({marks}) AND i.indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE contype = 'p')",
        tables,
    ).fetchall()
    for name, _ in rows:
        db.execute_sql(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _, definition in rows:
            db.execute_sql(definition)


def build_catalog(ln: Any, n: int) -> dict[str, Any]:
    """Write the catalog of ``n`` artifacts (see the module docstring); returns counts and seconds."""
    from lamin_lab.models import ArtifactJsonValue, ArtifactRun, ArtifactULabel, JsonValue

    start = time.perf_counter()
    A, R, T, U = ln.Artifact, ln.Run, ln.Transform, ln.ULabel
    user = ln.settings.user.id if hasattr(ln.settings.user, "id") else 1
    storage = ln.Storage.filter().first().id
    cell_type = ln.Feature(name="cell_type", dtype="cat[ULabel]").save()
    temperature = ln.Feature(name="temperature", dtype="float").save()
    base = {
        "t": T.select(ln.models.Transform.id).count(),
        "r": R.select().count(),
        "a": A.select().count(),
        "u": U.select().count(),
        "j": JsonValue.select().count(),
    }
    if any(base.values()):
        raise RuntimeError(f"the instance is not empty: {base}")
    big = [
        m._meta.table_name
        for m in (R, A, ArtifactRun, ArtifactULabel, JsonValue, ArtifactJsonValue)
    ]
    with _indexes_deferred(A._meta.database, big):
        _write_rows(ln, n, user, storage, cell_type.id, temperature.id)
    _fix_sequences(ln)
    _settle(ln)
    return {
        "artifacts": n,
        "runs": max(1, n // PER_RUN),
        "transforms": max(10, n // 1000),
        "ulabels": max(100, n // 100),
        "build_s": round(time.perf_counter() - start, 2),
    }


def _write_rows(
    ln: Any, n: int, user: int, storage: int, cell_type_id: int, temperature_id: int
) -> None:
    from lamin_lab.models import ArtifactJsonValue, ArtifactRun, ArtifactULabel, JsonValue
    from lamin_lab.models.jsonvalue import value_hash

    A, R, T, U = ln.Artifact, ln.Run, ln.Transform, ln.ULabel
    n_transforms, n_runs, n_labels = max(10, n // 1000), max(1, n // PER_RUN), max(100, n // 100)
    _insert(
        T,
        [T.id, T.uid, T.key, T.kind, T.created_by],
        [
            (t + 1, f"Tr{t:010d}0000", f"pipelines/step_{t}.py", "script", user)
            for t in range(n_transforms)
        ],
    )
    _insert(
        R,
        [R.id, R.uid, R.transform, R.created_by],
        [(r + 1, f"Ru{r:014d}", r % n_transforms + 1, user) for r in range(n_runs)],
    )
    _insert(
        A,
        [
            A.id,
            A.uid,
            A.key,
            A.description,
            A.storage,
            A.suffix,
            A.kind,
            A.otype,
            A.size,
            A.hash,
            A._hash_type,
            A.n_observations,
            A.is_latest,
            A.run,
            A.created_by,
        ],
        [
            (
                i + 1,
                artifact_uid(i),
                artifact_key(i),
                f"sample {i} of batch {i % 1000}",
                storage,
                ".parquet",
                "dataset",
                "DataFrame",
                1000 + i % 977,
                f"h{i:021d}",
                "md5",
                100 + i % 50,
                True,
                i // PER_RUN + 1,
                user,
            )
            for i in range(n)
        ],
    )
    # pipelines: run r (not the first of its pipeline) read the first output of run r - 1
    _insert(
        ArtifactRun,
        [ArtifactRun.artifact, ArtifactRun.run, ArtifactRun.created_by],
        [
            ((r - 1) * PER_RUN + 1, r + 1, user)
            for r in range(n_runs)
            if r % PIPELINE and (r - 1) * PER_RUN < n
        ],
    )
    _insert(
        U,
        [U.id, U.uid, U.name, U.created_by],
        [(k + 1, f"U{k:07d}", f"cell type {k}", user) for k in range(n_labels)],
    )
    _insert(
        ArtifactULabel,
        [
            ArtifactULabel.artifact,
            ArtifactULabel.ulabel,
            ArtifactULabel.feature,
            ArtifactULabel.created_by,
        ],
        [(i + 1, i % n_labels + 1, cell_type_id, user) for i in range(n)],
    )
    n_values = max(1, n // PER_VALUE)
    values = [temperature_value(v) for v in range(n_values)]
    _insert(
        JsonValue,
        [JsonValue.id, JsonValue.value, JsonValue.hash, JsonValue.feature, JsonValue.created_by],
        [(v + 1, value, value_hash(value), temperature_id, user) for v, value in enumerate(values)],
    )
    _insert(
        ArtifactJsonValue,
        [ArtifactJsonValue.artifact, ArtifactJsonValue.jsonvalue, ArtifactJsonValue.created_by],
        [(i + 1, i // PER_VALUE + 1, user) for i in range(n)],
    )


def _settle(ln: Any) -> None:
    """Leave the database as it would be some time after a bulk load.

    PostgreSQL: ``ANALYZE``, as autovacuum would run soon (without statistics the planner
    guesses table sizes from the first pages it saw). SQLite: fold the write-ahead log
    into the database file (a log of a million-row load makes every read consult it);
    no ``ANALYZE``: lamin_lab never runs it, so the plans measured are those users get.
    """
    db = ln.Artifact._meta.database
    if _is_postgres(db):
        db.execute_sql("ANALYZE")
    else:
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _fix_sequences(ln: Any) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the highest id."""
    db = ln.Artifact._meta.database
    if "postgres" not in type(getattr(db, "obj", db)).__name__.lower():
        return
    from lamin_lab.models import JsonValue

    for model in (ln.Transform, ln.Run, ln.Artifact, ln.ULabel, JsonValue):
        table = model._meta.table_name
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT MAX(id) FROM "{table}"))'
        )


# ---------------------------------------------------------------- timing


def p50_ms(fn, repeat: int, slow_ms: float = float("inf")) -> float:
    """Median of ``repeat`` calls after a warm-up; one call only when the warm-up took ``slow_ms``."""
    t = time.perf_counter()
    fn()  # warm-up: compiles queries, builds the search index, fills caches
    first = (time.perf_counter() - t) * 1000
    if first >= slow_ms:
        return round(first, 3)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 3)


def measure(ln: Any, n: int, repeat: int) -> tuple[dict[str, float], dict[str, Any]]:
    """p50 ms of each call of :data:`OPS`, and what the calls answered (to check the catalog)."""
    import pandas as pd

    A = ln.Artifact
    # the first output of the third run of a pipeline in the middle: 2 runs upstream, 1 downstream
    probe = ((n // PER_RUN // 2) // PIPELINE * PIPELINE + 2) * PER_RUN
    uid, key = artifact_uid(probe), artifact_key(probe)
    focus = A.get(uid)
    folder, value = f"batch{probe // PER_FOLDER}/", temperature_value(probe // PER_VALUE)
    counter = iter(range(10**9))

    def save_new():
        k = next(counter)
        A.from_dataframe(pd.DataFrame({"a": [k, k + 1]}), key=f"new/table_{k}.parquet").save()

    ops = {
        "get_uid": lambda: A.get(uid),
        "get_key": lambda: A.get(key=key),
        "count_startswith": lambda: A.filter(key__startswith=folder).count(),
        "feature_filter": lambda: A.filter(temperature=value).count(),
        "search": lambda: list(A.search(f"sample_{probe}")),
        "to_dataframe_100": lambda: A.to_dataframe(limit=100),
        "describe": lambda: A.get(uid).describe(return_str=True),
        "view_lineage": lambda: focus.view_lineage(return_graph=True),
        "save_new": save_new,
        "to_dataframe_all": lambda: A.to_dataframe(limit=None),
    }
    # the full table of a million artifacts takes seconds: its first call is the number
    out = {
        name: p50_ms(ops[name], 3, SLOW_MS)
        if name == "to_dataframe_all"
        else p50_ms(ops[name], repeat)
        for name in OPS
    }
    graph = focus.view_lineage(return_graph=True)
    checks = {
        "count_startswith": A.filter(key__startswith=folder).count(),
        "feature_filter": A.filter(temperature=value).count(),
        "search_first_is_probe": list(A.search(f"sample_{probe}"))[0].uid == uid,
        "lineage_nodes": len(graph.nodes),
        "to_dataframe_100_rows": len(A.to_dataframe(limit=100)),
    }
    return out, checks


# ---------------------------------------------------------------- output


def plot(result: dict[str, Any], path: Path) -> Path:
    """A log-log PNG: one line per call, p50 ms against the number of artifacts.

    Drawn with matplotlib when it is installed (imported only here), else with the
    standard-library fallback :mod:`png_plot`.
    """
    title = f"lamin_lab: p50 per call by catalog size ({result.get('backend', 'sqlite')})"
    try:
        import matplotlib
    except ImportError:
        from png_plot import loglog_png

        return loglog_png(result["ops"], result["sizes"], path, title)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5.5))
    for name, values in result["ops"].items():
        ax.plot(result["sizes"], values, marker="o", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("artifacts in the catalog")
    ax.set_ylabel("p50 ms per call")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def run(sizes: list[int], out: Path, backend: str = "sqlite", repeat: int = 7) -> dict[str, Any]:
    """Build each catalog, time the calls, write the JSON and the PNG; returns the result."""
    result: dict[str, Any] = {
        "sizes": sizes,
        "ops": {name: [] for name in OPS},
        "backend": backend,
        "builds": [],
        "checks": [],
    }
    started, cpu = time.perf_counter(), time.process_time()
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            ln, pg_name = open_instance(Path(tmp), backend, n)
            try:
                result["builds"].append(build_catalog(ln, n))
                times, checks = measure(ln, n, repeat)
                for name, ms in times.items():
                    result["ops"][name].append(ms)
                result["checks"].append(checks)
            finally:
                close_instance(ln, pg_name)
        print(
            f"{n:>9,} artifacts: "
            + ", ".join(f"{k} {v[-1]:.1f}" for k, v in result["ops"].items()),
            file=sys.stderr,
        )
    first, last = 0, len(sizes) - 1
    result["growth"] = {
        name: round(v[last] / v[first], 2) if v[first] else None
        for name, v in result["ops"].items()
    }
    result["total_s"] = round(time.perf_counter() - started, 1)
    result["cpu_s"] = round(time.process_time() - cpu, 1)  # this process only (not the server's)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    plot(result, out.with_suffix(".png"))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated artifact counts"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="JSON file (the PNG goes next to it)"
    )
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--repeat", type=int, default=7, help="timed calls per operation (after one warm-up)"
    )
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    result = run(sizes, args.out, args.backend, args.repeat)
    print(
        json.dumps(
            {"growth": result["growth"], "total_s": result["total_s"], "cpu_s": result["cpu_s"]}
        )
    )


if __name__ == "__main__":
    main()

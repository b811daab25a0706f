"""Statements (round trips) and time per everyday call, lamin_lab and lamindb 2.12.1 (not a test).

Run: ``.venv/bin/python benchmarks/roundtrips.py [--backend postgres|sqlite] [--skip-lamindb]
[--repeat 20] [--runs 3] [--out FILE.json]``

On PostgreSQL every statement is a round trip to the server, so what a call costs there is
mostly how many statements it sends. Both sides run the same snippet (``import X as ln``) in
a fresh process, on a fresh database each (``--backend postgres``: a new database on the
server of the test suite, ``$LAMIN_LAB_TEST_PG_URL`` or ``postgresql://postgres@127.0.0.1:5432``,
created for the run and dropped after it; lamindb's instance is made with ``lamin init
--storage DIR --db URL``). Per call, after one warm-up call:

- ``statements``: statements sent per call (mean over 3 counted calls);
- ``ms``: median wall time over ``--repeat`` calls (counting off); with ``--runs N`` the
  sides alternate over N fresh runs each and ``ms`` is the median of the runs' medians
  (``ms_runs`` keeps each), so a burst of load on the shared machine hits both sides.

How statements are counted: lamin_lab with :func:`lamin_lab.orm.statements.count_statements`
(queries, savepoints, ``BEGIN``/``COMMIT``); lamindb by wrapping Django's ``CursorWrapper``
(queries and savepoints) and its connection's ``commit``/``rollback``: each commit or
rollback of a transaction counts 2 (the ``BEGIN`` psycopg sends before the transaction's
first statement and the ``COMMIT``), so both sides count the same things.

``first_answer`` is counted and timed from before ``import X`` to the first
``ULabel.filter().count()`` in a fresh process (import, connect, one query), as a new
notebook kernel does. ``track`` is ``ln.track()`` in a script (the snippet is one).

Results go to ``benchmarks/results/roundtrips_<backend>.json``; a table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.lamindb_env import isolated_env, lamindb_python, run_snippet  # noqa: E402

# The counter of each side, defined before anything of the system is imported: ``counted()``
# is a context manager whose value has ``.count``.
COUNTER_LAMIN_LAB = r"""
import lamin_lab.orm.database  # its database classes exist before counting starts
from lamin_lab.orm.statements import count_statements as counted
"""

COUNTER_LAMINDB = r"""
import contextlib
import django.db.backends.base.base as _base
import django.db.backends.utils as _utils

class _Log:
    count = 0

_ACTIVE = []

def _wrap(cls, name, weight):
    method = getattr(cls, name)
    def wrapper(self, *args, **kwargs):
        for log in _ACTIVE:
            log.count += weight
        return method(self, *args, **kwargs)
    setattr(cls, name, wrapper)

for _name in ("execute", "executemany"):
    _wrap(_utils.CursorWrapper, _name, 1)
_wrap(_base.BaseDatabaseWrapper, "_commit", 2)  # BEGIN + COMMIT
_wrap(_base.BaseDatabaseWrapper, "_rollback", 2)  # BEGIN + ROLLBACK

@contextlib.contextmanager
def counted():
    log = _Log()
    _ACTIVE.append(log)
    try:
        yield log
    finally:
        _ACTIVE.remove(log)
"""

FIRST_ANSWER = r"""
import time
t = time.perf_counter()
with counted() as log:
    import IMPORT_NAME as ln
    n = ln.ULabel.filter().count()
result["first_answer"] = {"ms": (time.perf_counter() - t) * 1000, "statements": log.count}
"""

PRELUDE = {
    "lamin_lab": "import lamin_lab as ln\nln.settings.verbosity = 'error'\n",
    "lamindb": (
        "import logging\nimport lamindb as ln\nln.setup.settings.instance._is_on_hub = False\n"
        "logging.disable(logging.INFO)\n"
    ),
}

# Shared by both sides. ``measure(name, call)`` warms up, counts three calls, times REPEAT.
CALLS = r"""
import itertools, statistics, time
import pandas as pd

def measure(name, call, repeat=REPEAT):
    call()
    with counted() as log:
        for _ in range(3):
            call()
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); call(); times.append((time.perf_counter() - t) * 1000)
    result[name] = {"ms": statistics.median(times), "statements": log.count / 3}

ln.save([ln.ULabel(name=f"label {i}") for i in range(1000)])
labels = list(ln.ULabel.filter(name__startswith="label "))
temperature = ln.Feature(name="temperature", dtype=float).save()
cell_type = ln.Feature(name="cell_type", dtype=ln.ULabel).save()
ln.ULabel(name="T cell").save()
artifacts = [
    ln.Artifact.from_dataframe(pd.DataFrame({"x": [i]}), key=f"base/{i}.parquet").save()
    for i in range(40)
]
for i, a in enumerate(artifacts[:20]):
    a.features.add_values({"temperature": 20.0 + i % 5, "cell_type": "T cell"})

uids = itertools.cycle([l.uid for l in labels[:50]])
keys = itertools.cycle([f"base/{i}.parquet" for i in range(40)])
to_df = getattr(ln.ULabel, "to_dataframe", None) or ln.ULabel.df
measure("get_uid", lambda: ln.ULabel.get(next(uids)))
measure("get_key", lambda: ln.Artifact.get(key=next(keys)))
measure("filter_count", lambda: ln.ULabel.filter(name__startswith="label 1").count())
measure("to_dataframe_1k", lambda: to_df(limit=None), repeat=5)

counter = itertools.count()
measure("single_ulabel_save", lambda: ln.ULabel(name=f"single {next(counter)}").save())

def artifact_save():
    i = next(counter)
    ln.Artifact.from_dataframe(pd.DataFrame({"y": [i, i + 1]}), key=f"single/{i}.parquet").save()
measure("single_artifact_save", artifact_save)

def bulk_save():
    i = next(counter)
    ln.save([ln.ULabel(name=f"bulk {i} {j}") for j in range(100)])
measure("bulk_save_100_ulabels", bulk_save, repeat=5)

measure("feature_filter", lambda: list(ln.Artifact.filter(temperature=22.0)))
targets = itertools.cycle(artifacts[20:])
values = itertools.count()
measure(
    "add_values",
    lambda: next(targets).features.add_values(
        {"temperature": 20.0 + next(values) % 7, "cell_type": "T cell"}
    ),
)
pairs = ((a, l) for a in itertools.cycle(artifacts) for l in labels[100:160])
def add_label():
    a, l = next(pairs)
    a.ulabels.add(l)
measure("labels_add_one", add_label)

t = time.perf_counter()
with counted() as log:
    ln.track()
result["track"] = {"ms": (time.perf_counter() - t) * 1000, "statements": log.count}
"""

ORDER = [
    "first_answer",
    "get_uid",
    "get_key",
    "filter_count",
    "to_dataframe_1k",
    "single_ulabel_save",
    "single_artifact_save",
    "bulk_save_100_ulabels",
    "feature_filter",
    "add_values",
    "labels_add_one",
    "track",
]


@contextmanager
def fresh_database(backend: str, label: str) -> Iterator[str | None]:
    """A new PostgreSQL database's URL for the block (dropped after), or None for SQLite.

    Examples
    --------
    >>> with fresh_database("sqlite", "x") as url:  # doctest: +SKIP
    ...     url is None
    True
    """
    if backend != "postgres":
        yield None
        return
    from tests.support.postgres import create_database, drop_database

    name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    url = create_database(name)
    try:
        yield url
    finally:
        drop_database(name)


def init_side(side: str, tmp: str, db: str | None) -> tuple[str, dict[str, str]]:
    """Make ``side``'s instance in ``tmp`` (on ``db`` if given); its interpreter and env.

    Examples
    --------
    >>> python, env = init_side("lamin_lab", "/tmp/x", None)  # doctest: +SKIP
    """
    env = isolated_env(Path(tmp))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if side == "lamin_lab":
        python = sys.executable
        env.update(PYTHONPATH=str(REPO), LAMIN_LAB_HOME=f"{tmp}/home")
        code = f"import lamin_lab as ln; ln.setup.init(storage={f'{tmp}/data'!r}, db={db!r})"
        cmd = [python, "-c", code]
    else:
        python = str(lamindb_python())
        cmd = [str(Path(python).parent / "lamin"), "init", "--storage", f"{tmp}/data"]
        cmd += ["--db", db] if db else []
    done = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"init of {side} failed:\n{done.stderr[-3000:]}")
    return python, env


def run_side(side: str, backend: str, repeat: int) -> dict:
    """First answer and every call of :data:`CALLS` for ``side`` on a fresh ``backend``."""
    counter = COUNTER_LAMIN_LAB if side == "lamin_lab" else COUNTER_LAMINDB
    import_name = "lamin_lab" if side == "lamin_lab" else "lamindb"
    out: dict = {}
    with fresh_database(backend, f"rt_{side}") as db, tempfile.TemporaryDirectory() as tmp:
        python, env = init_side(side, tmp, db)
        first = counter + FIRST_ANSWER.replace("IMPORT_NAME", import_name)
        run = lambda code: run_snippet(code, python=python, extra_env=env, timeout=1800, cwd=tmp)  # noqa: E731
        run(first)  # warm: bytecode, page cache, the server's catalog cache
        out.update(run(first))
        calls = counter + PRELUDE[side] + CALLS.replace("REPEAT", str(repeat))
        out.update(run(calls))
    return out


def merge_runs(runs: list[dict]) -> dict:
    """Per call: the median ``ms`` over runs, each run's ``ms`` and the statements.

    Examples
    --------
    >>> merge_runs([{"get": {"ms": 1.0, "statements": 1}}, {"get": {"ms": 3.0, "statements": 1}}])
    {'get': {'ms': 2.0, 'statements': 1, 'ms_runs': [1.0, 3.0]}}
    """
    import statistics

    out = {}
    for key in runs[0]:
        times = [r[key]["ms"] for r in runs]
        out[key] = {
            "ms": statistics.median(times),
            "statements": runs[0][key]["statements"],
            "ms_runs": times,
        }
    return out


def print_table(ours: dict, theirs: dict) -> None:
    print(f"{'call':24} {'lamindb ms':>11} {'lamin_lab ms':>13} {'ratio':>7} {'stmts db/lab':>13}")
    for key in ORDER:
        a, b = ours.get(key), theirs.get(key)
        if a is None:
            continue
        b_ms = f"{b['ms']:11.2f}" if b else f"{'-':>11}"
        ratio = f"{b['ms'] / a['ms']:6.1f}x" if b and a["ms"] else f"{'-':>7}"
        stmts = f"{b['statements']:g} / {a['statements']:g}" if b else f"- / {a['statements']:g}"
        print(f"{key:24} {b_ms} {a['ms']:13.2f} {ratio} {stmts:>13}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1, help="fresh runs per side, alternated")
    parser.add_argument("--skip-lamindb", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out_path = args.out or REPO / "benchmarks" / "results" / f"roundtrips_{args.backend}.json"
    old = json.loads(out_path.read_text()) if out_path.exists() else {}
    sides = ["lamin_lab"] if args.skip_lamindb else ["lamin_lab", "lamindb"]
    runs: dict[str, list[dict]] = {side: [] for side in sides}
    for i in range(args.runs):
        for side in sides if i % 2 == 0 else sides[::-1]:
            runs[side].append(run_side(side, args.backend, args.repeat))
    ours = merge_runs(runs["lamin_lab"])
    theirs = old.get("lamindb", {}) if args.skip_lamindb else merge_runs(runs["lamindb"])
    out = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "backend": args.backend,
        "load_average": os.getloadavg(),
        "runs": args.runs,
        "units": "ms: median wall per call (median over runs); statements: per call",
        "lamin_lab": ours,
        "lamindb": theirs,
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(out, indent=2) + "\n")
    print_table(ours, theirs)
    print(f"written to {out_path}")


if __name__ == "__main__":
    main()

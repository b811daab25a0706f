"""The first second and single saves, lamin_lab side by side with lamindb 2.12.1 (not a test).

Run: ``.venv/bin/python benchmarks/bench_first_second.py [--runs 5] [--skip-lamindb]``

Every measure runs on both sides with the same code (``import X as ln``), each run in a
fresh process with a fresh SQLite instance in a temporary directory:

- ``import``: ``python -c "import X"``;
- ``first_answer``: ``python -c "import X as ln; ln.ULabel.filter().count()"`` (import,
  connect to the current instance, one query);
- ``single_artifact_save``: ``Artifact.from_dataframe(3x2 df, key=...).save()``, construction
  included, median of 20 saves of distinct content in one process;
- ``bulk_save_1000`` / ``bulk_save_1000_built``: 1,000 ULabels constructed and ``ln.save()``-d,
  construction included / excluded;
- ``to_dataframe_10k``: ``ULabel.to_dataframe(limit=None)`` over 10,000 labels.

The machine is shared, so every measure has two numbers: wall time and CPU time (for whole
processes the child CPU time from ``resource.getrusage(RUSAGE_CHILDREN)``, for in-process
operations ``time.process_time()``). Each is the median over ``--runs`` fresh processes.
Ratios are lamindb / lamin_lab (> 1: lamin_lab faster). Bytecode caching stays on
(``PYTHONDONTWRITEBYTECODE`` is unset), as after any install. lamindb runs from
``$LAMIN_LAB_LAMINDB_PYTHON`` (default ``/work/main/.venv-lamindb/bin/python``), lamin_lab
from this checkout. Results go to ``benchmarks/results/first_second.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.lamindb_env import isolated_env, run_snippet  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "first_second.json"
LAMINDB_PYTHON = os.environ.get("LAMIN_LAB_LAMINDB_PYTHON", "/work/main/.venv-lamindb/bin/python")

# Shared by both sides; ``ln`` comes from the prelude, ``result`` collects the numbers.
OPS = r"""
import statistics, time
import pandas as pd

def timed(f):
    w, c = time.perf_counter(), time.process_time()
    out = f()
    return (time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000, out

ln.ULabel(name="warm-up").save()  # first save pays one-off set-up on both sides
walls, cpus = [], []
for i in range(20):
    df = pd.DataFrame({"a": [i, i + 1, i + 2], "b": ["x", "y", f"z{i}"]})
    w, c, _ = timed(lambda: ln.Artifact.from_dataframe(df, key=f"t/{i}.parquet").save())
    walls.append(w); cpus.append(c)
result["single_artifact_save"] = [statistics.median(walls), statistics.median(cpus)]

w1, c1, labels = timed(lambda: [ln.ULabel(name=f"bulk label {i}") for i in range(1000)])
w2, c2, _ = timed(lambda: ln.save(labels))
result["bulk_save_1000"] = [w1 + w2, c1 + c2]
result["bulk_save_1000_built"] = [w2, c2]

more = [ln.ULabel(name=f"more label {i}") for i in range(1000, 10_000 - 1)]
ln.save(more)
to_df = getattr(ln.ULabel, "to_dataframe", None) or ln.ULabel.df
walls, cpus = [], []
for _ in range(3):
    w, c, df = timed(lambda: to_df(limit=None))
    walls.append(w); cpus.append(c)
result["to_dataframe_10k"] = [statistics.median(walls), statistics.median(cpus)]
result["to_dataframe_rows"] = len(df)
"""

LAMIN_LAB_PRELUDE = r"""
import os
import lamin_lab as ln
ln.setup.init(storage=os.path.join(os.environ["BENCH_TMP"], "storage"))
ln.settings.verbosity = "error"
"""

LAMINDB_PRELUDE = r"""
import logging
import lamindb as ln
ln.setup.settings.instance._is_on_hub = False
logging.disable(logging.INFO)
"""

FIRST_ANSWER = {
    "lamin_lab": "import lamin_lab as ln; ln.ULabel.filter().count()",
    "lamindb": (
        "import lamindb as ln; ln.setup.settings.instance._is_on_hub = False; "
        "ln.ULabel.filter().count()"
    ),
}


def _timed_process(cmd: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """Wall and child CPU time (ms) of one process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True)
    wall = (time.perf_counter() - wall) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def _side_env(side: str, tmp: str) -> tuple[str, dict[str, str]]:
    """Interpreter and environment of one side, with its instance initialised in ``tmp``."""
    env = isolated_env(Path(tmp))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as after any install
    if side == "lamin_lab":
        python = sys.executable
        env.update(PYTHONPATH=str(REPO), LAMIN_LAB_HOME=f"{tmp}/home")
        init = [python, "-c", f"import lamin_lab as ln; ln.setup.init(storage='{tmp}/data')"]
    else:
        python = LAMINDB_PYTHON
        init = [str(Path(python).parent / "lamin"), "init", "--storage", f"{tmp}/data"]
    subprocess.run(init, env=env, cwd=tmp, check=True, capture_output=True)
    return python, env


def bench_processes(side: str, runs: int) -> dict[str, list[float]]:
    """Median [wall, cpu] of ``import`` and of the first answer, fresh processes."""
    module = "lamin_lab" if side == "lamin_lab" else "lamindb"
    with tempfile.TemporaryDirectory() as tmp:
        python, env = _side_env(side, tmp)
        out = {}
        for name, code in (("import", f"import {module}"), ("first_answer", FIRST_ANSWER[side])):
            _timed_process([python, "-c", code], env, tmp)  # warm: bytecode, page cache
            samples = [_timed_process([python, "-c", code], env, tmp) for _ in range(runs)]
            out[name] = [
                statistics.median(s[0] for s in samples),
                statistics.median(s[1] for s in samples),
            ]
        return out


def bench_ops(side: str) -> dict:
    """One process of :data:`OPS` on a fresh instance of ``side``."""
    if side == "lamin_lab":
        with tempfile.TemporaryDirectory() as tmp:
            env = {"PYTHONPATH": str(REPO), "LAMIN_LAB_HOME": f"{tmp}/home", "BENCH_TMP": tmp}
            return run_snippet(LAMIN_LAB_PRELUDE + OPS, extra_env=env, timeout=1800)
    return run_snippet(
        LAMINDB_PRELUDE + OPS, python=LAMINDB_PYTHON, init_instance=True, timeout=1800
    )


def bench_side(side: str, runs: int) -> dict:
    """Every measure of one side, each the median [wall_ms, cpu_ms] over ``runs`` processes."""
    out = bench_processes(side, runs)
    op_runs = [bench_ops(side) for _ in range(max(1, runs // 2 + 1))]
    for key in op_runs[0]:
        if isinstance(op_runs[0][key], list):
            out[key] = [statistics.median(r[key][i] for r in op_runs) for i in (0, 1)]
        else:
            out[key] = op_runs[0][key]
    return out


def ratios(ours: dict, theirs: dict) -> dict[str, dict[str, float]]:
    """lamindb / lamin_lab for wall and CPU time of every measure both sides have."""
    return {
        key: {"wall": theirs[key][0] / ours[key][0], "cpu": theirs[key][1] / ours[key][1]}
        for key in ours
        if isinstance(ours[key], list) and isinstance(theirs.get(key), list) and all(ours[key])
    }


def print_table(ours: dict, theirs: dict) -> None:
    print(
        f"{'measure (ms)':22} {'lamin_lab wall/cpu':>20} {'lamindb wall/cpu':>20} {'ratio wall/cpu':>16}"
    )
    r = ratios(ours, theirs)
    for key, value in ours.items():
        if not isinstance(value, list):
            continue
        other = theirs.get(key)
        their_text = f"{other[0]:9.1f}/{other[1]:8.1f}" if other else f"{'-':>18}"
        ratio = f"{r[key]['wall']:6.1f}x/{r[key]['cpu']:5.1f}x" if key in r else "-"
        print(f"{key:22} {value[0]:11.1f}/{value[1]:8.1f} {their_text:>20} {ratio:>16}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measure")
    parser.add_argument(
        "--skip-lamindb", action="store_true", help="keep the stored lamindb numbers"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    old = json.loads(args.out.read_text()) if args.out.exists() else {}
    ours = bench_side("lamin_lab", args.runs)
    theirs = old.get("lamindb", {}) if args.skip_lamindb else bench_side("lamindb", args.runs)
    out = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
        "runs": args.runs,
        "units": "[wall_ms, cpu_ms], medians",
        "lamin_lab": ours,
        "lamindb": theirs,
        "ratios_lamindb_over_lamin_lab": ratios(ours, theirs),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print_table(ours, theirs)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()

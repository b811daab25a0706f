"""``ln.track()`` + ``ln.finish()`` in a script, lamin_lab side by side with lamindb 2.12.1 (not a test).

Run: ``.venv/bin/python benchmarks/bench_track.py [--runs 7] [--skip-lamindb]``

Both sides run the *same* script (``import X as ln``) as ``python step.py``, ``--runs``
times in fresh processes against one instance (SQLite) in a temporary directory. The
script times, inside its process, with ``time.perf_counter``:

- ``track_ms``: the ``ln.track()`` call;
- ``finish_ms``: the ``ln.finish()`` call (source, report, environment, finished_at).

Before timing, the script runs one query so that connecting to the database (lazy in
lamin_lab, done at import by lamindb) is not part of either call. The first run
creates the transform, later runs reuse it: the table shows the first run and the
median of the later ones. Results go to ``benchmarks/results/track.json``. lamindb
runs in its own venv (``benchmarks/lamindb_env.py``); the driver that starts the
scripts runs inside that venv's snippet so that the scripts inherit its isolated
settings.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.lamindb_env import run_in_lamindb, run_snippet  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "track.json"

# The tracked script; MODULE is the package under test.
STEP = """\
import json, time
import MODULE as ln

if ln.__name__ == "lamindb":  # offline machine: answer the hub question instead of asking the network
    ln.setup.settings.instance._is_on_hub = False
ln.Transform.filter().count()  # connect first: not part of track()
t0 = time.perf_counter()
ln.track()
t1 = time.perf_counter()
print("some output of the step")
t2 = time.perf_counter()
ln.finish()
t3 = time.perf_counter()
print("@@T" + json.dumps({"track_ms": (t1 - t0) * 1000, "finish_ms": (t3 - t2) * 1000}))
"""

# Runs the script RUNS times in fresh processes and collects the timings.
DRIVER = r"""
import json, os, subprocess, sys, tempfile
folder = tempfile.mkdtemp(prefix="bench-track-")
script = os.path.join(folder, "step.py")
with open(script, "w") as f:
    f.write(STEP_SOURCE)
times = []
for _ in range(RUNS):
    done = subprocess.run([sys.executable, script], cwd=folder, capture_output=True, text=True, timeout=600)
    lines = [l for l in done.stdout.splitlines() if l.startswith("@@T")]
    if not lines:
        raise RuntimeError(f"step.py failed ({done.returncode}):\n{done.stderr[-3000:]}")
    times.append(json.loads(lines[-1][3:]))
result["runs"] = times
"""

LAMIN_LAB_SETUP = r"""
import os, subprocess, sys
home = os.environ["BENCH_TMP"]
os.environ["LAMIN_LAB_HOME"] = os.path.join(home, "lamin-lab-home")
os.environ["LAMIN_LAB_CACHE_DIR"] = os.path.join(home, "cache")
init = f"import lamin_lab as ln; ln.setup.init(storage={os.path.join(home, 'storage')!r})"
subprocess.run([sys.executable, "-c", init],
               check=True, capture_output=True)
"""


def _driver(module: str, runs: int) -> str:
    step = STEP.replace("MODULE", module)
    return DRIVER.replace("STEP_SOURCE", repr(step)).replace("RUNS", str(runs))


def summarise(runs: list[dict]) -> dict:
    """First run and the median of the later runs, per measure.

    Examples
    --------
    >>> summarise([{"track_ms": 5, "finish_ms": 1}, {"track_ms": 2, "finish_ms": 1}])["track_ms"]
    2
    """
    later = runs[1:] or runs
    out: dict = {}
    for key in ("track_ms", "finish_ms"):
        out[f"first_{key}"] = runs[0][key]
        out[key] = statistics.median(r[key] for r in later)
    out["n_runs"] = len(runs)
    return out


def bench_lamin_lab(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        found = run_snippet(
            LAMIN_LAB_SETUP + _driver("lamin_lab", runs), extra_env={"BENCH_TMP": tmp}
        )
    return summarise(found["runs"])


def bench_lamindb(runs: int) -> dict:
    found = run_in_lamindb(_driver("lamindb", runs), init_instance=True, timeout=3600)
    return summarise(found["runs"])


def print_table(ours: dict, theirs: dict) -> None:
    print(f"{'measure (ms)':22} {'lamin_lab':>10} {'lamindb':>10} {'ratio':>8}")
    for key in ("track_ms", "finish_ms", "first_track_ms", "first_finish_ms"):
        a, b = ours.get(key), theirs.get(key)
        ratio = f"{b / a:7.1f}x" if a and b else "      -"
        b_text = f"{b:10.1f}" if b is not None else f"{'-':>10}"
        print(f"{key:22} {a:10.1f} {b_text} {ratio}")
    both_a = ours["track_ms"] + ours["finish_ms"]
    if theirs:
        both_b = theirs["track_ms"] + theirs["finish_ms"]
        print(
            f"{'track + finish':22} {both_a:10.1f} {both_b:10.1f} {both_b / both_a:7.1f}x  target >= 10x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=7, help="script runs per side (first one creates the transform)"
    )
    parser.add_argument(
        "--skip-lamindb",
        action="store_true",
        help="measure lamin_lab only (keep old lamindb numbers)",
    )
    args = parser.parse_args()
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    ours = bench_lamin_lab(args.runs)
    theirs = old.get("lamindb", {}) if args.skip_lamindb else bench_lamindb(args.runs)
    print_table(ours, theirs)
    ratios = {
        k: theirs[k] / ours[k] for k in ours if k in theirs and ours[k] and not k.startswith("n_")
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "python": platform.python_version(),
                "backend": "sqlite",
                "lamin_lab": ours,
                "lamindb": theirs,
                "ratios_lamindb_over_lamin_lab": ratios,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()

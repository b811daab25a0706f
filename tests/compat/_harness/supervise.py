"""Discover scenarios, run them in runner subprocesses of both backends, compare.

The runner (:mod:`runner`) writes one line per scenario; this side watches it. A scenario
that crashes the process (no result after its ``start`` line) or hangs it past the
timeout (the process is killed) is observed as ``{"harness": ...}`` and the runner is
started again on the scenarios after it.

Examples
--------
>>> from pathlib import Path
>>> ids = discover(Path("tests/compat/scenarios"))  # doctest: +SKIP
>>> run_backend("lamin_lab", sys.executable, ids, Path("/tmp/w"))  # doctest: +SKIP
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "runner.py"
SCENARIOS = HERE.parent / "scenarios"
REPO = HERE.parents[2]


def discover(folder: Path = SCENARIOS) -> list[str]:
    """Ids ``"<module>::<name>"`` of every ``scenario_<name>`` function, in file order.

    Read with ``ast``: collecting needs no backend and runs none of the scenario code.

    Examples
    --------
    >>> any(i.startswith("reference_models::") for i in discover())
    True
    """
    ids = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("scenario_"):
                ids.append(f"{path.stem}::{node.name[len('scenario_') :]}")
    return ids


def lamindb_python() -> Path:
    """lamindb's interpreter: ``$LAMIN_LAB_LAMINDB_PYTHON`` or ``<repo>/.venv-lamindb``."""
    env = os.environ.get("LAMIN_LAB_LAMINDB_PYTHON")
    return Path(env) if env else REPO / ".venv-lamindb" / "bin" / "python"


def backend_env(backend: str) -> dict[str, str]:
    """The environment of a runner: isolated settings, lamin_lab importable from this checkout."""
    env = dict(os.environ)
    env["PYTHONWARNINGS"] = "ignore"
    env["PYTHONUNBUFFERED"] = "1"
    if backend == "lamin_lab":
        env["PYTHONPATH"] = str(REPO)
    else:
        for key in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "LAMIN_LAB_HOME"):
            env.pop(key, None)
    return env


def _read_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    lines = []
    for raw in path.read_text().splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:  # a line cut short by a crash
            pass
    return lines


def run_backend(
    backend: str,
    python: str | Path,
    ids: list[str],
    work: Path,
    timeout: float = 60,
    setup_timeout: float = 180,
    scenarios: Path = SCENARIOS,
    grace: float = 30,
) -> dict[str, Any]:
    """Run ``ids`` on ``backend``; return ``{"obs": {id: observation}, "seconds": ..., ...}``.

    Restarts the runner after a crash, or after a hang the runner's own alarm did not
    end (no output for ``timeout + grace`` seconds: the process is killed).
    """
    started = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    remaining = list(ids)
    observations: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    attempt = 0
    setups: list[float] = []
    while remaining:
        attempt += 1
        round_dir = work / f"run{attempt}"
        round_dir.mkdir(parents=True, exist_ok=True)
        ids_file, out_file = round_dir / "ids.json", round_dir / "out.jsonl"
        ids_file.write_text(json.dumps(remaining))
        log = (round_dir / "log.txt").open("w")
        cmd = [
            str(python),
            str(RUNNER),
            "--backend",
            backend,
            "--work",
            str(round_dir / "w"),
            "--scenarios",
            str(scenarios),
            "--ids",
            str(ids_file),
            "--out",
            str(out_file),
            "--timeout",
            str(timeout),
        ]
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=backend_env(backend), cwd=round_dir
        )
        last_size, last_change, ready = -1, time.monotonic(), False
        killed = False
        while proc.poll() is None:
            time.sleep(0.05)
            size = out_file.stat().st_size if out_file.exists() else 0
            if size != last_size:
                last_size, last_change = size, time.monotonic()
                ready = ready or size > 0
            limit = (timeout + grace) if ready else setup_timeout
            if time.monotonic() - last_change > limit:
                proc.kill()
                proc.wait()
                killed = True
        log.close()
        lines = _read_lines(out_file)
        for line in lines:
            if "ready" in line:
                setups.append(line["ready"])
            if "id" in line:
                observations[line["id"]] = line["obs"]
                seconds[line["id"]] = line["seconds"]
        started_ids = [line["start"] for line in lines if "start" in line]
        if not any("ready" in line for line in lines):
            tail = (round_dir / "log.txt").read_text()[-3000:]
            for sid in remaining:
                observations[sid] = {"harness": f"{backend} runner failed to start", "log": tail}
            break
        crashed = [sid for sid in started_ids if sid not in observations]
        for sid in crashed:
            what = "hung (killed)" if killed else f"crashed the process (exit {proc.returncode})"
            observations[sid] = {"harness": f"scenario {what}"}
        remaining = [sid for sid in remaining if sid not in observations]
    return {
        "obs": observations,
        "seconds": round(time.perf_counter() - started, 2),
        "setup_seconds": setups,
        "per_scenario": seconds,
        "restarts": attempt - 1,
    }


def run_all(
    ids: list[str],
    work: Path,
    lamindb: Path,
    chunks: int = 1,
    timeout: float = 60,
    lamin_lab_chunks: int = 1,
) -> dict[str, dict[str, Any]]:
    """Both backends concurrently; ``{backend: result}``.

    lamindb runs in ``chunks`` processes, lamin_lab in ``lamin_lab_chunks`` (lamindb takes
    about three times as long per scenario).
    """
    jobs = []
    for backend, python, n in (
        ("lamindb", lamindb, chunks),
        ("lamin_lab", Path(sys.executable), lamin_lab_chunks),
    ):
        for k in range(n):
            part = ids[k::n]
            if part:
                jobs.append((backend, python, part, work / f"{backend}-{k}"))
    results: dict[tuple[str, int], dict[str, Any]] = {}

    def go(n: int, job: tuple) -> None:
        backend, python, part, folder = job
        results[(backend, n)] = run_backend(backend, python, part, folder, timeout=timeout)

    threads = [threading.Thread(target=go, args=(n, job)) for n, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    merged: dict[str, dict[str, Any]] = {}
    for (backend, _), result in sorted(results.items()):
        into = merged.setdefault(
            backend,
            {"obs": {}, "seconds": 0.0, "setup_seconds": [], "per_scenario": {}, "restarts": 0},
        )
        into["obs"].update(result["obs"])
        into["seconds"] = max(into["seconds"], result["seconds"])
        into["setup_seconds"] += result["setup_seconds"]
        into["per_scenario"].update(result["per_scenario"])
        into["restarts"] += result["restarts"]
    return merged

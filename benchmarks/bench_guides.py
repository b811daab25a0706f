"""How much of LaminDB's documentation guides runs on lamin_lab (issues #10/#11; not a test).

Run::

    .venv/bin/python benchmarks/bench_guides.py --guides /tmp/guides \\
        [--backend lamindb|lamin_lab|both] [--only tutorial,track] [--timeout 60] \\
        [--out benchmarks/results/guides.json]

    # turn guides fetched from laminlabs/lamindb (MyST .md or .ipynb) into cell lists:
    .venv/bin/python benchmarks/bench_guides.py --extract docs/track.md docs/faq/key.ipynb \\
        --guides /tmp/guides

The guides are *not* part of this repository (they are LaminDB's text): ``--guides`` is a
folder of ``<name>.json`` files, each a JSON list of code-cell sources in notebook order,
optionally with a folder ``<name>.files/`` whose content is copied into the working
directory before the first cell (helper scripts, test files). ``--extract`` writes such
lists from a MyST markdown notebook (top-level ```` ```python ````, ```` ```bash ```` and
```` ```shell ```` fences outside ``<!-- #region -->`` blocks, which jupytext does not
execute) or from an ``.ipynb`` (its code cells).

Each guide runs once per backend in a fresh temporary directory (its own settings, cache,
``HOME`` and storage) in one Python process of that backend (lamindb 2.12.1 from
``/work/main/.venv-lamindb``, lamin_lab from the project venv with ``PYTHONPATH`` set to
this checkout). The cells are executed in order in one namespace, like a kernel: the last
expression of a cell is evaluated and ``repr()``-ed as a notebook would display it; a cell
gets ``--timeout`` seconds. A cell is ``ok``, ``error`` (exception class and the first
line of its message) or ``skipped``.

The guide runs as the script ``<name>.py`` (its transformed cells joined, written to the
working directory) so that ``ln.track()`` finds a file on both backends, as LaminDB's docs
run guides marked ``execute_via: python``.

The source transform (the same for both backends unless stated):

1. ``import bionty``/``import bionty as bt`` lines are dropped; a cell that still names
   ``bt.``/``bionty`` or a bionty-only field (``cell_types``, ``genes``, ``diseases``,
   ...) is **skipped: needs bionty**. ``--modules bionty`` is dropped from ``lamin init``.
2. A cell that needs the network is **skipped: needs network**: ``ln.DB(...)``,
   ``ln.connect(...)``, ``db.<Registry>`` of such a DB, hub login (``lamin login``,
   ``lamin connect``, ``ln.setup.login``), a call whose first argument is an
   ``s3://``/``gs://``/``hf://``/``http(s)://`` URL, or ``storage=``/``--storage``
   pointing to a cloud bucket. Except (``--seed-lamindata``, on by default): a guide that
   names ``laminlabs/lamindata`` first gets a local instance of that name under its run's
   settings (``seed_lamindata.py``: the records the guides read, with their uids), and its
   cells reading it (``ln.DB("laminlabs/lamindata")``, a variable bound to it,
   ``.using("laminlabs/lamindata")``) run. ``benchmarks/guide_cells.py`` has the extraction
   and this classification.
3. ``!command`` lines and whole ``bash``/``shell`` cells run through ``bash`` in the
   working directory; ``lamin`` is the backend's CLI (``lamin`` of lamindb's venv, or
   ``python -m lamin_lab.cli``), ``python`` is the backend's interpreter; a non-zero exit
   is an error (``ShellError``). ``lamin init`` without ``--storage`` gets
   ``--storage ./guide-data``. ``%`` magics are dropped. Lines that only install packages
   (``pip install``) are dropped.
4. lamin_lab only: in import statements ``lamindb`` becomes ``lamin_lab``
   (``import lamindb as ln`` -> ``import lamin_lab as ln``,
   ``from lamindb.core.exceptions import X`` -> ``from lamin_lab.core.exceptions import X``);
   the same applies to the ``.py`` files in ``<name>.files/``.
5. A guide with no (non-skipped) ``lamin init``/``ln.setup.init`` gets one before its
   first cell (not counted), so every guide has a fresh local instance.
6. The guides' own test libraries missing from one venv (``pytest`` for lamindb;
   ``pandera`` and its dependencies for lamin_lab) are linked from the other venv
   (``EXTRAS``; only names that venv lacks, so none of its own packages is shadowed).
7. lamindb only: the machine is offline, so every lamindb process of a guide answers the
   hub question itself: a ``sitecustomize`` makes ``InstanceSettings.is_on_hub`` return
   ``False`` unless set (what ``ln.setup.settings.instance._is_on_hub = False`` does for
   one settings object), and the kernel also sets ``_is_on_hub = False`` around each cell.

The fair measure is: of the cells that pass on lamindb offline, how many pass on
lamin_lab. The JSON result holds counts, cell indices and error classes/messages only,
never guide source text.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.guide_cells import (  # noqa: E402
    classify_cells,
    extract_cells,
    needs_preinit,
    reads_lamindata,
    rewrite_imports,
    transform,
)
from benchmarks.seed_lamindata import seed  # noqa: E402

LAMINDB_PYTHON = Path(
    os.environ.get("LAMIN_LAB_LAMINDB_PYTHON", "/work/main/.venv-lamindb/bin/python")
)
RESULTS = ROOT / "benchmarks" / "results" / "guides.json"
BACKENDS = ("lamindb", "lamin_lab")
# Libraries the guides import for their own checks, missing from one backend's venv: taken
# from the other venv (only names that venv lacks, so nothing of the backend is shadowed).
EXTRAS = {
    "lamindb": ("pytest", "_pytest", "pluggy", "iniconfig", "py.py"),
    "lamin_lab": (
        "pandera",
        "typeguard",
        "typing_inspect.py",
        "mypy_extensions.py",
        "pydantic",
        "pydantic_core",
        "typing_inspection",
    ),
}

# --- kernel (runs inside the backend's interpreter) ---------------------------------------


class CellTimeout(BaseException):
    """Raised in a cell that runs past its time (BaseException: cells do not catch it)."""


class ShellError(Exception):
    """A ``!command`` exited non-zero."""


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else "")[:240]


def kernel(spec_path: Path) -> int:
    """Run the cells of one guide in one namespace; write one JSON line per cell."""
    import ast
    import signal
    import traceback

    spec = json.loads(spec_path.read_text())
    backend, work, timeout = spec["backend"], Path(spec["work"]), spec["timeout"]
    out = open(spec["out"], "a", buffering=1)
    os.chdir(work)
    bindir = Path(spec["bindir"])
    os.environ["PATH"] = f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"

    def shell(command: str) -> None:
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=os.getcwd(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.stdout:
            print(done.stdout[-4000:], end="")
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()
            raise ShellError(
                f"exit {done.returncode}: {command.split()[0]} ... {tail[-1] if tail else ''}"[:240]
            )

    def display(*objects: Any, **_: Any) -> None:
        for obj in objects:
            repr(obj)

    # The cells' namespace is a real ``__main__`` module, as in a kernel (pydantic, pickle and
    # dataclasses look classes up through ``sys.modules[cls.__module__]``).
    import types

    # ``ln.track()`` needs a file: the guide runs as the script ``<name>.py`` (its cells
    # joined), which is how LaminDB's docs execute guides marked ``execute_via: python``.
    script = work / f"{spec['name']}.py"
    script.write_text("\n\n".join(spec["cells"]) + "\n")
    main_module = types.ModuleType("__main__")
    main_module.__file__ = str(script)
    sys.modules["__main__"] = main_module
    sys.argv = [str(script)]
    namespace = main_module.__dict__
    namespace.update(_bench_shell=shell, display=display)

    def on_alarm(signum: int, frame: Any) -> None:
        raise CellTimeout()

    signal.signal(signal.SIGALRM, on_alarm)

    def offline() -> None:
        module = sys.modules.get("lamindb")
        if backend == "lamindb" and module is not None:
            try:
                module.setup.settings.instance._is_on_hub = False
            except Exception:
                pass

    if spec["preinit"]:
        try:
            shell("lamin init --storage ./guide-data")
        except Exception as error:
            out.write(
                json.dumps({"preinit": f"{type(error).__name__}: {_first_line(error)}"}) + "\n"
            )

    for i, (code, reason) in enumerate(zip(spec["cells"], spec["reasons"], strict=True)):
        if reason is not None:
            out.write(json.dumps({"cell": i, "status": "skipped", "reason": reason}) + "\n")
            continue
        out.write(json.dumps({"start": i}) + "\n")
        started = time.perf_counter()
        record: dict[str, Any] = {"cell": i, "status": "ok"}
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            offline()
            tree = ast.parse(code or "pass", filename=str(script))
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, str(script), "exec"), namespace)
            if last is not None:
                value = eval(compile(last, str(script), "eval"), namespace)
                if value is not None:
                    repr(value)
        except CellTimeout:
            record.update(status="error", error=f"Timeout: cell ran past {timeout:g} s")
        except BaseException as error:  # noqa: BLE001 - a cell's failure is the measurement
            if isinstance(error, KeyboardInterrupt):
                raise
            record.update(status="error", error=f"{type(error).__name__}: {_first_line(error)}")
            traceback.print_exc()  # into kernel.log (kept with --keep)
            frames = traceback.extract_tb(error.__traceback__)
            where = next(
                (
                    f
                    for f in reversed(frames)
                    if "site-packages" in f.filename or f.filename.startswith(spec["package_root"])
                ),
                None,
            )
            if where is not None:
                record["where"] = f"{Path(where.filename).name}:{where.lineno} {where.name}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            offline()
        except BaseException:
            pass
        record["seconds"] = round(time.perf_counter() - started, 2)
        out.write(json.dumps(record) + "\n")
    out.write(json.dumps({"done": True}) + "\n")
    out.close()
    sys.stdout.flush()
    os._exit(0)  # do not wait for background threads of either backend


# --- driver -----------------------------------------------------------------------------


def _python(backend: str) -> Path:
    return LAMINDB_PYTHON if backend == "lamindb" else Path(sys.executable)


def _bindir(backend: str, tmp: Path) -> Path:
    """A folder put first on PATH: ``lamin`` and ``python`` of the backend."""
    bindir = tmp / "bin"
    bindir.mkdir(parents=True, exist_ok=True)
    python = _python(backend)
    if backend == "lamindb":
        lamin = f'exec "{python.with_name("lamin")}" "$@"\n'
    else:
        lamin = f'exec "{python}" -m lamin_lab.cli "$@"\n'
    for name, body in (("lamin", lamin), ("python", f'exec "{python}" "$@"\n')):
        script = bindir / name
        script.write_text("#!/bin/bash\n" + body)
        script.chmod(0o755)
    return bindir


def _site(python: Path) -> Path:
    return next((python.parent.parent / "lib").glob("python3*/site-packages"))


def _extras(backend: str, tmp: Path) -> Path:
    """A folder of links to the EXTRAS the backend's venv lacks, taken from the other venv."""
    folder = tmp / "extras"
    folder.mkdir(exist_ok=True)
    other = _python("lamin_lab" if backend == "lamindb" else "lamindb")
    own, theirs = _site(_python(backend)), _site(other)
    for name in EXTRAS[backend]:
        if not (own / name).exists() and (theirs / name).exists():
            (folder / name).symlink_to(theirs / name)
    if backend == "lamindb":
        (folder / "sitecustomize.py").write_text(_OFFLINE_LAMINDB)
    return folder


# Started in every lamindb process of a guide (kernel, `lamin`, `python script.py`): the
# hub question is answered "not on the hub" instead of asking the network, which is what
# ``ln.setup.settings.instance._is_on_hub = False`` does for one settings object.
_OFFLINE_LAMINDB = """\
try:
    from lamindb_setup.core._settings_instance import InstanceSettings

    InstanceSettings.is_on_hub = property(lambda self: bool(self._is_on_hub))
except Exception:
    pass
"""


def _env(backend: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAMIN", "PYTHONPATH"))}
    env.update(
        HOME=str(tmp / "home"),
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"),
        XDG_DATA_HOME=str(tmp / "xdg-data"),
        MPLBACKEND="Agg",
        PYTHONUNBUFFERED="1",
    )
    if backend == "lamindb":
        env.update(
            LAMIN_SETTINGS_DIR=str(tmp / "settings"),
            LAMIN_CACHE_DIR=str(tmp / "cache"),
            PYTHONPATH=str(_extras(backend, tmp)),
        )
    else:
        env.update(
            LAMIN_LAB_HOME=str(tmp / "lamin-lab-home"),
            LAMIN_LAB_CACHE_DIR=str(tmp / "cache"),
            PYTHONPATH=f"{ROOT}{os.pathsep}{_extras(backend, tmp)}",
        )
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    (tmp / "cache").mkdir(exist_ok=True)
    return env


def run_guide(
    name: str,
    cells: list[str],
    files: Path | None,
    backend: str,
    timeout: float,
    keep: bool = False,
    seed_lamindata: bool = True,
) -> dict[str, Any]:
    """Run one guide on one backend; per-cell records, in cell order."""
    seeded = seed_lamindata and reads_lamindata(cells)
    reasons = classify_cells(cells, seeded=seeded)
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-guides-{backend}-"))
    work = tmp / "work"
    work.mkdir()
    env = _env(backend, tmp)
    seed_line = None
    if seeded:  # a local laminlabs/lamindata under this run's settings (seed_lamindata.py)
        started = time.perf_counter()
        try:
            seed_line = seed(backend, _python(backend), tmp / "lamindata-seed", env)
        except Exception as error:  # noqa: BLE001 - reported, the guide still runs
            seed_line = f"seed failed: {_first_line(error)}"
        seed_line += f" ({time.perf_counter() - started:.1f} s)"
    if files is not None and files.is_dir():
        shutil.copytree(files, work, dirs_exist_ok=True)
        if backend == "lamin_lab":
            for script in work.rglob("*.py"):
                script.write_text(rewrite_imports(script.read_text()))
    out = tmp / "cells.jsonl"
    spec = {
        "name": name,
        "package_root": str(ROOT / "lamin_lab"),
        "backend": backend,
        "work": str(work),
        "timeout": timeout,
        "out": str(out),
        "bindir": str(_bindir(backend, tmp)),
        "preinit": needs_preinit(cells, reasons),
        "cells": [transform(cell, backend) for cell in cells],
        "reasons": reasons,
    }
    spec_path = tmp / "spec.json"
    spec_path.write_text(json.dumps(spec))
    log = (tmp / "kernel.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(_python(backend)), str(Path(__file__).resolve()), "--kernel", str(spec_path)],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Supervise: a cell that outlives the in-process alarm (stuck in C code) kills the kernel.
    last_start, last_seen = None, time.monotonic()
    while proc.poll() is None:
        time.sleep(0.5)
        lines = out.read_text().splitlines() if out.exists() else []
        if lines:
            tail = json.loads(lines[-1])
            if "start" in tail:
                if last_start != tail["start"]:
                    last_start, last_seen = tail["start"], time.monotonic()
                elif time.monotonic() - last_seen > timeout + 30:
                    proc.kill()
            else:
                last_start = None
        elif time.monotonic() - started > 300:
            proc.kill()
    log.close()
    records: dict[int, dict[str, Any]] = {}
    preinit = None
    for line in out.read_text().splitlines() if out.exists() else []:
        item = json.loads(line.replace(str(tmp), "<tmp>"))  # no machine paths in the results
        if "cell" in item:
            records[item["cell"]] = item
        elif "preinit" in item:
            preinit = item["preinit"]
        elif "start" in item:
            records[item["start"]] = {
                "cell": item["start"],
                "status": "error",
                "error": "KernelDied: the process ended inside this cell",
            }
    result = []
    for i, reason in enumerate(reasons):
        if i in records:
            result.append(records[i])
        elif reason is not None:
            result.append({"cell": i, "status": "skipped", "reason": reason})
        else:
            result.append(
                {"cell": i, "status": "error", "error": "NotRun: the kernel ended before this cell"}
            )
    kernel_log = (tmp / "kernel.log").read_text()[-3000:]
    if keep:
        print(f"kept {tmp}", flush=True)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "cells": result,
        "preinit_error": preinit,
        "seconds": round(time.perf_counter() - started, 1),
        "log_tail": kernel_log if not records else None,
        "seed": seed_line,
    }


def summarise(name: str, runs: dict[str, dict[str, Any]], n_cells: int) -> dict[str, Any]:
    """Counts per guide and the cells that pass on lamindb but fail on lamin_lab."""
    skipped = sum(1 for r in next(iter(runs.values()))["cells"] if r["status"] == "skipped")
    entry: dict[str, Any] = {"cells": n_cells, "skipped": skipped, "run": n_cells - skipped}
    for backend, run in runs.items():
        entry[f"ok_{backend}"] = sum(1 for r in run["cells"] if r["status"] == "ok")
        entry[f"{backend}_cells"] = [
            {k: v for k, v in r.items() if k in ("cell", "status", "error", "reason", "where")}
            for r in run["cells"]
        ]
        if run.get("preinit_error"):
            entry[f"{backend}_preinit_error"] = run["preinit_error"]
        if run.get("seed"):
            entry[f"{backend}_seed"] = run["seed"]
    if len(runs) == 2:
        # a backend whose kernel died reports fewer cells: compare the cells both ran
        ld, ll = runs["lamindb"]["cells"], runs["lamin_lab"]["cells"]
        entry["ok_on_lamindb_failing_on_lamin_lab"] = [
            {
                "cell": a["cell"],
                "error": b.get("error", ""),
                **({"where": b["where"]} if "where" in b else {}),
            }
            for a, b in zip(ld, ll, strict=False)
            if a["status"] == "ok" and b["status"] != "ok"
        ]
        entry["ok_on_both"] = sum(
            1 for a, b in zip(ld, ll, strict=False) if a["status"] == "ok" and b["status"] == "ok"
        )
        entry["ok_on_lamin_lab_only"] = [
            b["cell"]
            for a, b in zip(ld, ll, strict=False)
            if a["status"] != "ok" and b["status"] == "ok"
        ]
    return entry


def _table(guides: dict[str, dict[str, Any]]) -> str:
    head = f"{'guide':<20} {'cells':>5} {'run':>4} {'lamindb ok':>10} {'lamin_lab ok':>12} {'both ok':>7} {'%':>6}"
    rows = [head, "-" * len(head)]
    tot = {"cells": 0, "run": 0, "ld": 0, "ll": 0, "both": 0}
    for name, g in guides.items():
        ld, ll, both = g.get("ok_lamindb", 0), g.get("ok_lamin_lab", 0), g.get("ok_on_both", 0)
        pct = f"{100 * both / ld:.0f}" if ld and "ok_on_both" in g else "-"
        rows.append(
            f"{name:<20} {g['cells']:>5} {g['run']:>4} {ld:>10} {ll:>12} {both:>7} {pct:>6}"
        )
        for key, value in (
            ("cells", g["cells"]),
            ("run", g["run"]),
            ("ld", ld),
            ("ll", ll),
            ("both", both),
        ):
            tot[key] += value
    rows.append("-" * len(head))
    pct = f"{100 * tot['both'] / tot['ld']:.0f}" if tot["ld"] else "-"
    rows.append(
        f"{'total':<20} {tot['cells']:>5} {tot['run']:>4} {tot['ld']:>10} {tot['ll']:>12} "
        f"{tot['both']:>7} {pct:>6}"
    )
    rows.append("% = cells ok on both / cells ok on lamindb (offline)")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guides", type=Path, default=Path("/tmp/guides"))
    parser.add_argument("--backend", choices=("lamindb", "lamin_lab", "both"), default="both")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--only", default="", help="comma-separated guide names")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument(
        "--extract", nargs="+", type=Path, help="MyST .md / .ipynb files to turn into cell lists"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folders (kernel.log)"
    )
    parser.add_argument(
        "--seed-lamindata",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run cells reading laminlabs/lamindata on a local seeded copy (seed_lamindata.py)",
    )
    parser.add_argument("--kernel", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.kernel:
        return kernel(args.kernel)
    if args.extract:
        args.guides.mkdir(parents=True, exist_ok=True)
        for path in args.extract:
            cells = extract_cells(path)
            (args.guides / f"{path.stem}.json").write_text(json.dumps(cells, indent=1))
            print(f"{path.stem}: {len(cells)} cells")
        return 0
    names = sorted(p.stem for p in args.guides.glob("*.json"))
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        names = [n for n in names if n in wanted]
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    guides: dict[str, dict[str, Any]] = dict(previous.get("guides", {}))
    for name in names:
        cells = json.loads((args.guides / f"{name}.json").read_text())
        files = args.guides / f"{name}.files"
        runs = {}
        for backend in backends:
            runs[backend] = run_guide(
                name, cells, files, backend, args.timeout, args.keep, args.seed_lamindata
            )
            ok = sum(1 for r in runs[backend]["cells"] if r["status"] == "ok")
            print(
                f"{name} [{backend}]: {ok}/{len(cells)} ok in {runs[backend]['seconds']} s",
                flush=True,
            )
            if runs[backend].get("seed"):
                print(f"  laminlabs/lamindata: {runs[backend]['seed']}", flush=True)
            if runs[backend].get("log_tail"):
                print(runs[backend]["log_tail"], flush=True)
        if len(runs) == 1 and name in guides:  # keep the other backend's cells from an earlier run
            other = "lamin_lab" if backends[0] == "lamindb" else "lamindb"
            if f"{other}_cells" in guides[name]:
                runs[other] = {"cells": guides[name][f"{other}_cells"]}
                runs = {b: runs[b] for b in BACKENDS}
        guides[name] = summarise(name, runs, len(cells))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(_result(guides, args.timeout), indent=1) + "\n")
    print(_table(guides))
    return 0


def _result(guides: dict[str, dict[str, Any]], timeout: float) -> dict[str, Any]:
    total = {
        key: sum(g.get(key, 0) for g in guides.values())
        for key in ("cells", "skipped", "run", "ok_lamindb", "ok_lamin_lab", "ok_on_both")
    }
    total["percent_of_lamindb_ok"] = (
        round(100 * total["ok_on_both"] / total["ok_lamindb"], 1) if total["ok_lamindb"] else None
    )
    return {
        "about": "LaminDB 2.12.1 documentation guides run cell by cell on lamindb (offline) and lamin_lab; "
        "see benchmarks/bench_guides.py for the source transform",
        "timeout_s": timeout,
        "total": total,
        "guides": dict(sorted(guides.items())),
    }


if __name__ == "__main__":
    sys.exit(main())

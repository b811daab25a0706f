"""Run many scenarios in one process of one backend; write one JSON line per scenario.

Executed as a script by the backend's interpreter (lamindb's venv or the project's)::

    python runner.py --backend lamindb --work DIR --scenarios DIR --ids IDS.json \
        --out OUT.jsonl [--timeout 60]

It imports the backend once, sets up one instance in ``DIR`` and snapshots its database
file, storage folder and settings. Before every scenario it restores that snapshot and
resets the backend's in-process state (tracked run/transform, settings), so each scenario
sees a fresh instance at the cost of a few file copies.

``OUT.jsonl`` gets ``{"ready": seconds}`` once set up, then per scenario
``{"start": id}`` and ``{"id": id, "obs": observation, "seconds": t}``. The supervisor
(:mod:`supervise`) reads ``start`` lines without a result to find a scenario that crashed
or hung the process, and restarts the runner on the rest.
Uses the standard library only (and the backend).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from normalise import Normaliser, raised  # noqa: E402


class ScenarioTimeout(BaseException):
    """Raised in a scenario that runs past its time (BaseException: not caught by scenarios)."""


class Context:
    """What a scenario gets besides ``ln``: ``ctx.tmp`` and ``ctx.df``."""

    def __init__(self, tmp: Path, normaliser: Normaliser) -> None:
        self.tmp = tmp
        self._normaliser = normaliser

    def df(self, df: Any) -> dict[str, Any]:
        """Columns, index name and values, dtypes (strings) and values of a DataFrame."""
        return self._normaliser.dataframe(df)


def _copy_tree(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True)


def _empty(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


class Backend:
    """One instance in ``work``, snapshotted once and restored before each scenario."""

    name = ""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.data = work / "data"
        self.pristine = work / "pristine"
        self.ln: Any = None

    def folders(self) -> list[Path]:
        """Folders whose content the snapshot covers (storage, settings, caches)."""
        return [self.data]

    def snapshot(self) -> None:
        self.close()
        for folder in self.folders():
            folder.mkdir(parents=True, exist_ok=True)
            _copy_tree(folder, self.pristine / folder.name)
        self.settings_snapshot = self.read_settings()
        self.reopen()

    def restore(self) -> None:
        self.close()
        for folder in self.folders():
            _copy_tree(self.pristine / folder.name, folder)
        self.reset_state()
        self.write_settings(self.settings_snapshot)
        self.reopen()

    # Backend-specific parts.
    def setup(self) -> None: ...
    def close(self) -> None: ...
    def reopen(self) -> None: ...
    def reset_state(self) -> None: ...
    def read_settings(self) -> dict[str, Any]:
        return {}

    def write_settings(self, values: dict[str, Any]) -> None: ...


_LAMINDB_SETTINGS = (
    "verbosity",
    "track_run_inputs",
    "creation.search_names",
    "creation.artifact_skip_size_hash",
    "creation.artifact_silence_missing_run_warning",
)


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _set(obj: Any, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, last, value)


class LaminDB(Backend):
    """lamindb 2.12.1: ``lamin init --storage``, Django connections closed around restores."""

    name = "lamindb"

    def folders(self) -> list[Path]:
        return [self.data, self.work / "settings", self.work / "cache"]

    def setup(self) -> None:
        os.environ["LAMIN_SETTINGS_DIR"] = str(self.work / "settings")
        os.environ["LAMIN_CACHE_DIR"] = str(self.work / "cache")
        lamin = Path(sys.executable).with_name("lamin")
        done = subprocess.run(
            [str(lamin), "init", "--storage", str(self.data)],
            cwd=self.work,
            capture_output=True,
            text=True,
            env=os.environ.copy(),
        )
        if done.returncode != 0:
            raise RuntimeError(f"lamin init failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        os.chdir(self.work)
        import lamindb as ln

        ln.setup.settings.instance._is_on_hub = False
        self.ln = ln
        self.storage_root = str(ln.settings.storage.root)

    def close(self) -> None:
        from django.db import connections

        connections.close_all()

    def reset_state(self) -> None:
        ln = self.ln
        ctx = ln.context
        try:
            type(ctx).__init__(ctx)
        except Exception:
            for attr in ("_run", "_transform", "_path"):
                if hasattr(ctx, attr):
                    setattr(ctx, attr, None)

    def read_settings(self) -> dict[str, Any]:
        values = {}
        for key in _LAMINDB_SETTINGS:
            try:
                values[key] = _get(self.ln.settings, key)
            except Exception:
                pass
        return values

    def write_settings(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            try:
                _set(self.ln.settings, key, value)
            except Exception:
                pass
        ln = self.ln
        try:
            if str(ln.settings.storage.root) != self.storage_root:
                ln.settings.storage = self.storage_root
        except Exception:
            pass

    def reopen(self) -> None:
        self.ln.setup.settings.instance._is_on_hub = False


class LaminLab(Backend):
    """lamin_lab: ``ln.setup.init`` once; disconnect, restore files, ``connect`` again."""

    name = "lamin_lab"

    def folders(self) -> list[Path]:
        return [self.data, self.work / "home", self.work / "cache"]

    def setup(self) -> None:
        os.environ["LAMIN_LAB_HOME"] = str(self.work / "home")
        os.environ["LAMIN_LAB_CACHE_DIR"] = str(self.work / "cache")
        (self.work / "cache").mkdir(parents=True, exist_ok=True)
        os.chdir(self.work)
        import lamin_lab as ln

        self.ln = ln
        ln.settings._user = None
        ln.setup.init(storage=self.data)
        self.instance_name = ln.settings.instance.name

    def close(self) -> None:
        self.ln.setup.disconnect()

    def reopen(self) -> None:
        self.ln.setup.connect(self.instance_name)

    def reset_state(self) -> None:
        ln = self.ln
        ln.settings._user = None
        ctx = ln.context
        type(ctx).__init__(ctx)
        try:
            from lamin_lab.orm.database import state

            state.run_id = None
            state.user_id = None
        except ImportError:
            pass

    _SKIP = ("_instance", "_user")

    def read_settings(self) -> dict[str, Any]:
        # Every plain attribute of ln.settings, and one level into nested settings objects
        # (e.g. ``settings.creation``), whatever other branches add.
        values: dict[str, Any] = {}
        for key, value in vars(self.ln.settings).items():
            if key in self._SKIP:
                continue
            nested = (
                dict(vars(value))
                if hasattr(value, "__dict__") and not isinstance(value, type)
                else None
            )
            values[key] = (value, nested)
        return values

    def write_settings(self, values: dict[str, Any]) -> None:
        settings = self.ln.settings
        for key, (value, nested) in values.items():
            settings.__dict__[key] = value
            if nested is not None:
                value.__dict__.clear()
                value.__dict__.update(nested)
        try:
            settings.verbosity = values["_verbosity"][0]  # re-applies the logger level
        except Exception:
            pass


BACKENDS = {"lamindb": LaminDB, "lamin_lab": LaminLab}


def load_scenarios(folder: Path, ids: list[str]) -> dict[str, Any]:
    """``{"module::name": function}`` for ``ids`` (``name`` without ``scenario_``)."""
    modules: dict[str, Any] = {}
    found: dict[str, Any] = {}
    for sid in ids:
        stem, name = sid.split("::", 1)
        if stem not in modules:
            path = folder / f"{stem}.py"
            spec = importlib.util.spec_from_file_location(f"compat_scenarios_{stem}", path)
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
            except Exception as error:
                module = error
            modules[stem] = module
        module = modules[stem]
        found[sid] = (
            module if isinstance(module, Exception) else getattr(module, f"scenario_{name}", None)
        )
    return found


def _on_alarm(signum: int, frame: Any) -> None:
    raise ScenarioTimeout()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=sorted(BACKENDS), required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--scenarios", type=Path, required=True)
    parser.add_argument("--ids", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args(argv)
    ids = json.loads(args.ids.read_text())
    out = args.out.open("a", buffering=1)

    def emit(record: dict[str, Any]) -> None:
        out.write(json.dumps(record) + "\n")
        out.flush()

    t0 = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    backend = BACKENDS[args.backend](args.work.resolve())
    backend.setup()
    backend.snapshot()
    scenarios = load_scenarios(args.scenarios.resolve(), ids)
    emit({"ready": round(time.perf_counter() - t0, 3)})
    signal.signal(signal.SIGALRM, _on_alarm)
    tmp_root = backend.work / "tmp"
    for i, sid in enumerate(ids):
        emit({"start": sid})
        started = time.perf_counter()
        tmp = tmp_root / str(i)
        normaliser = Normaliser(
            {
                str(tmp): "<tmp>",
                str(backend.data): "<storage>",
                str(backend.work): "<work>",
                str(Path.home()): "<home>",
            }
        )
        try:
            backend.restore()
            _empty(tmp)
            os.chdir(tmp)
        except BaseException as error:
            emit(
                {
                    "id": sid,
                    "obs": {"harness": f"restore failed: {type(error).__name__}: {error}"},
                    "seconds": 0,
                }
            )
            continue
        func = scenarios.get(sid)
        signal.setitimer(signal.ITIMER_REAL, args.timeout)
        try:
            if func is None:
                obs: Any = {"harness": "scenario not found"}
            elif isinstance(func, Exception):
                obs = {"harness": f"module failed to import: {type(func).__name__}: {func}"}
            else:
                obs = normaliser.value(func(backend.ln, Context(tmp, normaliser)))
        except ScenarioTimeout:
            obs = {"harness": f"timeout after {args.timeout:g} s"}
        except Exception as error:
            obs = raised(error)
            # The traceback goes to the log (stderr) for whoever debugs a difference.
            print(f"--- {sid} raised:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        os.chdir(backend.work)
        emit({"id": sid, "obs": obs, "seconds": round(time.perf_counter() - started, 4)})
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

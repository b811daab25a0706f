"""Run benchmark snippets against LaminDB itself, in a venv of its own.

lamin_lab's benchmarks compare with LaminDB side by side. LaminDB must not be installed
into the project's venv (it would shadow nothing but pulls Django and friends), so this
module keeps a separate one at ``<repo>/.benchmarks-venv`` (gitignored), made on demand:

1. ``python -m venv .benchmarks-venv``
2. ``pip install torch==2.13.0`` (first, exactly this pin: it comes from a local CPU wheel)
3. ``pip install lamindb==2.12.1``

:func:`run_in_lamindb` runs a snippet there in a subprocess and returns the dict the
snippet leaves in the variable ``result``. Every run gets a fresh temporary LaminDB
home (``LAMIN_SETTINGS_DIR``, ``LAMIN_CACHE_DIR``, XDG dirs), so nothing leaks into the
user's settings. ``MappedCollection`` needs no instance (``from lamindb.core import
MappedCollection`` works on plain paths); pass ``init_instance=True`` for snippets that
do need one: the harness then runs ``lamin init --storage <tmp>/storage`` first.

Examples
--------
>>> from benchmarks.lamindb_env import run_in_lamindb
>>> run_in_lamindb("import lamindb; result = {'ok': 1}")  # doctest: +SKIP
{'ok': 1}

From the command line, ``python benchmarks/lamindb_env.py`` builds the venv and prints
the installed versions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".benchmarks-venv"
TORCH_PIN = "torch==2.13.0"
LAMINDB_PIN = "lamindb==2.12.1"
_READY = VENV / ".ready-lamindb-2.12.1"
_MARK = "@@LAMINDB-RESULT@@"


class LaminDBEnvError(RuntimeError):
    """The LaminDB venv could not be built, or a snippet failed in it."""


def venv_python() -> Path:
    """Path of the Python interpreter inside the benchmark venv."""
    return VENV / "bin" / "python"


def _base_python() -> str:
    # A venv made from inside another venv should still start from the real interpreter.
    return getattr(sys, "_base_executable", None) or sys.executable


def ensure_venv(verbose: bool = True) -> Path:
    """Create the LaminDB venv unless it is ready; return its Python.

    Examples
    --------
    >>> ensure_venv()  # doctest: +SKIP
    PosixPath('/work/main/.benchmarks-venv/bin/python')
    """
    if _READY.exists() and venv_python().exists():
        return venv_python()
    steps = [
        [_base_python(), "-m", "venv", str(VENV)],
        [str(venv_python()), "-m", "pip", "install", "-q", TORCH_PIN],
        [str(venv_python()), "-m", "pip", "install", "-q", LAMINDB_PIN],
    ]
    for step in steps:
        if step[1:3] == ["-m", "venv"] and venv_python().exists():
            continue
        if verbose:
            print("lamindb_env:", " ".join(step), file=sys.stderr)
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            raise LaminDBEnvError(
                f"{' '.join(step)} failed ({done.returncode}):\n{done.stderr[-3000:]}\n"
                f"Fix the cause, or delete {VENV} and run again."
            )
    _READY.write_text(f"{TORCH_PIN}\n{LAMINDB_PIN}\n")
    return venv_python()


def lamindb_python() -> Path:
    """The lamindb interpreter: ``$LAMIN_LAB_LAMINDB_PYTHON`` when set, else :func:`ensure_venv`.

    Examples
    --------
    >>> lamindb_python()  # doctest: +SKIP
    PosixPath('/work/main/.venv-lamindb/bin/python')
    """
    python = os.environ.get("LAMIN_LAB_LAMINDB_PYTHON")
    return Path(python) if python else ensure_venv()


def isolated_env(home: Path) -> dict[str, str]:
    """Environment variables that keep LaminDB's settings and caches inside ``home``."""
    env = dict(os.environ)
    for key in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
        env.pop(key, None)
    env.update(
        LAMIN_SETTINGS_DIR=str(home),
        LAMIN_CACHE_DIR=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        XDG_CACHE_HOME=str(home / "xdg-cache"),
        XDG_DATA_HOME=str(home / "xdg-data"),
        PYTHONWARNINGS="ignore",
    )
    return env


def _wrap(code: str) -> str:
    # The snippet fills ``result``; its JSON comes back on one marked line of stdout.
    return (
        "import json as __json\n"
        "result = {}\n"
        + textwrap.dedent(code)
        + f"\nprint({_MARK!r} + __json.dumps(result), flush=True)\n"
    )


def run_snippet(
    code: str,
    python: str | Path | None = None,
    timeout: float = 1800,
    init_instance: bool = False,
    extra_env: dict[str, str] | None = None,
    db: str | None = None,
    cwd: str | None = None,
) -> dict:
    """Run ``code`` with ``python`` in a fresh process and LaminDB home; return ``result``.

    The same wrapper serves both sides of a comparison: pass the project's interpreter
    (the default, ``sys.executable``) for lamin_lab, or use :func:`run_in_lamindb`.

    Parameters
    ----------
    code
        Python source; it must leave JSON-serialisable values in a dict named ``result``.
    python
        Interpreter to run it with.
    timeout
        Seconds before the subprocess is killed.
    init_instance
        Run ``lamin init --storage <tmp>`` first (only with the LaminDB venv).
    extra_env
        More environment variables for the snippet (e.g. paths of data files).
    db
        With ``init_instance``: the database URL for ``lamin init --db`` (e.g. PostgreSQL).
    cwd
        Working directory of the snippet (default: the fresh home). lamindb keeps the
        current instance in ``<cwd>/.lamin``: run where the instance was made.

    Examples
    --------
    >>> run_snippet("import numpy; result['n'] = 1")  # doctest: +SKIP
    {'n': 1}
    """
    python = str(python or sys.executable)
    with tempfile.TemporaryDirectory(prefix="lamindb-home-") as tmp:
        home = Path(tmp)
        env = isolated_env(home)
        env.update(extra_env or {})
        if init_instance:
            init = subprocess.run(
                [str(Path(python).parent / "lamin"), "init", "--storage", str(home / "storage")]
                + (["--db", db] if db else []),
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                cwd=tmp,
            )
            if init.returncode != 0:
                raise LaminDBEnvError(f"lamin init failed:\n{init.stderr[-3000:]}")
        script = home / "snippet.py"
        script.write_text(_wrap(code))
        try:
            done = subprocess.run(
                [python, str(script)],
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=cwd or tmp,
            )
        except subprocess.TimeoutExpired as error:
            raise LaminDBEnvError(f"the snippet ran past {timeout} s") from error
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(_MARK):
            return json.loads(line[len(_MARK) :])
    raise LaminDBEnvError(f"the snippet failed ({done.returncode}):\n{done.stderr[-4000:]}")


def run_in_lamindb(
    code: str,
    timeout: float = 1800,
    init_instance: bool = False,
    extra_env: dict[str, str] | None = None,
    db: str | None = None,
) -> dict:
    """Run ``code`` with lamindb 2.12.1 in the benchmark venv; return its ``result`` dict.

    Builds the venv on first use (:func:`ensure_venv`); see :func:`run_snippet` for the
    parameters.

    Examples
    --------
    >>> run_in_lamindb("import lamindb; result['version'] = lamindb.__version__")  # doctest: +SKIP
    {'version': '2.12.1'}
    """
    return run_snippet(
        code,
        python=lamindb_python(),
        timeout=timeout,
        init_instance=init_instance,
        extra_env=extra_env,
        db=db,
    )


def run_in_lamin_lab(code: str, params: dict | None = None, db: str | None = None) -> dict:
    """Run ``code`` in this process against a fresh lamin_lab instance; return its ``result`` dict.

    The snippet sees ``ln`` (lamin_lab), ``result`` and the names in ``params``; ``db`` is
    the instance's database URL (default: SQLite in the temporary folder).

    Examples
    --------
    >>> run_in_lamin_lab("result['n'] = ln.ULabel.filter().count()")  # doctest: +SKIP
    {'n': 0}
    """
    import lamin_lab as ln

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LAMIN_LAB_HOME"] = f"{tmp}/home"
        ln.settings._user = None
        ln.setup.init(storage=f"{tmp}/data", db=db)
        ln.settings.verbosity = "warning"
        result: dict = {}
        exec(code, {"ln": ln, "result": result, **(params or {})})
        ln.setup.disconnect()
    return result


def run_in_lamindb_with(
    code: str, params: dict | None = None, timeout: float = 3600, db: str | None = None
) -> dict:
    """Run ``code`` in a fresh lamindb instance with ``params`` defined first; return its ``result``.

    The hub lookup is switched off: this machine is offline.

    Examples
    --------
    >>> run_in_lamindb_with("result['n'] = N", {"N": 3})  # doctest: +SKIP
    {'n': 3}
    """
    header = "".join(f"{k} = {v!r}\n" for k, v in (params or {}).items())
    prelude = "import lamindb as ln\nln.settings.verbosity = 'warning'\nln.setup.settings.instance._is_on_hub = False\n"
    return run_in_lamindb(prelude + header + code, init_instance=True, timeout=timeout, db=db)


if __name__ == "__main__":
    print(
        run_in_lamindb(
            "import lamindb, torch\n"
            "result.update(lamindb=lamindb.__version__, torch=torch.__version__)"
        )
    )

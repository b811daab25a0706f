"""``demo``: the demo catalog in the default instance, then JupyterLab on a copy of ``notebooks/``.

The notebooks are copied to a fresh folder first, so whatever JupyterLab or the kernel
writes (outputs, checkpoints, files the notebook saves) never touches the tracked files.

Examples
--------
$ lamin-lab demo --headless
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .. import setup
from ..errors import InvalidArgument, MissingDependency
from ..models import Artifact, Collection, ULabel
from ..settings import home_dir, settings
from ._common import add_verb, say
from .demo import build_demo_catalog

NOTEBOOK = "workbench.ipynb"
# JupyterLab settings of the demo: no news toast, no update check (they cover the page).
NOTIFICATION_SETTINGS = {"fetchNews": "false", "checkForUpdates": False}


def notebooks_dir() -> Path:
    """The repository's ``notebooks/`` folder (the demo runs on a copy of it)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


def copy_notebooks(source: Path) -> Path:
    """Copy ``source`` (the notebooks folder) to a new temporary folder and return the copy.

    Examples
    --------
    >>> src = Path(tempfile.mkdtemp()); _ = (src / "a.ipynb").write_text("{}")
    >>> copy = copy_notebooks(src)
    >>> (copy / "a.ipynb").read_text()
    '{}'
    >>> shutil.rmtree(src); shutil.rmtree(copy)
    """
    workdir = Path(tempfile.mkdtemp(prefix="lamin_lab_demo_"))
    shutil.copytree(
        source,
        workdir,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )
    return workdir


def _demo(args: argparse.Namespace) -> int:
    # The embedded default instance; init makes it current, so the notebook's kernel finds it.
    setup.init(storage=home_dir() / "default-storage", name="default")
    instance = settings.instance
    records = build_demo_catalog()
    print(
        f"demo catalog ready in instance {instance.name!r} (storage {instance.storage_root}, "
        f"settings in {home_dir()}); it is now the current instance"
    )
    print(
        f"  {Artifact.filter().count()} artifacts, {Collection.filter().count()} collections, "
        f"{ULabel.filter().count()} labels; e.g. {records['collection'].key!r}"
    )
    source = notebooks_dir()
    if not (source / args.notebook).exists():
        raise InvalidArgument(
            f"{source / args.notebook} not found: run this from a clone of the lamin_lab repository"
        )
    workdir = copy_notebooks(source)
    if args.headless:
        return _execute(workdir / args.notebook)
    return _open_lab(workdir / args.notebook, args.port)


def _execute(notebook: Path) -> int:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        store_widget_state=True,
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    client.execute()
    nbformat.write(nb, notebook)
    n_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"executed {notebook.name}: {n_cells} code cells, no errors (executed copy: {notebook})")
    return 0


def lab_command(notebook: Path, port: int | None, settings_dir: Path) -> list[str]:
    """The JupyterLab command line of the demo: root at the copy, no news, no update check.

    Examples
    --------
    >>> "--LabApp.news_url=None" in lab_command(Path("/tmp/n/w.ipynb"), None, Path("/tmp/s"))
    True
    """
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or shutil.which(
        "jupyter"
    )
    if jupyter is None:
        raise MissingDependency("JupyterLab is not installed: pip install jupyterlab")
    cmd = [
        jupyter,
        "lab",
        str(notebook),
        f"--ServerApp.root_dir={notebook.parent}",
        f"--LabApp.user_settings_dir={settings_dir}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if port:
        cmd.append(f"--port={port}")
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def _open_lab(notebook: Path, port: int | None) -> int:
    settings_dir = notebook.parent / ".jupyterlab-settings"
    target = (
        settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(NOTIFICATION_SETTINGS))
    cmd = lab_command(notebook, port, settings_dir)
    say("starting JupyterLab: " + " ".join(cmd))
    return subprocess.call(cmd)


def register(sub: Any) -> None:
    """Add ``demo`` to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(
        sub,
        "demo",
        "build the demo catalog in the default instance and open JupyterLab",
        "lamin-lab demo\nlamin-lab demo --headless",
        _demo,
    )
    p.add_argument(
        "--headless", action="store_true", help="execute the notebook instead of opening JupyterLab"
    )
    p.add_argument(
        "--notebook",
        default=NOTEBOOK,
        help="notebook under notebooks/ to open (default: %(default)s)",
    )
    p.add_argument("--port", type=int, default=None, help="JupyterLab port")

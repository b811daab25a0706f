"""The ``lamin-lab`` command: ``lamin-lab demo`` builds the demo catalog and opens JupyterLab.

Examples
--------
$ lamin-lab demo              # demo catalog in the default instance, then JupyterLab on the workbench
$ lamin-lab demo --headless   # execute the workbench notebook instead and report
$ lamin-lab info              # where the current instance lives
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .. import setup
from ..models import Artifact, Collection, ULabel
from ..settings import home_dir, settings
from .demo import build_demo_catalog

NOTEBOOK = "workbench.ipynb"


def _notebooks_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "notebooks"


def _demo(args: argparse.Namespace) -> int:
    # The embedded default instance; init makes it current, so the notebook's kernel finds it.
    setup.init(storage=home_dir() / "default-storage", name="default")
    instance = settings.instance
    records = build_demo_catalog()
    print(f"demo catalog ready in instance {instance.name!r} (storage {instance.storage_root})")
    print(f"  {Artifact.filter().count()} artifacts, {Collection.filter().count()} collections, "
          f"{ULabel.filter().count()} labels; e.g. {records['collection'].key!r}")
    notebook = _notebooks_dir() / args.notebook
    if not notebook.exists():
        print(f"error: {notebook} not found: run this from a clone of the lamin_lab repository", file=sys.stderr)
        return 2
    if args.headless:
        return _execute(notebook)
    return _open_lab(notebook, args.port)


def _execute(notebook: Path) -> int:
    import tempfile

    import nbformat
    from nbclient import NotebookClient

    # Run in a copy of the notebooks folder: whatever the notebook writes stays out of the repo.
    workdir = Path(tempfile.mkdtemp(prefix="lamin_lab_demo_"))
    shutil.copytree(notebook.parent, workdir, dirs_exist_ok=True)
    copy = workdir / notebook.name
    nb = nbformat.read(copy, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, store_widget_state=True,
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    nbformat.write(nb, copy)
    n_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"executed {notebook.name}: {n_cells} code cells, no errors (executed copy: {copy})")
    return 0


def _open_lab(notebook: Path, port: int | None) -> int:
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or shutil.which("jupyter")
    if jupyter is None:
        print("error: JupyterLab is not installed: pip install jupyterlab", file=sys.stderr)
        return 2
    cmd = [jupyter, "lab", str(notebook), f"--ServerApp.root_dir={notebook.parent}"]
    if port:
        cmd.append(f"--port={port}")
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    print("starting JupyterLab:", " ".join(cmd))
    return subprocess.call(cmd)


def _info(args: argparse.Namespace) -> int:
    inst = settings.instance
    print(f"instance: {inst.name}\ndatabase: {inst.db}\nstorage:  {inst.storage_root}\nhome:     {home_dir()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lamin-lab`` command.

    Examples
    --------
    >>> main(["info"])  # doctest: +SKIP
    """
    parser = argparse.ArgumentParser(prog="lamin-lab", description="lamin_lab: a notebook-first data catalog")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="build the demo catalog in the default instance and open JupyterLab")
    demo.add_argument("--headless", action="store_true", help="execute the notebook instead of opening JupyterLab")
    demo.add_argument("--notebook", default=NOTEBOOK, help="notebook under notebooks/ to open (default: %(default)s)")
    demo.add_argument("--port", type=int, default=None, help="JupyterLab port")
    demo.set_defaults(func=_demo)
    info = sub.add_parser("info", help="show the current instance")
    info.set_defaults(func=_info)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())

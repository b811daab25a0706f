"""Execute every ``notebooks/*.ipynb`` top to bottom, as a reader would.

Each notebook runs in a temp copy of the notebooks folder (cwd = the copy, so
relative paths and data files next to it work), on the ``python3`` kernel of
this venv, with a fresh ``LAMIN_LAB_HOME``. A failing cell fails the test with
its source and traceback. New notebooks are picked up without touching this
file; with none, this module contributes no tests.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) if NOTEBOOKS_DIR.is_dir() else []
CELL_TIMEOUT = 600
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def kernel_env(workdir: Path, notebook: Path) -> dict[str, str]:
    """Environment for the kernel: a fresh home, and the notebook it runs.

    ``LAMIN_LAB_NOTEBOOK_PATH`` tells ``ln.track()`` which notebook this is
    (nbclient leaves no other trace of it in the kernel).
    """
    env = dict(os.environ)
    env.update(
        LAMIN_LAB_HOME=str(workdir / "lamin_lab_home"),
        LAMIN_LAB_NOTEBOOK_PATH=str(notebook),
        IPYTHONDIR=str(workdir / "ipython"),
        JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
        PYTHONUNBUFFERED="1",
    )
    return env


def failure_report(notebook, name: str) -> str:
    """Source and traceback of the first cell whose output is an error."""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                traceback = _ANSI.sub("", "\n".join(output.get("traceback", [])))
                return (
                    f"{name}: cell {index} failed\n"
                    f"--- cell source ---\n{cell.source}\n"
                    f"--- traceback ---\n{traceback}"
                )
    return ""


def execute_notebook(source: Path, workdir: Path):
    """Run a copy of ``source``'s folder's notebook in ``workdir``; return the notebook.

    Raises ``nbclient.exceptions.CellExecutionError`` (and others) as nbclient does.
    """
    import nbformat
    from nbclient import NotebookClient

    copy_dir = workdir / "notebooks"
    shutil.copytree(
        source.parent, copy_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    path = copy_dir / source.name
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        store_widget_state=True,
        resources={"metadata": {"path": str(copy_dir)}},
    )
    try:
        client.execute(env=kernel_env(workdir, path), cwd=str(copy_dir))
    finally:
        # Keep the executed copy for a look after a failure.
        nbformat.write(notebook, workdir / f"executed-{source.name}")
    return notebook


if NOTEBOOKS:

    @pytest.mark.notebook
    @pytest.mark.timeout(3600)
    @pytest.mark.parametrize("source", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
    def test_notebook_runs_top_to_bottom(source, tmp_path):
        from nbclient.exceptions import CellExecutionError

        try:
            notebook = execute_notebook(source, tmp_path)
        except CellExecutionError as error:
            import nbformat

            executed = nbformat.read(tmp_path / f"executed-{source.name}", as_version=4)
            report = failure_report(executed, source.name) or _ANSI.sub("", str(error))
            pytest.fail(report, pytrace=False)
        executed_cells = [c for c in notebook.cells if c.cell_type == "code"]
        assert all(c.get("execution_count") for c in executed_cells if c.source.strip())


@pytest.mark.notebook
def test_python3_kernel_is_this_venv(tmp_path):
    """The harness's own check: "python3" resolves to the interpreter running the tests."""
    import nbformat

    folder = tmp_path / "src"
    folder.mkdir()
    probe = folder / "probe.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import os, sys, lamin_lab\n"
            "print(sys.prefix)\n"
            "print(os.getcwd())\n"
            "print(os.environ['LAMIN_LAB_HOME'])"
        )
    ]
    nbformat.write(notebook, probe)
    executed = execute_notebook(probe, tmp_path / "run")
    lines = executed.cells[0].outputs[0]["text"].splitlines()
    run = tmp_path / "run"
    assert lines == [sys.prefix, str(run / "notebooks"), str(run / "lamin_lab_home")]


def test_failure_report_shows_cell_source_and_plain_traceback():
    import nbformat

    notebook = nbformat.v4.new_notebook()
    failing = nbformat.v4.new_code_cell("1 / 0")
    failing.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="ZeroDivisionError",
            evalue="division by zero",
            traceback=["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"],
        )
    ]
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), failing]
    report = failure_report(notebook, "demo.ipynb")
    assert report == (
        "demo.ipynb: cell 1 failed\n"
        "--- cell source ---\n1 / 0\n"
        "--- traceback ---\nZeroDivisionError: division by zero"
    )

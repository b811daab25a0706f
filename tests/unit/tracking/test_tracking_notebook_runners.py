"""Real headless runs: a notebook cell calls detect_running() and prints the result.

Each runner is started from a working directory other than the notebook's, so a
result that is right cannot come from the working directory by accident.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import nbclient
import nbformat
import pytest
from tracking_helpers import DETECT_CELL, VENV_BIN, result_of, stdout_of_notebook

pytestmark = pytest.mark.notebook


@pytest.fixture
def project(tmp_path, write_notebook) -> tuple[Path, Path]:
    """A notebook in ``analyses/`` and a separate folder to run from."""
    notebook = write_notebook(
        tmp_path / "analyses" / "detect_me.ipynb",
        [("markdown", "# Detect"), ("code", DETECT_CELL)],
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return notebook, elsewhere


def _cli(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def _run_in_nbclient(notebook: Path, **execute_kwargs) -> dict:
    nb = nbformat.read(notebook, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="python3")
    client.execute(**execute_kwargs)
    return result_of("".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])))


def test_nbconvert_execute(project, clean_env):
    notebook, elsewhere = project
    out = elsewhere / "executed.ipynb"
    args = [str(VENV_BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute"]
    _cli([*args, str(notebook.relative_to(notebook.parents[1]).as_posix()), "--output", str(out)],
         notebook.parents[1], clean_env)  # fmt: skip
    found = result_of(stdout_of_notebook(out))
    assert found == {"path": str(notebook.resolve()), "kind": "notebook", "how": "nbconvert"}


def test_papermill_finds_the_input_not_the_output(project, clean_env):
    notebook, elsewhere = project
    out = elsewhere / "output.ipynb"
    args = [str(VENV_BIN / "papermill"), str(notebook), str(out), "-p", "alpha", "1", "--cwd", "."]
    _cli(args, elsewhere, clean_env)
    found = result_of(stdout_of_notebook(out))
    assert found == {"path": str(notebook.resolve()), "kind": "notebook", "how": "papermill"}


def test_jupyter_execute(project, clean_env):
    notebook, elsewhere = project
    out = elsewhere / "run.ipynb"
    args = [str(VENV_BIN / "jupyter"), "execute", str(notebook), f"--output={out}"]
    _cli(args, elsewhere, clean_env)
    found = result_of(stdout_of_notebook(out))
    assert found == {"path": str(notebook.resolve()), "kind": "notebook", "how": "jupyter-execute"}


def test_nbclient_with_env_var_in_kernel_environment(project, clean_env):
    notebook, _ = project
    env = {**clean_env, "LAMIN_LAB_NOTEBOOK_PATH": str(notebook)}
    found = _run_in_nbclient(notebook, env=env, cwd=str(notebook.parent))
    assert found == {"path": str(notebook.resolve()), "kind": "notebook", "how": "env"}


def test_nbclient_without_env_var_explains_what_to_do(project, clean_env):
    notebook, _ = project
    found = _run_in_nbclient(notebook, env=clean_env, cwd=str(notebook.parent))
    assert found["error"] == "NotebookNotFound"
    assert "ln.track(path='my_analysis.ipynb')" in found["message"]
    assert "LAMIN_LAB_NOTEBOOK_PATH" in found["message"]


def test_vscode_variable(tmp_path, clean_env, write_notebook):
    notebook = write_notebook(
        tmp_path / "vs.ipynb",
        [("code", f"__vsc_ipynb_file__ = {str(tmp_path / 'vs.ipynb')!r}"), ("code", DETECT_CELL)],
    )
    found = _run_in_nbclient(notebook, env=clean_env)
    assert found == {"path": str(notebook.resolve()), "kind": "notebook", "how": "vscode"}


def test_untitled_notebook_under_nbconvert_says_to_rename(tmp_path, clean_env, write_notebook):
    notebook = write_notebook(tmp_path / "Untitled.ipynb", [("code", DETECT_CELL)])
    out = tmp_path / "done.ipynb"
    _cli([str(VENV_BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", str(notebook),
          "--output", str(out)], tmp_path, clean_env)  # fmt: skip
    found = result_of(stdout_of_notebook(out))
    assert found["error"] == "NotebookNotFound"
    assert "Rename it" in found["message"]


def test_kernel_environment_is_not_the_test_environment(clean_env):
    # guards the tests above: the detection variables are not leaking into kernels
    assert not {"LAMIN_LAB_NOTEBOOK_PATH", "JPY_SESSION_NAME"} & set(clean_env)
    assert "LAMIN_LAB_NOTEBOOK_PATH" not in os.environ


def test_inherited_session_variable_is_ignored_in_nbclient_kernel(project, clean_env):
    # nbclient started from inside a notebook: the variable names the calling notebook
    notebook, _ = project
    caller = notebook.parent / "caller.ipynb"
    caller.write_text(notebook.read_text())
    env = {**clean_env, "JPY_SESSION_NAME": str(caller)}
    found = _run_in_nbclient(notebook, env=env, cwd=str(notebook.parent))
    assert found["error"] == "NotebookNotFound"

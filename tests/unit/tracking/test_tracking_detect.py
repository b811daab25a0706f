"""Detection of scripts, explicit paths, the env var, and runner command lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tracking_helpers import result_of

from lamin_lab.errors import NotebookNotFound
from lamin_lab.tracking.detect import RunningFile, detect_running
from lamin_lab.tracking.runners import notebooks_from_runner, runner_of
from lamin_lab.tracking.servers import kernel_id_from_connection_file

SCRIPT_BODY = """\
import json
from lamin_lab.tracking.detect import detect_running
try:
    found = detect_running()
    print("RESULT " + json.dumps({"path": str(found.path), "kind": found.kind, "how": found.how}))
except Exception as error:
    print("RESULT " + json.dumps({"error": type(error).__name__, "message": str(error)}))
"""


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> dict:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return result_of(done.stdout)


def test_script_detects_itself(tmp_path, clean_env):
    script = tmp_path / "pipeline" / "step.py"
    script.parent.mkdir()
    script.write_text(SCRIPT_BODY)
    found = _run([sys.executable, "pipeline/step.py"], tmp_path, clean_env)
    assert found == {"path": str(script.resolve()), "kind": "script", "how": "script"}


def test_python_c_says_to_pass_path(tmp_path, clean_env):
    found = _run([sys.executable, "-c", SCRIPT_BODY], tmp_path, clean_env)
    assert found["error"] == "NotebookNotFound"
    assert "ln.track(path='my_script.py')" in found["message"]
    assert "Run a script file" in found["message"]


def test_script_wins_over_inherited_env_var(tmp_path, clean_env, write_notebook):
    notebook = write_notebook(tmp_path / "nb.ipynb", [("code", "1")])
    script = tmp_path / "s.py"
    script.write_text(SCRIPT_BODY)
    env = {**clean_env, "LAMIN_LAB_NOTEBOOK_PATH": str(notebook)}
    found = _run([sys.executable, str(script)], tmp_path, env)
    assert found == {"path": str(script.resolve()), "kind": "script", "how": "script"}


def test_env_var_when_nothing_is_detected(tmp_path, clean_env, write_notebook):
    notebook = write_notebook(tmp_path / "nb.ipynb", [("code", "1")])
    env = {**clean_env, "LAMIN_LAB_NOTEBOOK_PATH": str(notebook)}
    found = _run([sys.executable, "-c", SCRIPT_BODY], tmp_path, env)
    assert found == {"path": str(notebook.resolve()), "kind": "notebook", "how": "env"}


def test_explicit_path_wins(tmp_path, clean_env, monkeypatch):
    script = tmp_path / "s.py"
    script.write_text("")
    monkeypatch.setenv("LAMIN_LAB_NOTEBOOK_PATH", str(tmp_path / "other.ipynb"))
    assert detect_running(path=script) == RunningFile(script.resolve(), "script", "path")


def test_missing_path_says_to_save(tmp_path):
    with pytest.raises(NotebookNotFound, match="does not exist. Save it first"):
        detect_running(path=tmp_path / "gone.ipynb")


def test_untitled_notebook_says_to_rename(tmp_path, write_notebook):
    notebook = write_notebook(tmp_path / "Untitled3.ipynb", [("code", "1")])
    with pytest.raises(NotebookNotFound) as raised:
        detect_running(path=notebook)
    message = str(raised.value)
    assert "'Untitled3.ipynb'" in message
    assert "Rename it" in message and "save it" in message


def test_runner_of_recognises_the_three_runners():
    assert runner_of(["/v/bin/python3", "/v/bin/jupyter-nbconvert", "--execute", "a.ipynb"]) == (
        "nbconvert",
        ["--execute", "a.ipynb"],
    )
    assert runner_of(["jupyter", "execute", "a.ipynb"]) == ("jupyter-execute", ["a.ipynb"])
    assert runner_of(["/v/bin/python", "/v/bin/pytest", "tests"]) is None


def test_papermill_input_skips_option_values_and_output():
    args = ["-p", "alpha", "x.ipynb", "-k", "python3", "in.ipynb", "out.ipynb", "--cwd", "sub"]
    assert notebooks_from_runner("papermill", args, Path("/w"), Path("/w/sub")) == [
        Path("/w/in.ipynb")
    ]


def test_nbconvert_several_notebooks_narrowed_by_kernel_folder(tmp_path):
    args = ["--to", "notebook", "--execute", "a/one.ipynb", "b/two.ipynb"]
    args += ["--output-dir", "o.ipynb"]
    found = notebooks_from_runner("nbconvert", args, tmp_path, tmp_path / "b")
    assert found == [(tmp_path / "b" / "two.ipynb").resolve()]


def test_nbconvert_glob_is_expanded(tmp_path):
    (tmp_path / "only.ipynb").write_text("{}")
    found = notebooks_from_runner("nbconvert", ["--execute", "*.ipynb"], tmp_path, tmp_path)
    assert found == [(tmp_path / "only.ipynb").resolve()]


def test_kernel_id_only_from_server_style_connection_files():
    name = "kernel-0b1f6d0c-6a39-4e0e-a1f4-3d1c2b9f8e7a.json"
    assert kernel_id_from_connection_file(f"/run/{name}") == name[7:-5]
    assert kernel_id_from_connection_file("/tmp/tmpx1y2z3.json") is None


def test_running_file_headless_flag():
    assert RunningFile(Path("/a.ipynb"), "notebook", "papermill").headless
    assert not RunningFile(Path("/a.ipynb"), "notebook", "jupyter-server").headless


def test_result_json_round_trip():
    # the helper used by every subprocess test parses what the cell prints
    assert result_of("noise\nRESULT " + json.dumps({"a": 1})) == {"a": 1}

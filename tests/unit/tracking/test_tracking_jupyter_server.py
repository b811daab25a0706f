"""A real JupyterLab server: a session's kernel finds its notebook through the server.

One server for the module (start-up takes seconds); each test opens its own
session (a new kernel) over the REST API, then runs code in that kernel through
jupyter_client with the connection file from the server's runtime dir, as
JupyterLab's frontend would run a cell.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path
from collections.abc import Iterator

import pytest
import requests
from jupyter_client import BlockingKernelClient
from tracking_helpers import DETECT_CELL, DETECTION_VARS, VENV_BIN, notebook_json, result_of

pytestmark = pytest.mark.notebook


class LabServer:
    def __init__(self, url: str, root: Path, runtime: Path) -> None:
        self.url, self.root, self.runtime = url, root, runtime

    def api(self, method: str, path: str, **kwargs) -> dict:
        response = requests.request(method, f"{self.url}api/{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{url}api/status", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"JupyterLab did not answer in 90 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[LabServer]:
    base = tmp_path_factory.mktemp("lab")
    root, runtime, config = base / "root", base / "runtime", base / "config"
    for folder in (root, runtime, config):
        folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in DETECTION_VARS}
    env.update(JUPYTER_RUNTIME_DIR=str(runtime), JUPYTER_CONFIG_DIR=str(config))
    port = _free_port()
    args = [
        str(VENV_BIN / "jupyter-lab"), "--allow-root", "--no-browser", "--ip=127.0.0.1",
        f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=", "--ServerApp.disable_check_xsrf=True",
        f"--LabApp.workspaces_dir={base / 'ws'}", f"--LabApp.user_settings_dir={base / 'us'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    log = base / "lab.log"
    with log.open("w") as sink:
        process = subprocess.Popen(args, env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_ready(process, url, log)
        yield LabServer(url, root, runtime)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def open_notebook(lab: LabServer) -> Iterator:
    """Save a notebook under the server root and open a session (kernel) for it."""
    sessions: list[str] = []
    clients: list[BlockingKernelClient] = []

    def open_(api_path: str) -> tuple[dict, BlockingKernelClient]:
        file = lab.root / api_path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(notebook_json([("code", "1")])))
        model = {"path": api_path, "name": file.name, "type": "notebook",
                 "kernel": {"name": "python3"}}  # fmt: skip
        session = lab.api("POST", "sessions", json=model)
        sessions.append(session["id"])
        client = _client_for(lab.runtime / f"kernel-{session['kernel']['id']}.json")
        clients.append(client)
        return session, client

    yield open_
    for client in clients:
        client.stop_channels()
    for session_id in sessions:
        lab.api("DELETE", f"sessions/{session_id}")


def _client_for(connection_file: Path) -> BlockingKernelClient:
    deadline = time.monotonic() + 30
    while not connection_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    client = BlockingKernelClient(connection_file=str(connection_file))
    client.load_connection_file()
    # No heartbeat channel: under load a late heartbeat reads as a dead kernel, and
    # these clients do not own the kernel anyway.
    client.start_channels(hb=False)
    client.wait_for_ready(timeout=60)
    return client


def run_cell(client: BlockingKernelClient, code: str) -> str:
    """Execute code in the kernel like a notebook cell; return its stdout."""
    printed: list[str] = []

    def collect(message: dict) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            printed.append("\n".join(message["content"]["traceback"]))

    client.execute_interactive(code, output_hook=collect, timeout=60, store_history=True)
    return "".join(printed)


def test_kernel_finds_its_notebook_through_the_server(lab, open_notebook):
    _session, client = open_notebook("analyses/lab_notebook.ipynb")
    found = result_of(run_cell(client, DETECT_CELL))
    expected = (lab.root / "analyses" / "lab_notebook.ipynb").resolve()
    assert found == {"path": str(expected), "kind": "notebook", "how": "jupyter-server"}


def test_renamed_notebook_is_followed(lab, open_notebook):
    session, client = open_notebook("draft.ipynb")
    lab.api("PATCH", "contents/draft.ipynb", json={"path": "final_qc.ipynb"})
    lab.api("PATCH", f"sessions/{session['id']}", json={"path": "final_qc.ipynb"})
    found = result_of(run_cell(client, DETECT_CELL))
    assert found["path"] == str((lab.root / "final_qc.ipynb").resolve())


def test_session_variable_is_the_fallback(lab, open_notebook):
    _session, client = open_notebook("fallback/nb.ipynb")
    hide_servers = "import lamin_lab.tracking.detect as d\nd._from_servers = lambda _: None\n"
    found = result_of(run_cell(client, hide_servers + DETECT_CELL))
    expected = (lab.root / "fallback" / "nb.ipynb").resolve()
    assert found == {"path": str(expected), "kind": "notebook", "how": "jupyter-session-env"}


def test_untitled_notebook_in_lab_says_to_rename(lab, open_notebook):
    _session, client = open_notebook("Untitled1.ipynb")
    found = result_of(run_cell(client, DETECT_CELL))
    assert found["error"] == "NotebookNotFound"
    assert "'Untitled1.ipynb'" in found["message"] and "Rename it" in found["message"]


def test_relative_session_variable_resolves_in_kernel_folder(lab, open_notebook):
    # jupyter_server sets the server-relative API path when a session has no name
    _session, client = open_notebook("rel/nb.ipynb")
    setup = (
        "import os\nimport lamin_lab.tracking.detect as d\n"
        "d._from_servers = lambda _: None\nos.environ['JPY_SESSION_NAME'] = 'rel/nb.ipynb'\n"
    )
    found = result_of(run_cell(client, setup + DETECT_CELL))
    assert found["path"] == str((lab.root / "rel" / "nb.ipynb").resolve())
    assert found["how"] == "jupyter-session-env"

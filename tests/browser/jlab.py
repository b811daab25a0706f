"""Drive a real JupyterLab from tests: start a server, open notebooks, run them.

The server runs with this interpreter (the project's venv), so its kernels can
``import lamin_lab``. Everything it writes (config, runtime files, workspaces,
settings, ``LAMIN_LAB_HOME``) lives in a temp folder. Follows the
"JupyterLab in tests" recipe of the project.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
# The lab extension as this checkout built it (scripts/test.sh step_labextension)
CHECKOUT_LABEXTENSION = Path(__file__).resolve().parents[2] / "lamin_lab" / "labextension"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 90.0
KERNEL_IDLE_TIMEOUT_MS = 90_000


@dataclass
class LabServer:
    """A running JupyterLab server started by :func:`start_server`.

    Examples
    --------
    >>> server = start_server(tmp_path)  # doctest: +SKIP
    >>> server.url  # doctest: +SKIP
    'http://127.0.0.1:40123/'
    >>> stop_server(server)  # doctest: +SKIP
    """

    url: str
    root: Path
    home: Path
    log_path: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 40) -> str:
        """Return the last lines of the server log (for failure messages)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago.

    Examples
    --------
    >>> 1024 < free_port() < 65536
    True
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_settings(settings_dir: Path) -> None:
    # Without this, a "news / check for updates" toast covers the page and
    # JupyterLab tries to reach the internet.
    target = (
        settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


def server_command(base: Path, port: int, app: str = "jupyterlab") -> list[str]:
    """The command line that starts JupyterLab (or ``app="notebook"``: Notebook 7) for tests in ``base``.

    Examples
    --------
    >>> "--allow-root" in server_command(Path("/tmp/x"), 8888)
    True
    >>> "--JupyterNotebookApp.expose_app_in_browser=True" in server_command(Path("/tmp/x"), 8888, "notebook")
    True
    """
    if app == "notebook":
        return [
            sys.executable, "-m", "notebook",
            "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            f"--ServerApp.root_dir={base / 'root'}",
            "--ServerApp.disable_check_xsrf=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",
            f"--JupyterNotebookApp.workspaces_dir={base / 'workspaces'}",
            f"--JupyterNotebookApp.user_settings_dir={base / 'settings'}",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        f"--ServerApp.root_dir={base / 'root'}",
        "--ServerApp.disable_check_xsrf=True",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        f"--LabApp.user_settings_dir={base / 'settings'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip


def server_env(base: Path) -> dict[str, str]:
    """Environment for the server and its kernels: everything under ``base``.

    Examples
    --------
    >>> server_env(Path("/tmp/x"))["LAMIN_LAB_HOME"]
    '/tmp/x/lamin_lab_home'
    """
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTER_DATA_DIR=str(base / "data"),
        JUPYTER_PATH=os.pathsep.join(
            p for p in (str(base / "jupyter_path"), os.environ.get("JUPYTER_PATH", "")) if p
        ),
        IPYTHONDIR=str(base / "ipython"),
        LAMIN_LAB_HOME=str(base / "lamin_lab_home"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _link_checkout_labextension(data_dir: Path) -> None:
    """Serve this checkout's build of the lab extension, not the one the venv links to.

    JupyterLab looks in ``JUPYTER_PATH`` before the venv's ``share/jupyter`` (which, in a
    venv, comes before ``JUPYTER_DATA_DIR``): a git worktree's tests then see its own
    extension (the venv's link points at one checkout).
    """
    if not (CHECKOUT_LABEXTENSION / "package.json").exists():
        return
    link = data_dir / "labextensions" / "lamin-lab"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(CHECKOUT_LABEXTENSION)


def start_server(base: Path, app: str = "jupyterlab") -> LabServer:
    """Start JupyterLab (or Notebook 7) with its root, settings and state inside ``base``.

    Waits until ``/api/status`` answers; fails early, with the log tail, if the
    process died.

    Examples
    --------
    >>> server = start_server(tmp_path)  # doctest: +SKIP
    """
    for folder in ("root", "config", "runtime", "data", "ipython", "workspaces", "settings"):
        (base / folder).mkdir(parents=True, exist_ok=True)
    (base / "lamin_lab_home").mkdir(exist_ok=True)
    _write_settings(base / "settings")
    _link_checkout_labextension(base / "jupyter_path")
    port = free_port()
    log_path = base / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            server_command(base, port, app),
            cwd=base / "root",
            env=server_env(base),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LabServer(
        url=f"http://127.0.0.1:{port}/",
        root=base / "root",
        home=base / "lamin_lab_home",
        log_path=log_path,
        process=process,
    )
    _wait_until_up(server)
    return server


def _wait_until_up(server: LabServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {server.process.returncode} while starting; "
                f"log tail:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.url + "api/status", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    stop_server(server)
    raise RuntimeError(
        f"JupyterLab did not answer within {SERVER_START_TIMEOUT:.0f}s; log tail:\n"
        f"{server.log_tail()}"
    )


def stop_server(server: LabServer) -> None:
    """Stop the server (it shuts its kernels down) and wait for it to exit.

    Examples
    --------
    >>> stop_server(server)  # doctest: +SKIP
    """
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def api(server: LabServer, method: str, path: str) -> object:
    """Call the server's REST API and return the decoded JSON (None if empty).

    Examples
    --------
    >>> api(server, "GET", "api/sessions")  # doctest: +SKIP
    []
    """
    request = urllib.request.Request(server.url + path, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


def shutdown_sessions(server: LabServer) -> None:
    """End every notebook session (and its kernel) on the server.

    Examples
    --------
    >>> shutdown_sessions(server)  # doctest: +SKIP
    """
    for session in api(server, "GET", "api/sessions") or []:
        api(server, "DELETE", f"api/sessions/{session['id']}")


def launch_browser(playwright):
    """Launch the system Chromium headless (never a downloaded browser).

    Examples
    --------
    >>> browser = launch_browser(playwright)  # doctest: +SKIP
    """
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def copy_notebook(server: LabServer, notebook: str | Path) -> str:
    """Copy a notebook into the server root; return its name there.

    ``notebook`` is a path to an ``.ipynb`` file, or the name (with or without
    ``.ipynb``) of one in ``tests/browser/fixtures``. A fresh copy every time,
    because running a notebook marks it modified.

    Examples
    --------
    >>> copy_notebook(server, "smoke")  # doctest: +SKIP
    'smoke.ipynb'
    """
    source = Path(notebook)
    if not source.is_file():
        name = source.name if source.suffix == ".ipynb" else source.name + ".ipynb"
        source = FIXTURES / name
    if not source.is_file():
        raise FileNotFoundError(f"no notebook {notebook!r} (looked in {FIXTURES})")
    shutil.copyfile(source, server.root / source.name)
    return source.name


def open_notebook(page, server: LabServer, notebook: str | Path) -> str:
    """Copy ``notebook`` into the server root, open it, wait for an idle kernel.

    Returns the notebook's name in the server root.

    Examples
    --------
    >>> open_notebook(page, server, "smoke")  # doctest: +SKIP
    'smoke.ipynb'
    """
    name = copy_notebook(server, notebook)
    page.goto(f"{server.url}lab/tree/{name}?reset", wait_until="domcontentloaded")
    page.wait_for_function(
        """(name) => {
            const widget = window.jupyterapp?.shell?.currentWidget;
            return widget?.context?.path === name
                && widget?.sessionContext?.session?.kernel?.status === 'idle';
        }""",
        arg=name,
        timeout=KERNEL_IDLE_TIMEOUT_MS,
    )
    return name


def run_all(page, timeout: float = 120.0) -> bool:
    """Run every cell of the current notebook and wait until they finished.

    Returns whether all cells ran without an error (JupyterLab's own verdict).

    Examples
    --------
    >>> run_all(page)  # doctest: +SKIP
    True
    """
    return page.evaluate(
        """async (ms) => {
            const run = window.jupyterapp.commands.execute('notebook:run-all-cells');
            const late = new Promise((_, reject) =>
                setTimeout(() => reject(new Error(`run-all-cells still running after ${ms} ms`)), ms));
            return await Promise.race([run, late]);
        }""",
        int(timeout * 1000),
    )


def wait_for_output(page, text: str, timeout: float = 60.0):
    """Wait until a cell output contains ``text``; return that output's locator.

    Examples
    --------
    >>> wait_for_output(page, "hello from kernel").inner_text()  # doctest: +SKIP
    'hello from kernel'
    """
    locator = page.locator(".jp-OutputArea-output", has_text=text).first
    locator.wait_for(state="visible", timeout=timeout * 1000)
    return locator

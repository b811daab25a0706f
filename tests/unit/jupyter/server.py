"""A real Jupyter server with the lamin_lab extension, for the REST handler tests.

The server runs this venv's Python with a token, its own config and runtime folders,
and ``LAMIN_LAB_HOME`` in a temp folder. :func:`seed` fills an instance there from a
separate process, as a notebook kernel would.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

TOKEN = "lamin-lab-test-token"
START_TIMEOUT = 90.0


@dataclass
class ApiServer:
    """A running server: its URL, its ``LAMIN_LAB_HOME`` and process."""

    url: str
    home: Path
    log_path: Path
    process: subprocess.Popen

    def get(self, path: str, token: str | None = TOKEN) -> tuple[int, dict, str]:
        """``GET lamin-lab/api/<path>``: (status, JSON body, content type)."""
        request = urllib.request.Request(self.url + "lamin-lab/api/" + path)
        if token is not None:
            request.add_header("Authorization", f"token {token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return (
                    response.status,
                    json.loads(response.read()),
                    response.headers["Content-Type"],
                )
        except urllib.error.HTTPError as e:
            body = e.read()
            try:
                data = json.loads(body)
            except ValueError:
                data = {"raw": body.decode(errors="replace")}
            return e.code, data, e.headers.get("Content-Type", "")

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server log, for failure messages."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTER_DATA_DIR=str(base / "data"),
        LAMIN_LAB_HOME=str(base / "home"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("LAMIN_LAB_TEST_DB", None)
    return env


def start(base: Path) -> ApiServer:
    """Start ``jupyter server`` with the extension enabled; wait until it answers."""
    for folder in ("config", "runtime", "data", "home", "root"):
        (base / folder).mkdir(parents=True, exist_ok=True)
    # Enabled explicitly: the test must not depend on how the package was installed.
    config = {"ServerApp": {"jpserver_extensions": {"lamin_lab.jupyter": True}}}
    (base / "config" / "jupyter_server_config.json").write_text(json.dumps(config))
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={base / 'root'}",
    ]
    log_path = base / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, env=_env(base), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    server = ApiServer(
        url=f"http://127.0.0.1:{port}/", home=base / "home", log_path=log_path, process=process
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"jupyter server exited ({process.returncode}); log:\n{server.log_tail()}"
            )
        request = urllib.request.Request(
            server.url + "api/status", headers={"Authorization": f"token {TOKEN}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(
        f"jupyter server did not answer in {START_TIMEOUT:.0f}s; log:\n{server.log_tail()}"
    )


def stop(server: ApiServer) -> None:
    """Terminate the server and wait for it."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def seed(home: Path, storage: Path, code: str) -> dict:
    """In a new process with ``LAMIN_LAB_HOME=home``: init an instance at ``storage``, run ``code``.

    ``code`` may set a dict ``out``; it is returned (JSON).
    """
    script = (
        textwrap.dedent(
            """
        import json, sys
        import lamin_lab as ln
        ln.settings.verbosity = "warning"
        ln.setup.init(storage=sys.argv[1])
        out = {}
        """
        )
        + textwrap.dedent(code)
        + "\nprint('SEED-OUT' + json.dumps(out))\n"
    )
    env = dict(os.environ, LAMIN_LAB_HOME=str(home))
    env.pop("LAMIN_LAB_TEST_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", script, str(storage)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{done.stdout}\n{done.stderr}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("SEED-OUT"))
    return json.loads(line[len("SEED-OUT") :])

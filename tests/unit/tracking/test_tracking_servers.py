"""Server discovery against a small stand-in server that checks the token.

The real JupyterLab run is in test_tracking_jupyter_server.py (token disabled, as
the recipes start it); this one covers the token header, both info-file names,
both session layouts and stale info files, without seconds of start-up.
"""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterator

import pytest

from lamin_lab.tracking.servers import iter_kernel_notebooks, list_sessions, server_infos

TOKEN = "s3cret"
SESSIONS = [
    {"id": "s1", "path": "a/one.ipynb", "kernel": {"id": "k-one"}},
    {"id": "s2", "notebook": {"path": "two.ipynb"}, "kernel": {"id": "k-two"}},  # Notebook 6
]


class _Sessions(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        authorized = self.headers.get("Authorization") == f"token {TOKEN}"
        ok = authorized and self.path == "/api/sessions"
        body = json.dumps(SESSIONS if ok else {"message": "Forbidden"}).encode()
        self.send_response(200 if ok else 403)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sessions)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _write_info(folder, name: str, **info) -> None:
    (folder / name).write_text(json.dumps(info))


def test_token_is_sent(server_url):
    assert list_sessions({"url": server_url, "token": TOKEN}) == SESSIONS


def test_wrong_token_gives_no_sessions(server_url):
    assert list_sessions({"url": server_url, "token": "nope"}) == []


def test_session_path_is_joined_to_server_root(tmp_path, server_url):
    root = tmp_path / "root"
    _write_info(tmp_path, "jpserver-1.json", url=server_url, token=TOKEN,
                root_dir=str(root), pid=os.getpid())  # fmt: skip
    found = [path for path, _ in iter_kernel_notebooks("k-one", [tmp_path])]
    assert found == [(root / "a" / "one.ipynb").resolve()]


def test_classic_notebook_server_file_and_layout(tmp_path, server_url):
    _write_info(tmp_path, "nbserver-7.json", url=server_url, token=TOKEN,
                notebook_dir=str(tmp_path), pid=os.getpid())  # fmt: skip
    found = [path for path, _ in iter_kernel_notebooks("k-two", [tmp_path])]
    assert found == [(tmp_path / "two.ipynb").resolve()]


def test_info_file_of_dead_server_is_skipped(tmp_path, server_url):
    dead_pid = 2**22 + 12345  # above Linux's pid_max default: never a live process
    _write_info(tmp_path, "jpserver-9.json", url=server_url, token=TOKEN, pid=dead_pid)
    assert server_infos([tmp_path]) == []


def test_other_json_files_are_ignored(tmp_path):
    _write_info(tmp_path, "kernel-abc.json", url="http://x/", pid=os.getpid())
    (tmp_path / "jpserver-2.json").write_text("{broken")
    assert server_infos([tmp_path]) == []

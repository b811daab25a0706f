"""Find the notebook of a kernel by asking the running Jupyter servers.

A kernel does not know which notebook it belongs to; the Jupyter server that
started it does. Every running server (JupyterLab, Notebook 7, the classic
Notebook) leaves a small JSON file (``jpserver-<pid>.json`` or
``nbserver-<pid>.json``) in the Jupyter runtime directory with its URL, token
and root directory. Its ``/api/sessions`` lists each session's notebook path
and kernel id, so the kernel's own id (the name of its connection file,
``kernel-<id>.json``) picks the notebook out.

We read the server files ourselves instead of importing
``jupyter_server.serverapp`` (which pulls in tornado and most of the server) so
that detection stays cheap.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from collections.abc import Iterator

# A kernel started by a Jupyter server has a connection file of this name; kernels
# started by nbclient or nbconvert get a random temporary name instead.
_KERNEL_FILE = re.compile(r"^kernel-(?P<id>[0-9a-fA-F-]{8,})\.json$")

# Local servers answer in milliseconds; a hung one must not stall ln.track().
_HTTP_TIMEOUT_S = 2.0


def kernel_id_from_connection_file(connection_file: str | os.PathLike) -> str | None:
    """Return the kernel id encoded in a connection file name, if any.

    Parameters
    ----------
    connection_file
        Path of a kernel connection file.

    Examples
    --------
    >>> kernel_id_from_connection_file("/run/kernel-1a2b3c4d-0000-1111.json")
    '1a2b3c4d-0000-1111'
    >>> kernel_id_from_connection_file("/tmp/tmpab12cd.json") is None
    True
    """
    match = _KERNEL_FILE.match(Path(connection_file).name)
    return match.group("id") if match else None


def server_infos(runtime_dirs: list[Path]) -> list[dict[str, Any]]:
    """Read the info files of the Jupyter servers that are still running.

    Parameters
    ----------
    runtime_dirs
        Folders to look in (duplicates are fine); missing ones are skipped.

    Examples
    --------
    >>> from jupyter_core.paths import jupyter_runtime_dir
    >>> infos = server_infos([Path(jupyter_runtime_dir())])
    >>> all("url" in info for info in infos)
    True
    """
    infos, seen = [], set()
    for folder in dict.fromkeys(Path(d).resolve() for d in runtime_dirs):
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*server-*.json")):
            if not file.name.startswith(("jpserver-", "nbserver-")):
                continue
            try:
                info = json.loads(file.read_text())
            except (OSError, ValueError):
                continue
            key = (info.get("url"), info.get("pid"))
            if key in seen or not _pid_alive(info.get("pid")):
                continue
            seen.add(key)
            infos.append(info)
    return infos


def _pid_alive(pid: Any) -> bool:
    # Servers that crashed leave their info file behind; skip those quickly.
    if not isinstance(pid, int):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def list_sessions(info: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the sessions of one server, or ``[]`` when it cannot be asked.

    Parameters
    ----------
    info
        A server info dict as read by :func:`server_infos`.

    Examples
    --------
    >>> list_sessions({"url": "http://127.0.0.1:1/", "token": ""})
    []
    """
    import urllib.error
    import urllib.request

    url = info.get("url") or ""
    if not url.startswith("http") or info.get("sock"):
        return []  # unix-socket servers: urllib cannot reach them
    request = urllib.request.Request(url.rstrip("/") + "/api/sessions")
    if info.get("token"):
        request.add_header("Authorization", f"token {info['token']}")
    try:
        with urllib.request.urlopen(request, timeout=_HTTP_TIMEOUT_S) as response:
            sessions = json.loads(response.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return []
    return sessions if isinstance(sessions, list) else []


def _session_path(session: dict[str, Any]) -> str | None:
    # Notebook 6 puts the path under "notebook", jupyter_server under "path".
    path = session.get("path") or (session.get("notebook") or {}).get("path")
    return path if isinstance(path, str) and path else None


def iter_kernel_notebooks(
    kernel_id: str, runtime_dirs: list[Path]
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Yield ``(notebook path, server info)`` for every session of this kernel.

    Parameters
    ----------
    kernel_id
        The id of the kernel, as in its connection file name.
    runtime_dirs
        Folders holding the servers' info files.

    Examples
    --------
    >>> list(iter_kernel_notebooks("no-such-kernel", []))
    []
    """
    for info in server_infos(runtime_dirs):
        root = info.get("root_dir") or info.get("notebook_dir") or "."
        for session in list_sessions(info):
            if (session.get("kernel") or {}).get("id") != kernel_id:
                continue
            api_path = _session_path(session)
            if api_path is not None:
                # API paths are relative to the server root, always with "/".
                yield (Path(root).expanduser() / api_path.lstrip("/")).resolve(), info

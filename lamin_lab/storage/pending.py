"""Pending content: new bytes staged beside a file, swapped in only after the database commits.

``artifact.replace(data); artifact.save()`` must leave the row and the file in agreement
even when the process dies half-way. The database and the file system cannot commit
together, so the new content is first put *beside* the old file under a name that carries
its hash (``.<name>.lamin-pending-<hash>``); the row is committed; then one rename puts the
new content in place. A process killed in between leaves a pending file whose name says
how to settle it: :func:`settle` renames it in place when the row already has its hash
(roll forward); the next save of the artifact removes any other one (roll back).

Examples
--------
>>> from pathlib import Path
>>> _ = Path("/tmp/_lamin_lab_pending.txt").write_text("old")
>>> _ = Path("/tmp/_lamin_lab_new.txt").write_text("new")
>>> p = stage("/tmp/_lamin_lab_new.txt", "/tmp/_lamin_lab_pending.txt", "h1", move=False)
>>> settle("/tmp/_lamin_lab_pending.txt", "h1")
1
>>> Path("/tmp/_lamin_lab_pending.txt").read_text()
'new'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .atomic import move_into_place, remove_local
from .paths import is_cloud, to_path
from .transfer import delete_path, put

PENDING_MARKER = ".lamin-pending-"


def pending_path(dst: Any, token: str) -> Any:
    """The pending name for content with hash ``token`` that will go to ``dst``.

    Examples
    --------
    >>> pending_path("/data/.lamindb/abc.csv", "XYZ").name
    '.abc.csv.lamin-pending-XYZ'
    """
    dst = to_path(dst)
    return dst.parent / f".{dst.name}{PENDING_MARKER}{token}"


def stage(src: Any, dst: Any, token: str, *, move: bool) -> Any:
    """Put the content of local ``src`` beside ``dst`` (renamed when ``move``, else copied).

    Examples
    --------
    >>> _ = Path("/tmp/_lamin_lab_src.txt").write_text("x")
    >>> stage("/tmp/_lamin_lab_src.txt", "/tmp/_lamin_lab_dst.txt", "t", move=False).name
    '._lamin_lab_dst.txt.lamin-pending-t'
    """
    pending = pending_path(dst, token)
    if move and not is_cloud(pending):
        try:
            Path(pending).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, pending)
            return pending
        except OSError:
            pass  # another file system: copy below
    return put(src, pending)


def unstage(pending: Any, src: Any | None) -> None:
    """Undo :func:`stage`: move the content back to ``src`` (a moved staging file) or drop it.

    Examples
    --------
    >>> unstage("/tmp/_lamin_lab_nothing.lamin-pending-x", None)
    """
    if src is not None and not is_cloud(pending) and Path(pending).exists():
        os.replace(pending, src)
        return
    delete_path(pending)


def swap_in(pending: Any, dst: Any) -> Any:
    """Put the pending content at ``dst`` (one rename locally; copy then delete in the cloud).

    Examples
    --------
    >>> _ = Path("/tmp/_lamin_lab_p.txt").write_text("y")
    >>> swap_in("/tmp/_lamin_lab_p.txt", "/tmp/_lamin_lab_q.txt").read_text()
    'y'
    """
    pending, dst = to_path(pending), to_path(dst)
    if not is_cloud(dst):
        return move_into_place(pending, dst)
    pending.fs.copy(pending.path, dst.path, recursive=True)
    delete_path(pending)
    return dst


def settle(dst: Any, token: str | None, *, sweep: bool = False) -> int:
    """Finish or drop what a killed save left beside ``dst``; return how many were found.

    The pending file for hash ``token`` (the hash the committed row has) is swapped in:
    one ``stat`` when nothing is pending, cheap enough for every read. With ``sweep``
    the folder is listed and any other pending file of ``dst`` (a save that never
    committed) is removed. Local paths only: cloud leftovers are settled by the next save.

    Examples
    --------
    >>> settle("/tmp/_lamin_lab_no_such_file", "x")
    0
    """
    dst = to_path(dst)
    if is_cloud(dst):
        return 0
    n = 0
    if token is not None and Path(pending_path(dst, token)).exists():
        move_into_place(pending_path(dst, token), dst)
        n += 1
    if sweep:
        prefix = f".{dst.name}{PENDING_MARKER}"
        try:
            stale = [p for p in dst.parent.iterdir() if p.name.startswith(prefix)]
        except OSError:  # no folder yet: nothing pending
            stale = []
        for p in stale:
            remove_local(p)
        n += len(stale)
    return n


__all__ = ["PENDING_MARKER", "pending_path", "settle", "stage", "swap_in", "unstage"]

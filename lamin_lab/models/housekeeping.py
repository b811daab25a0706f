"""What killed saves leave behind, found and cleaned (for ``lamin-lab doctor --fix``).

A save that dies before its commit can leave: a temporary copy (``.<name>.lamin-tmp-…``)
or a pending replacement (``.<name>.lamin-pending-…``) in a storage's ``.lamindb/`` folder,
a staging file of an in-memory object in the cache, or a managed file that no row points
to (renamed into place, then killed before the commit). None of these is ever a row
without its file; they only take space. A pending replacement whose hash the row already
has is a replace killed after its commit: cleaning swaps it in rather than deleting it.

Only files older than ``older_than`` seconds count: younger ones may belong to a save
running right now in another process.

Examples
--------
>>> [str(p) for p in find_leftovers()]  # doctest: +SKIP
['/data/.lamindb/.Xy....txt.lamin-tmp-1a2b3c4d']
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..settings import settings
from ..storage import is_cloud
from ..storage.atomic import TMP_MARKER, remove_local
from ..storage.pending import PENDING_MARKER, settle
from .artifact import Artifact
from .storage import Storage

_UID = 20
_BASE62 = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _is_managed_name(name: str) -> bool:
    """``<uid><suffix>``: what lamin_lab names the content of an artifact (other files are left alone)."""
    stem, rest = name[:_UID], name[_UID:]
    return len(stem) == _UID and set(stem) <= _BASE62 and (rest == "" or rest.startswith("."))


def _old(path: Path, cutoff: float) -> bool:
    try:
        return path.lstat().st_mtime <= cutoff
    except OSError:  # gone meanwhile
        return False


def _managed_leftovers(root: Path, cutoff: float) -> tuple[list[Path], dict[Path, str | None]]:
    """(temporary files and unreferenced managed files, {destination: row hash} with pending files)."""
    folder = root / ".lamindb"
    if not folder.is_dir():
        return [], {}
    hashes = dict(
        Artifact.select(Artifact.uid, Artifact.hash).where(Artifact.branch_id.in_([-1, 0, 1])).tuples()
    )
    found: list[Path] = []
    pending: dict[Path, str | None] = {}
    for path in folder.iterdir():
        name = path.name
        if not _old(path, cutoff):
            continue
        if PENDING_MARKER in name:
            target = folder / name[1:name.index(PENDING_MARKER)]
            pending[target] = hashes.get(target.name[:_UID])
        elif TMP_MARKER in name:
            found.append(path)
        elif _is_managed_name(name) and name[:_UID] not in hashes:
            found.append(path)
    return found, pending


def find_leftovers(older_than: float = 3600.0) -> list[Path]:
    """Files that crashed saves left in the local storages and the cache.

    Examples
    --------
    >>> ln.models.housekeeping.find_leftovers(older_than=0)  # doctest: +SKIP
    []
    """
    cutoff = time.time() - older_than
    out: list[Path] = []
    for storage in Storage.select():
        if is_cloud(storage.root):
            continue
        found, pending = _managed_leftovers(Path(storage.root), cutoff)
        out += found
        for target in pending:
            out += [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}{PENDING_MARKER}")]
    staging = settings.cache_dir / ".staging"
    if staging.is_dir():
        out += [p for p in staging.iterdir() if _old(p, cutoff)]
    return sorted(out)


def clean_leftovers(older_than: float = 3600.0) -> list[Any]:
    """Remove what :func:`find_leftovers` finds; finish replaces that were killed after their commit.

    Returns the paths dealt with.

    Examples
    --------
    >>> ln.models.housekeeping.clean_leftovers(older_than=0)  # doctest: +SKIP
    []
    """
    cutoff = time.time() - older_than
    done: list[Any] = []
    for storage in Storage.select():
        if is_cloud(storage.root):
            continue
        found, pending = _managed_leftovers(Path(storage.root), cutoff)
        for path in found:
            remove_local(path)
            done.append(path)
        for target, row_hash in pending.items():
            settle(target, row_hash, sweep=False)  # a committed replace: swap it in
            settle(target, None, sweep=True)  # any other: never committed, remove
            done.append(target)
    staging = settings.cache_dir / ".staging"
    if staging.is_dir():
        for path in staging.iterdir():
            if _old(path, cutoff):
                remove_local(path)
                done.append(path)
    return done


__all__ = ["clean_leftovers", "find_leftovers"]

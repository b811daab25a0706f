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
>>> find_leftovers()  # a fresh instance has none
[]
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..settings import settings
from ..storage import is_cloud
from ..storage.atomic import TMP_MARKER, remove_local
from ..storage.pending import PENDING_MARKER, settle
from .artifact.registry import Artifact
from .storage_location import Storage

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


@dataclass(frozen=True)
class Leftover:
    """One file a killed save may have left, and what it is.

    ``kind`` is ``"temporary"`` (a copy that never became content), ``"pending"`` (a replacement
    of ``target``; ``row_hash`` is the hash its row holds now), ``"unreferenced"`` (managed
    content no row names), ``"staging"`` (an in-memory object written to the cache for a save)
    or ``"recent"`` (any of the storage ones, younger than the cut-off: maybe a save running now).

    Examples
    --------
    >>> Leftover("temporary", Path("/d/.lamindb/.x.lamin-tmp-1")).removable
    True
    """

    kind: str
    path: Path
    target: Path | None = None
    row_hash: str | None = None

    @property
    def removable(self) -> bool:
        """Whether cleaning deals with it (``recent`` ones are left to the save that owns them).

        Examples
        --------
        >>> Leftover("recent", Path("/d/.lamindb/x")).removable
        False
        """
        return self.kind != "recent"


def _storage_leftovers(root: Path, cutoff: float, hashes: dict[str, str | None]) -> list[Leftover]:
    folder = root / ".lamindb"
    if not folder.is_dir():
        return []
    out: list[Leftover] = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if PENDING_MARKER in name:
            target = folder / name[1 : name.index(PENDING_MARKER)]
            found = Leftover("pending", path, target, hashes.get(target.name[:_UID]))
        elif TMP_MARKER in name:
            found = Leftover("temporary", path)
        elif _is_managed_name(name) and name[:_UID] not in hashes:
            found = Leftover("unreferenced", path)
        else:  # content a row names, or a file that is not ours (storage_uid.txt): left alone
            continue
        out.append(found if _old(path, cutoff) else Leftover("recent", path))
    return out


def scan_leftovers(older_than: float = 3600.0) -> list[Leftover]:
    """Every leftover in the local storages and the cache, classified (one place for both
    :func:`clean_leftovers` and ``lamin-lab doctor``).

    Examples
    --------
    >>> [f.kind for f in ln.models.housekeeping.scan_leftovers()]
    []
    """
    cutoff = time.time() - older_than
    # Rows of every branch (trash and archive included) keep their content.
    hashes = dict(Artifact.select(Artifact.uid, Artifact.hash).tuples())
    out: list[Leftover] = []
    for storage in Storage.select():
        if not is_cloud(storage.root):
            out += _storage_leftovers(Path(storage.root), cutoff, hashes)
    staging = settings.cache_dir / ".staging"
    if staging.is_dir():  # young staging files are a running session's: not even reported
        out += [Leftover("staging", p) for p in sorted(staging.iterdir()) if _old(p, cutoff)]
    return out


def find_leftovers(older_than: float = 3600.0) -> list[Path]:
    """Files that crashed saves left in the local storages and the cache.

    Examples
    --------
    >>> ln.models.housekeeping.find_leftovers(older_than=0)
    []
    """
    return sorted(f.path for f in scan_leftovers(older_than) if f.removable)


def clean(leftover: Leftover) -> None:
    """Deal with one leftover: remove it, or for a replace killed after its commit, swap it in.

    Examples
    --------
    >>> clean(Leftover("temporary", Path("/tmp/_lamin_lab_no_such_file")))
    """
    if leftover.kind == "pending":
        settle(leftover.target, leftover.row_hash, sweep=False)  # a committed replace: swap it in
        settle(leftover.target, None, sweep=True)  # any other: never committed, remove
    elif leftover.removable:
        remove_local(leftover.path)


def clean_leftovers(older_than: float = 3600.0) -> list[Any]:
    """Remove what :func:`find_leftovers` finds; finish replaces that were killed after their commit.

    Returns the paths dealt with.

    Examples
    --------
    >>> ln.models.housekeeping.clean_leftovers(older_than=0)
    []
    """
    done: list[Any] = []
    for leftover in scan_leftovers(older_than):
        if leftover.removable:
            clean(leftover)
            done.append(leftover.path)
    return done


__all__ = ["Leftover", "clean", "clean_leftovers", "find_leftovers", "scan_leftovers"]

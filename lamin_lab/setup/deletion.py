"""Deleting an instance: ``ln.setup.delete(name, force=True)`` and ``lamin-lab delete NAME --force``.

One function, :func:`delete_instance`, does the work for both. What goes: the instance's
settings file (and its current-branch file), its SQLite database, the ``.lamindb/`` folder
of each local storage root, and ``current.json`` when it was the current instance. What
stays: a PostgreSQL database (drop it yourself), cloud storage, and files outside
``.lamindb/`` (unless ``storage=True``).

``ln.setup.delete`` behaves as LaminDB's: it refuses (``StorageNotEmpty``, nothing
deleted) while ``.lamindb/`` still holds artifact content, and removes a storage folder
left empty. The command line deletes the managed content with the instance, as it always has.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ..errors import InstanceNotFoundError, InvalidArgument, StorageNotEmpty
from ..orm.database import bind
from ..settings import InstanceSettings, home_dir, read_current_instance_name, settings

logger = logging.getLogger("lamin_lab")


def delete(slug: str, force: bool = False, require_empty: bool = True) -> int | None:
    """Delete a local instance: its settings, its SQLite database and its ``.lamindb/`` folder.

    Parameters
    ----------
    slug
        The instance name (LaminDB's ``owner/name`` works too).
    force
        Must be True: deleting cannot be undone. (LaminDB asks for a "y" on the
        terminal instead, which a script or a notebook cannot answer.)
    require_empty
        Refuse while artifacts' content is still in ``.lamindb/`` (the default, as in
        LaminDB); False deletes that content too.

    Examples
    --------
    >>> ln.setup.delete("mydata", force=True)  # doctest: +SKIP
    """
    name = slug.split("/")[-1]
    if not force:
        raise InvalidArgument(
            f"Deleting instance {name!r} cannot be undone: pass force=True to confirm, "
            f"ln.setup.delete({name!r}, force=True)."
        )
    for line in delete_instance(name, require_empty=require_empty, remove_empty_root=True):
        logger.warning(line)
    return None


def delete_instance(
    name: str, *, require_empty: bool, storage: bool = False, remove_empty_root: bool = False
) -> list[str]:
    """Delete an instance's settings, database and ``.lamindb/`` folders; return what was kept, to tell.

    Parameters
    ----------
    name
        The instance name (``owner/name`` works too).
    require_empty
        Raise :class:`StorageNotEmpty` (and delete nothing) while ``.lamindb/`` holds content.
    storage
        Remove each local storage folder entirely, files outside ``.lamindb/`` too.
    remove_empty_root
        Remove a storage folder that is empty once ``.lamindb/`` is gone.

    Examples
    --------
    >>> delete_instance("mydata", require_empty=False)  # doctest: +SKIP
    []
    """
    name = name.split("/")[-1]
    inst = InstanceSettings.load(name)
    if inst is None:
        known = sorted(p.stem for p in (home_dir() / "instances").glob("*.json"))
        raise InstanceNotFoundError(
            f"No instance named {name!r} under {home_dir()} (known: {', '.join(known) or 'none'}): "
            "check the name."
        )
    roots = inst.storage_roots or [inst.storage_root]
    if require_empty:
        _refuse_content(roots)
    logger.info("deleting instance %r", name)
    if settings._instance is not None and settings._instance.name == name:
        bind(None)  # this process lets go of it (ln.setup.disconnect())
        settings._instance = None
    kept = []
    if inst.dialect == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(inst.db + suffix).unlink(missing_ok=True)
    else:
        kept.append(f"the PostgreSQL database {redact(inst.db)} is left as it is: drop it yourself")
    for root in roots:
        kept.extend(_remove_storage(root, storage, remove_empty_root))
    (home_dir() / "instances" / f"{name}.json").unlink(missing_ok=True)
    (home_dir() / "branches" / f"{name}.json").unlink(missing_ok=True)  # its current branch
    if read_current_instance_name() == name:
        (home_dir() / "current.json").unlink(missing_ok=True)
    return kept


def _content_files(root: str) -> list[Path]:
    """Files in a local root's ``.lamindb/`` that hold artifact content (hidden leftovers aside)."""
    folder = Path(root) / ".lamindb"
    if "://" in root or not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _refuse_content(roots: list[str]) -> None:
    found = [p for root in roots for p in _content_files(root)]
    if not found:
        return
    listed = "\n".join(str(p) for p in found[:20]) + ("\n..." if len(found) > 20 else "")
    raise StorageNotEmpty(
        f"The storage still holds the content of artifacts ({len(found)} files):\n{listed}\n"
        "Delete those artifacts first (artifact.delete(permanent=True)), or pass require_empty=False "
        "to delete their content with the instance."
    )


def _remove_storage(root: str, storage: bool, remove_empty_root: bool) -> list[str]:
    """Remove what the instance keeps in a storage root; return what was kept, to tell."""
    if "://" in root:
        return [
            f"kept the cloud storage {root}: remove {root}/.lamindb yourself if you no longer need it"
        ]
    target = Path(root) if storage else Path(root) / ".lamindb"
    if target.exists():
        # shutil (with bz2 and lzma) costs ~3 ms to import: paid by a deletion, not by connect
        import shutil

        shutil.rmtree(target)
    if storage or not Path(root).is_dir():
        return []
    if not any(Path(root).iterdir()):
        if remove_empty_root:
            Path(root).rmdir()
        return []
    return [f"kept the files outside .lamindb/ in {root}"] if remove_empty_root else []


def redact(url: str) -> str:
    """A database URL without its password.

    Examples
    --------
    >>> redact("postgresql://me:secret@host:5432/db")
    'postgresql://me:***@host:5432/db'
    """
    return re.sub(r"://([^:@/]+):[^@/]+@", r"://\1:***@", url)

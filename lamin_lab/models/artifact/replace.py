"""``artifact.replace(data)``: new content under the same uid (and key, with the new suffix).

As in LaminDB: the content must come from outside every storage location, a file
replaces a file and a folder a folder, and content stored under another suffix
renames the key (``r/t.csv`` replaced by a parquet table becomes ``r/t.parquet``). For an
artifact registered in place (a real key), the new content is written at the new key
and the old file removed, on ``save()``.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath
from typing import Any

from ...errors import InvalidArgument
from ...storage import to_path
from ..mixins import current_run_id
from ..storage_access import storage_containing
from .create import artifact_fields

logger = logging.getLogger("lamin_lab")

_CONTENT_FIELDS = ("hash", "_hash_type", "size", "n_files", "suffix", "otype", "n_observations")


def replace_content(artifact: Any, data: Any, run: Any = None, format: str | None = None) -> None:
    """Stage new content on ``artifact``; ``save()`` puts it in place of the old one.

    Examples
    --------
    >>> replace_content(artifact, "./fixed.csv"); artifact.save()  # doctest: +SKIP
    """
    if artifact._pk is None:
        raise InvalidArgument(
            "replace() swaps the content of a saved artifact: save it first, or build a new one."
        )
    _refuse_path_in_storage(data)
    found = artifact_fields(
        data, key=None, description=None, kind=None, format=format, labelled=True
    )
    build = found.pop("_build")
    _refuse_other_shape(artifact, found)
    if found["hash"] == artifact.hash:
        return
    old_path = artifact.path
    if found["suffix"] != artifact.suffix:
        _rename_key(artifact, found["suffix"] or "")
    for name in _CONTENT_FIELDS:
        setattr(artifact, name, found.get(name))
    run = current_run_id() if run is None else run  # run=False: leave the run as it is
    if run is not None and run is not False:
        artifact.run = run
    build["replaces"] = old_path
    artifact._build = build
    artifact._is_existing = False


def _refuse_path_in_storage(data: Any) -> None:
    """Content inside a storage location belongs there: replace() copies from elsewhere only."""
    if not (isinstance(data, str) or hasattr(data, "__fspath__") or hasattr(data, "fs")):
        return
    storage = storage_containing(to_path(data))
    if storage is not None:
        raise InvalidArgument(
            f"{data} lies inside storage {storage.root}: replace() takes content from outside every "
            "storage location. Copy it elsewhere first, or register it as an artifact of its own with "
            "ln.Artifact(path).save()."
        )


def _refuse_other_shape(artifact: Any, found: dict[str, Any]) -> None:
    """A file replaces a file, a folder replaces a folder."""
    was_folder, is_folder = artifact.n_files is not None, found.get("n_files") is not None
    if was_folder == is_folder:
        return
    old, new = ("a folder", "a file") if was_folder else ("a file", "a folder")
    raise InvalidArgument(
        f"{artifact._short_repr()} is {old}: replace() cannot put {new} in its place. "
        f"Save {new} as a new artifact instead, e.g. ln.Artifact(path, key=...).save()."
    )


def _rename_key(artifact: Any, suffix: str) -> None:
    """The key follows the content's new suffix; a real key's old file goes on ``save()``."""
    key = artifact.key
    if key is None:
        return
    new_key = PurePosixPath(key).with_suffix(suffix).as_posix()
    real_key = artifact._real_key  # a file in place under another key: its place follows too
    if real_key is not None:
        artifact._real_key = PurePosixPath(real_key).with_suffix(suffix).as_posix()
    if not artifact._key_is_virtual or real_key is not None:
        logger.warning(
            "replacing the content changes the key %r to %r; %r is deleted on save()",
            key,
            new_key,
            real_key or key,
        )
    artifact.key = new_key

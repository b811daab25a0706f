"""Building an Artifact from a path, a folder or an in-memory object (before saving).

The steps: serialise in-memory data to a local file, find the storage location (a
path inside a registered root is registered in place with its real key; anything else
is copied into the default storage on save), hash the content, then either return the
existing artifact with the same hash or decide whether this is a new version of the
artifact with the same key.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument
from ..settings import settings
from ..storage import (
    describe_object,
    hash_dir,
    hash_file,
    infer_suffix,
    is_cloud,
    key_inside,
    suffix_of,
    to_path,
    validate_key,
    write_object,
)
from ..orm.uid import base62
from .storage_access import cloud_storage_for, default_storage, storage_containing

logger = logging.getLogger("lamin_lab")

KINDS = ("dataset", "model", "__lamindb_run__", "__lamindb_config__")


def _is_memory_object(data: Any) -> bool:
    name = type(data).__name__
    return name in ("DataFrame", "AnnData", "MuData")


def serialize(data: Any, key: str | None, format: str | None,
              options: dict[str, Any] | None = None) -> tuple[Path, dict[str, Any]]:
    """Write an in-memory dataset to a temporary local file in the cache; return it and its metadata."""
    meta = describe_object(data)
    suffix = infer_suffix(data, format, key=key)
    staging = settings.cache_dir / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    target = staging / f"{base62(16)}{suffix}"
    write_object(data, target, format=suffix, options=options)
    return target, meta


def _content_info(path: Any) -> dict[str, Any]:
    if path.is_dir():
        h, hash_type, n_files, size = hash_dir(path)
        return {"hash": h, "_hash_type": hash_type, "n_files": n_files, "size": size}
    h, hash_type = hash_file(path)
    return {"hash": h, "_hash_type": hash_type, "n_files": None, "size": path.stat().st_size}


def locate(path: Any, key: str | None) -> tuple[Any, str | None, bool]:
    """(storage, key, key_is_virtual) for a path: in place inside a root, else copied on save."""
    storage = storage_containing(path)
    if storage is None and is_cloud(path):
        storage = cloud_storage_for(path)
    if storage is None:
        return default_storage(), key, True
    real_key = key_inside(path, storage.root)
    if key is not None and key != real_key:
        raise InvalidArgument(
            f"{path} lies inside storage {storage.root} with key {real_key!r}; it is registered in place, "
            f"so key= must be {real_key!r} (or leave key= out). To store a copy under {key!r}, copy the file "
            "outside the storage root first."
        )
    return storage, real_key, False


def artifact_fields(data: Any, *, key: str | None, description: str | None, kind: str | None,
                    format: str | None, write_options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything an unsaved Artifact needs from its data, plus private build state."""
    if key is not None:
        validate_key(key)
    if kind is not None and kind not in KINDS:
        raise InvalidArgument(f"kind must be one of {', '.join(KINDS)}, not {kind!r}.")
    if _is_memory_object(data):
        local, meta = serialize(data, key, format, write_options)
        fields = {**meta, **_content_info(local), "suffix": suffix_of(local)}
        storage, key_is_virtual = default_storage(), True
        build = {"local_path": local, "memory_rep": data, "owns_local": True}
    elif isinstance(data, (str, Path)) or hasattr(data, "fs"):
        path = to_path(data)
        if not path.exists():
            raise InvalidArgument(f"{data} does not exist: check the path (for cloud paths, the credentials too).")
        storage, key, key_is_virtual = locate(path, key)
        fields = {**_content_info(path), "suffix": suffix_of(path)}
        if path.is_dir() and fields["n_files"] == 0:
            raise InvalidArgument(f"Folder {data} is empty: there is nothing to register.")
        build = {"local_path": None if not key_is_virtual else path, "memory_rep": None, "owns_local": False}
        if key is None and key_is_virtual:
            fields["description"] = description or path.name
    else:
        raise InvalidArgument(
            f"Artifact() takes a path, a pandas DataFrame, an AnnData or a MuData, not {type(data).__name__}."
        )
    if key is not None and key_is_virtual and suffix_of(key) and fields["suffix"] and suffix_of(key) != fields["suffix"]:
        raise InvalidArgument(
            f"key {key!r} ends with {suffix_of(key)} but the data is stored as {fields['suffix']}: "
            f"use a key ending in {fields['suffix']} (or pass format=)."
        )
    fields.update(storage=storage, key=key, _key_is_virtual=key_is_virtual, kind=kind or fields.get("kind"))
    if description is not None:
        fields["description"] = description
    fields["_build"] = build
    return fields

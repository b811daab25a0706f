"""Building an Artifact from a path, a folder or an in-memory object (before saving).

The steps: serialise in-memory data to a local file, find the storage location (a
path inside a registered root is registered in place with its real key; anything else
is copied into the default storage on save), hash the content, then either return the
existing artifact with the same hash or decide whether this is a new version of the
artifact with the same key.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

from ...errors import InvalidArgument, PathDoesNotExist
from ...settings import settings
from ...storage import (
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
from ...storage.suffixes import artifact_suffix, key_raw_suffix
from ...orm.branches import TRASH
from ...orm.compiled import fetch_compiled
from ...orm.rows import records_from_rows
from ...orm.uid import base62
from ..storage_access import cloud_storage_for, default_storage, storage_containing

logger = logging.getLogger("lamin_lab")

KINDS = ("dataset", "model", "__lamindb_run__", "__lamindb_config__")


# What a file or folder holds, as LaminDB infers it from the name (no file is opened,
# except a local ``.zarr`` folder's attributes): ``otype`` of an ``Artifact(path)``.
_OTYPE_OF_SUFFIX = {
    ".parquet": "DataFrame",
    ".csv": "DataFrame",
    ".ipc": "DataFrame",
    ".h5ad": "AnnData",
    ".h5mu": "MuData",
}
_OTYPE_OF_ZARR_TAG = {".anndata": "AnnData", ".mudata": "MuData", ".spatialdata": "SpatialData"}


def otype_of_path(path: Any) -> str | None:
    """The object type a path holds, from its name: ``DataFrame``, ``AnnData``, ``MuData`` ... or None.

    Examples
    --------
    >>> otype_of_path("cells.csv"), otype_of_path("x.h5ad"), otype_of_path("x.anndata.zarr"), otype_of_path("a.txt")
    ('DataFrame', 'AnnData', 'AnnData', None)
    """
    name = str(path).rstrip("/").rsplit("/", 1)[-1]
    parts = ["." + p for p in name.split(".")[1:]]
    if not parts:
        return None
    if parts[-1] in (".parquet", ".csv", ".ipc"):
        return _OTYPE_OF_SUFFIX[parts[-1]]
    found = next((_OTYPE_OF_SUFFIX[p] for p in parts if p in (".h5ad", ".h5mu")), None)
    if found is not None or parts[-1] != ".zarr":
        return found
    tagged = next((_OTYPE_OF_ZARR_TAG[p] for p in parts if p in _OTYPE_OF_ZARR_TAG), None)
    return tagged if tagged is not None else _zarr_encoding(path)


def _zarr_encoding(path: Any) -> str | None:
    """``AnnData`` when a local zarr store says it was written by anndata, else None."""
    import json

    if is_cloud(path):
        return None
    for attrs in (Path(path) / ".zattrs", Path(path) / "zarr.json"):
        try:
            data = json.loads(attrs.read_text())
        except (OSError, ValueError):
            continue
        data = data.get("attributes", data)
        return "AnnData" if data.get("encoding-type") == "anndata" else None
    return None


def _is_memory_object(data: Any) -> bool:
    name = type(data).__name__
    return name in ("DataFrame", "AnnData", "MuData")


def serialize(
    data: Any, key: str | None, format: str | None, options: dict[str, Any] | None = None
) -> tuple[Path, dict[str, Any]]:
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


def locate(
    path: Any, key: str | None, key_is_virtual: bool | None = None
) -> tuple[Any, str | None, bool, str | None, bool]:
    """(storage, key, key_is_virtual, real_key, in_place) for a path: in place inside a root, else copied.

    A path inside a registered root is registered in place: without a key (or given its
    place as the key) it keeps its real key; given another ``key=`` that key is virtual and
    ``_real_key`` records the place, as in LaminDB. Elsewhere the copy is stored under the
    uid (``.lamindb/<uid><suffix>``) or, with ``key_is_virtual=False``, under the key.
    """
    storage = storage_containing(path)
    if storage is None and is_cloud(path):
        storage = cloud_storage_for(path)
    if storage is None:
        return default_storage(), key, _virtual_or_real(key, key_is_virtual), None, False
    real_key = key_inside(path, storage.root)
    if key is not None and key != real_key:
        if key_is_virtual is False:
            raise InvalidArgument(
                f"{path} lies inside storage {storage.root} under {real_key!r}: given key={key!r} it is "
                f"registered in place under that virtual key, so leave key_is_virtual= out (or pass "
                f"key={real_key!r})."
            )
        return storage, key, True, real_key, True
    if key_is_virtual:
        raise InvalidArgument(
            f"{path} lies inside storage {storage.root} and is registered in place under its real key "
            f"{real_key!r}: leave key_is_virtual= out (or pass key_is_virtual=False)."
        )
    return storage, real_key, False, None, True


def _virtual_or_real(key: str | None, key_is_virtual: bool | None) -> bool:
    if key_is_virtual is None:  # without a key the copy goes under the uid either way
        return settings.creation._artifact_use_virtual_keys or key is None
    if key_is_virtual:
        return True
    if key is None:
        raise InvalidArgument(
            "key_is_virtual=False stores the content under its key: pass key=... as well."
        )
    return False


def check_labelled(key: str | None, description: str | None, run: Any) -> None:
    """An artifact needs a key, a description or a run (``ln.track()``) to be found again."""
    if key is None and description is None and run is None:
        raise InvalidArgument(
            "Pass one of key=, description= or run= (or call ln.track() first): an artifact with none of "
            "them cannot be found again, e.g. ln.Artifact(path, key='raw/cells.csv')."
        )


def artifact_fields(
    data: Any,
    *,
    key: str | None,
    description: str | None,
    kind: str | None,
    format: str | None,
    write_options: dict[str, Any] | None = None,
    key_is_virtual: bool | None = None,
    run: Any = None,
    labelled: bool = False,
) -> dict[str, Any]:
    """Everything an unsaved Artifact needs from its data, plus private build state.

    Every check runs before anything is written (an in-memory object is serialised last).
    ``labelled=True``: the content is for an artifact that has its key or description (``replace()``).
    """
    if key is not None:  # LaminDB keeps a leading slash: harmless for a virtual key
        validate_key(key[1:] if key.startswith("/") and not key.startswith("//") else key)
    if kind is not None and kind not in KINDS:
        raise InvalidArgument(f"kind must be one of {', '.join(KINDS)}, not {kind!r}.")
    if _is_memory_object(data):
        if not labelled:
            check_labelled(key, description, run)
        virtual = _virtual_or_real(key, key_is_virtual)
        raw = infer_suffix(data, format, key=key)
        _check_key_suffix(key, raw)  # before anything is written
        local, meta = serialize(data, key, format, write_options)
        fields = {**meta, **_content_info(local), "suffix": suffix_of(local)}
        storage = default_storage()
        build = {"local_path": local, "memory_rep": data, "owns_local": True}
    elif isinstance(data, (str, Path)) or hasattr(data, "fs"):
        path = to_path(data)
        if not path.exists():
            raise PathDoesNotExist(
                f"{data} does not exist: check the path (for cloud paths, the credentials too)."
            )
        storage, key, virtual, real_key, in_place = locate(path, key, key_is_virtual)
        if not labelled:
            check_labelled(key, description, run)
        suffix, raw = artifact_suffix(path)  # LaminDB's: known formats only, lower-cased
        _check_key_suffix(key, raw)
        fields = {**_content_info(path), "suffix": suffix, "otype": otype_of_path(path)}
        fields["_real_key"] = real_key
        if path.is_dir() and fields["n_files"] == 0:
            raise InvalidArgument(f"Folder {data} is empty: there is nothing to register.")
        build = {
            "local_path": None if in_place else path,
            "memory_rep": None,
            "owns_local": False,
            "in_place": in_place,
        }
    else:
        raise InvalidArgument(
            f"Artifact() takes a path, a pandas DataFrame, an AnnData or a MuData, not {type(data).__name__}."
        )
    _refuse_absolute_real_key(key, virtual)
    fields.update(
        storage=storage, key=key, _key_is_virtual=virtual, kind=kind or fields.get("kind")
    )
    if description is not None:
        fields["description"] = description
    fields["_build"] = build
    return fields


def _refuse_absolute_real_key(key: str | None, virtual: bool) -> None:
    """Content stored under its key (``key_is_virtual=False``) needs a key relative to the root.

    LaminDB writes such content to the file system's root (``/raw/x.txt``), outside the storage.
    """
    if key is not None and key.startswith("/") and not virtual:
        raise InvalidArgument(
            f"key {key!r} starts with '/': content stored under its key (key_is_virtual=False) needs a "
            f"key relative to the storage root, e.g. {key.lstrip('/')!r}; or leave key_is_virtual= out."
        )


def _check_key_suffix(key: str | None, raw: str | None) -> None:
    """A key ends with the data's raw suffix (lower-cased; none when the data has none), as LaminDB requires."""
    raw = (raw or "").lower()
    if key is None or key_raw_suffix(key) == raw:
        return
    wanted = f"a key ending in {raw}" if raw else "a key without a suffix"
    raise InvalidArgument(
        f"key {key!r} ends with {key_raw_suffix(key) or 'no suffix'} but the data is stored as {raw or 'no suffix'}: "
        f"use {wanted} (or, for in-memory data, pass format=)."
    )


def same_content_or_key(
    model: type, found: dict[str, Any], skip_hash: bool, want_previous: bool, in_place: bool
) -> tuple[Any, Any]:
    """(artifact with the same hash, latest artifact with the same key) in one query.

    A path registered in place is looked up by its key only: the latest artifact of that
    key with the same content is the same file registered again, else its previous version.
    """
    by_key = want_previous and found["key"] is not None and (found["_key_is_virtual"] or in_place)
    if skip_hash and not by_key:
        return None, None
    # Compiled once and re-run (saving many small artifacts one by one is a hot path).
    if by_key:
        values = {"key": found["key"], "storage": found["storage"]._pk}
        if not skip_hash:
            values["digest"] = found["hash"]
    else:
        values = {"digest": found["hash"]}
    name = f"artifact:{'-'.join(sorted(values))}"
    candidates = records_from_rows(
        model, fetch_compiled(name, partial(_candidates_query, model), **values)
    )
    if not skip_hash:
        same = next((a for a in candidates if a.hash == found["hash"]), None)
    else:  # looked up by key only: the same content at the same place is the same file
        same = next((a for a in candidates if in_place and a.hash == found["hash"]), None)
    previous = next(
        (a for a in candidates if by_key and a.key == found["key"] and a.is_latest), None
    )
    return same, previous


def _candidates_query(model: Any, digest: Any = None, key: Any = None, storage: Any = None) -> Any:
    conditions = []
    if digest is not None:
        conditions.append(model.hash == digest)
    if key is not None:
        latest = model.is_latest == True  # noqa: E712 (a SQL comparison, not a truth test)
        conditions.append((model.key == key) & (model.storage == storage) & latest)
    where = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]
    return (
        model.select().where(where & (model.branch_id != TRASH)).order_by(model.id.desc()).limit(20)
    )

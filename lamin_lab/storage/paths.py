"""Paths: local ``pathlib.Path`` or cloud ``UPath``, storage types, keys and suffixes.

Local paths stay plain :class:`pathlib.Path` (fast, no fsspec involved); anything
with a protocol other than ``file://`` (``s3://``, ``gs://``, ``memory://``, ...)
becomes a :class:`upath.UPath`, imported only when such a path shows up.

S3 endpoints and credentials come from the standard AWS environment variables
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_DEFAULT_REGION``, ``AWS_PROFILE``): s3fs hands them to botocore, which reads
them. Nothing here overrides them, so pointing lamin_lab at MinIO or moto is a
matter of setting ``AWS_ENDPOINT_URL``.

Examples
--------
>>> from lamin_lab.storage.paths import suffix_of, storage_type
>>> suffix_of("pbmc.anndata.zarr"), storage_type("s3://bucket/folder")
('.anndata.zarr', 's3')
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from lamin_lab.errors import InvalidArgument, UnknownStorageLocation

#: Where a storage root keeps the content of artifacts with virtual keys: ``<root>/.lamindb/<uid><suffix>``
#: (LaminDB's name, ``ln.core.storage.paths.AUTO_KEY_PREFIX``).
AUTO_KEY_PREFIX = ".lamindb/"

# Protocol aliases fsspec accepts, mapped to the name we store.
_PROTOCOL_ALIASES = {"s3a": "s3", "gcs": "gs", "file": "local", "local": "local", "": "local"}

# Suffixes that may stand on their own or start a compound suffix such as
# ``.csv.gz`` / ``.tar.gz`` (the second-to-last part is looked up here).
KNOWN_SUFFIXES: set[str] = {
    ".bam", ".bed", ".bin", ".ckpt", ".csv", ".fasta", ".fastq", ".fcs", ".fq",
    ".gif", ".h5", ".h5ad", ".h5mu", ".hdf5", ".html", ".ipynb", ".jpeg", ".jpg",
    ".json", ".keras", ".md", ".mtx", ".npy", ".npz", ".obo", ".onnx", ".parquet",
    ".pdf", ".pickle", ".pkl", ".png", ".pt", ".pth", ".py", ".R", ".rds", ".safetensors",
    ".sam", ".svg", ".tar", ".tif", ".tiff", ".tsv", ".txt", ".vcf", ".xlsx", ".xml",
    ".yaml", ".yml", ".zarr", ".zip", ".ipc", ".feather", ".arrow",
}  # fmt: skip

# Compound suffixes recognised as a whole wherever the name ends with them.
COMPOSITE_SUFFIXES: set[str] = {
    ".anndata.zarr",
    ".ome.zarr",
    ".spatialdata.zarr",
    ".vitessce.json",
}


def storage_type(root: Any) -> str:
    """Return the storage type of a path: ``"local"``, ``"s3"``, ``"gs"``, ``"memory"``, ...

    Parameters
    ----------
    root
        A path as ``str``, :class:`pathlib.Path` or ``UPath``.

    Examples
    --------
    >>> storage_type("/data"), storage_type("s3://bucket"), storage_type("gcs://b/k")
    ('local', 's3', 'gs')
    """
    if isinstance(root, os.PathLike) and not hasattr(root, "protocol"):
        return "local"
    protocol = getattr(root, "protocol", None)
    if protocol is None:
        text = os.fspath(root) if isinstance(root, os.PathLike) else str(root)
        protocol = text.split("://", 1)[0] if "://" in text else ""
    if isinstance(protocol, (tuple, list)):
        protocol = protocol[0]
    protocol = protocol.lower()
    return _PROTOCOL_ALIASES.get(protocol, protocol)


def is_cloud(path: Any) -> bool:
    """Return whether ``path`` lives outside the local file system.

    Examples
    --------
    >>> is_cloud("s3://bucket/key"), is_cloud("/tmp/file")
    (True, False)
    """
    return storage_type(path) != "local"


def to_path(path_or_str: Any) -> Any:
    """Turn a string or path into a ``pathlib.Path`` (local) or a ``UPath`` (cloud).

    ``file://`` URLs and protocol-less strings become local paths (``~`` expanded);
    ``s3://``, ``gs://``, ``memory://`` and other fsspec URLs become ``UPath``.

    Examples
    --------
    >>> to_path("~/data.csv").name
    'data.csv'
    >>> type(to_path("s3://bucket/data.csv")).__name__
    'S3Path'
    """
    if isinstance(path_or_str, Path):
        return path_or_str
    is_upath = hasattr(path_or_str, "protocol") and hasattr(path_or_str, "fs")
    if not is_upath and not isinstance(path_or_str, (str, os.PathLike)):
        raise InvalidArgument(
            f"expected a path or a string, got {type(path_or_str).__name__}; "
            "pass e.g. '/data/file.csv' or 's3://bucket/file.csv'"
        )
    kind = storage_type(path_or_str)
    if kind == "local":
        if is_upath:  # a local UPath
            return Path(path_or_str.path)
        text = os.fspath(path_or_str)
        if text.lower().startswith("file://"):
            text = text[len("file://") :]
        if not text:
            raise InvalidArgument("the path is empty; pass a file or folder path")
        return Path(text).expanduser()
    if is_upath:
        return path_or_str
    from upath import UPath  # lazy: fsspec is heavy

    return UPath(os.fspath(path_or_str))


def _cloud_text(path: Any) -> str:
    """Normalised URL of a cloud path without a trailing slash."""
    text = str(to_path(path))
    protocol, rest = text.split("://", 1)
    protocol = _PROTOCOL_ALIASES.get(protocol.lower(), protocol.lower())
    return f"{protocol}://{rest.strip('/')}"


def is_inside(path: Any, root: Any) -> bool:
    """Return whether ``path`` is ``root`` itself or lies below it.

    Local paths are compared after resolving symlinks; cloud paths by URL,
    on whole path segments (``s3://b/ab`` is not inside ``s3://b/a``).

    Examples
    --------
    >>> is_inside("s3://bucket/a/b.csv", "s3://bucket/a")
    True
    >>> is_inside("s3://bucket/ab.csv", "s3://bucket/a")
    False
    """
    if storage_type(path) != storage_type(root):
        return False
    if storage_type(path) == "local":
        path_r, root_r = to_path(path).resolve(), to_path(root).resolve()
        return path_r == root_r or root_r in path_r.parents
    path_t, root_t = _cloud_text(path), _cloud_text(root)
    return path_t == root_t or path_t.startswith(root_t + "/")


def key_inside(path: Any, root: Any) -> str:
    """Return the posix key of ``path`` relative to the storage ``root``.

    Raises
    ------
    UnknownStorageLocation
        If ``path`` is not below ``root``.

    Examples
    --------
    >>> key_inside("s3://bucket/folder/file.csv", "s3://bucket")
    'folder/file.csv'
    """
    if not is_inside(path, root) or _same_location(path, root):
        raise UnknownStorageLocation(
            f"'{path}' is not inside the storage location '{root}'; "
            "pass a path below that root, or register its location as a storage"
        )
    if storage_type(path) == "local":
        rel = to_path(path).resolve().relative_to(to_path(root).resolve())
        return rel.as_posix()
    return _cloud_text(path)[len(_cloud_text(root)) + 1 :]


def _same_location(path: Any, root: Any) -> bool:
    if storage_type(path) == "local":
        return to_path(path).resolve() == to_path(root).resolve()
    return _cloud_text(path) == _cloud_text(root)


def validate_key(key: Any) -> str:
    """Check that ``key`` is a clean relative posix key and return it unchanged.

    A key names a file inside a storage location, e.g. ``"folder/file.csv"``.

    Raises
    ------
    InvalidArgument
        For a non-string or empty key, an absolute key, backslashes, a trailing
        slash, empty segments (``a//b``), ``.`` or ``..`` segments, or control
        characters. The message says how to write the key instead.

    Examples
    --------
    >>> validate_key("raw/sample_1.fastq.gz")
    'raw/sample_1.fastq.gz'
    """
    if not isinstance(key, str):
        raise InvalidArgument(
            f"a key must be a string, got {type(key).__name__}; e.g. 'folder/file.csv'"
        )
    if key == "":
        raise InvalidArgument("the key is empty; pass a relative path such as 'folder/file.csv'")
    if "\\" in key:
        fixed = key.replace("\\", "/")
        raise InvalidArgument(f"key '{key}' contains a backslash; use forward slashes: '{fixed}'")
    if key.startswith("/") or (len(key) > 1 and key[1] == ":" and key[0].isalpha()):
        example = key.lstrip("/") if key.startswith("/") else "folder/file.csv"
        raise InvalidArgument(
            f"key '{key}' is absolute; keys are relative to the storage root, e.g. '{example}'"
        )
    if key.endswith("/"):
        raise InvalidArgument(
            f"key '{key}' ends with '/'; drop the trailing slash: '{key.rstrip('/')}'"
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in key):
        raise InvalidArgument(f"key {key!r} contains control characters; remove them")
    segments = key.split("/")
    if "" in segments:
        fixed = "/".join(s for s in segments if s)
        raise InvalidArgument(f"key '{key}' has an empty segment ('//'); write it as '{fixed}'")
    if ".." in segments or "." in segments:
        raise InvalidArgument(
            f"key '{key}' contains '.' or '..' segments; keys cannot point outside or "
            "around folders: write the plain path, e.g. 'folder/file.csv'"
        )
    return key


def _strip_digits(suffix: str) -> str:
    # ".1" in "run.1" is a counter, not a format: no canonical suffix.
    return "" if suffix[1:].isdigit() else suffix


def suffix_of(path: Any) -> str:
    """Return the canonical suffix of a file or folder name ("" if there is none).

    Rules, applied to the name only:

    1. zero or one suffix: that suffix (``.csv``); a pure number (``.1``) gives ``""``;
    2. the whole compound suffix is a known suffix: it (``.csv``, from ``a.csv``);
    3. the name ends with a composite suffix: it (``.anndata.zarr``, ``.ome.zarr``);
    4. the second-to-last part is a known suffix: the last two (``.tar.gz``,
       ``.fastq.gz``, ``.csv.gz``);
    5. otherwise only the last part (``my.data.csv`` gives ``.csv``).

    Extend :data:`KNOWN_SUFFIXES` / :data:`COMPOSITE_SUFFIXES` to teach it new formats.

    Examples
    --------
    >>> suffix_of("pbmc.anndata.zarr"), suffix_of("reads.fastq.gz"), suffix_of("x.v2.csv")
    ('.anndata.zarr', '.fastq.gz', '.csv')
    """
    name = PurePosixPath(str(path).rstrip("/")).name
    suffixes = PurePosixPath(name).suffixes
    if len(suffixes) <= 1:
        return _strip_digits(suffixes[0]) if suffixes else ""
    total = "".join(suffixes)
    if total in KNOWN_SUFFIXES:
        return total
    for composite in sorted(COMPOSITE_SUFFIXES, key=len, reverse=True):
        if total.endswith(composite):
            return composite
    if suffixes[-2] in KNOWN_SUFFIXES:
        return "".join(suffixes[-2:])
    return _strip_digits(suffixes[-1])


__all__ = [
    "COMPOSITE_SUFFIXES",
    "KNOWN_SUFFIXES",
    "is_cloud",
    "is_inside",
    "key_inside",
    "storage_type",
    "suffix_of",
    "to_path",
    "validate_key",
]

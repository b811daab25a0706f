"""Open AnnData stores (``.h5ad`` through h5py, ``.zarr`` through zarr) and read rows fast.

A :class:`StoreHandle` knows where one AnnData object lives and opens it lazily, once per
process: after a fork (DataLoader workers) or an unpickle (spawn) it reopens on first use,
and pickling never carries an open handle. Arrays are read through the reader objects
of :mod:`lamin_lab.mapped.readers`.

Examples
--------
>>> handle = StoreHandle("pbmc.h5ad")  # doctest: +SKIP
>>> handle.n_obs()  # doctest: +SKIP
20000
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from lamin_lab.errors import InvalidArgument, StorageError

# A larger HDF5 chunk cache helps chunked (compressed) datasets read row by row.
_H5_CHUNK_CACHE = 16 * 1024 * 1024


def merge_runs(rows: np.ndarray, max_gap: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Merge sorted unique row numbers into half-open ``[start, stop)`` spans.

    Rows closer than ``max_gap`` missing rows are merged into one span, so a reader
    issues one call per span instead of one per row.

    Examples
    --------
    >>> merge_runs(np.array([1, 2, 3, 7, 9]), max_gap=1)
    (array([1, 7]), array([ 4, 10]))
    """
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    breaks = np.flatnonzero(np.diff(rows) > max_gap + 1)
    starts = rows[np.concatenate(([0], breaks + 1))]
    stops = rows[np.concatenate((breaks, [rows.size - 1]))] + 1
    return starts, stops


def is_local_path(path: str) -> bool:
    """Tell whether ``path`` names a local file or folder (no ``scheme://``)."""
    return "://" not in path or path.startswith("file://")


def _decode(values: np.ndarray) -> np.ndarray:
    """Turn bytes or StringDType arrays into object arrays of ``str``."""
    if values.dtype.kind == "S" or (
        values.dtype == object and values.size and isinstance(values.flat[0], bytes)
    ):
        return np.array([v.decode("utf-8") for v in values], dtype=object)
    return values.astype(object) if values.dtype.kind in "UT" else values


class StoreHandle:
    """Lazily opened, fork- and pickle-safe access to one AnnData store.

    Parameters
    ----------
    path
        Local path or (with ``stream=True``) a URL that fsspec understands.
    stream
        Read a remote store directly through fsspec file objects instead of refusing it.
    storage_options
        Passed to fsspec when streaming.

    Examples
    --------
    >>> handle = StoreHandle("pbmc.h5ad")  # doctest: +SKIP
    >>> handle.group["obs"]  # doctest: +SKIP
    """

    def __init__(self, path: Any, stream: bool = False, storage_options: dict | None = None):
        options = dict(storage_options or {})
        options.update(getattr(path, "storage_options", None) or {})
        self.path = str(path)
        self.local = is_local_path(self.path)
        if self.path.startswith("file://"):
            self.path = self.path[len("file://") :]
        if not self.local and not stream:
            raise InvalidArgument(
                f"{self.path} is not a local path: cache it first (artifact.cache()) or "
                "pass stream=True to read it directly."
            )
        self.stream = stream
        self.storage_options = options
        self.kind = self._detect_kind()
        self._pid: int | None = None
        self._group: Any = None
        self._fileobj: Any = None
        self._fd: int | None = None
        self._nodes: dict[str, Any] = {}

    def _detect_kind(self) -> str:
        stripped = self.path.rstrip("/")
        if stripped.endswith(".zarr") or (self.local and Path(stripped).is_dir()):
            return "zarr"
        if self.local and not Path(self.path).exists():
            raise StorageError(f"{self.path} does not exist: check the path or re-cache it.")
        return "h5ad"

    # -------------------------------------------------------------- opening
    def _check_process(self) -> None:
        # Handles inherited through fork are not safe to share: drop them, reopen lazily.
        if self._pid != os.getpid():
            self._group = self._fileobj = None
            self._fd = None
            self._nodes = {}
            self._pid = os.getpid()

    @property
    def group(self) -> Any:
        """The root group (``h5py.File`` or ``zarr.Group``), opened on first use."""
        self._check_process()
        if self._group is None:
            self._group = self._open_group()
        return self._group

    def node(self, key: str) -> Any:
        """The array at ``key``, looked up once per open (no group look-up per item)."""
        self._check_process()
        found = self._nodes.get(key)
        if found is None:
            found = self._nodes[key] = self.group[key]
        return found

    def _open_group(self) -> Any:
        try:
            if self.kind == "zarr":
                return self._open_zarr()
            if self.local:
                return h5py.File(self.path, "r", rdcc_nbytes=_H5_CHUNK_CACHE)
            import fsspec

            fs, inner = fsspec.core.url_to_fs(self.path, **self.storage_options)
            self._fileobj = fs.open(inner, "rb")
            return h5py.File(self._fileobj, "r", rdcc_nbytes=_H5_CHUNK_CACHE)
        except (OSError, ValueError, KeyError) as error:
            raise StorageError(
                f"cannot open {self.path} as {self.kind}: {error}. Check that it is an "
                "AnnData .h5ad file or .zarr folder."
            ) from error

    def _open_zarr(self) -> Any:
        import zarr

        if self.local:
            return zarr.open_group(self.path, mode="r")
        return zarr.open_group(self.path, mode="r", storage_options=self.storage_options)

    @property
    def fd(self) -> int:
        """An OS file descriptor for positional reads of a local h5ad file."""
        self._check_process()
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY)
        return self._fd

    def close(self) -> None:
        """Close every handle opened in this process (reopened on next use)."""
        if self._pid == os.getpid():
            if self._group is not None and hasattr(self._group, "close"):
                self._group.close()
            if self._fileobj is not None:
                self._fileobj.close()
            if self._fd is not None:
                os.close(self._fd)
        self._group = self._fileobj = None
        self._fd = None
        self._nodes = {}

    def __del__(self) -> None:
        # Only the raw descriptor needs this: h5py and fsspec close their own on collection.
        try:
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
        except (AttributeError, OSError, TypeError):
            pass

    @property
    def is_open(self) -> bool:
        """Whether this process holds an open handle."""
        return self._pid == os.getpid() and (self._group is not None or self._fd is not None)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.update(_group=None, _fileobj=None, _fd=None, _pid=None, _nodes={})
        return state

    # -------------------------------------------------------------- metadata
    def has(self, key: str) -> bool:
        """Whether the store has an element at ``key`` (e.g. ``"raw/X"``)."""
        node = self.group
        for part in key.split("/"):
            if not _is_group(node) or part not in node:
                return False
            node = node[part]
        return True

    def n_obs(self) -> int:
        """Number of observations (rows of ``X``)."""
        return int(matrix_shape(self.group["X"])[0])

    def index(self, df_key: str) -> np.ndarray:
        """The index of a dataframe element (``"var"``, ``"raw/var"``) as ``str`` objects."""
        df = self.group[df_key]
        index_key = df.attrs.get("_index", "_index")
        node = df[index_key]
        if _is_group(node) and "values" in node:
            # anndata >= 0.12 with pandas string dtypes writes the index as a
            # nullable-string-array group (values + mask); an index has no missing entries.
            node = node["values"]
        return _decode(np.asarray(node[...]))

    def obs_column(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Read one ``.obs`` column as ``(codes, categories)``.

        Categorical columns give their stored codes (``-1`` = missing); other columns
        are factorised so every column is handled the same way downstream.
        """
        node = self.group["obs"][key]
        if _is_group(node) and "codes" in node:
            return np.asarray(node["codes"][...]), _decode(np.asarray(node["categories"][...]))
        if _is_group(node) and "values" in node:  # nullable integer/boolean/string
            values = _decode(np.asarray(node["values"][...]))
            mask = np.asarray(node["mask"][...], dtype=bool)
            return _factorize(values, mask)
        return _factorize(_decode(np.asarray(node[...])), None)

    def obs_codes(self, key: str, rows: np.ndarray) -> np.ndarray:
        """Read stored category codes of ``rows`` (categorical columns only)."""
        return np.asarray(self.node(f"obs/{key}/codes")[rows])


def _factorize(values: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    # NaN is no category: treat it like a masked (missing) value.
    if values.dtype.kind == "f":
        nan = np.isnan(values)
        mask = nan if mask is None else (mask | nan)
    elif values.dtype == object:
        nan = np.array([v is None or v != v for v in values.tolist()], dtype=bool)
        mask = nan if mask is None else (mask | nan)
    if mask is not None and mask.any():
        categories, kept = np.unique(values[~mask], return_inverse=True)
        codes = np.full(len(values), -1, dtype=np.int64)
        codes[~mask] = kept.reshape(-1)
        return codes, categories
    categories, codes = np.unique(values, return_inverse=True)
    return codes.reshape(-1).astype(np.int64), categories


def _is_group(node: Any) -> bool:
    return hasattr(node, "keys") and not hasattr(node, "dtype")


def matrix_shape(node: Any) -> tuple[int, int]:
    """Shape of a dense array or an anndata sparse group."""
    if _is_group(node):
        return tuple(int(n) for n in node.attrs["shape"])  # type: ignore[return-value]
    shape = node.shape
    return (int(shape[0]), int(shape[1]) if len(shape) > 1 else 1)

"""Open AnnData stores (``.h5ad`` through h5py, ``.zarr`` through zarr) and read rows fast.

A :class:`StoreHandle` knows where one AnnData object lives and opens it lazily, once per
process: after a fork (DataLoader workers) or an unpickle (spawn) it reopens on first use,
and pickling never carries an open handle. Arrays are read through small reader objects:

- :class:`DenseRows` reads a 2-D dense array. For an uncompressed, contiguous h5py
  dataset on a local disk (what anndata writes by default) it skips h5py altogether and
  reads each run of neighbouring rows with one ``os.preadv`` straight into the output
  buffer; otherwise it merges neighbouring rows into slice reads.
- :class:`CSRRows` reads CSR rows: ``indptr`` is held in memory, ``data``/``indices`` are
  read per merged run and scattered into a dense block once per batch.

Examples
--------
>>> handle = StoreHandle("pbmc.h5ad")  # doctest: +SKIP
>>> reader = open_matrix(handle, "X")  # doctest: +SKIP
>>> block = reader.read_rows(np.array([3, 4, 9]))  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from lamin_lab.errors import InvalidArgument, StorageError

# h5py/zarr calls cost tens of microseconds each: read across gaps of up to this many
# bytes rather than issue another call. pread calls are cheap, so they never read gaps.
_GAP_BYTES = 256 * 1024
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


def _raw_offset(dataset: Any) -> int | None:
    """Byte offset of an uncompressed contiguous h5py dataset, else None."""
    if not isinstance(dataset, h5py.Dataset) or dataset.chunks is not None:
        return None
    if dataset.compression is not None or not dataset.dtype.isnative:
        return None
    return dataset.id.get_offset()


class DenseRows:
    """Rows of a dense 2-D array in one store.

    Parameters
    ----------
    handle
        The store.
    key
        Path of the array inside the store (``"X"``, ``"layers/counts"``, ``"obsm/X_pca"``).

    Examples
    --------
    >>> DenseRows(handle, "X").read_rows(np.array([0, 1, 5])).shape  # doctest: +SKIP
    (3, 2000)
    """

    sparse = False

    def __init__(self, handle: StoreHandle, key: str):
        node = handle.group[key]
        self.handle, self.key = handle, key
        self.ndim = len(node.shape)
        self.shape = matrix_shape(node)
        self.dtype = np.dtype(node.dtype)
        self._row_bytes = self.shape[1] * self.dtype.itemsize
        self._offset = _raw_offset(node) if handle.local else None
        self._max_gap = max(0, _GAP_BYTES // max(1, self._row_bytes))

    def _node(self) -> Any:
        return self.handle.node(self.key)

    def read_row(self, row: int) -> np.ndarray:
        """Read one row as a 1-D array."""
        if self._offset is not None:
            out = np.empty(self.shape[1], dtype=self.dtype)
            self._pread(out, row, 1)
            return out
        return np.asarray(self._node()[row]).reshape(self.shape[1])

    def read_rows(self, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Read sorted unique ``rows`` into a ``(len(rows), n_cols)`` array."""
        if out is None:
            out = np.empty((len(rows), self.shape[1]), dtype=self.dtype)
        if len(rows) == 0:
            return out
        if self._offset is not None:
            starts, stops = merge_runs(rows, 0)
            pos = 0
            for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
                self._pread(out[pos : pos + stop - start], start, stop - start)
                pos += stop - start
            return out
        node = self._node()
        if self.handle.kind == "zarr":
            out[:] = np.asarray(node.oindex[rows]).reshape(len(rows), -1)
            return out
        starts, stops = merge_runs(rows, self._max_gap)
        for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
            lo, hi = np.searchsorted(rows, [start, stop])
            block = np.asarray(node[start:stop]).reshape(stop - start, -1)
            out[lo:hi] = block[rows[lo:hi] - start]
        return out

    def _pread(self, target: np.ndarray, start: int, n_rows: int) -> None:
        # target is C-contiguous, so the bytes land in place without an extra copy.
        nbytes = n_rows * self._row_bytes
        offset = self._offset + start * self._row_bytes
        got = os.preadv(self.handle.fd, [memoryview(target).cast("B")], offset)
        if got != nbytes:
            raise StorageError(
                f"short read from {self.handle.path} ({got} of {nbytes} bytes): the file "
                "was truncated or changed while open; re-cache it."
            )


def _chunk_offsets(dataset: Any) -> tuple[int, np.ndarray] | None:
    """``(chunk_length, byte offset per chunk)`` of an unfiltered chunked 1-D dataset.

    anndata writes sparse ``data``/``indices`` chunked but uncompressed: their chunks
    can be read with ``pread`` like a contiguous array, one piece per chunk touched.
    """
    if not isinstance(dataset, h5py.Dataset) or dataset.chunks is None or dataset.ndim != 1:
        return None
    if dataset.id.get_create_plist().get_nfilters() or not dataset.dtype.isnative:
        return None
    chunk = int(dataset.chunks[0])
    n_chunks = -(-int(dataset.shape[0]) // chunk)
    offsets = np.full(n_chunks, -1, dtype=np.int64)
    for i in range(dataset.id.get_num_chunks()):
        info = dataset.id.get_chunk_info(i)
        if info.byte_offset is not None and info.filter_mask == 0:
            offsets[info.chunk_offset[0] // chunk] = info.byte_offset
    if (offsets < 0).any():  # unallocated chunks: let h5py fill them in
        return None
    return chunk, offsets


class _Span1D:
    """Spans of a 1-D array (``data`` or ``indices`` of a CSR matrix).

    Read with ``pread`` when the dataset is contiguous or chunked without filters,
    else through h5py/zarr slicing.
    """

    def __init__(self, handle: StoreHandle, key: str):
        node = handle.group[key]
        self.handle, self.key = handle, key
        self.dtype = np.dtype(node.dtype)
        self._offset = _raw_offset(node) if handle.local else None
        self._chunks = None
        if self._offset is None and handle.local and handle.kind == "h5ad":
            self._chunks = _chunk_offsets(node)

    @property
    def direct(self) -> bool:
        """Whether spans are read with ``pread`` (no h5py call per span)."""
        return self._offset is not None or self._chunks is not None

    def _pieces(self, start: int, stop: int) -> list[tuple[int, int]]:
        """File byte offsets and element counts that make up ``[start, stop)``."""
        size = self.dtype.itemsize
        if self._offset is not None:
            return [(self._offset + start * size, stop - start)]
        chunk, offsets = self._chunks
        pieces = []
        while start < stop:
            k, within = divmod(start, chunk)
            n = min(stop - start, chunk - within)
            pieces.append((int(offsets[k]) + within * size, n))
            start += n
        return pieces

    def read_spans(self, starts: list[int], stops: list[int], total: int) -> np.ndarray:
        out = np.empty(total, dtype=self.dtype)
        pos = 0
        node = None if self.direct else self.handle.node(self.key)
        for start, stop in zip(starts, stops, strict=True):
            if stop <= start:
                continue
            if node is not None:
                out[pos : pos + stop - start] = node[start:stop]
                pos += stop - start
                continue
            for offset, n in self._pieces(start, stop):
                view = memoryview(out[pos : pos + n]).cast("B")
                if os.preadv(self.handle.fd, [view], offset) != n * self.dtype.itemsize:
                    raise StorageError(
                        f"short read from {self.handle.path}: the file was truncated or "
                        "changed while open; re-cache it."
                    )
                pos += n
        return out


class CSRRows:
    """Rows of a CSR sparse matrix in one store, densified once per batch.

    ``indptr`` is read once and kept in memory; ``data`` and ``indices`` are read per
    run of neighbouring rows.

    Examples
    --------
    >>> CSRRows(handle, "X").read_rows(np.array([2, 3])).shape  # doctest: +SKIP
    (2, 20000)
    """

    sparse = True
    ndim = 2

    def __init__(self, handle: StoreHandle, key: str):
        node = handle.group[key]
        encoding = node.attrs.get("encoding-type", "")
        if encoding != "csr_matrix":
            raise InvalidArgument(
                f"{key} in {handle.path} is stored as {encoding or 'an unknown group'}; only "
                "dense arrays and csr_matrix are supported: rewrite it as CSR "
                "(adata.X = adata.X.tocsr())."
            )
        self.handle, self.key = handle, key
        self.shape = matrix_shape(node)
        self.indptr = np.asarray(node["indptr"][...])
        self._data = _Span1D(handle, f"{key}/data")
        self._indices = _Span1D(handle, f"{key}/indices")
        self.dtype = self._data.dtype
        self._max_gap = 0 if self._data.direct else 64

    def read_row(
        self,
        row: int,
        col_map: np.ndarray | None = None,
        n_out: int | None = None,
        dtype: np.dtype | None = None,
    ) -> np.ndarray:
        """Read one row, densified (into ``n_out`` joint columns when ``col_map`` is given)."""
        lo, hi = int(self.indptr[row]), int(self.indptr[row + 1])
        data = self._data.read_spans([lo], [hi], hi - lo)
        cols = self._indices.read_spans([lo], [hi], hi - lo)
        out = np.zeros(n_out or self.shape[1], dtype=dtype or self.dtype)
        if col_map is not None:
            cols = col_map[cols]
            keep = cols >= 0
            cols, data = cols[keep], data[keep]
        out[cols] = data
        return out

    def read_rows(self, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Read sorted unique ``rows`` into a dense ``(len(rows), n_cols)`` array."""
        if out is None:
            out = np.zeros((len(rows), self.shape[1]), dtype=self.dtype)
        self.fill(rows, out, None)
        return out

    def fill(
        self,
        rows: np.ndarray,
        out: np.ndarray,
        col_map: np.ndarray | None,
        dest: np.ndarray | None = None,
    ) -> None:
        """Scatter sorted unique ``rows`` into the zero-filled ``out``.

        ``col_map`` maps this store's columns to ``out``'s columns (``-1`` drops a
        column); ``None`` keeps the columns as they are. ``dest`` gives the row of
        ``out`` for each of ``rows`` (default: ``0, 1, 2, ...``), so a batch is filled
        in place, in the requested order, without an extra copy.
        """
        if len(rows) == 0:
            return
        starts, stops = merge_runs(rows, self._max_gap)
        lo = self.indptr[starts].astype(np.int64)
        hi = self.indptr[stops].astype(np.int64)
        total = int((hi - lo).sum())
        data = self._data.read_spans(lo.tolist(), hi.tolist(), total)
        cols = self._indices.read_spans(lo.tolist(), hi.tolist(), total)
        # Row of ``out`` for every stored value: span rows minus gap rows not requested.
        span_rows = np.concatenate([np.arange(a, b) for a, b in zip(starts, stops, strict=True)])
        lengths = self.indptr[span_rows + 1].astype(np.int64) - self.indptr[span_rows]
        target = np.searchsorted(rows, span_rows)
        wanted = (target < len(rows)) & (rows[np.minimum(target, len(rows) - 1)] == span_rows)
        target = target if dest is None else np.asarray(dest)[np.minimum(target, len(rows) - 1)]
        out_rows = np.repeat(np.where(wanted, target, -1), lengths)
        keep = out_rows >= 0
        if col_map is not None:
            cols = col_map[cols]
            keep &= cols >= 0
        if not keep.all():
            out_rows, cols, data = out_rows[keep], cols[keep], data[keep]
        out[out_rows, cols] = data


def open_matrix(handle: StoreHandle, key: str) -> DenseRows | CSRRows:
    """Open the array at ``key`` with the reader its encoding needs.

    Examples
    --------
    >>> open_matrix(StoreHandle("pbmc.h5ad"), "X")  # doctest: +SKIP
    """
    node = handle.group[key]
    if _is_group(node):
        return CSRRows(handle, key)
    return DenseRows(handle, key)

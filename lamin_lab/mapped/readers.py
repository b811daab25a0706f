"""Readers of the arrays in one AnnData store, fast for batches of rows.

- :class:`DenseRows` reads a 2-D dense array. For an uncompressed, contiguous h5py
  dataset on a local disk (what anndata writes by default) it skips h5py altogether and
  copies rows out of a per-process, read-only memory map of the file straight into the
  rows of the batch array (:meth:`DenseRows.read_scatter`); otherwise it merges
  neighbouring rows into slice reads.
- :class:`CSRRows` reads CSR rows: ``indptr`` is held in memory, ``data``/``indices`` are
  copied per row from a memory map (or read per merged run) and either scattered into a
  dense block once per batch or kept as stored values (:meth:`CSRRows.scatter_csr`).

A memory map reads at memory speed from the page cache, without a system call per row;
the price is that a file truncated while it is open ends the process (SIGBUS) instead
of raising: cached artifacts are never rewritten in place, so this does not happen.

Examples
--------
>>> handle = StoreHandle("pbmc.h5ad")  # doctest: +SKIP
>>> reader = open_matrix(handle, "X")  # doctest: +SKIP
>>> block = reader.read_rows(np.array([3, 4, 9]))  # doctest: +SKIP
"""

from __future__ import annotations

import mmap
import os
from typing import Any

import h5py
import numpy as np

from lamin_lab.errors import InvalidArgument, StorageError

from .stores import StoreHandle, _is_group, matrix_shape, merge_runs

# h5py/zarr calls cost tens of microseconds each: read across gaps of up to this many
# bytes rather than issue another call. pread calls are cheap, so they never read gaps.
_GAP_BYTES = 256 * 1024
# Buffers per preadv call stay below the usual IOV_MAX (1024).
_IOV_MAX = 512


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
        self._map: np.ndarray | None = None
        self._map_pid: int | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_map": None, "_map_pid": None}

    def release(self) -> None:
        """Drop this process's memory map (made again on the next read)."""
        self._map = None

    @property
    def maps(self) -> bool:
        """Whether rows are read from a memory map (uncompressed local h5ad, 2-D)."""
        return self._offset is not None and self.ndim == 2

    def mapped(self) -> np.ndarray | None:
        """The array as a read-only memory map of the file (per process), when it is direct.

        Reads from the map are plain memory copies out of the page cache: no system call
        per row. The file must not be truncated or rewritten while the dataset is open
        (as with any memory map, that would end the process with SIGBUS).
        """
        if not self.maps:
            return None
        if self._map_pid != os.getpid():
            self._map, self._map_pid = None, os.getpid()
        if self._map is None:
            try:
                buffer = mmap.mmap(self.handle.fd, 0, prot=mmap.PROT_READ)
                flat = np.frombuffer(
                    buffer,
                    dtype=self.dtype,
                    count=self.shape[0] * self.shape[1],
                    offset=self._offset,
                )
            except (OSError, ValueError) as error:
                raise StorageError(
                    f"cannot map {self.handle.path} ({error}): the file is shorter than its "
                    "header says (truncated or being written); re-cache it."
                ) from error
            self._map = flat.reshape(self.shape)
        return self._map

    def _node(self) -> Any:
        return self.handle.node(self.key)

    def read_row(self, row: int) -> np.ndarray:
        """Read one row as a 1-D array."""
        if self._offset is not None:
            return self.mapped()[row].copy()
        return np.asarray(self._node()[row]).reshape(self.shape[1])

    def read_rows(self, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Read sorted unique ``rows`` into a ``(len(rows), n_cols)`` array."""
        if out is None:
            out = np.empty((len(rows), self.shape[1]), dtype=self.dtype)
        if len(rows) == 0:
            return out
        if self._offset is not None and self.ndim == 2:
            return np.take(self.mapped(), rows, axis=0, out=out)
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

    @property
    def direct(self) -> bool:
        """Whether rows are read with ``os.preadv`` (uncompressed local h5ad)."""
        return self._offset is not None

    def read_scatter(self, rows: np.ndarray, slots: np.ndarray, out: np.ndarray) -> None:
        """Read sorted unique ``rows`` straight into rows ``slots`` of the C-contiguous ``out``.

        One read plan for the batch: from the memory map, one take in slot order; else
        rows that follow each other in the file become one ``os.preadv`` whose buffers
        are their destination rows, so nothing is copied after the read. Needs
        :attr:`direct` and ``out.dtype == self.dtype``.
        """
        if len(rows) == 0:
            return
        mapped = self.mapped()
        if mapped is not None:
            if len(slots) == len(out):  # every row of out: take in slot order, no temporary
                order = np.empty(len(slots), dtype=np.int64)
                order[slots] = np.arange(len(slots))
                np.take(mapped, rows[order], axis=0, out=out)
            else:
                out[slots] = mapped[rows]
            return
        rb = self._row_bytes
        view = memoryview(out).cast("B")
        file_next = np.diff(rows) == 1
        # a segment: file rows and destination rows both consecutive (one buffer)
        seg = np.flatnonzero(np.concatenate(([True], ~(file_next & (np.diff(slots) == 1)))))
        lengths = np.diff(np.append(seg, len(rows))) * rb
        file_pos = (self._offset + rows[seg] * rb).tolist()
        dest = (slots[seg] * rb).tolist()
        fd = self.handle.fd
        if not file_next.any():  # random rows: one call per row, one buffer each
            for pos, at, n in zip(file_pos, dest, lengths.tolist(), strict=True):
                if os.preadv(fd, [view[at : at + n]], pos) != n:
                    self._short_read()
            return
        new_run = np.concatenate(([True], ~file_next))[seg].tolist()
        buffers: list = []
        start = expected = 0
        for pos, at, n, first in zip(file_pos, dest, lengths.tolist(), new_run, strict=True):
            if first or len(buffers) >= _IOV_MAX:
                if buffers and os.preadv(fd, buffers, start) != expected:
                    self._short_read()
                buffers, start, expected = [], pos, 0
            buffers.append(view[at : at + n])
            expected += n
        if buffers and os.preadv(fd, buffers, start) != expected:
            self._short_read()

    def _short_read(self) -> None:
        raise StorageError(
            f"short read from {self.handle.path}: the file was truncated or changed while "
            "open; re-cache it."
        )

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

    Read from a memory map of the file (or with ``pread``) when the dataset is contiguous
    or chunked without filters, else through h5py/zarr slicing.
    """

    def __init__(self, handle: StoreHandle, key: str):
        node = handle.group[key]
        self.handle, self.key = handle, key
        self.dtype = np.dtype(node.dtype)
        self._offset = _raw_offset(node) if handle.local else None
        self._chunks = None
        if self._offset is None and handle.local and handle.kind == "h5ad":
            self._chunks = _chunk_offsets(node)
        size = self.dtype.itemsize
        self._aligned = (self._offset is not None and self._offset % size == 0) or (
            self._chunks is not None and bool((self._chunks[1] % size == 0).all())
        )
        self._map: np.ndarray | None = None
        self._map_pid: int | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_map": None, "_map_pid": None}

    def _file_view(self) -> np.ndarray | None:
        """The whole file as an array of this dtype (a per-process memory map), if aligned."""
        if not self._aligned:
            return None
        if self._map_pid != os.getpid():
            self._map, self._map_pid = None, os.getpid()
        if self._map is None:
            buffer = mmap.mmap(self.handle.fd, 0, prot=mmap.PROT_READ)
            self._map = np.frombuffer(
                buffer, dtype=self.dtype, count=len(buffer) // self.dtype.itemsize
            )
        return self._map

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

    def scatter(
        self, starts: np.ndarray, stops: np.ndarray, dest: np.ndarray, out: np.ndarray
    ) -> None:
        """Read element spans ``[starts[i], stops[i])`` into ``out[dest[i]:]`` (needs :attr:`direct`).

        One ``os.preadv`` per span straight into its place in ``out``: no gather after
        the read. Spans that cross a chunk border are read piece by piece.
        """
        size = self.dtype.itemsize
        view = memoryview(out).cast("B")
        if self._offset is not None:
            file_pos = self._offset + starts * size
            crossing = np.zeros(len(starts), dtype=bool)
        else:
            chunk, offsets = self._chunks
            first = starts // chunk
            crossing = (np.maximum(stops - 1, starts) // chunk) != first
            file_pos = offsets[first] + (starts - first * chunk) * size
        mapped = self._file_view()
        if mapped is not None:  # slices of the memory map: no system call per span
            self._copy_spans(mapped, file_pos // size, starts, stops, dest, crossing, out)
            return
        fd = self.handle.fd
        spans = zip(
            file_pos.tolist(),
            (dest * size).tolist(),
            ((stops - starts) * size).tolist(),
            strict=True,
        )
        for j, (pos, at, n) in enumerate(spans):
            if n <= 0:
                continue
            if crossing[j]:
                at //= size
                for offset, count in self._pieces(int(starts[j]), int(stops[j])):
                    if (
                        os.preadv(fd, [view[at * size : (at + count) * size]], offset)
                        != count * size
                    ):
                        self._short_read()
                    at += count
            elif os.preadv(fd, [view[at : at + n]], pos) != n:
                self._short_read()

    def _copy_spans(
        self,
        mapped: np.ndarray,
        at: np.ndarray,
        starts: np.ndarray,
        stops: np.ndarray,
        dest: np.ndarray,
        crossing: np.ndarray,
        out: np.ndarray,
    ) -> None:
        size = self.dtype.itemsize
        counts = (stops - starts).tolist()
        for j, (pos, d, n) in enumerate(zip(at.tolist(), dest.tolist(), counts, strict=True)):
            if n <= 0:
                continue
            if crossing[j]:
                for offset, count in self._pieces(int(starts[j]), int(stops[j])):
                    out[d : d + count] = mapped[offset // size : offset // size + count]
                    d += count
            elif pos + n > len(mapped):
                self._short_read()
            else:
                out[d : d + n] = mapped[pos : pos + n]

    def _short_read(self) -> None:
        raise StorageError(
            f"short read from {self.handle.path}: the file was truncated or changed while "
            "open; re-cache it."
        )

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
        span_rows, data, cols = self._read_runs(rows)
        # Row of ``out`` for every stored value: span rows minus gap rows not requested.
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

    def _read_runs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(span rows, data, indices)`` of the merged runs that cover sorted ``rows``."""
        starts, stops = merge_runs(rows, self._max_gap)
        lo = self.indptr[starts].astype(np.int64)
        hi = self.indptr[stops].astype(np.int64)
        total = int((hi - lo).sum())
        data = self._data.read_spans(lo.tolist(), hi.tolist(), total)
        cols = self._indices.read_spans(lo.tolist(), hi.tolist(), total)
        sizes = stops - starts
        first = np.cumsum(sizes) - sizes
        span_rows = np.repeat(starts - first, sizes) + np.arange(int(sizes.sum()))
        return span_rows, data, cols

    def release(self) -> None:
        """Drop this process's memory maps (made again on the next read)."""
        self._data._map = self._indices._map = None

    @property
    def direct(self) -> bool:
        """Whether ``data`` and ``indices`` are read without h5py (memory map or ``os.preadv``)."""
        return self._data.direct and self._indices.direct

    def scatter_csr(
        self, rows: np.ndarray, dest: np.ndarray, data: np.ndarray, indices: np.ndarray
    ) -> None:
        """Read the stored values of ``rows`` (any order) to ``data[dest[i]:]``, ``indices[dest[i]:]``.

        Needs :attr:`direct`; ``data``/``indices`` have this store's dtypes.
        """
        order = np.argsort(rows, kind="stable")  # file order: friendlier to read-ahead
        rows, dest = rows[order], dest[order]
        lo = self.indptr[rows].astype(np.int64)
        hi = self.indptr[rows + 1].astype(np.int64)
        self._data.scatter(lo, hi, dest, data)
        self._indices.scatter(lo, hi, dest, indices)

    def read_csr(
        self, rows: np.ndarray, col_map: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Stored values of sorted unique ``rows``: ``(data, columns, values per row)``.

        Nothing is densified. ``col_map`` maps this store's columns to the output's
        (``-1`` drops a column), as in :meth:`fill`.
        """
        if len(rows) == 0:
            empty = np.empty(0, dtype=np.int64)
            return np.empty(0, dtype=self.dtype), empty, empty
        span_rows, data, cols = self._read_runs(rows)
        lengths = self.indptr[span_rows + 1].astype(np.int64) - self.indptr[span_rows]
        wanted = np.ones(len(span_rows), dtype=bool)
        if len(span_rows) != len(rows):  # gap rows read along: drop their values
            wanted = np.isin(span_rows, rows, assume_unique=True)
        keep = np.repeat(wanted, lengths)
        if col_map is not None:
            cols = col_map[cols]
            keep &= cols >= 0
        if keep.all():
            return data, cols, lengths
        owner = np.repeat(np.arange(len(span_rows)), lengths)[keep]
        per_row = np.bincount(owner, minlength=len(span_rows))[wanted]
        return data[keep], cols[keep], per_row


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

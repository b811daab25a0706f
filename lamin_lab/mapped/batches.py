"""Batch reads for :class:`~lamin_lab.mapped.MappedCollection` (``__getitems__``).

torch's DataLoader calls ``dataset.__getitems__(indices)`` once per batch when the
dataset defines it, then hands the result to the collate function. A batch is read
with one read plan and lands in one array per key:

1. group the indices by store and sort them, so neighbouring rows become one read;
2. copy dense rows of uncompressed local h5ad files out of a memory map of the file
   straight into their rows of the batch array (one take, no system call per row),
   other stores in merged slices;
3. densify sparse rows straight into the zero-filled batch array, in the requested
   order (or, with ``sparse="csr"``/``"coo"``, gather them into one sparse matrix);
4. gather labels with one numpy take per column.

The result is a :class:`~lamin_lab.mapped.batch.Batch`: whole arrays that read like a
list of item dicts, collated by torch's default collate without per-item work.

Examples
--------
>>> items = ds.__getitems__([7, 3, 7])  # doctest: +SKIP
>>> [item["_store_idx"] for item in items]  # doctest: +SKIP
[0, 0, 0]
>>> items.to_dict()["X"].shape  # doctest: +SKIP
(3, 2000)
"""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np

from .batch import Batch, collate_fn, register_default_collate
from .pools import PoolCache

__all__ = ["BatchReads", "collate_fn"]


class BatchReads:
    """Mixin: the batch path of MappedCollection (needs its index and readers)."""

    _pool: PoolCache | None = None

    def __getitems__(self, indices: Sequence[int]) -> Batch:
        """Read a batch: whole arrays that read like one dict per index, in the order given.

        Indices are grouped by store, sorted and read with one read plan; rows land in
        the requested order, so torch's default collate wraps the arrays as tensors
        (``batch.to_dict()`` gives the numpy arrays).

        Examples
        --------
        >>> items = ds.__getitems__([5, 1, 3])  # doctest: +SKIP
        >>> [item["_store_idx"] for item in items]  # doctest: +SKIP
        [0, 0, 0]
        """
        self._check_open()
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        if idx.size and (idx.min() < -self.n_obs or idx.max() >= self.n_obs):
            raise IndexError(f"indices out of range for {self.n_obs} observations.")
        idx = np.where(idx < 0, idx + self.n_obs, idx)
        register_default_collate()
        pool = self._pool
        if pool is not None:
            missing = pool.blocks_to_read(idx)
            if missing is not None and (
                not len(missing) or pool.fill(missing, idx, self._read_columns)
            ):
                return Batch(*pool.gather(idx))
        return Batch(*self._read_columns(idx))

    def read_pools(self, block_size: int | None, pool_size: int | None = None) -> None:
        """Read block-shuffled orders a whole pool at a time (``None`` turns it off).

        :class:`~lamin_lab.mapped.BlockShuffleSampler` calls this when it is given the
        dataset. A batch then reads the whole blocks it touches, at most ``pool_size``
        observations (a pool), and later batches of the same pool come from memory:
        a pool larger than the batch keeps the speed of whole-block reads. The pool
        is held per process (``pool_size`` rows of each array, dense as the output).
        Stores whose rows are memory-mapped (uncompressed local h5ad, dense) need no
        pool: when all are, this does nothing.

        Examples
        --------
        >>> ds.read_pools(block_size=64, pool_size=1024)  # doctest: +SKIP
        """
        self._pool = None
        readers = [r for per_store in self._readers.values() for r in per_store if r is not None]
        if all(getattr(r, "maps", False) for r in readers):
            return  # memory-mapped rows read in any order at memory speed: a pool only copies more
        if block_size:
            self._pool = PoolCache(block_size, pool_size or block_size, self.n_obs)

    def _read_columns(
        self, idx: np.ndarray, into: tuple[dict[str, np.ndarray], np.ndarray] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Arrays of the rows ``idx``; with ``into=(arrays, dest)`` the arrays of reader keys
        found in ``arrays`` are filled in place at rows ``dest`` (and returned as given)."""
        stores = np.searchsorted(self._offsets, idx, side="right") - 1
        positions = idx - self._offsets[stores]
        groups = self._group_by_store(stores, positions)
        columns: dict[str, Any] = {}
        absent: dict[str, Any] = {}
        for key in self._readers:
            target = None if into is None or key not in into[0] else (into[0][key], into[1])
            columns[key], missing = self._batch_array(key, idx, groups, target)
            absent[key] = np.isin(stores, missing) if missing else None
        for key in self._labels:
            columns[key], missing = self._batch_labels(key, idx, groups)
            absent[key] = np.isin(stores, missing) if missing else None
        columns["_store_idx"] = stores
        return columns, absent

    def _group_by_store(self, stores: np.ndarray, positions: np.ndarray) -> list[tuple]:
        """Per store: ``(store, batch slots, sorted unique rows, inverse, slots by row)``.

        ``inverse`` maps each slot to its row in the sorted unique rows; ``slots by
        row`` is the slot of each unique row when no row repeats (else None).
        """
        groups = []
        store_ids = np.unique(stores).tolist()
        for store in store_ids:
            slots = (
                np.arange(len(stores)) if len(store_ids) == 1 else np.flatnonzero(stores == store)
            )
            local = positions[slots]
            selection = self._selections[store]
            rows = local if selection is None else selection[local].astype(np.int64)
            order = np.argsort(rows, kind="stable")
            sorted_rows = rows[order]
            unique = np.ones(len(rows), dtype=bool)
            unique[1:] = sorted_rows[1:] != sorted_rows[:-1]
            uniq = sorted_rows[unique]
            inverse = np.empty(len(rows), dtype=np.int64)
            inverse[order] = np.cumsum(unique) - 1
            slots_by_row = slots[order] if unique.all() else None
            groups.append((store, slots, uniq, inverse, slots_by_row))
        return groups

    def _batch_array(
        self, key: str, idx: np.ndarray, groups: list[tuple], into: tuple | None = None
    ) -> tuple[Any, list[int]]:
        widths = {g[0]: self._width(key, g[0]) for g in groups}
        absent = [s for s, w in widths.items() if w is None]
        present = {w for w in widths.values() if w is not None}
        if len(present) > 1:  # join=None over stores of different widths: no stacking
            return self._ragged_rows(key, idx), absent
        width = present.pop() if present else 0
        if width and key in self._sparse_keys:
            return self._batch_sparse(key, len(idx), width, groups), absent
        dtype = self._out_dtypes[key]
        readers = [self._readers[key][g[0]] for g in groups]
        covered = all(
            r is not None and not r.sparse and self._colmap(key, g[0]) is None
            for r, g in zip(readers, groups, strict=True)
        )
        if into is not None:  # rows go to rows ``dest`` of a given array (a pool's slab)
            out, dest = into
            if not covered:
                out[dest] = 0
            groups = [
                (st, dest[sl], u, inv, None if by_row is None else dest[by_row])
                for st, sl, u, inv, by_row in groups
            ]
        else:
            shape = (len(idx), width) if width else (len(idx),)
            out = np.empty(shape, dtype=dtype) if covered else np.zeros(shape, dtype=dtype)
        for reader, (store, slots, uniq, inverse, slots_by_row) in zip(
            readers, groups, strict=True
        ):
            if reader is None:
                continue
            if width == 0:  # 1-D obsm arrays
                out[slots] = reader.read_rows(uniq).reshape(-1).astype(dtype)[inverse]
            elif slots_by_row is None:  # repeated rows: read each once, then copy
                block = np.empty((len(uniq), width), dtype=dtype)
                self._read_block(key, store, uniq, block)
                out[slots] = block[inverse]
            elif reader.sparse:
                colmap = self._colmap(key, store)
                reader.fill(uniq, out, None if colmap is None else colmap.full, slots_by_row)
            elif reader.direct and dtype == reader.dtype and self._colmap(key, store) is None:
                reader.read_scatter(uniq, slots_by_row, out)
            elif into is None and np.array_equal(slots_by_row, np.arange(len(idx))):
                self._read_block(key, store, uniq, out)  # sorted already: read in place
            else:
                block = np.empty((len(uniq), width), dtype=dtype)
                self._read_block(key, store, uniq, block)
                out[slots] = block[inverse]
        return out, absent

    def _batch_sparse(self, key: str, n: int, width: int, groups: list[tuple]) -> Any:
        readers = [self._readers[key][g[0]] for g in groups]
        if all(r is None or r.direct for r in readers):
            return self._scatter_sparse(key, n, width, groups)
        parts, slot_rows, offset = [], np.full(n, -1, dtype=np.int64), 0
        for store, slots, uniq, inverse, _ in groups:
            if self._readers[key][store] is not None:
                parts.append((store, uniq))
                slot_rows[slots] = offset + inverse
                offset += len(uniq)
        return self._sparse_rows(key, parts, n, slot_rows, width)

    def _scatter_sparse(self, key: str, n: int, width: int, groups: list[tuple]) -> Any:
        """CSR batch whose values are read straight into place (one plan from ``indptr``)."""
        import scipy.sparse as sp

        per_slot = np.zeros(n, dtype=np.int64)
        rows_of = []
        for store, slots, uniq, inverse, _ in groups:
            reader = self._readers[key][store]
            if reader is not None:
                rows = uniq[inverse]
                per_slot[slots] = reader.indptr[rows + 1] - reader.indptr[rows]
                rows_of.append((reader, slots, rows, self._colmap(key, store)))
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_slot, out=indptr[1:])
        nnz = int(indptr[-1])
        dtypes = {r._data.dtype for r, *_ in rows_of} or {self._out_dtypes[key]}
        idtypes = {r._indices.dtype for r, *_ in rows_of} or {np.dtype(np.int32)}
        data = np.empty(nnz, dtype=dtypes.pop() if len(dtypes) == 1 else self._out_dtypes[key])
        cols = np.empty(nnz, dtype=idtypes.pop() if len(idtypes) == 1 else np.int64)
        keep = None
        for reader, slots, rows, colmap in rows_of:
            if reader._data.dtype == data.dtype and reader._indices.dtype == cols.dtype:
                reader.scatter_csr(rows, indptr[slots], data, cols)
            else:  # stores of different dtypes: read into their own, then place
                part_ptr = np.concatenate(([0], np.cumsum(per_slot[slots])))
                d = np.empty(int(part_ptr[-1]), dtype=reader._data.dtype)
                c = np.empty(int(part_ptr[-1]), dtype=reader._indices.dtype)
                reader.scatter_csr(rows, part_ptr[:-1], d, c)
                where = np.repeat(indptr[slots] - part_ptr[:-1], per_slot[slots]) + np.arange(
                    len(d)
                )
                data[where], cols[where] = d, c
            if colmap is not None:  # joint columns; -1 marks values the join drops
                spans = np.repeat(indptr[slots], per_slot[slots])
                where = spans + _ranks(per_slot[slots])
                mapped = colmap.full[cols[where]]
                cols = cols.astype(np.int64, copy=False)
                cols[where] = mapped
                if (mapped < 0).any():
                    keep = cols >= 0 if keep is None else keep & (cols >= 0)
        if keep is not None and not keep.all():
            owner = np.repeat(np.arange(n), per_slot)[keep]
            data, cols = data[keep], cols[keep]
            indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.bincount(owner, minlength=n), out=indptr[1:])
        data = data.astype(self._out_dtypes[key], copy=False)
        matrix = sp.csr_matrix((data, cols, indptr), shape=(n, width))
        return matrix.tocoo() if self.sparse == "coo" else matrix

    def _sparse_rows(
        self,
        key: str,
        parts: list[tuple],
        n: int,
        slot_rows: np.ndarray | None = None,
        width: int | None = None,
    ) -> Any:
        """One sparse matrix of ``n`` rows from ``(store, sorted unique rows)`` parts.

        ``slot_rows`` gives, per output row, its position among the concatenated unique
        rows of the parts (``-1``: an empty row); default ``0 .. n-1``.
        """
        import scipy.sparse as sp

        datas, colss, lengths = [], [], []
        for store, rows in parts:
            colmap = self._colmap(key, store)
            data, cols, per_row = self._readers[key][store].read_csr(
                rows, None if colmap is None else colmap.full
            )
            datas.append(data)
            colss.append(cols)
            lengths.append(per_row)
            if width is None:
                width = self._width(key, store)
        length = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
        start = np.cumsum(length) - length
        if slot_rows is None:
            slot_rows = np.arange(n)
        present = slot_rows >= 0
        per_slot = np.where(present, length[np.maximum(slot_rows, 0)] if len(length) else 0, 0)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_slot, out=indptr[1:])
        first = np.where(present, start[np.maximum(slot_rows, 0)] if len(start) else 0, 0)
        src = np.repeat(first - indptr[:-1], per_slot) + np.arange(int(indptr[-1]))
        dtype = self._out_dtypes[key]
        data = np.concatenate(datas).astype(dtype, copy=False)[src] if datas else np.zeros(0, dtype)
        cols = np.concatenate(colss)[src] if colss else np.zeros(0, np.int64)
        matrix = sp.csr_matrix((data, cols.astype(np.int32, copy=False), indptr), shape=(n, width))
        return matrix.tocoo() if self.sparse == "coo" else matrix

    def _ragged_rows(self, key: str, idx: np.ndarray) -> list[Any]:
        rows: list[Any] = [None] * len(idx)
        for j, i in enumerate(idx.tolist()):
            _, store, row = self._locate(i)
            reader = self._readers[key][store]
            if reader is not None:
                rows[j] = self._read_one(key, store, reader, row)
        return rows

    def _batch_labels(
        self, key: str, idx: np.ndarray, groups: list[tuple]
    ) -> tuple[Any, list[int]]:
        column = self._labels[key]
        absent = [g[0] for g in groups if not column.present[g[0]]]
        if column.codes is not None:
            return column.output[column.codes[idx]], absent
        codes = np.full(len(idx), column.missing_index, dtype=np.int64)
        for store, slots, uniq, inverse, _ in groups:
            if column.present[store]:
                found = column.indices_for(store, uniq, self._handles[store], None)
                codes[slots] = found[inverse]
        return column.output[codes], absent


def _ranks(lengths: np.ndarray) -> np.ndarray:
    """``0 .. l-1`` for each length ``l``, concatenated."""
    total = int(lengths.sum())
    return np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)

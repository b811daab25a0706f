"""Batch reads for :class:`~lamin_lab.mapped.MappedCollection` (``__getitems__``).

torch's DataLoader calls ``dataset.__getitems__(indices)`` once per batch when the
dataset defines it, then hands the returned list of per-item dicts to the collate
function. Reading a batch at once lets us:

1. group the indices by store and sort them, so neighbouring rows become one read;
2. densify sparse rows straight into one zero-filled batch array, in the requested order;
3. gather labels with one numpy take per column;
4. return items whose arrays are row views of the batch arrays, which the default
   collate stacks into ``(batch_size, n_vars)`` tensors.

Examples
--------
>>> items = ds.__getitems__([7, 3, 7])  # doctest: +SKIP
>>> [item["_store_idx"] for item in items]  # doctest: +SKIP
[0, 0, 0]
"""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np


class BatchReads:
    """Mixin: the batch path of MappedCollection (needs its index and readers)."""

    def __getitems__(self, indices: Sequence[int]) -> list[dict[str, Any]]:
        """Read a batch: one dict per index, in the order given.

        Indices are grouped by store, sorted and read in merged slices; rows come back
        in the requested order, so torch's default collate stacks them into tensors.

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
        stores = np.searchsorted(self._offsets, idx, side="right") - 1
        positions = idx - self._offsets[stores]
        groups = self._group_by_store(stores, positions)
        columns: dict[str, Any] = {}
        absent: dict[str, list[int]] = {}
        for key in self._readers:
            columns[key], absent[key] = self._batch_array(key, idx, groups)
        for key in self._labels:
            columns[key], absent[key] = self._batch_labels(key, idx, groups)
        columns["_store_idx"] = stores
        names = list(columns)
        items = [
            dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)
        ]
        for key, missing_stores in absent.items():
            for store in missing_stores:
                for j in np.flatnonzero(stores == store).tolist():
                    del items[j][key]
        return items

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

    def _batch_array(self, key: str, idx: np.ndarray, groups: list[tuple]) -> tuple[Any, list[int]]:
        widths = {g[0]: self._width(key, g[0]) for g in groups}
        absent = [s for s, w in widths.items() if w is None]
        present = {w for w in widths.values() if w is not None}
        if len(present) > 1:  # join=None over stores of different widths: no stacking
            return self._ragged_rows(key, idx), absent
        width = present.pop() if present else 0
        dtype = self._out_dtypes[key]
        out = np.zeros((len(idx), width) if width else (len(idx),), dtype=dtype)
        for store, slots, uniq, inverse, slots_by_row in groups:
            reader = self._readers[key][store]
            if reader is None:
                continue
            if width == 0:  # 1-D obsm arrays
                out[slots] = reader.read_rows(uniq).reshape(-1).astype(dtype)[inverse]
            elif reader.sparse and slots_by_row is not None:
                colmap = self._colmap(key, store)
                reader.fill(uniq, out, None if colmap is None else colmap.full, slots_by_row)
            elif slots_by_row is not None and np.array_equal(slots_by_row, np.arange(len(idx))):
                self._read_block(key, store, uniq, out)  # sorted already: read in place
            else:
                block = np.empty((len(uniq), width), dtype=dtype)
                self._read_block(key, store, uniq, block)
                out[slots] = block[inverse]
        return out, absent

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


def _batch_base(values: list[Any]) -> np.ndarray | None:
    """The batch array whose rows, in order, are exactly ``values`` (else None)."""
    first = values[0]
    base = getattr(first, "base", None)
    if not isinstance(first, np.ndarray) or not isinstance(base, np.ndarray):
        return None
    if base.ndim != first.ndim + 1 or base.shape[0] != len(values) or not base.flags.c_contiguous:
        return None
    start, step = base.__array_interface__["data"][0], base.strides[0]
    for j, value in enumerate(values):
        if (
            not isinstance(value, np.ndarray)
            or value.base is not base
            or value.__array_interface__["data"][0] != start + j * step
        ):
            return None
    return base


def collate_fn(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A faster drop-in for torch's default collate on :meth:`__getitems__` output.

    Rows returned by one ``__getitems__`` call are views of one batch array; this
    wraps that array as a tensor without copying it row by row. Anything else goes
    through ``torch.utils.data.default_collate``.

    Examples
    --------
    >>> loader = DataLoader(ds, batch_size=256, collate_fn=collate_fn)  # doctest: +SKIP
    """
    import torch
    from torch.utils.data import default_collate

    if not items:
        return default_collate(items)
    batch: dict[str, Any] = {}
    for key in items[0]:
        values = [item[key] for item in items]
        base = _batch_base(values)
        batch[key] = torch.from_numpy(base) if base is not None else default_collate(values)
    return batch

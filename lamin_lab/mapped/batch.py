"""What ``MappedCollection.__getitems__`` returns: one batch held as whole arrays.

A :class:`Batch` keeps one array per key (``X`` as ``(batch_size, n_vars)``, labels as
``(batch_size,)``) and behaves like the list of per-item dicts torch expects: ``len``,
indexing and iteration build an item (a :class:`BatchItem`) only when one is asked for,
and remember it, so code that edits items (adds a key, say) keeps its edits.

torch's ``default_collate`` looks the type of the first item up in its
``default_collate_fn_map``; on the first batch read in a process where torch is
loaded, :func:`register_default_collate` adds :class:`BatchItem` to that map (the
extension point torch documents), so a plain ``DataLoader`` wraps the batch arrays as
tensors without touching the items: the fast collate is the default. A batch whose
items were edited, or that lacks a key for some items, is collated item by item as
before.

Examples
--------
>>> import numpy as np
>>> batch = Batch({"X": np.arange(6.0).reshape(3, 2), "y": np.array([0, 1, 0])})
>>> len(batch), batch[1]["X"].tolist(), int(batch[-1]["y"])
(3, [2.0, 3.0], 0)
>>> sorted(batch.to_dict())
['X', 'y']
"""

from __future__ import annotations

import sys
from typing import Any
from collections.abc import Sequence

import numpy as np


class BatchItem(dict):
    """One item of a :class:`Batch`: a plain dict that notes when it is edited.

    Examples
    --------
    >>> item = BatchItem(X=1)
    >>> item.edited
    False
    >>> item["idx"] = 3
    >>> item.edited
    True
    """

    edited = False

    def _edit(self) -> None:
        self.edited = True

    def __setitem__(self, key: Any, value: Any) -> None:
        self._edit()
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self._edit()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> BatchItem:
        self._edit()
        return super().__ior__(other)

    def update(self, *args: Any, **kwargs: Any) -> None:  # noqa: D102 - dict's
        self._edit()
        super().update(*args, **kwargs)

    def pop(self, *args: Any) -> Any:  # noqa: D102 - dict's
        self._edit()
        return super().pop(*args)

    def popitem(self) -> tuple:  # noqa: D102 - dict's
        self._edit()
        return super().popitem()

    def setdefault(self, key: Any, default: Any = None) -> Any:  # noqa: D102 - dict's
        self._edit()
        return super().setdefault(key, default)

    def clear(self) -> None:  # noqa: D102 - dict's
        self._edit()
        super().clear()


class Batch(Sequence):
    """A batch as whole arrays that reads like a list of item dicts.

    Parameters
    ----------
    columns
        One value per key for the whole batch: an array whose first axis is the batch,
        a ``scipy.sparse`` matrix (one row per item), or a list (rows of different
        lengths).
    absent
        Per key, a boolean mask of the items that lack the key (their store has no
        such layer or column); keys without a mask are present everywhere.

    Examples
    --------
    >>> batch = Batch({"y": np.array([4, 5])}, absent={"y": np.array([False, True])})
    >>> [sorted(item) for item in batch]
    [['y'], []]
    """

    def __init__(self, columns: dict[str, Any], absent: dict[str, np.ndarray] | None = None):
        self.columns = columns
        self.absent = {k: m for k, m in (absent or {}).items() if m is not None and m.any()}
        first = next(iter(columns.values()))
        self._n = first.shape[0] if hasattr(first, "shape") else len(first)
        self._items: dict[int, BatchItem] = {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, j: int | slice) -> Any:
        if isinstance(j, slice):
            return [self[k] for k in range(*j.indices(self._n))]
        j = int(j)
        if j < 0:
            j += self._n
        if not 0 <= j < self._n:
            raise IndexError(f"item {j} is out of range for a batch of {self._n}.")
        item = self._items.get(j)
        if item is None:
            item = self._items[j] = self._build(j)
        return item

    def _build(self, j: int) -> BatchItem:
        item = BatchItem()
        for key, column in self.columns.items():
            mask = self.absent.get(key)
            if mask is None or not mask[j]:
                dict.__setitem__(item, key, _row(column, j))
        return item

    @property
    def pristine(self) -> bool:
        """Whether the batch can be collated from its arrays (no edits, no gaps)."""
        if self.absent or any(isinstance(c, list) for c in self.columns.values()):
            return False
        return not any(item.edited for item in self._items.values())

    def to_dict(self) -> dict[str, Any]:
        """The batch as ``{key: array}`` (numpy or ``scipy.sparse``), without copies.

        Examples
        --------
        >>> Batch({"y": np.array([1, 2])}).to_dict()["y"].tolist()
        [1, 2]
        """
        return dict(self.columns)

    def to_torch(self) -> dict[str, Any]:
        """The batch as torch's default collate would give it, in O(1) per key.

        Numeric arrays become tensors sharing memory with the batch arrays, sparse
        matrices become ``torch.sparse_csr_tensor`` / ``torch.sparse_coo_tensor``, and
        columns of objects (labels that are not encoded) go through torch's collate.

        Examples
        --------
        >>> Batch({"y": np.array([1, 2])}).to_torch()["y"]  # doctest: +SKIP
        tensor([1, 2])
        """
        return {key: _to_torch(column) for key, column in self.columns.items()}


def _row(column: Any, j: int) -> Any:
    if isinstance(column, np.ndarray) or isinstance(column, list):
        return column[j]
    if column.format == "coo":  # not subscriptable: go through CSR
        return column.tocsr()[j : j + 1].tocoo()
    return column[j : j + 1]  # scipy.sparse: a one-row matrix of the same format


def _to_torch(column: Any) -> Any:
    import torch
    from torch.utils.data import default_collate

    if isinstance(column, np.ndarray):
        if column.dtype.kind in "OUS":
            return default_collate(column.tolist())
        return torch.from_numpy(column)
    return sparse_to_torch(column)


def sparse_to_torch(matrix: Any) -> Any:
    """A ``scipy.sparse`` CSR or COO matrix as the torch sparse tensor of that layout.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> sparse_to_torch(sp.csr_matrix(np.eye(2, dtype=np.float32))).layout  # doctest: +SKIP
    torch.sparse_csr
    """
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
        if matrix.format == "coo":
            indices = torch.from_numpy(np.vstack([matrix.row, matrix.col]).astype(np.int64))
            return torch.sparse_coo_tensor(
                indices, torch.from_numpy(matrix.data), matrix.shape, check_invariants=False
            )
        matrix = matrix.tocsr()
        return torch.sparse_csr_tensor(
            torch.from_numpy(matrix.indptr.astype(np.int64)),
            torch.from_numpy(matrix.indices.astype(np.int64)),
            torch.from_numpy(matrix.data),
            size=matrix.shape,
            check_invariants=False,  # built from a valid scipy matrix
        )


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


def _collate_values(values: list[Any], collate_fn_map: dict | None) -> Any:
    import torch
    from torch.utils.data._utils.collate import collate, default_collate_fn_map

    base = _batch_base(values)
    if base is not None:
        return torch.from_numpy(base)
    if hasattr(values[0], "tocsr") and all(hasattr(v, "tocsr") for v in values):
        import scipy.sparse as sp

        return sparse_to_torch(sp.vstack(values, format=values[0].format))
    return collate(values, collate_fn_map=collate_fn_map or default_collate_fn_map)


def collate_items(batch: Sequence[dict[str, Any]], *, collate_fn_map: dict | None = None) -> Any:
    """Collate items of :meth:`MappedCollection.__getitems__`: whole arrays when untouched.

    This is what torch's ``default_collate`` calls for :class:`BatchItem` once
    :func:`register_default_collate` ran; items of other datasets go key by key
    through torch's own collate.

    Examples
    --------
    >>> collate_items(Batch({"y": np.array([1, 2])}))["y"]  # doctest: +SKIP
    tensor([1, 2])
    """
    if isinstance(batch, Batch) and batch.pristine:
        return batch.to_torch()
    elem = batch[0]
    return {key: _collate_values([d[key] for d in batch], collate_fn_map) for key in elem}


def register_default_collate() -> None:
    """Let torch's ``default_collate`` collate :class:`BatchItem` batches as whole arrays.

    Does nothing until torch is imported (no import of torch here), and only once per
    process; ``default_collate_fn_map`` is the extension point torch documents.

    Examples
    --------
    >>> register_default_collate()
    """
    if "torch" not in sys.modules:
        return
    from torch.utils.data._utils.collate import default_collate_fn_map

    if BatchItem not in default_collate_fn_map:
        default_collate_fn_map[BatchItem] = collate_items


def collate_fn(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A ``collate_fn`` for DataLoader that wraps whole batch arrays as tensors.

    Since batches collate from their arrays with torch's default collate as well, this
    is only needed where ``default_collate_fn_map`` was replaced; rows that are not
    from one ``__getitems__`` call go through ``torch.utils.data.default_collate``.

    Examples
    --------
    >>> loader = DataLoader(ds, batch_size=256, collate_fn=collate_fn)  # doctest: +SKIP
    """
    from torch.utils.data import default_collate

    if not len(items):
        return default_collate(items)
    if isinstance(items, Batch) or isinstance(items[0], dict):
        return collate_items(items)
    return default_collate(items)

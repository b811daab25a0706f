"""Virtual joins of the variables (columns) of several AnnData stores.

Every store keeps its own column order on disk. A join computes the joint variables once
and, for each store, a :class:`ColumnMap` that moves a row read from that store into the
joint column layout: ``"inner"`` keeps the variables every store has (in the first
store's order), ``"outer"`` keeps every variable (sorted) and leaves zeros where a
store lacks one. When all stores have identical variables no reindexing happens.

Examples
--------
>>> var_joint, maps = join_vars([np.array(["a", "b"]), np.array(["b", "c"])], "outer")
>>> list(var_joint)
['a', 'b', 'c']
>>> maps[1].full.tolist()
[1, 2]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np
import pandas as pd

from lamin_lab.errors import InvalidArgument


@dataclass
class ColumnMap:
    """Where the columns of one store go in the joint layout.

    Attributes
    ----------
    full
        For each store column its joint column, ``-1`` when the join drops it.
    src, dest
        The kept store columns and their joint positions (``out[:, dest] = row[src]``).
    n_joint
        Number of joint columns.
    """

    full: np.ndarray
    src: np.ndarray
    dest: np.ndarray
    n_joint: int

    @classmethod
    def from_full(cls, full: np.ndarray, n_joint: int) -> ColumnMap:
        """Build a map from the per-store-column target positions."""
        full = np.asarray(full, dtype=np.int64)
        src = np.flatnonzero(full >= 0)
        return cls(full=full, src=src, dest=full[src], n_joint=n_joint)

    @property
    def covers_all(self) -> bool:
        """Whether every joint column gets a value from this store (no zero filling)."""
        return len(self.dest) == self.n_joint

    def apply(self, block: np.ndarray, out: np.ndarray) -> None:
        """Write ``block`` (rows in store layout) into ``out`` (rows in joint layout)."""
        if self.covers_all and len(self.src) == block.shape[1] and _is_identity(self.dest):
            out[:] = block
        else:
            out[:, self.dest] = block[:, self.src]


def _is_identity(positions: np.ndarray) -> bool:
    return bool(np.array_equal(positions, np.arange(len(positions))))


def join_vars(
    var_lists: list[np.ndarray], join: str | None
) -> tuple[pd.Index | None, list[ColumnMap | None]]:
    """Compute the joint variables and each store's column map.

    Parameters
    ----------
    var_lists
        Variable names of each store, in store order.
    join
        ``"inner"``, ``"outer"`` or ``None`` (no join: rows are returned as stored).

    Returns
    -------
    The joint variables (``None`` without a join) and, per store, a :class:`ColumnMap`
    or ``None`` when the store's columns already are the joint columns.

    Examples
    --------
    >>> join_vars([np.array(["a", "b"]), np.array(["b", "a"])], "inner")[0].tolist()
    ['a', 'b']
    """
    if join not in (None, "inner", "outer"):
        raise InvalidArgument(f"join={join!r} is not supported: use 'inner', 'outer' or None.")
    if join is None:
        return None, [None] * len(var_lists)
    indexes = [pd.Index(v) for v in var_lists]
    if all(indexes[0].equals(index) for index in indexes[1:]):
        return indexes[0], [None] * len(indexes)  # nothing to reindex, duplicates or not
    for i, index in enumerate(indexes):
        if not index.is_unique:
            raise InvalidArgument(
                f"store {i} has duplicated variable names, so they cannot be joined: make "
                "them unique (adata.var_names_make_unique()) or pass join=None."
            )
    if join == "inner":
        joint = reduce(lambda a, b: a.intersection(b, sort=False), indexes)
        if len(joint) == 0:
            raise InvalidArgument(
                "the stores share no variables, so an inner join is empty: use join='outer'."
            )
    else:
        joint = reduce(pd.Index.union, indexes)
    maps: list[ColumnMap | None] = []
    for index in indexes:
        if index.equals(joint):
            maps.append(None)
            continue
        maps.append(ColumnMap.from_full(joint.get_indexer(index), len(joint)))
    return joint, maps

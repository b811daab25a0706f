"""Whole-pool reads for block-shuffled orders (:class:`~lamin_lab.mapped.BlockShuffleSampler`).

A block-shuffled order visits the data in pools of ``fetch_factor`` blocks of
``block_size`` neighbouring observations, shuffled inside the pool. When a pool holds
several batches, each batch touches most blocks of its pool but only some rows of each,
so reading batch by batch costs one read per scattered row. A :class:`PoolCache` reads
the blocks a batch touches whole (a few long reads) into a slab of block slots and
serves later batches of the same pool from memory with one take per array.

The cache holds two pools per process (DataLoader workers each keep their own), evicts
the least recently used blocks and is never pickled. A batch that touches more blocks
than the cache holds (a plain shuffle, say) is read directly, so the cache never
multiplies the reads of other orders.

Examples
--------
>>> cache = PoolCache(block_size=4, pool_size=8, n_obs=20)
>>> cache.blocks_to_read(np.array([9, 1, 2])).tolist()
[0, 2]
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np


class PoolCache:
    """Recently read blocks of one process, in a slab of ``2 * fetch_factor`` block slots.

    Parameters
    ----------
    block_size
        Neighbouring observations the order keeps together (blocks start at multiples).
    pool_size
        Observations in one pool (``block_size * fetch_factor``).
    n_obs
        Observations of the dataset.
    """

    def __init__(self, block_size: int, pool_size: int, n_obs: int):
        self.block_size = int(block_size)
        self.pool_size = max(int(pool_size), self.block_size)
        self.n_obs = int(n_obs)
        self.n_slots = 2 * -(-self.pool_size // self.block_size)
        self.disabled = False
        self._reset()

    def _reset(self) -> None:
        n_blocks = -(-self.n_obs // self.block_size)
        self.slot_of = np.full(n_blocks, -1, dtype=np.int64)
        self.lru: OrderedDict[int, int] = OrderedDict()  # block -> slot, oldest first
        self.slabs: dict[str, np.ndarray] | None = None
        self.absent: dict[str, np.ndarray | None] = {}

    def __getstate__(self) -> dict:
        return {"block_size": self.block_size, "pool_size": self.pool_size, "n_obs": self.n_obs}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["block_size"], state["pool_size"], state["n_obs"])

    def blocks_to_read(self, idx: np.ndarray) -> np.ndarray | None:
        """Blocks of ``idx`` not cached yet, or None when ``idx`` is no pool read.

        None when the batch touches more blocks than the cache holds (not a block
        order) or, with nothing cached, exactly its own rows (whole blocks: read it
        directly).
        """
        blocks = np.unique(idx // self.block_size)
        if self.disabled or len(blocks) > self.n_slots:
            return None
        missing = blocks[self.slot_of[blocks] < 0]
        if len(missing) == len(blocks) and self._rows(blocks).size <= len(idx):
            return None
        return missing

    def _rows(self, blocks: np.ndarray) -> np.ndarray:
        rows = (blocks[:, None] * self.block_size + np.arange(self.block_size)).reshape(-1)
        return rows[rows < self.n_obs]

    def fill(self, blocks: np.ndarray, idx: np.ndarray, read: Any) -> bool:
        """Read ``blocks`` with ``read(rows, into) -> (columns, absent)`` into free or old slots.

        After the first fill the rows are read straight into the slab (no copy). Returns
        False, and turns the cache off, when the arrays cannot be held in a slab (sparse
        or ragged output).
        """
        rows = self._rows(blocks)
        keep = set(np.unique(idx // self.block_size).tolist())
        for block in blocks.tolist():
            self.slot_of[block] = self._free_slot(keep)
            self.lru[block] = int(self.slot_of[block])
        dest = self.slot_of[rows // self.block_size] * self.block_size + rows % self.block_size
        columns, absent = read(rows, None if self.slabs is None else (self.slabs, dest))
        if self.slabs is None:
            if not all(isinstance(c, np.ndarray) for c in columns.values()):
                self._reset()
                self.disabled = True
                return False
            size = self.n_slots * self.block_size
            self.slabs = {k: np.empty((size, *c.shape[1:]), c.dtype) for k, c in columns.items()}
        for key, column in columns.items():
            if column is not self.slabs[key]:
                self.slabs[key][dest] = column
            mask = absent.get(key)
            if mask is not None or self.absent.get(key) is not None:
                if self.absent.get(key) is None:
                    self.absent[key] = np.zeros(len(self.slabs[key]), dtype=bool)
                self.absent[key][dest] = False if mask is None else mask
        return True

    def _free_slot(self, keep: set) -> int:
        if len(self.lru) < self.n_slots:
            return len(self.lru)
        for block in self.lru:  # oldest first; never the blocks this batch needs
            if block not in keep:
                slot = self.lru.pop(block)
                self.slot_of[block] = -1
                return slot
        raise AssertionError("a batch never needs more blocks than the slots")  # pragma: no cover

    def gather(self, idx: np.ndarray) -> tuple[dict[str, Any], dict[str, Any]]:
        """The batch ``idx`` (all cached): one take per array."""
        blocks = idx // self.block_size
        for block in np.unique(blocks).tolist():
            self.lru.move_to_end(block)
        pos = self.slot_of[blocks] * self.block_size + idx % self.block_size
        columns = {key: np.take(slab, pos, axis=0) for key, slab in self.slabs.items()}
        absent = {key: None if m is None else m[pos] for key, m in self.absent.items()}
        return columns, absent

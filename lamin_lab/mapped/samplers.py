"""Samplers that trade some shuffling for read speed, and a measure of what they cost.

:class:`BlockShuffleSampler` shuffles *blocks* of contiguous observations instead of
single observations, then shuffles the indices inside a pool of ``fetch_factor`` blocks
in memory. A batch is then made of a few runs of neighbouring rows, which
:meth:`MappedCollection.__getitems__ <lamin_lab.mapped.MappedCollection.__getitems__>`
reads with few large slice reads instead of one read per row.

Effect on batch diversity: a batch comes from a pool of ``block_size * fetch_factor``
observations taken from ``fetch_factor`` random places of the data. When files store
similar cells next to each other (sorted by cell type, sample or donor, as is common),
the labels inside a batch are less varied than with a plain shuffle, and what sets the
variety is ``fetch_factor``, the number of places a batch draws from. A pool of one
batch (``block_size * fetch_factor == batch_size``) makes every batch a few whole
blocks, i.e. few long reads, but draws from few places; a pool of many batches draws
from many places. Given the dataset, the sampler tells it the block layout
(:meth:`~lamin_lab.mapped.MappedCollection.read_pools`), so a pool is read whole once,
in long reads, and its batches come from memory: large pools keep the speed of whole
blocks. Measured on 80,000 cells whose 20 cell types come in runs of ~400 (batch 256,
label entropy per batch): plain shuffle 4.15 bits; ``16 x 16`` 3.31; ``4 x 64`` 3.97;
``16 x 64`` 3.94; ``32 x 128`` 4.06; ``16 x 512`` 4.13. Speeds are in
``benchmarks/results/mapped_peers.json``.
:func:`batch_label_entropy` measures it for your data.

Examples
--------
>>> sampler = BlockShuffleSampler(10, block_size=2, fetch_factor=2, seed=0)
>>> sorted(sampler) == list(range(10))
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sized

import numpy as np

from lamin_lab.errors import InvalidArgument


class BlockShuffleSampler:
    """Shuffle contiguous blocks, then shuffle within pools of blocks (opt-in, fastest).

    See the module notes for what it does to batch diversity.

    Parameters
    ----------
    data_source
        The dataset (anything with ``len()``) or its length. A dataset with
        ``read_pools`` (a :class:`~lamin_lab.mapped.MappedCollection`) is told the block
        layout so it reads each pool at once; pass the dataset, not its length, for that.
    block_size
        Number of neighbouring observations that stay together.
    fetch_factor
        Number of blocks pooled and shuffled together in memory: the number of random
        places each batch draws from. ``block_size * fetch_factor == batch_size`` reads
        fastest.
    shuffle
        ``False`` yields ``0 .. n-1`` in order (for evaluation).
    seed
        Fixes the order; combined with :meth:`set_epoch` for a new order every epoch.
        Without a seed every iteration draws a fresh order.
    num_replicas, rank
        Split the (block-shuffled) order into ``num_replicas`` equal parts for
        distributed training, like ``DistributedSampler`` (pads by repeating indices).

    Examples
    --------
    >>> from torch.utils.data import DataLoader
    >>> sampler = BlockShuffleSampler(ds, block_size=16, fetch_factor=16)  # doctest: +SKIP
    >>> loader = DataLoader(ds, batch_size=256, sampler=sampler)  # doctest: +SKIP
    """

    def __init__(
        self,
        data_source: Sized | int,
        block_size: int = 16,
        fetch_factor: int = 16,
        shuffle: bool = True,
        seed: int | None = None,
        num_replicas: int = 1,
        rank: int = 0,
    ):
        self.n = data_source if isinstance(data_source, int) else len(data_source)
        if block_size < 1 or fetch_factor < 1:
            raise InvalidArgument("block_size and fetch_factor must be at least 1.")
        if not 0 <= rank < num_replicas:
            raise InvalidArgument(f"rank={rank} must be in [0, num_replicas={num_replicas}).")
        self.block_size = block_size
        self.fetch_factor = fetch_factor
        self.shuffle = shuffle
        self.seed = seed
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self._rng = np.random.default_rng()
        if shuffle and hasattr(data_source, "read_pools"):
            # Tell the dataset the block layout so it reads each pool at once.
            data_source.read_pools(block_size, block_size * fetch_factor)

    def set_epoch(self, epoch: int) -> None:
        """Use a different (seeded) order for this epoch."""
        self.epoch = epoch

    def __len__(self) -> int:
        return math.ceil(self.n / self.num_replicas)

    def order(self) -> np.ndarray:
        """The indices of one epoch for this rank, as an array."""
        rng = self._rng if self.seed is None else np.random.default_rng([self.seed, self.epoch])
        n_blocks = math.ceil(self.n / self.block_size)
        blocks = rng.permutation(n_blocks) if self.shuffle else np.arange(n_blocks)
        stream = (blocks[:, None] * self.block_size + np.arange(self.block_size)).reshape(-1)
        stream = stream[stream < self.n]
        per_rank = len(self)
        if self.num_replicas > 1:
            padded = np.resize(stream, per_rank * self.num_replicas)  # wraps around to pad
            stream = padded[self.rank * per_rank : (self.rank + 1) * per_rank]
        if self.shuffle:
            pool = self.block_size * self.fetch_factor
            for start in range(0, len(stream), pool):
                rng.shuffle(stream[start : start + pool])
        return stream

    def __iter__(self) -> Iterator[int]:
        return iter(self.order().tolist())


def batch_label_entropy(labels: np.ndarray, order: Iterable[int], batch_size: int) -> float:
    """Mean Shannon entropy (bits) of the labels inside each batch of ``order``.

    Higher means more varied batches; a plain shuffle gives the upper reference.

    Examples
    --------
    >>> labels = np.array([0, 0, 1, 1])
    >>> batch_label_entropy(labels, [0, 2, 1, 3], batch_size=2)
    1.0
    >>> batch_label_entropy(labels, [0, 1, 2, 3], batch_size=2)
    0.0
    """
    order = np.fromiter(order, dtype=np.int64)
    labels = np.asarray(labels)
    n_batches = len(order) // batch_size
    if n_batches == 0:
        raise InvalidArgument("order holds less than one batch: lower batch_size.")
    entropies = []
    for b in range(n_batches):
        _, counts = np.unique(
            labels[order[b * batch_size : (b + 1) * batch_size]], return_counts=True
        )
        p = counts / counts.sum()
        entropies.append(float(-(p * np.log2(p)).sum()))
    return float(np.mean(entropies)) + 0.0

"""Map-style datasets over AnnData stores for training models (``Collection.mapped()``).

Import this package lazily: it imports numpy, h5py and pandas at module level (torch
only when a DataLoader helper needs it).

- :class:`MappedCollection` — a dataset over many ``.h5ad``/``.zarr`` stores with virtual
  joins, label encoding and fast batch reads (``__getitems__`` returns whole arrays that
  torch's default collate wraps as tensors; ``sparse="csr"`` keeps sparse rows sparse).
- :func:`collate_fn` — the same fast collate as an explicit DataLoader ``collate_fn``
  (only needed where torch's default collate map was replaced).
- :class:`BlockShuffleSampler` — an opt-in sampler that shuffles contiguous blocks; given
  the dataset, it makes it read each pool of blocks at once.

Examples
--------
>>> from lamin_lab.mapped import MappedCollection
>>> ds = MappedCollection(["a.h5ad", "b.h5ad"], obs_keys="cell_type")  # doctest: +SKIP
>>> len(ds), ds.shape  # doctest: +SKIP
(40000, (40000, 2000))
"""

from .batches import collate_fn
from .collection import MappedCollection
from .samplers import BlockShuffleSampler, batch_label_entropy

__all__ = ["BlockShuffleSampler", "MappedCollection", "batch_label_entropy", "collate_fn"]

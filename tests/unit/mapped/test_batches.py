"""Batch reads (``__getitems__``), torch DataLoader, DistributedSampler, block sampler."""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import DataLoader, DistributedSampler

from lamin_lab.mapped import BlockShuffleSampler, MappedCollection, batch_label_entropy

from .conftest import expected_rows


def test_getitems_restores_the_requested_order(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys="cell_type")
    rows = expected_rows(adatas)
    order = np.random.default_rng(0).permutation(len(ds)).tolist() + [5, 5, 40]
    items = ds.__getitems__(order)
    assert len(items) == len(order)
    for item, i in zip(items, order, strict=True):
        np.testing.assert_array_equal(item["X"], rows[i])
        assert item["cell_type"] == ds[i]["cell_type"]
        assert item["_store_idx"] == (0 if i < 30 else 1)


def test_getitems_returns_what_default_collate_stacks(two_stores):
    ds = MappedCollection(two_stores[0], obs_keys="cell_type")
    batch = next(iter(DataLoader(ds, batch_size=16)))
    assert batch["X"].shape == (16, 12) and batch["X"].dtype == torch.float32
    assert batch["cell_type"].shape == (16,) and batch["cell_type"].dtype == torch.int64
    assert batch["_store_idx"].shape == (16,)


def _collect(loader, ds):
    seen, rows = [], {}
    for batch in loader:
        for j, i in enumerate(batch["idx"].tolist()):
            seen.append(i)
            rows[i] = batch["X"][j].numpy()
    return seen, rows


class _WithIndex(torch.utils.data.Dataset):
    """Adds each item's index so loaders can be checked for coverage."""

    def __init__(self, ds):
        self.ds = ds

    def __len__(self):
        return len(self.ds)

    def __getitems__(self, indices):
        items = self.ds.__getitems__(indices)
        for item, i in zip(items, indices, strict=True):
            item["idx"] = i
        return items


def test_dataloader_single_process_sees_every_index_once(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths)
    loader = DataLoader(_WithIndex(ds), batch_size=8, shuffle=True)
    seen, rows = _collect(loader, ds)
    assert sorted(seen) == list(range(len(ds)))
    want = expected_rows(adatas)
    for i, row in rows.items():
        np.testing.assert_array_equal(row, want[i])


def test_dataloader_two_workers_sees_every_index_once(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys="cell_type")
    ds[0]  # opens handles in the parent: workers must reopen their own
    loader = DataLoader(
        _WithIndex(ds),
        batch_size=8,
        shuffle=True,
        num_workers=2,
        worker_init_fn=MappedCollection.torch_worker_init_fn,
    )
    seen, rows = _collect(loader, ds)
    assert sorted(seen) == list(range(len(ds)))
    want = expected_rows(adatas)
    for i, row in rows.items():
        np.testing.assert_array_equal(row, want[i])


def test_parallel_dataset_in_workers_matches_single_items(two_stores):
    ds = MappedCollection(two_stores[0], parallel=True)
    assert not any(h.is_open for h in ds._handles)
    loader = DataLoader(ds, batch_size=55, num_workers=2)
    batch = next(iter(loader))
    np.testing.assert_array_equal(batch["X"].numpy()[7], ds[7]["X"])


def test_distributed_sampler_with_two_replicas_covers_the_data(two_stores):
    ds = MappedCollection(two_stores[0])
    seen = []
    for rank in (0, 1):
        sampler = DistributedSampler(ds, num_replicas=2, rank=rank, shuffle=True, seed=3)
        for batch in DataLoader(_WithIndex(ds), batch_size=7, sampler=sampler):
            seen.extend(batch["idx"].tolist())
    assert set(seen) == set(range(len(ds)))
    assert len(seen) == 56  # 55 padded to an even split


def test_block_sampler_yields_a_permutation():
    sampler = BlockShuffleSampler(103, block_size=8, fetch_factor=3, seed=1)
    order = list(sampler)
    assert sorted(order) == list(range(103)) and order != list(range(103))


def test_block_sampler_keeps_blocks_within_one_pool():
    sampler = BlockShuffleSampler(64, block_size=4, fetch_factor=2, seed=2)
    order = sampler.order()
    for start in range(0, 64, 8):
        blocks = set((order[start : start + 8] // 4).tolist())
        assert len(blocks) == 2  # a pool holds exactly fetch_factor whole blocks


def test_block_sampler_changes_order_with_epoch_and_is_seeded():
    a = BlockShuffleSampler(50, block_size=5, seed=4)
    b = BlockShuffleSampler(50, block_size=5, seed=4)
    assert list(a) == list(b)
    b.set_epoch(1)
    assert list(a) != list(b)


def test_block_sampler_without_shuffle_is_sequential():
    assert list(BlockShuffleSampler(10, block_size=3, shuffle=False)) == list(range(10))


def test_block_sampler_splits_between_replicas():
    parts = [
        list(BlockShuffleSampler(21, block_size=4, seed=0, num_replicas=2, rank=r)) for r in (0, 1)
    ]
    assert [len(p) for p in parts] == [11, 11]
    assert set(parts[0]) | set(parts[1]) == set(range(21))


def test_block_sampler_feeds_a_dataloader(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths)
    sampler = BlockShuffleSampler(ds, block_size=4, fetch_factor=2, seed=0)
    seen, rows = _collect(DataLoader(_WithIndex(ds), batch_size=8, sampler=sampler), ds)
    assert sorted(seen) == list(range(len(ds)))
    np.testing.assert_array_equal(rows[31], expected_rows(adatas)[31])


def test_batch_label_entropy_is_lower_for_sorted_labels():
    labels = np.repeat(np.arange(8), 64)
    shuffled = np.random.default_rng(0).permutation(len(labels))
    assert batch_label_entropy(labels, range(len(labels)), 32) == 0.0
    assert batch_label_entropy(labels, shuffled, 32) > 2.5


def test_dataloader_spawned_worker_reopens_from_a_pickled_dataset(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys="cell_type")
    ds[0]
    loader = DataLoader(ds, batch_size=55, num_workers=1, multiprocessing_context="spawn")
    batch = next(iter(loader))
    np.testing.assert_array_equal(batch["X"].numpy(), expected_rows(adatas))
    assert batch["cell_type"].tolist() == [ds[i]["cell_type"] for i in range(55)]


def test_collate_fn_wraps_the_batch_array_without_changing_values(two_stores):
    from lamin_lab.mapped import collate_fn

    ds = MappedCollection(two_stores[0], obs_keys="cell_type")
    order = [40, 2, 9, 2]
    fast = collate_fn(ds.__getitems__(order))
    slow = torch.utils.data.default_collate(ds.__getitems__(order))
    assert set(fast) == set(slow)
    for key in slow:
        assert torch.equal(fast[key], slow[key])


def test_collate_fn_falls_back_for_foreign_rows():
    from lamin_lab.mapped import collate_fn

    items = [{"X": np.ones(3, dtype=np.float32) * i, "y": i} for i in range(4)]
    batch = collate_fn(items)
    assert batch["X"].shape == (4, 3) and batch["y"].tolist() == [0, 1, 2, 3]


def test_dataloader_with_collate_fn_and_workers(two_stores):
    from lamin_lab.mapped import collate_fn

    paths, adatas = two_stores
    ds = MappedCollection(paths)
    loader = DataLoader(ds, batch_size=10, num_workers=2, collate_fn=collate_fn)
    got = torch.cat([batch["X"] for batch in loader]).numpy()
    np.testing.assert_array_equal(got, expected_rows(adatas))

"""Whole-pool reads for block-shuffled orders."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
from torch.utils.data import DataLoader

from lamin_lab.mapped import BlockShuffleSampler, MappedCollection

from .conftest import GENES, expected_rows, make_adata, write


def _counting(ds):
    calls = []
    read = ds._read_columns

    def counted(rows, into=None):
        calls.append(len(rows))
        return read(rows, into)

    ds._read_columns = counted
    return calls


def _dataset(tmp_path, n=200):
    # gzip: rows read through h5py, where pools pay (mapped files need none)
    adatas = [make_adata(n, GENES, 1), make_adata(n // 2, GENES, 2)]
    paths = []
    for i, adata in enumerate(adatas):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            adata.write_h5ad(tmp_path / f"p{i}.h5ad", compression="gzip")
        paths.append(str(tmp_path / f"p{i}.h5ad"))
    return MappedCollection(paths, obs_keys="cell_type"), expected_rows(adatas)


def test_a_pool_of_four_batches_is_read_once(tmp_path):
    ds, rows = _dataset(tmp_path)
    sampler = BlockShuffleSampler(ds, block_size=16, fetch_factor=4, seed=0)
    calls = _counting(ds)
    order = sampler.order()[:64]  # the first pool: 4 blocks, 4 batches of 16
    for start in range(0, 64, 16):
        batch = order[start : start + 16]
        np.testing.assert_array_equal(ds.__getitems__(batch).to_dict()["X"], rows[batch])
    assert sum(calls) == 64  # whole blocks read once, later batches from memory


def test_a_plain_shuffle_is_read_directly_with_pools_on(tmp_path):
    ds, rows = _dataset(tmp_path)
    ds.read_pools(block_size=16, pool_size=32)
    calls = _counting(ds)
    batch = np.random.default_rng(0).permutation(len(ds))[:40]
    np.testing.assert_array_equal(ds.__getitems__(batch).to_dict()["X"], rows[batch])
    assert calls == [40]


def test_block_sampler_with_pools_feeds_a_dataloader_with_every_row_once(tmp_path):
    ds, rows = _dataset(tmp_path)
    sampler = BlockShuffleSampler(ds, block_size=8, fetch_factor=8, seed=3)
    got = {}
    for batch in DataLoader(ds, batch_size=16, sampler=sampler):
        for x in batch["X"].numpy():
            got.setdefault(x.tobytes(), 0)
            got[x.tobytes()] += 1
    assert sum(got.values()) == len(ds)
    want = {}
    for x in rows:
        want[x.tobytes()] = want.get(x.tobytes(), 0) + 1
    assert got == want


def test_the_pool_is_not_pickled(tmp_path):
    ds, _ = _dataset(tmp_path)
    BlockShuffleSampler(ds, block_size=16, fetch_factor=4, seed=0)
    ds.__getitems__(list(range(0, 64, 2)))
    copy = pickle.loads(pickle.dumps(ds))
    assert copy._pool.block_size == 16 and copy._pool.slabs is None


def test_read_pools_none_turns_pools_off(tmp_path):
    ds, _ = _dataset(tmp_path)
    BlockShuffleSampler(ds, block_size=16, fetch_factor=4, seed=0)
    ds.read_pools(None)
    assert ds._pool is None


def test_memory_mapped_stores_need_no_pool(two_stores):
    ds = MappedCollection(two_stores[0])
    BlockShuffleSampler(ds, block_size=4, fetch_factor=8, seed=0)
    assert ds._readers["X"][0].maps and ds._pool is None


def test_pools_over_a_join_zero_fill_the_missing_columns(shifted_stores):
    paths, _ = shifted_stores
    ds = MappedCollection(paths, join="outer", obs_keys="cell_type")
    want = MappedCollection(paths, join="outer", obs_keys="cell_type")
    order = BlockShuffleSampler(ds, block_size=4, fetch_factor=4, seed=1).order()
    for start in range(0, len(order), 8):
        batch = order[start : start + 8].tolist()
        got, expected = ds.__getitems__(batch).to_dict(), want.__getitems__(batch).to_dict()
        np.testing.assert_array_equal(got["X"], expected["X"])
        np.testing.assert_array_equal(got["cell_type"], expected["cell_type"])


def test_pools_turn_off_for_sparse_output(tmp_path):
    adata = make_adata(64, GENES, 5, sparse=True)
    ds = MappedCollection([write(adata, tmp_path / "s.h5ad")], sparse="csr")
    order = BlockShuffleSampler(ds, block_size=8, fetch_factor=4, seed=0).order()
    rows = expected_rows([adata])
    for start in range(0, 64, 8):
        batch = order[start : start + 8]
        np.testing.assert_array_equal(ds.__getitems__(batch).to_dict()["X"].toarray(), rows[batch])
    assert ds._pool.disabled

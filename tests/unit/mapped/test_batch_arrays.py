"""Batches as whole arrays: the Batch container, default collate, scatter reads, sparse output."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from torch.utils.data import DataLoader, default_collate

from lamin_lab.errors import InvalidArgument
from lamin_lab.mapped import MappedCollection
from lamin_lab.mapped.batch import Batch, BatchItem

from .conftest import GENES, expected_rows, make_adata, write


def test_getitems_returns_one_array_per_key(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys="cell_type")
    order = [40, 3, 12, 31]
    arrays = ds.__getitems__(order).to_dict()
    assert set(arrays) == {"X", "cell_type", "_store_idx"}
    np.testing.assert_array_equal(arrays["X"], expected_rows(adatas)[order])
    assert arrays["_store_idx"].tolist() == [1, 0, 0, 1]


def test_default_collate_wraps_the_batch_array_without_copying(two_stores):
    ds = MappedCollection(two_stores[0], obs_keys="cell_type")
    batch = ds.__getitems__([9, 2, 50])
    collated = default_collate(batch)
    assert collated["X"].data_ptr() == batch.columns["X"].ctypes.data
    assert collated["cell_type"].dtype == torch.int64


def test_default_collate_of_edited_items_keeps_the_edits(two_stores):
    ds = MappedCollection(two_stores[0])
    batch = ds.__getitems__([4, 1])
    for j, item in enumerate(batch):
        item["idx"] = j * 10
    collated = default_collate(batch)
    assert collated["idx"].tolist() == [0, 10]
    np.testing.assert_array_equal(collated["X"].numpy(), expected_rows(two_stores[1])[[4, 1]])


def test_batch_items_are_built_once_and_remembered():
    batch = Batch({"y": np.array([1, 2, 3])})
    assert batch[0] is batch[0] and batch[-1] is batch[2]
    assert isinstance(batch[0], BatchItem) and [int(i["y"]) for i in batch[1:]] == [2, 3]
    with pytest.raises(IndexError):
        batch[3]


def test_uncompressed_rows_in_runs_are_read_straight_into_the_batch(tmp_path):
    adata = make_adata(1200, GENES, 5)
    ds = MappedCollection([write(adata, tmp_path / "runs.h5ad")])
    assert ds._readers["X"][0].direct
    order = list(range(600, 1200)) + [5, 3, 4, 100, 102, 101] + list(range(0, 3))
    got = ds.__getitems__(order).to_dict()["X"]
    np.testing.assert_array_equal(got, expected_rows([adata])[order])


def test_a_long_run_into_scattered_rows_is_split_into_several_reads(tmp_path):
    adata = make_adata(1200, GENES, 6)
    ds = MappedCollection([write(adata, tmp_path / "runs.h5ad")])
    order = list(range(1199, 99, -1))  # 1,100 neighbouring rows, each to its own slot
    got = ds.__getitems__(order).to_dict()["X"]
    np.testing.assert_array_equal(got, expected_rows([adata])[order])


def test_sparse_csr_output_equals_the_dense_rows(tmp_path):
    adata = make_adata(40, GENES, 7, sparse=True)
    ds = MappedCollection([write(adata, tmp_path / "s.h5ad")], sparse="csr")
    order = [39, 0, 5, 6, 7, 20, 5]
    x = ds.__getitems__(order).to_dict()["X"]
    assert sp.issparse(x) and x.format == "csr" and x.shape == (7, len(GENES))
    np.testing.assert_array_equal(x.toarray(), expected_rows([adata])[order])


def test_sparse_coo_output_and_single_items(tmp_path):
    adata = make_adata(30, GENES, 8, sparse=True)
    ds = MappedCollection([write(adata, tmp_path / "s.h5ad")], sparse="coo")
    x = ds.__getitems__([3, 1]).to_dict()["X"]
    assert x.format == "coo"
    np.testing.assert_array_equal(x.toarray(), expected_rows([adata])[[3, 1]])
    row = ds[12]["X"]
    assert row.shape == (1, len(GENES))
    np.testing.assert_array_equal(row.toarray()[0], expected_rows([adata])[12])


def test_sparse_output_with_an_outer_join(tmp_path):
    first = make_adata(10, GENES[:8], 3, sparse=True)
    second = make_adata(12, list(reversed(GENES[4:])), 4, sparse=True)
    paths = [write(first, tmp_path / "a.h5ad"), write(second, tmp_path / "b.h5ad")]
    dense_ds = MappedCollection(paths, join="outer")
    csr_ds = MappedCollection(paths, join="outer", sparse=True)
    order = [21, 0, 9, 10, 3]
    want = dense_ds.__getitems__(order).to_dict()["X"]
    np.testing.assert_array_equal(csr_ds.__getitems__(order).to_dict()["X"].toarray(), want)


def test_dataloader_gives_a_sparse_csr_tensor(tmp_path):
    adata = make_adata(40, GENES, 9, sparse=True)
    ds = MappedCollection([write(adata, tmp_path / "s.h5ad")], sparse="csr", obs_keys="cell_type")
    batch = next(iter(DataLoader(ds, batch_size=16)))
    assert batch["X"].layout == torch.sparse_csr and batch["X"].shape == (16, len(GENES))
    np.testing.assert_array_equal(batch["X"].to_dense().numpy(), expected_rows([adata])[:16])
    assert batch["cell_type"].shape == (16,)


def test_sparse_output_leaves_dense_stores_dense(two_stores):
    ds = MappedCollection(two_stores[0], sparse="csr")
    assert isinstance(ds.__getitems__([0, 1]).to_dict()["X"], np.ndarray)


def test_unknown_sparse_format_is_refused(two_stores):
    with pytest.raises(InvalidArgument, match="csr"):
        MappedCollection(two_stores[0], sparse="csc")


def test_sparse_output_with_an_inner_join_drops_the_columns_not_shared(tmp_path):
    first = make_adata(10, GENES[:8], 3, sparse=True)
    second = make_adata(12, list(reversed(GENES[4:])), 4, sparse=True)
    paths = [write(first, tmp_path / "a.h5ad"), write(second, tmp_path / "b.h5ad")]
    order = [21, 0, 9, 10, 3, 0]
    want = MappedCollection(paths, join="inner").__getitems__(order).to_dict()["X"]
    got = MappedCollection(paths, join="inner", sparse="csr").__getitems__(order).to_dict()["X"]
    assert got.shape == want.shape == (6, 4)
    np.testing.assert_array_equal(got.toarray(), want)


def test_sparse_output_reads_across_chunk_borders(tmp_path):
    import h5py

    adata = make_adata(40, GENES, 9, sparse=True)
    path = write(adata, tmp_path / "c.h5ad")
    with h5py.File(path, "r+") as f:  # tiny chunks: most rows cross a chunk border
        for name in ("data", "indices"):
            values = f[f"X/{name}"][...]
            del f[f"X/{name}"]
            f.create_dataset(f"X/{name}", data=values, chunks=(5,))
    ds = MappedCollection([path], sparse="csr")
    order = [39, 1, 2, 3, 17, 0, 17]
    got = ds.__getitems__(order).to_dict()["X"].toarray()
    np.testing.assert_array_equal(got, expected_rows([adata])[order])

"""Store readers: run merging, the pread fast path and the h5py fallback."""

from __future__ import annotations

import warnings

import numpy as np

from lamin_lab.mapped import MappedCollection
from lamin_lab.mapped.stores import merge_runs

from .conftest import GENES, expected_rows, make_adata, write


def test_merge_runs_joins_neighbours():
    starts, stops = merge_runs(np.array([1, 2, 3, 7, 9, 20]), max_gap=0)
    assert starts.tolist() == [1, 7, 9, 20] and stops.tolist() == [4, 8, 10, 21]


def test_merge_runs_bridges_small_gaps():
    starts, stops = merge_runs(np.array([1, 2, 3, 7, 9, 20]), max_gap=3)
    assert starts.tolist() == [1, 20] and stops.tolist() == [10, 21]


def test_merge_runs_of_nothing():
    starts, stops = merge_runs(np.array([], dtype=np.int64))
    assert starts.size == 0 and stops.size == 0


def test_plain_h5ad_uses_positional_reads(two_stores):
    ds = MappedCollection(two_stores[0])
    assert all(reader._offset is not None for reader in ds._readers["X"])


def test_compressed_h5ad_reads_through_h5py(tmp_path):
    adata = make_adata(300, GENES, 6)
    sparse = make_adata(200, GENES, 7, sparse=True)
    paths = []
    for name, a in (("dense.h5ad", adata), ("sparse.h5ad", sparse)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a.write_h5ad(tmp_path / name, compression="gzip")
        paths.append(str(tmp_path / name))
    ds = MappedCollection(paths)
    assert ds._readers["X"][0]._offset is None
    rows = expected_rows([adata, sparse])
    order = [450, 2, 3, 4, 299, 150, 151, 300, 499, 2]
    for item, i in zip(ds.__getitems__(order), order, strict=True):
        np.testing.assert_array_equal(item["X"], rows[i])
    np.testing.assert_array_equal(ds[77]["X"], rows[77])


def test_sparse_batch_with_gaps_skips_unrequested_rows(tmp_path):
    sparse = make_adata(50, GENES, 8, sparse=True)
    ds = MappedCollection([write(sparse, tmp_path / "s.h5ad")])
    order = [10, 12, 14, 49, 0]
    rows = expected_rows([sparse])
    got = np.stack([item["X"] for item in ds.__getitems__(order)])
    np.testing.assert_array_equal(got, rows[order])


def test_sparse_chunks_are_read_directly_across_chunk_borders(tmp_path):
    import h5py

    sparse = make_adata(40, GENES, 9, sparse=True)
    path = write(sparse, tmp_path / "c.h5ad")
    with h5py.File(path, "r+") as f:  # re-chunk data/indices into tiny chunks
        for name in ("data", "indices"):
            values = f[f"X/{name}"][...]
            del f[f"X/{name}"]
            f.create_dataset(f"X/{name}", data=values, chunks=(7,))
    ds = MappedCollection([path])
    reader = ds._readers["X"][0]
    assert reader._data.direct and reader._data._chunks[0] == 7
    rows = expected_rows([sparse])
    order = [39, 1, 2, 3, 17, 0]
    got = np.stack([item["X"] for item in ds.__getitems__(order)])
    np.testing.assert_array_equal(got, rows[order])
    np.testing.assert_array_equal(ds[25]["X"], rows[25])


def test_store_with_nullable_string_index_opens(tmp_path):
    # anndata writes string-dtype obs/var indexes as nullable-string-array groups.
    import anndata as ad
    import pandas as pd

    adata = make_adata(20, GENES, 9)
    adata.raw = None
    adata.obs_names = pd.Index(adata.obs_names.tolist(), dtype="string")
    adata.var_names = pd.Index(GENES, dtype="string")
    previous = ad.settings.allow_write_nullable_strings
    ad.settings.allow_write_nullable_strings = True
    try:
        path = write(adata, tmp_path / "strings.h5ad")
    finally:
        ad.settings.allow_write_nullable_strings = previous
    ds = MappedCollection([path], obs_keys=["cell_type"])
    assert ds.var_list[0].tolist() == GENES
    np.testing.assert_array_equal(ds[3]["X"], expected_rows([adata])[3])


def test_rows_of_plain_h5ad_come_from_a_memory_map(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths)
    reader = ds._readers["X"][0]
    np.testing.assert_array_equal(ds[3]["X"], expected_rows(adatas)[3])
    assert reader.maps and reader.mapped().shape == (30, len(GENES))


def test_a_file_truncated_before_reading_raises_storage_error(tmp_path):
    import os

    import pytest

    from lamin_lab.errors import StorageError

    path = write(make_adata(50, GENES, 3), tmp_path / "t.h5ad")
    ds = MappedCollection([path])
    reader = ds._readers["X"][0]
    os.truncate(path, reader._offset + 10)
    with pytest.raises(StorageError, match="re-cache"):
        ds.__getitems__([1, 2])

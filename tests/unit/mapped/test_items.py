"""Items of MappedCollection equal the AnnData rows they come from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.mapped import MappedCollection

from .conftest import GENES, dense, expected_rows, make_adata, write


def test_items_equal_rows_of_x(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths)
    rows = expected_rows(adatas)
    assert len(ds) == 55
    assert ds.shape == (55, len(GENES))
    for i in (0, 29, 30, 54, -1):
        np.testing.assert_array_equal(ds[i]["X"], rows[i])


def test_store_idx_marks_the_source_file(two_stores):
    ds = MappedCollection(two_stores[0])
    assert [ds[i]["_store_idx"] for i in (0, 29, 30, 54)] == [0, 0, 1, 1]


def test_original_shapes_and_var_joint(two_stores):
    ds = MappedCollection(two_stores[0])
    assert ds.original_shapes == [(30, 12), (25, 12)]
    assert list(ds.var_joint) == GENES


def test_inner_join_keeps_shared_genes_in_first_store_order(shifted_stores):
    paths, adatas = shifted_stores
    ds = MappedCollection(paths, join="inner")
    assert list(ds.var_joint) == GENES[4:8]
    np.testing.assert_array_equal(ds[3]["X"], dense(adatas[0][:, GENES[4:8]].X)[3])
    np.testing.assert_array_equal(ds[20 + 5]["X"], dense(adatas[1][:, GENES[4:8]].X)[5])


def test_outer_join_fills_missing_genes_with_zeros(shifted_stores):
    paths, adatas = shifted_stores
    ds = MappedCollection(paths, join="outer")
    joint = list(ds.var_joint)
    assert joint == sorted(GENES)
    for i, (adata, row) in enumerate([(adatas[0], 2), (adatas[1], 7)]):
        frame = pd.DataFrame(dense(adata.X), columns=adata.var_names)
        want = frame.reindex(columns=joint, fill_value=0).to_numpy()[row]
        np.testing.assert_array_equal(ds[row + 20 * i]["X"], want)


def test_outer_join_batch_equals_single_items(shifted_stores):
    ds = MappedCollection(shifted_stores[0], join="outer", layers_keys=["X", "counts"])
    order = [30, 2, 21, 2, 0, 34]
    batch = ds.__getitems__(order)
    for item, i in zip(batch, order, strict=True):
        np.testing.assert_array_equal(item["X"], ds[i]["X"])
        np.testing.assert_array_equal(item["counts"], ds[i]["counts"])


def test_join_none_returns_rows_as_stored(shifted_stores):
    paths, adatas = shifted_stores
    ds = MappedCollection(paths, join=None)
    assert ds.var_joint is None and ds.shape == (35, None)
    np.testing.assert_array_equal(ds[21]["X"], dense(adatas[1].X)[1])
    assert [len(item["X"]) for item in ds.__getitems__([0, 21])] == [8, 8]


def test_inner_join_without_shared_genes_says_to_use_outer(tmp_path):
    paths = [
        write(make_adata(5, ["a", "b"], 1), tmp_path / "a.h5ad"),
        write(make_adata(5, ["c", "d"], 2), tmp_path / "b.h5ad"),
    ]
    with pytest.raises(InvalidArgument, match="outer"):
        MappedCollection(paths, join="inner")


def test_layers_raw_and_obsm(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, layers_keys=["X", "counts", "raw.X"], obsm_keys="pca")
    item = ds[31]
    assert set(item) == {"X", "counts", "raw.X", "obsm_pca", "_store_idx"}
    np.testing.assert_array_equal(item["counts"], adatas[1].layers["counts"][1])
    np.testing.assert_array_equal(item["raw.X"], dense(adatas[1].raw.X)[1])
    np.testing.assert_array_equal(item["obsm_pca"], adatas[1].obsm["pca"][1])


def test_dtype_casts_arrays(two_stores):
    ds = MappedCollection(two_stores[0], dtype="float64", obsm_keys="pca")
    assert ds[0]["X"].dtype == np.float64
    assert ds[0]["obsm_pca"].dtype == np.float64
    assert ds.__getitems__([1, 40])[1]["X"].dtype == np.float64


def test_sparse_and_dense_stores_give_equal_items(tmp_path):
    adata = make_adata(40, GENES, 7)
    sparse = make_adata(40, GENES, 7, sparse=True)
    ds_dense = MappedCollection([write(adata, tmp_path / "d.h5ad")])
    ds_sparse = MappedCollection([write(sparse, tmp_path / "s.h5ad")])
    order = [39, 0, 5, 6, 7, 20]
    for a, b in zip(ds_dense.__getitems__(order), ds_sparse.__getitems__(order), strict=True):
        np.testing.assert_array_equal(a["X"], b["X"])
    np.testing.assert_array_equal(ds_dense[13]["X"], ds_sparse[13]["X"])


def test_zarr_store_equals_h5ad(tmp_path):
    adata = make_adata(20, GENES, 8)
    sparse = make_adata(20, GENES, 9, sparse=True)
    paths = [write(adata, tmp_path / "a.zarr"), write(sparse, tmp_path / "b.zarr")]
    ds = MappedCollection(paths, obs_keys="cell_type", layers_keys=["X", "counts"])
    rows = expected_rows([adata, sparse])
    for item, i in zip(ds.__getitems__([25, 3, 39]), [25, 3, 39], strict=True):
        np.testing.assert_array_equal(item["X"], rows[i])
    np.testing.assert_array_equal(ds[22]["counts"], sparse.layers["counts"][2])
    assert ds[4]["cell_type"] == ds.encoders["cell_type"][adata.obs["cell_type"].iloc[4]]


def test_obs_filter_with_one_value(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_filter={"cell_type": "T cell"}, obs_keys="cell_type")
    both = pd.concat([a.obs for a in adatas])
    assert len(ds) == int((both["cell_type"] == "T cell").sum())
    assert {ds[i]["cell_type"] for i in range(len(ds))} == {ds.encoders["cell_type"]["T cell"]}


def test_obs_filter_with_tuple_of_values_and_two_columns(two_stores):
    paths, adatas = two_stores
    wanted = ("B cell", "NK cell")
    ds = MappedCollection(paths, obs_filter={"cell_type": wanted, "donor": "shared"})
    rows = expected_rows(adatas)
    both = pd.concat([a.obs for a in adatas])
    keep = np.flatnonzero(
        both["cell_type"].isin(wanted).to_numpy() & (both["donor"] == "shared").to_numpy()
    )
    assert len(ds) == len(keep)
    got = np.stack([item["X"] for item in ds.__getitems__(list(range(len(ds))))])
    np.testing.assert_array_equal(got, rows[keep])
    assert sum(n for n, _ in ds.original_shapes) == len(keep)


def test_missing_layer_is_omitted_for_that_store(tmp_path):
    with_layer = make_adata(5, GENES, 1)
    without = make_adata(5, GENES, 2)
    del without.layers["counts"]
    paths = [write(with_layer, tmp_path / "a.h5ad"), write(without, tmp_path / "b.h5ad")]
    ds = MappedCollection(paths, layers_keys=["X", "counts"])
    assert "counts" in ds[0] and "counts" not in ds[7]
    assert ["counts" in item for item in ds.__getitems__([7, 0])] == [False, True]


def test_csc_matrix_is_refused_with_advice(tmp_path):
    adata = make_adata(5, GENES, 1)
    adata.X = adata.X.copy()
    import scipy.sparse as sp

    adata.X = sp.csc_matrix(adata.X)
    path = write(adata, tmp_path / "c.h5ad")
    with pytest.raises(InvalidArgument, match="tocsr"):
        MappedCollection([path])


def test_non_integer_index_is_refused(two_stores):
    ds = MappedCollection(two_stores[0])
    with pytest.raises(InvalidArgument):
        ds["a"]
    with pytest.raises(IndexError):
        ds[55]


@pytest.mark.filterwarnings("ignore:Variable names are not unique")
def test_duplicated_var_names_only_fail_when_a_join_must_reindex(tmp_path):
    names = ["a", "a", "b"]
    same = [write(make_adata(3, names, s), tmp_path / f"d{s}.h5ad") for s in (1, 2)]
    assert MappedCollection(same).shape == (6, 3)
    other = write(make_adata(3, ["b", "a", "a"], 3), tmp_path / "o.h5ad")
    with pytest.raises(InvalidArgument, match="var_names_make_unique"):
        MappedCollection([same[0], other])

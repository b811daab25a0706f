"""Label encoding, unknown labels, label caching and label weights."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.mapped import MappedCollection

from .conftest import GENES, make_adata, write


def _labels(adatas, key):
    return pd.concat([a.obs[key] for a in adatas]).astype(str).to_numpy()


def test_encoders_number_sorted_merged_categories(two_stores):
    ds = MappedCollection(two_stores[0], obs_keys=["cell_type", "donor"])
    assert ds.encoders["cell_type"] == {"B cell": 0, "NK cell": 1, "T cell": 2, "unknown": 3}
    assert ds.encoders["donor"] == {"d1": 0, "d2": 1, "shared": 2}


def test_items_carry_encoded_labels(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys="cell_type")
    labels = _labels(adatas, "cell_type")
    codes = [ds[i]["cell_type"] for i in range(len(ds))]
    assert codes == [ds.encoders["cell_type"][label] for label in labels]


def test_unknown_label_encodes_to_minus_one(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys="cell_type", unknown_label="unknown")
    assert ds.encoders["cell_type"] == {"unknown": -1, "B cell": 0, "NK cell": 1, "T cell": 2}
    labels = _labels(adatas, "cell_type")
    i = int(np.flatnonzero(labels == "unknown")[0])
    assert ds[i]["cell_type"] == -1
    batch_codes = [item["cell_type"] for item in ds.__getitems__(list(range(len(ds))))]
    assert batch_codes == [ds.encoders["cell_type"][label] for label in labels]


def test_unknown_label_per_column(two_stores):
    ds = MappedCollection(
        two_stores[0], obs_keys=["cell_type", "donor"], unknown_label={"donor": "shared"}
    )
    assert ds.encoders["donor"]["shared"] == -1
    assert -1 not in ds.encoders["cell_type"].values()


def test_encode_labels_subset_returns_other_labels_as_text(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys=["cell_type", "donor"], encode_labels=["donor"])
    assert list(ds.encoders) == ["donor"]
    assert ds[0]["cell_type"] == adatas[0].obs["cell_type"].iloc[0]
    assert isinstance(ds[0]["donor"], int)


def test_encode_labels_must_be_obs_keys(two_stores):
    with pytest.raises(InvalidArgument, match="obs_keys"):
        MappedCollection(two_stores[0], obs_keys="cell_type", encode_labels=["donor"])


def test_numeric_column_is_encoded_like_categories(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys="n_genes")
    values = sorted(set(pd.concat([a.obs["n_genes"] for a in adatas]).tolist()))
    assert ds.encoders["n_genes"] == {v: i for i, v in enumerate(values)}


def test_without_cached_categories_items_are_the_same(two_stores):
    paths, _ = two_stores
    cached = MappedCollection(paths, obs_keys=["cell_type", "n_genes"])
    lazy = MappedCollection(paths, obs_keys=["cell_type", "n_genes"], cache_categories=False)
    order = [40, 3, 3, 17, 54]
    assert [lazy[i]["cell_type"] for i in order] == [cached[i]["cell_type"] for i in order]
    got = [(it["cell_type"], it["n_genes"]) for it in lazy.__getitems__(order)]
    assert got == [(it["cell_type"], it["n_genes"]) for it in cached.__getitems__(order)]


def test_label_codes_are_compact_integer_arrays(two_stores):
    ds = MappedCollection(two_stores[0], obs_keys="cell_type")
    codes = ds._labels["cell_type"].codes
    assert codes.dtype == np.int8 and codes.shape == (55,)


def test_label_weights_are_inverse_counts(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths)
    labels = _labels(adatas, "cell_type")
    counts = Counter(labels)
    weights = ds.get_label_weights("cell_type")
    np.testing.assert_allclose(weights, [1 / counts[label] for label in labels])


def test_label_weights_with_scaler(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_keys="cell_type")
    labels = _labels(adatas, "cell_type")
    counts = Counter(labels)
    weights = ds.get_label_weights("cell_type", scaler=10)
    np.testing.assert_allclose(weights, [10 / (counts[label] + 10) for label in labels])


def test_label_weights_of_combined_columns_by_category(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths)
    combined = [
        f"{a}__{b}"
        for a, b in zip(_labels(adatas, "cell_type"), _labels(adatas, "donor"), strict=True)
    ]
    counts = Counter(combined)
    got = ds.get_label_weights(["cell_type", "donor"], return_categories=True)
    assert got == pytest.approx({k: 1 / v for k, v in counts.items()})


def test_merged_labels_and_categories(two_stores):
    paths, adatas = two_stores
    ds = MappedCollection(paths, obs_filter={"donor": "shared"})
    both = pd.concat([a.obs for a in adatas])
    want = both.loc[both["donor"] == "shared", "cell_type"].astype(str).tolist()
    assert ds.get_merged_labels("cell_type").tolist() == want
    assert ds.get_merged_categories("donor") == ["d1", "d2", "shared"]


def test_label_missing_in_one_store_is_omitted_there(tmp_path):
    first = make_adata(4, GENES, 1)
    second = make_adata(4, GENES, 2)
    second.obs = second.obs.drop(columns="donor")
    paths = [write(first, tmp_path / "a.h5ad"), write(second, tmp_path / "b.h5ad")]
    ds = MappedCollection(paths, obs_keys="donor")
    assert "donor" in ds[0] and "donor" not in ds[5]


def test_missing_values_encode_to_minus_one(tmp_path):
    adata = make_adata(4, GENES, 1)
    adata.obs["cell_type"] = pd.Categorical(["B cell", None, "T cell", None])
    ds = MappedCollection([write(adata, tmp_path / "m.h5ad")], obs_keys="cell_type")
    assert [ds[i]["cell_type"] for i in range(4)] == [0, -1, 1, -1]

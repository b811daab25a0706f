"""Collections: membership, order, hash dedup, versions, loading."""

from __future__ import annotations

import pandas as pd
import pytest


def _artifact(ln, values, key):
    return ln.Artifact.from_df(pd.DataFrame({"x": values}), key=key).save()


def test_collection_keeps_members_in_the_order_given(ln):
    a, b, c = (_artifact(ln, [i], f"t/{i}.parquet") for i in (3, 1, 2))
    coll = ln.Collection([a, b, c], key="batches").save()
    assert coll.ordered_artifacts.to_list("key") == ["t/3.parquet", "t/1.parquet", "t/2.parquet"]
    assert sorted(coll.artifacts.to_list("key")) == ["t/1.parquet", "t/2.parquet", "t/3.parquet"]


def test_collection_uid_is_20_chars_with_version(ln):
    coll = ln.Collection(_artifact(ln, [1], "t/1.parquet"), key="one").save()
    assert len(coll.uid) == 20 and coll.version == "0000"


def test_single_artifact_collection_has_a_data_artifact(ln):
    a = _artifact(ln, [1], "t/1.parquet")
    assert ln.Collection(a, key="one").save().data_artifact == a
    assert (
        ln.Collection([a, _artifact(ln, [2], "t/2.parquet")], key="two").save().data_artifact
        is None
    )


def test_same_members_return_the_existing_collection(ln):
    a, b = _artifact(ln, [1], "t/1.parquet"), _artifact(ln, [2], "t/2.parquet")
    first = ln.Collection([a, b], key="pair").save()
    again = ln.Collection([b, a], key="other name")
    assert again.uid == first.uid
    assert ln.Collection.filter().count() == 1


def test_append_makes_a_new_version(ln):
    a, b = _artifact(ln, [1], "t/1.parquet"), _artifact(ln, [2], "t/2.parquet")
    v1 = ln.Collection([a], key="growing").save()
    v2 = v1.append(b).save()
    assert v2.stem_uid == v1.stem_uid and v2.version == "0001"
    assert v2.ordered_artifacts.to_list("key") == ["t/1.parquet", "t/2.parquet"]
    assert ln.Collection.get(key="growing", is_latest=True).uid == v2.uid
    assert v2.versions.count() == 2


def test_load_concatenates_the_members_as_they_are(ln):
    a, b = _artifact(ln, [1, 2], "t/1.parquet"), _artifact(ln, [3], "t/2.parquet")
    df = ln.Collection([a, b], key="pair").save().load()
    assert df["x"].tolist() == [1, 2, 3] and list(df.columns) == ["x"]


def test_load_inner_join_keeps_shared_columns(ln):
    a = ln.Artifact.from_df(pd.DataFrame({"x": [1], "only_a": [0]}), key="t/a.parquet").save()
    b = ln.Artifact.from_df(pd.DataFrame({"x": [2], "only_b": [0]}), key="t/b.parquet").save()
    df = ln.Collection([a, b], key="pair").save().load(join="inner")
    assert list(df.columns) == ["x"]


def test_load_anndata_members(ln):
    import anndata as ad
    import numpy as np

    a = ln.Artifact.from_anndata(
        ad.AnnData(np.ones((2, 3), dtype="float32")), key="sc/a.h5ad"
    ).save()
    b = ln.Artifact.from_anndata(
        ad.AnnData(np.zeros((4, 3), dtype="float32")), key="sc/b.h5ad"
    ).save()
    adata = ln.Collection([a, b], key="sc").save().load()
    assert adata.shape == (6, 3)
    assert adata.obs["artifact_uid"].tolist() == [a.uid] * 2 + [b.uid] * 4


def test_cache_returns_local_paths_of_members(ln):
    a, b = _artifact(ln, [1], "t/1.parquet"), _artifact(ln, [2], "t/2.parquet")
    paths = ln.Collection([a, b], key="pair").save().cache()
    assert paths == [a.path, b.path]


def test_meta_artifact_is_saved_with_the_collection(ln):
    a = _artifact(ln, [1], "t/1.parquet")
    coll = ln.Collection(a, key="with meta", meta=pd.DataFrame({"donor": ["d1"]})).save()
    assert coll.meta_artifact.load()["donor"].tolist() == ["d1"]


def test_unsaved_artifact_is_refused(ln):
    unsaved = ln.Artifact.from_df(pd.DataFrame({"x": [1]}), key="t/u.parquet")
    with pytest.raises(ln.errors.InvalidArgument, match="Save"):
        ln.Collection([unsaved], key="bad")


def test_empty_collection_is_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="at least one artifact"):
        ln.Collection([], key="empty")


def test_delete_and_restore_collection(ln):
    coll = ln.Collection(_artifact(ln, [1], "t/1.parquet"), key="c").save()
    coll.delete()
    assert ln.Collection.filter().count() == 0
    coll.restore()
    assert ln.Collection.filter().count() == 1


def test_permanent_delete_keeps_member_artifacts(ln):
    a = _artifact(ln, [1], "t/1.parquet")
    ln.Collection(a, key="c").save().delete(permanent=True)
    assert ln.Collection.filter(branch_id__in=[-1, 0, 1]).count() == 0
    assert ln.Artifact.get(a.uid).path.exists()


def test_artifact_knows_its_collections(ln):
    a = _artifact(ln, [1], "t/1.parquet")
    coll = ln.Collection(a, key="c").save()
    assert a.collections.to_list("uid") == [coll.uid]
    assert ln.Artifact.filter(collections__key="c").one() == a


def _dense(n, offset, genes=("g1", "g2", "g3"), extra_obs=None):
    import anndata as ad
    import numpy as np

    obs = pd.DataFrame(
        {"donor": [f"d{offset}"] * n, **(extra_obs or {})}, index=[f"c{i}" for i in range(n)]
    )
    adata = ad.AnnData(
        np.arange(n * len(genes), dtype="float32").reshape(n, len(genes)) + offset, obs=obs
    )
    adata.var_names = list(genes)
    return adata


def test_dense_h5ad_collections_load_the_same_as_anndata_concat(ln):
    import anndata as ad

    a1, a2 = _dense(3, 0), _dense(2, 100, extra_obs={"batch": ["x", "y"]})
    arts = [ln.Artifact.from_anndata(a, key=f"sc/{i}.h5ad").save() for i, a in enumerate((a1, a2))]
    loaded = ln.Collection(arts, key="dense").save().load()
    # the reference: anndata's concat of the files as read back (h5ad stores strings as categories)
    expected = ad.concat(
        [ad.read_h5ad(a.path) for a in arts],
        join="outer",
        label="artifact_uid",
        keys=[a.uid for a in arts],
    )
    assert loaded.obs_names.tolist() == expected.obs_names.tolist()
    assert (loaded.X == expected.X).all() and loaded.var_names.tolist() == ["g1", "g2", "g3"]
    pd.testing.assert_frame_equal(loaded.obs, expected.obs, check_dtype=False)


def test_h5ad_collections_with_different_genes_use_the_general_join(ln):
    a1, a2 = _dense(2, 0), _dense(2, 10, genes=("g3", "g1", "g4"))
    arts = [ln.Artifact.from_anndata(a, key=f"sc/{i}.h5ad").save() for i, a in enumerate((a1, a2))]
    inner = ln.Collection(arts, key="mixed").save().load(join="inner")
    assert sorted(inner.var_names) == ["g1", "g3"] and inner.shape == (4, 2)

"""Collection.mapped() and ArtifactSet.mapped(): the registry side of the torch dataset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def _adata(n, genes, offset, cell_types):
    import anndata as ad

    X = np.arange(n * len(genes), dtype="float32").reshape(n, len(genes)) + offset
    obs = pd.DataFrame(
        {"cell_type": pd.Categorical(cell_types)}, index=[f"c{offset}_{i}" for i in range(n)]
    )
    adata = ad.AnnData(X, obs=obs)
    adata.var_names = genes
    return adata


@pytest.fixture
def two_batches(ln):
    a1 = _adata(3, ["g1", "g2", "g3"], 0, ["T", "B", "T"])
    a2 = _adata(2, ["g3", "g1", "g2"], 100, ["B", "NK"])
    arts = [ln.Artifact.from_anndata(a, key=f"sc/b{i}.h5ad").save() for i, a in enumerate((a1, a2))]
    return ln.Collection(arts, key="sc batches").save(), a1, a2


def test_items_equal_the_anndata_rows_after_an_inner_join(two_batches):
    collection, a1, a2 = two_batches
    with collection.mapped(obs_keys="cell_type", join="inner") as ds:
        assert len(ds) == 5 and list(ds.var_joint) == ["g1", "g2", "g3"]
        np.testing.assert_array_equal(ds[1]["X"], a1.X[1])
        # the second file stores g3, g1, g2: the dataset reorders to g1, g2, g3
        np.testing.assert_array_equal(ds[3]["X"], a2[:, ["g1", "g2", "g3"]].X[0])
        assert [int(ds[i]["_store_idx"]) for i in range(5)] == [0, 0, 0, 1, 1]


def test_labels_are_encoded_across_files(two_batches):
    collection, _, _ = two_batches
    with collection.mapped(obs_keys="cell_type") as ds:
        codes = ds.encoders["cell_type"]
        assert sorted(codes) == ["B", "NK", "T"]
        assert [int(ds[i]["cell_type"]) for i in range(5)] == [
            codes[c] for c in ["T", "B", "T", "B", "NK"]
        ]


def test_artifact_set_mapped_matches_the_collection(ln, two_batches):
    collection, _, _ = two_batches
    with (
        ln.Artifact.filter(suffix=".h5ad").order_by("id").mapped(obs_keys="cell_type") as ds,
        collection.mapped(obs_keys="cell_type") as expected,
    ):
        np.testing.assert_array_equal(ds[4]["X"], expected[4]["X"])


def test_a_dataloader_yields_batches(two_batches):
    import torch

    collection, _, _ = two_batches
    with collection.mapped(obs_keys="cell_type") as ds:
        batch = next(iter(torch.utils.data.DataLoader(ds, batch_size=4, shuffle=False)))
        assert tuple(batch["X"].shape) == (4, 3) and tuple(batch["cell_type"].shape) == (4,)


def test_mapping_inside_a_run_records_the_collection_as_input(ln, two_batches, tmp_path):
    collection, _, _ = two_batches
    script = tmp_path / "train.py"
    script.write_text("# training\n")
    ln.track(path=script)
    try:
        collection.mapped().close()
        run = ln.context.run
    finally:
        ln.finish()
    assert run.input_collections.to_list("uid") == [collection.uid]


def test_is_run_input_false_records_nothing(ln, two_batches, tmp_path):
    collection, _, _ = two_batches
    script = tmp_path / "peek.py"
    script.write_text("# peek\n")
    ln.track(path=script)
    try:
        collection.mapped(is_run_input=False).close()
        run = ln.context.run
    finally:
        ln.finish()
    assert run.input_collections.count() == 0


@pytest.mark.s3
def test_stream_reads_s3_without_caching(ln, s3_bucket):
    ln.settings.storage = f"{s3_bucket}/sc"
    adata = _adata(4, ["g1", "g2"], 0, ["T", "B", "T", "B"])
    artifact = ln.Artifact.from_anndata(adata, key="sc/s3.h5ad").save()
    collection = ln.Collection(artifact, key="s3 mapped").save()
    with collection.mapped(stream=True) as ds:
        np.testing.assert_array_equal(ds[2]["X"], adata.X[2])


def test_collection_mapped_passes_the_sparse_output_on(two_batches):
    collection, _, _ = two_batches
    with collection.mapped(obs_keys="cell_type", sparse="csr") as ds:
        assert ds.sparse == "csr"


def test_collection_mapped_refuses_an_unknown_sparse_output(ln, two_batches):
    collection, _, _ = two_batches
    with pytest.raises(ln.errors.InvalidArgument, match="'dense', 'csr' or 'coo'"):
        collection.mapped(sparse="bsr")

"""AnnDataCurator: obs columns and variable names against a composite schema."""

from __future__ import annotations

import re

import anndata as ad
import numpy as np
import pandas as pd
import pytest

from lamin_lab.errors import InvalidArgument, ValidationError


@pytest.fixture
def env(ln):
    import lamin_lab.curators as curators

    cell_type = ln.Feature(name="cell_type", dtype=ln.ULabel).save()
    donor = ln.Feature(name="donor", dtype=str).save()
    ln.ULabel.from_values(["T cell", "B cell", "CD4", "CD8A"], create=True).save()
    obs = ln.Schema(name="obs", features=[cell_type, donor]).save()
    var = ln.Schema(name="genes", itype=ln.ULabel.name).save()
    schema = ln.Schema(name="scrna", otype="AnnData", slots={"obs": obs, "var.T": var}).save()
    return ln, curators, schema


def _adata(cell_types=("T cell", "B cell", "T cell"), genes=("CD4", "CD8A")):
    obs = pd.DataFrame(
        {"cell_type": list(cell_types), "donor": ["d1", "d2", "d1"]},
        index=[f"c{i}" for i in range(len(cell_types))],
    )
    var = pd.DataFrame(index=list(genes))
    return ad.AnnData(X=np.ones((len(cell_types), len(genes)), dtype="float32"), obs=obs, var=var)


def test_valid_anndata(env):
    ln, curators, schema = env
    curator = curators.AnnDataCurator(_adata(), schema)
    curator.validate()
    assert set(curator.slots) == {"obs", "var.T"}


def test_errors_of_both_slots(env):
    ln, curators, schema = env
    curator = curators.AnnDataCurator(
        _adata(cell_types=("T cel", "B cell", "T cell"), genes=("CD4", "CD8")), schema
    )
    with pytest.raises(ValidationError) as e:
        curator.validate()
    text = str(e.value)
    assert text.startswith("1 term not validated in 'cell_type': 'T cel' (did you mean 'T cell'?)")
    assert "1 term not validated in 'var.T': 'CD8' (did you mean 'CD8A'?)" in text
    assert curator.cat.non_validated == {"cell_type": ["T cel"]}
    assert curator.slots["var.T"].cat.non_validated == {"var.T": ["CD8"]}


def test_fix_and_save(env):
    ln, curators, schema = env
    adata = _adata(genes=("CD4", "NEWGENE"))
    curator = curators.AnnDataCurator(adata, schema)
    with pytest.raises(ValidationError):
        curator.validate()
    curator.slots["var.T"].cat.add_new_from("var.T")
    curator.validate()
    artifact = curator.save_artifact(key="scrna/a.h5ad")
    assert artifact.otype == "AnnData" and artifact.schema == schema
    assert {k: v.name for k, v in artifact.features.slots.items()} == {
        "obs": "obs",
        "var.T": "genes",
    }
    assert artifact.labels.get("cell_type", flat_names=True) == ["B cell", "T cell"]
    assert ln.Artifact.filter(cell_type="B cell").one() == artifact


def test_synonyms_in_var_index(env):
    ln, curators, schema = env
    ln.ULabel.get(name="CD8A").add_synonym("CD8alpha")
    adata = _adata(genes=("CD4", "CD8alpha"))
    curator = curators.AnnDataCurator(adata, schema)
    curator.standardize()
    assert list(adata.var.index) == ["CD4", "CD8A"]
    curator.validate()


def test_from_anndata_with_schema_writes_nothing_when_invalid(env):
    ln, _, schema = env
    with pytest.raises(ValidationError, match=re.escape("'T cel' (did you mean 'T cell'?)")):
        ln.Artifact.from_anndata(
            _adata(cell_types=("T cel", "B cell", "T cell")), key="bad.h5ad", schema=schema
        )
    assert ln.Artifact.filter().count() == 0


def test_needs_composite_schema(env):
    ln, curators, schema = env
    with pytest.raises(InvalidArgument, match="needs a composite schema"):
        curators.AnnDataCurator(_adata(), ln.Schema.get(name="obs"))
    with pytest.raises(InvalidArgument, match="takes an AnnData"):
        curators.AnnDataCurator(pd.DataFrame(), schema)

"""ln.examples.datasets.mini_immuno: the two small datasets of LaminDB's guides, made locally."""

import pytest

import lamin_lab as ln
from lamin_lab.examples.datasets import mini_immuno


def test_dataset1_dataframe_has_lamindb_columns_index_and_attrs():
    df = mini_immuno.get_dataset1()
    assert df.columns.tolist() == [
        "ENSG00000153563",
        "ENSG00000010610",
        "ENSG00000170458",
        "perturbation",
        "sample_note",
        "cell_type_by_expert",
        "cell_type_by_model",
        "assay_oid",
        "concentration",
        "treatment_time_h",
        "donor",
        "donor_ethnicity",
    ]
    assert df.index.tolist() == ["sample1", "sample2", "sample3"]
    assert df["perturbation"].tolist() == ["DMSO", "IFNG", "DMSO"]
    assert str(df["perturbation"].dtype) == "category"
    assert df.attrs == {
        "temperature": 21.6,
        "experiment": "Experiment 1",
        "date_of_study": "2024-12-01",
        "study_note": "We had a great time performing this study and the results look compelling.",
    }


def test_dataset1_anndata_puts_genes_in_X_and_drops_donor_ethnicity():
    adata = mini_immuno.get_dataset1(otype="AnnData")
    assert adata.shape == (3, 3)
    assert adata.var_names.tolist() == ["ENSG00000153563", "ENSG00000010610", "ENSG00000170458"]
    assert "donor_ethnicity" not in adata.obs.columns
    assert adata.obs.columns[0] == "perturbation"
    assert adata.uns["experiment"] == "Experiment 1"


def test_dataset1_flags_introduce_the_documented_invalid_values():
    df = mini_immuno.get_dataset1(
        gene_symbols_in_index=True, with_typo=True, with_cell_type_synonym=True
    )
    assert df.columns[:3].tolist() == ["CD8A", "CD4", "CD14"]
    assert df["perturbation"].tolist() == ["DMSO", "IFNJ", "DMSO"]
    assert df["cell_type_by_expert"].iloc[0] == "B-cell"


def test_dataset2_dataframe_values_and_attrs():
    df = mini_immuno.get_dataset2()
    assert df.index.tolist() == ["sample4", "sample5", "sample6"]
    assert df["ENSG00000004468"].tolist() == [4, 2, 3]
    assert df.attrs == {
        "temperature": 22.6,
        "experiment": "Experiment 2",
        "date_of_study": "2025-02-13",
    }


def test_dataset2_anndata_has_obs_metadata_in_uns():
    adata = mini_immuno.get_dataset2(otype="AnnData", gene_symbols_in_index=True)
    assert adata.var_names.tolist() == ["CD8A", "CD4", "CD38"]
    assert adata.obs.columns.tolist() == [
        "perturbation",
        "cell_type_by_model",
        "concentration",
        "treatment_time_h",
        "donor",
    ]
    assert adata.uns["temperature"] == 22.6


def test_unknown_otype_is_refused_with_what_to_pass():
    with pytest.raises(ln.errors.InvalidArgument, match="otype='AnnData'"):
        mini_immuno.get_dataset1(otype="polars")


def test_ln_examples_is_reached_from_the_package():
    assert ln.examples.datasets.mini_immuno.get_dataset2().shape == (3, 8)

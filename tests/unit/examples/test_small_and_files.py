"""ln.examples.datasets: the CELLxGENE mini dataset, the .uns dictionary and the mock files."""

import pytest

import lamin_lab as ln
from lamin_lab.examples import datasets


def test_small_dataset3_anndata_has_float32_counts_and_categorical_donor():
    adata = datasets.small_dataset3_cellxgene()
    assert adata.X.dtype.name == "float32"
    assert adata.X.tolist() == [[2, 3, 4], [3, 4, 2], [3, 5, 3]]
    assert str(adata.obs["donor_id"].dtype) == "category"
    assert adata.obs["organism_ontology_term_id"].tolist() == ["NCBITaxon:9606"] * 3


def test_small_dataset3_raw_has_no_feature_is_filtered_column():
    adata = datasets.small_dataset3_cellxgene()
    assert adata.var.columns.tolist() == ["feature_is_filtered"]
    assert adata.raw.var.columns.tolist() == []
    assert adata.raw.X.tolist() == adata.X.tolist()


def test_small_dataset3_dataframe_has_counts_then_obs_and_no_organism():
    df = datasets.small_dataset3_cellxgene(otype="DataFrame")
    assert df.shape == (3, 13)
    assert df.columns[:3].tolist() == ["ENSG00000000457", "ENSG00000000419", "ENSG00000139618"]
    assert "organism_ontology_term_id" not in df.columns


def test_small_dataset3_with_uns_organism_moves_organism_to_uns():
    adata = datasets.small_dataset3_cellxgene(with_uns_organism=True)
    assert adata.uns["organism"] == "Homo sapiens"
    assert "organism_ontology_term_id" not in adata.obs.columns


def test_small_dataset3_typos_change_the_first_gene_and_the_lung_id():
    adata = datasets.small_dataset3_cellxgene(with_var_typo=True, with_obs_typo=True)
    assert adata.var_names[0] == "invalid_ensembl_id"
    assert adata.obs["tissue_ontology_term_id"].tolist()[:2] == ["UBERON:0002048XXX"] * 2


def test_small_dataset3_unknown_otype_says_what_to_pass():
    with pytest.raises(ln.errors.InvalidArgument, match="otype='DataFrame'"):
        datasets.small_dataset3_cellxgene(otype="MuData")


def test_small_dataset1_and_2_are_the_mini_immuno_functions():
    assert datasets.small_dataset1 is datasets.mini_immuno.get_dataset1
    assert datasets.small_dataset2 is datasets.mini_immuno.get_dataset2


def test_core_datasets_is_examples_datasets():
    assert ln.core.datasets is ln.examples.datasets


def test_dict_cellxgene_uns_library_scalefactors():
    uns = datasets.dict_cellxgene_uns()
    assert uns["spatial"]["library_2"]["scalefactors"] == {
        "spot_diameter_fullres": 120.34,
        "tissue_hires_scalef": 0.355,
    }
    assert uns["spatial"]["library_1"]["images"]["hires"] == "path/to/hires.jpg"


def test_mock_files_land_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert [f().name for f in (datasets.file_fastq, datasets.file_bam, datasets.file_mini_csv)] == [
        "input.fastq.gz",
        "output.bam",
        "mini.csv",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "input.fastq.gz",
        "mini.csv",
        "output.bam",
    ]


def test_mini_csv_is_what_pandas_reads_back(tmp_path, monkeypatch):
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    df = pd.read_csv(datasets.file_mini_csv())
    assert df.columns.tolist() == ["test"]
    assert df["test"].tolist() == [1, 2, 3]


def test_mock_file_in_storage_root(ln):
    path = ln.examples.datasets.file_bam(in_storage_root=True)
    assert path.parent == ln.settings.storage.root
    assert path.read_text() == "Mock bam artifact."


def test_cellranger_folder_without_fastqs_by_default(tmp_path):
    sample = datasets.dir_scrnaseq_cellranger("s1", basedir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s1"]
    assert len([p for p in sample.rglob("*") if p.is_file()]) == 15
    assert (sample / "filtered_feature_bc_matrix" / "matrix.mtx.gz").stat().st_size == 6


def test_cellranger_output_only_false_writes_two_reads(tmp_path):
    datasets.dir_scrnaseq_cellranger("s1", basedir=tmp_path, output_only=False)
    assert sorted(p.name for p in (tmp_path / "fastq").iterdir()) == [
        "s1_R1_001.fastq.gz",
        "s1_R2_001.fastq.gz",
    ]


def test_cellranger_two_calls_give_different_content(tmp_path):
    first = datasets.dir_scrnaseq_cellranger("a", basedir=tmp_path)
    second = datasets.dir_scrnaseq_cellranger("b", basedir=tmp_path)
    assert (first / "web_summary.html").read_text() != (second / "web_summary.html").read_text()


@pytest.mark.parametrize(
    "name", ["df_iris", "anndata_pbmc68k_reduced", "file_fcs", "schmidt22_perturbseq"]
)
def test_downloaded_datasets_raise_storage_error_naming_the_network(name):
    with pytest.raises(ln.errors.StorageError, match="needs no network"):
        getattr(datasets, name)()


def test_downloaded_dataset_error_is_an_oserror_as_a_failed_download():
    with pytest.raises(OSError):
        datasets.df_iris_in_meter()


def test_every_lamindb_dataset_name_is_offered():
    lamindb_names = {
        "anndata_file_pbmc68k_test",
        "anndata_human_immune_cells",
        "anndata_mouse_sc_lymph_node",
        "anndata_pbmc3k_processed",
        "anndata_pbmc68k_reduced",
        "anndata_suo22_Visium10X",
        "anndata_visium_mouse_cellxgene",
        "anndata_with_obs",
        "df_iris",
        "df_iris_in_meter",
        "df_iris_in_meter_study1",
        "df_iris_in_meter_study2",
        "dict_cellxgene_uns",
        "dir_iris_images",
        "fake_bio_notebook_titles",
        "dir_scrnaseq_cellranger",
        "file_bam",
        "file_fastq",
        "file_fcs",
        "file_fcs_alpert19",
        "file_jpg_paradisi05",
        "file_mini_csv",
        "file_tiff_suo22",
        "file_tsv_rnaseq_nfcore_salmon_merged_gene_counts",
        "mini_immuno",
        "mudata_papalexi21_subset",
        "schmidt22_crispra_gws_IFNG",
        "schmidt22_perturbseq",
        "small_dataset1",
        "small_dataset2",
        "small_dataset3_cellxgene",
        "spatialdata_blobs",
    }
    assert lamindb_names - set(datasets.__all__) == set()


def test_fake_titles_are_capitalised_sentences():
    titles = datasets.fake_bio_notebook_titles(n=5, seed=1)
    assert len(titles) == 5
    assert all(t[0].isupper() and t.endswith(".") and 4 <= len(t.split()) for t in titles)


def test_fake_titles_same_seed_same_titles():
    assert datasets.fake_bio_notebook_titles(n=3, seed=7) == datasets.fake_bio_notebook_titles(
        n=3, seed=7
    )


def test_fake_titles_negative_n_says_what_to_pass():
    with pytest.raises(ln.errors.InvalidArgument, match="n=10"):
        datasets.fake_bio_notebook_titles(n=-1)

"""Example datasets, generated locally.

Tables and AnnData
------------------
``mini_immuno``                 two small expression + metadata tables (``get_dataset1``, ``get_dataset2``),
                                and ``define_features_labels()`` to validate them
``small_dataset1``, ``small_dataset2``   the same two datasets under their older names
``small_dataset3_cellxgene``    three cells with CELLxGENE's obs columns
``dict_cellxgene_uns``          a CELLxGENE ``.uns`` dictionary

Files and folders (written to the working directory or the storage root)
------------------------------------------------------------------------
``file_fastq``, ``file_bam``, ``file_mini_csv``, ``dir_scrnaseq_cellranger``

Other
-----
``fake_bio_notebook_titles``   made-up study titles, to try search on

LaminDB's downloaded datasets (``df_iris``, ``anndata_pbmc68k_reduced``, ``file_fcs``, …) are
named here too and raise :class:`~lamin_lab.errors.StorageError`: they need the network.

Examples
--------
>>> from lamin_lab.examples import datasets
>>> list(datasets.mini_immuno.get_dataset2().index)
['sample4', 'sample5', 'sample6']
>>> datasets.small_dataset1 is datasets.mini_immuno.get_dataset1
True
"""

from . import mini_immuno
from ._fake import fake_bio_notebook_titles
from ._files import dir_scrnaseq_cellranger, file_bam, file_fastq, file_mini_csv
from ._remote import (
    anndata_file_pbmc68k_test,
    anndata_human_immune_cells,
    anndata_mouse_sc_lymph_node,
    anndata_pbmc3k_processed,
    anndata_pbmc68k_reduced,
    anndata_suo22_Visium10X,
    anndata_visium_mouse_cellxgene,
    anndata_with_obs,
    df_iris,
    df_iris_in_meter,
    df_iris_in_meter_study1,
    df_iris_in_meter_study2,
    dir_iris_images,
    file_fcs,
    file_fcs_alpert19,
    file_jpg_paradisi05,
    file_tiff_suo22,
    file_tsv_rnaseq_nfcore_salmon_merged_gene_counts,
    mudata_papalexi21_subset,
    schmidt22_crispra_gws_IFNG,
    schmidt22_perturbseq,
    spatialdata_blobs,
)
from ._small import dict_cellxgene_uns, small_dataset3_cellxgene

small_dataset1 = mini_immuno.get_dataset1
small_dataset2 = mini_immuno.get_dataset2

__all__ = [
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
    "dir_scrnaseq_cellranger",
    "fake_bio_notebook_titles",
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
]

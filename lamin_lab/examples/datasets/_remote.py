"""LaminDB's example datasets that are downloaded from the internet: not made locally here.

lamin_lab builds its example data locally and downloads nothing, so each of these names
raises :class:`~lamin_lab.errors.StorageError` (an ``OSError``, as a failed download is in
LaminDB) that says the data needs the network and what to use instead.

Examples
--------
>>> import lamin_lab as ln
>>> try:
...     ln.examples.datasets.df_iris()
... except ln.errors.StorageError as e:
...     print("network" in str(e))
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from ...errors import StorageError

# name -> what LaminDB downloads (said in the error message)
_DOWNLOADED = {
    "anndata_file_pbmc68k_test": "a 30 x 200 subset of the 10x PBMC 68k dataset (.h5ad)",
    "anndata_human_immune_cells": "a subset of the CELLxGENE human immune cells dataset (.h5ad)",
    "anndata_mouse_sc_lymph_node": "the E-MTAB-8414 mouse lymph node dataset (.h5ad)",
    "anndata_pbmc3k_processed": "scanpy's processed PBMC 3k dataset (.h5ad)",
    "anndata_pbmc68k_reduced": "a reduced PBMC 68k dataset (.h5ad)",
    "anndata_suo22_Visium10X": "a Visium subset of Suo et al. 2022 (.h5ad)",
    "anndata_visium_mouse_cellxgene": "a CELLxGENE Visium mouse dataset (.h5ad)",
    "anndata_with_obs": "a 40 x 100 AnnData whose genes come from bionty's public ontology files",
    "df_iris": "the iris dataset (.parquet)",
    "df_iris_in_meter": "the iris dataset (.parquet)",
    "df_iris_in_meter_study1": "the iris dataset (.parquet)",
    "df_iris_in_meter_study2": "the iris dataset (.parquet)",
    "dir_iris_images": "the iris images in s3://lamindata/iris_studies",
    "file_fcs": "a flow cytometry file (.fcs)",
    "file_fcs_alpert19": "a flow cytometry file of Alpert et al. 2019 (.fcs)",
    "file_jpg_paradisi05": "a microscopy image of laminopathic nuclei (.jpg)",
    "file_tiff_suo22": "a Visium image of Suo et al. 2022 (.tiff)",
    "file_tsv_rnaseq_nfcore_salmon_merged_gene_counts": "nf-core/rnaseq's merged salmon gene counts (.tsv)",
    "mudata_papalexi21_subset": "a 200 x 300 subset of Papalexi et al. 2021 (.h5mu)",
    "schmidt22_crispra_gws_IFNG": "the CRISPRa screen of Schmidt et al. 2022 (.csv)",
    "schmidt22_perturbseq": "the Perturb-seq data of Schmidt et al. 2022 (.h5ad)",
    "spatialdata_blobs": "spatialdata's blobs example (needs the spatialdata package)",
}


def _needs_network(name: str) -> Callable[..., NoReturn]:
    what = _DOWNLOADED[name]

    def helper(*args: Any, **kwargs: Any) -> NoReturn:
        raise StorageError(
            f"ln.examples.datasets.{name}() is {what}, which LaminDB downloads: lamin_lab makes its "
            "example data locally and needs no network, so it does not offer this one. Read the file "
            "with pandas or anndata and pass it to ln.Artifact(...), or use a local example such as "
            "ln.examples.datasets.mini_immuno.get_dataset1() or small_dataset3_cellxgene()."
        )

    helper.__name__ = helper.__qualname__ = name
    helper.__doc__ = (
        f"Not available offline: in LaminDB this downloads {what}.\n\n"
        "Raises\n------\nStorageError\n    Always; the message names a local example to use instead.\n"
    )
    return helper


# One function per downloaded dataset, each raising (the table above says what it would be).
anndata_file_pbmc68k_test = _needs_network("anndata_file_pbmc68k_test")
anndata_human_immune_cells = _needs_network("anndata_human_immune_cells")
anndata_mouse_sc_lymph_node = _needs_network("anndata_mouse_sc_lymph_node")
anndata_pbmc3k_processed = _needs_network("anndata_pbmc3k_processed")
anndata_pbmc68k_reduced = _needs_network("anndata_pbmc68k_reduced")
anndata_suo22_Visium10X = _needs_network("anndata_suo22_Visium10X")
anndata_visium_mouse_cellxgene = _needs_network("anndata_visium_mouse_cellxgene")
anndata_with_obs = _needs_network("anndata_with_obs")
df_iris = _needs_network("df_iris")
df_iris_in_meter = _needs_network("df_iris_in_meter")
df_iris_in_meter_study1 = _needs_network("df_iris_in_meter_study1")
df_iris_in_meter_study2 = _needs_network("df_iris_in_meter_study2")
dir_iris_images = _needs_network("dir_iris_images")
file_fcs = _needs_network("file_fcs")
file_fcs_alpert19 = _needs_network("file_fcs_alpert19")
file_jpg_paradisi05 = _needs_network("file_jpg_paradisi05")
file_tiff_suo22 = _needs_network("file_tiff_suo22")
file_tsv_rnaseq_nfcore_salmon_merged_gene_counts = _needs_network(
    "file_tsv_rnaseq_nfcore_salmon_merged_gene_counts"
)
mudata_papalexi21_subset = _needs_network("mudata_papalexi21_subset")
schmidt22_crispra_gws_IFNG = _needs_network("schmidt22_crispra_gws_IFNG")
schmidt22_perturbseq = _needs_network("schmidt22_perturbseq")
spatialdata_blobs = _needs_network("spatialdata_blobs")

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
    "dir_iris_images",
    "file_fcs",
    "file_fcs_alpert19",
    "file_jpg_paradisi05",
    "file_tiff_suo22",
    "file_tsv_rnaseq_nfcore_salmon_merged_gene_counts",
    "mudata_papalexi21_subset",
    "schmidt22_crispra_gws_IFNG",
    "schmidt22_perturbseq",
    "spatialdata_blobs",
]

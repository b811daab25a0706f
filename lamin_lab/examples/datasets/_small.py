"""A CELLxGENE-shaped mini dataset and a CELLxGENE ``.uns`` dictionary, made locally.

pandas, numpy and anndata are imported when a dataset is asked for, not on ``import lamin_lab``.

Examples
--------
>>> from lamin_lab.examples.datasets import small_dataset3_cellxgene
>>> small_dataset3_cellxgene().shape
(3, 3)
"""

from __future__ import annotations

from typing import Any

from ...errors import InvalidArgument

_BARCODES = ["barcode1", "barcode2", "barcode3"]


def _cellxgene_obs(lung: str) -> dict[str, list]:
    return {
        "disease_ontology_term_id": ["MONDO:0004975", "MONDO:0004980", "MONDO:0004980"],
        "development_stage_ontology_term_id": ["unknown"] * 3,
        "sex_ontology_term_id": ["PATO:0000383", "PATO:0000384", "unknown"],
        "tissue_ontology_term_id": [lung, lung, "UBERON:0000948"],
        "cell_type": ["T cell", "B cell", "B cell"],
        "self_reported_ethnicity": ["South Asian"] * 3,
        "donor_id": ["-1", "1", "2"],
        "is_primary_data": [False] * 3,
        "suspension_type": ["cell"] * 3,
        "tissue_type": ["tissue"] * 3,
    }


def _add_cellxgene_extras(
    adata: Any, with_obs_defaults: bool, with_uns_organism: bool, with_uns_spatial: bool
) -> None:
    import numpy as np

    if with_obs_defaults:
        adata.obs["cell_type_ontology_term_id"] = ["CL:0000084", "CL:0000236", "CL:0000236"]
        adata.obs["self_reported_ethnicity_ontology_term_id"] = "na"
        adata.obs["assay_ontology_term_id"] = "EFO:1001982"
        adata.obs["assay"] = "single-cell RNA sequencing"
    if with_uns_organism:
        adata.uns["organism_ontology_term_id"] = "NCBITaxon:9606"
        adata.uns["organism"] = "Homo sapiens"
    else:
        adata.obs["organism_ontology_term_id"] = "NCBITaxon:9606"
    if with_uns_spatial:
        image = np.random.default_rng().integers(0, 255, (2000, 2000, 3), dtype=np.uint8)
        adata.uns["spatial"] = {
            "is_single": True,
            "library_123": {
                "scalefactors": {"spot_diameter_fullres": 165.0, "tissue_hires_scalef": 0.5},
                "images": {"hires": image},
            },
        }


def small_dataset3_cellxgene(
    otype: str = "AnnData",
    *,
    with_obs_defaults: bool = False,
    with_var_typo: bool = False,
    with_obs_typo: bool = False,
    with_uns_organism: bool = False,
    with_uns_spatial: bool = False,
) -> Any:
    """Three cells and three genes with CELLxGENE's obs columns, to try a CELLxGENE schema on.

    Parameters
    ----------
    otype
        ``"AnnData"`` (default: float32 counts in ``X`` and ``raw``, ``var.feature_is_filtered``,
        ``obsm["X_pca"]``, ``uns["title"]``) or ``"DataFrame"`` (counts and obs side by side).
    with_obs_defaults
        Add the obs columns CELLxGENE fills with defaults (cell type and assay ids, ``assay``,
        ``self_reported_ethnicity_ontology_term_id="na"``). AnnData only.
    with_var_typo
        Replace the first Ensembl gene id by ``"invalid_ensembl_id"``.
    with_obs_typo
        Write the lung tissue id as ``"UBERON:0002048XXX"``.
    with_uns_organism
        Put the organism into ``uns`` instead of an obs column. AnnData only.
    with_uns_spatial
        Add a ``uns["spatial"]`` entry with a random 2000x2000 RGB image. AnnData only.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import small_dataset3_cellxgene
    >>> adata = small_dataset3_cellxgene()
    >>> adata.var_names.tolist()
    ['ENSG00000000457', 'ENSG00000000419', 'ENSG00000139618']
    >>> small_dataset3_cellxgene(otype="DataFrame").shape
    (3, 13)
    """
    if otype not in ("AnnData", "DataFrame"):
        raise InvalidArgument(
            f"otype={otype!r} is not supported: pass otype='AnnData' or otype='DataFrame'."
        )
    import pandas as pd

    genes = [
        "invalid_ensembl_id" if with_var_typo else "ENSG00000000457",
        "ENSG00000000419",
        "ENSG00000139618",
    ]
    obs = pd.DataFrame(
        _cellxgene_obs("UBERON:0002048XXX" if with_obs_typo else "UBERON:0002048"), index=_BARCODES
    )
    obs["donor_id"] = obs["donor_id"].astype("category")
    counts = pd.DataFrame(
        dict(zip(genes, ([2, 3, 3], [3, 4, 5], [4, 2, 3]), strict=True)),
        index=_BARCODES,
        dtype="float32",
    )
    if otype == "DataFrame":
        return pd.concat([counts, obs], axis=1)
    import anndata as ad
    import numpy as np

    var = pd.DataFrame({"feature_is_filtered": [False] * 3}, index=genes)
    adata = ad.AnnData(X=counts, obs=obs, var=var)
    adata.uns["title"] = "CELLxGENE example"
    adata.obsm["X_pca"] = np.array([[-1.2, 0.8], [0.5, -0.3], [0.7, -0.5]], dtype="float32")
    # CELLxGENE asks for a .raw slot; its var carries no feature_is_filtered column.
    adata.raw = ad.AnnData(X=counts.to_numpy(), obs=obs, var=pd.DataFrame(index=genes))
    _add_cellxgene_extras(adata, with_obs_defaults, with_uns_organism, with_uns_spatial)
    return adata


def _library(suffix: str, diameter: float, scale: float) -> dict[str, Any]:
    return {
        "images": {
            "fullres": f"path/to/fullres{suffix}.jpg",
            "hires": f"path/to/hires{suffix}.jpg",
        },
        "scalefactors": {"spot_diameter_fullres": diameter, "tissue_hires_scalef": scale},
    }


def dict_cellxgene_uns() -> dict[str, Any]:
    """A dictionary shaped as a CELLxGENE AnnData's ``.uns``: the organism and two spatial libraries.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import dict_cellxgene_uns
    >>> uns = dict_cellxgene_uns()
    >>> uns["organism_ontology_term_id"], sorted(uns["spatial"])
    ('NCBITaxon:9606', ['is_single', 'library_1', 'library_2'])
    """
    return {
        "organism_ontology_term_id": "NCBITaxon:9606",
        "spatial": {
            "is_single": True,
            "library_1": _library("", 89.43, 0.177),
            "library_2": _library("_2", 120.34, 0.355),
        },
    }


__all__ = ["dict_cellxgene_uns", "small_dataset3_cellxgene"]

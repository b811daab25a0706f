"""Small AnnData stores written to tmp_path for the MappedCollection tests."""

from __future__ import annotations

import warnings

import anndata as ad
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

CELL_TYPES = np.array(["B cell", "T cell", "NK cell", "unknown"])


def make_adata(
    n_obs: int,
    var_names: list[str],
    seed: int,
    sparse: bool = False,
    cell_types: np.ndarray = CELL_TYPES,
) -> ad.AnnData:
    """An AnnData with X, a "counts" layer, raw, obsm["pca"] and labelled obs."""
    rng = np.random.default_rng(seed)
    dense = rng.poisson(1.0, size=(n_obs, len(var_names))).astype(np.float32)
    dense[rng.random(dense.shape) < 0.5] = 0  # sparse-ish, so CSR has gaps
    obs = pd.DataFrame(
        {
            "cell_type": pd.Categorical(rng.choice(cell_types, n_obs)),
            "donor": pd.Categorical(rng.choice([f"d{seed}", "shared"], n_obs)),
            "n_genes": rng.integers(0, 5, n_obs),
        },
        index=[f"cell{seed}_{i}" for i in range(n_obs)],
    )
    adata = ad.AnnData(
        sp.csr_matrix(dense) if sparse else dense,
        obs=obs,
        var=pd.DataFrame(index=list(var_names)),
    )
    adata.layers["counts"] = dense * 2
    adata.obsm["pca"] = rng.normal(size=(n_obs, 3)).astype(np.float32)
    adata.raw = adata.copy()
    return adata


def write(adata: ad.AnnData, path) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if str(path).endswith(".zarr"):
            adata.write_zarr(path)
        else:
            adata.write_h5ad(path)
    return str(path)


def dense(x) -> np.ndarray:
    return x.toarray() if sp.issparse(x) else np.asarray(x)


GENES = [f"g{i}" for i in range(12)]


@pytest.fixture
def two_stores(tmp_path):
    """Two h5ad files with the same genes; returns (paths, adatas)."""
    adatas = [make_adata(30, GENES, 1), make_adata(25, GENES, 2)]
    paths = [write(a, tmp_path / f"s{i}.h5ad") for i, a in enumerate(adatas)]
    return paths, adatas


@pytest.fixture
def shifted_stores(tmp_path):
    """Two h5ad files whose genes overlap partly and come in different orders."""
    first = GENES[:8]
    second = list(reversed(GENES[4:]))
    adatas = [make_adata(20, first, 3), make_adata(15, second, 4, sparse=True)]
    paths = [write(a, tmp_path / f"j{i}.h5ad") for i, a in enumerate(adatas)]
    return paths, adatas


def expected_rows(adatas: list[ad.AnnData], layer: str = "X") -> np.ndarray:
    """All rows of ``layer`` concatenated (stores share vars)."""
    get = (lambda a: a.X) if layer == "X" else (lambda a: a.layers[layer])
    return np.vstack([dense(get(a)) for a in adatas])

"""A small demo catalog: labels, tables, an AnnData, a collection and a two-step lineage.

Built with the public API only, into the current instance; running it twice changes
nothing (it returns early when the catalog is there).
"""

from __future__ import annotations

from typing import Any

from ..models import Artifact, Collection, Project, Run, Transform, ULabel

DEMO_KEY = "demo/raw/pbmc_counts.parquet"
CELL_TYPES = {
    "T cell": ("T-cell|T lymphocyte", "TC"),
    "B cell": ("B-cell|B lymphocyte", "BC"),
    "NK cell": ("natural killer cell", "NK"),
    "monocyte": ("monocytes", None),
    "dendritic cell": ("DC", None),
}


def _labels() -> dict[str, Any]:
    cell_type = ULabel(name="CellType", is_type=True, description="Immune cell types").save()
    immune = ULabel(name="immune cell", type=cell_type).save()
    labels = {}
    for name, (synonyms, abbr) in CELL_TYPES.items():
        label = ULabel(name=name, type=cell_type, synonyms=synonyms, abbr=abbr).save()
        label.parents.add(immune)
        labels[name] = label
    ULabel(name="benchmark", description="Used in benchmarks").save()
    return labels


def _tables(n_cells: int = 200) -> tuple[Any, Any]:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    names = list(CELL_TYPES)
    obs = pd.DataFrame(
        {
            "cell_type": rng.choice(names, n_cells),
            "donor": rng.choice(["D1", "D2", "D3"], n_cells),
            "n_genes": rng.integers(200, 2500, n_cells),
        },
        index=[f"cell_{i}" for i in range(n_cells)],
    )
    counts = pd.DataFrame(
        rng.poisson(1.0, (n_cells, 20)), index=obs.index, columns=[f"gene_{j}" for j in range(20)]
    )
    return obs, counts


def build_demo_catalog() -> dict[str, Any]:
    """Create the demo records in the current instance (idempotent); return the main ones.

    Examples
    --------
    >>> build_demo_catalog()["collection"].key  # doctest: +SKIP
    'demo/pbmc_batches'
    """
    existing = Artifact.filter(key=DEMO_KEY).first()
    if existing is not None:
        return {"raw": existing, "collection": Collection.filter(key="demo/pbmc_batches").first()}
    import anndata as ad

    labels = _labels()
    obs, counts = _tables()
    project = Project(name="PBMC atlas", description="Demo project").save()
    raw = Artifact.from_df(counts, key=DEMO_KEY, description="Raw counts of 200 PBMCs").save()
    raw.projects.add(project)
    meta = Artifact.from_df(
        obs, key="demo/raw/pbmc_obs.parquet", description="Cell metadata"
    ).save()

    prep = Transform(key="demo/preprocess.py", kind="script", description="Normalise counts").save()
    run = Run(transform=prep, params={"target_sum": 10_000}).save()
    raw.input_of_runs.add(run)
    meta.input_of_runs.add(run)
    adata = ad.AnnData(X=counts.to_numpy(dtype="float32"), obs=obs)
    adata.var_names = counts.columns
    processed = Artifact.from_anndata(
        adata, key="demo/processed/pbmc.h5ad", description="Normalised PBMCs", run=run
    ).save()
    processed.ulabels.add(*labels.values())

    split = Transform(
        key="demo/split_batches.ipynb", kind="notebook", description="Split by donor"
    ).save()
    run2 = Run(transform=split).save()
    processed.input_of_runs.add(run2)
    batches = []
    for donor, part in obs.groupby("donor"):
        batch = Artifact.from_df(
            part, key=f"demo/batches/{donor}.parquet", description=f"Donor {donor}", run=run2
        ).save()
        batches.append(batch)
    collection = Collection(
        batches, key="demo/pbmc_batches", description="PBMC cells by donor", run=run2
    ).save()
    collection.projects.add(project)
    return {"raw": raw, "processed": processed, "collection": collection}

"""Constructors as LaminDB users call them: ``Run(transform)``, an artifact before ``save()``."""

from __future__ import annotations


def _csv(ctx, name="a.csv"):
    path = ctx.tmp / name
    path.write_text("a,b\n1,2\n3,4\n")
    return path


def scenario_run_positional_transform(ln, ctx):
    """``ln.Run(transform)`` takes the transform positionally."""
    transform = ln.Transform(key="pipeline.py").save()
    run = ln.Run(transform)
    return {"transform_key": run.transform.key, "name": run.name}


def scenario_run_positional_transform_saves(ln, ctx):
    """A run built positionally saves and is found through its transform."""
    transform = ln.Transform(key="saves.py").save()
    run = ln.Run(transform).save()
    return {
        "saved": run.id is not None,
        "in_runs": transform.runs.filter(id=run.id).count(),
        "by_filter": ln.Run.filter(transform=transform, id=run.id).count(),
    }


def scenario_run_positional_transform_with_name_and_params(ln, ctx):
    """``ln.Run(transform, name=..., params=...)`` keeps name and params."""
    transform = ln.Transform(key="train.py").save()
    run = ln.Run(transform, name="first", params={"lr": 0.1}).save()
    return {"name": run.name, "params": run.params, "transform_key": run.transform.key}


def scenario_run_keyword_transform(ln, ctx):
    """``ln.Run(transform=transform)`` works as before."""
    transform = ln.Transform(key="keyword.py").save()
    return ln.Run(transform=transform).save().transform.key


def scenario_artifact_load_before_save(ln, ctx):
    """``Artifact(path, key=...).load()`` before ``save()`` reads the source file."""
    artifact = ln.Artifact(_csv(ctx), key="tables/a.csv")
    df = artifact.load()
    return {"columns": list(df.columns), "rows": len(df)}


def scenario_artifact_cache_before_save(ln, ctx):
    """``Artifact(path, key=...).cache()`` before ``save()`` is the source path."""
    path = _csv(ctx)
    artifact = ln.Artifact(path, key="tables/a.csv")
    return {"same_file": str(artifact.cache()) == str(path), "saved": artifact.id is not None}


def scenario_artifact_load_after_save(ln, ctx):
    """After ``save()``, ``load()`` reads the stored copy with the same content."""
    artifact = ln.Artifact(_csv(ctx), key="tables/a.csv").save()
    return artifact.load()["a"].tolist()


def scenario_artifact_unsaved_fields(ln, ctx):
    """An unsaved artifact already knows key, suffix, size and kind."""
    artifact = ln.Artifact(_csv(ctx), key="tables/a.csv")
    return {
        "key": artifact.key,
        "suffix": artifact.suffix,
        "size": artifact.size,
        "id": artifact.id,
    }


def scenario_artifact_from_dataframe_load_before_save(ln, ctx):
    """``Artifact.from_dataframe(df, key=...).load()`` before ``save()`` returns the DataFrame."""
    import pandas as pd

    df = pd.DataFrame({"x": [1, 2, 3]})
    artifact = ln.Artifact.from_dataframe(df, key="x.parquet")
    return artifact.load()["x"].tolist()


def scenario_artifact_features_annotate_on_save(ln, ctx):
    """``Artifact(path, key=..., features={...})`` adds the values when saved."""
    ln.Feature(name="temperature_c", dtype=float).save()
    artifact = ln.Artifact(_csv(ctx), key="annotated.csv", features={"temperature_c": 21.5}).save()
    return artifact.features.get_values()


def scenario_record_features_annotate_on_save(ln, ctx):
    """``Record(name=..., features={...})`` adds the values when saved."""
    ln.Feature(name="n_cells", dtype=int).save()
    record = ln.Record(name="sample 1", features={"n_cells": 4}).save()
    return record.features.get_values()


def scenario_artifact_features_unknown_name(ln, ctx):
    """A feature name that does not exist fails the save with a validation error."""
    try:
        ln.Artifact(_csv(ctx), key="bad.csv", features={"no_such_feature": 1}).save()
    except Exception as e:
        return {"error": type(e).__name__, "saved": ln.Artifact.filter(key="bad.csv").count()}
    return {"error": None, "saved": ln.Artifact.filter(key="bad.csv").count()}


def scenario_from_dataframe_parquet_kwargs(ln, ctx):
    """``from_dataframe(..., parquet_kwargs={"compression": "gzip"})`` reaches the parquet writer."""
    import pandas as pd
    import pyarrow.parquet as pq

    df = pd.DataFrame({"x": [1, 2, 3]})
    artifact = ln.Artifact.from_dataframe(
        df, key="gz.parquet", parquet_kwargs={"compression": "gzip"}
    ).save()
    metadata = pq.ParquetFile(artifact.cache()).metadata
    return {
        "compression": metadata.row_group(0).column(0).compression,
        "x": artifact.load()["x"].tolist(),
    }


def scenario_from_anndata_h5ad_kwargs(ln, ctx):
    """``from_anndata(..., h5ad_kwargs={"compression": "gzip"})`` reaches the h5ad writer."""
    import anndata as ad
    import h5py
    import numpy as np

    adata = ad.AnnData(np.ones((3, 2), dtype="float32"))
    artifact = ln.Artifact.from_anndata(
        adata, key="gz.h5ad", h5ad_kwargs={"compression": "gzip"}
    ).save()
    with h5py.File(artifact.cache(), "r") as f:
        return {"compression": f["X"].compression, "shape": list(f["X"].shape)}

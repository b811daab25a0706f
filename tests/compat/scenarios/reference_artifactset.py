"""Scenarios from the lamindb.models.ArtifactSet reference page: load and mapped on queries."""


def _tables(ln, ctx):
    import pandas as pd

    for i in range(2):
        df = pd.DataFrame({"a": [i, i + 10], "b": ["x", "y"]})
        ln.Artifact.from_dataframe(df, key=f"t{i}.parquet").save()


def _adatas(ln, ctx):
    import anndata as ad
    import numpy as np
    import pandas as pd

    for i in range(2):
        obs = pd.DataFrame({"cell_type": ["a", "b"], "batch": [f"b{i}"] * 2}, index=[f"c{i}0", f"c{i}1"])
        adata = ad.AnnData(np.full((2, 3), i, dtype="float32"), obs=obs)
        adata.var_names = ["g1", "g2", "g3"]
        ln.Artifact.from_anndata(adata, key=f"a{i}.h5ad").save()


def scenario_queryset_type_name(ln, ctx):
    _tables(ln, ctx)
    return type(ln.Artifact.filter(otype="DataFrame")).__name__


def scenario_load_dataframes_outer(ln, ctx):
    _tables(ln, ctx)
    df = ln.Artifact.filter(otype="DataFrame").order_by("key").load()
    return {"columns": list(df.columns), "a": df["a"].tolist()}


def scenario_load_anndatas(ln, ctx):
    _adatas(ln, ctx)
    adata = ln.Artifact.filter(otype="AnnData").order_by("key").load()
    return {"shape": list(adata.shape), "obs_names": list(adata.obs_names), "type": type(adata).__name__}


def scenario_mapped_len_and_item(ln, ctx):
    _adatas(ln, ctx)
    m = ln.Artifact.filter(otype="AnnData").order_by("key").mapped(obs_keys=["cell_type"])
    item = m[3]
    out = {"len": len(m), "keys": sorted(item), "X": [float(v) for v in item["X"]],
           "cell_type": int(item["cell_type"])}
    m.close()
    return out


def scenario_mapped_no_encode(ln, ctx):
    _adatas(ln, ctx)
    m = ln.Artifact.filter(otype="AnnData").order_by("key").mapped(obs_keys="batch", encode_labels=False)
    out = m[2]["batch"]
    m.close()
    return out


def scenario_mapped_obs_filter(ln, ctx):
    _adatas(ln, ctx)
    m = ln.Artifact.filter(otype="AnnData").order_by("key").mapped(
        obs_keys=["cell_type"], obs_filter={"cell_type": "a"})
    out = len(m)
    m.close()
    return out


def scenario_mapped_dtype(ln, ctx):
    _adatas(ln, ctx)
    m = ln.Artifact.filter(otype="AnnData").order_by("key").mapped(dtype="float64")
    out = str(m[0]["X"].dtype)
    m.close()
    return out


def scenario_collection_mapped(ln, ctx):
    _adatas(ln, ctx)
    c = ln.Collection(list(ln.Artifact.filter(otype="AnnData").order_by("key")), key="my collection").save()
    m = c.mapped(obs_keys=["cell_type", "batch"])
    out = {"len": len(m), "encoders": sorted(m.encoders)}
    m.close()
    return out


def scenario_load_empty_queryset(ln, ctx):
    return ln.Artifact.filter(otype="DataFrame").load()


def scenario_open_parquet(ln, ctx):
    _tables(ln, ctx)
    ds = ln.Artifact.get(key="t0.parquet").open()
    return {"type": type(ds).__name__, "rows": ds.to_table().num_rows}

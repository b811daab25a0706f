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
        obs = pd.DataFrame(
            {"cell_type": ["a", "b"], "batch": [f"b{i}"] * 2}, index=[f"c{i}0", f"c{i}1"]
        )
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
    return {
        "shape": list(adata.shape),
        "obs_names": list(adata.obs_names),
        "type": type(adata).__name__,
    }


def scenario_mapped_len_and_item(ln, ctx):
    _adatas(ln, ctx)
    m = ln.Artifact.filter(otype="AnnData").order_by("key").mapped(obs_keys=["cell_type"])
    item = m[3]
    out = {
        "len": len(m),
        "keys": sorted(item),
        "X": [float(v) for v in item["X"]],
        "cell_type": int(item["cell_type"]),
    }
    m.close()
    return out


def scenario_mapped_no_encode(ln, ctx):
    _adatas(ln, ctx)
    m = (
        ln.Artifact.filter(otype="AnnData")
        .order_by("key")
        .mapped(obs_keys="batch", encode_labels=False)
    )
    out = m[2]["batch"]
    m.close()
    return out


def scenario_mapped_obs_filter(ln, ctx):
    _adatas(ln, ctx)
    m = (
        ln.Artifact.filter(otype="AnnData")
        .order_by("key")
        .mapped(obs_keys=["cell_type"], obs_filter={"cell_type": "a"})
    )
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
    c = ln.Collection(
        list(ln.Artifact.filter(otype="AnnData").order_by("key")), key="my collection"
    ).save()
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


def _adatas_with_layers(ln, ctx, var_sets=(("g1", "g2", "g3"), ("g1", "g2", "g3"))):
    import anndata as ad
    import numpy as np
    import pandas as pd

    for i, genes in enumerate(var_sets):
        obs = pd.DataFrame({"cell_type": ["a", "b"]}, index=[f"c{i}0", f"c{i}1"])
        adata = ad.AnnData(np.full((2, len(genes)), i, dtype="float32"), obs=obs)
        adata.var_names = list(genes)
        adata.layers["counts"] = np.full((2, len(genes)), 10 + i, dtype="float32")
        adata.obsm["X_pca"] = np.full((2, 2), 20 + i, dtype="float32")
        ln.Artifact.from_anndata(adata, key=f"l{i}.h5ad").save()


def _mapped(ln, **kwargs):
    return ln.Artifact.filter(otype="AnnData").order_by("key").mapped(**kwargs)


def scenario_mapped_layers_keys(ln, ctx):
    _adatas_with_layers(ln, ctx)
    m = _mapped(ln, layers_keys=["counts", "X"])
    item = m[2]
    out = {
        "keys": sorted(item),
        "counts": [float(v) for v in item["counts"]],
        "X": [float(v) for v in item["X"]],
    }
    m.close()
    return out


def scenario_mapped_obsm_keys(ln, ctx):
    _adatas_with_layers(ln, ctx)
    m = _mapped(ln, obsm_keys="X_pca")
    out = {"keys": sorted(m[0]), "pca": [float(v) for v in m[0]["obsm_X_pca"]]}
    m.close()
    return out


def scenario_mapped_join_inner_differing_vars(ln, ctx):
    _adatas_with_layers(ln, ctx, var_sets=(("g1", "g2", "g3"), ("g2", "g3", "g4")))
    m = _mapped(ln, join="inner")
    out = {"len": len(m), "x_len": len(m[0]["X"]), "var_joint": list(m.var_joint)}
    m.close()
    return out


def scenario_mapped_join_none_differing_vars(ln, ctx):
    _adatas_with_layers(ln, ctx, var_sets=(("g1", "g2", "g3"), ("g2", "g3", "g4")))
    m = _mapped(ln, join=None)
    out = [len(m[0]["X"]), len(m[3]["X"])]
    m.close()
    return out


def scenario_mapped_unknown_label(ln, ctx):
    _adatas_with_layers(ln, ctx)
    m = _mapped(ln, obs_keys="cell_type", unknown_label="b")
    out = sorted({int(m[i]["cell_type"]) for i in range(len(m))})
    m.close()
    return out


def scenario_mapped_encode_labels_list(ln, ctx):
    _adatas(ln, ctx)
    m = _mapped(ln, obs_keys=["cell_type", "batch"], encode_labels=["cell_type"])
    out = {
        "cell_type_type": type(m[0]["cell_type"]).__name__.startswith("int"),
        "batch": m[0]["batch"],
    }
    m.close()
    return out


def scenario_mapped_cache_categories_off(ln, ctx):
    _adatas(ln, ctx)
    m = _mapped(ln, obs_keys="cell_type", cache_categories=False)
    out = int(m[1]["cell_type"])
    m.close()
    return out


def scenario_mapped_store_idx(ln, ctx):
    _adatas(ln, ctx)
    m = _mapped(ln)
    out = [int(m[i]["_store_idx"]) for i in range(len(m))]
    m.close()
    return out


def scenario_mapped_is_run_input(ln, ctx):
    _adatas(ln, ctx)
    ln.track()
    m = _mapped(ln, is_run_input=True)
    m.close()
    run = ln.context.run
    ln.finish()
    return run.input_artifacts.count()


def scenario_load_join_inner(ln, ctx):
    import pandas as pd

    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1], "b": [2]}), key="x0.parquet").save()
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [3], "c": [4]}), key="x1.parquet").save()
    df = ln.Artifact.filter(otype="DataFrame").order_by("key").load(join="inner")
    return {"columns": [c for c in df.columns if c != "artifact_uid"], "a": df["a"].tolist()}


def scenario_load_join_outer_fills_missing(ln, ctx):
    import pandas as pd

    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1], "b": [2]}), key="x0.parquet").save()
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [3], "c": [4]}), key="x1.parquet").save()
    df = ln.Artifact.filter(otype="DataFrame").order_by("key").load()
    return {
        "columns": sorted(c for c in df.columns if c != "artifact_uid"),
        "n": len(df),
        "b_nulls": int(df["b"].isna().sum()),
    }


def scenario_load_is_run_input(ln, ctx):
    _tables(ln, ctx)
    ln.track()
    ln.Artifact.filter(otype="DataFrame").load(is_run_input=True)
    run = ln.context.run
    ln.finish()
    return run.input_artifacts.count()


def scenario_open_polars_engine(ln, ctx):
    _tables(ln, ctx)
    lf = ln.Artifact.get(key="t0.parquet").open(engine="polars")
    return type(lf).__name__


def scenario_open_queryset_of_parquet(ln, ctx):
    _tables(ln, ctx)
    ds = ln.Artifact.filter(otype="DataFrame").open()
    return {"type": type(ds).__name__, "rows": ds.to_table().num_rows}


def scenario_load_mixed_otypes(ln, ctx):
    _tables(ln, ctx)
    _adatas(ln, ctx)
    ln.Artifact.filter().load()
    return "accepted"

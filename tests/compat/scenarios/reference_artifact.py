"""Scenarios from the lamindb.Artifact reference page: constructors, versions, load, delete."""


def _csv(ctx, name="cells.csv", text="a,b\n1,x\n2,y\n"):
    path = ctx.tmp / name
    path.write_text(text)
    return path


def _df():
    import pandas as pd

    return pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})


def scenario_file_with_description(ln, ctx):
    """`ln.Artifact("./my_file.csv", description=...)` then save."""
    a = ln.Artifact(_csv(ctx), description="My file").save()
    return {
        "description": a.description,
        "key": a.key,
        "suffix": a.suffix,
        "size": a.size,
        "kind": a.kind,
        "otype": a.otype,
        "n": ln.Artifact.filter().count(),
    }


def scenario_file_with_key(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="tables/cells.csv").save()
    return {
        "key": a.key,
        "suffix": a.suffix,
        "description": a.description,
        "is_latest": a.is_latest,
        "version": a.version,
    }


def scenario_file_no_key_no_description(ln, ctx):
    a = ln.Artifact(_csv(ctx)).save()
    return {"key": a.key, "description": a.description}


def scenario_key_suffix_mismatch(ln, ctx):
    ln.Artifact(_csv(ctx), key="tables/cells.parquet")
    return "no error"


def scenario_from_dataframe_suffix_and_otype(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="df.parquet").save()
    return {
        "suffix": a.suffix,
        "otype": a.otype,
        "kind": a.kind,
        "n_observations": a.n_observations,
    }


def scenario_from_df_alias(ln, ctx):
    a = ln.Artifact.from_df(_df(), description="iris").save()
    return {"suffix": a.suffix, "otype": a.otype, "description": a.description}


def scenario_dataframe_positional(ln, ctx):
    a = ln.Artifact(_df(), description="My dataframe").save()
    return {"suffix": a.suffix, "otype": a.otype}


def scenario_load_dataframe_roundtrip(ln, ctx):
    ln.Artifact.from_dataframe(_df(), key="df.parquet").save()
    return ctx.df(ln.Artifact.get(key="df.parquet").load())


def scenario_load_csv(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="cells.csv").save()
    return ctx.df(a.load())


def scenario_same_content_returns_existing(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="a.csv").save()
    b = ln.Artifact(_csv(ctx, "other.csv"), key="a.csv").save()
    return {"same": a.id == b.id, "count": ln.Artifact.filter().count()}


def scenario_same_content_other_key(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="a.csv").save()
    b = ln.Artifact(_csv(ctx), key="b.csv").save()
    return {"same": a.id == b.id, "count": ln.Artifact.filter().count(), "b_key": b.key}


def scenario_new_version_by_key(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="t.csv").save()
    b = ln.Artifact(_csv(ctx, text="a,b\n9,q\n"), key="t.csv").save()
    a = ln.Artifact.get(id=a.id)
    return {
        "stem_equal": a.stem_uid == b.stem_uid,
        "a_latest": a.is_latest,
        "b_latest": b.is_latest,
        "versions": ln.Artifact.filter(key="t.csv").count(),
        "uid_len": len(b.uid),
    }


def scenario_revises(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), description="My dataframe").save()
    df2 = _df()
    df2["a"] = [4, 5, 6]
    b = ln.Artifact.from_dataframe(df2, revises=a).save()
    return {
        "stem_equal": b.stem_uid == a.stem_uid,
        "a_latest": ln.Artifact.get(id=a.id).is_latest,
        "b_latest": b.is_latest,
        "n_versions": b.versions.count(),
        "desc": b.description,
    }


def scenario_is_new_version_of_old_keyword(ln, ctx):
    """The page's old `is_new_version_of=` keyword."""
    a = ln.Artifact.from_dataframe(_df(), description="d").save()
    b = ln.Artifact(_csv(ctx), is_new_version_of=a)
    return type(b).__name__


def scenario_get_by_key_prefers_latest(ln, ctx):
    ln.Artifact(_csv(ctx), key="t.csv").save()
    b = ln.Artifact(_csv(ctx, text="a,b\n9,q\n"), key="t.csv").save()
    return ln.Artifact.get(key="t.csv").id == b.id


def scenario_version_string(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="v.csv", version="1.0").save()
    return {"version": a.version, "version_tag": getattr(a, "version_tag", None)}


def scenario_version_zero_int(ln, ctx):
    ln.Artifact(_csv(ctx), key="v.csv", version=0)
    return "accepted"


def scenario_delete_moves_to_trash(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="x.csv").save()
    a.delete()
    return {
        "branch_id": a.branch_id,
        "visible": ln.Artifact.filter().count(),
        "in_trash": ln.Artifact.filter(branch_id=-1).count(),
    }


def scenario_delete_permanent(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="x.csv").save()
    path = a.path
    a.delete(permanent=True)
    return {
        "rows": ln.Artifact.filter(branch_id=-1).count() + ln.Artifact.filter().count(),
        "file_exists": path.exists(),
    }


def scenario_restore_from_trash(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="x.csv").save()
    a.delete()
    a.restore()
    return {"branch_id": a.branch_id, "visible": ln.Artifact.filter().count()}


def scenario_delete_latest_promotes_previous(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="t.csv").save()
    b = ln.Artifact(_csv(ctx, text="a,b\n9,q\n"), key="t.csv").save()
    b.delete(permanent=True)
    return ln.Artifact.get(id=a.id).is_latest


def scenario_cache_returns_local_path(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="c.csv").save()
    p = a.cache()
    return {"exists": p.exists(), "name_suffix": p.suffix, "text": p.read_text()}


def scenario_path_in_storage(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="c.csv").save()
    return {
        "exists": a.path.exists(),
        "suffix": a.path.suffix,
        "in_dotlamindb": ".lamindb" in str(a.path),
    }


def scenario_replace_file(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="r.csv").save()
    a.replace(_csv(ctx, "new.csv", "a,b\n7,z\n"))
    a.save()
    return {"count": ln.Artifact.filter().count(), "text": a.cache().read_text(), "key": a.key}


def scenario_from_dir(ln, ctx):
    d = ctx.tmp / "sample_001"
    d.mkdir()
    (d / "a.txt").write_text("a")
    (d / "b.txt").write_text("b")
    arts = ln.Artifact.from_dir(d)
    ln.save(arts)
    return {
        "n": len(arts),
        "keys": sorted(a.key for a in arts),
        "saved": ln.Artifact.filter().count(),
    }


def scenario_folder_artifact(ln, ctx):
    d = ctx.tmp / "folder"
    d.mkdir()
    (d / "a.txt").write_text("a")
    a = ln.Artifact(d, key="myfolder").save()
    return {"otype": a.otype, "suffix": a.suffix, "n_files": a.n_files, "key": a.key}


def scenario_from_anndata(ln, ctx):
    import anndata as ad
    import numpy as np
    import pandas as pd

    adata = ad.AnnData(
        np.ones((3, 2), dtype="float32"),
        obs=pd.DataFrame({"cell_type": ["a", "b", "a"]}, index=["c1", "c2", "c3"]),
    )
    a = ln.Artifact.from_anndata(adata, description="mini anndata with obs").save()
    return {"suffix": a.suffix, "otype": a.otype, "n_observations": a.n_observations}


def scenario_from_anndata_given_dataframe(ln, ctx):
    ln.Artifact.from_anndata(_df(), description="x")
    return "accepted"


def scenario_from_mudata_given_h5ad_path(ln, ctx):
    ln.Artifact.from_mudata("x.h5ad", description="x")
    return "accepted"


def scenario_type_model(ln, ctx):
    a = ln.Artifact(_csv(ctx, "model.txt", "weights"), key="model.txt", kind="model").save()
    return {"kind": a.kind, "n_models": ln.Artifact.filter(kind="model").count()}


def scenario_filter_suffix_order(ln, ctx):
    ln.Artifact(_csv(ctx, "b.csv", "1"), key="b.csv").save()
    ln.Artifact(_csv(ctx, "a.csv", "2"), key="a.csv").save()
    keys = [a.key for a in ln.Artifact.filter(suffix=".csv").order_by("key")]
    return {"keys": keys, "desc": [a.key for a in ln.Artifact.filter().order_by("-key")]}


def scenario_filter_key_startswith(ln, ctx):
    ln.Artifact(_csv(ctx, "a.csv", "1"), key="tables/a.csv").save()
    ln.Artifact(_csv(ctx, "b.csv", "2"), key="other/b.csv").save()
    return ln.Artifact.filter(key__startswith="tables/").count()


def scenario_describe_runs(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="d.csv").save()
    out = a.describe(return_str=True) if False else a.describe()
    return out is None


def scenario_get_missing_raises(ln, ctx):
    ln.Artifact.get(key="nope.csv")


def scenario_artifact_unsaved_load(ln, ctx):
    """`Artifact(path, key=…)` is usable before `save()`."""
    a = ln.Artifact(_csv(ctx), key="u.csv")
    return ctx.df(a.load())


def scenario_artifact_features_in_constructor(ln, ctx):
    ln.Feature(name="temperature", dtype=float).save()
    a = ln.Artifact(_csv(ctx), key="f.csv", features={"temperature": 21.5}).save()
    return a.features.get_values()


def scenario_features_add_values(ln, ctx):
    ln.Feature(name="temperature", dtype=float).save()
    ln.Feature(name="study", dtype=str).save()
    a = ln.Artifact(_csv(ctx), key="f.csv").save()
    a.features.add_values({"temperature": 21.5, "study": "s1"})
    return a.features.get_values()


def scenario_filter_by_feature_value(ln, ctx):
    ln.Feature(name="temperature", dtype=float).save()
    a = ln.Artifact(_csv(ctx), key="f.csv").save()
    a.features.add_values({"temperature": 21.5})
    return {
        "hit": ln.Artifact.filter(temperature=21.5).count(),
        "miss": ln.Artifact.filter(temperature=3.0).count(),
    }


def scenario_ulabels_add(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="l.csv").save()
    lab = ln.ULabel(name="experiment_1").save()
    a.ulabels.add(lab)
    return {
        "labels": [u.name for u in a.ulabels.all()],
        "by_label": ln.Artifact.filter(ulabels=lab).count(),
        "by_name": ln.Artifact.filter(ulabels__name="experiment_1").count(),
    }


def scenario_to_dataframe_columns(ln, ctx):
    ln.Artifact(_csv(ctx), key="l.csv", description="d").save()
    df = ln.Artifact.to_dataframe()
    return {"columns": list(df.columns), "index_name": df.index.name, "n": len(df)}


def scenario_to_dataframe_include(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="l.csv").save()
    a.ulabels.add(ln.ULabel(name="x").save())
    df = ln.Artifact.to_dataframe(include="ulabels__name")
    return {"last_column": list(df.columns)[-1], "value": df.iloc[0][list(df.columns)[-1]]}


def scenario_run_parameter(ln, ctx):
    t = ln.Transform(key="script.py").save()
    run = ln.Run(t).save()
    a = ln.Artifact(_csv(ctx), key="r.csv", run=run).save()
    return {"same_run": a.run == run, "transform": a.transform.key if a.transform else None}


def scenario_kind_dataset(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="k.csv", kind="dataset").save()
    return a.kind


def scenario_filter_description_one(ln, ctx):
    ln.Artifact.from_dataframe(_df(), description="iris").save()
    return ln.Artifact.filter(description="iris").one().description


def scenario_backed_h5ad(ln, ctx):
    import anndata as ad
    import numpy as np

    a = ln.Artifact.from_anndata(ad.AnnData(np.ones((2, 2), dtype="float32")), key="x.h5ad").save()
    backed = a.open()
    return {
        "shape": list(backed.shape),
        "type": type(backed).__name__.replace("AnnDataAccessor", "accessor"),
    }


def scenario_h5ad_load_roundtrip(ln, ctx):
    import anndata as ad
    import numpy as np

    a = ln.Artifact.from_anndata(
        ad.AnnData(np.arange(4, dtype="float32").reshape(2, 2)), key="x.h5ad"
    ).save()
    adata = ln.Artifact.get(key="x.h5ad").load()
    return {"shape": list(adata.shape), "X": adata.X.tolist(), "type": type(adata).__name__}


def scenario_key_is_virtual_false(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="real/cells.csv", key_is_virtual=False).save()
    return {"ends_with_key": str(a.path).endswith("real/cells.csv")}


def scenario_parquet_kwargs(ln, ctx):
    a = ln.Artifact.from_dataframe(
        _df(), key="p.parquet", parquet_kwargs={"compression": "gzip"}
    ).save()
    return ctx.df(a.load())


def scenario_view_lineage(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="l.csv").save()
    return a.view_lineage() is None


def scenario_artifact_in_two_keys_text(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="x.csv").save()
    a.key = "renamed.csv"
    a.save()
    return {"key": ln.Artifact.get(id=a.id).key, "exists": a.path.exists()}


def scenario_description_update_saves(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="x.csv").save()
    a.description = "new"
    a.save()
    return ln.Artifact.get(key="x.csv").description


def scenario_hash_of_small_file(ln, ctx):
    a = ln.Artifact(_csv(ctx), key="x.csv").save()
    return {"hash": a.hash, "size": a.size}


def scenario_n_files_of_file_is_none(ln, ctx):
    return ln.Artifact(_csv(ctx), key="x.csv").save().n_files


def scenario_nonexistent_path(ln, ctx):
    ln.Artifact(ctx.tmp / "missing.csv", key="missing.csv")
    return "accepted"


def scenario_versions_ordering(ln, ctx):
    for i in range(3):
        ln.Artifact(_csv(ctx, f"v{i}.csv", f"a\n{i}\n"), key="v.csv").save()
    latest = ln.Artifact.get(key="v.csv")
    return [a.is_latest for a in latest.versions.order_by("created_at")]

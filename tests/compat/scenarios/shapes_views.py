"""Shapes of ``to_dataframe()`` (columns, order, index, dtypes; ``include=``, ``features=``),
``ln.view()`` and ``describe()`` on a registry class."""


def _shape(df):
    return {
        "columns": list(df.columns),
        "index_name": df.index.name,
        "dtypes": {str(c): str(t) for c, t in df.dtypes.items()},
        "n": len(df),
    }


def _labels(ln):
    for name in ("beta", "alpha"):
        ln.ULabel(name=name, description=f"the {name} label").save()


def _table(ln, key="t.parquet", values=(1, 2)):
    import pandas as pd

    return ln.Artifact.from_dataframe(
        pd.DataFrame({"a": list(values)}), key=key, description="a table"
    ).save()


def scenario_ulabel_frame_shape(ln, ctx):
    _labels(ln)
    return _shape(ln.ULabel.to_dataframe())


def scenario_ulabel_frame_default_order_newest_first(ln, ctx):
    _labels(ln)
    return ln.ULabel.to_dataframe()["name"].tolist()


def scenario_ulabel_frame_order_by_name(ln, ctx):
    _labels(ln)
    return ln.ULabel.to_dataframe(order_by="name")["name"].tolist()


def scenario_ulabel_frame_limit(ln, ctx):
    _labels(ln)
    return ln.ULabel.to_dataframe(limit=1)["name"].tolist()


def scenario_ulabel_frame_include_handle(ln, ctx):
    _labels(ln)
    df = ln.ULabel.to_dataframe(include="created_by__handle")
    return {
        "columns": list(df.columns),
        "index_name": df.index.name,
        "n_handles": df["created_by__handle"].nunique(),
    }


def scenario_ulabel_frame_include_a_field(ln, ctx):
    _labels(ln)
    df = ln.ULabel.filter().to_dataframe(include=["description"])
    return {"columns": list(df.columns), "descriptions": sorted(df["description"].tolist())}


def scenario_ulabel_frame_include_two(ln, ctx):
    _labels(ln)
    df = ln.ULabel.filter().to_dataframe(include=["created_by__handle", "created_by__name"])
    return list(df.columns)


def scenario_ulabel_frame_include_on_empty(ln, ctx):
    df = ln.ULabel.filter(name="none").to_dataframe(include="created_by__handle")
    return {"columns": list(df.columns), "index_name": df.index.name, "n": len(df)}


def scenario_ulabel_frame_empty_shape(ln, ctx):
    return _shape(ln.ULabel.filter(name="none").to_dataframe())


def scenario_ulabel_df_alias(ln, ctx):
    _labels(ln)
    return list(ln.ULabel.filter().df().columns)


def scenario_artifact_frame_shape(ln, ctx):
    _table(ln)
    return _shape(ln.Artifact.to_dataframe())


def scenario_artifact_frame_include_labels(ln, ctx):
    a = _table(ln)
    _table(ln, key="u.parquet", values=(3,))
    _labels(ln)
    a.ulabels.add(*ln.ULabel.filter())
    df = ln.Artifact.filter().order_by("key").to_dataframe(include="ulabels__name")
    return {
        "columns": list(df.columns),
        "labels": [sorted(v) if isinstance(v, set) else repr(v) for v in df["ulabels__name"]],
    }


def scenario_artifact_frame_include_storage_root_type(ln, ctx):
    _table(ln)
    df = ln.Artifact.to_dataframe(include=["storage__type", "suffix"])
    return {"columns": list(df.columns), "types": df["storage__type"].tolist()}


def scenario_artifact_frame_features(ln, ctx):
    a = _table(ln)
    ln.Feature(name="temperature", dtype=float).save()
    ln.Feature(name="study", dtype=str).save()
    a.features.add_values({"temperature": 21.5, "study": "s1"})
    df = ln.Artifact.filter().to_dataframe(features=["temperature", "study"])
    return {
        "columns": list(df.columns),
        "temperature": df["temperature"].tolist(),
        "study": df["study"].tolist(),
    }


def scenario_artifact_frame_include_features(ln, ctx):
    a = _table(ln)
    ln.Feature(name="temperature", dtype=float).save()
    a.features.add_values({"temperature": 21.5})
    df = ln.Artifact.filter().to_dataframe(include="features")
    return {"columns": list(df.columns), "temperature": df["temperature"].tolist()}


def scenario_collection_frame_shape(ln, ctx):
    ln.Collection([_table(ln), _table(ln, key="u.parquet", values=(3,))], key="c").save()
    return _shape(ln.Collection.to_dataframe())


def scenario_transform_frame_columns(ln, ctx):
    ln.Transform(key="my pipeline", kind="pipeline").save()
    return list(ln.Transform.to_dataframe().columns)


def scenario_run_frame_columns(ln, ctx):
    ln.Run(ln.Transform(key="my pipeline", kind="pipeline").save()).save()
    return list(ln.Run.to_dataframe().columns)


def scenario_feature_frame_columns(ln, ctx):
    ln.Feature(name="temperature", dtype=float).save()
    return list(ln.Feature.to_dataframe().columns)


def scenario_schema_frame_columns(ln, ctx):
    ln.Schema([ln.Feature(name="temperature", dtype=float).save()], name="s").save()
    return list(ln.Schema.to_dataframe().columns)


def scenario_project_frame_columns(ln, ctx):
    ln.Project(name="p").save()
    return list(ln.Project.to_dataframe().columns)


def scenario_reference_frame_columns(ln, ctx):
    ln.Reference(name="r").save()
    return list(ln.Reference.to_dataframe().columns)


def scenario_user_frame_shape(ln, ctx):
    df = ln.User.to_dataframe()
    return {"columns": list(df.columns), "index_name": df.index.name, "n": len(df)}


def scenario_space_frame_columns(ln, ctx):
    return list(ln.Space.to_dataframe().columns)


def scenario_branch_frame_columns(ln, ctx):
    return list(ln.Branch.to_dataframe().columns)


def scenario_view_registries_filter(ln, ctx):
    _labels(ln)
    return ln.view(registries=["ULabel"]) is None


def scenario_view_limit(ln, ctx):
    _labels(ln)
    return ln.view(limit=1) is None


def scenario_registry_describe_return_str(ln, ctx):
    text = ln.ULabel.describe(return_str=True)
    return {
        "has_simple": "Simple fields" in text,
        "has_relational": "Relational fields" in text,
        "lists_name": ".name: CharField" in text,
        "lists_type": ".type: ULabel" in text,
        "first_line": text.splitlines()[0],
    }


def scenario_registry_describe_artifact_fields(ln, ctx):
    text = ln.Artifact.describe(return_str=True)
    return {
        f: f".{f}:" in text
        for f in ("uid", "key", "suffix", "size", "storage", "run", "ulabels", "collections")
    }

"""Records, features and schemas from tables (issue #11): record frames, flexible schemas, configs."""


def _sample_frame(ln):
    """A record type ``Sample`` with a schema of ``age`` (int) and ``tissue`` (str)."""
    age = ln.Feature(name="age", dtype=int).save()
    tissue = ln.Feature(name="tissue", dtype=str).save()
    schema = ln.Schema([age, tissue], name="sample_schema").save()
    return ln.Record(name="Sample", is_type=True, schema=schema).save()


def _indexed_frame(ln):
    """A record type ``Sample`` whose schema has the index feature ``sample_id``."""
    sample_id = ln.Feature(name="sample_id", dtype=str).save()
    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], index=sample_id, name="indexed").save()
    return ln.Record(name="Sample", is_type=True, schema=schema).save()


def scenario_record_from_dataframe_one_record_per_row(ln, ctx):
    """Record.from_dataframe(df, type=frame).save(): names from `name`, values from the columns."""
    import pandas as pd

    sample = _sample_frame(ln)
    df = pd.DataFrame({"name": ["s1", "s2"], "age": [3, 4], "tissue": ["lung", "liver"]})
    batch = ln.Record.from_dataframe(df, type=sample)
    records = batch.save()
    return {
        "len": len(batch),
        "type": batch.type.name,
        "names": [r.name for r in records],
        "values": [ln.Record.get(name=n).features.get_values() for n in ("s1", "s2")],
        "count": ln.Record.filter(type=sample).count(),
    }


def scenario_record_from_dataframe_without_name_column(ln, ctx):
    """Without a name column the records have no names."""
    import pandas as pd

    sample = _sample_frame(ln)
    df = pd.DataFrame({"age": [5], "tissue": ["x"]}, index=["i0"])
    records = ln.Record.from_dataframe(df, type=sample).save()
    return [(r.name, r.features.get_values()) for r in records]


def scenario_record_from_dataframe_index_feature_names_records(ln, ctx):
    """With a schema index, the index (or a column of that name) gives the record names."""
    import pandas as pd

    sample = _indexed_frame(ln)
    on_index = pd.DataFrame({"age": [3, 4]}, index=pd.Index(["S1", "S2"], name="sample_id"))
    as_column = pd.DataFrame({"sample_id": ["S3"], "age": [5]})
    first = ln.Record.from_dataframe(on_index, type=sample).save()
    second = ln.Record.from_dataframe(as_column, type=sample).save()
    return {
        "names": [r.name for r in first] + [r.name for r in second],
        "values": [r.features.get_values() for r in first],
    }


def scenario_record_from_dataframe_invalid_value(ln, ctx):
    """A value of the wrong dtype is a ValidationError."""
    import pandas as pd

    sample = _sample_frame(ln)
    bad = pd.DataFrame({"name": ["q1"], "age": ["x"], "tissue": ["t"]})
    return ln.Record.from_dataframe(bad, type=sample).save()


def scenario_record_from_dataframe_refuses_data_record_and_non_frame(ln, ctx):
    """type= must be a record type; df must be a DataFrame."""
    import pandas as pd

    page = ln.Record(name="Page", is_type=True).save()
    data = ln.Record(name="p1", type=page).save()
    out = {}
    for label, call in (
        ("data_record", lambda: ln.Record.from_dataframe(pd.DataFrame({"name": ["a"]}), type=data)),
        ("not_a_frame", lambda: ln.Record.from_dataframe([1], type=page)),
    ):
        try:
            call()
            out[label] = "no error"
        except Exception as e:
            out[label] = isinstance(e, (ValueError, TypeError))
    return out


def scenario_record_from_dataframe_names_only_on_a_page(ln, ctx):
    """A type without schema takes rows with names only."""
    import pandas as pd

    page = ln.Record(name="Page", is_type=True).save()
    records = ln.Record.from_dataframe(pd.DataFrame({"name": ["n1", "n2"]}), type=page).save()
    return sorted(r.name for r in records)


def scenario_record_from_dataframe_new_frame_under_imports(ln, ctx):
    """type="<name>" creates a record frame under Imports with a schema of the feature columns."""
    import pandas as pd

    ln.Feature(name="age", dtype=int).save()
    df = pd.DataFrame({"name": ["q1"], "age": [5]})
    ln.Record.from_dataframe(df, type="myframe").save()
    frame = ln.Record.get(name="myframe")
    try:
        ln.Record.from_dataframe(df, type="myframe")
        again = "no error"
    except ValueError as e:
        again = "already exists" in str(e)
    return {
        "parent": frame.type.name,
        "schema": frame.schema.name,
        "schema_otype": frame.schema.otype,
        "schema_type": frame.schema.type.name,
        "members": [f.name for f in frame.schema.members],
        "export": ctx.df(
            frame.to_dataframe().reset_index(drop=True).drop(columns=["__lamindb_record_uid__"])
        ),
        "again": again,
    }


def scenario_type_to_dataframe_columns(ln, ctx):
    """type.to_dataframe(): features, then __lamindb_record_uid__/name, ids as index."""
    import pandas as pd

    sample = _sample_frame(ln)
    df = pd.DataFrame({"name": ["s1", "s2"], "age": [3, 4], "tissue": ["lung", "liver"]})
    ln.Record.from_dataframe(df, type=sample).save()
    out = sample.to_dataframe()
    return {
        "columns": list(out.columns),
        "index_name": out.index.name,
        "dtypes": [str(t) for t in out.dtypes],
        "values": out[["age", "tissue", "__lamindb_record_name__"]].values.tolist(),
    }


def scenario_type_to_dataframe_with_index(ln, ctx):
    """With a schema index, the export's index is the index feature and no metadata columns."""
    import pandas as pd

    sample = _indexed_frame(ln)
    on_index = pd.DataFrame({"age": [3, 4]}, index=pd.Index(["S1", "S2"], name="sample_id"))
    ln.Record.from_dataframe(on_index, type=sample).save()
    return ctx.df(sample.to_dataframe())


def scenario_data_record_to_dataframe_refused(ln, ctx):
    """to_dataframe() on a data record is refused (TypeError/InvalidArgument)."""
    page = ln.Record(name="Page", is_type=True).save()
    data = ln.Record(name="p1", type=page).save()
    try:
        data.to_dataframe()
        return "no error"
    except Exception as e:
        return isinstance(e, (TypeError, ValueError))


def scenario_page_to_dataframe_recurse(ln, ctx):
    """A page exports its records (sub-types included); recurse=True adds the sub-types' records."""
    page = ln.Record(name="Page", is_type=True).save()
    sub = ln.Record(name="SubPage", is_type=True, type=page).save()
    ln.Record(name="p1", type=page).save()
    ln.Record(name="p2", type=sub).save()
    return {
        "direct": page.to_dataframe()["__lamindb_record_name__"].tolist(),
        "recurse": page.to_dataframe(recurse=True)["__lamindb_record_name__"].tolist(),
        "columns": list(page.to_dataframe().columns),
    }


def scenario_query_records_walks_sub_types(ln, ctx):
    """query_records() includes sub-types and their records; depth=1 only this type's."""
    page = ln.Record(name="Page", is_type=True).save()
    sub = ln.Record(name="SubPage", is_type=True, type=page).save()
    deeper = ln.Record(name="Deeper", is_type=True, type=sub).save()
    ln.Record(name="p1", type=page).save()
    ln.Record(name="p2", type=sub).save()
    ln.Record(name="p3", type=deeper).save()
    return {
        "all": sorted(page.query_records().to_list("name")),
        "depth1": sorted(page.query_records(depth=1).to_list("name")),
        "depth2": sorted(page.query_records(depth=2).to_list("name")),
        "records": sorted(page.records.to_list("name")),
    }


def scenario_type_to_artifact_csv(ln, ctx):
    """to_artifact() saves the export as lamindb_record_exports/<name>.csv with the type's schema."""
    import pandas as pd

    sample = _sample_frame(ln)
    df = pd.DataFrame({"name": ["s1"], "age": [3], "tissue": ["lung"]})
    ln.Record.from_dataframe(df, type=sample).save()
    artifact = sample.to_artifact()
    lines = open(artifact.cache()).read().splitlines()
    return {
        "key": artifact.key,
        "suffix": artifact.suffix,
        "otype": artifact.otype,
        "kind": artifact.kind,
        "description": artifact.description.startswith("Export of record type "),
        "schema": artifact.schema.name,
        "header": lines[0],
        "n_lines": len(lines),
    }


def scenario_indexed_type_to_artifact_keeps_index(ln, ctx):
    """With a schema index, the CSV's first column is the index feature."""
    import pandas as pd

    sample = _indexed_frame(ln)
    on_index = pd.DataFrame({"age": [3, 4]}, index=pd.Index(["S1", "S2"], name="sample_id"))
    ln.Record.from_dataframe(on_index, type=sample).save()
    artifact = sample.to_artifact(suffix=".csv")
    return {"key": artifact.key, "text": open(artifact.cache()).read()}


def scenario_schema_index_is_first_member(ln, ctx):
    """Schema(index=feature): the index feature is the first member and schema.index."""
    sample_id = ln.Feature(name="sample_id", dtype=str).save()
    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], index=sample_id, name="indexed").save()
    return {
        "index": schema.index.name,
        "members": [f.name for f in schema.members],
        "n_members": schema.n_members,
        "flexible": schema.flexible,
        "no_index": ln.Schema([age], name="plain").save().index,
    }


def scenario_schema_suffix(ln, ctx):
    """Schema(suffix=".csv") stores the suffix; a non-canonical one is refused."""
    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], suffix=".csv", name="csv_only").save()
    try:
        ln.Schema([age], suffix="csv", name="bad")
        bad = "no error"
    except Exception as e:
        bad = type(e).__name__
    return {"suffix": schema.suffix, "other": ln.Schema([age], name="other").suffix, "bad": bad}


def scenario_schema_itype_feature_type_flexible(ln, ctx):
    """Schema(itype=<Feature type>, flexible=True) stores itype 'Feature[<type uid>]'."""
    lab = ln.Feature(name="Lab", is_type=True).save()
    schema = ln.Schema(itype=lab, flexible=True, name="lab_schema").save()
    return {
        "itype_is_type_uid": schema.itype == f"Feature[{lab.uid}]",
        "flexible": schema.flexible,
        "same_again": ln.Schema(itype=lab, flexible=True, name="lab_schema") == schema,
    }


def scenario_schema_flexible_defaults(ln, ctx):
    """flexible defaults to True without features, False with them."""
    age = ln.Feature(name="age", dtype=int).save()
    return {
        "without": ln.Schema(itype=ln.Feature, name="any").save().flexible,
        "with": ln.Schema([age], name="fixed").save().flexible,
        "explicit": ln.Schema([age], flexible=True, name="fixed_plus").save().flexible,
    }


def scenario_flexible_schema_validates_other_features_of_the_type(ln, ctx):
    """A flexible schema with a Feature type: other features of the type are validated and annotated."""
    import pandas as pd

    lab = ln.Feature(name="Lab", is_type=True).save()
    required = ln.Feature(name="temperature", dtype=float, type=lab).save()
    ln.Feature(name="count", dtype=int, type=lab).save()
    ln.Feature(name="outside", dtype=int).save()
    schema = ln.Schema([required], itype=lab, flexible=True, name="lab_schema").save()
    ok = pd.DataFrame({"temperature": [1.5], "count": [2], "outside": [3], "free": ["x"]})
    artifact = ln.Artifact.from_dataframe(ok, key="lab.parquet", schema=schema).save()
    bad = pd.DataFrame({"temperature": [1.5], "count": ["many"]})
    try:
        ln.curators.DataFrameCurator(bad, schema).validate()
        invalid = "no error"
    except ln.errors.ValidationError:
        invalid = "ValidationError"
    return {
        "schema": artifact.schema.name,
        "columns": sorted(f.name for f in artifact.features.slots["columns"].members),
        "invalid": invalid,
    }


def scenario_feature_with_config_optional(ln, ctx):
    """Feature.with_config(optional=True) in Schema(features=[...]) makes it optional."""
    import pandas as pd

    age = ln.Feature(name="age", dtype=int).save()
    tissue = ln.Feature(name="tissue", dtype=str).save()
    feature, config = age.with_config(optional=True)
    schema = ln.Schema([age.with_config(optional=True), tissue], name="opt").save()
    ln.curators.DataFrameCurator(pd.DataFrame({"tissue": ["a"]}), schema).validate()
    return {
        "pair": [feature.name, config],
        "no_config": age.with_config()[1],
        "optionals": [f.name for f in schema.optionals.get()],
        "members": sorted(f.name for f in schema.members),
    }


def scenario_feature_from_dataframe(ln, ctx):
    """Feature.from_dataframe(df): one unsaved feature per column, categoricals as cat[ULabel]."""
    import pandas as pd

    df = pd.DataFrame(
        {
            "a": [1, 2],
            "b": ["x", "y"],
            "c": [1.5, 2.0],
            "d": pd.Categorical(["u", "v"]),
            "e": [True, False],
        }
    )
    features = ln.Feature.from_dataframe(df)
    before = ln.Feature.filter().count()
    ln.save(features)
    return {
        "features": [(f.name, f.dtype_as_str) for f in features],
        "saved_before": before,
        "saved_after": ln.Feature.filter().count(),
    }


def scenario_feature_from_dict(ln, ctx):
    """Feature.from_dict(d): dtypes inferred from the values (strings are str)."""
    values = {"x": 1, "y": "s", "z": 2.5, "w": True, "l": [1, 2], "ls": ["a"], "dd": {"a": 1}}
    return [(f.name, f.dtype_as_str) for f in ln.Feature.from_dict(values)]


def scenario_feature_from_dict_with_type(ln, ctx):
    """Feature.from_dict(d, type=<Feature type>) puts every feature under the type."""
    lab = ln.Feature(name="Lab", is_type=True).save()
    features = ln.Feature.from_dict({"x": 1}, type=lab)
    return [(f.name, f.type.name) for f in features]


def scenario_artifact_from_dataframe_schema_valid_features_string(ln, ctx):
    """schema="valid_features" validates the columns that are features; others pass."""
    import pandas as pd

    ln.Feature(name="tissue", dtype=str).save()
    ln.Feature(name="n", dtype=int).save()
    df = pd.DataFrame({"tissue": ["a", "b"], "n": [1, 2], "other": [1, 2]})
    artifact = ln.Artifact.from_dataframe(df, key="x.parquet", schema="valid_features").save()
    bad = pd.DataFrame({"tissue": ["a"], "n": ["one"]})
    try:
        ln.Artifact.from_dataframe(bad, key="y.parquet", schema="valid_features").save()
        invalid = "no error"
    except ln.errors.ValidationError:
        invalid = "ValidationError"
    return {
        "schema": artifact.schema.name,
        "flexible": artifact.schema.flexible,
        "columns": sorted(f.name for f in artifact.features.slots["columns"].members),
        "invalid": invalid,
    }


def scenario_categorical_column_valid_for_str_feature(ln, ctx):
    """A pandas categorical column of strings is valid for a dtype=str feature."""
    import pandas as pd

    tissue = ln.Feature(name="tissue", dtype=str).save()
    schema = ln.Schema([tissue], name="tissues").save()
    df = pd.DataFrame({"tissue": pd.Categorical(["lung", "liver", "lung"])})
    ln.curators.DataFrameCurator(df, schema).validate()
    artifact = ln.Artifact.from_dataframe(df, key="t.parquet", schema=schema).save()
    return {"schema": artifact.schema.name, "dtype": str(artifact.load()["tissue"].dtype)}


def scenario_update_values_replaces_and_removes(ln, ctx):
    """features.update_values replaces the given features, keeps others; None removes."""
    ln.Feature(name="score", dtype=float).save()
    ln.Feature(name="n", dtype=int).save()
    ln.Feature(name="tags", dtype=list[str]).save()
    record = ln.Record(name="r1").save()
    record.features.set_values({"score": 1.0, "n": 3, "tags": ["a", "b"]})
    steps = []
    record.features.update_values({"score": 2.0})
    steps.append(record.features.get_values())
    record.features.update_values({"tags": ["c"]})
    steps.append(record.features.get_values())
    record.features.update_values({"score": None, "tags": []})
    steps.append(record.features.get_values())
    record.features.update_values({})
    steps.append(record.features.get_values())
    return steps


def scenario_update_values_unknown_feature(ln, ctx):
    """An unknown key is a ValidationError."""
    record = ln.Record(name="r1").save()
    return record.features.update_values({"nope": 1})


def scenario_update_values_on_artifact(ln, ctx):
    """update_values on an artifact replaces one external feature's value."""
    import pandas as pd

    ln.Feature(name="score", dtype=float).save()
    ln.Feature(name="n", dtype=int).save()
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet").save()
    artifact.features.add_values({"score": 1.0, "n": 3})
    artifact.features.update_values({"score": 5.0})
    return artifact.features.get_values()


def scenario_schema_suffix_is_enforced_on_artifacts(ln, ctx):
    """An artifact validated with a schema of suffix '.csv' must be a .csv; a refused one leaves nothing."""
    import pandas as pd

    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], suffix=".csv", name="csv_only").save()
    df = pd.DataFrame({"age": [1]})
    try:
        ln.Artifact.from_dataframe(df, key="x.parquet", schema=schema).save()
        parquet = "no error"
    except ln.errors.ValidationError as e:
        parquet = "suffix" in str(e)
    csv = ln.Artifact.from_dataframe(df, key="x.csv", schema=schema).save()
    return {"parquet": parquet, "csv": csv.suffix, "count": ln.Artifact.filter().count()}


def scenario_record_from_dataframe_categorical_and_list_columns(ln, ctx):
    """Categorical (Record type) and list columns become label links and list values."""
    import pandas as pd

    tissue_type = ln.Record(name="Tissue", is_type=True).save()
    for name in ("lung", "liver"):
        ln.Record(name=name, type=tissue_type).save()
    tissue = ln.Feature(name="tissue", dtype=tissue_type).save()
    tags = ln.Feature(name="tags", dtype=list[str]).save()
    schema = ln.Schema([tissue, tags], name="tissues").save()
    sample = ln.Record(name="Sample", is_type=True, schema=schema).save()
    df = pd.DataFrame(
        {"name": ["s1", "s2"], "tissue": ["lung", "liver"], "tags": [["a"], ["b", "c"]]}
    )
    ln.Record.from_dataframe(df, type=sample).save()
    export = sample.to_dataframe()
    return {
        "values": [ln.Record.get(name=n).features.get_values() for n in ("s1", "s2")],
        "export_columns": list(export.columns),
        "export_tissue": export["tissue"].tolist(),
        "export_tags": export["tags"].tolist(),
    }


def scenario_type_to_artifact_export_run(ln, ctx):
    """to_artifact() saves with a completed run of the function __lamindb_record_export__."""
    import pandas as pd

    sample = _sample_frame(ln)
    ln.Record.from_dataframe(
        pd.DataFrame({"name": ["a"], "age": [1], "tissue": ["t"]}), type=sample
    ).save()
    first = sample.to_artifact()
    again = sample.to_artifact()
    run = first.run
    return {
        "transform": [run.transform.key, run.transform.kind],
        "status": run.status,
        "finished": run.finished_at is not None,
        "initiated_by_run": run.initiated_by_run,
        "same_artifact": again == first,
        "same_run": again.run == run,
        "runs": ln.Run.filter().count(),
        "transforms": ln.Transform.filter().count(),
    }


def scenario_record_from_dataframe_keeps_only_schema_features(ln, ctx):
    """Columns outside the type's schema (features or not) are not stored."""
    import pandas as pd

    age = ln.Feature(name="age", dtype=int).save()
    ln.Feature(name="extra", dtype=str).save()
    sample = ln.Record(name="Sample", is_type=True, schema=ln.Schema([age]).save()).save()
    df = pd.DataFrame({"name": ["a"], "age": [1], "extra": ["e"], "zzz": ["z"]})
    records = ln.Record.from_dataframe(df, type=sample).save()
    return {
        "values": [r.features.get_values() for r in records],
        "columns": list(sample.to_dataframe().columns),
    }


def scenario_flexible_maximal_schema_allows_features_of_its_type(ln, ctx):
    """maximal_set with a flexible Feature-type schema: the type's features pass, others do not."""
    import pandas as pd

    lab = ln.Feature(name="Lab", is_type=True).save()
    temperature = ln.Feature(name="temperature", dtype=float, type=lab).save()
    ln.Feature(name="count", dtype=int, type=lab).save()
    schema = ln.Schema([temperature], itype=lab, flexible=True, maximal_set=True, name="mx").save()
    df = pd.DataFrame({"temperature": [1.5], "count": [2]})
    ln.curators.DataFrameCurator(df, schema).validate()
    try:
        ln.curators.DataFrameCurator(df.assign(free=1), schema).validate()
        extra = "no error"
    except ln.errors.ValidationError:
        extra = "ValidationError"
    return {"extra": extra}

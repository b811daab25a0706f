"""The everyday calls of LaminDB's tutorial (bionty replaced by Record/ULabel types, local files)."""


def _df():
    import pandas as pd

    return pd.DataFrame(
        {
            "cell_type": ["T cell", "B cell", "T cell"],
            "perturbation": ["DMSO", "IFNG", "DMSO"],
            "value": [1.0, 2.5, 3.0],
        },
        index=pd.Index(["s1", "s2", "s3"], name="sample"),
    )


def scenario_track_and_finish(ln, ctx):
    ln.track()
    run = ln.context.run
    ln.finish()
    return {
        "has_run": run is not None,
        "runs": ln.Run.filter().count(),
        "transforms": ln.Transform.filter().count(),
    }


def scenario_track_links_saved_artifact(ln, ctx):
    ln.track()
    a = ln.Artifact.from_dataframe(_df(), key="my_datasets/rnaseq1.parquet").save()
    same = a.run == ln.context.run
    ln.finish()
    return same


def scenario_resaving_same_content_under_track_sets_the_empty_run(ln, ctx):
    """LaminDB's README: a file saved before ln.track() gets the run when saved again inside it."""
    (ctx.tmp / "sample.fasta").write_text(">seq1\nACGT\n")
    first = ln.Artifact(str(ctx.tmp / "sample.fasta"), key="sample.fasta").save()
    before = first.run is None
    ln.track()
    again = ln.Artifact(str(ctx.tmp / "sample.fasta"), key="sample.fasta").save()
    run = ln.context.run
    ln.finish()
    stored = ln.Artifact.get(key="sample.fasta")
    return {
        "no_run_before": before,
        "same_record": again.uid == first.uid,
        "run_is_the_tracked_one": stored.run == run,
        "artifacts": ln.Artifact.filter(key="sample.fasta").count(),
    }


def scenario_artifact_without_track_has_no_run(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="my_datasets/rnaseq1.parquet").save()
    return a.run is None


def scenario_save_dataframe_and_get_by_key(ln, ctx):
    ln.Artifact.from_dataframe(_df(), key="my_datasets/rnaseq1.parquet").save()
    a = ln.Artifact.get(key="my_datasets/rnaseq1.parquet")
    return {
        "suffix": a.suffix,
        "otype": a.otype,
        "n_observations": a.n_observations,
        "size_positive": a.size > 0,
    }


def scenario_load_keeps_index(ln, ctx):
    ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    return ctx.df(ln.Artifact.get(key="d.parquet").load())


def scenario_second_version_two_in_family(ln, ctx):
    ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    df = _df()
    df["value"] = [9.0, 9.0, 9.0]
    b = ln.Artifact.from_dataframe(df, key="d.parquet").save()
    return {
        "versions": b.versions.count(),
        "latest": ln.Artifact.filter(key="d.parquet", is_latest=True).count(),
        "version_tags": sorted(str(v.version) for v in b.versions.all()),
    }


def scenario_save_again_is_idempotent(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    b = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    return {"same": a.id == b.id, "count": ln.Artifact.filter().count()}


def scenario_features_on_dataframe_artifact(ln, ctx):
    ln.Feature(name="project_name", dtype=str).save()
    ln.Feature(name="n_cells", dtype=int).save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"project_name": "My project", "n_cells": 3})
    return {
        "values": a.features.get_values(),
        "query": ln.Artifact.filter(project_name="My project").count(),
    }


def scenario_feature_filter_expression(ln, ctx):
    f = ln.Feature(name="n_cells", dtype=int).save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"n_cells": 3})
    return {"gt": ln.Artifact.filter(f > 2).count(), "eq": ln.Artifact.filter(f == 4).count()}


def scenario_categorical_feature_from_ulabel(ln, ctx):
    ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    ln.ULabel(name="DMSO").save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"perturbation": "DMSO"})
    return {"values": a.features.get_values(), "labels": [u.name for u in a.ulabels.all()]}


def scenario_categorical_unknown_value(ln, ctx):
    ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"perturbation": "unknown"})
    return "accepted"


def scenario_record_type_as_label(ln, ctx):
    cell_types = ln.Record(name="CellType", is_type=True).save()
    ln.Record(name="T cell", type=cell_types).save()
    ln.Record(name="B cell", type=cell_types).save()
    return sorted(r.name for r in ln.Record.filter(type=cell_types))


def scenario_feature_with_record_type(ln, ctx):
    cell_types = ln.Record(name="CellType", is_type=True).save()
    f = ln.Feature(name="cell_type", dtype=cell_types).save()
    return f.dtype.startswith("cat[Record")


def scenario_curate_dataframe_with_schema(ln, ctx):
    ln.Feature(name="value", dtype=float).save()
    ln.Feature(name="perturbation", dtype=str).save()
    schema = ln.Schema(
        features=[ln.Feature.get(name="value"), ln.Feature.get(name="perturbation")],
        name="my schema",
    ).save()
    a = ln.Artifact.from_dataframe(
        _df()[["value", "perturbation"]], key="c.parquet", schema=schema
    ).save()
    return {
        "schema": a.schema.name,
        "features": sorted(a.features.slots) if hasattr(a.features, "slots") else None,
    }


def scenario_dataframe_curator_validate(ln, ctx):
    ln.Feature(name="value", dtype=float).save()
    schema = ln.Schema(features=[ln.Feature.get(name="value")], name="s").save()
    curator = ln.curators.DataFrameCurator(_df()[["value"]], schema)
    return curator.validate()


def scenario_dataframe_curator_invalid(ln, ctx):
    ln.Feature(name="value", dtype=int).save()
    schema = ln.Schema(features=[ln.Feature.get(name="value")], name="s").save()
    curator = ln.curators.DataFrameCurator(_df()[["value"]], schema)
    curator.validate()
    return "valid"


def scenario_collection_of_two_versions(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d1.parquet").save()
    df = _df()
    df["value"] = [0.0, 0.0, 0.0]
    b = ln.Artifact.from_dataframe(df, key="d2.parquet").save()
    c = ln.Collection([a, b], key="my-collection").save()
    return {"n": c.artifacts.count(), "rows": len(c.load())}


def scenario_query_artifacts_by_suffix_and_key(ln, ctx):
    ln.Artifact.from_dataframe(_df(), key="my_datasets/a.parquet").save()
    path = ctx.tmp / "notes.txt"
    path.write_text("n")
    ln.Artifact(path, key="my_datasets/notes.txt").save()
    return {
        "parquet": ln.Artifact.filter(suffix=".parquet").count(),
        "under": ln.Artifact.filter(key__startswith="my_datasets/").count(),
    }


def scenario_to_dataframe_of_artifacts_keys(ln, ctx):
    ln.Artifact.from_dataframe(_df(), key="b.parquet").save()
    ln.Artifact.from_dataframe(_df().head(1), key="a.parquet").save()
    df = ln.Artifact.filter().order_by("key").to_dataframe()
    return df["key"].tolist()


def scenario_to_dataframe_features_true(ln, ctx):
    ln.Feature(name="n_cells", dtype=int).save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"n_cells": 3})
    df = ln.Artifact.to_dataframe(features=True)
    return {
        "has_feature_column": "n_cells" in df.columns,
        "value": int(df["n_cells"].iloc[0]) if "n_cells" in df.columns else None,
    }


def scenario_artifact_describe_returns_none(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    return a.describe() is None


def scenario_view_lineage_without_graphviz_error(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    return type(a.view_lineage()).__name__


def scenario_artifact_versions_latest_flag(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    df = _df()
    df["value"] = [5.0, 5.0, 5.0]
    ln.Artifact.from_dataframe(df, key="d.parquet").save()
    return sorted((v.is_latest, v.version is None) for v in ln.Artifact.get(id=a.id).versions.all())


def scenario_ulabel_search_after_tutorial(ln, ctx):
    ln.save(ln.ULabel.from_values(["DMSO", "IFNG"], field="name"))
    return [u.name for u in ln.ULabel.search("IFN")][:1]


def scenario_delete_artifact_then_filter(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.delete()
    return {
        "default": ln.Artifact.filter(key="d.parquet").count(),
        "all_branches": ln.Artifact.filter(key="d.parquet", branch_id=None).count(),
    }


def scenario_track_params(ln, ctx):
    ln.track(params={"learning_rate": 0.01})
    params = ln.context.run.params
    ln.finish()
    return params


def scenario_finish_without_track(ln, ctx):
    ln.finish()
    return "ok"


def scenario_idempotent_ulabel_from_values(ln, ctx):
    ln.save(ln.ULabel.from_values(["a", "b"], field="name"))
    ln.save(ln.ULabel.from_values(["a", "b"], field="name"))
    return ln.ULabel.filter().count()


def scenario_idempotent_feature_save(ln, ctx):
    ln.Feature(name="x", dtype=int).save()
    f = ln.Feature.get(name="x")
    f.save()
    return ln.Feature.filter().count()


def scenario_record_delete_and_restore(ln, ctx):
    r = ln.Record(name="r").save()
    r.delete()
    in_trash = ln.Record.filter(branch_id=-1).count()
    r.restore()
    return {"in_trash": in_trash, "visible": ln.Record.filter().count()}


def scenario_ulabel_delete_is_permanent(ln, ctx):
    u = ln.ULabel(name="u").save()
    u.delete()
    return {"visible": ln.ULabel.filter().count(), "trash": ln.ULabel.filter(branch_id=-1).count()}


def scenario_ulabel_type(ln, ctx):
    t = ln.ULabel(name="Perturbation", is_type=True).save()
    ln.ULabel(name="DMSO", type=t).save()
    return sorted(u.name for u in ln.ULabel.filter(type=t))


def scenario_filter_created_by(ln, ctx):
    ln.ULabel(name="a").save()
    user = ln.User.filter().one()
    return ln.ULabel.filter(created_by=user).count()


def scenario_filter_related_run_transform(ln, ctx):
    ln.track()
    ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    t = ln.context.transform
    ln.finish()
    return {
        "by_transform": ln.Artifact.filter(run__transform=t).count(),
        "by_transform_direct": ln.Artifact.filter(transform=t).count(),
    }


def scenario_track_twice_same_transform(ln, ctx):
    ln.track()
    t1 = ln.context.transform.id
    ln.finish()
    ln.track()
    t2 = ln.context.transform.id
    ln.finish()
    return {"same_transform": t1 == t2, "runs": ln.Run.filter().count()}


def scenario_run_finished_at_set(ln, ctx):
    ln.track()
    run = ln.context.run
    ln.finish()
    return {"finished": run.finished_at is not None, "started": run.started_at is not None}


def scenario_artifact_load_is_run_input(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    ln.track()
    a.load()
    run = ln.context.run
    ln.finish()
    return [x.key for x in run.input_artifacts.all()]


def scenario_track_run_inputs_off(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    ln.settings.track_run_inputs = False
    ln.track()
    a.load()
    run = ln.context.run
    ln.finish()
    return run.input_artifacts.count()


def scenario_queryset_order_and_slice(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["c", "a", "b", "d"]])
    return [u.name for u in ln.ULabel.filter().order_by("name")[1:3]]


def scenario_queryset_count_vs_len(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["a", "b"]])
    qs = ln.ULabel.filter()
    return {"count": qs.count(), "len": len(qs)}


def scenario_get_by_id(ln, ctx):
    u = ln.ULabel(name="a").save()
    return ln.ULabel.get(id=u.id).name


def scenario_filter_isnull(ln, ctx):
    ln.ULabel(name="a", description="d").save()
    ln.ULabel(name="b").save()
    return {
        "null": ln.ULabel.filter(description__isnull=True).count(),
        "notnull": ln.ULabel.filter(description__isnull=False).count(),
    }


def scenario_search_field(ln, ctx):
    ln.ULabel(name="x", description="interferon gamma").save()
    ln.ULabel(name="y", description="other").save()
    return [u.name for u in ln.ULabel.search("interferon", field="description")][:1]


def scenario_archive_branch_exists(ln, ctx):
    return sorted((b.id, b.name) for b in ln.Branch.filter())


def scenario_trash_artifact_visible_in_trash_filter(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.delete()
    return [x.key for x in ln.Artifact.filter(branch_id=-1)]


def scenario_trash_then_save_same_content(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.delete()
    b = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    return {"same": a.id == b.id, "branch_id": b.branch_id}


def scenario_delete_trashed_again_is_permanent(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.delete()
    a.delete(permanent=True)
    return ln.Artifact.filter(branch_id=None).count()


def scenario_reference_field_ulabel(ln, ctx):
    u = ln.ULabel(name="GSE123", reference="GSE123", reference_type="GEO").save()
    return {
        "ref": u.reference,
        "type": u.reference_type,
        "hit": ln.ULabel.filter(reference_type="GEO").count(),
    }


def scenario_validate_fields_name_too_long(ln, ctx):
    ln.ULabel(name="x" * 200).save()
    return "accepted"


def scenario_validate_fields_wrong_type(ln, ctx):
    ln.ULabel(name=1)
    return "accepted"


def scenario_feature_description_and_unit(ln, ctx):
    f = ln.Feature(name="temperature", dtype=float, unit="°C", description="room").save()
    return {"unit": f.unit, "description": f.description}


def scenario_feature_get_and_dtype(ln, ctx):
    ln.Feature(name="n", dtype=int).save()
    return ln.Feature.get(name="n").dtype


def scenario_record_add_to_project(ln, ctx):
    p = ln.Project(name="p").save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.projects.add(p)
    return {
        "n": ln.Artifact.filter(projects=p).count(),
        "names": [x.name for x in a.projects.all()],
    }


def scenario_transform_versions(ln, ctx):
    t = ln.Transform(key="p.py", source_code="print(1)").save()
    t2 = ln.Transform(key="p.py", source_code="print(2)", revises=t).save()
    return {
        "stem": t.stem_uid == t2.stem_uid,
        "t_latest": ln.Transform.get(id=t.id).is_latest,
        "t2_latest": t2.is_latest,
    }


def scenario_ulabel_rename(ln, ctx):
    u = ln.ULabel(name="old").save()
    u.name = "new"
    u.save()
    return sorted(x.name for x in ln.ULabel.filter())


def scenario_filter_multiple_conditions(ln, ctx):
    ln.ULabel(name="a", description="x").save()
    ln.ULabel(name="b", description="x").save()
    return ln.ULabel.filter(name="a", description="x").count()


def scenario_filter_unknown_field(ln, ctx):
    ln.ULabel.filter(colour="red").count()
    return "accepted"


def scenario_order_by_unknown_field(ln, ctx):
    list(ln.ULabel.filter().order_by("colour"))
    return "accepted"


def scenario_record_values_json_feature(ln, ctx):
    ln.Feature(name="study_metadata", dtype=dict).save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"study_metadata": {"detail1": "x", "detail2": 2}})
    return {
        "values": a.features.get_values(),
        "hit": ln.Artifact.filter(study_metadata__detail1="x").count(),
    }


def scenario_features_remove_values(ln, ctx):
    ln.Feature(name="n", dtype=int).save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"n": 1})
    a.features.remove_values("n")
    return a.features.get_values()


def scenario_feature_value_wrong_type(ln, ctx):
    ln.Feature(name="n", dtype=int).save()
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"n": "three"})
    return "accepted"


def scenario_feature_unknown_name(ln, ctx):
    a = ln.Artifact.from_dataframe(_df(), key="d.parquet").save()
    a.features.add_values({"not_a_feature": 1})
    return "accepted"


def scenario_run_report_and_environment_absent(ln, ctx):
    ln.track()
    run = ln.context.run
    ln.finish()
    return {
        "has_report_attr": hasattr(run, "report"),
        "has_environment_attr": hasattr(run, "environment"),
    }


def _labels(ln, names=("T cell", "B cell", "NK cell", "monocyte")):
    return ln.save([ln.ULabel(name=n) for n in names])


def scenario_query_filter_contains(ln, ctx):
    _labels(ln)
    return sorted(u.name for u in ln.ULabel.filter(name__contains="cell"))


def scenario_query_filter_endswith(ln, ctx):
    _labels(ln)
    return ln.ULabel.filter(name__endswith="cell").count()


def scenario_query_filter_iexact(ln, ctx):
    _labels(ln)
    return ln.ULabel.filter(name__iexact="t CELL").count()


def scenario_query_filter_regex(ln, ctx):
    _labels(ln)
    return sorted(u.name for u in ln.ULabel.filter(name__regex=r"^[TB] "))


def scenario_query_filter_not_q(ln, ctx):
    _labels(ln)
    return sorted(u.name for u in ln.ULabel.filter(~ln.Q(name__endswith="cell")))


def scenario_query_filter_and_q(ln, ctx):
    _labels(ln)
    return ln.ULabel.filter(ln.Q(name__startswith="T") & ln.Q(name__endswith="cell")).count()


def scenario_query_order_by_multiple(ln, ctx):
    ln.ULabel(name="b", description="1").save()
    ln.ULabel(name="a", description="2").save()
    ln.ULabel(name="c", description="1").save()
    return [u.name for u in ln.ULabel.filter().order_by("description", "-name")]


def scenario_query_filter_id_gt(ln, ctx):
    labels = _labels(ln)
    first = ln.ULabel.filter().order_by("id").first()
    return ln.ULabel.filter(id__gt=first.id).count()


def scenario_query_filter_created_at_lte(ln, ctx):
    _labels(ln)
    last = ln.ULabel.filter().order_by("-created_at").first()
    return ln.ULabel.filter(created_at__lte=last.created_at).count()


def scenario_query_values_dicts(ln, ctx):
    ln.ULabel(name="a", description="d").save()
    return list(ln.ULabel.filter().values("name", "description"))


def scenario_query_distinct_description(ln, ctx):
    ln.ULabel(name="a", description="d").save()
    ln.ULabel(name="b", description="d").save()
    return sorted(ln.ULabel.filter().values_list("description", flat=True).distinct())


def scenario_query_iterate_twice(ln, ctx):
    _labels(ln)
    qs = ln.ULabel.filter().order_by("name")
    return [[u.name for u in qs], [u.name for u in qs]]


def scenario_query_index_access(ln, ctx):
    _labels(ln)
    qs = ln.ULabel.filter().order_by("name")
    return {"0": qs[0].name, "-1": qs[len(qs) - 1].name}


def scenario_query_get_no_args_multiple(ln, ctx):
    _labels(ln)
    ln.ULabel.get()


def scenario_query_to_dataframe_empty(ln, ctx):
    df = ln.ULabel.filter(name="none").to_dataframe()
    return {"n": len(df), "index_name": df.index.name}


def scenario_search_case_sensitive(ln, ctx):
    _labels(ln)
    return {
        "insensitive": len(ln.ULabel.search("t cell", limit=None)) > 0,
        "first": ln.ULabel.search("t cell")[0].name,
    }


def scenario_search_empty_registry(ln, ctx):
    return len(ln.ULabel.search("x"))


def scenario_lookup_lists_names(ln, ctx):
    _labels(ln)
    lookup = ln.ULabel.lookup()
    return sorted(lookup.dict())


def scenario_lookup_field_description(ln, ctx):
    ln.ULabel(name="x", description="Some Desc").save()
    return ln.ULabel.lookup(field="description").some_desc.name


def scenario_manage_records_update_field(ln, ctx):
    u = ln.ULabel(name="x").save()
    u.description = "changed"
    u.save()
    return ln.ULabel.get(name="x").description


def scenario_manage_records_bulk_save(ln, ctx):
    ln.save([ln.ULabel(name=f"l{i}") for i in range(20)])
    return ln.ULabel.filter(name__startswith="l").count()


def scenario_manage_records_feature_types(ln, ctx):
    t = ln.Feature(name="Measurements", is_type=True).save()
    f = ln.Feature(name="temp", dtype=float, type=t).save()
    return {"type": f.type.name, "members": [x.name for x in ln.Feature.filter(type=t)]}


def scenario_manage_records_record_values(ln, ctx):
    ln.Feature(name="score", dtype=float).save()
    r = ln.Record(name="sample1").save()
    r.features.add_values({"score": 2.0})
    return {"values": r.features.get_values(), "hit": ln.Record.filter(score=2.0).count()}


def scenario_manage_records_record_to_dataframe(ln, ctx):
    t = ln.Record(name="Samples", is_type=True).save()
    ln.Record(name="s1", type=t).save()
    df = ln.Record.filter(type=t).to_dataframe()
    return {"names": df["name"].tolist(), "index_name": df.index.name}


def scenario_project_link_to_transform(ln, ctx):
    p = ln.Project(name="p").save()
    t = ln.Transform(key="x.py").save()
    t.projects.add(p)
    return [x.key for x in ln.Transform.filter(projects=p)]

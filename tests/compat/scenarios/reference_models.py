"""Scenarios from the lamindb.models reference page and the registries every page uses."""


def scenario_fresh_1_save_ulabel(ln, ctx):
    """A scenario saves a label (the next scenario must not see it)."""
    ln.ULabel(name="leaks?").save()
    return ln.ULabel.filter().count()


def scenario_fresh_2_count_ulabels(ln, ctx):
    """Each scenario starts with an empty instance: no labels from the one before."""
    return {"ulabels": ln.ULabel.filter().count(), "artifacts": ln.Artifact.filter().count()}


MODEL_CLASSES = [
    "BaseSQLRecord",
    "SQLRecord",
    "Registry",
    "QuerySet",
    "IsVersioned",
    "HasType",
    "HasParents",
    "CanCurate",
    "TracksRun",
    "TracksUpdates",
    "FeatureManager",
    "LabelManager",
    "QueryManager",
    "RelatedManager",
    "JsonValue",
    "ArtifactULabel",
    "ArtifactRecord",
    "ArtifactSchema",
    "CollectionArtifact",
    "RunJsonValue",
    "SchemaFeature",
    "RecordJson",
    "RecordRecord",
    "ArtifactSet",
    "BasicQuerySet",
    "SchemaOptionals",
    "ValidateFields",
    "BaseBlock",
    "BlockProject",
]


def scenario_models_classes_importable(ln, ctx):
    return {name: hasattr(ln.models, name) for name in MODEL_CLASSES}


def scenario_errors_module_names(ln, ctx):
    names = [
        "ValidationError",
        "FieldValidationError",
        "DoesNotExist",
        "InvalidArgument",
        "IntegrityError",
        "MultipleResultsFound",
        "NotebookNotSaved",
        "MissingContextUID",
    ]
    return {n: hasattr(ln.errors, n) for n in names}


def scenario_ulabel_save_and_filter_startswith(ln, ctx):
    ln.ULabel(name="my label").save()
    ln.ULabel(name="other").save()
    return [u.name for u in ln.ULabel.filter(name__startswith="my")]


def scenario_ulabel_same_name_returns_existing(ln, ctx):
    a = ln.ULabel(name="T cell").save()
    b = ln.ULabel(name="T cell").save()
    return {"same": a.id == b.id, "count": ln.ULabel.filter(name="T cell").count()}


def scenario_ulabel_get_by_name(ln, ctx):
    ln.ULabel(name="my-label").save()
    return ln.ULabel.get(name="my-label").name


def scenario_ulabel_get_by_uid_prefix(ln, ctx):
    u = ln.ULabel(name="my-label").save()
    return ln.ULabel.get(u.uid[:8]).id == u.id


def scenario_ulabel_get_missing(ln, ctx):
    ln.ULabel.get(name="none")


def scenario_ulabel_get_multiple(ln, ctx):
    ln.ULabel(name="a", description="d").save()
    ln.ULabel(name="b", description="d").save()
    ln.ULabel.get(description="d")


def scenario_ulabel_no_name(ln, ctx):
    ln.ULabel()
    return "accepted"


def scenario_ulabel_unknown_field(ln, ctx):
    ln.ULabel(name="x", colour="red")
    return "accepted"


def scenario_ulabel_uid_length(ln, ctx):
    return len(ln.ULabel(name="x").save().uid)


def scenario_from_values_and_save(ln, ctx):
    labels = ln.ULabel.from_values(["ULabel1", "ULabel2", "ULabel3"], field="name")
    ln.save(labels)
    return {"n": len(labels), "saved": ln.ULabel.filter().count()}


def scenario_from_values_existing_reused(ln, ctx):
    ln.ULabel(name="ULabel1").save()
    labels = ln.ULabel.from_values(["ULabel1", "ULabel2"], field="name")
    return sorted(u.name for u in labels)


def scenario_search_orders_by_match(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["ULabel1", "ULabel2", "ULabel3", "other"]])
    res = ln.ULabel.search("ULabel2")
    return {"type": type(res).__name__, "first": res[0].name if len(res) else None}


def scenario_search_limit(ln, ctx):
    ln.save([ln.ULabel(name=f"label {i}") for i in range(5)])
    return len(ln.ULabel.search("label", limit=2))


def scenario_lookup_attribute(ln, ctx):
    ln.ULabel(name="ADGB-DT").save()
    lookup = ln.ULabel.lookup()
    return {"attr": lookup.adgb_dt.name, "dict_key": lookup.dict()["ADGB-DT"].name}


def scenario_lookup_return_field(ln, ctx):
    ln.ULabel(name="Abc", description="desc").save()
    lookup = ln.ULabel.lookup(return_field="description")
    return lookup.abc


def scenario_to_dataframe_ulabel(ln, ctx):
    ln.ULabel(name="my label").save()
    df = ln.ULabel.filter(name__startswith="my").to_dataframe()
    return {"columns": list(df.columns), "index_name": df.index.name, "names": df["name"].tolist()}


def scenario_df_alias(ln, ctx):
    ln.ULabel(name="my label").save()
    return len(ln.ULabel.df())


def scenario_to_dataframe_include_created_by(ln, ctx):
    ln.Project(name="my label").save()
    df = ln.Project.to_dataframe(include="created_by__handle")
    return {
        "last": list(df.columns)[-1],
        "value_type": type(df.iloc[0]["created_by__handle"]).__name__,
    }


def scenario_to_dataframe_limit(ln, ctx):
    ln.save([ln.ULabel(name=f"l{i}") for i in range(5)])
    return len(ln.ULabel.to_dataframe(limit=2))


def scenario_project_same_name(ln, ctx):
    a = ln.Project(name="p").save()
    b = ln.Project(name="p").save()
    return {"same": a.id == b.id, "count": ln.Project.filter().count()}


def scenario_feature_same_name(ln, ctx):
    a = ln.Feature(name="f", dtype=int).save()
    b = ln.Feature(name="f", dtype=int).save()
    return {"same": a.id == b.id, "count": ln.Feature.filter().count()}


def scenario_feature_dtype_str(ln, ctx):
    return {
        t: ln.Feature(name=f"f_{t}", dtype=t).save().dtype for t in ["int", "float", "str", "bool"]
    }


def scenario_feature_dtype_python_types(ln, ctx):
    return [
        ln.Feature(name=f"f{i}", dtype=t).save().dtype
        for i, t in enumerate([int, float, str, bool])
    ]


def scenario_feature_dtype_ulabel(ln, ctx):
    return ln.Feature(name="cell_type", dtype=ln.ULabel).save().dtype


def scenario_feature_invalid_dtype(ln, ctx):
    ln.Feature(name="f", dtype="nonsense")
    return "accepted"


def scenario_record_type_hierarchy(ln, ctx):
    t = ln.Record(name="CellType", is_type=True).save()
    r = ln.Record(name="T cell", type=t).save()
    return {
        "type_name": r.type.name,
        "is_type": t.is_type,
        "members": [x.name for x in t.records.all()],
    }


def scenario_record_non_type_as_type(ln, ctx):
    t = ln.Record(name="plain").save()
    ln.Record(name="child", type=t)
    return "accepted"


def scenario_record_same_name(ln, ctx):
    a = ln.Record(name="r").save()
    b = ln.Record(name="r").save()
    return {"same": a.id == b.id, "count": ln.Record.filter().count()}


def scenario_ulabel_parents_children(ln, ctx):
    parent = ln.ULabel(name="parent").save()
    child = ln.ULabel(name="child").save()
    child.parents.add(parent)
    return {
        "children": [c.name for c in parent.children.all()],
        "parents": [p.name for p in child.parents.all()],
    }


def scenario_queryset_first_last_exists(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["b", "a", "c"]])
    qs = ln.ULabel.filter().order_by("name")
    return {
        "first": qs.first().name,
        "last": qs.last().name,
        "exists": qs.exists(),
        "empty_exists": ln.ULabel.filter(name="zz").exists(),
    }


def scenario_queryset_one_or_none(ln, ctx):
    ln.ULabel(name="a").save()
    return {
        "none": ln.ULabel.filter(name="zz").one_or_none(),
        "one": ln.ULabel.filter(name="a").one().name,
    }


def scenario_queryset_one_multiple(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["a", "b"]])
    ln.ULabel.filter().one()


def scenario_queryset_list_and_distinct(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["b", "a"]])
    return {
        "list": sorted(ln.ULabel.filter().to_list("name")),
        "values_list": sorted(ln.ULabel.filter().values_list("name", flat=True)),
    }


def scenario_queryset_update(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["b", "a"]])
    n = ln.ULabel.filter().update(description="same")
    return {"n": n, "descs": sorted(u.description for u in ln.ULabel.filter())}


def scenario_queryset_exclude_and_in(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["a", "b", "c"]])
    return {
        "exclude": sorted(u.name for u in ln.ULabel.filter().exclude(name="a")),
        "in": sorted(u.name for u in ln.ULabel.filter(name__in=["a", "c"])),
    }


def scenario_queryset_q_or(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["a", "b", "c"]])
    return sorted(u.name for u in ln.ULabel.filter(ln.Q(name="a") | ln.Q(name="c")))


def scenario_queryset_icontains(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["T Cell", "B cell", "other"]])
    return ln.ULabel.filter(name__icontains="cell").count()


def scenario_queryset_delete(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["a", "b"]])
    ln.ULabel.filter(name="a").delete()
    return ln.ULabel.filter().count()


def scenario_validate_and_inspect(ln, ctx):
    ln.ULabel(name="a").save()
    v = ln.ULabel.validate(["a", "b"], field="name")
    return {"validate": [bool(x) for x in v]}


def scenario_standardize(ln, ctx):
    ln.ULabel(name="a").save()
    return ln.ULabel.standardize(["a", "b"], field="name")


def scenario_user_current(ln, ctx):
    u = ln.User.filter().one()
    return {"count": ln.User.filter().count(), "handle_type": type(u.handle).__name__}


def scenario_user_positional_invalid(ln, ctx):
    ln.User("x")
    return "accepted"


def scenario_reference_invalid(ln, ctx):
    ln.Reference(doi="abc.ef", url="myurl.com")
    return "accepted"


def scenario_reference_valid(ln, ctx):
    r = ln.Reference(name="paper", doi="10.1000/xyz123", url="https://example.org").save()
    return {"name": r.name, "doi": r.doi}


def scenario_schema_from_features(ln, ctx):
    f1 = ln.Feature(name="a", dtype=int).save()
    f2 = ln.Feature(name="b", dtype=str).save()
    s = ln.Schema(features=[f1, f2], name="ab").save()
    return {
        "n": s.n_members if hasattr(s, "n_members") else s.n,
        "names": sorted(f.name for f in s.members),
    }


def scenario_schema_positional_feature(ln, ctx):
    f1 = ln.Feature(name="a", dtype=int).save()
    ln.Schema(f1)
    return "accepted"


def scenario_space_and_branch_defaults(ln, ctx):
    return {
        "spaces": ln.Space.filter().count(),
        "branches": sorted(b.name for b in ln.Branch.filter()),
    }


def scenario_transform_and_run(ln, ctx):
    t = ln.Transform(key="my_pipeline.py", kind="pipeline").save()
    r = ln.Run(t).save()
    return {
        "key": t.key,
        "kind": t.kind,
        "run_transform": r.transform.key,
        "runs": ln.Run.filter().count(),
    }


def scenario_transform_bad_key(ln, ctx):
    ln.Transform(key="a/../b")
    return "accepted"


def scenario_transform_same_key_returns_existing(ln, ctx):
    a = ln.Transform(key="p.py").save()
    b = ln.Transform(key="p.py").save()
    return {"same": a.id == b.id, "count": ln.Transform.filter().count()}


def scenario_search_names_off(ln, ctx):
    ln.settings.creation.search_names = False
    a = ln.ULabel(name="T cell").save()
    return a.name


def scenario_track_run_inputs_setting(ln, ctx):
    ln.settings.track_run_inputs = False
    return ln.settings.track_run_inputs


def scenario_verbosity_levels(ln, ctx):
    out = {}
    for level in ["error", "warning", "success", "info", "hint", "debug"]:
        try:
            ln.settings.verbosity = level
            out[level] = ln.settings.verbosity
        except Exception as e:  # noqa: BLE001
            out[level] = type(e).__name__
    return out


def scenario_save_batch_size(ln, ctx):
    ln.save([ln.ULabel(name=f"l{i}") for i in range(7)], batch_size=3)
    return ln.ULabel.filter().count()


def scenario_record_features_constructor(ln, ctx):
    ln.Feature(name="score", dtype=float).save()
    r = ln.Record(name="r", features={"score": 1.5}).save()
    return r.features.get_values()


def scenario_run_params_filter(ln, ctx):
    t = ln.Transform(key="p.py").save()
    ln.Run(t, params={"lr": 0.1, "opt": {"name": "adam"}}).save()
    return {
        "lr": ln.Run.filter(params__lr=0.1).count(),
        "nested": ln.Run.filter(params__opt__name="adam").count(),
    }


def scenario_ln_view_runs(ln, ctx):
    ln.ULabel(name="a").save()
    return ln.view() is None


def scenario_artifact_class_describe(ln, ctx):
    return ln.Artifact.describe() is None


def scenario_isversioned_stem_and_version(ln, ctx):
    t = ln.Transform(key="p.py").save()
    return {
        "stem_len": len(t.stem_uid),
        "uid_len": len(t.uid),
        "version": t.version,
        "uid_ends": t.uid[-4:],
    }


def scenario_versions_get_latest(ln, ctx):
    t = ln.Transform(key="p.py", source_code="1").save()
    t2 = ln.Transform(key="p.py", source_code="2", revises=t).save()
    return {
        "latest_is_t2": t.versions.get(is_latest=True).id == t2.id,
        "n": t.versions.count(),
        "df_len": len(t.versions.to_dataframe()),
    }


def scenario_version_tag_given(ln, ctx):
    t = ln.Transform(key="p.py", version="1.2").save()
    return {"version": t.version, "tag": t.version_tag}


def scenario_query_types(ln, ctx):
    type1 = ln.Record(name="Type1", is_type=True).save()
    type2 = ln.Record(name="Type2", is_type=True, type=type1).save()
    type3 = ln.Record(name="Type3", is_type=True, type=type2).save()
    record = ln.Record(name="Record3", type=type3).save()
    return [t.name for t in record.query_types()]


def scenario_record_type_members(ln, ctx):
    exp = ln.Record(name="Experiment", is_type=True).save()
    ln.Record(name="Experiment 1", type=exp).save()
    ln.Record(name="Experiment 2", type=exp).save()
    return sorted(r.name for r in ln.Record.filter(type=exp))


def scenario_query_parents_children(ln, ctx):
    a = ln.ULabel(name="project").save()
    b = ln.ULabel(name="sub-project").save()
    c = ln.ULabel(name="sub-sub-project").save()
    b.parents.add(a)
    c.parents.add(b)
    return {
        "parents_of_c": sorted(x.name for x in c.query_parents()),
        "children_of_a": sorted(x.name for x in a.query_children()),
    }


def scenario_view_parents(ln, ctx):
    a = ln.ULabel(name="project").save()
    b = ln.ULabel(name="sub").save()
    b.parents.add(a)
    return b.view_parents() is None


def scenario_inspect(ln, ctx):
    ln.ULabel(name="a").save()
    res = ln.ULabel.inspect(["a", "b"], field="name", mute=True)
    return {"validated": list(res.validated), "non_validated": list(res.non_validated)}


def scenario_validate_mute(ln, ctx):
    ln.ULabel(name="a").save()
    return [bool(x) for x in ln.ULabel.validate(["a", "a", "c"], field=ln.ULabel.name, mute=True)]


def scenario_validate_on_queryset(ln, ctx):
    ln.save([ln.ULabel(name=n) for n in ["a", "b"]])
    return [bool(x) for x in ln.ULabel.filter(name="a").validate(["a", "b"], field="name")]


def scenario_user_validate(ln, ctx):
    handle = ln.User.filter().one().handle
    return [bool(x) for x in ln.User.validate([handle, "nobody"], field="handle")]


def scenario_synonyms_standardize(ln, ctx):
    ln.ULabel(name="T cell", description="x").save()
    return ln.ULabel.standardize(["T cell", "Tcell"], field="name")


def scenario_from_values_field_as_attribute(ln, ctx):
    labels = ln.ULabel.from_values(["A", "B"], field=ln.ULabel.name)
    return sorted(u.name for u in labels)


def scenario_from_values_empty(ln, ctx):
    return len(ln.ULabel.from_values([], field="name"))


def scenario_labels_add_with_feature(ln, ctx):
    f = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    path = ctx.tmp / "x.csv"
    path.write_text("a\n1\n")
    a = ln.Artifact(path, key="x.csv").save()
    u = ln.ULabel(name="DMSO").save()
    a.labels.add(u, feature=f)
    return {"labels": [x.name for x in a.labels.get(f)], "values": a.features.get_values()}


def scenario_features_describe_returns_none(ln, ctx):
    path = ctx.tmp / "x.csv"
    path.write_text("a\n1\n")
    a = ln.Artifact(path, key="x.csv").save()
    return a.features.describe() is None if hasattr(a.features, "describe") else "no describe"


def scenario_jsonvalue_get_or_create(ln, ctx):
    f = ln.Feature(name="n", dtype=int).save()
    v1 = ln.models.JsonValue.get_or_create(f, 3)
    v2 = ln.models.JsonValue.get_or_create(f, 3)
    return {
        "type": type(v1).__name__,
        "value": v1[0].value if isinstance(v1, tuple) else v1.value,
        "same": (v1[0].id if isinstance(v1, tuple) else v1.id)
        == (v2[0].id if isinstance(v2, tuple) else v2.id),
    }


def scenario_related_manager_remove(ln, ctx):
    path = ctx.tmp / "x.csv"
    path.write_text("a\n1\n")
    a = ln.Artifact(path, key="x.csv").save()
    u = ln.ULabel(name="u").save()
    a.ulabels.add(u)
    a.ulabels.remove(u)
    return a.ulabels.count()


def scenario_related_manager_set(ln, ctx):
    path = ctx.tmp / "x.csv"
    path.write_text("a\n1\n")
    a = ln.Artifact(path, key="x.csv").save()
    us = [ln.ULabel(name=n).save() for n in ["u1", "u2", "u3"]]
    a.ulabels.set(us[:2])
    a.ulabels.set(us[1:])
    return sorted(x.name for x in a.ulabels.all())


def scenario_reverse_relation_artifacts_of_label(ln, ctx):
    path = ctx.tmp / "x.csv"
    path.write_text("a\n1\n")
    a = ln.Artifact(path, key="x.csv").save()
    u = ln.ULabel(name="u").save()
    a.ulabels.add(u)
    return [x.key for x in u.artifacts.all()]


def scenario_link_model_rows(ln, ctx):
    path = ctx.tmp / "x.csv"
    path.write_text("a\n1\n")
    a = ln.Artifact(path, key="x.csv").save()
    a.ulabels.add(ln.ULabel(name="u").save())
    return ln.models.ArtifactULabel.filter().count()


def scenario_record_str_repr_names(ln, ctx):
    u = ln.ULabel(name="my label").save()
    return {"cls_in_repr": repr(u).startswith("ULabel("), "name_in_repr": "my label" in repr(u)}


def scenario_record_equality(ln, ctx):
    u = ln.ULabel(name="x").save()
    return {"eq": u == ln.ULabel.get(name="x"), "hash_eq": hash(u) == hash(ln.ULabel.get(name="x"))}


def scenario_unsaved_record_id_none(ln, ctx):
    u = ln.ULabel(name="x")
    return {"id": u.id, "uid_len": len(u.uid)}


def scenario_delete_unsaved(ln, ctx):
    ln.ULabel(name="x").delete()
    return "ok"


def scenario_default_verbosity(ln, ctx):
    return ln.settings.verbosity

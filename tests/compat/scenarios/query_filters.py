"""Filters as LaminDB users write them: branches, feature expressions, JSON keys, curation on queries."""


def _df(**extra):
    import pandas as pd

    return pd.DataFrame({"a": [1, 2], **{k: [v, v] for k, v in extra.items()}})


def _records_with_trash(ln):
    ln.Record(name="kept").save()
    ln.Record(name="trashed").save().delete()


def _keys(qs):
    return sorted(a.key for a in qs)


# ------------------------------------------------------------------ branches
def scenario_filter_branch_record(ln, ctx):
    """filter(branch=<Branch>) keeps the records of that branch."""
    _records_with_trash(ln)
    main = ln.Branch.get(name="main")
    return sorted(r.name for r in ln.Record.filter(branch=main))


def scenario_filter_branch_name_trash(ln, ctx):
    """filter(branch__name="trash") reaches the trashed records."""
    _records_with_trash(ln)
    return [r.name for r in ln.Record.filter(branch__name="trash")]


def scenario_filter_branch_name_main(ln, ctx):
    """filter(branch__name="main") leaves the trash out."""
    _records_with_trash(ln)
    return ln.Record.filter(branch__name="main").count()


def scenario_filter_branch_none_all_branches(ln, ctx):
    """filter(branch=None) and filter(branch_id=None) mean every branch."""
    _records_with_trash(ln)
    return {
        "branch": ln.Record.filter(branch=None).count(),
        "branch_id": ln.Record.filter(branch_id=None).count(),
        "default": ln.Record.filter().count(),
    }


def scenario_get_trashed_with_branch_id_none(ln, ctx):
    """get(..., branch_id=None) finds a record in the trash; get(...) alone does not."""
    _records_with_trash(ln)
    found = ln.Record.get(name="trashed", branch_id=None).name
    try:
        ln.Record.get(name="trashed")
        plain = "found"
    except ln.Record.DoesNotExist:
        plain = "DoesNotExist"
    return {"all_branches": found, "default": plain}


def scenario_filter_branch_id_in(ln, ctx):
    """branch_id__in=[1, -1] lists main and trash together."""
    _records_with_trash(ln)
    return sorted(r.name for r in ln.Record.filter(branch_id__in=[1, -1]))


# ------------------------------------------------------------------ feature expressions
def _annotated(ln):
    n = ln.Feature(name="n_cells", dtype=int).save()
    cat = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    ln.Feature(name="temperature", dtype=float).save()
    ln.ULabel(name="DMSO").save()
    ln.ULabel(name="IFNG").save()
    a = ln.Artifact.from_dataframe(_df(), key="a.parquet").save()
    a.features.add_values({"n_cells": 3, "perturbation": "DMSO", "temperature": 21.5})
    b = ln.Artifact.from_dataframe(_df(b=1), key="b.parquet").save()
    b.features.add_values({"n_cells": 5})
    ln.Artifact.from_dataframe(_df(c=1), key="c.parquet").save()
    return n, cat


def scenario_feature_expression_comparisons(ln, ctx):
    """feature >=, <, <=, != v select by the feature's value; != keeps artifacts without one."""
    n, _ = _annotated(ln)
    return {
        "ge": _keys(ln.Artifact.filter(n >= 3)),
        "lt": _keys(ln.Artifact.filter(n < 5)),
        "le": _keys(ln.Artifact.filter(n <= 5)),
        "ne": _keys(ln.Artifact.filter(n != 3)),
    }


def scenario_feature_expression_is_null(ln, ctx):
    """feature.is_null() / .is_null(False): without / with a value."""
    n, _ = _annotated(ln)
    return {
        "null": _keys(ln.Artifact.filter(n.is_null())),
        "not_null": _keys(ln.Artifact.filter(n.is_null(False))),
    }


def scenario_feature_expression_categorical(ln, ctx):
    """A categorical feature compared with a label record or its name."""
    _, cat = _annotated(ln)
    return {
        "record": _keys(ln.Artifact.filter(cat == ln.ULabel.get(name="DMSO"))),
        "name": _keys(ln.Artifact.filter(cat == "DMSO")),
        "other": _keys(ln.Artifact.filter(cat == ln.ULabel.get(name="IFNG"))),
        "null": _keys(ln.Artifact.filter(cat.is_null())),
        "ne": _keys(ln.Artifact.filter(cat != ln.ULabel.get(name="DMSO"))),
    }


def scenario_feature_expression_with_keywords(ln, ctx):
    """Feature expressions combine with keywords, Q objects and each other."""
    n, _ = _annotated(ln)
    return {
        "keyword_feature": _keys(ln.Artifact.filter(n > 2, temperature=21.5)),
        "keyword_field": _keys(ln.Artifact.filter(n > 2, key="b.parquet")),
        "two": _keys(ln.Artifact.filter(n > 2, n < 5)),
        "q": _keys(ln.Artifact.filter(ln.Q(key="a.parquet") | ln.Q(key="b.parquet"), n > 3)),
    }


def scenario_feature_equality_between_features(ln, ctx):
    """Two features still compare as records."""
    n, cat = _annotated(ln)
    return {"same": n == ln.Feature.get(name="n_cells"), "other": n == cat}


def scenario_feature_expression_as_bool(ln, ctx):
    """A feature expression is no bool: `except TypeError` catches the error."""
    n, _ = _annotated(ln)
    try:
        bool(n == 3)
    except TypeError as e:
        return {"type_error": True, "says_filter": "filter" in str(e)}
    return "accepted"


def scenario_feature_is_null_not_bool(ln, ctx):
    """feature.is_null() takes a bool only: `except TypeError` catches the error."""
    n, _ = _annotated(ln)
    try:
        n.is_null("yes")
    except TypeError as e:
        return {"type_error": True, "says_bool": "bool" in str(e) or "True or False" in str(e)}
    return "accepted"


def scenario_feature_expression_on_ulabel(ln, ctx):
    """A registry without feature values refuses a feature expression."""
    n, _ = _annotated(ln)
    ln.ULabel.filter(n > 2).count()
    return "accepted"


# ------------------------------------------------------------------ keys inside JSON
def _study(ln):
    ln.Feature(name="study_metadata", dtype=dict).save()
    a = ln.Artifact.from_dataframe(_df(), key="a.parquet").save()
    a.features.add_values(
        {"study_metadata": {"detail1": "x", "detail2": 2, "nested": {"site": "Berlin"}}}
    )
    b = ln.Artifact.from_dataframe(_df(b=1), key="b.parquet").save()
    b.features.add_values({"study_metadata": {"detail1": "y", "detail2": 5}})


def scenario_dict_feature_key_lookups(ln, ctx):
    """A dict feature's keys filter with lookups: exact, gt, startswith, in."""
    _study(ln)
    return {
        "exact": _keys(ln.Artifact.filter(study_metadata__detail1="y")),
        "gt": _keys(ln.Artifact.filter(study_metadata__detail2__gt=3)),
        "lte": _keys(ln.Artifact.filter(study_metadata__detail2__lte=5)),
        "in": _keys(ln.Artifact.filter(study_metadata__detail1__in=["x", "z"])),
    }


def scenario_dict_feature_nested_key(ln, ctx):
    """Keys of keys: study_metadata__nested__site."""
    _study(ln)
    return _keys(ln.Artifact.filter(study_metadata__nested__site="Berlin"))


def scenario_dict_feature_missing_key(ln, ctx):
    """A key no value has matches nothing."""
    _study(ln)
    return ln.Artifact.filter(study_metadata__detail3="x").count()


def _runs(ln):
    t = ln.Transform(key="train.py").save()
    ln.Run(t, params={"lr": 0.1, "epochs": 10, "opt": {"name": "adam", "beta": 0.9}}).save()
    ln.Run(t, params={"lr": 0.01, "epochs": 20, "opt": {"name": "sgd"}}).save()


def scenario_run_params_lookups(ln, ctx):
    """Run.filter(params__<key>__<lookup>=...) compares values inside params."""
    _runs(ln)
    return {
        "gt": ln.Run.filter(params__lr__gt=0.05).count(),
        "lte": ln.Run.filter(params__epochs__lte=20).count(),
        "in": ln.Run.filter(params__epochs__in=[10, 30]).count(),
        "startswith": ln.Run.filter(params__opt__name__startswith="ad").count(),
        "icontains": ln.Run.filter(params__opt__name__icontains="GD").count(),
    }


def scenario_run_params_nested_isnull(ln, ctx):
    """params__opt__beta__isnull=True matches runs without that key."""
    _runs(ln)
    return {
        "missing": ln.Run.filter(params__opt__beta__isnull=True).count(),
        "present": ln.Run.filter(params__opt__beta__isnull=False).count(),
    }


def scenario_run_params_whole_dict(ln, ctx):
    """params__opt={...} compares the whole nested object."""
    _runs(ln)
    return ln.Run.filter(params__opt={"name": "sgd"}).count()


def scenario_run_params_text_is_not_number(ln, ctx):
    """A number given as text does not match the stored number."""
    _runs(ln)
    return {
        "text": ln.Run.filter(params__lr="0.1").count(),
        "float_for_int": ln.Run.filter(params__epochs=10.0).count(),
    }


# ------------------------------------------------------------------ curation on registries and queries
def _labels(ln):
    ln.save([ln.ULabel(name=n) for n in ["a", "b", "T cell"]])


def scenario_inspect_on_registry(ln, ctx):
    """ULabel.inspect(values): validated and non-validated values."""
    _labels(ln)
    r = ln.ULabel.inspect(["a", "b", "zz"], field="name")
    return {"validated": r.validated, "non_validated": r.non_validated}


def scenario_inspect_on_queryset(ln, ctx):
    """inspect() on a query only counts the query's records."""
    _labels(ln)
    r = ln.ULabel.filter(name__in=["a", "T cell"]).inspect(["a", "b", "T cell"], field="name")
    return {"validated": r.validated, "non_validated": r.non_validated}


def scenario_validate_on_search_result(ln, ctx):
    """validate() on a search() result (a query with a space: no uid can match it)."""
    _labels(ln)
    return [bool(x) for x in ln.ULabel.search("T cell").validate(["T cell", "b"])]


def scenario_validate_on_empty_queryset(ln, ctx):
    """validate() on a query without records validates nothing."""
    _labels(ln)
    return [bool(x) for x in ln.ULabel.filter(name="zz").validate(["a"])]


def _temperature(ln):
    f = ln.Feature(name="temperature", dtype=float).save()
    f.synonyms = "temp"
    f.save()
    ln.Feature(name="other", dtype=float).save()


def scenario_standardize_on_registry(ln, ctx):
    """Feature.standardize maps synonyms and case variants to names, keeps unknown values."""
    _temperature(ln)
    return {
        "list": ln.Feature.standardize(["temp", "temperature", "TEMPERATURE", "x"]),
        "one": ln.Feature.standardize("temp"),
        "mapper": ln.Feature.standardize(["temp", "other"], return_mapper=True),
    }


def scenario_standardize_on_queryset(ln, ctx):
    """standardize() on a query maps only to the query's records."""
    _temperature(ln)
    return {
        "outside": ln.Feature.filter(name="other").standardize(["temp"]),
        "inside": ln.Feature.filter(name="temperature").standardize(["temp"]),
    }


def scenario_inspect_synonyms_on_registry_and_queryset(ln, ctx):
    """inspect() finds synonyms in the registry, not outside a query."""
    _temperature(ln)
    whole = ln.Feature.inspect(["temp", "temperature"])
    part = ln.Feature.filter(name="other").inspect(["temp", "temperature"])
    return {
        "whole": [whole.validated, whole.non_validated, whole.synonyms_mapper],
        "part": [part.validated, part.non_validated, part.synonyms_mapper],
    }


def scenario_user_inspect_and_standardize(ln, ctx):
    """ln.User.inspect / standardize work on handles."""
    r = ln.User.inspect(["nobody"])
    return {"non_validated": r.non_validated, "standardized": ln.User.standardize(["nobody"])}


# ------------------------------------------------------------------ QuerySet odds and ends
def scenario_values_list_distinct_count(ln, ctx):
    """values_list(...).distinct().count() counts distinct values."""
    ln.save([ln.ULabel(name=n, description=d) for n, d in [("a", "x"), ("b", "x"), ("c", "y")]])
    return {
        "count": ln.ULabel.filter().values_list("description", flat=True).distinct().count(),
        "values": sorted(ln.ULabel.filter().values_list("description", flat=True).distinct()),
    }


def scenario_values_then_filter(ln, ctx):
    """values() chains with filter() and order_by()."""
    ln.save([ln.ULabel(name=n, description=d) for n, d in [("a", "x"), ("b", "x"), ("c", "y")]])
    return list(ln.ULabel.filter().values("name").filter(description="x").order_by("-name"))


def scenario_values_list_flat_two_fields(ln, ctx):
    """values_list(a, b, flat=True) is refused: `except TypeError` catches the error."""
    ln.ULabel(name="a").save()
    try:
        ln.ULabel.filter().values_list("name", "description", flat=True)
    except TypeError:
        return "TypeError"
    return "accepted"


def scenario_get_without_arguments_one_row(ln, ctx):
    """get() without arguments returns the only record."""
    ln.ULabel(name="only").save()
    return ln.ULabel.get().name


def scenario_get_without_arguments_empty(ln, ctx):
    """get() without arguments on an empty registry: DoesNotExist."""
    ln.ULabel.get()
    return "accepted"


def scenario_filter_unknown_lookup(ln, ctx):
    """An unknown lookup on a field is a FieldError."""
    ln.ULabel.filter(name__sounds_like="x").count()
    return "accepted"


def scenario_artifact_filter_transform_key(ln, ctx):
    """Artifact.filter(transform__key=...) follows the artifact's run."""
    ln.track()
    ln.Artifact.from_dataframe(_df(), key="a.parquet").save()
    key = ln.context.transform.key
    ln.finish()
    return {
        "hit": ln.Artifact.filter(transform__key=key).count(),
        "miss": ln.Artifact.filter(transform__key="x").count(),
    }


def scenario_search_result_type_on_queryset(ln, ctx):
    """search() on a filtered query gives a BasicQuerySet too."""
    ln.save([ln.ULabel(name=n) for n in ["label a", "label b"]])
    res = ln.ULabel.filter(name__startswith="label").search("label a")
    return {"type": type(res).__name__, "first": res[0].name}

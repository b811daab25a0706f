"""Validation at construction and record identity (issue #10, group A).

What a constructor refuses before anything is saved, and when constructing a record
gives back one that exists (a Schema by its definition hash, a Transform by key).
"""


def _two_features(ln):
    return ln.Feature(name="a", dtype=int).save(), ln.Feature(name="b", dtype=str).save()


def scenario_schema_same_features_returns_existing(ln, ctx):
    """A second schema of the same features and rules is the saved one."""
    f1, f2 = _two_features(ln)
    s1 = ln.Schema(features=[f1, f2], name="first").save()
    s2 = ln.Schema(features=[f1, f2], name="first")
    return {"same": s2.id == s1.id, "count": ln.Schema.filter(is_type=False).count()}


def scenario_schema_same_hash_other_name(ln, ctx):
    """The same definition under another name still returns the saved schema."""
    f1, f2 = _two_features(ln)
    s1 = ln.Schema(features=[f1, f2], name="first").save()
    s2 = ln.Schema(features=[f1, f2], name="second").save()
    return {"same": s2.id == s1.id, "count": ln.Schema.filter(is_type=False).count()}


def scenario_schema_other_rules_is_new(ln, ctx):
    """Other rules (maximal_set) make another schema."""
    f1, f2 = _two_features(ln)
    s1 = ln.Schema(features=[f1, f2], name="first").save()
    s2 = ln.Schema(features=[f1, f2], name="strict", maximal_set=True).save()
    return {"same": s2.id == s1.id, "count": ln.Schema.filter(is_type=False).count()}


def scenario_schema_feature_subset_is_new(ln, ctx):
    """Fewer features make another schema."""
    f1, f2 = _two_features(ln)
    s1 = ln.Schema(features=[f1, f2], name="first").save()
    s2 = ln.Schema(features=[f1], name="one").save()
    return {"same": s2.id == s1.id, "count": ln.Schema.filter(is_type=False).count()}


def _ambiguous(ln):
    lab1 = ln.Feature(name="Lab1", is_type=True).save()
    lab2 = ln.Feature(name="Lab2", is_type=True).save()
    ln.Feature(name="x", dtype=int, type=lab1).save()
    ln.Feature(name="x", dtype=int, type=lab2).save()


def scenario_feature_same_name_under_two_types(ln, ctx):
    """One feature name under two feature types gives two features."""
    _ambiguous(ln)
    return ln.Feature.filter(name="x").count()


def scenario_feature_ambiguous_name_in_record_features(ln, ctx):
    """Annotating with a name that two features share is refused, and writes nothing."""
    _ambiguous(ln)
    try:
        ln.Record(name="r1", features={"x": 1}).save()
    except Exception as e:
        return {"error": type(e).__name__, "says_ambiguous": "mbiguous" in str(e)}
    return {"error": None}


def scenario_feature_ambiguous_name_in_add_values(ln, ctx):
    """features.add_values() with an ambiguous name is refused."""
    _ambiguous(ln)
    record = ln.Record(name="r2").save()
    try:
        record.features.add_values({"x": 1})
    except Exception as e:
        return {"error": type(e).__name__, "says_ambiguous": "mbiguous" in str(e)}
    return {"error": None}


def scenario_feature_ambiguous_name_get(ln, ctx):
    """Feature.get(name=...) of a shared name finds more than one."""
    _ambiguous(ln)
    try:
        ln.Feature.get(name="x")
    except Exception as e:
        return type(e).__name__
    return "found one"


def _sample_type(ln):
    kind = ln.Record(name="Sample", is_type=True).save()
    ln.Record(name="s1", type=kind).save()
    return kind


def scenario_feature_cat_filters_type(ln, ctx):
    """cat_filters={'type': ...} makes a feature whose values are records of that type."""
    kind = _sample_type(ln)
    f = ln.Feature(name="sample", dtype=ln.Record, cat_filters={"type": kind}).save()
    return {"categorical": f.dtype_as_str.startswith("cat[Record["), "saved": f.id is not None}


def scenario_feature_cat_filters_empty_value(ln, ctx):
    """An empty filter value is refused."""
    _sample_type(ln)
    ln.Feature(name="sample", dtype=ln.Record, cat_filters={"type": None})
    return "accepted"


def scenario_feature_cat_filters_empty_string(ln, ctx):
    """An empty string as a filter value is refused."""
    _sample_type(ln)
    ln.Feature(name="sample", dtype=ln.Record, cat_filters={"name": ""})
    return "accepted"


def scenario_ulabel_required_name_with_description(ln, ctx):
    """A ULabel with a description but no name is refused."""
    ln.ULabel(description="no name")
    return "accepted"


def scenario_project_no_name(ln, ctx):
    """ln.Project() without a name is refused."""
    ln.Project()
    return "accepted"


def scenario_transform_no_key(ln, ctx):
    """ln.Transform() without a key is refused."""
    ln.Transform(description="d")
    return "accepted"


def scenario_reference_bad_doi_with_name(ln, ctx):
    """A named Reference with a malformed DOI is refused."""
    ln.Reference(name="paper", doi="abc.ef")
    return "accepted"


def scenario_reference_bad_url_with_name(ln, ctx):
    """A named Reference with a URL without scheme is refused."""
    ln.Reference(name="paper", url="myurl.com")
    return "accepted"


def scenario_reference_good_doi_and_url(ln, ctx):
    """A well-formed DOI and URL are accepted."""
    r = ln.Reference(name="paper", doi="10.1000/xyz123", url="https://example.org/paper").save()
    return {"doi": r.doi, "url": r.url}


def scenario_record_non_type_as_type_saves_nothing(ln, ctx):
    """A refused type= leaves no record behind."""
    plain = ln.Record(name="plain").save()
    try:
        ln.Record(name="child", type=plain).save()
    except ValueError:
        pass
    return ln.Record.filter(name="child").count()


def scenario_ulabel_non_type_as_type(ln, ctx):
    """A ULabel that is no type passed as type= is refused."""
    plain = ln.ULabel(name="plain").save()
    ln.ULabel(name="child", type=plain)
    return "accepted"


def scenario_transform_key_with_dot_segment(ln, ctx):
    """A key with a './' segment is refused."""
    ln.Transform(key="./a.py")
    return "accepted"


def scenario_transform_key_with_backslash(ln, ctx):
    """A key with a backslash is refused."""
    ln.Transform(key="a\\b.py")
    return "accepted"


def scenario_transform_same_key_with_source_is_new_version(ln, ctx):
    """A key whose transform has source code gets a new version."""
    a = ln.Transform(key="q.py", source_code="print(1)").save()
    b = ln.Transform(key="q.py").save()
    return {
        "same": a.id == b.id,
        "same_family": a.uid[:12] == b.uid[:12],
        "count": ln.Transform.filter(key="q.py").count(),
        "latest": ln.Transform.get(key="q.py", is_latest=True).id == b.id,
    }


def scenario_transform_same_source_returns_existing(ln, ctx):
    """A transform whose source code exists is the existing one."""
    a = ln.Transform(key="r.py", source_code="print(2)").save()
    b = ln.Transform(key="s.py", source_code="print(2)")
    return {"same": a.id == b.id, "key": b.key, "count": ln.Transform.filter().count()}


def scenario_transform_same_key_updates_description(ln, ctx):
    """Returning the existing transform takes the new description."""
    ln.Transform(key="t.py", description="old").save()
    b = ln.Transform(key="t.py", description="new").save()
    return {"description": b.description, "count": ln.Transform.filter(key="t.py").count()}


def scenario_positional_project(ln, ctx):
    """ln.Project('x') positionally is refused."""
    ln.Project("x")
    return "accepted"


def scenario_delete_unsaved_record_type(ln, ctx):
    """delete() of an unsaved Record does nothing."""
    r = ln.Record(name="x")
    r.delete()
    return ln.Record.filter(name="x").count()


def scenario_transform_is_new_version_of(ln, ctx):
    """The removed is_new_version_of= keyword on a Transform is refused."""
    a = ln.Transform(key="u.py", source_code="print(3)").save()
    ln.Transform(key="u.py", is_new_version_of=a)
    return "accepted"

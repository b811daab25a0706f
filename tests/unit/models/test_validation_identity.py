"""What constructors refuse before anything is saved, and Transform identity, as lamindb 2.12.1.

The differential scenarios are in tests/compat/scenarios/validation_identity.py; these pin
lamin_lab's own logic (and run on PostgreSQL too).
"""

from __future__ import annotations

import pytest


# ------------------------------------------------------------------ required fields
def test_a_ulabel_without_name_is_refused(ln):
    with pytest.raises(ln.errors.FieldValidationError, match="ULabel needs name"):
        ln.ULabel(description="no name")


def test_a_user_without_handle_is_refused(ln):
    with pytest.raises(ln.errors.FieldValidationError, match="User needs handle"):
        ln.User(name="Someone")


def test_a_transform_without_key_is_refused(ln):
    with pytest.raises(ln.errors.FieldValidationError, match="Transform needs key"):
        ln.Transform(description="d")


def test_a_new_transform_version_inherits_the_key(ln):
    v1 = ln.Transform(key="k.py", source_code="print(1)").save()
    assert ln.Transform(revises=v1).key == "k.py"


def test_positional_arguments_are_refused(ln):
    with pytest.raises(ln.errors.FieldValidationError, match=r"User\(handle=\.\.\.\)"):
        ln.User("x")


# ------------------------------------------------------------------ field rules
def test_a_malformed_doi_is_refused(ln):
    with pytest.raises(ln.errors.FieldValidationError, match="not a DOI"):
        ln.Reference(name="paper", doi="abc.ef")


def test_a_url_without_scheme_is_refused(ln):
    with pytest.raises(ln.errors.FieldValidationError, match="https://myurl.com"):
        ln.Reference(name="paper", url="myurl.com")


def test_a_doi_link_is_a_doi(ln):
    assert (
        ln.Reference(name="paper", doi="https://doi.org/10.1000/xyz").doi
        == "https://doi.org/10.1000/xyz"
    )


@pytest.mark.parametrize("key", ["a/../b.py", "./a.py", "a\\b.py"])
def test_keys_with_relative_segments_or_backslashes_are_refused(ln, key):
    with pytest.raises(ln.errors.InvalidArgument, match="Key"):
        ln.Transform(key=key)


def test_a_non_type_record_as_type_is_refused_at_construction(ln):
    plain = ln.Record(name="plain").save()
    with pytest.raises(ln.errors.InvalidArgument, match="is not a type"):
        ln.Record(name="child", type=plain)


def test_schema_takes_a_list_positionally_not_a_feature(ln):
    feature = ln.Feature(name="a", dtype=int).save()
    with pytest.raises(ln.errors.InvalidArgument, match="list of features"):
        ln.Schema(feature)


def test_schema_takes_the_list_of_features_positionally(ln):
    feature = ln.Feature(name="a", dtype=int).save()
    assert ln.Schema([feature]).n == 1


def test_is_new_version_of_is_refused_on_a_collection_too(ln):
    with pytest.raises(ln.errors.FieldValidationError, match="revises="):
        ln.Collection([], key="c", is_new_version_of=None)


# ------------------------------------------------------------------ Transform identity
def test_a_key_without_source_returns_the_existing_transform(ln):
    first = ln.Transform(key="p.py").save()
    assert ln.Transform(key="p.py").id == first.id


def test_a_key_with_source_gets_a_new_version(ln):
    first = ln.Transform(key="q.py", source_code="print(1)").save()
    second = ln.Transform(key="q.py").save()
    assert second.stem_uid == first.stem_uid and second.uid.endswith("0001")
    assert not ln.Transform.get(first.id).is_latest


def test_the_same_source_returns_the_existing_transform(ln):
    first = ln.Transform(key="r.py", source_code="print(2)").save()
    assert ln.Transform(key="s.py", source_code="print(2)").id == first.id


def test_skip_hash_lookup_makes_a_new_transform(ln):
    first = ln.Transform(key="r.py", source_code="print(2)").save()
    assert (
        ln.Transform(key="s.py", source_code="print(2)", skip_hash_lookup=True).save().id
        != first.id
    )


def test_a_transform_in_the_trash_is_not_returned(ln):
    first = ln.Transform(key="t.py").save()
    first.delete()
    assert ln.Transform(key="t.py").id is None


# ------------------------------------------------------------------ features
def _ambiguous(ln):
    lab1 = ln.Feature(name="Lab1", is_type=True).save()
    lab2 = ln.Feature(name="Lab2", is_type=True).save()
    return ln.Feature(name="x", dtype=int, type=lab1).save(), ln.Feature(
        name="x", dtype=int, type=lab2
    ).save()


def test_an_ambiguous_feature_name_is_refused_and_names_the_types(ln):
    _ambiguous(ln)
    record = ln.Record(name="r").save()
    with pytest.raises(ln.errors.ValidationError, match=r"ambiguous.*'Lab1', 'Lab2'"):
        record.features.add_values({"x": 1})


def test_the_feature_record_as_key_resolves_an_ambiguous_name(ln):
    first, _ = _ambiguous(ln)
    record = ln.Record(name="r").save()
    record.features.set_values(
        {first: 1}
    )  # a to-one feature: set_values, as LaminDB (add_values is for lists)
    assert record.features.get_values() == {"x": 1}


def test_cat_filters_type_narrows_the_dtype_to_that_type(ln):
    sample = ln.Record(name="Sample", is_type=True).save()
    feature = ln.Feature(name="sample", dtype=ln.Record, cat_filters={"type": sample})
    assert feature.dtype == "cat[Record[Sample]]"


def test_cat_filters_with_an_empty_value_is_refused(ln):
    with pytest.raises(ln.errors.ValidationError, match="Empty value in filter 'type'"):
        ln.Feature(name="sample", dtype=ln.Record, cat_filters={"type": None})


def test_cat_filters_other_than_type_are_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="key 'type' only"):
        ln.Feature(name="sample", dtype=ln.Record, cat_filters={"name": "s1"})


# ------------------------------------------------------------------ delete
def test_deleting_an_unsaved_record_warns(ln, caplog):
    with caplog.at_level("WARNING", logger="lamin_lab"):
        ln.Record(name="x").delete()
    assert "not saved" in caplog.text

"""Schemas and features from tables: index, suffix, flexible Feature types, configs, inference."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def lab(ln):
    lab = ln.Feature(name="Lab", is_type=True).save()
    temperature = ln.Feature(name="temperature", dtype=float, type=lab).save()
    ln.Feature(name="count", dtype=int, type=lab).save()
    ln.Feature(name="outside", dtype=int).save()
    return ln, lab, temperature


def test_the_index_feature_is_the_first_member(ln):
    sample_id = ln.Feature(name="sample_id", dtype=str).save()
    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], index=sample_id).save()
    assert (schema.index, [f.name for f in schema.members]) == (sample_id, ["sample_id", "age"])


def test_a_schema_index_validates_the_dataframe_index(ln):
    sample_id = ln.Feature(name="sample_id", dtype=str).save()
    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], index=sample_id).save()
    ok = pd.DataFrame({"age": [1]}, index=pd.Index(["S1"], name="sample_id"))
    ln.curators.DataFrameCurator(ok, schema).validate()
    with pytest.raises(ln.errors.ValidationError, match=r"set_index\('sample_id'\)"):
        ln.curators.DataFrameCurator(pd.DataFrame({"age": [1]}), schema).validate()
    wrong = pd.DataFrame({"age": [1]}, index=pd.Index([7], name="sample_id"))
    with pytest.raises(ln.errors.ValidationError, match="Index.*expects str"):
        ln.curators.DataFrameCurator(wrong, schema).validate()


def test_the_index_is_part_of_the_definition(ln):
    sample_id = ln.Feature(name="sample_id", dtype=str).save()
    age = ln.Feature(name="age", dtype=int).save()
    assert ln.Schema([age], index=sample_id).hash != ln.Schema([sample_id, age]).hash


def test_suffix_is_stored_and_part_of_the_definition(ln):
    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], suffix=".csv").save()
    assert ln.Schema.get(schema.id).suffix == ".csv"
    assert ln.Schema([age]).hash != schema.hash


def test_a_suffix_without_its_dot_is_refused(ln):
    age = ln.Feature(name="age", dtype=int).save()
    with pytest.raises(ln.errors.FieldValidationError, match="canonical suffix"):
        ln.Schema([age], suffix="csv")


def test_flexible_defaults_to_no_fixed_features(ln):
    age = ln.Feature(name="age", dtype=int).save()
    assert ln.Schema(itype=ln.Feature).save().flexible is True
    assert ln.Schema([age]).save().flexible is False


def test_a_feature_type_as_itype_is_stored_by_uid(lab):
    ln, lab, _ = lab
    schema = ln.Schema(itype=lab, flexible=True).save()
    assert ln.Schema.get(schema.id).itype == f"Feature[{lab.uid}]"


def test_an_unsaved_feature_type_as_itype_is_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="Save the feature type"):
        ln.Schema(itype=ln.Feature(name="Lab", is_type=True), flexible=True)


def test_a_flexible_schema_validates_the_other_features_of_its_type(lab):
    ln, lab, temperature = lab
    schema = ln.Schema([temperature], itype=lab, flexible=True).save()
    df = pd.DataFrame({"temperature": [1.5], "count": [2], "outside": [3]})
    curator = ln.curators.DataFrameCurator(df, schema)
    curator.validate()
    assert sorted(f.name for f in curator.features) == ["count", "temperature"]
    with pytest.raises(ln.errors.ValidationError, match="count"):
        ln.curators.DataFrameCurator(df.assign(count=["many"]), schema).validate()


def test_a_flexible_schema_annotates_with_all_validated_features(lab):
    ln, lab, temperature = lab
    schema = ln.Schema([temperature], itype=lab, flexible=True).save()
    df = pd.DataFrame({"temperature": [1.5], "count": [2]})
    artifact = ln.Artifact.from_dataframe(df, key="lab.parquet", schema=schema).save()
    assert artifact.schema == schema
    columns = artifact.features.slots["columns"]
    assert sorted(f.name for f in columns.members) == ["count", "temperature"]


def test_with_config_gives_the_feature_and_its_config(ln):
    age = ln.Feature(name="age", dtype=int).save()
    assert age.with_config(optional=True) == (age, {"optional": True})
    assert age.with_config() == (age, {})


def test_with_config_optional_makes_a_schema_feature_optional(ln):
    age = ln.Feature(name="age", dtype=int).save()
    tissue = ln.Feature(name="tissue", dtype=str).save()
    schema = ln.Schema([age.with_config(optional=True), tissue]).save()
    assert [f.name for f in schema.optionals.get()] == ["age"]
    ln.curators.DataFrameCurator(pd.DataFrame({"tissue": ["a"]}), schema).validate()


def test_feature_from_dataframe_infers_dtypes_without_saving(ln):
    df = pd.DataFrame({"a": [1], "b": ["x"], "c": [1.5], "d": pd.Categorical(["u"]), "e": [True]})
    features = ln.Feature.from_dataframe(df)
    assert [(f.name, f.dtype) for f in features] == [
        ("a", "int"),
        ("b", "str"),
        ("c", "float"),
        ("d", "cat[ULabel]"),
        ("e", "bool"),
    ]
    assert ln.Feature.filter().count() == 0
    features.save()
    assert ln.Feature.filter().count() == 5


def test_feature_from_dict_infers_dtypes_and_takes_a_type(ln):
    lab = ln.Feature(name="Lab", is_type=True).save()
    features = ln.Feature.from_dict({"x": 1, "y": "s", "l": [1, 2], "d": {"a": 1}}, type=lab)
    assert [(f.name, f.dtype) for f in features] == [
        ("x", "int"),
        ("y", "str"),
        ("l", "list[int]"),
        ("d", "dict"),
    ]
    assert {f.type for f in features} == {lab}


def test_schema_valid_features_as_a_string(ln):
    ln.Feature(name="n", dtype=int).save()
    df = pd.DataFrame({"n": [1], "other": ["x"]})
    artifact = ln.Artifact.from_dataframe(df, key="x.parquet", schema="valid_features").save()
    assert (artifact.schema.name, artifact.schema.flexible) == ("valid_features", True)
    with pytest.raises(ln.errors.ValidationError):
        ln.Artifact.from_dataframe(df.assign(n=["one"]), key="y.parquet", schema="valid_features")


def test_another_schema_string_is_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="valid_features"):
        ln.Artifact.from_dataframe(pd.DataFrame({"n": [1]}), key="x.parquet", schema="nonsense")


def test_a_categorical_of_strings_is_valid_for_a_str_feature(ln):
    tissue = ln.Feature(name="tissue", dtype=str).save()
    schema = ln.Schema([tissue]).save()
    df = pd.DataFrame({"tissue": pd.Categorical(["lung", "liver"])})
    ln.curators.DataFrameCurator(df, schema).validate()


def test_a_categorical_of_numbers_is_no_str_column(ln):
    tissue = ln.Feature(name="tissue", dtype=str).save()
    schema = ln.Schema([tissue]).save()
    df = pd.DataFrame({"tissue": pd.Categorical([1, 2])})
    with pytest.raises(ln.errors.ValidationError, match="tissue"):
        ln.curators.DataFrameCurator(df, schema).validate()


def test_update_values_replaces_some_and_none_removes(ln):
    ln.Feature(name="score", dtype=float).save()
    ln.Feature(name="tags", dtype=list[str]).save()
    record = ln.Record(name="r1").save()
    record.features.set_values({"score": 1.0, "tags": ["a"]})
    record.features.update_values({"tags": ["b", "c"]})
    assert record.features.get_values() == {"score": 1.0, "tags": ["b", "c"]}
    record.features.update_values({"score": None, "tags": []})
    assert record.features.get_values() == {}


def test_update_values_of_an_unknown_feature_to_none_is_refused(ln):
    record = ln.Record(name="r1").save()
    with pytest.raises(ln.errors.ValidationError, match="nope"):
        record.features.update_values({"nope": None})


def test_an_artifact_must_have_the_schema_suffix(ln):
    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], suffix=".csv").save()
    df = pd.DataFrame({"age": [1]})
    with pytest.raises(ln.errors.ValidationError, match="suffix"):
        ln.Artifact.from_dataframe(df, key="x.parquet", schema=schema).save()
    assert ln.Artifact.filter().count() == 0
    assert ln.Artifact.from_dataframe(df, key="x.csv", schema=schema).save().suffix == ".csv"


def test_a_flexible_maximal_schema_allows_the_features_of_its_type_only(lab):
    ln, lab, temperature = lab
    schema = ln.Schema([temperature], itype=lab, flexible=True, maximal_set=True).save()
    df = pd.DataFrame({"temperature": [1.5], "count": [2]})
    ln.curators.DataFrameCurator(df, schema).validate()
    with pytest.raises(ln.errors.ValidationError, match="'outside'"):
        ln.curators.DataFrameCurator(df.assign(outside=1), schema).validate()

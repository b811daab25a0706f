"""Record frames: Record.from_dataframe, a type's to_dataframe / to_artifact, query_records."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def sample(ln):
    age = ln.Feature(name="age", dtype=int).save()
    tissue = ln.Feature(name="tissue", dtype=str).save()
    schema = ln.Schema([age, tissue], name="sample_schema").save()
    return ln.Record(name="Sample", is_type=True, schema=schema).save()


@pytest.fixture
def indexed(ln):
    sample_id = ln.Feature(name="sample_id", dtype=str).save()
    age = ln.Feature(name="age", dtype=int).save()
    schema = ln.Schema([age], index=sample_id, name="indexed").save()
    return ln.Record(name="Sample", is_type=True, schema=schema).save()


def _rows():
    return pd.DataFrame({"name": ["s1", "s2"], "age": [3, 4], "tissue": ["lung", "liver"]})


def test_from_dataframe_is_a_batch_of_one_record_per_row(ln, sample):
    batch = ln.Record.from_dataframe(_rows(), type=sample)
    assert (len(batch), batch.type) == (2, sample)
    assert ln.Record.filter(type=sample).count() == 0  # nothing until save()


def test_saving_the_batch_saves_names_and_feature_values(ln, sample):
    records = ln.Record.from_dataframe(_rows(), type=sample).save()
    assert [r.name for r in records] == ["s1", "s2"]
    assert ln.Record.get(name="s2").features.get_values() == {"age": 4, "tissue": "liver"}


def test_the_lamindb_name_column_comes_before_name(ln, sample):
    df = _rows().assign(__lamindb_record_name__=["x1", "x2"])
    records = ln.Record.from_dataframe(df.drop(columns=["name"]), type=sample).save()
    assert [r.name for r in records] == ["x1", "x2"]


def test_rows_without_a_name_column_make_records_without_names(ln, sample):
    records = ln.Record.from_dataframe(_rows().drop(columns=["name"]), type=sample).save()
    assert [r.name for r in records] == [None, None]


def test_an_invalid_row_writes_nothing(ln, sample):
    bad = _rows().assign(age=["x", "y"])
    with pytest.raises(ln.errors.ValidationError, match="age"):
        ln.Record.from_dataframe(bad, type=sample).save()
    assert ln.Record.filter(type=sample).count() == 0


def test_feature_columns_need_a_type_with_a_schema(ln):
    page = ln.Record(name="Page", is_type=True).save()
    with pytest.raises(ln.errors.ValidationError, match="has no schema"):
        ln.Record.from_dataframe(pd.DataFrame({"name": ["a"], "x": [1]}), type=page).save()


def test_a_data_record_is_no_type(ln):
    page = ln.Record(name="Page", is_type=True).save()
    data = ln.Record(name="p1", type=page).save()
    with pytest.raises(ln.errors.InvalidArgument, match="record type"):
        ln.Record.from_dataframe(pd.DataFrame({"name": ["a"]}), type=data)


def test_the_index_feature_names_the_records(ln, indexed):
    df = pd.DataFrame({"age": [3]}, index=pd.Index(["S1"], name="sample_id"))
    column = pd.DataFrame({"sample_id": ["S2"], "age": [4]})
    names = [r.name for r in ln.Record.from_dataframe(df, type=indexed).save()]
    names += [r.name for r in ln.Record.from_dataframe(column, type=indexed).save()]
    assert names == ["S1", "S2"]


def test_a_type_name_makes_a_frame_under_imports(ln):
    ln.Feature(name="age", dtype=int).save()
    ln.Record.from_dataframe(pd.DataFrame({"name": ["q1"], "age": [5]}), type="myframe").save()
    frame = ln.Record.get(name="myframe", is_type=True)
    assert (frame.type.name, frame.schema.name, frame.schema.type.name) == (
        "Imports",
        "myframe",
        "Imports",
    )
    assert [f.name for f in frame.schema.members] == ["age"]


def test_a_type_name_that_exists_under_imports_is_refused(ln):
    ln.Feature(name="age", dtype=int).save()
    df = pd.DataFrame({"age": [5]})
    ln.Record.from_dataframe(df, type="myframe").save()
    with pytest.raises(ln.errors.InvalidArgument, match="already exists"):
        ln.Record.from_dataframe(df, type="myframe")


def test_type_to_dataframe_has_features_then_lamindb_columns(ln, sample):
    ln.Record.from_dataframe(_rows(), type=sample).save()
    out = sample.to_dataframe()
    assert list(out.columns) == [
        "age",
        "tissue",
        "__lamindb_record_uid__",
        "__lamindb_record_name__",
    ]
    assert out.index.name == "__lamindb_record_id__"
    assert out[["age", "__lamindb_record_name__"]].values.tolist() == [[3, "s1"], [4, "s2"]]


def test_type_to_dataframe_with_index_puts_names_on_the_index(ln, indexed):
    df = pd.DataFrame({"age": [3, 4]}, index=pd.Index(["S1", "S2"], name="sample_id"))
    ln.Record.from_dataframe(df, type=indexed).save()
    out = indexed.to_dataframe()
    assert (list(out.columns), out.index.name, out.index.tolist()) == (
        ["age"],
        "sample_id",
        ["S1", "S2"],
    )


def test_the_registry_to_dataframe_still_lists_all_records(ln, sample):
    ln.Record.from_dataframe(_rows(), type=sample).save()
    assert sorted(ln.Record.to_dataframe()["name"]) == ["Sample", "s1", "s2"]


def test_a_data_record_has_no_to_dataframe(ln, sample):
    record = ln.Record.from_dataframe(_rows(), type=sample).save()[0]
    with pytest.raises(ln.errors.InvalidArgument, match="record type"):
        record.to_dataframe()


def test_query_records_walks_the_sub_types(ln):
    page = ln.Record(name="Page", is_type=True).save()
    sub = ln.Record(name="Sub", is_type=True, type=page).save()
    ln.Record(name="p1", type=page).save()
    ln.Record(name="p2", type=sub).save()
    assert sorted(page.query_records().to_list("name")) == ["Sub", "p1", "p2"]
    assert sorted(page.query_records(depth=1).to_list("name")) == ["Sub", "p1"]


def test_to_artifact_saves_the_export_as_csv(ln, sample):
    ln.Record.from_dataframe(_rows(), type=sample).save()
    artifact = sample.to_artifact()
    assert (artifact.key, artifact.schema) == ("lamindb_record_exports/Sample.csv", sample.schema)
    header = open(artifact.cache()).read().splitlines()[0]
    assert header == "age,tissue,__lamindb_record_uid__,__lamindb_record_name__"


def test_to_artifact_of_an_indexed_type_keeps_the_index(ln, indexed):
    df = pd.DataFrame({"age": [3]}, index=pd.Index(["S1"], name="sample_id"))
    ln.Record.from_dataframe(df, type=indexed).save()
    assert open(indexed.to_artifact().cache()).read() == "sample_id,age\nS1,3\n"


def test_the_values_of_an_indexed_record_include_its_name(ln, indexed):
    df = pd.DataFrame({"age": [3]}, index=pd.Index(["S1"], name="sample_id"))
    record = ln.Record.from_dataframe(df, type=indexed).save()[0]
    assert record.features.get_values() == {"age": 3, "sample_id": "S1"}


def test_categorical_and_list_columns_link_their_labels(ln):
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
    assert ln.Record.get(name="s2").features.get_values() == {"tissue": "liver", "tags": ["b", "c"]}


def test_an_unknown_label_writes_nothing(ln):
    tissue_type = ln.Record(name="Tissue", is_type=True).save()
    tissue = ln.Feature(name="tissue", dtype=tissue_type).save()
    sample = ln.Record(name="Sample", is_type=True, schema=ln.Schema([tissue]).save()).save()
    with pytest.raises(ln.errors.ValidationError, match="heart"):
        ln.Record.from_dataframe(pd.DataFrame({"tissue": ["heart"]}), type=sample).save()
    assert ln.Record.filter(type=sample).count() == 0


def test_saving_many_rows_is_a_handful_of_statements(ln, sample):
    from tests.support.query_count import count_queries

    few = ln.Record.from_dataframe(_rows(), type=sample)
    many = pd.DataFrame({"name": [f"s{i}" for i in range(200)], "age": range(200), "tissue": "x"})
    batch = ln.Record.from_dataframe(many, type=sample)
    with count_queries() as small:
        few.save()
    with count_queries() as large:
        batch.save()
    assert large.count <= small.count + 2  # the same statements, not one per row
    assert ln.Record.get(name="s199").features.get_values() == {"age": 199, "tissue": "x"}


def test_to_artifact_is_the_output_of_a_completed_export_run(ln, sample):
    ln.Record.from_dataframe(_rows(), type=sample).save()
    run = sample.to_artifact().run
    assert (run.transform.key, run.transform.kind, run.status) == (
        "__lamindb_record_export__",
        "function",
        "completed",
    )
    sample.to_artifact()
    assert (ln.Run.filter().count(), ln.Transform.filter().count()) == (2, 1)


def test_columns_outside_the_schema_are_not_stored(ln, sample):
    ln.Feature(name="extra", dtype=str).save()
    df = _rows().assign(extra="e", zzz="z")
    records = ln.Record.from_dataframe(df, type=sample).save()
    assert records[0].features.get_values() == {"age": 3, "tissue": "lung"}

"""CanCurate: validate, inspect, from_values, standardize, synonyms and abbreviations."""

from __future__ import annotations

import pytest

from tests.support.query_count import count_queries


@pytest.fixture
def cells(ln):
    t = ln.ULabel(name="T cell", synonyms="T-cell|T lymphocyte").save()
    ln.ULabel(name="B cell").save()
    ln.cells_t = t
    return ln


def test_validate_returns_a_boolean_per_value(cells):
    assert cells.ULabel.validate(["T cell", "x", "B cell", "T cell"]).tolist() == [
        True,
        False,
        True,
        True,
    ]


def test_validate_against_another_field(cells):
    uid = cells.ULabel.get(name="B cell").uid
    assert cells.ULabel.validate([uid, "nope"], field="uid").tolist() == [True, False]


def test_validate_on_an_unknown_field_is_refused(cells):
    with pytest.raises(cells.errors.InvalidArgument, match="no field 'nope'"):
        cells.ULabel.validate(["x"], field="nope")


def test_validate_many_values_is_one_query(cells):
    with count_queries() as queries:
        result = cells.ULabel.validate([f"v{i}" for i in range(3000)] + ["T cell"], mute=True)
    assert int(result.sum()) == 1
    queries.assert_at_most(1)


def test_inspect_splits_validated_and_not(cells):
    result = cells.ULabel.inspect(["T cell", "T-cell", "unknown", None])
    assert result.validated == ["T cell"]
    assert result.non_validated == ["T-cell", "unknown"]
    assert result.synonyms_mapper == {"T-cell": "T cell"}
    assert result.n_empty == 1
    assert result.frac_validated == pytest.approx(1 / 3)


def test_standardize_maps_synonyms_case_insensitively(cells):
    assert cells.ULabel.standardize(["t lymphocyte", "T-cell", "B cell", "x"]) == [
        "T cell",
        "T cell",
        "B cell",
        "x",
    ]


def test_standardize_return_mapper(cells):
    assert cells.ULabel.standardize(["T-cell", "B cell", "x"], return_mapper=True) == {
        "T-cell": "T cell"
    }


def test_from_values_returns_existing_records(cells):
    records = cells.ULabel.from_values(["T cell", "B cell", "missing"])
    assert [r.name for r in records] == ["T cell", "B cell"]
    assert all(r.id is not None for r in records)


def test_from_values_create_makes_unsaved_records_with_a_save(cells):
    records = cells.ULabel.from_values(["T cell", "new one"], create=True)
    assert [r.name for r in records] == ["T cell", "new one"]
    assert records[1].id is None
    assert records.save() is records
    assert cells.ULabel.get(name="new one").id == records[1].id


def test_from_values_standardizes_synonyms(cells):
    assert [r.name for r in cells.ULabel.from_values(["T-cell"])] == ["T cell"]


def test_add_synonym_saves_it(cells):
    cells.cells_t.add_synonym("CD3+ cell")
    assert cells.ULabel.get(name="T cell").synonyms == "T-cell|T lymphocyte|CD3+ cell"


def test_add_synonym_of_another_record_is_refused(cells):
    b = cells.ULabel.get(name="B cell")
    with pytest.raises(cells.errors.ValidationError, match="force=True"):
        b.add_synonym("T-cell")


def test_add_synonym_clash_with_force(cells):
    b = cells.ULabel.get(name="B cell")
    b.add_synonym("T-cell", force=True)
    assert cells.ULabel.get(name="B cell").synonyms == "T-cell"


def test_add_synonym_with_a_pipe_is_refused(cells):
    with pytest.raises(cells.errors.InvalidArgument, match="'\\|'"):
        cells.cells_t.add_synonym("a|b")


def test_remove_synonym(cells):
    cells.cells_t.remove_synonym("T-cell")
    assert cells.ULabel.get(name="T cell").synonyms == "T lymphocyte"


def test_set_abbr_sets_it_and_adds_a_synonym(cells):
    cells.cells_t.set_abbr("TC")
    stored = cells.ULabel.get(name="T cell")
    assert stored.abbr == "TC"
    assert stored.synonyms.split("|")[0] == "TC"


def test_record_carries_synonyms_and_abbr(ln):
    r = ln.Record(name="Sample").save()
    r.add_synonym("specimen")
    r.set_abbr("S")
    stored = ln.Record.get(name="Sample")
    assert (stored.abbr, stored.synonyms) == ("S", "S|specimen")
    assert ln.Record.standardize(["specimen"]) == ["Sample"]


def test_validate_on_a_queryset_counts_its_records_only(ln):
    ln.save([ln.ULabel(name=n) for n in ["a", "b"]])
    assert ln.ULabel.filter(name="a").validate(["a", "b"], field="name").tolist() == [True, False]


def test_inspect_on_a_queryset_counts_its_records_only(ln):
    ln.save([ln.ULabel(name=n) for n in ["a", "b"]])
    assert ln.ULabel.filter(name="a").inspect(["a", "b"], mute=True).non_validated == ["b"]


def test_standardize_on_a_queryset_maps_to_its_records_only(ln):
    ln.Feature(name="temperature", dtype=float, synonyms="temp").save()
    ln.Feature(name="other", dtype=float).save()
    assert [
        ln.Feature.filter(name="other").standardize(["temp"]),
        ln.Feature.standardize(["temp"]),
    ] == [["temp"], ["temperature"]]


def test_standardize_of_one_string_returns_a_string(ln):
    ln.Feature(name="temperature", dtype=float, synonyms="temp").save()
    assert ln.Feature.standardize("temp") == "temperature"


def test_user_validate_checks_handles(ln):
    handle = ln.User.filter().one().handle
    assert ln.User.validate([handle, "nobody"], field="handle").tolist() == [True, False]


def test_validate_on_a_queryset_of_a_registry_without_names_is_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="cannot be curated"):
        ln.Run.filter().validate(["x"])

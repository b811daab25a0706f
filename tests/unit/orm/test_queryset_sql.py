"""The SQL of everyday QuerySets is built once per shape and re-run with new values."""

from __future__ import annotations

import pytest

from lamin_lab.orm.queryset_sql import cached_sql, shape_of
from lamin_lab.orm.statements import count_statements


@pytest.fixture
def labels(ln):
    ln.save([ln.ULabel(name=n) for n in ("T cell", "B cell", "a_b", "axb", "5")])
    return ln


def test_sets_of_one_shape_share_their_sql_and_keep_their_values(labels):
    ln = labels
    first = cached_sql(ln.ULabel.filter(name="T cell"), "rows", lambda qs: qs._select())
    second = cached_sql(ln.ULabel.filter(name="B cell"), "rows", lambda qs: qs._select())
    assert first[0] == second[0]
    assert "T cell" in first[1] and "B cell" in second[1] and "T cell" not in second[1]


def test_get_by_uid_returns_each_record_of_the_same_shape(labels):
    ln = labels
    for label in ln.ULabel.filter():
        assert ln.ULabel.get(label.uid).name == label.name


def test_counts_of_one_shape_follow_their_values(labels):
    ln = labels
    assert [ln.ULabel.filter(name=n).count() for n in ("T cell", "nope", "B cell")] == [1, 0, 1]


def test_a_cached_get_sends_one_statement(labels):
    ln = labels
    uid = ln.ULabel.get(name="T cell").uid
    with count_statements() as log:
        ln.ULabel.get(uid)
    assert log.count == 1, log


def test_a_prefix_of_one_shape_escapes_each_value(labels):
    ln = labels
    assert [r.name for r in ln.ULabel.filter(name__startswith="ax")] == ["axb"]
    assert [r.name for r in ln.ULabel.filter(name__startswith="a_")] == ["a_b"]
    assert ln.ULabel.filter(name__startswith="a%").count() == 0
    assert ln.ULabel.filter(name__startswith="T c").count() == 1


def test_contains_and_case_insensitive_lookups_are_not_cached(labels):
    ln = labels
    assert shape_of(ln.ULabel.filter(name__contains="cell")) is None
    assert shape_of(ln.ULabel.filter(name__istartswith="t")) is None
    assert [r.name for r in ln.ULabel.filter(name__istartswith="t")] == ["T cell"]


def test_relations_json_and_bool_conditions_take_the_ordinary_path(labels):
    ln = labels
    assert shape_of(ln.ULabel.filter(is_type=False)) is None
    assert shape_of(ln.ULabel.filter(created_by__handle="x")) is None
    assert shape_of(ln.Artifact.filter(storage=1)) is None


def test_a_number_given_as_text_for_an_id_still_finds_the_record(labels):
    ln = labels
    label = ln.ULabel.get(name="T cell")
    assert ln.ULabel.filter(id=str(label.id)).one().name == "T cell"
    assert ln.ULabel.filter(id=label.id).one().name == "T cell"


def test_a_number_for_a_text_field_matches_its_text(labels):
    ln = labels
    assert [r.name for r in ln.ULabel.filter(name=5)] == [
        r.name for r in ln.ULabel.filter(name="5")
    ]


def test_the_cached_sql_follows_a_switch_of_branch(labels):
    ln = labels
    assert ln.ULabel.filter(name="on b").count() == 0
    ln.setup.switch("b", create=True)
    ln.ULabel(name="on b").save()
    assert ln.ULabel.filter(name="on b").count() == 1
    ln.setup.switch("main")
    assert ln.ULabel.filter(name="on b").count() == 0


def test_or_and_not_trees_are_shapes_of_their_own(labels):
    ln = labels
    either = ln.ULabel.filter(ln.Q(name="T cell") | ln.Q(name="B cell"))
    neither = ln.ULabel.filter(~ln.Q(name="T cell"), ~ln.Q(name="B cell"))
    assert sorted(r.name for r in either) == ["B cell", "T cell"]
    assert sorted(r.name for r in neither) == ["5", "a_b", "axb"]

"""values(), values_list() and update() behave as Django's (LaminDB's QuerySet)."""

import pytest

from lamin_lab.errors import InvalidArgument


@pytest.fixture
def cells(ln):
    ln.ULabel(name="T cell").save()
    ln.ULabel(name="B cell").save()
    return ln.ULabel.filter(name__endswith="cell").order_by("name")


def test_values_list_flat_returns_one_fields_values(cells):
    assert list(cells.values_list("name", flat=True)) == ["B cell", "T cell"]


def test_values_list_returns_tuples(cells):
    assert list(cells.values_list("name", "is_type")) == [("B cell", False), ("T cell", False)]


def test_values_list_flat_with_two_fields_is_refused(cells):
    # lamindb raises TypeError here; only LaminLabError subclasses escape lamin_lab.
    with pytest.raises(InvalidArgument):
        cells.values_list("name", "id", flat=True)


def test_values_returns_dicts_of_the_named_fields(cells):
    assert list(cells.values("name")) == [{"name": "B cell"}, {"name": "T cell"}]


def test_values_without_fields_names_foreign_keys_by_column(cells):
    keys = set(list(cells.values())[0])
    assert {"id", "uid", "name", "created_by_id", "branch_id"} <= keys


def test_update_sets_the_field_and_returns_the_count(ln, cells):
    assert ln.ULabel.filter(name="T cell").update(description="x") == 1
    assert ln.ULabel.get(name="T cell").description == "x"


def test_update_of_an_empty_set_changes_nothing(ln, cells):
    assert ln.ULabel.filter(name="zzz").update(description="x") == 0


def test_values_list_distinct_drops_duplicate_values(ln):
    ln.ULabel(name="a", description="d").save()
    ln.ULabel(name="b", description="d").save()
    assert list(ln.ULabel.filter().values_list("description", flat=True).distinct()) == ["d"]


def test_values_list_is_lazy_and_sees_later_records(ln):
    names = ln.ULabel.filter().values_list("name", flat=True)
    ln.ULabel(name="late").save()
    assert list(names) == ["late"]


def test_values_count_counts_distinct_rows(ln):
    ln.ULabel(name="a", description="d").save()
    ln.ULabel(name="b", description="d").save()
    assert ln.ULabel.filter().values("description").distinct().count() == 1


def test_values_list_unknown_field_fails_at_the_call(cells):
    with pytest.raises(InvalidArgument):
        cells.values_list("colour")

"""Query errors and classes named as LaminDB's (Django's) are."""

import pytest


def test_unknown_filter_field_is_a_field_error(ln):
    with pytest.raises(ln.errors.FieldError, match="no field 'colour'"):
        ln.ULabel.filter(colour="red")


def test_unknown_order_by_field_is_a_field_error(ln):
    with pytest.raises(ln.errors.FieldError):
        ln.ULabel.filter().order_by("colour")


def test_field_error_is_still_an_invalid_argument(ln):
    assert issubclass(ln.errors.FieldError, ln.errors.InvalidArgument)


def test_unknown_lookup_is_a_field_error(ln):
    with pytest.raises(ln.errors.FieldError, match="Unknown lookup"):
        ln.ULabel.filter(name__sounds_like="x")


def test_search_returns_a_basic_queryset(ln):
    ln.ULabel(name="a").save()
    assert type(ln.ULabel.search("a")).__name__ == "BasicQuerySet"


def test_filter_returns_a_queryset_that_is_a_basic_queryset(ln):
    qs = ln.ULabel.filter()
    assert type(qs).__name__ == "QuerySet" and isinstance(qs, ln.models.BasicQuerySet)


def test_filter_refuses_a_plain_value_as_condition(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="feature expressions"):
        ln.ULabel.filter("name")


def test_search_on_a_query_keeps_the_query_class(ln):
    ln.ULabel(name="label a").save()
    assert type(ln.ULabel.filter(name__startswith="label").search("label a")).__name__ == "QuerySet"


def test_values_list_flat_with_two_fields_is_a_type_error(ln):
    with pytest.raises(TypeError):
        ln.ULabel.filter().values_list("name", "id", flat=True)


def test_invalid_argument_type_is_both_ours_and_a_type_error(ln):
    assert issubclass(ln.errors.InvalidArgumentType, (ln.errors.InvalidArgument, TypeError))

"""The catalog's one filter grammar (panels and URLs): key shape, value types, lists, orderings."""

from __future__ import annotations

import datetime as dt

import pytest

import lamin_lab as ln
from lamin_lab.errors import InvalidArgument
from lamin_lab.catalog.filters import (
    filter_kwargs,
    order_fields,
    parse_filter,
    split_terms,
    target_field,
    typed_value,
)


def test_parse_filter_splits_at_the_first_equals_sign():
    assert parse_filter("key__contains=a=b") == ("key__contains", "a=b")


@pytest.mark.parametrize(
    "text", ["name", "=x", "na me=x", "_hash_type=md5", "name;drop=1", "a___b=1", "name_=x"]
)
def test_parse_filter_rejects_keys_that_are_not_field_paths(text):
    with pytest.raises(InvalidArgument):
        parse_filter(text)


def test_integer_field_values_become_integers():
    assert filter_kwargs(ln.Artifact, ["size__gt=1000"]) == {"size__gt": 1000}


def test_text_field_values_stay_text():
    assert filter_kwargs(ln.ULabel, ["name__startswith=12"]) == {"name__startswith": "12"}


def test_datetime_values_are_parsed_as_iso_8601():
    assert typed_value(ln.Artifact, "created_at__gte", "2026-01-31T12:00") == dt.datetime(
        2026, 1, 31, 12, 0
    )


def test_related_paths_convert_for_the_field_they_end_on():
    assert typed_value(ln.Artifact, "run__transform__key", "7") == "7"
    assert typed_value(ln.Artifact, "run__started_at__lt", "2026-01-01") == dt.datetime(2026, 1, 1)
    assert typed_value(ln.Artifact, "run", "3") == 3


def test_in_takes_a_comma_separated_list():
    assert typed_value(ln.Artifact, "size__in", "1| 2|3") == [1, 2, 3]


def test_range_needs_two_values():
    assert typed_value(ln.Artifact, "size__range", "1|5") == [1, 5]
    with pytest.raises(InvalidArgument, match="2 values separated by"):
        typed_value(ln.Artifact, "size__range", "1")


def test_isnull_takes_true_or_false():
    assert typed_value(ln.Artifact, "description__isnull", "true") is True
    assert typed_value(ln.Artifact, "description__isnull", "0") is False
    with pytest.raises(InvalidArgument, match="true or false"):
        typed_value(ln.Artifact, "description__isnull", "maybe")


def test_bad_number_says_which_field_and_what_is_expected():
    with pytest.raises(InvalidArgument, match=r"Filter on size: 'abc' is not a valid integer"):
        filter_kwargs(ln.Artifact, ["size__gt=abc"])


def test_same_filter_twice_is_an_error():
    with pytest.raises(InvalidArgument, match="given twice"):
        filter_kwargs(ln.ULabel, ["name=a", "name=b"])


def test_unknown_fields_are_left_to_the_queryset():
    assert target_field(ln.ULabel, "nope__gt") == (None, "gt")


def test_order_fields_accepts_descending_and_lists():
    assert order_fields("-created_at, key") == ["-created_at", "key"]
    assert order_fields("") == []


@pytest.mark.parametrize("text", ["created_at desc", "--key", "key-", "a;b"])
def test_order_fields_rejects_anything_else(text):
    with pytest.raises(InvalidArgument):
        order_fields(text)


def test_a_filter_text_holds_several_terms_separated_by_commas():
    assert filter_kwargs(ln.Artifact, "key__startswith=T, size__gt=10") == {
        "key__startswith": "T",
        "size__gt": 10,
    }


def test_a_quoted_value_keeps_its_commas_and_loses_its_quotes():
    assert split_terms('description="a, b", size=1') == ['description="a, b"', "size=1"]
    assert filter_kwargs(ln.Artifact, 'description="a, b"') == {"description": "a, b"}


def test_list_values_are_separated_by_bars_and_typed_by_field():
    assert filter_kwargs(ln.Artifact, "key__in=a.csv|b.csv, is_latest=true") == {
        "key__in": ["a.csv", "b.csv"],
        "is_latest": True,
    }


def test_an_unclosed_quote_says_what_to_do():
    with pytest.raises(InvalidArgument, match="unclosed"):
        split_terms('description="a, b')


def test_a_term_without_equals_sign_says_how_to_write_a_filter():
    with pytest.raises(InvalidArgument, match="field=value pairs"):
        filter_kwargs(ln.ULabel, "name")

"""Field lookups (``name__icontains=...``): one table of cases, same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

NAMES = ["T cell", "t cell", "B cell", "50% off", "a_b", "axb", "CD8 T cell"]


@pytest.fixture
def labels(ln):
    ln.save(
        [ln.ULabel(name=n, description="has one" if n.startswith("T") else None) for n in NAMES]
    )
    return ln


CASES = [
    ("exact", "T cell", {"T cell"}),
    ("iexact", "t CELL", {"T cell", "t cell"}),
    ("contains", "T c", {"T cell", "CD8 T cell"}),
    ("icontains", "T c", {"T cell", "t cell", "CD8 T cell"}),
    ("startswith", "T", {"T cell"}),
    ("istartswith", "t", {"T cell", "t cell"}),
    ("endswith", "8 T cell", {"CD8 T cell"}),
    ("iendswith", "T CELL", {"T cell", "t cell", "CD8 T cell"}),
    ("in", ["B cell", "axb", "nope"], {"B cell", "axb"}),
    ("regex", r"^[Tt] ", {"T cell", "t cell"}),
    ("regex", r"^t ", {"t cell"}),
    ("iregex", r"^T ", {"T cell", "t cell"}),
    ("gt", "a_b", {"axb", "t cell"}),
    ("gte", "axb", {"axb", "t cell"}),
    ("lt", "B", {"50% off"}),
    ("lte", "B cell", {"50% off", "B cell"}),
    ("range", ("B", "D"), {"B cell", "CD8 T cell"}),
]


@pytest.mark.parametrize(
    ("lookup", "value", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_lookup_matches_the_same_names_on_every_backend(labels, lookup, value, expected):
    found = set(labels.ULabel.filter(**{f"name__{lookup}": value}).to_list("name"))
    assert found == expected


def test_contains_is_case_sensitive(labels):
    assert labels.ULabel.filter(name__contains="t cell").to_list("name") == ["t cell"]


def test_icontains_ignores_case(labels):
    assert set(labels.ULabel.filter(name__icontains="T CELL").to_list("name")) == {
        "T cell",
        "t cell",
        "CD8 T cell",
    }


def test_startswith_is_case_sensitive(labels):
    assert labels.ULabel.filter(name__startswith="t").to_list("name") == ["t cell"]


@pytest.mark.parametrize(
    "lookup", ["contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"]
)
def test_percent_sign_in_a_value_is_literal(labels, lookup):
    value = {
        "startswith": "50%",
        "istartswith": "50%",
        "endswith": "% off",
        "iendswith": "% OFF",
    }.get(lookup, "%")
    assert labels.ULabel.filter(**{f"name__{lookup}": value}).to_list("name") == ["50% off"]


@pytest.mark.parametrize(
    "lookup", ["contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"]
)
def test_underscore_in_a_value_is_literal(labels, lookup):
    value = {"startswith": "a_", "istartswith": "A_", "endswith": "_b", "iendswith": "_B"}.get(
        lookup, "_"
    )
    assert labels.ULabel.filter(**{f"name__{lookup}": value}).to_list("name") == ["a_b"]


def test_backslash_in_a_value_is_literal(labels):
    labels.ULabel(name="back\\slash").save()
    assert labels.ULabel.filter(name__icontains="k\\s").to_list("name") == ["back\\slash"]
    assert labels.ULabel.filter(name__contains="\\").to_list("name") == ["back\\slash"]


def test_isnull_true_finds_empty_fields(labels):
    assert set(labels.ULabel.filter(description__isnull=True).to_list("name")) == set(NAMES) - {
        "T cell"
    }


def test_isnull_false_finds_filled_fields(labels):
    assert labels.ULabel.filter(description__isnull=False).to_list("name") == ["T cell"]


def test_exact_none_means_isnull(labels):
    assert labels.ULabel.filter(description=None).count() == len(NAMES) - 1


def test_in_with_an_empty_list_matches_nothing(labels):
    assert labels.ULabel.filter(name__in=[]).count() == 0


def test_in_with_a_queryset_uses_it_as_subquery(labels):
    sub = labels.ULabel.filter(name__startswith="B")
    assert labels.ULabel.filter(id__in=sub).to_list("name") == ["B cell"]


def test_in_with_a_string_is_refused(labels):
    with pytest.raises(labels.errors.InvalidArgument, match="list"):
        labels.ULabel.filter(name__in="B cell").count()


def test_range_needs_a_pair(labels):
    with pytest.raises(labels.errors.InvalidArgument, match="pair"):
        labels.ULabel.filter(name__range="B").count()


def test_unknown_lookup_lists_the_valid_ones(labels):
    with pytest.raises(labels.errors.InvalidArgument, match="icontains"):
        labels.ULabel.filter(name__fuzzy="x")


def test_lookups_on_integer_fields(labels):
    ids = labels.ULabel.filter().order_by("id").to_list("id")
    assert labels.ULabel.filter(id__gt=ids[1], id__lte=ids[3]).to_list("id") == ids[2:4]

"""Keys inside JSON fields in filters (``Run.filter(params__opt__name=...)``), as Django's."""

import pytest


@pytest.fixture
def run(ln):
    t = ln.Transform(key="p.py").save()
    return ln.Run(
        t, params={"lr": 0.1, "n": 3, "opt": {"name": "adam"}, "tags": ["a", "b"], "none": None}
    ).save()


def test_top_level_key_matches_its_value(ln, run):
    assert ln.Run.filter(params__lr=0.1).count() == 1


def test_top_level_key_with_another_value_matches_nothing(ln, run):
    assert ln.Run.filter(params__lr=0.2).count() == 0


def test_nested_key_matches(ln, run):
    assert ln.Run.filter(params__opt__name="adam").count() == 1


def test_comparison_on_a_key(ln, run):
    assert [ln.Run.filter(params__n__gt=2).count(), ln.Run.filter(params__n__lt=3).count()] == [
        1,
        0,
    ]


def test_text_lookup_on_a_nested_key(ln, run):
    assert ln.Run.filter(params__opt__name__startswith="ad").count() == 1


def test_numeric_key_indexes_an_array(ln, run):
    assert ln.Run.filter(params__tags__1="b").count() == 1


def test_a_dict_value_matches_the_whole_object(ln, run):
    assert ln.Run.filter(params__opt={"name": "adam"}).count() == 1


def test_isnull_true_matches_a_missing_key(ln, run):
    assert [
        ln.Run.filter(params__missing__isnull=True).count(),
        ln.Run.filter(params__lr__isnull=True).count(),
    ] == [1, 0]


def test_a_number_given_as_text_does_not_match_the_number(ln, run):
    assert ln.Run.filter(params__lr="0.1").count() == 0


def test_unsupported_lookup_on_a_key_is_a_field_error(ln, run):
    with pytest.raises(ln.errors.FieldError, match="not supported on keys"):
        ln.Run.filter(params__lr__regex="1")

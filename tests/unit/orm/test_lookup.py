"""Lookup objects (lamin_lab.orm.lookup)."""

from __future__ import annotations

import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.orm.lookup import Lookup, build_lookup, to_attr_name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("T cell", "t_cell"),
        ("CD4-positive, alpha-beta T cell", "cd4_positive_alpha_beta_t_cell"),
        ("ADGB-DT", "adgb_dt"),
        ("2nd stage", "ln_2nd_stage"),
        ("_private", "ln__private"),
        ("a__b", "a__b"),
        ("  padded  ", "ln__padded_"),
        ("Ünïcode cell", "ln__n_code_cell"),
        ("!!!", "ln__"),
        (42, "ln_42"),
    ],
)
def test_to_attr_name(value, expected):
    assert to_attr_name(value) == expected


def test_attribute_access_by_converted_name():
    labels = build_lookup(["T cell", "B cell"], ["t", "b"])
    assert (labels.t_cell, labels.b_cell) == ("t", "b")


def test_dict_maps_original_values_to_items():
    labels = build_lookup(["T cell", "B cell"], ["t", "b"])
    assert labels.dict() == {"T cell": "t", "B cell": "b"}


def test_dict_returns_a_copy():
    labels = build_lookup(["T cell"], ["t"])
    labels.dict()["T cell"] = "changed"
    assert labels.t_cell == "t"


def test_getitem_by_original_value_and_by_name():
    labels = build_lookup(["T-cell"], ["t"])
    assert (labels["T-cell"], labels["t_cell"]) == ("t", "t")


def test_dir_lists_the_names_for_tab_completion():
    labels = build_lookup(["T cell", "B cell"], [1, 2])
    assert dir(labels) == ["b_cell", "dict", "t_cell"]


def test_repr_shows_a_few_names():
    labels = build_lookup([f"label {i}" for i in range(10)], list(range(10)), name="ULabel")
    text = repr(labels)
    assert text.startswith(
        "Lookup(ULabel: 10 names: label_0, label_1, label_2, label_3, label_4, ..."
    )


def test_duplicates_keep_first_by_default():
    labels = build_lookup(["T cell", "T cell"], ["first", "second"])
    assert (labels.t_cell, labels["T cell"]) == ("first", "first")


def test_duplicates_keep_last():
    labels = build_lookup(["T cell", "T cell"], ["first", "second"], keep="last")
    assert (labels.t_cell, labels["T cell"]) == ("second", "second")


def test_duplicates_keep_all_as_tuple():
    labels = build_lookup(["T cell", "B cell", "T cell"], ["t1", "b", "t2"], keep=False)
    assert (labels.t_cell, labels.b_cell) == (("t1", "t2"), "b")


def test_colliding_names_follow_keep_while_dict_keeps_both():
    labels = build_lookup(["T cell", "T-cell"], ["space", "hyphen"])
    assert labels.t_cell == "space"
    assert labels.dict() == {"T cell": "space", "T-cell": "hyphen"}
    assert build_lookup(["T cell", "T-cell"], ["space", "hyphen"], keep=False).t_cell == (
        "space",
        "hyphen",
    )


def test_none_and_empty_values_are_skipped():
    labels = build_lookup([None, "", "neuron"], ["a", "b", "c"])
    assert labels.dict() == {"neuron": "c"}
    assert len(labels) == 1


def test_keywords_and_own_names_get_an_underscore():
    labels = build_lookup(["class", "dict"], [1, 2])
    assert (labels.class_, labels.dict_, labels["dict"]) == (1, 2, 2)
    assert callable(labels.dict)


def test_missing_name_raises_attribute_error_with_hint():
    labels = build_lookup(["T cell"], [1])
    with pytest.raises(AttributeError, match="press Tab"):
        labels.b_cell  # noqa: B018 - the attribute access is what raises
    assert getattr(labels, "b_cell", None) is None


def test_missing_value_raises_key_error():
    with pytest.raises(KeyError, match="not a value"):
        build_lookup(["T cell"], [1])["B cell"]


def test_contains_and_iter():
    labels = build_lookup(["T cell", "B cell"], [1, 2])
    assert ("T cell" in labels, "t_cell" in labels, "x" in labels) == (True, True, False)
    assert list(labels) == [1, 2]


def test_bad_keep_is_rejected():
    with pytest.raises(InvalidArgument, match="keep must be"):
        build_lookup(["a"], [1], keep="middle")


def test_mismatched_lengths_are_rejected():
    with pytest.raises(InvalidArgument, match="one item per value"):
        build_lookup(["a", "b"], [1])


def test_build_returns_a_lookup_for_ten_thousand_values():
    values = [f"CD{i % 97}-positive cell {i}" for i in range(10_000)]
    labels = build_lookup(values, values)
    assert isinstance(labels, Lookup)
    assert labels.cd0_positive_cell_9700 == "CD0-positive cell 9700"
    assert len(dir(labels)) == 10_001

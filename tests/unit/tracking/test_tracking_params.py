"""A decorated function's arguments as ``run.params`` (``lamin_lab.tracking.params``)."""

from __future__ import annotations

from typing import Literal, Optional

from lamin_lab.tracking.params import REDACTED, annotations_of, is_secret, params_to_json


def test_untyped_json_values_are_kept():
    assert params_to_json({"n": 3, "names": ["a"], "opts": {"d": 1}}) == {
        "n": 3,
        "names": ["a"],
        "opts": {"d": 1},
    }


def test_none_and_empty_list_are_left_out():
    assert params_to_json({"a": None, "b": [], "c": 0}) == {"c": 0}


def test_value_not_matching_its_annotation_is_left_out():
    assert params_to_json({"n": "three"}, {"n": int}) == {}


def test_int_is_not_a_float():
    assert params_to_json({"ratio": 1}, {"ratio": float}) == {}


def test_bool_is_not_an_int():
    assert params_to_json({"n": True}, {"n": int}) == {}


def test_optional_annotation_accepts_its_type():
    assert params_to_json({"n": 2}, {"n": Optional[int]}) == {"n": 2}  # noqa: UP045 (typing.Optional on purpose)


def test_pep604_union_annotation_accepts_either_type():
    assert params_to_json({"n": "x"}, {"n": int | str}) == {"n": "x"}


def test_literal_annotation_accepts_a_listed_value():
    assert params_to_json(
        {"mode": "fast", "other": "odd"}, {"mode": Literal["fast"], "other": Literal["fast"]}
    ) == {"mode": "fast"}


def test_list_annotation_checks_every_item():
    assert params_to_json({"a": [1, 2], "b": [1, "x"]}, {"a": list[int], "b": list[int]}) == {
        "a": [1, 2]
    }


def test_unsupported_annotation_is_left_out():
    from pathlib import Path

    assert params_to_json({"p": Path("x")}, {"p": Path}) == {}


def test_value_that_is_not_json_is_left_out():
    assert params_to_json({"obj": object()}) == {}


def test_tuple_is_stored_as_a_list():
    assert params_to_json({"shape": (2, 3)}) == {"shape": [2, 3]}


def test_secret_key_is_redacted():
    assert params_to_json({"api_key": "abc", "dbPassword": "x"}) == {
        "api_key": REDACTED,
        "dbPassword": REDACTED,
    }


def test_postgres_url_with_password_is_secret():
    assert is_secret("db", "postgresql://me:pw@host:5432/db")


def test_plain_key_is_not_secret():
    assert not is_secret("tokenizer_depth", 3)


def test_record_is_stored_as_registry_and_uid(ln):
    label = ln.ULabel(name="x").save()
    assert params_to_json({"label": label}) == {"label": f"ULabel[{label.uid}]"}


def test_string_annotations_are_resolved():
    namespace: dict = {}
    exec("from __future__ import annotations\ndef f(n: int, m): ...", namespace)
    assert annotations_of(namespace["f"]) == {"n": int}

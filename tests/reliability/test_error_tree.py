"""The exceptions the issue found escaping the error tree, one by one (issue #13, 8).

Each asserts a LaminLabError that says what to do, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import pytest


def test_an_integer_beyond_64_bits_is_an_invalid_argument(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="must fit in 64 bits"):
        ln.ULabel.filter(id=2**70).to_list()
    with pytest.raises(ln.errors.InvalidArgument, match="must fit in 64 bits"):
        ln.ULabel.get(2**70)


def test_a_lone_surrogate_is_an_invalid_argument(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="not valid Unicode"):
        ln.ULabel.filter(name="\udc80").to_list()
    with pytest.raises(ln.errors.InvalidArgument, match="not valid Unicode"):
        ln.ULabel(name="\udc80").save()
    assert ln.ULabel.filter().count() == 0


def test_undecodable_bytes_are_an_invalid_argument(ln):
    with pytest.raises(ln.errors.InvalidArgument, match=r"decode bytes first"):
        ln.ULabel(name=b"\xff\xfe").save()


def test_a_field_name_that_is_not_a_string_is_an_invalid_argument(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="A field name is a string"):
        ln.ULabel.filter().to_list(5)
    with pytest.raises(ln.errors.InvalidArgument, match="A field name is a string"):
        ln.ULabel.filter().order_by(5)


def test_include_that_is_not_a_field_path_is_an_invalid_argument(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="include= takes a field path"):
        ln.ULabel.filter().to_dataframe(include=[None])


def test_a_uid_that_is_not_a_string_is_an_invalid_argument(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="uid= takes a string"):
        ln.Transform(key="t.py", uid=5)


def test_nul_in_text_is_refused_on_postgresql_with_what_to_do(ln):
    from lamin_lab.orm.database import dialect

    if dialect() != "postgresql":
        pytest.skip("SQLite stores NUL characters (as LaminDB on SQLite does)")
    with pytest.raises(ln.errors.InvalidArgument, match="NUL character"):
        ln.ULabel(name="a\x00b").save()


def test_text_longer_than_its_field_is_refused_before_the_database_sees_it(ln):
    """Issue #13, 9: SQLite stored 5,000-character names that PostgreSQL refused."""
    with pytest.raises(
        ln.errors.FieldValidationError, match="takes at most 150 characters, got 5000"
    ):
        ln.ULabel(name="a" * 5000).save()
    with pytest.raises(ln.errors.FieldValidationError):
        ln.save([ln.ULabel(name="ok"), ln.ULabel(name="b" * 5000)])
    assert ln.ULabel.filter().count() == 0

"""SQLite and PostgreSQL give the same answer to values of the wrong type (issue #13, 9).

Before the fix ``filter(size="abc")`` returned nothing on SQLite and raised a driver error
on PostgreSQL, and ``filter(id=1.5)`` or ``filter(storage=<a ULabel>)`` compared silently.
Values are now checked against their field before the driver sees them. Where LaminDB
(Django) silently truncates (``id=1.5`` matches id 1) lamin_lab refuses: the issue asks for
an error over a silent wrong match.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def saved(ln, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("hello")
    return ln.Artifact(path, key="a.txt").save()


def test_text_where_a_number_goes_is_an_invalid_argument(ln, saved):
    with pytest.raises(ln.errors.InvalidArgument, match="compares whole numbers"):
        ln.Artifact.filter(size="abc").to_list()


def test_a_number_written_as_text_is_compared_as_a_number(ln, saved):
    assert ln.Artifact.filter(size=str(saved.size)).one() == saved
    assert ln.Artifact.filter(size__gt="1").count() == 1


def test_a_fraction_where_an_id_goes_is_an_invalid_argument(ln, saved):
    with pytest.raises(ln.errors.InvalidArgument, match="whole numbers"):
        ln.Artifact.filter(id=1.5).to_list()


def test_true_and_false_written_as_text_are_booleans(ln, saved):
    assert ln.Artifact.filter(is_latest="false").count() == 0
    assert ln.Artifact.filter(is_latest="true").one() == saved
    with pytest.raises(ln.errors.InvalidArgument, match="takes True or False"):
        ln.Artifact.filter(is_latest="maybe").count()


def test_a_record_of_another_registry_is_an_invalid_argument(ln, saved):
    label = ln.ULabel(name="x").save()
    with pytest.raises(ln.errors.InvalidArgument, match="storage= takes a Storage"):
        ln.Artifact.filter(storage=label).to_list()
    assert ln.Artifact.filter(storage=saved.storage).one() == saved

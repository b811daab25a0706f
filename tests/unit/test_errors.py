"""One exception tree; driver exceptions never escape; user values are bound parameters."""

from __future__ import annotations

import inspect

import peewee
import pytest

import lamin_lab.errors as errors_module

LAMINDB_NAMES = [
    "DoesNotExist",
    "InvalidArgument",
    "IntegrityError",
    "MultipleResultsFound",
    "ValidationError",
    "NotebookNotSaved",
    "TrackNotCalled",
    "UnknownStorageLocation",
    "FieldValidationError",
    "ObjectDoesNotExist",
    "MultipleObjectsReturned",
    "NoWriteAccess",
    "InconsistentKey",
]


def _classes():
    return [
        c
        for _, c in inspect.getmembers(errors_module, inspect.isclass)
        if c.__module__ == errors_module.__name__
    ]


def test_every_error_derives_from_lamin_lab_error():
    assert all(issubclass(c, errors_module.LaminLabError) for c in _classes())


@pytest.mark.parametrize("name", LAMINDB_NAMES)
def test_laminDB_names_exist(name):
    assert issubclass(getattr(errors_module, name), errors_module.LaminLabError)


def test_django_aliases():
    assert errors_module.ObjectDoesNotExist is errors_module.DoesNotExist
    assert errors_module.MultipleObjectsReturned is errors_module.MultipleResultsFound


def test_errors_module_all_is_sorted_and_complete():
    assert errors_module.__all__ == sorted(errors_module.__all__)
    assert {c.__name__ for c in _classes()} <= set(errors_module.__all__)


def test_invalid_argument_is_also_a_value_error():
    assert issubclass(errors_module.InvalidArgument, ValueError)


def _assert_ours(excinfo):
    assert type(excinfo.value).__module__.startswith("lamin_lab")
    assert not isinstance(excinfo.value, peewee.PeeweeException)


def test_unique_violation_becomes_integrity_error_that_says_what_to_do(ln):
    first = ln.ULabel(name="a").save()
    second = ln.ULabel(name="b")
    second.uid = first.uid
    with pytest.raises(ln.errors.IntegrityError, match=r"already exists.*\.get\(") as excinfo:
        second.save()
    _assert_ours(excinfo)


def test_after_an_integrity_error_the_connection_still_works(ln):
    first = ln.ULabel(name="a").save()
    second = ln.ULabel(name="b")
    second.uid = first.uid
    with pytest.raises(ln.errors.IntegrityError):
        second.save()
    assert ln.ULabel.filter().to_list("name") == ["a"]


def test_foreign_key_violation_becomes_integrity_error(ln):
    with pytest.raises(ln.errors.IntegrityError) as excinfo:
        ln.Run(transform_id=987654).save()
    _assert_ours(excinfo)


def test_deleting_a_protected_record_becomes_integrity_error(ln):
    kind = ln.ULabel(name="Kind", is_type=True).save()
    ln.ULabel(name="member", type=kind).save()
    with pytest.raises(ln.errors.IntegrityError) as excinfo:
        kind.delete(permanent=True)
    _assert_ours(excinfo)


def test_a_bad_regex_becomes_database_error(ln):
    ln.ULabel(name="x").save()
    with pytest.raises(ln.errors.DatabaseError) as excinfo:
        ln.ULabel.filter(name__regex="(unclosed").count()
    _assert_ours(excinfo)


INJECTION = "x'; DROP TABLE ulabel; --"


def test_an_injection_string_matches_literally_and_drops_nothing(ln):
    ln.ULabel(name="safe").save()
    ln.ULabel(name=INJECTION).save()
    assert ln.ULabel.filter(name=INJECTION).to_list("name") == [INJECTION]
    assert ln.ULabel.filter(name__icontains="'; drop").to_list("name") == [INJECTION]
    assert ln.ULabel.filter().count() == 2


@pytest.mark.parametrize(
    "lookup",
    [
        "exact",
        "iexact",
        "contains",
        "icontains",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "regex",
        "gt",
        "lt",
    ],
)
def test_every_lookup_binds_the_value_as_a_parameter(ln, lookup):
    from tests.support.query_count import count_queries

    ln.ULabel(name="safe").save()
    with count_queries() as queries:
        ln.ULabel.filter(**{f"name__{lookup}": INJECTION}).count()
    sql = queries.sql()[0]
    assert "DROP TABLE" not in sql
    assert ln.ULabel.filter().to_list("name") == ["safe"]


def test_search_and_get_bind_values_too(ln):
    ln.ULabel(name="safe").save()
    ln.ULabel.search(INJECTION).to_list()
    with pytest.raises(ln.errors.DoesNotExist):
        ln.ULabel.get(name=INJECTION)
    assert ln.ULabel.filter().to_list("name") == ["safe"]


def test_module_docstring_draws_every_exception_class():
    import inspect

    from lamin_lab import errors

    classes = {n for n in errors.__all__ if inspect.isclass(getattr(errors, n))}
    aliases = {"ObjectDoesNotExist", "MultipleObjectsReturned"}
    assert [
        n
        for n in sorted(classes - aliases)
        if f" {n}" not in errors.__doc__ and not errors.__doc__.count(f"\n    {n}")
    ] == []


def test_unknown_field_raises_field_validation_error_as_lamindb_does(ln):
    import pytest

    with pytest.raises(ln.errors.FieldValidationError, match="has no field 'nme'"):
        ln.ULabel(nme="T cell")

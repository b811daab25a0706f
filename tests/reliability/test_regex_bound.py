"""A catastrophic regular expression is stopped within its time budget (issue #13, 3).

Before the fix ``filter(name__regex="^(a+)+$")`` on SQLite ran Python's ``re`` with no
bound: 1.4 s at 25 characters, minutes at 30.
"""

from __future__ import annotations

import time

import pytest

from lamin_lab.orm import sqlite_regex

EVIL = "^(a|aa)+$"  # exponential in both ``re`` and ``regex`` (``regex`` defuses ``^(a+)+$``)


@pytest.fixture
def budget(monkeypatch):
    monkeypatch.setattr(sqlite_regex, "TIME_LIMIT", 0.5)
    return 0.5


@pytest.fixture
def victim(ln):
    return ln.ULabel(name="a" * 40 + "b").save()


@pytest.fixture
def sqlite_only(ln):
    from lamin_lab.orm.database import dialect

    if dialect() != "sqlite":
        pytest.skip(
            "PostgreSQL runs regexes in its own engine, which answers these patterns at once"
        )


def test_a_catastrophic_regex_stops_within_its_budget_with_a_clear_error(
    ln, victim, budget, sqlite_only
):
    started = time.monotonic()
    with pytest.raises(ln.errors.QueryTimeout, match="Simplify the pattern"):
        ln.ULabel.filter(name__regex=EVIL).count()
    assert time.monotonic() - started < budget + 2


def test_the_instance_answers_normally_after_a_stopped_regex(ln, victim, budget, sqlite_only):
    with pytest.raises(ln.errors.QueryTimeout):
        ln.ULabel.filter(name__regex=EVIL).to_list()
    assert ln.ULabel.filter(name__regex="b$").count() == 1
    assert ln.ULabel.filter(name__startswith="a").count() == 1


def test_the_pattern_from_the_issue_answers_at_once(ln, victim, budget):
    started = time.monotonic()
    assert ln.ULabel.filter(name__regex="^(a+)+$").count() == 0
    assert time.monotonic() - started < budget


def test_ordinary_regexes_match_as_before(ln, budget):
    ln.ULabel(name="T cell").save()
    ln.ULabel(name="B cell").save()
    assert ln.ULabel.filter(name__regex="^T").to_list()[0].name == "T cell"
    assert ln.ULabel.filter(name__iregex="^t").count() == 1


def test_an_invalid_regex_is_a_lamin_lab_error(ln):
    ln.ULabel(name="x").save()
    with pytest.raises(ln.errors.LaminLabError):
        ln.ULabel.filter(name__regex="(").count()

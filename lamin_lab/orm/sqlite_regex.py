"""Bounded regular expressions on SQLite: ``filter(name__regex=...)`` cannot freeze a process.

SQLite has no regex engine of its own; ``REGEXP`` calls back into Python for every row. A
pattern such as ``^(a+)+$`` backtracks exponentially in Python's ``re``, and one call on a
30-character value runs for minutes: a Jupyter server answering that query stops
answering anything. Two bounds make the work finite:

* the ``regex`` engine, which takes a ``timeout`` per match, runs each ``REGEXP`` call
  with what is left of the query's time budget;
* SQLite's progress handler aborts a statement that uses ``REGEXP`` once the budget is
  spent (many rows, each quick, add up too).

Either way the caller gets :class:`~lamin_lab.errors.QueryTimeout`, which says what to do.
``TIME_LIMIT`` (seconds, default 5, or ``LAMIN_LAB_REGEX_TIME_LIMIT``) is the budget.

Examples
--------
>>> import sqlite3
>>> con = sqlite3.connect(":memory:")
>>> install(con)
>>> con.execute("SELECT 'abc' REGEXP '^a'").fetchone()
(1,)
"""

from __future__ import annotations

import os
import re
import threading
import time
from functools import lru_cache
from typing import Any

import peewee

TIME_LIMIT = float(os.environ.get("LAMIN_LAB_REGEX_TIME_LIMIT", "5"))
_PROGRESS_EVERY = 20_000  # SQLite VM instructions between checks: ~1 ms of work


class _Budget(threading.local):
    """The deadline of the regex statement running on this thread (None: no bound)."""

    deadline: float | None = None
    exceeded: bool = False


budget = _Budget()


@lru_cache(maxsize=256)
def _compile(pattern: str) -> Any:
    try:
        import regex  # a backtracking engine with a timeout per match
    except ImportError:  # pragma: no cover - a dependency; keep working without the bound
        return re.compile(pattern)
    try:
        return regex.compile(pattern, flags=regex.VERSION0)
    except regex.error:
        return re.compile(pattern)  # raises re.error: the message users know


def _regexp(pattern: str | None, value: Any) -> bool | None:
    if pattern is None or value is None:
        return None
    compiled = _compile(pattern)
    if budget.deadline is None or isinstance(compiled, re.Pattern):
        return compiled.search(str(value)) is not None
    left = budget.deadline - time.monotonic()
    try:
        if left <= 0:
            raise TimeoutError
        return compiled.search(str(value), timeout=left) is not None
    except TimeoutError:
        budget.exceeded = True
        raise


def _progress() -> int:
    if budget.deadline is not None and time.monotonic() > budget.deadline:
        budget.exceeded = True
        return 1  # non-zero: SQLite interrupts the statement
    return 0


def install(connection: Any) -> None:
    """Register the bounded ``REGEXP`` and the progress handler on a ``sqlite3`` connection."""
    connection.create_function("REGEXP", 2, _regexp, deterministic=True)
    connection.set_progress_handler(_progress, _PROGRESS_EVERY)


def arm(sql: str) -> None:
    """Start the budget for a statement that uses ``REGEXP``; other statements run unbounded."""
    budget.exceeded = False
    budget.deadline = time.monotonic() + TIME_LIMIT if "REGEXP" in sql else None


class BoundedSqliteDatabase(peewee.SqliteDatabase):
    """``peewee.SqliteDatabase`` whose ``REGEXP`` statements run within :data:`TIME_LIMIT`.

    Examples
    --------
    >>> db = BoundedSqliteDatabase(":memory:")
    >>> db.execute_sql("SELECT 'abc' REGEXP 'b'").fetchone()
    (1,)
    """

    def _add_conn_hooks(self, conn: Any) -> None:
        super()._add_conn_hooks(conn)
        install(conn)

    def execute_sql(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        arm(sql)
        return super().execute_sql(sql, *args, **kwargs)


def timeout_message() -> str:
    """What to tell the user when a regex query ran out of time."""
    return (
        f"The regular expression took longer than {TIME_LIMIT:g} s on SQLite and was stopped. "
        "Simplify the pattern (nested repeats such as (a+)+ take exponential time), or use "
        "__contains / __startswith; set LAMIN_LAB_REGEX_TIME_LIMIT for a bigger budget."
    )


__all__ = ["TIME_LIMIT", "BoundedSqliteDatabase", "arm", "budget", "install", "timeout_message"]

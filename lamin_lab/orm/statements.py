"""Counting the SQL statements an operation sends to the database.

On PostgreSQL every statement is a round trip to the server, so the number of statements
a call sends is what its speed rests on there; on SQLite it is still a fixed cost per
statement. The number is deterministic, so tests pin it (``tests/unit/orm/test_round_trips.py``)
and a change that adds a query per record or per call shows up as a failing test, not as
a slower benchmark weeks later.

What counts: every statement handed to the driver through peewee (queries, savepoints)
and the transaction statements peewee sends itself (``BEGIN``, ``COMMIT``, ``ROLLBACK``),
on every database opened while counting, also ones connected inside the block. Not
counted: the ``PRAGMA`` settings peewee applies when it opens a SQLite connection (run
in-process by SQLite, no round trip; PostgreSQL connections get none).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import peewee

_WRAPPED = ("_execute_cursor", "begin", "commit", "rollback")


class StatementLog(list):
    """The statements sent inside a :func:`count_statements` block, in order.

    Each item is the SQL text (``BEGIN``/``COMMIT``/``ROLLBACK`` for transaction control);
    ``len()`` is the count.

    Examples
    --------
    >>> log = StatementLog(["SELECT 1", "BEGIN"])
    >>> log.count, log.queries()
    (2, ['SELECT 1'])
    """

    @property
    def count(self) -> int:
        """How many statements were sent."""
        return len(self)

    def queries(self) -> list[str]:
        """The statements without the transaction control ones."""
        return [sql for sql in self if sql not in ("BEGIN", "COMMIT", "ROLLBACK")]


class _Depth(threading.local):
    # A wrapped method that calls another wrapped one (a subclass's begin() calling the
    # base class's cursor path) must count once: only the outermost call is logged.
    value = 0


def _database_classes() -> list[type]:
    seen: list[type] = []
    todo = [peewee.Database]
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return seen


def _counting(method: Callable[..., Any], name: str, log: StatementLog, depth: _Depth) -> Any:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if depth.value == 0:
            log.append(str(args[0]) if name == "_execute_cursor" else name.upper())
        depth.value += 1
        try:
            return method(self, *args, **kwargs)
        finally:
            depth.value -= 1

    return wrapper


@contextmanager
def count_statements() -> Iterator[StatementLog]:
    """Log every SQL statement sent inside the block; the log's ``count`` is their number.

    Not thread-safe across blocks: use one block at a time (it patches peewee's database
    classes while it runs and puts them back after).

    Examples
    --------
    >>> label = ln.ULabel(name="counted").save()
    >>> with count_statements() as log:
    ...     n = ln.ULabel.filter().count()
    >>> log.count
    1
    """
    log = StatementLog()
    depth = _Depth()
    saved: list[tuple[type, str, Any]] = []
    for cls in _database_classes():
        for name in _WRAPPED:
            method = cls.__dict__.get(name)
            if method is not None:
                saved.append((cls, name, method))
                setattr(cls, name, _counting(method, name, log, depth))
    try:
        yield log
    finally:
        for cls, name, method in saved:
            setattr(cls, name, method)


__all__ = ["StatementLog", "count_statements"]

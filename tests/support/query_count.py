"""Count the SQL statements lamin_lab sends, to pin bulk paths and catch N+1 queries.

Every statement peewee runs goes through ``Database.execute_sql`` of the database the
registries are bound to; :func:`count_queries` wraps that method on the bound database
for the duration of a ``with`` block and records each statement (SQL text and params).

Transaction control (``BEGIN``, ``COMMIT``, ``SAVEPOINT`` ...) is recorded too but kept
apart, so assertions can be about the statements that touch data.

Examples
--------
>>> from tests.support.query_count import count_queries
>>> with count_queries() as queries:  # doctest: +SKIP
...     ln.save(labels)
>>> queries.assert_at_most(25)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END", "PRAGMA")


@dataclass
class QueryLog:
    """Statements seen inside a :func:`count_queries` block."""

    statements: list[tuple[str, Any]] = field(default_factory=list)
    control: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Number of data statements (transaction control not counted)."""
        return len(self.statements)

    @property
    def total(self) -> int:
        """Number of statements including transaction control."""
        return len(self.statements) + len(self.control)

    def __len__(self) -> int:
        return self.count

    def __str__(self) -> str:
        return "\n".join(f"{i + 1}. {s}" for i, s in enumerate(self.sql()))

    def sql(self) -> list[str]:
        """SQL text of the data statements, in order."""
        return [s for s, _ in self.statements]

    def matching(self, word: str) -> list[str]:
        """Data statements whose SQL starts with ``word`` (``"INSERT"``, ``"SELECT"`` ...)."""
        return [s for s in self.sql() if s.lstrip().upper().startswith(word.upper())]

    def assert_at_most(self, n: int, *, with_control: bool = False) -> None:
        """Fail with the statements listed when more than ``n`` were sent.

        Examples
        --------
        >>> QueryLog().assert_at_most(0)
        """
        seen = self.total if with_control else self.count
        if seen > n:
            listing = "\n".join(f"  {s[:200]}" for s in self.sql()[:40])
            raise AssertionError(f"expected at most {n} SQL statements, got {seen}:\n{listing}")


@contextmanager
def count_queries(db: Any = None) -> Iterator[QueryLog]:
    """Record every statement the bound database executes inside the block.

    Parameters
    ----------
    db
        The peewee database to watch; default: the one lamin_lab's registries are
        bound to (connecting the current instance if needed).

    Examples
    --------
    >>> with count_queries() as q:  # doctest: +SKIP
    ...     ln.ULabel.filter().count()
    >>> q.count  # doctest: +SKIP
    1
    """
    if db is None:
        from lamin_lab.orm.database import ensure_connected

        db = ensure_connected()
    log = QueryLog()
    original = db.execute_sql  # the bound method of this database object

    def recording(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        text = sql.lstrip().upper()
        if text.startswith(_CONTROL):
            log.control.append(sql)
        else:
            log.statements.append((sql, params))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = recording  # instance attribute shadows the class method
    try:
        yield log
    finally:
        del db.execute_sql

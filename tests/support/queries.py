"""Count the SQL statements lamin_lab sends to the database (no-N+1 assertions).

Every query of every registry goes through ``execute_sql`` of the one database the
proxy is bound to; :func:`count_queries` wraps that method on the bound database
object for the duration of a ``with`` block and records each statement.

Examples
--------
>>> with count_queries() as queries:  # doctest: +SKIP
...     list(ln.ULabel.filter(name__startswith="T"))
>>> len(queries)  # doctest: +SKIP
1
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lamin_lab.orm.database import ensure_connected

# statements that are bookkeeping of the driver or of transactions, not data queries
_NOT_QUERIES = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


class QueryLog(list):
    """The SQL statements seen inside :func:`count_queries` as ``(sql, params)`` pairs.

    Examples
    --------
    >>> log = QueryLog([("SELECT 1", ())])
    >>> log.sql
    ['SELECT 1']
    """

    @property
    def sql(self) -> list[str]:
        """Only the SQL texts."""
        return [s for s, _ in self]

    def __str__(self) -> str:
        return "\n".join(f"{i + 1}. {s}" for i, s in enumerate(self.sql))


@contextmanager
def count_queries(*, include_transactions: bool = False) -> Iterator[QueryLog]:
    """Record the statements executed inside the block.

    Parameters
    ----------
    include_transactions
        Also record ``BEGIN``/``COMMIT``/``SAVEPOINT``/``PRAGMA`` statements.

    Examples
    --------
    >>> with count_queries() as log:  # doctest: +SKIP
    ...     ln.Artifact.filter().count()
    >>> len(log)  # doctest: +SKIP
    1
    """
    db = ensure_connected()
    log = QueryLog()
    original = db.execute_sql

    def recording(sql: str, params: object = None, *args: object, **kwargs: object):
        if include_transactions or not sql.lstrip().upper().startswith(_NOT_QUERIES):
            log.append((sql, tuple(params or ())))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = recording  # an instance attribute shadows the method
    try:
        yield log
    finally:
        del db.execute_sql

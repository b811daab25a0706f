"""The database every registry is bound to, and the translation of driver errors.

All models use one ``peewee.DatabaseProxy``; ``ln.setup.init``/``connect`` binds it to a
SQLite or PostgreSQL database. Driver exceptions never leave lamin_lab: the two database
classes at the end translate them where they arise (statements, transactions, fetched rows).
"""

from __future__ import annotations

import itertools
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import peewee

from .._services import service
from ..errors import (
    DatabaseError,
    InstanceNotSetupError,
    IntegrityError,
    InvalidArgument,
    LaminLabError,
    QueryTimeout,
)
from . import _peewee, sqlite_regex

database = peewee.DatabaseProxy()


class _State(threading.local):
    """Per-process facts of the connected instance that defaults need (user, run, branch)."""

    def __init__(self) -> None:
        self.user_id: int | None = None
        self.run_id: int | None = None
        self.branch_id: int | None = None  # the tracked run's branch (ln.track(branch=...))
        self.project_id: int | None = None  # ln.track(project=...): what its saves are linked to


state = _State()
_created_tables: set[str] = set()
# Small per-connection facts worth not re-querying (e.g. the default Storage record);
# emptied whenever another database is bound.
connection_cache: dict[str, Any] = {}


def ensure_connected() -> peewee.Database:
    """Return the bound database, connecting the default instance when none is bound yet.

    Examples
    --------
    >>> db = ensure_connected()
    """
    if database.obj is None:
        service("connect_default")()
        if database.obj is None:
            raise InstanceNotSetupError(
                "No instance is connected: call ln.setup.init(storage='./mydata') first."
            )
    return database.obj


def bind(db: peewee.Database | None) -> None:
    """Bind (or unbind with None) the proxy; closes the previous connection."""
    old = database.obj
    if old is not None and old is not db and not old.is_closed():
        old.close()
    database.initialize(db)
    _created_tables.clear()
    connection_cache.clear()
    state.user_id = None
    state.run_id = None
    state.branch_id = None
    state.project_id = None


def push_binding(db: peewee.Database) -> tuple[Any, ...]:
    """Point the proxy at ``db`` for a while, keeping the current connection open.

    The per-connection facts (created tables, cached rows, user, run and branch) are put
    aside and emptied; :func:`pop_binding` with the returned value brings them all back.
    Used to read another instance without switching (:mod:`lamin_lab.orm.instances`).

    Examples
    --------
    >>> saved = push_binding(peewee.SqliteDatabase(":memory:"))
    >>> pop_binding(saved)
    """
    saved = (
        database.obj,
        dict(connection_cache),
        set(_created_tables),
        (state.user_id, state.run_id, state.branch_id, state.project_id),
    )
    database.initialize(db)
    connection_cache.clear()
    _created_tables.clear()
    state.user_id = state.run_id = state.branch_id = state.project_id = None
    return saved


def pop_binding(saved: tuple[Any, ...]) -> None:
    """Undo :func:`push_binding`: the previous connection and its facts are back."""
    obj, cache, tables, (user_id, run_id, branch_id, project_id) = saved
    database.initialize(obj)
    connection_cache.clear()
    connection_cache.update(cache)
    _created_tables.clear()
    _created_tables.update(tables)
    state.user_id, state.run_id, state.branch_id = user_id, run_id, branch_id
    state.project_id = project_id


def ensure_table(model: type[peewee.Model]) -> None:
    """Create the table of a registry on first use (for registries defined by users)."""
    name = model._meta.table_name
    if name in _created_tables:
        return
    model.create_table(safe=True)
    _created_tables.add(name)


def mark_tables_created(names: list[str]) -> None:
    """Record tables known to exist so :func:`ensure_table` skips them."""
    _created_tables.update(names)


_UNIQUE_RE = re.compile(
    r"UNIQUE constraint failed: (?P<cols>[\w., ]+)|duplicate key value violates unique constraint"
)
# SQLite: "UNIQUE constraint failed: ulabel.name"; PostgreSQL: DETAIL "Key (name)=(T cell)"
_SQLITE_COLUMN_RE = re.compile(r"constraint failed: (?P<table>\w+)\.(?P<field>\w+)")
_PG_KEY_RE = re.compile(r"Key \((?P<field>[^)]+)\)=\((?P<value>.*)\) ")
_PG_TABLE_RE = re.compile(r'(?:on table|relation) "(?P<table>\w+)"')


def _refused(e: Exception) -> dict[str, str | None]:
    """``registry``, ``field`` and ``value`` of a refused statement, as far as the driver says."""
    text = str(e)
    found: dict[str, str | None] = {"registry": None, "field": None, "value": None}
    sqlite = _SQLITE_COLUMN_RE.search(text)
    if sqlite:
        found.update(registry=sqlite["table"], field=sqlite["field"])
    pg = _PG_KEY_RE.search(text)
    if pg:
        found.update(field=pg["field"], value=pg["value"])
    table = _PG_TABLE_RE.search(text)
    if table:
        found["registry"] = table["table"]
    diag = getattr(getattr(e, "orig", None) or e.__cause__ or e.__context__, "diag", None)
    if diag is not None and getattr(diag, "table_name", None):  # psycopg2 knows it exactly
        found["registry"] = diag.table_name
    return found


def _integrity_message(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    if _UNIQUE_RE.search(str(e)):
        return (
            f"A record with the same unique value already exists ({text}). "
            "Query it with .get(...) or .filter(...) instead of creating it again."
        )
    if "FOREIGN KEY" in str(e).upper():
        return (
            f"A related record is missing or still referenced ({text}). "
            "Save related records first, or delete the records that point to this one."
        )
    return f"The database rejected the change ({text}). Check the values you passed."


def translated(e: BaseException) -> LaminLabError | None:
    """The lamin_lab error a driver or peewee exception stands for (None: not a database error).

    Examples
    --------
    >>> type(translated(peewee.OperationalError("disk I/O error"))).__name__
    'DatabaseError'
    >>> translated(KeyError("x")) is None
    True
    """
    if isinstance(e, LaminLabError):
        return None
    if isinstance(e, peewee.IntegrityError):
        error: LaminLabError = IntegrityError(_integrity_message(e), **_refused(e))
        error.__cause__ = e
        return error
    if isinstance(e, OverflowError):  # the driver could not bind an integer
        return InvalidArgument(
            "A number is too large for the database: integers must fit in 64 bits (below 2**63). Pass a smaller value."
        )
    if isinstance(e, UnicodeError):  # lone surrogates, undecodable bytes
        return InvalidArgument(
            f"A text value is not valid Unicode ({getattr(e, 'reason', e)} at position {getattr(e, 'start', '?')}): "
            "pass str without lone surrogates, and decode bytes first (value.decode('utf-8'))."
        )
    if isinstance(e, ValueError) and "NUL" in str(e):
        return InvalidArgument(
            "A text value contains a NUL character (\\x00), which PostgreSQL cannot store: remove it, "
            "e.g. value.replace('\\x00', '')."
        )
    if (
        isinstance(e, peewee.OperationalError | sqlite3.OperationalError)
        and sqlite_regex.budget.exceeded
    ):
        sqlite_regex.budget.exceeded = False
        return QueryTimeout(sqlite_regex.timeout_message())
    if isinstance(e, peewee.PeeweeException | sqlite3.Error) or type(e).__module__.startswith(
        "psycopg2"
    ):
        error = DatabaseError(
            f"Database error: {e}. If this persists, check the instance with ln.setup.settings."
        )
        error.__cause__ = e
        return error
    return None


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise peewee/sqlite3/psycopg2 errors as lamin_lab errors.

    The database classes below already translate every statement, commit and fetched row;
    this is for the few places that hold a connection object of their own.

    Examples
    --------
    >>> try:
    ...     with translate_errors():
    ...         raise peewee.OperationalError("database is locked")
    ... except DatabaseError as e:
    ...     print(type(e).__name__)
    DatabaseError
    """
    try:
        yield
    except Exception as e:
        error = translated(e)
        if error is None:
            raise
        raise error from error.__cause__


@contextmanager
def atomic() -> Iterator[Any]:
    """A transaction (or savepoint when nested) with translated errors.

    Examples
    --------
    >>> with atomic():  # doctest: +SKIP
    ...     a.save(); b.save()
    """
    with ensure_connected().atomic() as txn:  # begin, commit and rollback translate their errors
        yield txn


_serials = itertools.count(1)


def connection_serial(db: peewee.Database) -> int:
    """A number naming one connection object for process-wide caches, never reused.

    Caches keyed by ``id(db)`` go wrong: after a disconnect, a new connection object often
    gets the freed address while the file changed in between (restored from a copy, deleted
    and initialised again), so what was cached for the old one must not be found again.

    Examples
    --------
    >>> db = peewee.SqliteDatabase(":memory:")
    >>> connection_serial(db) == connection_serial(db)
    True
    >>> connection_serial(db) == connection_serial(peewee.SqliteDatabase(":memory:"))
    False
    """
    serial = db.__dict__.get("_lamin_cache_serial")
    if serial is None:
        serial = db._lamin_cache_serial = next(_serials)
    return serial


def dialect() -> str:
    """``"sqlite"`` or ``"postgresql"`` for the bound database."""
    db = ensure_connected()
    return "postgresql" if isinstance(db, peewee.PostgresqlDatabase) else "sqlite"


def _raise_translated(e: Exception) -> NoReturn:
    error = translated(e)
    if error is None:
        raise e
    raise error from error.__cause__


class _TranslatingCursor:
    """A driver cursor whose fetches translate errors (SQLite runs a query while rows are read)."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except Exception as e:
            _raise_translated(e)

    def fetchmany(self, *args: Any) -> list[Any]:
        try:
            return self._cursor.fetchmany(*args)
        except Exception as e:
            _raise_translated(e)

    def fetchall(self) -> list[Any]:
        try:
            return self._cursor.fetchall()
        except Exception as e:
            _raise_translated(e)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchone, None)

    def __getattr__(self, name: str) -> Any:  # description, rowcount, lastrowid, close, ...
        return getattr(self._cursor, name)


class _TranslatesErrors:
    """Every driver error leaves as a lamin_lab error: the one place errors are translated.

    Mixed into the two database classes lamin_lab opens: statements (``execute`` of a peewee
    query, where values are bound, and ``execute_sql``, so every query, save, migration and
    raw SQL), transactions (``begin``/``commit``/``rollback``, where
    deferred constraints and locks fail), connecting, and every row fetched from a cursor.
    Code above the orm never wraps its calls.
    """

    def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        try:
            return _TranslatingCursor(super().execute_sql(sql, params, *args, **kwargs))
        except Exception as e:
            _raise_translated(e)

    def execute(
        self, query: Any, **context_options: Any
    ) -> Any:  # peewee builds the SQL and binds values here
        try:
            return super().execute(query, **context_options)
        except Exception as e:
            _raise_translated(e)

    def connect(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().connect(*args, **kwargs)
        except Exception as e:
            _raise_translated(e)

    def begin(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().begin(*args, **kwargs)
        except Exception as e:
            _raise_translated(e)

    def commit(self) -> Any:
        try:
            return super().commit()
        except Exception as e:
            _raise_translated(e)

    def rollback(self) -> Any:
        try:
            return super().rollback()
        except Exception as e:
            _raise_translated(e)


class SqliteDatabase(_TranslatesErrors, sqlite_regex.BoundedSqliteDatabase):
    """The SQLite database of an instance: regexes within their time budget, errors translated.

    Examples
    --------
    >>> db = SqliteDatabase(":memory:")
    >>> try:
    ...     db.execute_sql("SELECT * FROM missing")
    ... except DatabaseError as e:
    ...     print(type(e).__name__)
    DatabaseError
    """


class PostgresqlDatabase(_TranslatesErrors, _peewee.PostgresqlDatabase):
    """The PostgreSQL database of an instance: psycopg2 loaded on open, errors translated.

    Examples
    --------
    >>> db = PostgresqlDatabase("postgresql://postgres@127.0.0.1:5432/test")  # doctest: +SKIP
    """

"""The database every registry is bound to, and the translation of driver errors.

All models use one ``peewee.DatabaseProxy``; ``ln.setup.init``/``connect`` binds it to a
SQLite or PostgreSQL database. Driver exceptions never leave lamin_lab: every database
call runs inside :func:`translate_errors`.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
        (state.user_id, state.run_id, state.branch_id),
    )
    database.initialize(db)
    connection_cache.clear()
    _created_tables.clear()
    state.user_id = state.run_id = state.branch_id = None
    return saved


def pop_binding(saved: tuple[Any, ...]) -> None:
    """Undo :func:`push_binding`: the previous connection and its facts are back."""
    obj, cache, tables, (user_id, run_id, branch_id) = saved
    database.initialize(obj)
    connection_cache.clear()
    connection_cache.update(cache)
    _created_tables.clear()
    _created_tables.update(tables)
    state.user_id, state.run_id, state.branch_id = user_id, run_id, branch_id


def ensure_table(model: type[peewee.Model]) -> None:
    """Create the table of a registry on first use (for registries defined by users)."""
    name = model._meta.table_name
    if name in _created_tables:
        return
    with translate_errors():
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


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise peewee/sqlite3/psycopg2 errors as lamin_lab errors.

    Examples
    --------
    >>> with translate_errors():  # doctest: +SKIP
    ...     Model.create(...)
    """
    try:
        yield
    except peewee.IntegrityError as e:
        raise IntegrityError(_integrity_message(e), **_refused(e)) from e
    except LaminLabError:
        raise
    except OverflowError:  # the driver could not bind an integer
        raise InvalidArgument(
            "A number is too large for the database: integers must fit in 64 bits (below 2**63). Pass a smaller value."
        ) from None
    except UnicodeError as e:  # lone surrogates, undecodable bytes
        raise InvalidArgument(
            f"A text value is not valid Unicode ({e.reason} at position {e.start}): pass str without lone "
            "surrogates, and decode bytes first (value.decode('utf-8'))."
        ) from None
    except ValueError as e:
        if "NUL" not in str(e):
            raise
        raise InvalidArgument(
            "A text value contains a NUL character (\\x00), which PostgreSQL cannot store: remove it, "
            "e.g. value.replace('\\x00', '')."
        ) from None
    except peewee.OperationalError as e:
        if sqlite_regex.budget.exceeded:
            sqlite_regex.budget.exceeded = False
            raise QueryTimeout(sqlite_regex.timeout_message()) from None
        raise DatabaseError(
            f"Database error: {e}. If this persists, check the instance with ln.setup.settings."
        ) from e
    except peewee.PeeweeException as e:  # OperationalError, ProgrammingError, DataError, ...
        raise DatabaseError(
            f"Database error: {e}. If this persists, check the instance with ln.setup.settings."
        ) from e


@contextmanager
def atomic() -> Iterator[Any]:
    """A transaction (or savepoint when nested) with translated errors.

    Examples
    --------
    >>> with atomic():  # doctest: +SKIP
    ...     a.save(); b.save()
    """
    db = ensure_connected()
    with translate_errors():
        with db.atomic() as txn:
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


class _TranslatesErrors:
    """Every statement's driver error leaves as a lamin_lab error (see :func:`translate_errors`).

    Mixed into the two database classes lamin_lab opens, so a raw ``execute_sql`` (lineage,
    search, migrations, a user's own query) never lets a peewee, sqlite3 or psycopg2
    exception escape, whoever forgot ``with translate_errors():``.
    """

    def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        with translate_errors():
            return super().execute_sql(sql, params, *args, **kwargs)


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

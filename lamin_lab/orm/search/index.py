"""Search indexes: SQLite FTS5 trigram tables and PostgreSQL pg_trgm GIN indexes.

An index only finds *candidates* fast (rows containing a substring); ranking happens in
:mod:`lamin_lab.orm.search.scoring`. Each indexed table also gets a row in
``_lamin_search_version`` whose counter triggers bump on every write, so caches of a
table's values (the fuzzy fallback) know cheaply when they are stale.

Where an index cannot be built (SQLite older than 3.34 or without FTS5, a non-integer
primary key, PostgreSQL without the ``pg_trgm`` extension or the right to create it),
:func:`ensure_index` records ``kind="none"`` and search falls back to plain scans.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import peewee

from ...errors import DatabaseError, InstanceNotSetupError, InvalidArgument
from ..database import connection_serial

VERSION_TABLE = "_lamin_search_version"
_INTEGER_KEYS = (peewee.AutoField, peewee.BigAutoField, peewee.IntegerField, peewee.BigIntegerField)
_lock = threading.Lock()
_infos: dict[tuple, IndexInfo] = {}
_trigram_support: list[bool] = []
_failed: set[tuple] = (
    set()
)  # (table key, columns) whose index could not be built: don't retry each call


@dataclass(frozen=True)
class IndexInfo:
    """What exists to speed up searches of one table.

    Attributes
    ----------
    kind
        ``"fts5"`` (SQLite trigram table), ``"pg_trgm"`` (PostgreSQL GIN indexes) or ``"none"``.
    columns
        The indexed column names.
    versioned
        Whether triggers keep a change counter in ``_lamin_search_version``.
    """

    kind: str
    columns: tuple[str, ...] = ()
    versioned: bool = False


def quote(name: str) -> str:
    """Quote an SQL identifier (same syntax on SQLite and PostgreSQL).

    Examples
    --------
    >>> quote('we"ird')
    '"we""ird"'
    """
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Quote an SQL string literal; only used for our own identifiers inside trigger bodies."""
    return "'" + text.replace("'", "''") + "'"


def database_of(model: type[peewee.Model]) -> peewee.Database:
    """The concrete database behind a model (resolving a ``DatabaseProxy``).

    Examples
    --------
    >>> database_of(Label)  # doctest: +SKIP
    <peewee.SqliteDatabase ...>
    """
    db = model._meta.database
    if isinstance(db, peewee.DatabaseProxy):
        db = db.obj
    if db is None:
        raise InstanceNotSetupError(
            f"{model.__name__} is not bound to a database: connect an instance (ln.setup.init) before searching."
        )
    return db


def is_postgres(db: peewee.Database) -> bool:
    """True for a PostgreSQL database."""
    return isinstance(db, peewee.PostgresqlDatabase)


def column_names(model: type[peewee.Model], fields: list[str]) -> list[str]:
    """Validate field names and return their column names, in the same order.

    Examples
    --------
    >>> column_names(Label, ["name"])  # doctest: +SKIP
    ['name']
    """
    if not fields:
        raise InvalidArgument(
            "No fields to search: pass at least one text field name, e.g. fields=['name']."
        )
    columns = []
    for name in fields:
        field = model._meta.fields.get(name)
        if field is None:
            known = ", ".join(sorted(model._meta.fields))
            raise InvalidArgument(f"{model.__name__} has no field {name!r}: choose among {known}.")
        columns.append(field.column_name)
    return columns


def cache_key(db: peewee.Database, model: type[peewee.Model]) -> tuple:
    """Key identifying one table of one connection object in process-wide caches.

    Examples
    --------
    >>> db = peewee.SqliteDatabase(":memory:")
    >>> class Label(peewee.Model):
    ...     class Meta:
    ...         database = db
    >>> cache_key(db, Label) == cache_key(peewee.SqliteDatabase(":memory:"), Label)
    False
    """
    return (connection_serial(db), str(db.database), model._meta.schema, model._meta.table_name)


def table_ref(model: type[peewee.Model]) -> str:
    """The quoted, schema-qualified table name."""
    schema = model._meta.schema
    table = quote(model._meta.table_name)
    return f"{quote(schema)}.{table}" if schema else table


def fts_name(model: type[peewee.Model]) -> str:
    """Name of the FTS5 table that indexes a model's table."""
    return f"{model._meta.table_name}__search"


def sqlite_supports_trigram() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (SQLite ≥ 3.34).

    Examples
    --------
    >>> isinstance(sqlite_supports_trigram(), bool)
    True
    """
    if not _trigram_support:
        ok = sqlite3.sqlite_version_info >= (3, 34, 0)
        if ok:
            try:
                probe = sqlite3.connect(":memory:")
                probe.execute("CREATE VIRTUAL TABLE probe USING fts5(a, tokenize='trigram')")
                probe.close()
            except sqlite3.Error:
                ok = False
        _trigram_support.append(ok)
    return _trigram_support[0]


def execute(db: peewee.Database, sql: str, params: list | tuple | None = None) -> list[tuple]:
    """Run one statement with bound parameters; driver errors become :class:`DatabaseError`."""
    try:
        cursor = db.execute_sql(sql, params or ())
        return cursor.fetchall() if cursor.description else []
    except (peewee.PeeweeException, DatabaseError) as e:
        raise DatabaseError(
            f"Search query failed: {e}. Check that the table exists and the instance is reachable."
        ) from e


def _detect_sqlite(db: peewee.Database, model: type[peewee.Model]) -> IndexInfo:
    name = fts_name(model)
    if not execute(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]):
        return IndexInfo("none")
    columns = tuple(row[1] for row in execute(db, f"PRAGMA table_info({quote(name)})"))
    versioned = bool(execute(db, "SELECT 1 FROM sqlite_master WHERE name = ?", [VERSION_TABLE]))
    return IndexInfo("fts5", columns, versioned)


def _detect_postgres(db: peewee.Database, model: type[peewee.Model]) -> IndexInfo:
    table = model._meta.table_name
    rows = execute(
        db,
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
        [table, "%trgm"],
    )
    if not rows:
        return IndexInfo("none")
    prefix = f"{table}__"
    columns = tuple(r[0][len(prefix) : -len("__trgm")] for r in rows if r[0].startswith(prefix))
    versioned = bool(execute(db, "SELECT to_regclass(%s) IS NOT NULL", [VERSION_TABLE])[0][0])
    return IndexInfo("pg_trgm", columns, versioned)


def index_info(model: type[peewee.Model]) -> IndexInfo:
    """What index exists for a model's table (cached per process; cheap).

    Examples
    --------
    >>> index_info(Label).kind  # doctest: +SKIP
    'fts5'
    """
    db = database_of(model)
    key = cache_key(db, model)
    info = _infos.get(key)
    if info is None:
        info = _detect_postgres(db, model) if is_postgres(db) else _detect_sqlite(db, model)
        _infos[key] = info
    return info


def forget(model: type[peewee.Model]) -> None:
    """Drop the cached :class:`IndexInfo` of a table (after dropping or rebuilding it)."""
    _infos.pop(cache_key(database_of(model), model), None)


def ensure_index(model: type[peewee.Model], fields: list[str]) -> IndexInfo:
    """Create (once) the index over ``fields`` and return what exists afterwards.

    Examples
    --------
    >>> ensure_index(Label, ["name", "synonyms"]).kind  # doctest: +SKIP
    'fts5'
    """
    db = database_of(model)
    wanted = column_names(model, fields)
    with _lock:
        info = index_info(model)
        if info.kind != "none" and set(wanted) <= set(info.columns):
            return info
        attempt = (cache_key(db, model), tuple(wanted))
        if attempt in _failed:
            return info
        if info.kind == "fts5" or info.kind == "none" and not is_postgres(db):
            columns = list(info.columns) + [c for c in wanted if c not in info.columns]
            info = _build_sqlite(db, model, columns)
        else:
            info = _build_postgres(db, model, wanted)
        _infos[cache_key(db, model)] = info
        if info.kind == "none":
            _failed.add(attempt)
        return info


def _ensure_version_row(db: peewee.Database, model: type[peewee.Model], postgres: bool) -> None:
    execute(
        db,
        f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (table_name TEXT PRIMARY KEY, version BIGINT NOT NULL)",
    )
    param = "%s" if postgres else "?"
    execute(
        db,
        f"INSERT INTO {VERSION_TABLE} (table_name, version) VALUES ({param}, 0) ON CONFLICT (table_name) DO NOTHING",
        [model._meta.table_name],
    )


def _sqlite_trigger_sql(model: type[peewee.Model], columns: list[str]) -> list[str]:
    fts, table = quote(fts_name(model)), table_ref(model)
    pk = quote(model._meta.primary_key.column_name)
    cols = ", ".join(quote(c) for c in columns)
    new = ", ".join(f"new.{quote(c)}" for c in columns)
    old = ", ".join(f"old.{quote(c)}" for c in columns)
    bump = f"UPDATE {VERSION_TABLE} SET version = version + 1 WHERE table_name = {literal(model._meta.table_name)};"
    add = f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.{pk}, {new});"
    remove = f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.{pk}, {old});"
    base = fts_name(model)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {quote(base + '_ai')} AFTER INSERT ON {table} BEGIN {add} {bump} END",
        f"CREATE TRIGGER IF NOT EXISTS {quote(base + '_ad')} AFTER DELETE ON {table} BEGIN {remove} {bump} END",
        # Only updates of indexed columns (or the key) touch the index: other edits stay cheap.
        f"CREATE TRIGGER IF NOT EXISTS {quote(base + '_au')} AFTER UPDATE OF {cols}, {pk} ON {table} "
        f"BEGIN {remove} {add} {bump} END",
    ]


def vocab_name(model: type[peewee.Model]) -> str:
    """Name of the fts5vocab table listing the trigrams of a model's FTS table (query planning)."""
    return f"{fts_name(model)}_vocab"


def _drop_sqlite(db: peewee.Database, model: type[peewee.Model]) -> None:
    base = fts_name(model)
    execute(db, f"DROP TABLE IF EXISTS {quote(vocab_name(model))}")
    for suffix in ("_ai", "_ad", "_au"):
        execute(db, f"DROP TRIGGER IF EXISTS {quote(base + suffix)}")
    execute(db, f"DROP TABLE IF EXISTS {quote(base)}")


def _build_sqlite(db: peewee.Database, model: type[peewee.Model], columns: list[str]) -> IndexInfo:
    pk = model._meta.primary_key
    if not sqlite_supports_trigram() or not isinstance(pk, _INTEGER_KEYS) or model._meta.schema:
        return IndexInfo("none")
    table = model._meta.table_name
    cols = ", ".join(quote(c) for c in columns)
    with db.atomic():
        _drop_sqlite(db, model)
        _ensure_version_row(db, model, postgres=False)
        execute(
            db,
            f"CREATE VIRTUAL TABLE {quote(fts_name(model))} USING fts5({cols}, "
            f"content={literal(table)}, content_rowid={literal(pk.column_name)}, tokenize='trigram')",
        )
        for statement in _sqlite_trigger_sql(model, columns):
            execute(db, statement)
        execute(
            db,
            f"INSERT INTO {quote(fts_name(model))} ({quote(fts_name(model))}) VALUES ('rebuild')",
        )
        execute(
            db,
            f"CREATE VIRTUAL TABLE {quote(vocab_name(model))} USING fts5vocab({quote(fts_name(model))}, 'row')",
        )
        for column in columns:
            # lower(col) indexes serve exact and prefix lookups (short queries, very common ones).
            index = quote(f"{table}__{column}__lower")
            execute(
                db, f"CREATE INDEX IF NOT EXISTS {index} ON {quote(table)} (lower({quote(column)}))"
            )
    return IndexInfo("fts5", tuple(columns), True)


def _build_postgres(
    db: peewee.Database, model: type[peewee.Model], columns: list[str]
) -> IndexInfo:
    try:
        with (
            db.atomic()
        ):  # a savepoint: a refused CREATE EXTENSION must not abort the caller's transaction
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except (peewee.PeeweeException, DatabaseError):
        return IndexInfo("none")
    table, name = table_ref(model), model._meta.table_name
    existing = index_info(model).columns
    columns = list(existing) + [c for c in columns if c not in existing]
    try:
        with db.atomic():
            for column in columns:
                index = quote(f"{name}__{column}__trgm")
                execute(
                    db,
                    f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (lower({quote(column)}) gin_trgm_ops)",
                )
                # A btree for exact values and prefixes (text_pattern_ops: LIKE 'abc%' under any collation).
                index = quote(f"{name}__{column}__lower")
                execute(
                    db,
                    f"CREATE INDEX IF NOT EXISTS {index} ON {table} (lower({quote(column)}) text_pattern_ops)",
                )
            _ensure_version_row(db, model, postgres=True)
            execute(
                db,
                "CREATE OR REPLACE FUNCTION _lamin_search_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN "
                f"UPDATE {VERSION_TABLE} SET version = version + 1 WHERE table_name = TG_TABLE_NAME; "
                "RETURN NULL; END $fn$",
            )
            execute(
                db,
                f"CREATE OR REPLACE TRIGGER {quote(name + '__search_version')} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION _lamin_search_bump()",
            )
    except DatabaseError:
        return IndexInfo("none")
    execute(db, f"ANALYZE {table}")  # fresh statistics, or the planner ignores the new indexes
    return IndexInfo("pg_trgm", tuple(columns), True)


def table_version(model: type[peewee.Model]) -> tuple:
    """A cheap value that changes whenever the table's rows change.

    With an index, the trigger-maintained counter (exact: inserts, updates, deletes, from
    any connection); without one, ``(max(pk), count(*))`` (misses in-place updates).

    Examples
    --------
    >>> table_version(Label)  # doctest: +SKIP
    ('v', 12)
    """
    db = database_of(model)
    if index_info(model).versioned:
        param = "%s" if is_postgres(db) else "?"
        rows = execute(
            db,
            f"SELECT version FROM {VERSION_TABLE} WHERE table_name = {param}",
            [model._meta.table_name],
        )
        if rows:
            return ("v", rows[0][0])
    pk = quote(model._meta.primary_key.column_name)
    return ("n",) + tuple(execute(db, f"SELECT max({pk}), count(*) FROM {table_ref(model)}")[0])

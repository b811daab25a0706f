"""Create, check and upgrade the database schema of an instance.

The database records the schema version it was written with in ``lamin_lab_meta``.
A newer package upgrades an older database in place (the migrations below, each in one
transaction); an older package refuses a newer database.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee

from ..errors import SchemaVersionError
from .._services import service
from ..orm import REGISTRY
from ..orm.database import mark_tables_created

SCHEMA_VERSION = 8


class _Meta(peewee.Model):
    key = peewee.CharField(primary_key=True)
    value = peewee.TextField()

    class Meta:
        table_name = "lamin_lab_meta"


def read_schema_version(db: peewee.Database) -> int | None:
    """The schema version stored in the database, None for an empty database."""
    with db.bind_ctx([_Meta]):
        if not _Meta.table_exists():
            return None
        row = _Meta.get_or_none(_Meta.key == "schema_version")
        return None if row is None else int(row.value)


def _up_to_date(db: peewee.Database, models: list[type]) -> bool:
    """True when the database has every table and this package's schema version.

    Reconnecting to an up-to-date database is the common case: it costs two statements
    (the table list, the version row), not a transaction with DDL. On PostgreSQL each
    statement is a round trip to the server.
    """
    tables = set(db.get_tables())
    if _Meta._meta.table_name not in tables:
        return False
    if any(m._meta.table_name not in tables for m in models):
        return False
    # plain SQL: building the peewee query (and binding _Meta) costs more than running it
    row = db.execute_sql(
        f'SELECT "value" FROM "{_Meta._meta.table_name}" WHERE "key" = {db.param}',
        ["schema_version"],
    ).fetchone()
    return row is not None and int(row[0]) == SCHEMA_VERSION


def _write_version(db: peewee.Database, version: int) -> None:
    with db.bind_ctx([_Meta]):
        _Meta.insert(
            key="schema_version", value=str(version)
        ).on_conflict_replace().execute() if isinstance(
            db, peewee.SqliteDatabase
        ) else _Meta.insert(key="schema_version", value=str(version)).on_conflict(
            conflict_target=[_Meta.key], update={_Meta.value: str(version)}
        ).execute()


def concrete_models() -> list[type]:
    """Every registry class that has a table (link tables included).

    Asked of the models layer: a process may connect before any registry was used, and
    ``import lamin_lab`` defines none.
    """
    return service("registries")()


def _create_tables(db: peewee.Database, models: list[type]) -> None:
    """CREATE TABLE/INDEX IF NOT EXISTS for every model.

    On PostgreSQL the ~500 DDL statements go to the server as one batch: one round trip
    instead of 500 cut ``ln.setup.init`` from ~8 s to well under a second there.
    """
    if not isinstance(db, peewee.PostgresqlDatabase):
        db.create_tables(models, safe=True)
        return
    statements = []
    for model in peewee.sort_models(models):
        for ctx in [
            model._schema._create_table(safe=True),
            *model._schema._create_indexes(safe=True),
        ]:
            sql, params = ctx.query()
            if params:  # not expected for DDL; keep it correct if a model ever needs it
                db.execute_sql(sql, params)
            else:
                statements.append(sql)
    if statements:
        db.execute_sql(";\n".join(statements))


#: columns that prefix filters hit (``uid__startswith``, a record's version family, key
#: folders): PostgreSQL's LIKE cannot use a plain B-tree index unless the collation is
#: "C", so on PostgreSQL each indexed one also gets a ``varchar_pattern_ops`` index
#: (Django gives LaminDB's columns the same ``_like`` indexes)
PREFIX_COLUMNS = ("uid", "key")


def _pattern_index_statements(models: list[type]) -> list[str]:
    """PostgreSQL ``varchar_pattern_ops`` indexes of the :data:`PREFIX_COLUMNS` of ``models``."""
    out = []
    for model in models:
        table = model._meta.table_name
        for name in PREFIX_COLUMNS:
            field = model._meta.fields.get(name)
            if isinstance(field, peewee.CharField) and (field.index or field.unique):
                column = field.column_name
                out.append(
                    f'CREATE INDEX IF NOT EXISTS "{table}_{column}_like" ON "{table}" ("{column}" varchar_pattern_ops)'
                )
    return out


def _index_statements(db: peewee.Database, models: list[type]) -> list[str]:
    """``CREATE INDEX IF NOT EXISTS`` for every index of ``models`` (DDL has no parameters)."""
    statements = [
        ctx.query()[0] for model in models for ctx in model._schema._create_indexes(safe=True)
    ]
    if isinstance(db, peewee.PostgresqlDatabase):
        statements += _pattern_index_statements(models)
    return statements


def create_missing_indexes(db: peewee.Database) -> None:
    """Create the indexes of existing tables that a database made by an older package lacks.

    Safe to run again: every statement is ``CREATE INDEX IF NOT EXISTS``.

    Examples
    --------
    >>> create_missing_indexes(db)  # doctest: +SKIP
    """
    existing = set(db.get_tables())
    statements = _index_statements(
        db, [m for m in concrete_models() if m._meta.table_name in existing]
    )
    if isinstance(db, peewee.PostgresqlDatabase):
        if statements:
            db.execute_sql(";\n".join(statements))
        return
    for sql in statements:
        db.execute_sql(sql)


def add_created_on_columns(db: peewee.Database) -> None:
    """Add ``created_on_id`` to the tables of registries with a branch that lack it.

    Existing rows get the branch they are on, or main (1) when they sit in the trash or
    the archive: they were made on main before they moved. Safe to run again: a table
    that has the column is left alone.

    Examples
    --------
    >>> add_created_on_columns(db)  # doctest: +SKIP
    """
    existing = set(db.get_tables())
    for model in concrete_models():
        table = model._meta.table_name
        if "created_on_id" not in model._meta.columns or table not in existing:
            continue
        if "created_on_id" in {c.name for c in db.get_columns(table)}:
            continue
        db.execute_sql(
            f'ALTER TABLE "{table}" ADD COLUMN "created_on_id" INTEGER NOT NULL DEFAULT 1'
        )
        db.execute_sql(f'UPDATE "{table}" SET "created_on_id" = "branch_id" WHERE "branch_id" > 1')


def add_schema_flexible_suffix_columns(db: peewee.Database) -> None:
    """Add ``flexible`` and ``suffix`` to the ``schema`` table of an older database.

    Existing schemas become flexible when they have no fixed features (``n < 0``), as
    LaminDB's default has it, and keep no required suffix. Safe to run again: a column
    that exists is left alone.

    Examples
    --------
    >>> add_schema_flexible_suffix_columns(db)  # doctest: +SKIP
    """
    if "schema" not in set(db.get_tables()):
        return
    present = {c.name for c in db.get_columns("schema")}
    if "flexible" not in present:
        db.execute_sql('ALTER TABLE "schema" ADD COLUMN "flexible" BOOLEAN')
        db.execute_sql('UPDATE "schema" SET "flexible" = ("n" < 0)')
    if "suffix" not in present:
        db.execute_sql('ALTER TABLE "schema" ADD COLUMN "suffix" VARCHAR(30)')
        db.execute_sql('CREATE INDEX IF NOT EXISTS "schema_suffix" ON "schema" ("suffix")')


def add_branch_status_column(db: peewee.Database) -> None:
    """Add the ``_status_code`` of branches (LaminDB's change-request status; 0 standalone).

    Safe to run again: a branch table that has the column is left alone.

    Examples
    --------
    >>> add_branch_status_column(db)  # doctest: +SKIP
    """
    if "branch" not in set(db.get_tables()):
        return
    if "_status_code" in {c.name for c in db.get_columns("branch")}:
        return
    db.execute_sql('ALTER TABLE "branch" ADD COLUMN "_status_code" SMALLINT NOT NULL DEFAULT 0')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "branch__status_code" ON "branch" ("_status_code")')


#: link tables added in schema 6 (LaminDB's ``Artifact.recreating_runs`` and ``Collection.recreating_runs``)
RECREATING_RUN_TABLES = ("ArtifactRecreatingRun", "CollectionRecreatingRun")


def add_recreating_run_tables(db: peewee.Database) -> None:
    """Create the link tables of the runs that made an existing artifact or collection again.

    Existing artifacts and collections start with no recreating runs (an older package
    never recorded them). Safe to run again: a table that exists is left alone.

    Examples
    --------
    >>> add_recreating_run_tables(db)  # doctest: +SKIP
    """
    db.create_tables([REGISTRY[name] for name in RECREATING_RUN_TABLES], safe=True)


def add_artifact_aux_column(db: peewee.Database) -> None:
    """Add LaminDB's ``_aux`` (private flags as JSON text, e.g. ``{"so": 1}``) to ``artifact``.

    Existing artifacts get None (no flag). Safe to run again: a table that has the column
    is left alone.

    Examples
    --------
    >>> add_artifact_aux_column(db)  # doctest: +SKIP
    """
    if "artifact" not in set(db.get_tables()):
        return
    if "_aux" in {c.name for c in db.get_columns("artifact")}:
        return
    db.execute_sql('ALTER TABLE "artifact" ADD COLUMN "_aux" TEXT')


def add_real_key_and_run_status_code(db: peewee.Database) -> None:
    """LaminDB's column names: ``artifact._real_key`` added, ``run.status_code`` → ``_status_code``.

    Existing artifacts get no real key (a file inside a storage root given another key was
    copied before). The run codes become LaminDB's: an unfinished run stored as 0 was
    "started" (-1 now; 0 means completed); the other codes are the same. Safe to run again.

    Examples
    --------
    >>> add_real_key_and_run_status_code(db)  # doctest: +SKIP
    """
    tables = set(db.get_tables())
    if "artifact" in tables and "_real_key" not in {c.name for c in db.get_columns("artifact")}:
        db.execute_sql('ALTER TABLE "artifact" ADD COLUMN "_real_key" VARCHAR(1024)')
    if "run" in tables:
        present = {c.name for c in db.get_columns("run")}
        if "_status_code" not in present and "status_code" in present:
            db.execute_sql('ALTER TABLE "run" RENAME COLUMN "status_code" TO "_status_code"')
            db.execute_sql(
                'UPDATE "run" SET "_status_code" = -1 WHERE "_status_code" = 0 AND "finished_at" IS NULL'
            )
    create_missing_indexes(db)  # artifact__real_key, run__status_code


# version reached → function that upgrades from the previous version
MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {
    # 2: indexes for catalogs of a million artifacts (benchmarks/bench_scale.py), e.g. an
    # artifact's (key, storage) looked up by every save()
    2: create_missing_indexes,
    # 3: the branch each record was created on (LaminDB's created_on)
    3: add_created_on_columns,
    # 4: LaminDB's Schema.flexible (any feature of the itype) and Schema.suffix
    4: add_schema_flexible_suffix_columns,
    # 5: user branches' status (draft, review, merged, ...)
    5: add_branch_status_column,
    # 6: runs that re-created an existing artifact or collection (LaminDB's recreating_runs)
    6: add_recreating_run_tables,
    # 7: LaminDB's Artifact._aux (the _storage_ongoing flag of the acid guide)
    7: add_artifact_aux_column,
    # 8: LaminDB's Artifact._real_key and Run._status_code (with its codes: -3 scheduled, ...)
    8: add_real_key_and_run_status_code,
}


def prepare(db: peewee.Database) -> None:
    """Bring the database to :data:`SCHEMA_VERSION`: create, upgrade, or refuse.

    Examples
    --------
    >>> prepare(peewee.SqliteDatabase(":memory:"))
    """
    models = concrete_models()
    if _up_to_date(db, models):
        mark_tables_created([m._meta.table_name for m in models])
        return
    version = read_schema_version(db)
    if version is not None and version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"This database was written by a newer lamin_lab (schema {version}; this package "
            f"knows {SCHEMA_VERSION}). "
            "Upgrade lamin_lab: pip install -U lamin_lab."
        )
    with db.atomic():
        with db.bind_ctx([_Meta]):
            db.create_tables([_Meta], safe=True)
        for target in range(version or SCHEMA_VERSION, SCHEMA_VERSION + 1):
            if version is not None and target in MIGRATIONS and target > version:
                MIGRATIONS[target](db)
        # Reconnecting to an up-to-date database costs one query, not one DDL per table.
        existing = set(db.get_tables()) if version is not None else set()
        missing = [m for m in models if m._meta.table_name not in existing]
        if missing:
            db.create_tables(missing, safe=True)
            if isinstance(db, peewee.PostgresqlDatabase):
                db.execute_sql(";\n".join(_pattern_index_statements(missing)) or "SELECT 1")
        if version != SCHEMA_VERSION:
            _write_version(db, SCHEMA_VERSION)
    mark_tables_created([m._meta.table_name for m in models])

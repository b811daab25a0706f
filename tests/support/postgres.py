"""PostgreSQL helpers for the test suite: one server, a fresh database per test.

`scripts/test.sh` makes sure a server answers and exports its URL in
``LAMIN_LAB_TEST_PG_URL``; the conftest asks this module for fresh databases
(or schemas) on it. Everything here talks to the server with psycopg2 in
autocommit mode, because ``CREATE DATABASE`` / ``DROP DATABASE`` refuse to run
inside a transaction.

Examples
--------
>>> url = create_database("t_artifact_save")  # doctest: +SKIP
>>> # ... point an instance at ``url`` and run the test ...
>>> drop_database("t_artifact_save")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ENV_VAR = "LAMIN_LAB_TEST_PG_URL"

# Names go into DDL (quoted, but still): keep them to plain identifiers so a
# typo in a test name can never become something surprising on the server.
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def pg_url() -> str:
    """Return the URL of the server the tests use (the maintenance database).

    Read from the ``LAMIN_LAB_TEST_PG_URL`` environment variable, falling back
    to the local server on 127.0.0.1:5432.

    Examples
    --------
    >>> pg_url()  # doctest: +SKIP
    'postgresql://postgres@127.0.0.1:5432/postgres'
    """
    return os.environ.get(ENV_VAR) or DEFAULT_URL


def database_url(name: str) -> str:
    """Return the URL of database ``name`` on the test server.

    Examples
    --------
    >>> database_url("t1")  # doctest: +SKIP
    'postgresql://postgres@127.0.0.1:5432/t1'
    """
    parts = urlsplit(pg_url())
    return urlunsplit(parts._replace(path="/" + _checked(name)))


def create_database(name: str, template: str | None = None) -> str:
    """Create a fresh, empty database ``name`` and return its URL.

    A leftover database of the same name (from a crashed run) is dropped
    first. With ``template``, the new database is a copy of that database
    (which must have no open connections), e.g. one that already holds the
    schema, so tests skip creating tables.

    Examples
    --------
    >>> url = create_database("t_query_filter")  # doctest: +SKIP
    >>> url.endswith("/t_query_filter")  # doctest: +SKIP
    True
    """
    drop_database(name)
    statement = f"CREATE DATABASE {_quote(name)}"
    if template is not None:
        statement += f" TEMPLATE {_quote(template)}"
    with _admin_cursor() as cursor:
        cursor.execute(statement)
    return database_url(name)


def drop_database(name: str) -> None:
    """Drop database ``name`` if it exists, ending any connection still open to it.

    Tests that fail half-way can leave a connection behind (a kernel, a
    thread); ``DROP DATABASE`` would then refuse, so we end those first.

    Examples
    --------
    >>> drop_database("t_query_filter")  # doctest: +SKIP
    """
    with _admin_cursor() as cursor:
        _terminate_connections(cursor, name)
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")


def empty_database(name: str, keep: tuple[str, ...] = ()) -> None:
    """Delete every row in database ``name`` and restart its sequences (ids from 1).

    Tables named in ``keep`` keep their rows (e.g. the schema-version table).

    The fastest way to reuse one database across tests (measured ~0.1 s for 71
    tables, where a new database costs seconds on a server that fsyncs): one
    transaction, foreign keys and triggers off while emptying (needs a
    superuser; otherwise falls back to the slower ``TRUNCATE``). The schema is
    kept as it is, so tests that add tables or indexes leave them behind.

    Examples
    --------
    >>> empty_database("t_worker_gw0")  # doctest: +SKIP
    """
    import psycopg2

    connection = psycopg2.connect(database_url(name))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [_quote_any(row[0]) for row in cursor.fetchall() if row[0] not in keep]
            cursor.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
            )
            sequences = [row[0] for row in cursor.fetchall()]
            try:
                cursor.execute("SET LOCAL session_replication_role = replica")
            except psycopg2.errors.InsufficientPrivilege:
                connection.rollback()
                if tables:
                    cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
                connection.commit()
                return
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
            for sequence in sequences:
                cursor.execute("SELECT setval(%s::regclass, 1, false)", (_quote_any(sequence),))
        connection.commit()
    finally:
        connection.close()


def create_schema(name: str, database: str | None = None) -> str:
    """Create a fresh schema ``name`` and return a URL whose search_path is it.

    The cheaper alternative to a database per test: the returned URL carries
    ``options=-csearch_path=<name>,public``, which libpq passes to the server
    (``public`` stays on the path so extensions such as pg_trgm, installed
    once per database, still resolve).

    Examples
    --------
    >>> url = create_schema("t_query_filter")  # doctest: +SKIP
    >>> "search_path" in url  # doctest: +SKIP
    True
    """
    drop_schema(name, database)
    with _admin_cursor(database) as cursor:
        cursor.execute(f"CREATE SCHEMA {_quote(name)}")
    base = database_url(database) if database else pg_url()
    parts = urlsplit(base)
    query = "options=-csearch_path%3D" + _checked(name) + "%2Cpublic"
    return urlunsplit(parts._replace(query=query))


def drop_schema(name: str, database: str | None = None) -> None:
    """Drop schema ``name`` and everything in it, if it exists.

    Examples
    --------
    >>> drop_schema("t_query_filter")  # doctest: +SKIP
    """
    with _admin_cursor(database) as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(name)} CASCADE")


def server_answers(timeout: float = 2.0) -> bool:
    """Return whether the server at :func:`pg_url` accepts a connection.

    Examples
    --------
    >>> server_answers()  # doctest: +SKIP
    True
    """
    import psycopg2

    try:
        connection = psycopg2.connect(pg_url(), connect_timeout=max(1, int(timeout)))
    except psycopg2.OperationalError:
        return False
    connection.close()
    return True


@contextmanager
def _admin_cursor(database: str | None = None) -> Iterator:
    # Imported here so that collecting tests never needs the driver unless a
    # Postgres test actually runs.
    import psycopg2

    url = database_url(database) if database else pg_url()
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def _terminate_connections(cursor, name: str) -> None:
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )


def _checked(name: str) -> str:
    if not _NAME_RE.match(name):
        raise ValueError(
            f"{name!r} is not a plain SQL identifier; use letters, digits and "
            "underscores (at most 63), starting with a letter or underscore"
        )
    return name


def _quote(name: str) -> str:
    return '"' + _checked(name) + '"'


def _quote_any(name: str) -> str:
    # For names read back from the catalog (never from a test): quote, doubling quotes.
    return '"' + name.replace('"', '""') + '"'

"""Fast fresh instances on PostgreSQL for the core contract suite.

Creating lamin_lab's ~70 tables and ~430 indexes (or copying, truncating or dropping a
database holding them) costs several seconds per test on PostgreSQL, which made a
fresh database per test impractical for a few hundred tests. Here one database is set
up once per session; before each test every table except ``lamin_lab_meta`` is emptied
with ``DELETE`` (milliseconds for small tables) and the schema version is reset, and the
test then runs ``ln.setup.init`` on it with its own LAMIN_LAB_HOME and storage.
Tests that need databases of their own (set-up, schema versions) create them.
SQLite runs copy the schema-only file of ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest


def backend() -> str:
    """``sqlite`` or ``postgres``, from ``LAMIN_LAB_TEST_DB``."""
    return os.environ.get("LAMIN_LAB_TEST_DB", "sqlite")


def empty_database(name: str) -> None:
    """Delete every row of every lamin_lab table of database ``name`` (schema kept)."""
    from lamin_lab.setup.schema import SCHEMA_VERSION
    from tests.support.postgres import _admin_cursor

    with _admin_cursor(name) as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [t for (t,) in cursor.fetchall() if t != "lamin_lab_meta"]
        # Foreign-key triggers are off for this transaction only, so order does not matter.
        body = " ".join(f'DELETE FROM "{t}";' for t in tables)
        cursor.execute(
            "BEGIN; SET LOCAL session_replication_role = replica; " + body
            + " UPDATE lamin_lab_meta SET value = %s WHERE key = 'schema_version'; COMMIT;",
            (str(SCHEMA_VERSION),),
        )


@pytest.fixture(scope="session")
def pg_shared_database(tmp_path_factory):
    """URL of a session-wide database holding lamin_lab's schema."""
    from tests.support.postgres import create_database, drop_database

    import lamin_lab

    home = tmp_path_factory.mktemp("pg-home")
    name = "t_core_" + uuid.uuid4().hex[:12]
    url = create_database(name)
    old_home = os.environ.get("LAMIN_LAB_HOME")
    os.environ["LAMIN_LAB_HOME"] = str(home)
    try:
        lamin_lab.settings._user = None
        lamin_lab.setup.init(storage=home / "data", db=url)
        lamin_lab.setup.disconnect()
    finally:
        lamin_lab.settings._user = None
        if old_home is None:
            os.environ.pop("LAMIN_LAB_HOME", None)
        else:
            os.environ["LAMIN_LAB_HOME"] = old_home
    yield name, url
    drop_database(name)


@pytest.fixture
def ln(request, tmp_path, monkeypatch):
    """``import lamin_lab as ln`` with a fresh instance (own LAMIN_LAB_HOME, storage, database)."""
    monkeypatch.setenv("LAMIN_LAB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LAMIN_LAB_CACHE_DIR", str(tmp_path / "cache"))
    import lamin_lab

    lamin_lab.settings._user = None
    db = None
    if backend() == "postgres":
        name, db = request.getfixturevalue("pg_shared_database")
        empty_database(name)
    else:  # a copy of the session's schema-only SQLite file (tests/conftest.py)
        (tmp_path / "data").mkdir()
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), tmp_path / "data" / "data.lndb")
    lamin_lab.setup.init(storage=tmp_path / "data", db=db)
    try:
        yield lamin_lab
    finally:
        lamin_lab.setup.disconnect()
        lamin_lab.settings._user = None

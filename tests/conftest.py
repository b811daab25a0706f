"""Shared fixtures: a fresh lamin_lab instance per test, on SQLite or PostgreSQL.

``LAMIN_LAB_TEST_DB=postgres`` runs the instance fixtures against the PostgreSQL server
named by ``LAMIN_LAB_TEST_PG_URL`` (``scripts/test.sh`` makes sure one answers). Each
pytest worker creates one database and empties it (rows deleted, ids restarted) before
every test: a fresh database per test costs seconds on a server that fsyncs.

On SQLite each test starts from a copy of a schema-only database made once per session:
creating ~70 tables and their indexes takes half a second, copying a file a millisecond.
``ln.setup.init`` sees an up-to-date, empty schema and only seeds its rows.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid

import pytest

pytest_plugins = ["tests.support.moto_s3"]

_SEEDED_TABLES = ("storage", "space", "branch", "user")


def _backend() -> str:
    return os.environ.get("LAMIN_LAB_TEST_DB", "sqlite")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    """A schema-only instance database (no rows), made once per test session."""
    import lamin_lab

    folder = tmp_path_factory.mktemp("template")
    old_home = os.environ.get("LAMIN_LAB_HOME")
    os.environ["LAMIN_LAB_HOME"] = str(folder / "home")
    try:
        lamin_lab.settings._user = None
        lamin_lab.setup.init(storage=folder / "data")
        lamin_lab.setup.disconnect()
    finally:
        if old_home is None:
            os.environ.pop("LAMIN_LAB_HOME", None)
        else:
            os.environ["LAMIN_LAB_HOME"] = old_home
        lamin_lab.settings._user = None
    path = folder / "data" / "data.lndb"
    con = sqlite3.connect(path)
    with con:
        for table in _SEEDED_TABLES:
            con.execute(f'DELETE FROM "{table}"')
    con.close()
    return path


@pytest.fixture(scope="session")
def _pg_database():
    """One PostgreSQL database per pytest worker, dropped at the end of the session."""
    from tests.support.postgres import create_database, drop_database

    name = f"t_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
    url = create_database(name)
    yield name, url
    import lamin_lab

    lamin_lab.setup.disconnect()
    drop_database(name)


@pytest.fixture
def ln(tmp_path, monkeypatch, request):
    """``import lamin_lab as ln`` with a fresh instance (own LAMIN_LAB_HOME, storage, database)."""
    monkeypatch.setenv("LAMIN_LAB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LAMIN_LAB_CACHE_DIR", str(tmp_path / "cache"))
    import lamin_lab

    lamin_lab.settings._user = None  # the user lives in LAMIN_LAB_HOME: read it afresh
    storage = tmp_path / "data"
    if _backend() == "postgres" and request.node.get_closest_marker("own_database"):
        from tests.support.postgres import create_database, drop_database

        name = "t_own_" + uuid.uuid4().hex[:12]
        lamin_lab.setup.init(storage=storage, db=create_database(name))
        try:
            yield lamin_lab
        finally:
            lamin_lab.setup.disconnect()
            drop_database(name)
    elif _backend() == "postgres":
        from tests.support.postgres import empty_database

        name, url = request.getfixturevalue("_pg_database")
        # DELETE with triggers off, not TRUNCATE: TRUNCATE of ~70 tables costs seconds on a
        # server that fsyncs. The schema-version row stays, so init finds the schema ready.
        empty_database(name, keep=("lamin_lab_meta",))
        lamin_lab.setup.init(storage=storage, db=url)
        try:
            yield lamin_lab
        finally:
            lamin_lab.setup.disconnect()
    else:
        storage.mkdir(parents=True)
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), storage / "data.lndb")
        lamin_lab.setup.init(storage=storage)
        try:
            yield lamin_lab
        finally:
            lamin_lab.setup.disconnect()


@pytest.fixture
def tracking(ln):
    """The tracking module, with its process-wide context reset after the test."""
    from lamin_lab import tracking
    from lamin_lab.orm.database import state
    from lamin_lab.tracking import capture

    yield tracking
    capture.stop_capture()
    tracking.context.__init__()
    state.run_id = None
    state.branch_id = None


def pytest_collection_modifyitems(config, items):
    # Tests that use an instance form the contract suite the PostgreSQL pass re-runs.
    for item in items:
        if "ln" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.instance)

"""Shared fixtures: a fresh lamin_lab instance per test, on SQLite or PostgreSQL.

``LAMIN_LAB_TEST_DB=postgres`` runs the instance fixtures against the PostgreSQL server
named by ``LAMIN_LAB_TEST_PG_URL`` (``scripts/test.sh`` makes sure one answers), with a
fresh database per test.
"""

from __future__ import annotations

import os
import uuid

import pytest

pytest_plugins = ["tests.support.moto_s3"]


def _backend() -> str:
    return os.environ.get("LAMIN_LAB_TEST_DB", "sqlite")


@pytest.fixture
def ln(tmp_path, monkeypatch):
    """``import lamin_lab as ln`` with a fresh instance (own LAMIN_LAB_HOME, storage, database)."""
    monkeypatch.setenv("LAMIN_LAB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LAMIN_LAB_CACHE_DIR", str(tmp_path / "cache"))
    import lamin_lab

    lamin_lab.settings._user = None  # the user lives in LAMIN_LAB_HOME: read it afresh
    storage = tmp_path / "data"
    if _backend() == "postgres":
        from tests.support.postgres import create_database, drop_database

        name = "t_" + uuid.uuid4().hex[:16]
        url = create_database(name)
        lamin_lab.setup.init(storage=storage, db=url)
        try:
            yield lamin_lab
        finally:
            lamin_lab.setup.disconnect()
            drop_database(name)
    else:
        lamin_lab.setup.init(storage=storage)
        try:
            yield lamin_lab
        finally:
            lamin_lab.setup.disconnect()

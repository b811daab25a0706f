"""Schema 8: LaminDB's ``Artifact._real_key`` and ``Run._status_code`` (a version-7 database upgrades)."""

from __future__ import annotations

import os

import pytest


def _param(sql: str) -> str:
    postgres = os.environ.get("LAMIN_LAB_TEST_DB", "sqlite") == "postgres"
    return sql.replace("?", "%s") if postgres else sql


def _as_version_7(db) -> None:
    """Put the database back to schema 7: no ``_real_key``, the run codes in ``status_code``."""
    db.execute_sql('DROP INDEX "artifact__real_key"')
    db.execute_sql('ALTER TABLE "artifact" DROP COLUMN "_real_key"')
    db.execute_sql('DROP INDEX "run__status_code"')
    db.execute_sql('ALTER TABLE "run" RENAME COLUMN "_status_code" TO "status_code"')
    db.execute_sql(
        _param("UPDATE lamin_lab_meta SET value = ? WHERE key = 'schema_version'"), ("7",)
    )


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_a_version_7_database_gets_the_real_key_and_status_code_columns(ln):
    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup.schema import SCHEMA_VERSION, read_schema_version

    name = ln.setup.settings.instance.name
    path = ln.settings.storage.root / "sub" / "x.txt"
    path.parent.mkdir(parents=True)
    path.write_text("x")
    ln.Artifact(path).save()
    transform = ln.Transform(key="make.py", kind="script").save()
    running, done, failed = (ln.Run(transform, name=n).save() for n in ("a", "b", "c"))
    db = ensure_connected()
    _as_version_7(db)
    # what a version-7 package stored: 0 for running and completed runs, 1 for errored ones
    db.execute_sql(_param('UPDATE "run" SET "status_code" = 0'))
    db.execute_sql(
        _param('UPDATE "run" SET "finished_at" = "started_at" WHERE "name" <> ?'), ("a",)
    )
    db.execute_sql(_param('UPDATE "run" SET "status_code" = 1 WHERE "name" = ?'), ("c",))
    ln.setup.disconnect()
    ln.setup.connect(name)
    assert read_schema_version(ensure_connected()) == SCHEMA_VERSION == 8
    assert [ln.Run.get(r.uid).status for r in (running, done, failed)] == [
        "started",
        "completed",
        "errored",
    ]
    assert ln.Artifact.get(key="sub/x.txt")._real_key is None
    assert ln.Run.filter(status="completed").one().name == "b"


@pytest.mark.own_database
def test_the_version_8_migration_changes_nothing_when_run_again(ln):
    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup.schema import add_real_key_and_run_status_code

    transform = ln.Transform(key="make.py", kind="script").save()
    run = ln.Run(transform).save()
    add_real_key_and_run_status_code(ensure_connected())
    assert (ln.Run.get(run.uid)._status_code, ln.Run.get(run.uid).status) == (-3, "scheduled")

"""Instance set-up: init, connect, settings, default instance, schema versions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[3]


def _run(code: str, home: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        LAMIN_LAB_HOME=str(home),
        LAMIN_LAB_CACHE_DIR=str(home / "cache"),
        PYTHONPATH=str(REPO),
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty LAMIN_LAB_HOME and no connected instance; disconnects afterwards."""
    import lamin_lab

    path = tmp_path / "home"
    monkeypatch.setenv("LAMIN_LAB_HOME", str(path))
    monkeypatch.setenv("LAMIN_LAB_CACHE_DIR", str(tmp_path / "cache"))
    lamin_lab.setup.disconnect()
    lamin_lab.settings._user = None
    yield path
    lamin_lab.setup.disconnect()
    lamin_lab.settings._user = None


@pytest.fixture
def pg_db():
    """A fresh PostgreSQL database URL for set-up tests (dropped afterwards)."""
    from tests.support.postgres import create_database, drop_database

    name = "t_setup_" + uuid.uuid4().hex[:12]
    url = create_database(name)
    yield url
    import lamin_lab

    lamin_lab.setup.disconnect()
    drop_database(name)


def test_init_creates_sqlite_inside_the_storage_root(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "mydata")
    assert ln.setup.settings.instance.db == str(tmp_path / "mydata" / "mydata.lndb")
    assert (tmp_path / "mydata" / "mydata.lndb").is_file()


def test_init_names_the_instance_after_the_storage_folder(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "mydata")
    assert ln.setup.settings.instance.name == "mydata"


def test_init_takes_an_explicit_name(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "mydata", name="lab")
    assert (ln.setup.settings.instance.name, ln.setup.settings.instance.db) == (
        "lab",
        str(tmp_path / "mydata" / "lab.lndb"),
    )


def test_init_with_a_postgresql_url_stores_metadata_there(home, tmp_path, pg_db):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "pgdata", db=pg_db)
    ln.ULabel(name="in postgres").save()
    assert ln.setup.settings.instance.dialect == "postgresql"
    from lamin_lab import orm

    assert orm.dialect() == "postgresql"
    assert not list((tmp_path / "pgdata").glob("*.lndb"))
    assert ln.ULabel.get(name="in postgres").name == "in postgres"


def test_init_refuses_a_db_that_is_not_a_url(home, tmp_path):
    import lamin_lab as ln

    with pytest.raises(ln.errors.InvalidArgument, match="postgresql://"):
        ln.setup.init(storage=tmp_path / "d", db="mysql://x")


def test_connect_reopens_an_instance_by_name(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "one")
    ln.ULabel(name="kept").save()
    ln.setup.init(storage=tmp_path / "two")
    ln.setup.connect("one")
    assert ln.setup.settings.instance.name == "one"
    assert ln.ULabel.filter().to_list("name") == ["kept"]


def test_connect_accepts_owner_slash_name(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "one")
    ln.setup.disconnect()
    ln.setup.connect("someone/one")
    assert ln.setup.settings.instance.name == "one"


def test_connect_to_an_unknown_instance_lists_the_known_ones(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "one")
    with pytest.raises(ln.errors.InstanceNotSetupError, match="Known: one"):
        ln.setup.connect("nope")


def test_setup_settings_describe_instance_storage_user_and_cache(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "mydata")
    s = ln.setup.settings
    user = json.loads((home / "user.json").read_text())
    assert s.instance.name == "mydata"
    assert s.storage.root == tmp_path / "mydata"
    assert s.storage.type == "local"
    assert (s.user.uid, s.user.handle, s.user.name) == (user["uid"], user["handle"], user["name"])
    assert len(s.user.uid) == 8
    assert s.cache_dir == tmp_path / "cache"


def test_the_local_user_is_a_user_record(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "mydata")
    assert ln.User.get(uid=ln.setup.settings.user.uid).handle == ln.setup.settings.user.handle


def test_settings_storage_is_settable(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "first")
    ln.settings.storage = tmp_path / "second"
    assert ln.settings.storage.root == tmp_path / "second"
    assert (tmp_path / "second").is_dir()
    assert ln.setup.settings.instance.storage_roots == [
        str(tmp_path / "first"),
        str(tmp_path / "second"),
    ]


def test_settings_storage_survives_a_reconnect(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "first")
    ln.settings.storage = tmp_path / "second"
    ln.setup.disconnect()
    ln.setup.connect("first")
    assert ln.settings.storage.root == tmp_path / "second"


def test_verbosity_sets_the_log_level(home):
    import logging

    import lamin_lab as ln

    before = ln.settings.verbosity
    try:
        ln.settings.verbosity = "warning"
        assert ln.settings.verbosity == "warning"
        assert logging.getLogger("lamin_lab").level == logging.WARNING
    finally:
        ln.settings.verbosity = before


def test_unknown_verbosity_is_refused(home):
    import lamin_lab as ln

    with pytest.raises(ln.errors.InvalidArgument, match="verbosity must be one of"):
        ln.settings.verbosity = "loud"


def test_lamin_lab_home_holds_every_settings_file(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "mydata")
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert written == ["current.json", "instances/mydata.json", "user.json"]


def test_init_again_in_the_same_process_switches_instance(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "one")
    ln.ULabel(name="in one").save()
    ln.setup.init(storage=tmp_path / "two")
    assert ln.setup.settings.instance.name == "two"
    assert ln.ULabel.filter().count() == 0


def test_init_on_an_existing_storage_reopens_its_records(home, tmp_path):
    import lamin_lab as ln

    ln.setup.init(storage=tmp_path / "one")
    uid = ln.setup.settings.instance.uid
    ln.ULabel(name="kept").save()
    ln.setup.init(storage=tmp_path / "one")
    assert ln.ULabel.filter().to_list("name") == ["kept"]
    assert ln.setup.settings.instance.uid == uid


def test_first_use_creates_a_default_instance_and_says_where(tmp_path):
    home = tmp_path / "fresh-home"
    done = _run(
        "import lamin_lab as ln; ln.ULabel(name='x').save(); print(ln.setup.settings.instance.name)",
        home,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "default"
    assert str(home / "default-storage") in done.stderr
    assert (home / "default-storage" / "default.lndb").is_file()


def test_a_new_process_after_init_uses_the_current_instance(tmp_path):
    home = tmp_path / "home"
    first = _run(
        f"import lamin_lab as ln; ln.setup.init(storage={str(tmp_path / 'lab')!r}); ln.ULabel(name='shared').save()",
        home,
        tmp_path,
    )
    assert first.returncode == 0, first.stderr
    second = _run(
        "import lamin_lab as ln; print(ln.setup.settings.instance.name, ln.ULabel.filter().to_list('name'))",
        home,
        tmp_path,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "lab ['shared']"


def test_the_database_records_its_schema_version(ln):
    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup.schema import SCHEMA_VERSION, read_schema_version

    assert read_schema_version(ensure_connected()) == SCHEMA_VERSION
    assert ln.setup.settings.schema_version == SCHEMA_VERSION


def backend() -> str:
    """``sqlite`` or ``postgres``, from ``LAMIN_LAB_TEST_DB``."""
    return os.environ.get("LAMIN_LAB_TEST_DB", "sqlite")


def _write_version(version: int) -> None:
    from lamin_lab.orm.database import ensure_connected

    ensure_connected().execute_sql(
        "UPDATE lamin_lab_meta SET value = ? WHERE key = 'schema_version'".replace(
            "?", "%s" if backend() == "postgres" else "?"
        ),
        (str(version),),
    )


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_an_older_package_refuses_a_newer_database(ln):
    from lamin_lab.setup.schema import SCHEMA_VERSION

    name = ln.setup.settings.instance.name
    _write_version(SCHEMA_VERSION + 1)
    ln.setup.disconnect()
    with pytest.raises(ln.errors.SchemaVersionError, match="newer lamin_lab.*pip install -U"):
        ln.setup.connect(name)


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_a_refused_connect_leaves_no_instance_connected(ln):
    from lamin_lab.setup.schema import SCHEMA_VERSION

    name = ln.setup.settings.instance.name
    _write_version(SCHEMA_VERSION + 1)
    ln.setup.disconnect()
    with pytest.raises(ln.errors.SchemaVersionError):
        ln.setup.connect(name)
    assert ln.setup.settings.__repr__().startswith("SetupSettings(instance=None")


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_a_newer_package_upgrades_an_older_database_in_place(ln, monkeypatch):
    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup import schema

    name = ln.setup.settings.instance.name
    ln.ULabel(name="before upgrade").save()
    ran = []

    def add_column(db):
        ran.append(True)
        db.execute_sql('ALTER TABLE "ulabel" ADD COLUMN "upgraded" INTEGER DEFAULT 7')

    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION + 1, add_column)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    ln.setup.disconnect()
    ln.setup.connect(name)
    assert ran == [True]
    assert schema.read_schema_version(ensure_connected()) == schema.SCHEMA_VERSION
    rows = ensure_connected().execute_sql('SELECT name, upgraded FROM "ulabel"').fetchall()
    assert [tuple(r) for r in rows] == [("before upgrade", 7)]


def test_an_up_to_date_database_runs_no_migration(ln, monkeypatch):
    from lamin_lab.setup import schema

    name = ln.setup.settings.instance.name
    ran = []
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION, lambda db: ran.append(True))
    ln.setup.disconnect()
    ln.setup.connect(name)
    assert ran == []


def test_connect_without_making_current_leaves_the_current_instance(home, tmp_path):
    import lamin_lab as ln
    from lamin_lab.settings import read_current_instance_name

    ln.setup.init(storage=tmp_path / "first")
    ln.setup.init(storage=tmp_path / "second")
    ln.setup.connect("first", make_current=False)
    assert ln.setup.settings.instance.name == "first"
    assert read_current_instance_name() == "second"


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_connecting_a_version_1_database_adds_the_key_storage_is_latest_index(ln):
    from lamin_lab.orm.database import ensure_connected

    name = ln.setup.settings.instance.name
    ensure_connected().execute_sql('DROP INDEX "artifact_key_storage_id_is_latest"')
    _write_version(1)
    ln.setup.disconnect()
    ln.setup.connect(name)
    assert "artifact_key_storage_id_is_latest" in {
        i.name for i in ensure_connected().get_indexes("artifact")
    }


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_connecting_a_version_2_database_adds_created_on_filled_from_the_branch(ln):
    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup.schema import add_created_on_columns

    name = ln.setup.settings.instance.name
    ln.ULabel(name="on main").save()
    ln.ULabel(name="in trash").save().delete()
    db = ensure_connected()
    db.execute_sql('ALTER TABLE "ulabel" DROP COLUMN "created_on_id"')
    _write_version(2)
    ln.setup.disconnect()
    ln.setup.connect(name)
    add_created_on_columns(ensure_connected())  # a second run changes nothing
    frame = ln.ULabel.filter(branch_id=None).to_dataframe().sort_values("name")
    assert frame[["name", "created_on_id"]].values.tolist() == [["in trash", 1], ["on main", 1]]


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_connecting_a_version_3_database_adds_schema_flexible_and_suffix(ln):
    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup.schema import add_schema_flexible_suffix_columns

    name = ln.setup.settings.instance.name
    age = ln.Feature(name="age", dtype=int).save()
    ln.Schema([age], name="fixed").save()
    ln.Schema(itype=ln.Feature, name="any").save()
    db = ensure_connected()
    db.execute_sql('DROP INDEX "schema_suffix"')
    db.execute_sql('ALTER TABLE "schema" DROP COLUMN "suffix"')
    db.execute_sql('ALTER TABLE "schema" DROP COLUMN "flexible"')
    _write_version(3)
    ln.setup.disconnect()
    ln.setup.connect(name)
    add_schema_flexible_suffix_columns(ensure_connected())  # a second run changes nothing
    got = {s.name: (s.flexible, s.suffix) for s in ln.Schema.filter()}
    assert got == {"fixed": (False, None), "any": (True, None)}
    assert ln.Schema([age], suffix=".csv", name="csv").save().suffix == ".csv"


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_connecting_a_version_5_database_adds_the_recreating_run_tables(ln):
    import pandas as pd

    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup.schema import add_recreating_run_tables

    name = ln.setup.settings.instance.name
    transform = ln.Transform(key="make.py", kind="script").save()
    first, later = ln.Run(transform).save(), ln.Run(transform).save()
    made = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet", run=first).save()
    db = ensure_connected()
    db.execute_sql('DROP TABLE "artifactrecreatingrun"')
    db.execute_sql('DROP TABLE "collectionrecreatingrun"')
    _write_version(5)
    ln.setup.disconnect()
    ln.setup.connect(name)
    add_recreating_run_tables(ensure_connected())  # a second run changes nothing
    assert made.recreating_runs.count() == 0
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet", run=later).save()
    assert made.recreating_runs.to_list("id") == [later.id]


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_connecting_a_version_6_database_adds_the_artifact_aux_column(ln):
    import pandas as pd

    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup.schema import add_artifact_aux_column

    name = ln.setup.settings.instance.name
    made = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet").save()
    db = ensure_connected()
    db.execute_sql('ALTER TABLE "artifact" DROP COLUMN "_aux"')
    _write_version(6)
    ln.setup.disconnect()
    ln.setup.connect(name)
    add_artifact_aux_column(ensure_connected())  # a second run changes nothing
    again = ln.Artifact.get(made.uid)
    assert again._aux is None and again._storage_ongoing is False
    again._storage_ongoing = True
    assert ln.Artifact.get(again.save().uid)._aux == {"so": 1}

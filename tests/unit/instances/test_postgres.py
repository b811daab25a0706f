"""Reading and transferring from an instance whose metadata is in PostgreSQL, from SQLite or PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from .conftest import seed

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_source(ln, tmp_path):
    """A seeded instance ``pgsrc`` on a PostgreSQL database of its own, dropped afterwards."""
    from lamin_lab.setup.db import close_instances
    from tests.support.postgres import create_database, drop_database

    name = "t_instances_" + uuid.uuid4().hex[:10]
    current = ln.setup.settings.instance.name
    ln.setup.init(storage=tmp_path / "pgsrc", db=create_database(name), name="pgsrc")
    try:
        facts = seed(ln, tmp_path)
        ln.setup.connect(current)
        yield facts
    finally:
        close_instances()
        ln.setup.connect(current)
        drop_database(name)


def test_db_reads_a_postgresql_instance_without_switching(ln, pg_source):
    current = ln.setup.settings.instance.name
    db = ln.DB("pgsrc")
    assert db.Artifact.filter(suffix=".csv").to_list("uid") == [pg_source.artifact_uid]
    assert db.Artifact.get(key="x.csv").ulabels.to_list("name") == ["blue"]
    assert ln.setup.settings.instance.name == current
    assert ln.Artifact.filter().count() == 0


def test_an_artifact_of_a_postgresql_instance_transfers_with_its_annotations(ln, pg_source):
    artifact = ln.DB("pgsrc").Artifact.get(key="x.csv").save(transfer="annotations")
    assert (artifact.uid, artifact.hash) == (pg_source.artifact_uid, pg_source.hash)
    assert artifact.features.get_values() == {"temp": 3.5, "color": "blue"}
    assert str(artifact.path) == pg_source.path
    again = ln.DB("pgsrc").Artifact.get(key="x.csv").save()
    assert again.id == artifact.id

"""``lamin-lab init --db postgresql://…``: the metadata in PostgreSQL, run from the shell."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url():
    from tests.support.postgres import create_database, drop_database

    name = "t_cli_" + uuid.uuid4().hex[:10]
    url = create_database(name)
    yield url
    drop_database(name)


def test_init_with_a_postgres_db_and_delete_keeps_the_database(shell, pg_url):
    shell(f"init --storage ./pgdata --db {pg_url} --name pglab")
    (shell.cwd / "t.csv").write_text("a\n1\n")
    shell("save t.csv --key t.csv")
    info = shell("info").stdout
    assert "Instance: pglab" in info and "db: postgresql://" in info and "1 artifacts" in info
    assert shell("doctor").stdout == "no problems found\n"
    out = shell("delete pglab --force")
    assert "is left as it is: drop it yourself" in out.stderr
    assert not (shell.cwd / "pgdata" / ".lamindb").exists()

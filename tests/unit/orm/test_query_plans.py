"""Query plans of calls whose cost must not grow with the catalog (SQLite).

``benchmarks/bench_scale.py`` measures these calls at 10k to 1M artifacts; here the
plan SQLite chooses is pinned instead: an index lookup, never a pass over a table.
"""

from __future__ import annotations

import pytest

from lamin_lab.lineage.closure import _closure_sql
from lamin_lab.orm.database import dialect, state
from tests.support.query_count import count_queries


@pytest.fixture
def sqlite_ln(ln):
    if dialect() != "sqlite":
        pytest.skip("SQLite query plans")
    return ln


def plan(ln, sql, params=()):
    """The detail column of SQLite's EXPLAIN QUERY PLAN."""
    return [
        row[3]
        for row in ln.Artifact._meta.database.execute_sql("EXPLAIN QUERY PLAN " + sql, list(params))
    ]


@pytest.mark.parametrize("direction", ["up", "down"])
def test_lineage_closure_never_materialises_the_edge_tables(sqlite_ln, direction):
    sql = _closure_sql(direction, {"artifact": ["a" * 20]}, False, "?")
    assert [
        d
        for d in plan(sqlite_ln, sql, ["a" * 20])
        if d.startswith(("MATERIALIZE", "SCAN l", "SCAN x"))
    ] == []


def test_describe_reads_the_versions_through_the_uid_index(sqlite_ln):
    ln = sqlite_ln
    ln.Artifact.insert(
        uid="Pq12345678901234" + "0000",
        key="a.csv",
        storage=ln.Storage.filter().first(),
        hash="h" * 22,
        size=1,
        suffix=".csv",
        is_latest=True,
        created_by=state.user_id,
    ).execute()
    artifact = ln.Artifact.get("Pq123456789012340000")
    with count_queries() as log:
        artifact.describe(return_str=True)
    versions = [(s, p) for s, p in log.statements if '"uid" >= ' in s]
    assert any("artifact_uid (uid>? AND uid<?)" in d for d in plan(ln, *versions[0]))


def test_save_looks_up_the_same_key_through_the_key_storage_index(sqlite_ln, tmp_path):
    ln = sqlite_ln
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n")
    with count_queries() as log:
        ln.Artifact(path, key="tables/a.csv").save()
    lookup = next((s, p) for s, p in log.statements if s.startswith("SELECT") and '"key" = ' in s)
    assert any("artifact_key_storage_id_is_latest" in d for d in plan(ln, *lookup))


def test_postgres_gives_uid_and_key_a_pattern_index_for_prefix_filters(ln):
    if dialect() != "postgresql":
        pytest.skip("PostgreSQL indexes")
    from lamin_lab.orm.database import ensure_connected

    names = {i.name for i in ensure_connected().get_indexes("artifact")}
    assert {"artifact_uid_like", "artifact_key_like"} <= names


@pytest.mark.parametrize("branch", ["main", "b"])
def test_a_filter_uses_its_own_index_not_the_default_branch_condition(sqlite_ln, branch):
    ln = sqlite_ln
    if branch != "main":
        ln.setup.switch(branch, create=True)
    sql, params = ln.ULabel.filter(name="x")._select(ln.ULabel.id).sql()
    assert plan(ln, sql, params) == ["SEARCH t1 USING INDEX ulabel_name (name=?)"]

"""Lineage read from the database in one query per direction, however deep it is.

:func:`closure` answers everything upstream or downstream of some nodes with one
recursive query (``WITH RECURSIVE``; on PostgreSQL the hops are a ``LATERAL`` subquery so
each reached node is an index lookup): a chain of 1,000 runs is 2,000 levels but one
query. It follows the same edges and leaves out the same records as
:func:`~lamin_lab.lineage.db.neighbors` (see :mod:`.db` for both), and builds its nodes
with the same :func:`~lamin_lab.lineage.db.data_node` and :func:`~lamin_lab.lineage.db.run_node`.

Like :mod:`.db`, it imports the registries and is imported lazily by ``view_lineage``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from peewee import PostgresqlDatabase

from lamin_lab.lineage.db import RUN_ARTIFACT_KIND, TRASH, Row, data_node, run_node
from lamin_lab.lineage.graph import Node, split_node_id
from lamin_lab.models import (
    Artifact,
    ArtifactRun,
    Collection,
    CollectionArtifact,
    CollectionRun,
    Run,
    Transform,
)
from lamin_lab.orm.database import ensure_connected

#: kind codes inside the recursive query
_CODES = {"artifact": 1, "collection": 2, "run": 3}
_KINDS = {v: k for k, v in _CODES.items()}


def _branches(direction: str) -> list[tuple[int, int, str, str, str]]:
    """One hop per relation: (near code, far code, far id column, near id column, FROM … WHERE …).

    Table and column names come from the registries; the only literals are this
    module's constants (never user input).
    """
    a, c, r = Artifact._meta.table_name, Collection._meta.table_name, Run._meta.table_name
    ar, cr, ca = (
        ArtifactRun._meta.table_name,
        CollectionRun._meta.table_name,
        CollectionArtifact._meta.table_name,
    )
    live = f"x.branch_id != {TRASH} AND (x.kind IS NULL OR x.kind != '{RUN_ARTIFACT_KIND}')"
    alive = f"x.branch_id != {TRASH}"
    if direction == "up":
        return [
            (
                3,
                1,
                "l.artifact_id",
                "l.run_id",
                f'"{ar}" l JOIN "{a}" x ON x.id = l.artifact_id WHERE {live}',
            ),
            (
                3,
                2,
                "l.collection_id",
                "l.run_id",
                f'"{cr}" l JOIN "{c}" x ON x.id = l.collection_id WHERE {alive}',
            ),
            (1, 3, "l.run_id", "l.id", f'"{a}" l JOIN "{r}" x ON x.id = l.run_id WHERE {alive}'),
            (2, 3, "l.run_id", "l.id", f'"{c}" l JOIN "{r}" x ON x.id = l.run_id WHERE {alive}'),
            (
                2,
                1,
                "l.artifact_id",
                "l.collection_id",
                f'"{ca}" l JOIN "{a}" x ON x.id = l.artifact_id WHERE {live}',
            ),
        ]
    return [
        (
            1,
            3,
            "l.run_id",
            "l.artifact_id",
            f'"{ar}" l JOIN "{r}" x ON x.id = l.run_id WHERE {alive}',
        ),
        (
            1,
            2,
            "l.collection_id",
            "l.artifact_id",
            f'"{ca}" l JOIN "{c}" x ON x.id = l.collection_id WHERE {alive}',
        ),
        (
            2,
            3,
            "l.run_id",
            "l.collection_id",
            f'"{cr}" l JOIN "{r}" x ON x.id = l.run_id WHERE {alive}',
        ),
        (3, 1, "x.id", "x.run_id", f'"{a}" x WHERE {live}'),
        (3, 2, "x.id", "x.run_id", f'"{c}" x WHERE {alive}'),
    ]


def _closure_sql(direction: str, seeds: dict[str, list[str]], postgres: bool, param: str) -> str:
    """WITH RECURSIVE over every hop; rows (kind, id, from kind, from id), one per edge.

    PostgreSQL gets the hops as a LATERAL subquery, SQLite (no LATERAL) one recursive
    SELECT per hop: either way an index lookup per reached node, so the cost follows
    the size of the lineage, not of the catalog.
    """
    seed_sql = " UNION ALL ".join(
        f'SELECT {_CODES[kind]}, id, CAST(NULL AS INTEGER), CAST(NULL AS INTEGER) FROM "{_TABLES[kind]()}"'
        f" WHERE uid IN ({', '.join([param] * len(uids))})"
        for kind, uids in seeds.items()
    )
    hops = _branches(direction)
    if postgres:
        lateral = " UNION ALL ".join(
            f"SELECT {far} AS fk, {far_col} AS fi FROM {src} AND reach.k = {near} AND {near_col} = reach.i"
            for near, far, far_col, near_col, src in hops
        )
        step = f"SELECT e.fk, e.fi, reach.k, reach.i FROM reach CROSS JOIN LATERAL ({lateral}) AS e"
    elif sqlite3.sqlite_version_info >= (3, 34, 0):
        # one recursive SELECT per hop, each joining the reached row to its edge table:
        # an index lookup per reached node. (A join of reach to a UNION ALL view of the
        # hops makes SQLite materialise every edge of the database at each step.)
        step = " UNION ".join(
            f"SELECT {far}, {far_col}, reach.k, reach.i FROM reach, {src} AND reach.k = {near} AND {near_col} = reach.i"
            for near, far, far_col, near_col, src in hops
        )
    else:  # SQLite before 3.34 allows one recursive SELECT only
        view = " UNION ALL ".join(
            f"SELECT {near} AS nk, {near_col} AS ni, {far} AS fk, {far_col} AS fi FROM {src}"
            for near, far, far_col, near_col, src in hops
        )
        step = f"SELECT e.fk, e.fi, e.nk, e.ni FROM ({view}) AS e JOIN reach ON e.nk = reach.k AND e.ni = reach.i"
    a, c = Artifact._meta.table_name, Collection._meta.table_name
    r, t = Run._meta.table_name, Transform._meta.table_name
    # labels of the reached node ride along, so no second query with thousands of ids
    if postgres:
        return f"WITH RECURSIVE reach(k, i, pk, pi) AS ({seed_sql} UNION {step}) {_pg_labels()}"
    labels = (
        "SELECT reach.k, reach.i, reach.pk, reach.pi,"
        " a.uid, a.key, a.description, a.version_tag, a.suffix,"
        " c.uid, c.key, c.description, c.version_tag,"
        " r.uid, t.key, r.name, CAST(r.started_at AS TEXT), t.version_tag, t.uid"
        f' FROM reach LEFT JOIN "{a}" a ON reach.k = 1 AND a.id = reach.i'
        f' LEFT JOIN "{c}" c ON reach.k = 2 AND c.id = reach.i'
        f' LEFT JOIN "{r}" r ON reach.k = 3 AND r.id = reach.i'
        f' LEFT JOIN "{t}" t ON t.id = r.transform_id'
    )
    return f"WITH RECURSIVE reach(k, i, pk, pi) AS ({seed_sql} UNION {step}) {labels}"


def _pg_labels() -> str:
    """The reached nodes with their labels, on PostgreSQL: one primary-key lookup each.

    Plain joins let PostgreSQL hash whole tables (every run of the catalog for a graph
    of ten nodes: it cannot estimate how many rows a recursive query reaches); a LATERAL
    subquery with ``LIMIT 1`` is not flattened into a join, so each row is looked up.
    """
    a, c = Artifact._meta.table_name, Collection._meta.table_name
    r, t = Run._meta.table_name, Transform._meta.table_name
    return (
        "SELECT reach.k, reach.i, reach.pk, reach.pi,"
        " a.uid, a.key, a.description, a.version_tag, a.suffix,"
        " c.uid, c.key, c.description, c.version_tag,"
        " r.uid, r.t_key, r.name, r.started, r.t_version, r.t_uid FROM reach"
        " LEFT JOIN LATERAL (SELECT uid, key, description, version_tag, suffix"
        f' FROM "{a}" WHERE reach.k = 1 AND id = reach.i LIMIT 1) a ON TRUE'
        " LEFT JOIN LATERAL (SELECT uid, key, description, version_tag"
        f' FROM "{c}" WHERE reach.k = 2 AND id = reach.i LIMIT 1) c ON TRUE'
        " LEFT JOIN LATERAL (SELECT x.uid, x.name, CAST(x.started_at AS TEXT) AS started,"
        " y.key AS t_key, y.version_tag AS t_version, y.uid AS t_uid"
        f' FROM "{r}" x LEFT JOIN "{t}" y ON y.id = x.transform_id'
        " WHERE reach.k = 3 AND x.id = reach.i LIMIT 1) r ON TRUE"
    )


_TABLES = {
    "artifact": lambda: Artifact._meta.table_name,
    "collection": lambda: Collection._meta.table_name,
    "run": lambda: Run._meta.table_name,
}


def closure(ids: Iterable[str], direction: str) -> tuple[list[Node], list[tuple[str, str]]]:
    """Everything upstream (``"up"``) or downstream (``"down"``) of ``ids``: one query.

    One recursive query collects the edges of the whole closure with the labels of
    the nodes they reach, however deep the lineage is (a chain of 1,000 runs is 2,000
    levels: :func:`neighbors` would need one query per level). Same nodes, edges and
    filters as walking with :func:`neighbors` without a depth limit.

    Examples
    --------
    >>> nodes, edges = closure([f"artifact:{artifact.uid}"], "up")  # doctest: +SKIP
    """
    seeds: dict[str, list[str]] = {}
    for nid in ids:
        kind, uid = split_node_id(nid)
        if kind in _CODES:
            seeds.setdefault(kind, []).append(uid)
    if not seeds:
        return [], []
    db = ensure_connected()
    sql = _closure_sql(direction, seeds, isinstance(db, PostgresqlDatabase), db.param)
    rows = db.execute_sql(sql, [u for uids in seeds.values() for u in uids]).fetchall()
    nodes: dict[tuple[int, int], Node] = {}
    for row in rows:
        key = (row[0], row[1])
        if key not in nodes:
            nodes[key] = _closure_node(row)
    edges = []
    for k, i, pk, pi, *_ in rows:
        if pk is not None:
            far, near = nodes[(k, i)].id, nodes[(pk, pi)].id
            edges.append((far, near) if direction == "up" else (near, far))
    return list(nodes.values()), edges


def _closure_node(row: Row) -> Node:
    """The node of a closure row (kind code, id, from kind, from id, label columns)."""
    kind = row[0]
    if kind == 1:
        uid, key, description, version_tag, suffix = row[4:9]
        return data_node(
            "artifact",
            uid,
            key=key,
            description=description,
            version_tag=version_tag,
            suffix=suffix,
        )
    if kind == 2:
        uid, key, description, version_tag = row[9:13]
        return data_node(
            "collection", uid, key=key, description=description, version_tag=version_tag
        )
    uid, t_key, name, started, t_version, t_uid = row[13:19]
    return run_node(
        uid,
        transform_key=t_key,
        name=name,
        started_at=started,
        transform_version=t_version,
        transform_uid=t_uid,
    )

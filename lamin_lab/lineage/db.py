"""Lineage read from the database one level at a time, and the nodes of records.

Two ways to read lineage give the same nodes and edges:

- :func:`neighbors` (here) answers one level for :func:`~lamin_lab.lineage.walk.walk`
  (used when a depth or node limit is given);
- :func:`~lamin_lab.lineage.closure.closure` answers a whole direction with one
  recursive query: a chain of 1,000 runs is 2,000 levels but one query.

:func:`neighbors` is the callback :func:`~lamin_lab.lineage.walk.walk` needs: given a
frontier of node ids (``artifact:<uid>``, ``collection:<uid>``, ``run:<uid>``,
``transform:<uid>``) it answers with the nodes one hop away and the edges to them, in
data-flow direction. Whatever the frontier holds, the answer is ONE ``UNION ALL``
query: one ``SELECT`` per relation that can apply (e.g. "runs → their input
artifacts" and "runs → their input collections"), all projecting the same columns::

    near uid, far kind, far uid, a, b, c, d, e      (a..e: label fields as text)

Edges followed (data flow, ``→``):

- input artifact → run (``ArtifactRun``), input collection → run (``CollectionRun``)
- run → output artifact (``Artifact.run``), run → output collection (``Collection.run``)
- member artifact → collection (``CollectionArtifact``)
- transform → run (``Run.transform``), only when a transform is in the frontier

Transforms are not nodes of their own by default: a run node carries its transform's
key as label (and the transform's uid/version in ``attrs``). A lineage drawn for a
transform puts the transform node in front of its runs (see :mod:`.api`).

Records in the trash and run reports/environments (artifact kind
``__lamindb_run__``) are left out.

This module imports the registries, so it sits above ``models``; it is imported
lazily by ``view_lineage`` and never by ``import lamin_lab``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from peewee import SQL, Cast, JOIN

from lamin_lab.errors import InvalidArgument
from lamin_lab.lineage.graph import Node, node_id, split_node_id
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
from lamin_lab.orm.branches import TRASH

#: artifacts of this kind are a run's report or environment, not data flow
RUN_ARTIFACT_KIND = "__lamindb_run__"
#: frontiers larger than this are split so a query never exceeds parameter limits
CHUNK = 5000

Row = tuple[Any, ...]


# ----------------------------------------------------------------- label columns
def _text(field: Any) -> Any:
    return Cast(field, "TEXT")


def _null() -> Any:
    return SQL("CAST(NULL AS TEXT)")


def _kind(kind: str) -> Any:
    # a constant from this module (never user input), so a literal is safe
    return SQL(f"CAST('{kind}' AS TEXT)")


def _artifact_columns() -> list[Any]:
    return [
        _kind("artifact"),
        Artifact.uid,
        Artifact.key,
        Artifact.description,
        Artifact.version_tag,
        Artifact.suffix,
        _null(),
    ]


def _collection_columns() -> list[Any]:
    return [
        _kind("collection"),
        Collection.uid,
        Collection.key,
        _text(Collection.description),
        Collection.version_tag,
        _null(),
        _null(),
    ]


def _run_columns() -> list[Any]:
    return [
        _kind("run"),
        Run.uid,
        Transform.key,
        Run.name,
        _text(Run.started_at),
        Transform.version_tag,
        Transform.uid,
    ]


def _live_artifact() -> Any:
    return (Artifact.branch_id != TRASH) & (
        Artifact.kind.is_null() | (Artifact.kind != RUN_ARTIFACT_KIND)
    )


# ----------------------------------------------------------------- one SELECT per relation
def _up_selects(kinds: dict[str, list[str]]) -> list[Any]:
    """SELECTs for the parents of the frontier (far node → near node)."""
    out = []
    if runs := kinds.get("run"):
        out.append(
            ArtifactRun.select(Run.uid, *_artifact_columns())
            .join(Artifact, on=ArtifactRun.artifact == Artifact.id)
            .switch(ArtifactRun)
            .join(Run, on=ArtifactRun.run == Run.id)
            .where(Run.uid.in_(runs) & _live_artifact())
        )
        out.append(
            CollectionRun.select(Run.uid, *_collection_columns())
            .join(Collection, on=CollectionRun.collection == Collection.id)
            .switch(CollectionRun)
            .join(Run, on=CollectionRun.run == Run.id)
            .where(Run.uid.in_(runs) & (Collection.branch_id != TRASH))
        )
    if artifacts := kinds.get("artifact"):
        near = Artifact.alias("near")
        out.append(
            near.select(near.uid, *_run_columns())
            .join(Run, on=near.run == Run.id)
            .join(Transform, on=Run.transform == Transform.id)
            .where(near.uid.in_(artifacts) & (Run.branch_id != TRASH))
        )
    if collections := kinds.get("collection"):
        near = Collection.alias("near")
        out.append(
            near.select(near.uid, *_run_columns())
            .join(Run, on=near.run == Run.id)
            .join(Transform, on=Run.transform == Transform.id)
            .where(near.uid.in_(collections) & (Run.branch_id != TRASH))
        )
        out.append(
            CollectionArtifact.select(near.uid, *_artifact_columns())
            .join(near, on=CollectionArtifact.collection == near.id)
            .switch(CollectionArtifact)
            .join(Artifact, on=CollectionArtifact.artifact == Artifact.id)
            .where(near.uid.in_(collections) & _live_artifact())
        )
    return out


def _down_selects(kinds: dict[str, list[str]]) -> list[Any]:
    """SELECTs for the children of the frontier (near node → far node)."""
    out = []
    if artifacts := kinds.get("artifact"):
        near = Artifact.alias("near")
        out.append(
            ArtifactRun.select(near.uid, *_run_columns())
            .join(near, on=ArtifactRun.artifact == near.id)
            .switch(ArtifactRun)
            .join(Run, on=ArtifactRun.run == Run.id)
            .join(Transform, on=Run.transform == Transform.id)
            .where(near.uid.in_(artifacts) & (Run.branch_id != TRASH))
        )
        out.append(
            CollectionArtifact.select(near.uid, *_collection_columns())
            .join(near, on=CollectionArtifact.artifact == near.id)
            .switch(CollectionArtifact)
            .join(Collection, on=CollectionArtifact.collection == Collection.id)
            .where(near.uid.in_(artifacts) & (Collection.branch_id != TRASH))
        )
    if collections := kinds.get("collection"):
        near = Collection.alias("near")
        out.append(
            CollectionRun.select(near.uid, *_run_columns())
            .join(near, on=CollectionRun.collection == near.id)
            .switch(CollectionRun)
            .join(Run, on=CollectionRun.run == Run.id)
            .join(Transform, on=Run.transform == Transform.id)
            .where(near.uid.in_(collections) & (Run.branch_id != TRASH))
        )
    if runs := kinds.get("run"):
        near = Run.alias("near")
        out.append(
            Artifact.select(near.uid, *_artifact_columns())
            .join(near, on=Artifact.run == near.id)
            .where(near.uid.in_(runs) & _live_artifact())
        )
        out.append(
            Collection.select(near.uid, *_collection_columns())
            .join(near, on=Collection.run == near.id)
            .where(near.uid.in_(runs) & (Collection.branch_id != TRASH))
        )
    if transforms := kinds.get("transform"):
        near = Transform.alias("near")
        out.append(
            Run.select(near.uid, *_run_columns())
            .join(Transform, on=Run.transform == Transform.id)
            .switch(Run)
            .join(near, JOIN.INNER, on=Run.transform == near.id)
            .where(near.uid.in_(transforms) & (Run.branch_id != TRASH))
        )
    return out


# ----------------------------------------------------------------- the callback
def neighbors(ids: Iterable[str], direction: str) -> tuple[list[Node], list[tuple[str, str]]]:
    """Nodes one hop up (``"up"``) or down (``"down"``) from ``ids``, with their edges.

    One ``UNION ALL`` query answers the whole frontier (split only above
    :data:`CHUNK` ids of one kind), never one query per node.

    Parameters
    ----------
    ids
        Node ids ``<kind>:<uid>``; ``cluster`` ids are ignored.
    direction
        ``"up"`` for parents (inputs, producing runs), ``"down"`` for children.

    Returns
    -------
    ``(nodes, edges)`` with edges ``(source, target)`` in data-flow direction.

    Examples
    --------
    >>> from lamin_lab.lineage import walk
    >>> graph = walk([f"artifact:{artifact.uid}"], neighbors, upstream_depth=4)  # doctest: +SKIP
    """
    kinds: dict[str, list[str]] = {}
    for nid in ids:
        kind, uid = split_node_id(nid)
        kinds.setdefault(kind, []).append(uid)
    nodes: dict[str, Node] = {}
    edges: list[tuple[str, str]] = []
    for chunk in _chunks(kinds):
        members = {kind: set(uids) for kind, uids in chunk.items()}
        for row in _run_union(direction, chunk):
            far = _node_from_row(row[1:])
            nodes.setdefault(far.id, far)
            near = _near_id(members, row[0], far.kind, direction)
            edges.append((far.id, near) if direction == "up" else (near, far.id))
    return list(nodes.values()), edges


def _chunks(kinds: dict[str, list[str]]) -> list[dict[str, list[str]]]:
    """The frontier as one dict, or several when a kind has more than CHUNK ids."""
    biggest = max((len(v) for v in kinds.values()), default=0)
    if biggest <= CHUNK:
        return [kinds] if kinds else []
    return [
        {k: v[i : i + CHUNK] for k, v in kinds.items() if v[i : i + CHUNK]}
        for i in range(0, biggest, CHUNK)
    ]


#: compiled SQL by (database class, direction, ids per kind): building a peewee query
#: costs ~1 ms, running it ~0.03 ms, and a deep chain asks the same shape thousands of times
_SQL_CACHE: dict[tuple[Any, ...], tuple[str, list[Any], list[tuple[str, int] | None]]] = {}
_SENTINEL = "\0lamin-lineage\0"


def _compiled(direction: str, chunk: dict[str, list[str]]) -> tuple[str, list[Any]] | None:
    """SQL and parameters of the UNION ALL for this frontier, compiled once per shape."""
    db = ensure_connected()
    shape = (type(db), direction, tuple(sorted((k, len(v)) for k, v in chunk.items())))
    hit = _SQL_CACHE.get(shape)
    if hit is None:
        # compile with sentinel uids, remember which parameter slot takes which uid
        fake = {k: [f"{_SENTINEL}{k}\0{i}" for i in range(len(v))] for k, v in chunk.items()}
        selects = _up_selects(fake) if direction == "up" else _down_selects(fake)
        if not selects:
            return None
        query = selects[0]
        for other in selects[1:]:
            query = query.union_all(other)
        sql, params = query.sql()
        slots = []
        for p in params:
            if isinstance(p, str) and p.startswith(_SENTINEL):
                kind, index = p[len(_SENTINEL) :].split("\0")
                slots.append((kind, int(index)))
            else:
                slots.append(None)
        if len(_SQL_CACHE) > 512:  # many frontier sizes: start over rather than grow
            _SQL_CACHE.clear()
        hit = _SQL_CACHE[shape] = (sql, list(params), slots)
    sql, params, slots = hit
    return sql, [
        p if slot is None else chunk[slot[0]][slot[1]]
        for p, slot in zip(params, slots, strict=True)
    ]


def _run_union(direction: str, chunk: dict[str, list[str]]) -> list[Row]:
    """Rows of the frontier's UNION ALL query; each row starts with the near uid."""
    compiled = _compiled(direction, chunk)
    if compiled is None:
        return []
    return list(ensure_connected().execute_sql(*compiled).fetchall())


#: which frontier kinds can sit next to a far node of a given kind
_NEAR_KINDS = {
    "up": {
        "artifact": ("run", "collection"),
        "collection": ("run",),
        "run": ("artifact", "collection"),
    },
    "down": {
        "artifact": ("run",),
        "collection": ("run", "artifact"),
        "run": ("artifact", "collection", "transform"),
    },
}


def _near_id(members: dict[str, set[str]], near_uid: str, far_kind: str, direction: str) -> str:
    """The frontier node a row belongs to; the far node's kind narrows down its kind."""
    candidates = _NEAR_KINDS[direction][far_kind]
    for kind in candidates:
        if near_uid in members.get(kind, ()):
            return node_id(kind, near_uid)
    return node_id(candidates[0], near_uid)


# ----------------------------------------------------------------- nodes
def _node_from_row(row: Row) -> Node:
    kind, uid, a, b, c, d, e = row
    if kind == "run":
        return run_node(
            uid, transform_key=a, name=b, started_at=c, transform_version=d, transform_uid=e
        )
    if kind == "collection":
        return data_node("collection", uid, key=a, description=b, version_tag=c)
    return data_node("artifact", uid, key=a, description=b, version_tag=c, suffix=d)


def data_node(
    kind: str,
    uid: str,
    *,
    key: str | None = None,
    description: str | None = None,
    version_tag: str | None = None,
    suffix: str | None = None,
) -> Node:
    """The node of an artifact or collection: label = key (or description, or uid).

    The sublabel is the version: ``version_tag`` when set, else the uid's 4-character
    counter when it is not the first (``0000``).

    Examples
    --------
    >>> data_node("artifact", "Ab3dEf6hIj9lMn0p0001", key="x.csv").sublabel
    'version 0001'
    """
    counter = uid[-4:] if len(uid) == 20 else ""
    version = version_tag or (counter if counter and counter != "0000" else "")
    attrs = {
        "uid": uid,
        "key": key,
        "description": description,
        "version": version_tag or counter or None,
        "suffix": suffix,
    }
    return Node(
        node_id(kind, uid),
        label=key or description or uid,
        sublabel=f"version {version}" if version else "",
        attrs={k: v for k, v in attrs.items() if v is not None},
    )


def run_node(
    uid: str,
    *,
    transform_key: str | None = None,
    name: str | None = None,
    started_at: Any = None,
    transform_version: str | None = None,
    transform_uid: str | None = None,
) -> Node:
    """The node of a run: label = its transform's key, sublabel = start time (and name).

    Examples
    --------
    >>> run_node("R1", transform_key="train.py", started_at="2026-01-02 03:04:05.1").sublabel
    '2026-01-02 03:04'
    """
    started = _short_time(started_at)
    sub = " · ".join(p for p in (name, started) if p)
    attrs = {
        "uid": uid,
        "name": name,
        "started_at": started or None,
        "transform_key": transform_key,
        "transform_uid": transform_uid,
        "transform_version": transform_version,
    }
    return Node(
        node_id("run", uid),
        label=transform_key or name or uid,
        sublabel=sub,
        attrs={k: v for k, v in attrs.items() if v is not None},
    )


def _short_time(value: Any) -> str:
    """A start time as ``YYYY-MM-DD HH:MM`` from a datetime or the text SQL gave back."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            return value[:16]
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def transform_node(transform: Any) -> Node:
    """The node of a transform record (used when a lineage is drawn for a transform).

    Examples
    --------
    >>> transform_node(ln.Transform.get(key="train.py")).label  # doctest: +SKIP
    'train.py'
    """
    data = transform.__data__
    version = data.get("version_tag") or ""
    return Node(
        node_id("transform", data["uid"]),
        label=data.get("key") or data["uid"],
        sublabel=f"{data.get('kind') or ''}{' · version ' + version if version else ''}",
        attrs={"uid": data["uid"], "key": data.get("key"), "kind": data.get("kind")},
    )


def node_for_record(record: Any) -> Node:
    """The node of an Artifact, Collection, Run or Transform record.

    A run costs one query (its transform's key); the others use loaded fields only.

    Examples
    --------
    >>> node_for_record(artifact).id  # doctest: +SKIP
    'artifact:Ab3dEf6hIj9lMn0p0000'
    """
    data = record.__data__
    if isinstance(record, Artifact):
        return data_node(
            "artifact",
            data["uid"],
            key=data.get("key"),
            description=data.get("description"),
            version_tag=data.get("version_tag"),
            suffix=data.get("suffix"),
        )
    if isinstance(record, Collection):
        return data_node(
            "collection",
            data["uid"],
            key=data.get("key"),
            description=data.get("description"),
            version_tag=data.get("version_tag"),
        )
    if isinstance(record, Run):
        t = record.transform
        return run_node(
            data["uid"],
            transform_key=t.key,
            name=data.get("name"),
            started_at=data.get("started_at"),
            transform_version=t.version_tag,
            transform_uid=t.uid,
        )
    if isinstance(record, Transform):
        return transform_node(record)

    raise InvalidArgument(
        f"lineage is drawn for Artifact, Collection, Run or Transform records, not {type(record).__name__}"
    )


def runs_of_transform(transform: Any) -> list[Node]:
    """Nodes of a transform's runs (not in the trash), oldest first: one query.

    Examples
    --------
    >>> [n.id for n in runs_of_transform(transform)]  # doctest: +SKIP
    ['run:Xy...']
    """
    ensure_connected()
    data = transform.__data__
    rows = (
        Run.select(Run.uid, Run.name, Run.started_at)
        .where((Run.transform == transform.id) & (Run.branch_id != TRASH))
        .order_by(Run.started_at, Run.id)
        .tuples()
    )
    return [
        run_node(
            uid,
            transform_key=data.get("key"),
            name=name,
            started_at=started,
            transform_version=data.get("version_tag"),
            transform_uid=data.get("uid"),
        )
        for uid, name, started in rows
    ]

"""``describe()`` of records read from the database, as :class:`DescribeTree` s.

One tree builder per registry that has more to say than its fields (Artifact,
Collection, Run, Transform) and a generic one for all others. Each builder reads
what it needs with a handful of queries, independent of how many labels or
versions there are (no N+1):

- Artifact: 1 join (creator, storage, run, transform) + 1 for versions
  + 1 ``UNION ALL`` for all linked labels = 3 queries
- Collection: 1 join + 1 versions + 1 labels + 1 member keys + 1 member count
- Run: 1 join (transform, creator, report, environment) + 1 ``UNION ALL`` of counts + 1 labels
- Transform: 1 creator + 1 versions + 1 runs (count and latest in one)

Feature sections ("Dataset features", "External features") come from
:func:`lamin_lab.describe.features.feature_sections`.

Imported lazily (by ``record.describe()``), never by ``import lamin_lab``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee
from peewee import JOIN, SQL, fn

from lamin_lab.describe.branches import block_sections, branch_tree, check_include
from lamin_lab.describe.build import provenance_section
from lamin_lab.describe.features import feature_sections
from lamin_lab.describe.record_queries import linked_labels, versions_of

from lamin_lab.describe.render_html import to_html
from lamin_lab.describe.render_text import print_tree
from lamin_lab.describe.tree import DescribeTree, Row, Section, format_datetime
from lamin_lab.models import (
    Artifact,
    Branch,
    ArtifactProject,
    ArtifactRecord,
    ArtifactRecreatingRun,
    ArtifactReference,
    ArtifactRun,
    ArtifactULabel,
    Collection,
    CollectionArtifact,
    CollectionProject,
    CollectionRecord,
    CollectionReference,
    CollectionRun,
    CollectionULabel,
    Project,
    Record,
    Reference,
    Run,
    RunProject,
    RunRecord,
    RunULabel,
    Storage,
    Transform,
    ULabel,
    User,
)
from lamin_lab.models.run import STATUS_NAMES
from lamin_lab.orm.compiled import fetch_compiled
from lamin_lab.orm.database import ensure_connected
from lamin_lab.orm.branches import TRASH

#: member keys a collection's describe lists before "…"
N_MEMBER_KEYS = 5


# ----------------------------------------------------------------- public entry points
def describe_tree(record: Any, include: str | None = None) -> DescribeTree:
    """The describe tree of any record (registry-specific where there is one).

    ``include="comments"`` adds the record's notes and comments (attached blocks).

    Examples
    --------
    >>> print(describe_tree(artifact).to_text())  # doctest: +SKIP
    Artifact  data/x.csv · version 0000
    ├── General
    ...
    """
    check_include(include)
    ensure_connected()
    if isinstance(record, Branch):  # its notes always, as LaminDB shows them
        return branch_tree(record, include=include)
    builder = next((b for model, b in _BUILDERS if isinstance(record, model)), generic_tree)
    tree = builder(record)
    if include is not None:
        tree.sections += block_sections(record, include)
    return tree


def describe(record: Any, return_str: bool = False, include: str | None = None) -> str | None:
    """Print a record's describe tree (coloured on a terminal), or return its text.

    Examples
    --------
    >>> artifact.describe()  # doctest: +SKIP
    >>> text = artifact.describe(return_str=True, include="comments")  # doctest: +SKIP
    """
    return print_tree(describe_tree(record, include=include), return_str=return_str)


def describe_html(record: Any) -> str:
    """Escaped, collapsible HTML of a record's describe tree (for ``_repr_html_``).

    Examples
    --------
    >>> describe_html(artifact).startswith('<div class="lamin-lab-describe"')  # doctest: +SKIP
    True
    """
    return to_html(describe_tree(record))


# ----------------------------------------------------------------- shared pieces
def _rows(pairs: list[tuple[str, Any, str]]) -> list[Row]:
    """Rows for the values that are set (None and "" are left out)."""
    return [Row(label, value, kind) for label, value, kind in pairs if value not in (None, "")]


def _first(rows: list[tuple[Any, ...]], width: int) -> tuple[Any, ...]:
    return rows[0] if rows else (None,) * width


def _version_text(record: Any) -> str:
    return record.__data__.get("version_tag") or record.uid[record._stem_length() :]


def _provenance(run: dict[str, Any] | None, transform: dict[str, Any] | None) -> Section:
    sec = provenance_section(transform, run)
    if run and run.get("finished_at"):
        sec.rows.append(Row("finished_at", run["finished_at"], "datetime"))
    return sec


def _storage_path(artifact: Any, root: str | None) -> str:
    """The artifact's path: its ``path`` property when it has one, else root + key."""
    try:
        path = getattr(artifact, "path", None)
    except Exception:  # a path that cannot be built must not break describe
        path = None
    if path is not None:
        return str(path)
    if not root:
        return ""
    data = artifact.__data__
    if data.get("_key_is_virtual", True) or not data.get("key"):
        return f"{root.rstrip('/')}/.lamindb/{data['uid']}{data.get('suffix') or ''}"
    return f"{root.rstrip('/')}/{data['key']}"


def _with_features(sections: list[Section], record: Any) -> list[Section]:
    """Placeholders for the feature sections, replaced by what providers return."""
    extra = {s.name: s for s in feature_sections(record)}
    base = [extra.pop(name, Section(name)) for name in ("Dataset features", "External features")]
    return sections[:-1] + base + list(extra.values()) + sections[-1:]


# ----------------------------------------------------------------- Artifact
def artifact_tree(artifact: Artifact) -> DescribeTree:
    """Describe tree of an artifact: General, Provenance, Versions, features, Labels.

    Examples
    --------
    >>> artifact_tree(artifact).section("General").rows[0].label  # doctest: +SKIP
    'uid'
    """
    d = artifact.__data__

    def build(pk: Any) -> Any:
        return (
            Artifact.select(
                User.handle,
                Storage.root,
                Run.uid,
                Run.started_at,
                Run.finished_at,
                Transform.key,
                Transform.version_tag,
                Transform.uid,
                ArtifactRecreatingRun.select(fn.COUNT(SQL("*"))).where(
                    ArtifactRecreatingRun.artifact == Artifact.id
                ),
            )
            .join(User, JOIN.LEFT_OUTER, on=Artifact.created_by == User.id)
            .switch(Artifact)
            .join(Storage, JOIN.LEFT_OUTER, on=Artifact.storage == Storage.id)
            .switch(Artifact)
            .join(Run, JOIN.LEFT_OUTER, on=Artifact.run == Run.id)
            .join(Transform, JOIN.LEFT_OUTER, on=Run.transform == Transform.id)
            .where(Artifact.id == pk)
        )

    row = _first(fetch_compiled("artifact", build, pk=artifact.id), 9)
    handle, root, run_uid, started, finished, t_key, t_version, t_uid, n_recreating = row
    general = Section(
        "General",
        _rows(
            [
                ("uid", d.get("uid"), "code"),
                ("key", d.get("key"), "path"),
                ("description", d.get("description"), "text"),
                ("suffix", d.get("suffix"), "code"),
                ("kind", d.get("kind"), "text"),
                ("otype", d.get("otype"), "text"),
                ("hash", d.get("hash"), "code"),
                ("size", d.get("size"), "size"),
                ("n_files", d.get("n_files"), "number"),
                ("n_observations", d.get("n_observations"), "number"),
                ("created_by", handle, "text"),
                ("created_at", d.get("created_at"), "datetime"),
                ("path", _storage_path(artifact, root), "path"),
            ]
        ),
    )
    run = {"uid": run_uid, "started_at": started, "finished_at": finished} if run_uid else None
    transform = {"key": t_key, "version": t_version, "uid": t_uid} if t_key else None
    labels = linked_labels(
        [
            (ArtifactULabel, ULabel, "ulabels"),
            (ArtifactRecord, Record, "records"),
            (ArtifactProject, Project, "projects"),
            (ArtifactReference, Reference, "references"),
        ],
        "artifact",
        artifact.id,
    )
    provenance = _provenance(run, transform)
    if n_recreating:  # LaminDB lists them too (.recreating_runs)
        provenance.rows.append(Row("recreating runs", n_recreating, "number"))
    sections = [general, provenance, versions_of(artifact), labels]
    return DescribeTree(
        "Artifact",
        d.get("key") or d.get("description") or d["uid"],
        _with_features(sections, artifact),
        version=_version_text(artifact),
    )


# ----------------------------------------------------------------- Collection
def collection_tree(collection: Collection) -> DescribeTree:
    """Describe tree of a collection: General (members, meta artifact), Provenance, Versions, Labels.

    Examples
    --------
    >>> collection_tree(collection).title  # doctest: +SKIP
    'Collection'
    """
    d = collection.__data__
    Meta = Artifact.alias("meta")

    def build(pk: Any) -> Any:
        return (
            Collection.select(
                User.handle,
                Meta.key,
                Meta.uid,
                Run.uid,
                Run.started_at,
                Run.finished_at,
                Transform.key,
                Transform.version_tag,
                Transform.uid,
                CollectionArtifact.select(fn.COUNT(SQL("*"))).where(
                    CollectionArtifact.collection == Collection.id
                ),
            )
            .join(User, JOIN.LEFT_OUTER, on=Collection.created_by == User.id)
            .switch(Collection)
            .join(Meta, JOIN.LEFT_OUTER, on=Collection.meta_artifact == Meta.id)
            .switch(Collection)
            .join(Run, JOIN.LEFT_OUTER, on=Collection.run == Run.id)
            .join(Transform, JOIN.LEFT_OUTER, on=Run.transform == Transform.id)
            .where(Collection.id == pk)
        )

    def build_members(pk: Any) -> Any:
        return (
            CollectionArtifact.select(Artifact.key, Artifact.uid)
            .join(Artifact, on=CollectionArtifact.artifact == Artifact.id)
            .where(CollectionArtifact.collection == pk)
            .order_by(CollectionArtifact.id)
            .limit(N_MEMBER_KEYS)
        )

    row = _first(fetch_compiled("collection", build, pk=collection.id), 10)
    handle, meta_key, meta_uid, run_uid, started, finished, t_key, t_version, t_uid, n_members = row
    n_members = int(n_members or 0)
    keys = [
        key or uid
        for key, uid in fetch_compiled("collection members", build_members, pk=collection.id)
    ]
    if n_members > len(keys):
        keys.append(f"… (+{n_members - len(keys)} more)")
    general = Section(
        "General",
        _rows(
            [
                ("uid", d.get("uid"), "code"),
                ("key", d.get("key"), "path"),
                ("description", d.get("description"), "text"),
                ("hash", d.get("hash"), "code"),
                ("artifacts", f"{n_members} artifact{'s' if n_members != 1 else ''}", "number"),
                ("artifact keys", keys or None, "list"),
                ("meta_artifact", meta_key or meta_uid, "path"),
                ("created_by", handle, "text"),
                ("created_at", d.get("created_at"), "datetime"),
            ]
        ),
    )
    run = {"uid": run_uid, "started_at": started, "finished_at": finished} if run_uid else None
    transform = {"key": t_key, "version": t_version, "uid": t_uid} if t_key else None
    labels = linked_labels(
        [
            (CollectionULabel, ULabel, "ulabels"),
            (CollectionRecord, Record, "records"),
            (CollectionProject, Project, "projects"),
            (CollectionReference, Reference, "references"),
        ],
        "collection",
        collection.id,
    )
    sections = [general, _provenance(run, transform), versions_of(collection), labels]
    return DescribeTree(
        "Collection",
        d.get("key") or d.get("description") or d["uid"],
        _with_features(sections, collection),
        version=_version_text(collection),
    )


# ----------------------------------------------------------------- Run
def _io_counts(run_id: int) -> dict[str, int]:
    """Input/output artifacts and collections of a run: four counts, one query."""
    return {name: int(n) for name, n in fetch_compiled("run io", _io_counts_query, run_id=run_id)}


def _io_counts_query(run_id: Any) -> Any:
    parts = [
        ArtifactRun.select(SQL("CAST('input artifacts' AS TEXT)"), fn.COUNT(SQL("*"))).where(
            ArtifactRun.run == run_id
        ),
        CollectionRun.select(SQL("CAST('input collections' AS TEXT)"), fn.COUNT(SQL("*"))).where(
            CollectionRun.run == run_id
        ),
        Artifact.select(SQL("CAST('output artifacts' AS TEXT)"), fn.COUNT(SQL("*"))).where(
            (Artifact.run == run_id) & (Artifact.branch_id != TRASH)
        ),
        Collection.select(SQL("CAST('output collections' AS TEXT)"), fn.COUNT(SQL("*"))).where(
            (Collection.run == run_id) & (Collection.branch_id != TRASH)
        ),
    ]
    query = parts[0]
    for other in parts[1:]:
        query = query.union_all(other)
    return query


def run_tree(run: Run) -> DescribeTree:
    """Describe tree of a run: General (status, times, params), Provenance, Inputs/outputs, Labels.

    Examples
    --------
    >>> run_tree(run).section("Provenance").rows[0].label  # doctest: +SKIP
    'transform'
    """
    d = run.__data__
    Report, Env, Parent = Artifact.alias("report"), Artifact.alias("env"), Run.alias("parent")

    def build(pk: Any) -> Any:
        return (
            Run.select(
                Transform.key,
                Transform.version_tag,
                Transform.kind,
                Transform.uid,
                User.handle,
                Report.key,
                Report.uid,
                Env.key,
                Env.uid,
                Parent.uid,
            )
            .join(Transform, JOIN.LEFT_OUTER, on=Run.transform == Transform.id)
            .switch(Run)
            .join(User, JOIN.LEFT_OUTER, on=Run.created_by == User.id)
            .switch(Run)
            .join(Report, JOIN.LEFT_OUTER, on=Run.report == Report.id)
            .switch(Run)
            .join(Env, JOIN.LEFT_OUTER, on=Run.environment == Env.id)
            .switch(Run)
            .join(Parent, JOIN.LEFT_OUTER, on=Run.initiated_by_run == Parent.id)
            .where(Run.id == pk)
        )

    row = _first(fetch_compiled("run", build, pk=run.id), 10)
    t_key, t_version, t_kind, t_uid, handle, rep_key, rep_uid, env_key, env_uid, parent_uid = row
    general = Section(
        "General",
        _rows(
            [
                ("uid", d.get("uid"), "code"),
                ("name", d.get("name"), "text"),
                ("status", run.status, "text"),
                ("started_at", d.get("started_at"), "datetime"),
                ("finished_at", d.get("finished_at"), "datetime"),
                ("params", _params_text(d.get("params")), "code"),
                ("entrypoint", d.get("entrypoint"), "text"),
                ("cli_args", d.get("cli_args"), "code"),
                ("created_by", handle, "text"),
            ]
        ),
    )
    prov = Section(
        "Provenance",
        _rows(
            [
                (
                    "transform",
                    f"{t_key}{' · version ' + t_version if t_version else ''}" if t_key else None,
                    "path",
                ),
                ("transform kind", t_kind, "text"),
                ("transform uid", t_uid, "code"),
                ("initiated_by_run", parent_uid, "code"),
                ("report", rep_key or rep_uid, "path"),
                ("environment", env_key or env_uid, "path"),
            ]
        ),
    )
    counts = _io_counts(run.id)
    io = Section("Inputs and outputs", [Row(name, n, "number") for name, n in counts.items()])
    labels = linked_labels(
        [
            (RunULabel, ULabel, "ulabels"),
            (RunRecord, Record, "records"),
            (RunProject, Project, "projects"),
        ],
        "run",
        run.id,
    )
    title = t_key or d.get("name") or d["uid"]
    return DescribeTree("Run", title, _with_features([general, prov, io, labels], run))


def _params_text(params: Any) -> str | None:
    if not params:
        return None
    if isinstance(params, dict):
        return ", ".join(f"{k}={v!r}" for k, v in params.items())
    return str(params)


# ----------------------------------------------------------------- Transform
def transform_tree(transform: Transform) -> DescribeTree:
    """Describe tree of a transform: General, Runs (count, latest), Versions.

    Examples
    --------
    >>> transform_tree(transform).title  # doctest: +SKIP
    'Transform'
    """
    d = transform.__data__

    def build(pk: Any) -> Any:
        # the run count rides along with the latest run (a window function)
        return (
            Transform.select(
                User.handle,
                Run.uid,
                Run.started_at,
                Run.finished_at,
                Run._status_code,
                fn.COUNT(Run.id).over(),
            )
            .join(User, JOIN.LEFT_OUTER, on=Transform.created_by == User.id)
            .switch(Transform)
            .join(
                Run, JOIN.LEFT_OUTER, on=(Run.transform == Transform.id) & (Run.branch_id != TRASH)
            )
            .where(Transform.id == pk)
            .order_by(Run.started_at.desc(), Run.id.desc())
            .limit(1)
        )

    handle, *latest = _first(fetch_compiled("transform", build, pk=transform.id), 6)
    runs = tuple(latest) if latest[0] is not None else None
    source = d.get("source_code")
    general = Section(
        "General",
        _rows(
            [
                ("uid", d.get("uid"), "code"),
                ("key", d.get("key"), "path"),
                ("kind", d.get("kind"), "text"),
                ("description", d.get("description"), "text"),
                ("hash", d.get("hash"), "code"),
                ("source_code", f"{len(source.splitlines())} lines" if source else None, "muted"),
                ("reference", d.get("reference"), "text"),
                ("created_by", handle, "text"),
                ("created_at", d.get("created_at"), "datetime"),
            ]
        ),
    )
    run_rows = [Row("runs", runs[4] if runs else 0, "number")]
    if runs:
        uid, started, finished, code = runs[:4]
        status = STATUS_NAMES.get(code, "started")
        run_rows.append(
            Row("latest run", f"{uid} · {status} · started {format_datetime(started)}", "code")
        )
    sections = [general, Section("Runs", run_rows), versions_of(transform)]
    return DescribeTree(
        "Transform", d.get("key") or d["uid"], sections, version=_version_text(transform)
    )


# ----------------------------------------------------------------- any other record
def generic_tree(record: Any) -> DescribeTree:
    """Describe tree of any record: its fields, foreign keys by the related record's label.

    One query per foreign key that is set (a record has a few).

    Examples
    --------
    >>> print(generic_tree(ln.ULabel.get(name="T cell")).to_text())  # doctest: +SKIP
    ULabel  T cell
    └── General
        ├── uid   ...
    """
    model = type(record)
    rows = []
    for name, field in model._meta.fields.items():
        value = record.__data__.get(name)
        # created_on_id: bookkeeping that equals branch_id for nearly every record; kept off as before
        if name.startswith("_") or name in ("id", "created_on_id") or value in (None, ""):
            continue
        if isinstance(field, peewee.ForeignKeyField):
            value = _fk_label(field, value)
            rows.append(Row(name, value, "text"))
        else:
            rows.append(Row(name, value, _field_kind(field)))
    title = record.__data__.get("key") or record.__data__.get(model._name_field) or ""
    features = [
        s for s in feature_sections(record) if s.rows or s.children
    ]  # e.g. a Record's values
    return DescribeTree(model.__name__, str(title), [Section("General", rows), *features])


def _fk_label(field: peewee.ForeignKeyField, value: Any) -> Any:
    target = field.rel_model
    name = target._name_field if target._name_field in target._meta.fields else None
    if name is None:
        name = "uid" if "uid" in target._meta.fields else None
    if name is None:
        return value
    label = target.select(getattr(target, name)).where(target._meta.primary_key == value).scalar()
    return label if label is not None else value


def _field_kind(field: Any) -> str:
    if isinstance(field, (peewee.DateTimeField, peewee.DateField)):
        return "datetime"
    if isinstance(field, (peewee.IntegerField, peewee.FloatField)) and not isinstance(
        field, peewee.BooleanField
    ):
        return "number"
    if field.name == "uid":
        return "code"
    return "text"


#: registry → tree builder; records of other registries get :func:`generic_tree`
_BUILDERS: list[tuple[type, Callable[[Any], DescribeTree]]] = [
    (Artifact, artifact_tree),
    (Collection, collection_tree),
    (Run, run_tree),
    (Transform, transform_tree),
]

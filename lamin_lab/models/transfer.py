"""Saving a record read from another instance copies it into the current one (LaminDB's transfer).

``ln.DB("owner/name").Artifact.get(...).save()`` writes the artifact's row here with the same
``uid``, ``hash`` and ``key``; every record it points to (its storage location, the user who
made it, its schema, a type) is copied the same way, or mapped to the record already here:
by ``uid``, a storage location by its ``root``, a label or a feature also by its name. The
storage location is registered here and the data stays where it is (zero-copy).

As in LaminDB, the lineage of a copied record is the transfer itself: its ``run`` is a run
of the transform ``__lamindb_transfer__/<source instance uid>`` ("Transfer from
`owner/name`", kind ``function``), initiated by the run of ``ln.track()`` when there is one.

``transfer="annotations"`` also copies what annotates the record: its labels (ulabels,
records, projects, references, with the features they are linked under), its feature
values and its schemas with their features. A second save finds the copy by ``uid`` and
maps to it: nothing is duplicated (annotations missing on the copy are added).

Examples
--------
>>> db = ln.DB("me/other")  # doctest: +SKIP
>>> artifact = db.Artifact.get(key="x.csv").save(transfer="annotations")  # doctest: +SKIP
>>> artifact._state.db  # doctest: +SKIP
'default'
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import peewee

from ..errors import InvalidArgument, NoWriteAccess
from ..orm.branches import ARCHIVE, MAIN, TRASH, current_branch_id
from ..orm.database import atomic, state
from ..orm.inserts import insert_new
from ..orm.instances import OtherInstance, forget_instance, instance_of, on_instance
from ..orm.relations import ROLES, relations
from ..settings import settings
from .run import Run
from .transform import Transform

logger = logging.getLogger("lamin_lab")

MODES = ("sqlrecord", "notes", "annotations")
# found here by a unique field other than the uid, as LaminDB maps them
_MAPPED_BY = {
    "Storage": ("root",),
    "User": ("uid", "handle"),
    "ULabel": ("uid", "name"),
    "Schema": ("uid", "hash"),  # the same members: the same schema
}
_ALSO_BY_NAME = {"Feature": ("uid", "name")}
# many-to-many relations that annotate a record (copied with transfer="annotations")
_ANNOTATIONS = ("ulabels", "records", "projects", "references", "users", "json_values", "schemas")
_MEMBERS = {"Collection": ("artifacts",)}
_ANNOTATED_MEMBERS = {"Schema": ("features",)}
# a Record's feature values: the link tables that point to it as ``record``
_RECORD_VALUES = "_links_record"
_NOT_VALUES = ("_value", "parent")
# columns of a link row that say who made it and when, not what it links
_LINK_BOOKKEEPING = {"created_at", "created_by", "run"}


def _mode(transfer: str | None, registry: str) -> str:
    if transfer is None:  # as in LaminDB: a schema goes with its members unless told otherwise
        return "annotations" if registry == "Schema" else "sqlrecord"
    if transfer == "record":  # LaminDB's older word
        return "sqlrecord"
    if transfer not in MODES:
        raise InvalidArgument(
            f"transfer= takes one of {', '.join(repr(m) for m in MODES)}, not {transfer!r}."
        )
    return transfer


class _Transfer:
    """One transfer from one source instance: what was copied, what was found here, the run."""

    def __init__(self, other: OtherInstance, annotations: bool):
        self.other = other
        self.annotations = (
            annotations  # transfer="annotations": a schema pointed to brings its members
        )
        self.transferred: list[str] = []
        self.mapped: list[str] = []
        self.done: dict[tuple[str, Any], Any] = {}  # (registry, source id) -> record here
        self._run: Any = None

    # ------------------------------------------------------------ the transfer run
    def _instance_uid(self) -> str:
        uid = self.other.uid
        if len(uid) == 12:
            return uid
        digest = hashlib.md5(self.other.instance.db.encode()).digest()  # stable without a uid
        return "".join(_B62[b % 62] for b in digest)[:12]

    def run(self) -> Any:
        """The run of the transfer transform (made once per source and tracked run)."""
        if self._run is not None:
            return self._run
        uid = self._instance_uid()
        transform = Transform.filter(uid=f"{uid}0000", branch_id=None).first()
        if transform is None:
            transform = Transform(
                uid=f"{uid}0000",
                key=f"__lamindb_transfer__/{uid}",
                description=f"Transfer from `{self.other.slug}`",
                kind="function",
            )
            transform.save()
        initiated = state.run_id
        query = Run.filter(transform=transform, branch_id=None)
        query = (
            query.filter(initiated_by_run__isnull=True)
            if initiated is None
            else query.filter(initiated_by_run=initiated)
        )
        run = query.first()
        if run is None:
            run = Run(transform=transform, initiated_by_run=initiated, status="started")
            run.save()
        self._run = run
        return run

    # ------------------------------------------------------------ records
    def copy(self, record: Any, annotations: bool) -> Any:
        """The record here that ``record`` (read from the source) is, copied when missing."""
        model = type(record)
        key = (model.__name__, record._pk)
        if key in self.done:
            return self.done[key]
        label = _label(record)
        found = _find_here(record)
        if found is not None:
            self.mapped.append(label)
        else:
            found = self._insert(record)
            self.transferred.append(label)
        self.done[key] = found
        self._annotate(record, found, annotations)
        return found

    def _insert(self, record: Any) -> Any:
        model = type(record)
        data = dict(record.__data__)
        data.pop(model._meta.primary_key.name, None)
        if "run" in model._meta.fields:  # as LaminDB: the copy's run is the transfer, always
            data["run"] = self.run()._pk
        for field in model._meta.sorted_fields:
            if not isinstance(field, peewee.ForeignKeyField) or data.get(field.name) is None:
                continue
            if field.name == "run":
                continue
            if field.rel_model is model and record.__data__.get(field.name) == record._pk:
                continue  # points to itself
            related = getattr(record, field.name)  # read from the source (orm/fields.py)
            data[field.name] = self.copy(related, annotations=self._members_of(related))._pk
        for name in ("branch_id", "created_on_id"):
            if name in data:
                data[name] = self._branch(data[name])
        if data.get("space_id") not in (None, 1):
            data["space_id"] = self._space(data["space_id"], record)
        new = model.__new__(model)
        new.__data__ = data
        new._dirty = set(data)
        new.__rel__ = {}
        insert_new(model, [new])
        return new

    def _branch(self, branch_id: int) -> int:
        """Main, archive and trash are everywhere; another branch is mapped by uid, else the current one."""
        if branch_id in (MAIN, ARCHIVE, TRASH):
            return branch_id
        model = ROLES["branch"]
        with on_instance(self.other):
            source = model.filter(id=branch_id).first()
        here = None if source is None else model.filter(uid=source.uid).first()
        return here._pk if here is not None else current_branch_id()

    def _space(self, space_id: int, record: Any) -> int:
        model = ROLES["space"]
        with on_instance(self.other):
            source = model.get(space_id)
        here = model.filter(uid=source.uid).first()
        if here is None:
            raise NoWriteAccess(
                f"Cannot map space {source.name!r} of {_label(record)}: create a space with uid "
                f"{source.uid!r} here first, then save again."
            )
        return here._pk

    # ------------------------------------------------------------ annotations
    def _members_of(self, related: Any) -> bool:
        """A schema is copied with its members when annotations are (LaminDB: they are its annotations)."""
        return self.annotations and type(related).__name__ == "Schema"

    def _annotate(self, record: Any, here: Any, annotations: bool) -> None:
        model = type(record)
        names = _MEMBERS.get(model.__name__, ())  # a collection's artifacts go with it always
        if annotations:
            names = names + _ANNOTATIONS + _ANNOTATED_MEMBERS.get(model.__name__, ())
        rels = relations(model)
        for name in names:
            rel = rels.get(name)
            if rel is not None and rel.kind == "m2m":
                self._copy_rows(rel.link, rel.link_source, record, here)
        if annotations and "schema" in model._meta.fields and record.__data__.get("schema"):
            self.copy(record.schema, annotations=True)  # mapped before: its members may be new
        if annotations and model.__name__ == "Record":  # a record's values live in its link tables
            for name, rel in rels.items():
                if name.startswith(_RECORD_VALUES) and not name.endswith(_NOT_VALUES):
                    self._copy_rows(rel.target, rel.field, record, here)

    def _copy_rows(self, link: type, host: peewee.Field, record: Any, here: Any) -> None:
        """Copy the link rows of ``record`` (``host`` points to it) onto ``here``; present ones stay."""
        with on_instance(self.other):
            rows = list(link.select().where(host == record._pk))
        if not rows:
            return
        # by name: peewee fields compare into SQL expressions, so `in` would match any field
        fields = [
            f
            for f in link._meta.sorted_fields
            if f.name not in {link._meta.primary_key.name, host.name}
        ]
        same = [f.name for f in fields if f.name not in _LINK_BOOKKEEPING]
        wanted = []
        for row in rows:
            values = {host.name: here._pk}
            for f in fields:
                value = row.__data__.get(f.name)
                if f.name == "run" and value is not None:  # links made here are the transfer's
                    value = self.run()._pk
                elif isinstance(f, peewee.ForeignKeyField) and value is not None:
                    target = getattr(row, f.name)  # read from the source (orm/fields.py)
                    value = self.copy(target, annotations=self._members_of(target))._pk
                values[f.name] = value
            wanted.append(values)
        present = {_key(r.__data__, same) for r in link.select().where(host == here._pk)}
        new_rows = []
        for values in wanted:
            key = _key(values, same)
            if key not in present:
                present.add(key)
                new_rows.append(values)
        if new_rows:
            link.insert_many(new_rows).execute()


def _key(values: dict[str, Any], names: list[str]) -> str:
    return repr([values.get(n) for n in names])


_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _label(record: Any) -> str:
    uid = record.__data__.get("uid")
    return (
        f"{type(record).__name__}(uid={uid!r})"
        if uid
        else f"{type(record).__name__}(id={record._pk})"
    )


def _find_here(record: Any) -> Any:
    """The record of the current instance that ``record`` is, or None."""
    model = type(record)
    if model.__name__ == "JsonValue":
        return _find_json_value(record)
    fields = _MAPPED_BY.get(model.__name__) or _ALSO_BY_NAME.get(model.__name__) or ("uid",)
    every_branch = {"branch_id": None} if "branch_id" in model._meta.fields else {}
    for name in fields:
        value = record.__data__.get(name)
        if name not in model._meta.fields or value is None:
            continue
        found = model.filter(**{name: value}, **every_branch).first()
        if found is not None:
            return found
    return None


def _find_json_value(value: Any) -> Any:
    """A JsonValue is its feature and the hash of its value (it has no uid)."""
    model = type(value)
    if value.__data__.get("feature") is None:
        return model.filter(feature__isnull=True, hash=value.hash).first()
    feature = _find_here(value.feature)  # the feature read from the source, found here
    return None if feature is None else model.filter(feature=feature, hash=value.hash).first()


def copy_read_input(record: Any, is_run_input: bool | None) -> None:
    """An artifact or collection of another instance used in a tracked run is copied here first.

    LaminDB does the same, so that the run's input is a record of the current instance.

    Examples
    --------
    >>> copy_read_input(ln.ULabel(name="x"), None)  # a record of this instance: nothing to do
    """
    if instance_of(record) is None or state.run_id is None or is_run_input is False:
        return
    if is_run_input is None and not settings.track_run_inputs:
        return
    logger.info("completing transfer to track %s as input", _label(record))
    record.save()


def transfer_record(record: Any, transfer: str | None = None) -> Any:
    """Copy ``record`` (read from another instance) into the current instance and return it.

    The record object itself becomes the copy (its id is the one here, ``_state.db`` is
    ``"default"``), as LaminDB's ``save()`` does.

    Parameters
    ----------
    record
        A record read with ``ln.DB(...)`` or ``Registry.connect(...)``.
    transfer
        ``"sqlrecord"`` (default: the row and what it points to), ``"annotations"`` (also
        labels, feature values and schemas) or ``"notes"`` (as ``"sqlrecord"`` here).

    Examples
    --------
    >>> transfer_record(ln.DB("me/other").ULabel.get(name="x"))  # doctest: +SKIP
    """
    mode = _mode(transfer, type(record).__name__)
    other = instance_of(record)
    if getattr(record, "is_latest", True) is False:
        raise InvalidArgument(
            f"{_label(record)} is not the latest version of its family: transfer the latest one "
            "(query with is_latest=True)."
        )
    job = _Transfer(other, annotations=mode == "annotations")
    with atomic():
        here = job.copy(record, annotations=job.annotations)
    record.__data__ = dict(here.__data__)
    record.__rel__ = {}
    record._dirty = set()
    forget_instance(record)
    name = record.__data__.get("key") or record.__data__.get("name") or record.__data__.get("uid")
    logger.info(
        "%s %s: %d transferred, %d already on target",
        type(record).__name__,
        name,
        len(job.transferred),
        len(job.mapped),
    )
    return record

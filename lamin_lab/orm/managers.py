"""Related managers: ``artifact.ulabels``, ``run.output_artifacts``, ``label.children`` ...

A related manager is a QuerySet over the related records plus ``add``, ``set``,
``remove`` and ``clear``; each of those is a handful of SQL statements however many
records it touches.

Examples
--------
>>> artifact.ulabels.add(label_a, label_b)  # doctest: +SKIP
>>> artifact.ulabels.to_list("name")  # doctest: +SKIP
['a', 'b']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import peewee

from .instances import instance_of
from ..errors import InvalidArgument
from .database import ensure_connected, ensure_table
from .queryset import BasicQuerySet, QuerySet
from .relations import Relation


def insert_rows(link: type, rows: list[dict[str, Any]], chunk: int = 500) -> None:
    """Insert ``rows`` into ``link``, all or none, in INSERTs of ``chunk`` rows.

    One INSERT is atomic by itself: a transaction (``BEGIN``/``COMMIT``, two more round
    trips on PostgreSQL) is opened only when the rows need several.

    Examples
    --------
    >>> insert_rows(None, [])  # no rows: no statement
    """
    if len(rows) <= chunk:
        if rows:
            link.insert_many(rows).execute()
        return
    with link._meta.database.atomic():
        for start in range(0, len(rows), chunk):
            link.insert_many(rows[start : start + chunk]).execute()


def _flatten(objs: tuple[Any, ...]) -> list[Any]:
    out: list[Any] = []
    for obj in objs:
        if isinstance(obj, (list, tuple, set, BasicQuerySet)):
            out.extend(obj)
        else:
            out.append(obj)
    return out


class RelatedManager(QuerySet):
    """The records related to one record through one relation.

    Examples
    --------
    >>> label.children.add(child)  # doctest: +SKIP
    >>> label.children.count()  # doctest: +SKIP
    1
    """

    def __new__(cls, instance: Any, relation: Relation) -> RelatedManager:
        # the related records of a record read from another instance are read there too
        return super().__new__(cls, db=instance_of(instance))

    def __init__(self, instance: Any, relation: Relation):
        if instance._pk is None:
            raise InvalidArgument(
                f"Save this {type(instance).__name__} before using .{relation.name}."
            )
        self.instance = instance
        self.relation = relation
        target = relation.target
        if relation.kind == "reverse_fk":
            base = relation.field == instance._pk
        else:
            ids = relation.link.select(relation.link_target).where(
                relation.link_source == instance._pk
            )
            base = target._meta.primary_key.in_(ids)
        super().__init__(target, base=base, db=instance_of(instance))

    def _check(self, objs: list[Any]) -> list[int]:
        target = self.relation.target
        ids = []
        for obj in objs:
            if not isinstance(obj, target):
                raise InvalidArgument(
                    f".{self.relation.name} takes {target.__name__} records, not {type(obj).__name__}."
                )
            if obj._pk is None:
                raise InvalidArgument(f"Save {obj!r} before linking it: call .save() first.")
            ids.append(obj._pk)
        return list(dict.fromkeys(ids))

    def _linked_ids(self, ids: list[int] | None = None) -> set[int]:
        rel = self.relation
        query = rel.link.select(rel.link_target).where(rel.link_source == self.instance._pk)
        if ids is not None:
            query = query.where(rel.link_target.in_(ids))
        return {row[0] for row in query.tuples()}

    def add(
        self, *objs: Any, through_defaults: dict[str, Any] | None = None, bulk: bool = True
    ) -> None:
        """Link records (already linked ones are left as they are).

        Examples
        --------
        >>> artifact.ulabels.add(label)  # doctest: +SKIP
        """
        ids = self._check(_flatten(objs))
        if not ids:
            return
        ensure_connected()
        rel = self.relation
        if rel.kind == "reverse_fk":
            rel.target.update({rel.field: self.instance._pk}).where(
                rel.target._meta.primary_key.in_(ids)
            ).execute()
            return
        ensure_table(rel.link)
        extra = dict(through_defaults or {})
        extra = {k: (v._pk if isinstance(v, peewee.Model) else v) for k, v in extra.items()}
        existing = (
            self._linked_ids(ids) if "feature" not in extra else self._linked_with(ids, extra)
        )
        rows = [
            {rel.link_source.name: self.instance._pk, rel.link_target.name: i, **extra}
            for i in ids
            if i not in existing
        ]
        insert_rows(rel.link, rows)

    def _linked_with(self, ids: list[int], extra: dict[str, Any]) -> set[int]:
        rel = self.relation
        query = rel.link.select(rel.link_target).where(
            rel.link_source == self.instance._pk, rel.link_target.in_(ids)
        )
        for key, value in extra.items():
            field = rel.link._meta.fields[key]
            query = query.where(field.is_null(True) if value is None else field == value)
        return {row[0] for row in query.tuples()}

    def remove(self, *objs: Any, bulk: bool = True) -> None:
        """Unlink records.

        Examples
        --------
        >>> artifact.ulabels.remove(label)  # doctest: +SKIP
        """
        ids = self._check(_flatten(objs))
        if ids:
            self._unlink(ids)

    def _unlink(self, ids: list[int] | None) -> None:
        rel = self.relation
        if rel.kind == "reverse_fk":
            if not rel.field.null:
                raise InvalidArgument(
                    f"{rel.target.__name__}.{rel.field.name} cannot be empty: delete those "
                    "records or point them elsewhere."
                )
            query = rel.target.update({rel.field: None}).where(rel.field == self.instance._pk)
        else:
            query = rel.link.delete().where(rel.link_source == self.instance._pk)
            key = rel.link_target
        if ids is not None:
            query = query.where(
                (rel.target._meta.primary_key if rel.kind == "reverse_fk" else key).in_(ids)
            )
        query.execute()

    def clear(self) -> None:
        """Unlink every related record.

        Examples
        --------
        >>> artifact.ulabels.clear()  # doctest: +SKIP
        """
        self._unlink(None)

    def set(self, objs: Iterable[Any], *, bulk: bool = True, clear: bool = False) -> None:
        """Make exactly ``objs`` the related records.

        Examples
        --------
        >>> artifact.ulabels.set([label_a, label_b])  # doctest: +SKIP
        """
        objs = _flatten((objs,))
        ids = self._check(objs)
        if clear:
            self.clear()
            self.add(*objs)
            return
        current = set(self.to_list("id"))
        stale = [i for i in current if i not in set(ids)]
        if stale:
            self._unlink(stale)
        new = [o for o in objs if o._pk not in current]
        if new:
            self.add(*new)

    def __getattr__(self, name: str) -> Any:
        # Registry-specific set methods (e.g. ArtifactSet.load) work on related sets too.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.all(), name)

    def __repr__(self) -> str:
        return f"<{type(self.instance).__name__}.{self.relation.name}: {super().__repr__()}>"

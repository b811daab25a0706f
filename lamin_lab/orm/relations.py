"""Relations between registries: forward and reverse foreign keys, many-to-many links.

Every registry class is recorded in :data:`REGISTRY` by name. Relations are resolved
lazily (registries may point to ones defined later) into :class:`Relation` objects
that the query compiler and the related managers share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee

from ..errors import InvalidArgument

REGISTRY: dict[str, type] = {}
# Registries that fill a role the orm knows (``"branch"``, ``"space"``), declared in their
# class body as ``_orm_role = "branch"``: the orm never names a registry.
ROLES: dict[str, type] = {}
_relation_cache: dict[type, dict[str, Relation]] = {}


@dataclass(frozen=True)
class Relation:
    """One way to get from ``model`` to ``target``.

    ``kind`` is ``"fk"`` (``model.<field>`` points to target), ``"reverse_fk"``
    (``target.<field>`` points to model) or ``"m2m"`` (through ``link``: rows whose
    ``link_source`` points to model and ``link_target`` to target).
    """

    name: str
    kind: str
    model: type
    target: type
    field: peewee.Field | None = None
    link: type | None = None
    link_source: peewee.Field | None = None
    link_target: peewee.Field | None = None

    @property
    def many(self) -> bool:
        """True when an object relates to many target objects."""
        return self.kind != "fk"


class ManyToMany:
    """Declare a many-to-many relation through a link registry.

    Parameters
    ----------
    to
        Target registry name (or ``"self"``).
    through
        Name of the link registry holding one row per pair.
    related_name
        Name of the reverse accessor on the target.
    through_fields
        ``(source, target)`` field names on the link registry, needed when both point
        to the same registry (e.g. ``("child", "parent")``).

    Examples
    --------
    >>> class Artifact(SQLRecord):  # doctest: +SKIP
    ...     ulabels = ManyToMany("ULabel", through="ArtifactULabel", related_name="artifacts")
    """

    def __init__(
        self,
        to: str,
        *,
        through: str,
        related_name: str | None = None,
        through_fields: tuple[str, str] | None = None,
    ):
        self.to = to
        self.through = through
        self.related_name = related_name
        self.through_fields = through_fields
        self.name = ""
        self.owner: type | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = owner

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        from .managers import RelatedManager

        return RelatedManager(instance, relations(owner)[self.name])


class ReverseAccessor:
    """Installed on a target registry for reverse foreign keys and reverse many-to-many."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        from .managers import RelatedManager

        return RelatedManager(instance, relations(owner)[self.name])


_pending_m2m: dict[str, list[ManyToMany]] = {}  # target name → declarations waiting for it


def _install(target: type, name: str | None) -> None:
    if name and name != "+" and not hasattr(target, name):
        setattr(target, name, ReverseAccessor(name))


def register(model: type) -> None:
    """Record a registry class and install the reverse accessors it makes possible.

    Work is proportional to the new class only (defining many registries stays linear).
    """
    REGISTRY[model.__name__] = model
    if model.__dict__.get("_orm_role"):
        ROLES[model.__dict__["_orm_role"]] = model
    _relation_cache.clear()
    for field in model._meta.fields.values():
        if isinstance(field, peewee.ForeignKeyField):
            _install(field.rel_model, getattr(field, "related_name", None))
    for decl in _m2m_declarations(model):
        target = model if decl.to == "self" else REGISTRY.get(decl.to)
        if target is None:
            _pending_m2m.setdefault(decl.to, []).append(decl)
        else:
            _install(target, decl.related_name)
    for decl in _pending_m2m.pop(model.__name__, []):
        _install(model, decl.related_name)


def register_key(model: type, field: peewee.Field) -> None:
    """A deferred foreign key of ``model`` now points to its registry: install what it adds.

    A registry still being defined skips this: it is registered whole once its class is
    complete (:func:`register`), which installs the same reverse accessor.
    """
    if REGISTRY.get(model.__name__) is not model:
        return
    _relation_cache.clear()
    _install(field.rel_model, getattr(field, "related_name", None))


#: the ManyToMany declarations in each class's own body (a class's attributes are read once,
#: not again for every registry that inherits from it)
_own_m2m: dict[type, list[ManyToMany]] = {}


def _m2m_declarations(model: type) -> list[ManyToMany]:
    cached = model.__dict__.get("_m2m_cache")
    if cached is not None:
        return cached
    out: list[ManyToMany] = []
    for klass in model.__mro__:
        own = _own_m2m.get(klass)
        if own is None:
            own = _own_m2m[klass] = [v for v in vars(klass).values() if isinstance(v, ManyToMany)]
        for value in own:
            if value not in out:
                out.append(value)
    model._m2m_cache = out
    return out


def _resolve_name(name: str, model: type, required: bool = True) -> type | None:
    if name == "self":
        return model
    found = REGISTRY.get(name)
    if found is None and required:
        raise InvalidArgument(
            f"Registry {name!r} is not defined; define or import it before querying {model.__name__}."
        )
    return found


def _link_fields(
    link: type, source: type, target: type, through_fields: tuple[str, str] | None
) -> tuple[peewee.Field, peewee.Field]:
    if through_fields:
        return link._meta.fields[through_fields[0]], link._meta.fields[through_fields[1]]
    fks = [f for f in link._meta.fields.values() if isinstance(f, peewee.ForeignKeyField)]
    src = next(f for f in fks if f.rel_model is source)
    tgt = next(f for f in fks if f.rel_model is target and f is not src)
    return src, tgt


def relations(model: type) -> dict[str, Relation]:
    """All relations of a registry by accessor name (cached).

    Examples
    --------
    >>> sorted(relations(Artifact))[:2]  # doctest: +SKIP
    ['collections', 'created_by']
    """
    cached = _relation_cache.get(model)
    if cached is not None:
        return cached
    out: dict[str, Relation] = {}
    for name, field in model._meta.fields.items():
        if isinstance(field, peewee.ForeignKeyField):
            out[name] = Relation(name, "fk", model, field.rel_model, field=field)
    for m in list(REGISTRY.values()):
        for field in m._meta.fields.values():
            rn = getattr(field, "related_name", None)
            if (
                isinstance(field, peewee.ForeignKeyField)
                and field.rel_model is model
                and rn
                and rn != "+"
            ):
                out[rn] = Relation(rn, "reverse_fk", model, m, field=field)
    for role, target in ROLES.items():
        # ``branch_id`` / ``space_id`` are plain columns; ``branch`` / ``space`` still follow them
        column = model._meta.fields.get(f"{role}_id")
        if (
            role not in out
            and column is not None
            and not isinstance(column, peewee.ForeignKeyField)
        ):
            out[role] = Relation(role, "fk", model, target, field=column)
    for m in list(REGISTRY.values()):
        for decl in _m2m_declarations(m):
            if decl.owner is None or not issubclass(m, decl.owner):
                continue
            target = _resolve_name(decl.to, m, required=False)
            link = REGISTRY.get(decl.through)
            if target is None or link is None:
                continue
            src, tgt = _link_fields(link, m, target, decl.through_fields)
            if m is model:
                out[decl.name] = Relation(
                    decl.name, "m2m", model, target, link=link, link_source=src, link_target=tgt
                )
            if target is model and decl.related_name:
                out[decl.related_name] = Relation(
                    decl.related_name, "m2m", model, m, link=link, link_source=tgt, link_target=src
                )
    _relation_cache[model] = out
    return out

"""How a registry class is made: the ``Registry`` metaclass and peewee metadata for it.

Defining the ~80 registries is a good part of the first import, so the work per class is
kept small: deferred foreign keys are resolved by name, sorted field lists are rebuilt only
when read, and each registry's ``DoesNotExist``/``MultipleObjectsReturned`` is made on first use.
"""

from __future__ import annotations

from typing import Any

import peewee

from ..errors import DoesNotExist, MultipleResultsFound
from . import fields
from .queryset import QuerySet
from .relations import register


#: registries by lower-case name, as deferred keys name them
_BY_LOWER_NAME: dict[str, type] = {}


def _resolve_pending_keys(cls: type) -> None:
    """Point deferred foreign keys to ``cls`` and keys of ``cls`` to registries that exist.

    Keys waiting for ``cls`` are looked up by name (peewee would sort all pending keys for
    every class). Keys to registries defined earlier (and keys inherited from mixins) are
    resolved here too: peewee resolves a deferred key only when its target comes later.
    """
    for field in fields.PENDING_KEYS.pop(cls.__name__.lower(), ()):
        field.set_model(cls)
    for field in list(cls._meta.fields.values()):
        if isinstance(field, fields.DeferredForeignKey):
            target = _BY_LOWER_NAME.get(field.rel_model_name)
            if target is not None:
                fields.PENDING_KEYS[field.rel_model_name].remove(field)
                field.set_model(target)
        elif isinstance(field, peewee.DeferredForeignKey):  # declared with peewee's own class
            target = _BY_LOWER_NAME.get(field.rel_model_name)
            if target is not None:
                peewee.DeferredForeignKey._unresolved.discard(field)
                field.set_model(target)


class _SortedOnRead:
    """``sorted_fields`` / ``sorted_field_names`` of :class:`_Metadata`, built when read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, meta: Any, owner: type) -> Any:
        if meta is None:
            return self
        found = list(meta._sorted_field_list)
        meta.__dict__["sorted_fields"] = found
        meta.__dict__["sorted_field_names"] = [f.name for f in found]
        return meta.__dict__[self.name]


class _Metadata(peewee.Metadata):
    """peewee's model metadata whose sorted field lists are rebuilt when next read.

    peewee rebuilds both lists on every ``add_field`` (~900 times while the registries
    are defined, each list a registry's whole field list); here a change only drops them.
    """

    sorted_fields = _SortedOnRead()
    sorted_field_names = _SortedOnRead()

    def _update_sorted_fields(self) -> None:
        self.__dict__.pop("sorted_fields", None)
        self.__dict__.pop("sorted_field_names", None)


def _own_exception(cls: type, name: str, bases: tuple[type, ...]) -> type:
    """The exception class ``name`` of this very registry (not inherited), made once."""
    slot = f"_exception_{name}"
    found = cls.__dict__.get(slot)
    if found is None:
        found = type(
            name, bases, {"__module__": cls.__module__, "__qualname__": f"{cls.__name__}.{name}"}
        )
        type.__setattr__(cls, slot, found)
    return found


class _FromRegistry:
    """``record.DoesNotExist`` on a record: the registry's class (the metaclass makes it)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type) -> Any:
        return getattr(owner, self.name)


class Registry(peewee.ModelBase):
    """Metaclass of registries: records each class and gives it LaminDB-style errors."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> type:
        meta = attrs.get("Meta")
        abstract = bool(meta and meta.__dict__.get("abstract"))
        if meta is not None and "abstract" in meta.__dict__:
            meta = type("Meta", (), {k: v for k, v in meta.__dict__.items() if k != "abstract"})
            attrs["Meta"] = meta
        cls = super().__new__(mcs, name, bases, attrs, **kwargs)
        if "__repr__" not in attrs and "__repr__" in cls.__dict__:
            delattr(cls, "__repr__")  # peewee adds a "<Model: id>" repr to every class: keep ours
        cls._abstract = abstract
        _resolve_pending_keys(cls)
        if not abstract and any(isinstance(b, Registry) for b in bases):
            register(cls)
            _BY_LOWER_NAME[name.lower()] = cls
        return cls

    # Named as Django names them (``Artifact.DoesNotExist``): code and logs that read
    # ``type(e).__name__`` see LaminDB's names. Each registry's two classes are made when
    # first asked for (making ~170 exception classes at import costs ~2-3 ms).
    @property
    def DoesNotExist(cls) -> type:
        """Raised by ``get`` when no record matches: a ``DoesNotExist`` of lamin_lab and peewee."""
        return _own_exception(cls, "DoesNotExist", (DoesNotExist, peewee.DoesNotExist))

    @DoesNotExist.setter
    def DoesNotExist(cls, value: type) -> None:
        pass  # peewee sets a class of its own; the one above derives from peewee's base too

    @property
    def MultipleObjectsReturned(cls) -> type:
        """Raised by ``get`` when several records match."""
        return _own_exception(cls, "MultipleObjectsReturned", (MultipleResultsFound,))

    def __len__(cls) -> int:
        return QuerySet(cls).count()

    def __iter__(cls) -> Any:
        return iter(QuerySet(cls))

"""Field types for registries, with Django-style keyword arguments.

LaminDB registries are declared with Django fields (``max_length``, ``db_index``,
``related_name``, ``on_delete``); these thin subclasses of peewee's fields accept the
same words so a registry reads the same in both worlds.

Examples
--------
>>> from lamin_lab import SQLRecord, fields
>>> class Experiment(SQLRecord):
...     name: str = fields.CharField(max_length=100, db_index=True)
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

import peewee

from ..errors import InvalidArgument
from .instances import instance_of, on_instance
from .relations import register_key

_IGNORED = ("blank", "editable", "db_default", "verbose_name", "help_text", "db_comment")


class _ShallowCopy:
    """Copy a field for a subclass without deep-copying what it points to.

    peewee deep-copies every inherited field for each new registry; a field's
    ``__dict__`` references the registry classes and their fields, so a deep copy walks
    a large graph (most of the cost of defining ~70 registries at import). The copy is
    re-bound to the new registry by peewee right after, so a shallow copy is enough.
    """

    def __deepcopy__(self, memo: Any = None) -> Any:
        # what ``copy.copy`` does for these classes, without its generic reduce protocol
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new


def _django_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    for name in _IGNORED:
        kwargs.pop(name, None)
    if "db_index" in kwargs:
        kwargs["index"] = kwargs.pop("db_index")
    return kwargs


class AutoField(_ShallowCopy, peewee.AutoField):
    """The integer primary key ``id`` every registry has (copied cheaply into sub-registries)."""


class CharField(_ShallowCopy, peewee.CharField):
    """A short string (``max_length`` defaults to 255)."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs = _django_kwargs(kwargs)
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)


class TextField(_ShallowCopy, peewee.TextField):
    """A string of any length."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs = _django_kwargs(kwargs)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)


class IntegerField(_ShallowCopy, peewee.IntegerField):
    """A 32-bit integer."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **_django_kwargs(kwargs))


class SmallIntegerField(_ShallowCopy, peewee.SmallIntegerField):
    """A small integer."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **_django_kwargs(kwargs))


class BigIntegerField(_ShallowCopy, peewee.BigIntegerField):
    """A 64-bit integer (sizes in bytes, counts)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **_django_kwargs(kwargs))


class FloatField(_ShallowCopy, peewee.FloatField):
    """A double-precision float."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **_django_kwargs(kwargs))


class BooleanField(_ShallowCopy, peewee.BooleanField):
    """True or False."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **_django_kwargs(kwargs))


def utcnow() -> _dt.datetime:
    """The current time in UTC, naive (how every timestamp is stored).

    Examples
    --------
    >>> utcnow().tzinfo is None
    True
    """
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


class DateTimeField(_ShallowCopy, peewee.DateTimeField):
    """A timestamp, stored as naive UTC on every backend (aware values are converted)."""

    def __init__(
        self, *args: Any, auto_now_add: bool = False, auto_now: bool = False, **kwargs: Any
    ):
        kwargs = _django_kwargs(kwargs)
        if auto_now_add or auto_now:
            kwargs.setdefault("default", utcnow)
        self.auto_now = auto_now
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> Any:
        if isinstance(value, _dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return super().db_value(value)


class DateField(_ShallowCopy, peewee.DateField):
    """A calendar date."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **_django_kwargs(kwargs))


class JSONField(_ShallowCopy, peewee.TextField):
    """Any JSON-serialisable value, stored as text so SQLite and PostgreSQL behave alike."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs = _django_kwargs(kwargs)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        try:
            return json.dumps(value, sort_keys=True, default=_json_default)
        except TypeError as e:
            raise InvalidArgument(
                f"Field {self.name!r} needs a JSON-serialisable value: {e}."
            ) from e

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):  # numpy arrays
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ON_DELETE = {
    "CASCADE": "CASCADE",
    "PROTECT": "RESTRICT",
    "RESTRICT": "RESTRICT",
    "SET_NULL": "SET NULL",
    "SET NULL": "SET NULL",
    "DO_NOTHING": None,
}


def _on_delete(value: Any) -> str | None:
    name = value if isinstance(value, str) else getattr(value, "__name__", "CASCADE")
    return _ON_DELETE.get(name.upper(), "CASCADE")


class _ForeignKeyAccessor(peewee.ForeignKeyAccessor):
    """Loads a related record from the instance the record itself was read from."""

    def get_rel_instance(self, instance: Any) -> Any:
        other = instance_of(instance)
        if other is None or self.name in instance.__rel__:
            return super().get_rel_instance(instance)
        with on_instance(other):
            return super().get_rel_instance(instance)


class _ForeignKeyField(_ShallowCopy, peewee.ForeignKeyField):
    """peewee's foreign key, copied cheaply into sub-registries."""

    accessor_class = _ForeignKeyAccessor


#: deferred keys waiting for their registry, by lower-case registry name, oldest first.
#: peewee keeps one set of them and sorts it whole for every class defined (quadratic in
#: the number of registries); the metaclass resolves these by name (orm/record.py).
PENDING_KEYS: dict[str, list[DeferredForeignKey]] = {}


class DeferredForeignKey(peewee.DeferredForeignKey):
    """A foreign key to a registry defined later; keeps ``related_name`` once resolved."""

    def __init__(self, rel_model_name: str, **kwargs: Any):
        super().__init__(rel_model_name, **kwargs)
        peewee.DeferredForeignKey._unresolved.discard(self)  # waits in PENDING_KEYS instead
        PENDING_KEYS.setdefault(self.rel_model_name, []).append(self)

    def __deepcopy__(self, memo: Any = None) -> DeferredForeignKey:
        copy = DeferredForeignKey(self.rel_model_name, **self.field_kwargs)
        copy.related_name = getattr(self, "related_name", None)
        return copy

    def set_model(self, rel_model: type) -> None:
        # As peewee's, but the resolved key is our cheaply copied foreign key.
        resolved = _ForeignKeyField(rel_model, _deferred=True, **self.field_kwargs)
        resolved.related_name = getattr(self, "related_name", None)  # type: ignore[attr-defined]
        if resolved.primary_key:
            self.model._meta.set_primary_key(self.name, resolved)
        else:
            self.model._meta.add_field(self.name, resolved)
        if not getattr(self.model, "_abstract", False):
            register_key(self.model, resolved)


def ForeignKey(
    to: Any, on_delete: Any = "CASCADE", related_name: str | None = None, **kwargs: Any
) -> peewee.Field:
    """A foreign key; ``to`` is a registry class, ``"self"`` or a registry name defined later.

    ``related_name`` names the reverse accessor on ``to`` (a query manager).

    Examples
    --------
    >>> class Sample(SQLRecord):  # doctest: +SKIP
    ...     experiment = fields.ForeignKey(Experiment, related_name="samples", null=True)
    """
    kwargs = _django_kwargs(kwargs)
    kwargs.setdefault("null", False)
    kwargs["on_delete"] = _on_delete(on_delete)
    kwargs["backref"] = "+"  # reverse accessors are ours, see orm.relations
    if isinstance(to, str) and to != "self":
        field: peewee.Field = DeferredForeignKey(to, **kwargs)
    else:
        field = _ForeignKeyField(to, **kwargs)
    field.related_name = related_name  # type: ignore[attr-defined]
    return field


ForeignKeyField = ForeignKey


def check_key(key: str) -> None:
    """Refuse a key with backslashes or ``.`` / ``..`` segments (it must name one place).

    Examples
    --------
    >>> check_key("raw/cells.parquet")
    >>> try:
    ...     check_key("a/../b")
    ... except InvalidArgument as e:
    ...     print(str(e)[:31])
    Key 'a/../b' has a '..' segment
    """
    if "\\" in key:
        raise InvalidArgument(
            f"Key {key!r} has a backslash: separate folders with '/' (e.g. 'folder/file.csv')."
        )
    for segment in key.split("/"):
        if segment in (".", ".."):
            raise InvalidArgument(
                f"Key {key!r} has a {segment!r} segment: keys are plain paths like 'folder/file.csv'; "
                "write the path without '.' or '..'."
            )

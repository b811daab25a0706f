"""Reading another instance without switching: ``ln.DB("owner/name")``, ``Registry.connect(...)``.

Every registry is bound to one ``DatabaseProxy`` (:mod:`lamin_lab.orm.database`). To read
another instance, :func:`on_instance` points that proxy at the other instance's database for
the duration of one call (a query, a lazy foreign key, a ``describe()``) and then puts the
current one back, with its per-connection facts (cached rows, user, run, branch): the current
instance is never switched, closed or changed.

Where that scope is entered:

- a QuerySet made for another instance (``db`` given) is an instance of a subclass made by
  :func:`queryset_on_instance_class`: each of its methods runs inside the scope;
- records read inside the scope are marked with the instance (:func:`mark`), so a foreign
  key, a related manager or a method decorated with :func:`on_own_instance` reads from the
  instance the record came from; ``record._state.db`` names it, as in LaminDB.

The other instance's database refuses writes (its ``_lamin_read_only`` flag, checked where
every statement runs): saving a record read from it copies the record into the current
instance instead (``lamin_lab.models.transfer``).

The scope is process-wide, as the proxy is: read other instances from one thread at a time.

Examples
--------
>>> db = ln.DB("alice/other")  # doctest: +SKIP
>>> db.Artifact.filter(suffix=".csv").to_dataframe()  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import peewee

from ..errors import NoWriteAccess
from ..settings import InstanceSettings, settings
from .database import mark_tables_created, pop_binding, push_binding

_MARK = "_lamin_instance"
_WRITE_RE = re.compile(
    r"\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT|CREATE|DROP|ALTER)\b", re.IGNORECASE
)


class RefusesWrites:
    """Mixed into the database class of an instance read with ``ln.DB``: every write is refused.

    Every statement reaches ``execute_sql`` (peewee's queries, saves, raw SQL), so the check
    here holds whatever path a write takes; the current instance's database has no such check.

    Examples
    --------
    >>> class Db(RefusesWrites, peewee.SqliteDatabase):
    ...     pass
    >>> Db(":memory:").execute_sql("SELECT 1").fetchone()
    (1,)
    """

    _lamin_read_only = "another instance"  # the instance's name, set when it is opened

    def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if _WRITE_RE.match(sql):
            name = self._lamin_read_only
            raise NoWriteAccess(
                f"Instance {name!r} is open for reading only (ln.DB, Registry.connect): it is not "
                "changed from here. Save a record read from it to copy it into the current instance, "
                f"or connect to it with ln.setup.connect({name!r}) to change it."
            )
        return super().execute_sql(sql, params, *args, **kwargs)


class OtherInstance:
    """A local instance other than the current one, opened for reading.

    Parameters
    ----------
    slug
        ``owner/name`` as the user named it.
    instance
        Its settings (name, database URL, storage roots).
    opener
        Opens its database (the setup layer knows how), of a class with :class:`RefusesWrites`
        mixed in; called once, on first use.

    Examples
    --------
    >>> other = OtherInstance("me/x", InstanceSettings("x", ":memory:", "/tmp/x"), peewee.SqliteDatabase)
    >>> other.name, other.slug
    ('x', 'me/x')
    """

    def __init__(
        self, slug: str, instance: InstanceSettings, opener: Callable[[str], peewee.Database]
    ):
        self.slug = slug
        self.instance = instance
        self._opener = opener
        self._db: peewee.Database | None = None
        self._tables: list[str] | None = None

    @property
    def name(self) -> str:
        """The instance's name."""
        return self.instance.name

    @property
    def uid(self) -> str:
        """The instance's uid (``""`` for instances made before uids were kept)."""
        return self.instance.uid

    @property
    def database(self) -> peewee.Database:
        """Its database, opened on first use (refusing every write, see :class:`RefusesWrites`)."""
        if self._db is None:
            db = self._opener(self.instance.db)
            db._lamin_read_only = self.slug
            self._db = db
        return self._db

    @property
    def tables(self) -> list[str]:
        """The tables its database has (read once: nothing creates tables there from here)."""
        if self._tables is None:
            self._tables = list(self.database.get_tables())
        return self._tables

    def close(self) -> None:
        """Close its database connection (it reopens on next use)."""
        if self._db is not None and not self._db.is_closed():
            self._db.close()

    def __repr__(self) -> str:
        return f"OtherInstance({self.slug!r})"


_stack: list[OtherInstance] = []


def active_instance() -> OtherInstance | None:
    """The other instance being read right now, or None (the current instance).

    Examples
    --------
    >>> active_instance() is None
    True
    """
    return _stack[-1] if _stack else None


@contextmanager
def on_instance(other: OtherInstance | None) -> Iterator[None]:
    """Run the block against ``other`` (None: the current instance), then switch back.

    Examples
    --------
    >>> with on_instance(None):
    ...     pass
    """
    if other is None or active_instance() is other:
        yield
        return
    saved = push_binding(other.database)
    mark_tables_created(other.tables)
    saved_instance = settings._instance
    settings._instance = other.instance
    _stack.append(other)
    try:
        yield
    finally:
        _stack.pop()
        settings._instance = saved_instance
        pop_binding(saved)


def mark(record: Any) -> Any:
    """Remember on a record just read which instance it came from (nothing for the current one).

    Examples
    --------
    >>> class Row:
    ...     pass
    >>> instance_of(mark(Row())) is None
    True
    """
    if _stack:
        record.__dict__[_MARK] = _stack[-1]
    return record


def instance_of(record: Any) -> OtherInstance | None:
    """The other instance a record was read from, None for the current one.

    Examples
    --------
    >>> class Row:
    ...     pass
    >>> instance_of(Row()) is None
    True
    """
    return record.__dict__.get(_MARK)


def forget_instance(record: Any) -> None:
    """The record now belongs to the current instance (after it was copied there)."""
    record.__dict__.pop(_MARK, None)


def on_own_instance(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a record method so that it reads the instance the record came from.

    Examples
    --------
    >>> class Row:
    ...     @on_own_instance
    ...     def where(self):
    ...         return active_instance()
    >>> Row().where() is None
    True
    """

    @functools.wraps(fn)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        other = self.__dict__.get(_MARK)
        if other is None:
            return fn(self, *args, **kwargs)
        with on_instance(other):
            return fn(self, *args, **kwargs)

    return wrapper


class _BoundToInstance:
    """A helper object of a record (``record.features``, ``record.labels``) whose calls read its instance."""

    def __init__(self, target: Any, other: OtherInstance):
        self._target = target
        self._other = other

    def __getattr__(self, name: str) -> Any:
        with on_instance(self._other):
            value = getattr(self._target, name)
        if callable(value) and not isinstance(value, type):
            return functools.partial(_call_on, self._other, value)
        return value

    def __repr__(self) -> str:
        with on_instance(self._other):
            return repr(self._target)


def bound_to_record(helper: Any, record: Any) -> Any:
    """``helper`` as is for a record of the current instance; else one whose calls read the record's.

    Examples
    --------
    >>> class Row:
    ...     pass
    >>> bound_to_record("helper", Row())
    'helper'
    """
    other = instance_of(record)
    return helper if other is None else _BoundToInstance(helper, other)


class RecordState:
    """``record._state``, as in LaminDB: ``db`` is None (not saved), ``"default"`` or ``"owner/name"``.

    Examples
    --------
    >>> RecordState(None, adding=True).db is None
    True
    """

    __slots__ = ("adding", "db")

    def __init__(self, db: str | None, adding: bool):
        self.db = db
        self.adding = adding

    def __repr__(self) -> str:
        return f"RecordState(db={self.db!r}, adding={self.adding})"


def record_state(record: Any) -> RecordState:
    """The :class:`RecordState` of a record."""
    other = instance_of(record)
    if other is not None:
        return RecordState(other.slug, adding=False)
    saved = record._pk is not None
    return RecordState("default" if saved else None, adding=not saved)


def _call_on(other: OtherInstance, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with on_instance(other):
        return method(*args, **kwargs)


class _RunsOnInstance:
    """Mixed into a QuerySet class: each method of a set of another instance runs there."""

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name.startswith("__") or not isinstance(value, types.MethodType):
            return value
        other = object.__getattribute__(self, "_db")
        if other is None:
            return value
        return functools.partial(_call_on, other, value)


class RunsWhereItReads:
    """Base of the QuerySet: a set made with ``db=<another instance>`` is of the class that runs there."""

    def __new__(cls, *args: Any, db: OtherInstance | None = None, **kwargs: Any) -> Any:
        if db is not None:  # sets of the current instance keep their class: nothing is added
            cls = queryset_on_instance_class(cls)
        return super().__new__(cls)


_classes: dict[type, type] = {}


def queryset_on_instance_class(cls: type) -> type:
    """The subclass of a QuerySet class whose sets run on their own instance (made once).

    Examples
    --------
    >>> class Set:
    ...     pass
    >>> queryset_on_instance_class(Set).__name__
    'Set'
    """
    if issubclass(cls, _RunsOnInstance):
        return cls
    found = _classes.get(cls)
    if found is None:
        found = _classes[cls] = type(
            cls.__name__, (_RunsOnInstance, cls), {"__module__": cls.__module__}
        )
    return found


__all__ = [
    "OtherInstance",
    "RecordState",
    "RefusesWrites",
    "RunsWhereItReads",
    "active_instance",
    "bound_to_record",
    "forget_instance",
    "instance_of",
    "mark",
    "on_instance",
    "on_own_instance",
    "queryset_on_instance_class",
    "record_state",
]

"""A new record whose name already exists *is* that record (as in LaminDB).

``ln.ULabel(name="T cell")`` twice gives one label: the second constructor finds the
saved record with the same name (and the same ``type``, where the registry has one) and
becomes it, so ``save()`` writes nothing new. Fields passed with other values than the
saved ones are updated on that record (LaminDB does so for ``description``). Registries
opt in with ``_returns_existing_name = True`` in their class body; a registry can name
fields that must agree (``_existing_must_match``: a Feature's dtype), or the constructor
raises ``ValidationError``. ``ln.settings.creation.search_names = False`` switches the
look-up off.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ..errors import ValidationError
from ..settings import settings
from .compiled import fetch_compiled
from .database import ensure_connected
from .rows import records_from_rows

logger = logging.getLogger("lamin_lab")
_known_new: ContextVar[bool] = ContextVar("lamin_lab_names_known_new", default=False)


@contextmanager
def names_known_new() -> Iterator[None]:
    """Construct records whose names the caller just looked up and found missing: no look-up each.

    Examples
    --------
    >>> with names_known_new():
    ...     labels = [ln.ULabel(name=n) for n in ("fresh 1", "fresh 2")]
    >>> [label.id for label in labels]
    [None, None]
    """
    token = _known_new.set(True)
    try:
        yield
    finally:
        _known_new.reset(token)


def find_same_name(record: Any) -> Any | None:
    """The saved record (outside the trash) that has ``record``'s name and type, or None.

    Examples
    --------
    >>> label = ln.ULabel(name="B cell").save()
    >>> find_same_name(ln.ULabel.__new__(ln.ULabel)) is None  # no name: nothing to find
    True
    """
    model = type(record)
    data = getattr(record, "__data__", None) or {}
    name = data.get(model._name_field)
    if not isinstance(name, str) or not name:
        return None
    has_type = "type" in model._meta.fields
    kind = data.get("type") if has_type else None
    values: dict[str, Any] = {"value": name} if kind is None else {"value": name, "kind": kind}

    def build(value: Any, kind: Any = None) -> Any:
        query = model.select().where(getattr(model, model._name_field) == value)
        if has_type:
            query = query.where(model.type.is_null() if kind is None else model.type == kind)
        if "branch_id" in model._meta.fields:
            query = query.where(model.branch_id != -1)
        return query.order_by(model.id).limit(1)

    # Every constructor of a named record runs this query: compiled once per registry
    # (peewee spends ~1 ms building it, SQLite ~0.05 ms running it). The key holds the
    # columns, so a registry re-defined with other fields gets its own SQL.
    key = f"same name:{model._meta.table_name}:{','.join(model._meta.sorted_field_names)}:{kind is None}"
    rows = fetch_compiled(key, build, **values)
    return records_from_rows(model, rows)[0] if rows else None


def become_existing(record: Any, passed: dict[str, Any]) -> bool:
    """Turn a just-constructed ``record`` into the saved one with its name; True if it did.

    Examples
    --------
    >>> first = ln.ULabel(name="NK cell").save()
    >>> second = ln.ULabel(name="NK cell")
    >>> second == first, second.id == first.id
    (True, True)
    """
    if _known_new.get() or not settings.creation.search_names:
        return False
    ensure_connected()
    existing = find_same_name(record)
    if existing is None:
        return False
    model = type(record)
    mine = dict(record.__data__)
    for name in getattr(model, "_existing_must_match", ()):
        if mine.get(name) is not None and mine.get(name) != existing.__data__.get(name):
            label = name.strip("_").removesuffix("_str")
            raise ValidationError(
                f"{model.__name__} {existing.__data__.get(model._name_field)!r} already exists with "
                f"{label} {existing.__data__.get(name)}, you passed {mine.get(name)}: use the existing "
                f"one, or pick another {model._name_field}."
            )
    logger.info(
        "returning %s with same name: %r",
        model.__name__.lower(),
        existing.__data__.get(model._name_field),
    )
    fields = [model._meta.fields.get(key) or model._meta.columns.get(key) for key in passed]
    adopt(record, existing, {f.name: mine.get(f.name) for f in fields if f is not None})
    return True


def adopt(record: Any, existing: Any, passed: dict[str, Any]) -> None:
    """Make ``record`` the saved ``existing`` one; the ``passed`` field values that differ update it.

    The name, ``type``, ``uid`` and ``dtype`` identify the record and are never changed;
    other fields passed with a new value are set (and saved with the next ``save()``).

    Examples
    --------
    >>> first = ln.ULabel(name="B cell").save()
    >>> with names_known_new():
    ...     second = ln.ULabel(name="B cell", description="new words")
    >>> adopt(second, first, {"description": "new words"})
    >>> second.id == first.id, second.description
    (True, 'new words')
    """
    model = type(record)
    record.__data__ = dict(existing.__data__)
    record._dirty = set()
    record.__rel__ = {}  # cached related objects belonged to the unsaved record
    for name, value in passed.items():
        if name not in model._meta.fields or name in (model._name_field, "type", "uid", "dtype"):
            continue
        old = existing.__data__.get(name)
        if value is not None and value != old:
            record.__data__[name] = value
            record._dirty.add(name)
            logger.warning("updated %s from %s to %s", name, old, value)

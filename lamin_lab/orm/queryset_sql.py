"""The SQL of everyday QuerySets, built once per shape and re-run with new values.

peewee builds a query's SQL anew each time (~0.5 ms for a ``get(uid)`` on a registry of
~20 columns), more than the round trip to a local PostgreSQL server (~0.1 ms) or SQLite's
own work. Most calls repeat a few shapes: ``get(uid)``, ``get(key=...)``,
``filter(name=...).count()``. A QuerySet whose conditions are only ``field=value`` on
plain text and integer columns (and ``__isnull`` with a bool, and ``__startswith``, which
PostgreSQL binds as one escaped ``LIKE`` prefix) has a *shape*: the registry,
the condition tree with each value replaced by its type, order, limit, offset and the
default branches. Its SQL is built once, with stand-in values, and each stand-in's
parameter slot remembered; a later set of the same shape gets that SQL with its own values
in those slots. Values stay bound parameters.

A shape is cached only when every stand-in came out of peewee as expected, each in its own
parameter (unchanged, or a ``LIKE`` prefix: itself and ``%``; no value converted, wrapped
or measured, as SQLite's range form of ``startswith`` is);
anything else (relations, lookups, JSON, feature conditions, search sets, related managers)
takes the ordinary path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee

from .branches import default_branch_ids
from .database import ensure_connected, ensure_table
from .expressions import _escape_like
from .fields import JSONField
from .q import Q
from .rows import records_from_rows

_PLAIN = (peewee.CharField, peewee.TextField, peewee.IntegerField)
_STAND_IN = "\0lamin-shape\0"
_FAKE_INT = -987_654_321_000
_MISSING = object()

#: (database class, what, shape) -> (sql, params, slot of each param) or None (not cacheable);
#: emptied when it reaches _MAX_SHAPES (limit and offset are part of a shape: paging makes more)
_MAX_SHAPES = 4096
_CACHE: dict[tuple[Any, ...], tuple[str, list[Any], list[int | None]] | None] = {}


def _leaf_shape(model: type, key: str, value: Any, values: list[Any]) -> Any:
    if key.endswith("__isnull") and type(value) is bool:
        return (key, value)
    name, _, lookup = key.partition("__")
    field = model._meta.fields.get(name)
    if not isinstance(field, _PLAIN) or isinstance(field, (JSONField, peewee.ForeignKeyField)):
        return None
    if lookup == "startswith" and type(value) is str:
        # bound as an escaped LIKE prefix (PostgreSQL; SQLite's range form is not cached)
        values.append(_escape_like(value) + "%")
        return (key, "like-prefix")
    if lookup or type(value) not in (str, int):
        return None
    if type(value) is int and not -(2**63) <= value < 2**63:
        return None  # the ordinary path refuses it with a clear error (expressions.check_value)
    values.append(value)
    return (key, type(value))


def _tree_shape(model: type, q: Q, values: list[Any]) -> Any:
    parts = []
    for child in q.children:
        if isinstance(child, Q):
            part = _tree_shape(model, child, values)
        elif isinstance(child, tuple):
            part = _leaf_shape(model, child[0], child[1], values)
        else:  # feature conditions and other condition objects
            return None
        if part is None:
            return None
        parts.append(part)
    return (q.connector, q.negated, tuple(parts))


def shape_of(qs: Any) -> tuple[Any, list[Any]] | None:
    """``(shape, values)`` of a QuerySet whose SQL can be cached, else None.

    Examples
    --------
    >>> shape, values = shape_of(ln.ULabel.filter(name="T cell"))
    >>> values
    ['T cell']
    >>> shape_of(ln.ULabel.filter(name__contains="T")) is None
    True
    """
    if qs._base is not None or qs._scores is not None or qs._values is not None:
        return None
    if qs._db is not None or qs._distinct:
        return None
    values: list[Any] = []
    tree = _tree_shape(qs.model, qs._q, values)
    if tree is None:
        return None
    branches = tuple(default_branch_ids()) if "branch_id" in qs.model._meta.fields else ()
    return (qs.model, tree, qs._order, qs._limit, qs._offset, branches), values


def _with_stand_ins(q: Q, counter: list[int], expected: dict[Any, int]) -> Q:
    out = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_with_stand_ins(child, counter, expected))
            continue
        key, value = child
        if type(value) in (str, int):
            i = counter[0]
            counter[0] += 1
            value = f"{_STAND_IN}{i}\0" if type(value) is str else _FAKE_INT - i
            expected[f"{value}%" if key.endswith("__startswith") else value] = i
        out.children.append((key, value))
    return out


def _compile(qs: Any, n: int, build: Callable[[Any], Any]) -> Any:
    # the parameter each stand-in must come out as (a LIKE prefix: itself and "%"; it has
    # no character that escaping would change)
    stand_ins: dict[Any, int] = {}
    try:
        sql, params = build(qs._clone(q=_with_stand_ins(qs._q, [0], stand_ins))).sql()
    except Exception:  # a stand-in a conversion refuses: the ordinary path handles it
        return None
    slots: list[int | None] = []
    for p in params:
        if type(p) in (str, int) and p in stand_ins:
            slots.append(stand_ins[p])
        elif isinstance(p, str) and _STAND_IN in p:  # converted or wrapped: not cacheable
            return None
        else:
            slots.append(None)
    if sorted(s for s in slots if s is not None) != list(range(n)):
        return None
    return sql, list(params), slots


def cached_sql(qs: Any, what: str, build: Callable[[Any], Any]) -> tuple[str, list[Any]] | None:
    """SQL and parameters of ``build(qs)`` from the shape cache, or None (not cacheable).

    ``what`` names the kind of statement (``"rows"``, ``"count"``); ``build`` turns a
    QuerySet into the peewee query to compile.

    Examples
    --------
    >>> sql, params = cached_sql(ln.ULabel.filter(name="a"), "rows", lambda qs: qs._select())
    >>> "a" in params
    True
    """
    shaped = shape_of(qs)
    if shaped is None:
        return None
    shape, values = shaped
    key = (type(ensure_connected()), what, shape)
    hit = _CACHE.get(key, _MISSING)
    if hit is _MISSING:
        if len(_CACHE) >= _MAX_SHAPES:
            _CACHE.clear()
        hit = _CACHE[key] = _compile(qs, len(values), build)
    if hit is None:
        return None
    sql, params, slots = hit
    return sql, [p if s is None else values[s] for p, s in zip(params, slots, strict=True)]


def count_query(query: peewee.ModelSelect) -> peewee.Select:
    """The ``SELECT COUNT(1)`` peewee's ``query.count()`` sends, as a query to compile.

    Examples
    --------
    >>> count_query(ln.ULabel.select()).sql()[0]
    'SELECT COUNT(1) FROM (SELECT 1 FROM "ulabel" AS "t1") AS "_wrapped"'
    """
    clone = query.order_by().alias("_wrapped").select(peewee.SQL("1"))
    return peewee.Select([clone], [peewee.fn.COUNT(peewee.SQL("1"))]).bind(query._database)


def cached_records(qs: Any) -> list[Any] | None:
    """The records of ``qs`` read with its cached SQL, or None when its shape is not cached.

    Examples
    --------
    >>> cached_records(ln.ULabel.filter(name="no such label"))
    []
    """
    cached = cached_sql(qs, "rows", lambda q: q._select())
    if cached is None:
        return None
    ensure_table(qs.model)
    return records_from_rows(qs.model, qs.model._meta.database.execute_sql(*cached).fetchall())


def cached_count(qs: Any) -> int | None:
    """The number of records of ``qs`` counted with its cached SQL, or None when not cached.

    Examples
    --------
    >>> cached_count(ln.ULabel.filter(name="no such label"))
    0
    """
    cached = cached_sql(qs, "count", lambda q: count_query(q._select()))
    if cached is None:
        return None
    ensure_table(qs.model)
    return qs.model._meta.database.execute_sql(*cached).fetchone()[0]

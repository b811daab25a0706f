"""Conditions on keys inside JSON fields: ``Run.filter(params__opt__name="adam")``.

Django lets ``<json field>__<key>__<key>...[__<lookup>]`` reach into a JSON value;
LaminDB's ``Run.params`` and feature values rely on it. JSON fields are stored as text
on both backends, so the value at a path is read with ``json_extract`` (SQLite) or
``CAST(... AS jsonb) #> path`` (PostgreSQL). The path and the value are bound
parameters; numeric keys index arrays (``tags__0``), as in Django. ``__isnull=True``
matches values that lack the key.

Examples
--------
>>> json_path_condition(Run.params, ["opt", "name"], "exact", "adam")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from typing import Any

import peewee

from ..errors import FieldError, InvalidArgument
from .database import dialect
from .expressions import LOOKUPS

fn = peewee.fn
#: lookups a JSON path takes; text lookups compare the value's text
JSON_PATH_LOOKUPS = (
    "exact",
    "iexact",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "range",
    "isnull",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
)
_ORDERING = ("gt", "gte", "lt", "lte", "range")


def split_path(rest: list[str]) -> tuple[list[str], str]:
    """``(keys, lookup)`` of the parts after a JSON field's name.

    Examples
    --------
    >>> split_path(["opt", "name", "startswith"])
    (['opt', 'name'], 'startswith')
    >>> split_path(["lr"])
    (['lr'], 'exact')
    """
    if len(rest) > 1 and rest[-1] in LOOKUPS:
        return rest[:-1], rest[-1]
    return rest, "exact"


def _sqlite_path(keys: list[str]) -> str:
    return "$" + "".join(f"[{k}]" if k.isdigit() else "." + json.dumps(k) for k in keys)


def json_path_condition(field: peewee.Field, keys: list[str], op: str, value: Any) -> peewee.Node:
    """The condition ``<field>__<keys...>__<op>=value`` on a JSON text field.

    Examples
    --------
    >>> json_path_condition(Run.params, ["lr"], "gt", 0.05)  # doctest: +SKIP
    """
    if op not in JSON_PATH_LOOKUPS:
        raise FieldError(
            f"Lookup __{op} is not supported on keys of the JSON field {field.name!r}; "
            f"use one of {', '.join(JSON_PATH_LOOKUPS)}."
        )
    if any(not k for k in keys):
        raise InvalidArgument(
            f"A key path into {field.name!r} has an empty part: write {field.name}__key__subkey=value."
        )
    if dialect() == "sqlite":
        return _sqlite_condition(field, keys, op, value)
    return _postgres_condition(field, keys, op, value)


def _sqlite_condition(field: peewee.Field, keys: list[str], op: str, value: Any) -> peewee.Node:
    path = _sqlite_path(keys)
    if op == "isnull":
        missing = fn.json_type(field, path).is_null(True)
        return missing if value else ~missing
    extracted = fn.json_extract(field, path)
    if op == "exact" and value is None:
        return fn.json_type(field, path) == "null"
    if op == "exact" and isinstance(value, (dict, list)):
        # objects and arrays come back as minified JSON text; compare with the same form
        return extracted == fn.json(json.dumps(value, sort_keys=True))
    return LOOKUPS[op](extracted, value)


def _postgres_condition(field: peewee.Field, keys: list[str], op: str, value: Any) -> peewee.Node:
    doc = peewee.Cast(field, "jsonb")
    node = peewee.Expression(doc, "#>", peewee.Value(keys, unpack=False))
    text = peewee.Expression(doc, "#>>", peewee.Value(keys, unpack=False))
    if op == "isnull":
        return node.is_null(bool(value))
    if op == "exact":
        return node == peewee.Cast(json.dumps(value, sort_keys=True), "jsonb")
    if op == "in":
        return node.in_([peewee.Cast(json.dumps(v, sort_keys=True), "jsonb") for v in value])
    if op in _ORDERING:
        sample = value[0] if op == "range" else value
        if isinstance(sample, (int, float)) and not isinstance(sample, bool):
            number = peewee.Case(
                None,
                [(fn.jsonb_typeof(node) == "number", peewee.Cast(text, "double precision"))],
                None,
            )
            return LOOKUPS[op](number, value)
        return LOOKUPS[op](text, value)
    return LOOKUPS[op](text, value)

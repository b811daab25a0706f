"""The one filter grammar of catalog tables and URLs, parsed into QuerySet arguments.

A filter is ``field__lookup=value`` text (``size__gt=1000``,
``run__transform__key__startswith=train``); several are separated by commas
(``name__startswith=T, size__gt=10``), and a value with a comma in it is quoted
(``description="a, b"``). ``__in`` takes values separated by ``|`` (``key__in=a.csv|b.csv``),
``__range`` two bounds (``size__range=1|5``), ``__isnull`` true or false. The key must be a
plain identifier path; the value is converted to the type of the field the path ends on (an
integer for ``size``, a datetime for ``created_at``, a boolean for ``is_latest``), so
comparisons behave as they do in Python code. What the key means is left to the QuerySet,
which rejects unknown fields and lookups with a message that lists the valid ones. Values
only ever become bound SQL parameters. The notebook panels' filter box and the REST API's
``filter=`` parameters read this same grammar.

Examples
--------
>>> parse_filter("name__startswith=T cell")
('name__startswith', 'T cell')
>>> split_terms('name__startswith=T, description="a, b"')
['name__startswith=T', 'description="a, b"']
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import peewee

from ..errors import InvalidArgument
from ..orm.expressions import LOOKUPS
from ..orm.q import resolve_alias
from ..orm.relations import relations

_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}
#: lookups whose value is a comma-separated list
_LIST_LOOKUPS = {"in": None, "range": 2}
LIST_SEPARATOR = "|"


def split_terms(text: str) -> list[str]:
    """The ``key=value`` terms of a filter text: split at commas outside quotes.

    Examples
    --------
    >>> split_terms("a=1, b='x, y',c=2")
    ['a=1', "b='x, y'", 'c=2']
    >>> split_terms("  ")
    []
    """
    terms, current, quote = [], [], ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ",":
            terms.append("".join(current))
            current = []
            continue
        current.append(char)
    if quote:
        raise InvalidArgument(
            f"The filter {text!r} has an unclosed {quote}; close the quoted value."
        )
    terms.append("".join(current))
    return [t.strip() for t in terms if t.strip()]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def parse_filter(text: str) -> tuple[str, str]:
    """Split ``key=value`` at the first ``=`` and check the key's shape.

    Examples
    --------
    >>> parse_filter("key__contains=a=b")
    ('key__contains', 'a=b')
    """
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep:
        raise InvalidArgument(
            f"Filter {text!r} has no '='; write field=value pairs separated by commas, "
            "e.g. name__contains=cell, size__gt=10."
        )
    if not _KEY_RE.match(key) or "___" in key or key.endswith("_"):
        raise InvalidArgument(
            f"Filter key {key!r} is not a field path; use letters, digits and '__' between parts, "
            "e.g. run__transform__key__startswith=train."
        )
    return key, value


def _parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidArgument(f"Expected true or false, got {value!r}.")


def _convert(field: peewee.Field | None, value: str) -> Any:
    """``value`` as the Python type of ``field`` (text when the field is unknown)."""
    if field is None:
        return value
    kind = "text"
    try:
        if isinstance(field, (peewee.ForeignKeyField, peewee.IntegerField, peewee.AutoField)):
            kind = "integer"
            return int(value)
        if isinstance(field, (peewee.FloatField, peewee.DecimalField)):
            kind = "number"
            return float(value)
        if isinstance(field, peewee.BooleanField):
            kind = "boolean (true or false)"
            return _parse_bool(value)
        if isinstance(field, peewee.DateTimeField):
            kind = "date-time (ISO 8601, e.g. 2026-01-31T12:00)"
            return _dt.datetime.fromisoformat(value.strip())
        if isinstance(field, peewee.DateField):
            kind = "date (YYYY-MM-DD)"
            return _dt.date.fromisoformat(value.strip())
    except (ValueError, InvalidArgument):
        raise InvalidArgument(f"Filter on {field.name}: {value!r} is not a valid {kind}.") from None
    return value


def target_field(model: type, key: str) -> tuple[peewee.Field | None, str]:
    """The field a ``path__lookup`` key compares, and the lookup (None: not a plain field).

    Examples
    --------
    >>> target_field(ln.Artifact, "run__started_at__gte")  # doctest: +SKIP
    (<DateTimeField: Run.started_at>, 'gte')
    """
    parts = key.split("__")
    has_lookup = len(parts) > 1 and parts[-1] in LOOKUPS
    op = parts[-1] if has_lookup else "exact"
    path = parts[:-1] if has_lookup else parts
    for i, name in enumerate(path):
        rest = path[i + 1 :]
        name = resolve_alias(model, name)
        field = model._meta.fields.get(name) or model._meta.columns.get(name)
        if field is not None and (not isinstance(field, peewee.ForeignKeyField) or not rest):
            return (field if not rest else None), op
        rel = relations(model).get(name)
        if rel is None:
            return None, op
        if not rest:  # comparing the related record itself: its primary key
            return rel.target._meta.primary_key, op
        model = rel.target
    return None, op


def typed_value(model: type, key: str, value: str) -> Any:
    """The value of a ``key=value`` filter converted for the field ``key`` ends on.

    ``__isnull`` takes true/false; ``__in`` values separated by ``|``; ``__range`` two
    bounds separated by ``|``. A quoted value is taken without its quotes.

    Examples
    --------
    >>> typed_value(ln.Artifact, "size__in", "1|2")
    [1, 2]
    >>> typed_value(ln.Artifact, "is_latest", "true")
    True
    """
    field, op = target_field(model, key)
    if op == "isnull":
        return _parse_bool(value)
    if op in _LIST_LOOKUPS:
        items = [_unquote(v) for v in value.split(LIST_SEPARATOR)] if value.strip() else []
        wanted = _LIST_LOOKUPS[op]
        if wanted is not None and len(items) != wanted:
            raise InvalidArgument(
                f"__{op} needs {wanted} values separated by '{LIST_SEPARATOR}', got {value!r}."
            )
        return [_convert(field, v) for v in items]
    return _convert(field, _unquote(value))


def filter_kwargs(model: type, filters: str | list[str]) -> dict[str, Any]:
    """``QuerySet.filter(**kwargs)`` arguments from filter text (or a list of such texts).

    Examples
    --------
    >>> filter_kwargs(ln.ULabel, ["name__startswith=T"])
    {'name__startswith': 'T'}
    >>> filter_kwargs(ln.Artifact, "size__gt=10, key__in=a.csv|b.csv")
    {'size__gt': 10, 'key__in': ['a.csv', 'b.csv']}
    """
    texts = [filters] if isinstance(filters, str) else list(filters)
    out: dict[str, Any] = {}
    for text in (term for t in texts for term in split_terms(t)):
        key, value = parse_filter(text)
        if key in out:
            raise InvalidArgument(f"Filter {key!r} is given twice; give each field__lookup once.")
        out[key] = typed_value(model, key, value)
    return out


def order_fields(text: str) -> list[str]:
    """Field names from ``order`` text such as ``-created_at,key``.

    Examples
    --------
    >>> order_fields("-created_at, key")
    ['-created_at', 'key']
    """
    fields = [part.strip() for part in text.split(",") if part.strip()]
    for name in fields:
        if (
            not _KEY_RE.match(name.lstrip("-"))
            or name.count("-") > 1
            or (name.count("-") == 1 and not name.startswith("-"))
        ):
            raise InvalidArgument(
                f"Cannot order by {name!r}: give field names, '-' in front for descending."
            )
    return fields

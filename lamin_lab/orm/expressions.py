"""Django-style ``__`` lookups as a table of functions from (field, value) to SQL.

Every value becomes a bound parameter: the functions only build peewee expressions.
Case-insensitive lookups compare ``LOWER(field)`` with a lowered value, so they behave
the same on SQLite and PostgreSQL; ``LIKE`` patterns escape ``%``, ``_`` and ``\\``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee

from ..errors import InvalidArgument

fn = peewee.fn


def _escape_like(value: Any) -> str:
    text = str(value)
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(field: peewee.Field, pattern: str) -> peewee.Expression:
    # Case-insensitive on both backends: LOWER() both sides, explicit escape character.
    # The operator is spelled ILIKE because peewee rewrites LIKE to GLOB on SQLite (and
    # ILIKE to LIKE there); on PostgreSQL ILIKE over lowered text is plain matching.
    return peewee.Expression(fn.LOWER(field), "ILIKE", peewee.NodeList((pattern.lower(), peewee.SQL("ESCAPE '\\'"))))


def _contains(field: peewee.Field, value: Any, insensitive: bool) -> peewee.Expression:
    if insensitive:
        return _like(field, f"%{_escape_like(value)}%")
    # SQLite's LIKE ignores ASCII case, so case-sensitive matching uses INSTR/STRPOS.
    if _is_sqlite(field):
        return fn.INSTR(field, str(value)) > 0
    return fn.STRPOS(field, str(value)) > 0


def _startswith(field: peewee.Field, value: Any, insensitive: bool) -> peewee.Expression:
    if insensitive:
        return _like(field, f"{_escape_like(value)}%")
    text = str(value)
    if _is_sqlite(field):
        # A range on the (binary-collated) column can use its index; SUBSTR makes it exact.
        return (field >= text) & (field < text + "\U0010ffff") & (fn.SUBSTR(field, 1, len(text)) == text)
    return peewee.Expression(field, "LIKE", peewee.NodeList((f"{_escape_like(text)}%", peewee.SQL("ESCAPE '\\'"))))


def _endswith(field: peewee.Field, value: Any, insensitive: bool) -> peewee.Expression:
    if insensitive:
        return _like(field, f"%{_escape_like(value)}")
    n = len(str(value))
    if _is_sqlite(field):
        return fn.SUBSTR(field, -n) == str(value)
    return fn.RIGHT(field, n) == str(value)


_INT64 = 2**63


def check_value(value: Any) -> Any:
    """Refuse values no backend can bind the same way (integers beyond 64 bits); return ``value``.

    SQLite's driver overflows on them and PostgreSQL compares them as numerics: one answer
    for both is an error that says what to do.

    Examples
    --------
    >>> check_value([1, 2])
    [1, 2]
    """
    items = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and not -_INT64 <= item < _INT64:
            raise InvalidArgument(
                "A number is too large for the database: integers must fit in 64 bits (below 2**63). "
                "Pass a smaller value."
            )
    return value


def _is_sqlite(field: peewee.Field) -> bool:
    db = field.model._meta.database
    db = getattr(db, "obj", db)
    return not isinstance(db, peewee.PostgresqlDatabase)


def _in(field: peewee.Field, value: Any) -> peewee.Expression:
    if isinstance(value, str) or not hasattr(value, "__iter__") and not isinstance(value, peewee.Node):
        raise InvalidArgument(f"__in needs a list of values for {field.name!r}, got {value!r}.")
    if isinstance(value, peewee.Node):
        return field.in_(value)
    values = list(value)
    if not values:
        return peewee.SQL("1 = 0")
    return field.in_(values)


def _isnull(field: peewee.Field, value: Any) -> peewee.Expression:
    return field.is_null(bool(value))


def _range(field: peewee.Field, value: Any) -> peewee.Expression:
    try:
        low, high = value
    except (TypeError, ValueError) as e:
        raise InvalidArgument(f"__range needs a (low, high) pair for {field.name!r}, got {value!r}.") from e
    return field.between(low, high)


def _regex(field: peewee.Field, value: Any, insensitive: bool) -> peewee.Expression:
    if _is_sqlite(field):
        pattern = f"(?i){value}" if insensitive else str(value)
        return peewee.Expression(field, "REGEXP", pattern)
    return peewee.Expression(field, "~*" if insensitive else "~", str(value))


def _exact(field: peewee.Field, value: Any) -> peewee.Expression:
    return field.is_null(True) if value is None else field == value


def _iexact(field: peewee.Field, value: Any) -> peewee.Expression:
    return field.is_null(True) if value is None else fn.LOWER(field) == str(value).lower()


LOOKUPS: dict[str, Callable[[peewee.Field, Any], peewee.Expression]] = {
    "exact": _exact,
    "iexact": _iexact,
    "contains": lambda f, v: _contains(f, v, False),
    "icontains": lambda f, v: _contains(f, v, True),
    "startswith": lambda f, v: _startswith(f, v, False),
    "istartswith": lambda f, v: _startswith(f, v, True),
    "endswith": lambda f, v: _endswith(f, v, False),
    "iendswith": lambda f, v: _endswith(f, v, True),
    "in": _in,
    "gt": lambda f, v: f > v,
    "gte": lambda f, v: f >= v,
    "lt": lambda f, v: f < v,
    "lte": lambda f, v: f <= v,
    "ne": lambda f, v: f.is_null(False) if v is None else (f != v) | f.is_null(True),
    "isnull": _isnull,
    "range": _range,
    "regex": lambda f, v: _regex(f, v, False),
    "iregex": lambda f, v: _regex(f, v, True),
}

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
from .database import ensure_connected

fn = peewee.fn


def _escape_like(value: Any) -> str:
    text = str(value)
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(field: peewee.Field, pattern: str) -> peewee.Expression:
    # Case-insensitive on both backends: LOWER() both sides, explicit escape character.
    # The operator is spelled ILIKE because peewee rewrites LIKE to GLOB on SQLite (and
    # ILIKE to LIKE there); on PostgreSQL ILIKE over lowered text is plain matching.
    return peewee.Expression(
        fn.LOWER(field), "ILIKE", peewee.NodeList((pattern.lower(), peewee.SQL("ESCAPE '\\'")))
    )


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
        return (
            (field >= text)
            & (field < text + "\U0010ffff")
            & (fn.SUBSTR(field, 1, len(text)) == text)
        )
    return peewee.Expression(
        field, "LIKE", peewee.NodeList((f"{_escape_like(text)}%", peewee.SQL("ESCAPE '\\'")))
    )


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


_COMPARING = {"exact", "in", "gt", "gte", "lt", "lte", "range"}
_TRUE, _FALSE = {"true", "t", "1", "yes"}, {"false", "f", "0", "no"}


def coerce_value(field: peewee.Field, op: str, value: Any, expected: type | None = None) -> Any:
    """Check a filter value against its field before any driver sees it; return what to bind.

    Numbers given as text (``"5"``) become numbers, ``"true"``/``"false"`` booleans; a value
    that cannot mean what the field holds (``size="abc"``, ``id=1.5``, a ULabel where a
    Storage goes) is an :class:`InvalidArgument`, on SQLite and PostgreSQL alike.

    Examples
    --------
    >>> coerce_value(peewee.IntegerField(), "exact", "5")
    5
    """
    items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
    for item in items:
        if (
            isinstance(item, peewee.Model)
            and expected is not None
            and not isinstance(item, expected)
        ):
            raise InvalidArgument(
                f"{field.name}= takes a {expected.__name__} (or its id), not a {type(item).__name__}."
            )
    value = check_value(value)
    if op not in _COMPARING or isinstance(value, peewee.Node) or value is None:
        return value
    convert = _converter(field)
    if convert is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [convert(field, v) for v in value]
    return convert(field, value)


def _to_int(field: peewee.Field, value: Any) -> Any:
    if isinstance(value, int) or value is None or isinstance(value, peewee.Node):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return check_value(int(value))
    raise InvalidArgument(
        f"{field.name}= compares whole numbers, not {type(value).__name__} {value!r}."
    )


def _to_float(field: peewee.Field, value: Any) -> Any:
    if isinstance(value, (int, float)) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidArgument(
            f"{field.name}= compares numbers, not {type(value).__name__} {value!r}."
        ) from None


def _to_bool(field: peewee.Field, value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise InvalidArgument(
        f"{field.name}= takes True or False, not {type(value).__name__} {value!r}."
    )


def _converter(field: peewee.Field) -> Callable[[peewee.Field, Any], Any] | None:
    if isinstance(field, peewee.BooleanField):
        return _to_bool
    if isinstance(field, (peewee.IntegerField, peewee.AutoField, peewee.ForeignKeyField)):
        return _to_int
    if isinstance(field, (peewee.FloatField, peewee.DecimalField)):
        return _to_float
    return None


def _is_sqlite(field: peewee.Node) -> bool:
    if isinstance(field, peewee.Field):
        db = field.model._meta.database
    else:  # an expression (a JSON key's value, a cast): the bound database decides
        db = ensure_connected()
    db = getattr(db, "obj", db)
    return not isinstance(db, peewee.PostgresqlDatabase)


def _in(field: peewee.Field, value: Any) -> peewee.Expression:
    if (
        isinstance(value, str)
        or not hasattr(value, "__iter__")
        and not isinstance(value, peewee.Node)
    ):
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
        raise InvalidArgument(
            f"__range needs a (low, high) pair for {field.name!r}, got {value!r}."
        ) from e
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

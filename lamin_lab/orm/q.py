"""``Q`` objects and the compiler from ``field__path__lookup=value`` to SQL.

Relations are followed with ``IN (subquery)`` rather than joins, so that conditions
on many-to-many and reverse relations never duplicate rows and compose cleanly with
``&``, ``|`` and ``~`` (``exclude(ulabels__name="x")`` means "has no such label").

Examples
--------
>>> from lamin_lab import Q
>>> q = Q(name__startswith="T") | ~Q(description__isnull=True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee

from ..errors import FieldError, InvalidArgument
from .expressions import LOOKUPS, check_value, coerce_value
from .fields import JSONField
from .json_path import json_path_condition, split_path
from .relations import Relation, relations

# Older LaminDB names that map onto current fields.
FIELD_ALIASES = {"visibility": "branch_id", "n_objects": "n_files", "accessor": "otype"}


class Q:
    """A composable filter condition: ``Q(a=1) & (Q(b=2) | ~Q(c=3))``.

    Examples
    --------
    >>> ln.ULabel.filter(Q(name="a") | Q(name="b"))  # doctest: +SKIP
    """

    def __init__(
        self, *children: Any, _connector: str = "AND", _negated: bool = False, **kwargs: Any
    ):
        for child in children:
            if not isinstance(child, Q) and not is_condition(child):
                raise InvalidArgument(
                    f"Q() and filter() take Q objects, feature expressions (feature > 1) and field=value "
                    f"keywords, not {type(child).__name__}."
                )
        self.children: list[Any] = list(children) + sorted(kwargs.items())
        self.connector = _connector
        self.negated = _negated

    def _combine(self, other: Q, connector: str) -> Q:
        if not isinstance(other, Q):
            raise InvalidArgument(f"Can only combine Q with Q, not {type(other).__name__}.")
        if not other.children:  # an empty condition adds nothing (and keeps messages short)
            return self
        if not self.children:
            return other
        return Q(self, other, _connector=connector)

    def __and__(self, other: Q) -> Q:
        return self._combine(other, "AND")

    def __or__(self, other: Q) -> Q:
        return self._combine(other, "OR")

    def __invert__(self) -> Q:
        return Q(self, _negated=True)

    def __repr__(self) -> str:
        inner = f" {self.connector} ".join(
            f"{c[0]}={c[1]!r}" if isinstance(c, tuple) else repr(c) for c in self.children
        )
        return f"{'NOT ' if self.negated else ''}({inner})"

    def keys(self) -> list[str]:
        """Every ``field__lookup`` key in this condition tree."""
        out: list[str] = []
        for child in self.children:
            if isinstance(child, Q):
                out.extend(child.keys())
            elif isinstance(child, tuple):
                out.append(child[0])
        return out


def is_condition(obj: Any) -> bool:
    """True for a condition object: one that compiles itself with ``_as_condition(model)``.

    The one extension point of the filter grammar beyond ``Q`` and keywords: a layer
    above (e.g. a feature comparison ``feature > 1``) hands the orm such an object, and
    the orm asks it for the SQL condition on the registry being filtered.

    Examples
    --------
    >>> is_condition(Q(name="a"))
    False
    """
    return not isinstance(obj, Q) and callable(getattr(type(obj), "_as_condition", None))


def _checked(value: Any, expected: type | None, field: peewee.Field) -> Any:
    """Refuse a record of the wrong registry (before it is turned into a bare id)."""
    items = value if isinstance(value, (list, tuple, set)) else [value]
    for item in items:
        if isinstance(item, peewee.Model) and (expected is None or not isinstance(item, expected)):
            wanted = (
                f"a {expected.__name__} (or its id)" if expected is not None else "a plain value"
            )
            raise InvalidArgument(f"{field.name}= takes {wanted}, not a {type(item).__name__}.")
    return value


def _record_id(value: Any) -> Any:
    """Records compare by primary key; lists of records by their keys."""
    if isinstance(value, peewee.Model):
        if value._pk is None:
            raise InvalidArgument(
                f"{type(value).__name__} is not saved yet: call .save() before filtering by it."
            )
        return value._pk
    if (
        isinstance(value, (list, tuple, set))
        and value
        and all(isinstance(v, peewee.Model) for v in value)
    ):
        return [_record_id(v) for v in value]
    if hasattr(value, "_ids_subquery"):  # a QuerySet used in __in
        return value._ids_subquery()
    return value


def _valid_names(model: type) -> list[str]:
    names = set(model._meta.fields) | set(relations(model))
    names |= {f.column_name for f in model._meta.fields.values()}
    return sorted(n for n in names if not n.startswith("_"))


def _unknown_field(model: type, name: str) -> FieldError:
    return FieldError(
        f"{model.__name__} has no field {name!r}. Valid fields: {', '.join(_valid_names(model))}."
    )


def resolve_alias(model: type, name: str) -> str:
    """Map older LaminDB field names onto current ones (``visibility`` → ``branch_id``).

    A registry's ``_field_aliases`` may also name a path (``"transform": "run__transform"``),
    which filters follow.
    """
    return getattr(model, "_field_aliases", {}).get(name) or FIELD_ALIASES.get(name, name)


def _field(model: type, name: str) -> peewee.Field | None:
    name = resolve_alias(model, name)
    field = model._meta.fields.get(name)
    if field is None:
        field = model._meta.columns.get(name)  # e.g. run_id for the FK run
    return field


def compile_condition(
    model: type, key: str, value: Any, fallback: Callable[..., Any] | None = None
) -> peewee.Node:
    """Compile one ``path__lookup=value`` against ``model`` into a peewee expression.

    ``fallback(model, key, value)`` handles keys that are not fields (features).
    """
    parts = key.split("__")
    head, rest = parts[0], parts[1:]
    alias = resolve_alias(model, head)
    if "__" in alias:  # an alias of a path (LaminDB's Artifact ``transform`` is ``run__transform``)
        return compile_condition(model, "__".join([alias, *rest]), value, fallback)
    field = _field(model, head)
    rel = relations(model).get(head)
    if isinstance(field, JSONField) and not _is_lookup_tail(rest):  # a key inside the JSON value
        keys, op = split_path(rest)
        return json_path_condition(field, keys, op, check_value(value))
    if field is not None and (
        not isinstance(field, peewee.ForeignKeyField) or _is_lookup_tail(rest)
    ):
        op = rest[0] if rest else "exact"
        if len(rest) > 1 or op not in LOOKUPS:
            raise FieldError(
                f"Unknown lookup {'__'.join(rest)!r} on {model.__name__}.{head}. Valid lookups: {', '.join(LOOKUPS)}."
            )
        expected = (
            field.rel_model
            if isinstance(field, peewee.ForeignKeyField)
            else (model if field is model._meta.primary_key else None)
        )
        return LOOKUPS[op](
            field, coerce_value(field, op, _record_id(_checked(value, expected, field)), expected)
        )
    if rel is None:
        if fallback is not None:
            return fallback(model, key, value)
        raise _unknown_field(model, head)
    return _compile_relation(rel, rest, value)


def _is_lookup_tail(rest: list[str]) -> bool:
    return not rest or (len(rest) == 1 and rest[0] in LOOKUPS)


def _compile_relation(rel: Relation, rest: list[str], value: Any) -> peewee.Node:
    target = rel.target
    if _is_lookup_tail(rest):
        op = rest[0] if rest else "exact"
        if op == "isnull" and rel.many:
            return _has_related(rel, negate=bool(value))
        # Comparing the related object itself: compare the key column directly.
        key_column = {
            "fk": rel.field,
            "reverse_fk": target._meta.primary_key,
            "m2m": rel.link_target,
        }[rel.kind]
        value = _record_id(_checked(value, target, key_column))
        return _through(
            rel, None, LOOKUPS[op](key_column, coerce_value(key_column, op, value, target))
        )
    inner = compile_condition(target, "__".join(rest), value)
    return _through(rel, inner, None)


def _through(rel: Relation, inner: peewee.Node | None, direct: peewee.Node | None) -> peewee.Node:
    """Condition on ``rel.model``: related rows satisfy ``inner`` (on the target) or ``direct``."""
    model, target = rel.model, rel.target
    if rel.kind == "fk":
        cond = (
            direct
            if direct is not None
            else rel.field.in_(target.select(target._meta.primary_key).where(inner))
        )
        # NULL foreign keys never match, also under NOT: keep the IS NOT NULL explicit.
        return rel.field.is_null(False) & cond
    if rel.kind == "reverse_fk":
        sub = target.select(rel.field).where(
            rel.field.is_null(False) & (direct if direct is not None else inner)
        )
        return model._meta.primary_key.in_(sub)
    if direct is None:
        direct = rel.link_target.in_(target.select(target._meta.primary_key).where(inner))
    return model._meta.primary_key.in_(rel.link.select(rel.link_source).where(direct))


def _has_related(rel: Relation, negate: bool) -> peewee.Node:
    model = rel.model
    if rel.kind == "reverse_fk":
        sub = rel.target.select(rel.field).where(rel.field.is_null(False))
    else:
        sub = rel.link.select(rel.link_source)
    cond = model._meta.primary_key.in_(sub)
    return ~cond if negate else cond


def compile_q(model: type, q: Q, fallback: Callable[..., Any] | None = None) -> peewee.Node | None:
    """Compile a :class:`Q` tree into one peewee expression (None when empty)."""
    parts = []
    for child in q.children:
        if isinstance(child, Q):
            node = compile_q(model, child, fallback)
        elif is_condition(child):
            node = child._as_condition(model)
        else:
            node = compile_condition(model, child[0], child[1], fallback)
        if node is not None:
            parts.append(node)
    if not parts:
        return None
    expr = parts[0]
    for node in parts[1:]:
        expr = (expr & node) if q.connector == "AND" else (expr | node)
    # NOT over a NULL comparison is NULL (no match) in SQL; Django's exclude() keeps such
    # rows, so negation is "not known to be true": NOT ((expr) IS TRUE).
    return ~peewee.Expression(expr, "IS", peewee.SQL("TRUE")) if q.negated else expr


def reversed_order(term: Any) -> Any:
    """``"key"`` <-> ``"-key"``; a feature ordering turns itself around (``last()``).

    Examples
    --------
    >>> reversed_order("-created_at")
    'created_at'
    """
    if not isinstance(term, str):
        return term._reversed()
    return term[1:] if term.startswith("-") else f"-{term}"

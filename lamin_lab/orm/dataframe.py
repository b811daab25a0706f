"""QuerySet → pandas DataFrame, with related values in a few queries (no N+1)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import peewee

from ..errors import InvalidArgument
from .database import translate_errors
from .relations import relations
from .rows import frame_from_query


_LAST = ("branch_id", "space_id", "is_locked", "created_at", "created_by", "updated_at", "run")


def _columns(model: type, privates: bool) -> list[peewee.Field]:
    """Identity first (id, uid, name/key, description), bookkeeping last."""
    fields = [f for f in model._meta.sorted_fields if privates or not f.name.startswith("_")]
    first = ("id", "uid", model._name_field, "description")
    head = [f for name in first for f in fields if f.name == name]
    tail = [f for name in _LAST for f in fields if f.name == name]
    placed = {f.name for f in head + tail}  # by name: Field == Field builds SQL, not a bool
    middle = [f for f in fields if f.name not in placed]
    return head + middle + tail


def _related_values(model: type, ids: list[int], path: list[str]) -> dict[int, list[Any]]:
    """Values at the end of ``path`` for each id of ``model``: one query per hop."""
    pk = model._meta.primary_key
    if len(path) == 1:
        field = model._meta.fields.get(path[0]) or model._meta.columns.get(path[0])
        if field is None:
            raise InvalidArgument(f"{model.__name__} has no field {path[0]!r} to include.")
        rows = model.select(pk, field).where(pk.in_(ids)).tuples()
        return {i: [v] for i, v in rows}
    rel = relations(model).get(path[0])
    if rel is None:
        raise InvalidArgument(f"{model.__name__} has no relation {path[0]!r} to include; relations: {', '.join(sorted(relations(model)))}.")
    if rel.kind == "fk":
        pairs = model.select(pk, rel.field).where(pk.in_(ids)).tuples()
    elif rel.kind == "reverse_fk":
        child_pk = rel.target._meta.primary_key
        pairs = [(b, a) for a, b in rel.target.select(child_pk, rel.field).where(rel.field.in_(ids)).tuples()]
    else:
        pairs = rel.link.select(rel.link_source, rel.link_target).where(rel.link_source.in_(ids)).tuples()
    pairs = [(a, b) for a, b in pairs if b is not None]
    inner = _related_values(rel.target, sorted({b for _, b in pairs}), path[1:]) if pairs else {}
    out: dict[int, list[Any]] = defaultdict(list)
    for a, b in pairs:
        out[a].extend(inner.get(b, []))
    return out


def _include_column(model: type, ids: list[int], key: str) -> list[Any]:
    parts = key.split("__")
    values = _related_values(model, ids, parts)
    many = any(r.many for r in _path_relations(model, parts))
    if many:
        return [set(v for v in values.get(i, []) if v is not None) or None for i in ids]
    return [values.get(i, [None])[0] if values.get(i) else None for i in ids]


def _path_relations(model: type, parts: list[str]) -> list[Any]:
    out = []
    for part in parts[:-1]:
        rel = relations(model)[part]
        out.append(rel)
        model = rel.target
    return out


def queryset_to_dataframe(qs: Any, include: Any = None, features: Any = False, limit: int | None = 100,
                          order_by: str | None = "-id") -> Any:
    """Evaluate a QuerySet into a DataFrame indexed by ``id``.

    Examples
    --------
    >>> queryset_to_dataframe(ln.ULabel.filter(), include="created_by__handle")  # doctest: +SKIP
    """
    import pandas as pd

    model = qs.model
    includes = [include] if isinstance(include, str) else list(include or [])
    privates = "privates" in includes
    includes = [i for i in includes if i not in ("privates", "features")]
    want_features = features or (isinstance(include, (str, list)) and "features" in ([include] if isinstance(include, str) else include))
    if not qs._order and qs._scores is None and order_by:
        try:
            qs = qs.order_by(order_by)
        except InvalidArgument:
            pass
    if limit is not None:
        qs = qs[:limit] if qs._scores is None else qs
    columns = _columns(model, privates)
    with translate_errors():
        if qs._scores is not None:
            records = qs._fetch()[: limit if limit is not None else None]
            rows = [tuple(r.__data__.get(f.name) for f in columns) for r in records]
            df = pd.DataFrame.from_records(rows, columns=[f.column_name for f in columns])
        else:
            df = frame_from_query(qs._select(*columns), columns)
    if qs._scores is not None and qs._score_column:
        df[qs._score_column] = [qs._scores.get(i, 0.0) for i in df["id"]]
    ids = df["id"].tolist()
    with translate_errors():
        for key in includes:
            df[key] = _include_column(model, ids, key) if ids else []
        if want_features and hasattr(model, "_feature_columns"):
            df = model._feature_columns(df, ids, features)
    return df.set_index("id")

"""QuerySet → pandas DataFrame, with related values in a few queries (no N+1)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import peewee

from ..errors import InvalidArgument
from .relations import ROLES, relations
from .rows import frame_from_query


# LaminDB's order: own fields, then these bookkeeping fields, then the foreign keys.
_BOOKKEEPING = (
    "version_tag",
    "is_latest",
    "is_locked",
    "is_type",
    "created_at",
    "updated_at",
    "created_on",
)
# Never a column (LaminDB leaves the last-change time out of frames).
_EXCLUDED = ("updated_at",)


def _resolve(model: type, name: str) -> peewee.Field | None:
    """The field behind a declared column name (by column, by name, or by a field alias)."""
    meta = model._meta
    field = meta.columns.get(name) or meta.fields.get(name)
    if field is None and name.endswith("_id"):
        field = meta.fields.get(name[:-3])
    if field is None:
        alias = getattr(model, "_field_aliases", {}).get(name)
        field = meta.fields.get(alias) if alias else None
    return field


def _rule_columns(model: type, privates: bool) -> list[str]:
    """Column names by LaminDB's rule, for registries that declare no ``_dataframe_columns``."""
    fields = [
        f
        for f in model._meta.sorted_fields
        if f.name not in _EXCLUDED and (privates or not f.name.startswith("_"))
    ]
    roles = [
        f"{role}_id" for role in ROLES if f"{role}_id" in model._meta.fields
    ]  # branch_id, space_id
    if (
        "branch_id" in roles and "created_on_id" in model._meta.fields
    ):  # LaminDB: branch, created_on, space
        roles.insert(roles.index("branch_id") + 1, "created_on_id")
    own = [
        f.name for f in fields if not isinstance(f, peewee.ForeignKeyField) and f.name not in roles
    ]
    own = [n for n in own if n not in _BOOKKEEPING] + [n for n in _BOOKKEEPING if n in own]
    keys = [f.column_name for f in fields if isinstance(f, peewee.ForeignKeyField)]
    names = own + roles + keys
    for position, name in ((0, "uid"), (1, "id")):
        if name in names:
            names.insert(position, names.pop(names.index(name)))
    return names


def frame_columns(model: type, privates: bool = False) -> list[tuple[str, peewee.Field | None]]:
    """The columns of ``model.to_dataframe()`` in order, each with its field (None: not stored).

    A registry declares LaminDB's columns as ``_dataframe_columns``; a declared column that
    lamin_lab does not store (``extra_data``, ...) comes out empty, so
    code that selects it keeps working. Private fields are added with ``include="privates"``.

    Examples
    --------
    >>> [name for name, _ in frame_columns(ln.User)]  # doctest: +SKIP
    ['uid', 'id', 'handle', 'name', 'created_at']
    """
    declared = getattr(model, "_dataframe_columns", None)
    names = list(declared) if declared else _rule_columns(model, privates)
    columns = [(name, _resolve(model, name)) for name in names]
    if privates and declared:
        placed = {f.name for _, f in columns if f is not None}
        extra = [
            (f.column_name, f)
            for f in model._meta.sorted_fields
            if f.name.startswith("_") and f.name not in placed
        ]
        at = next(
            (
                i
                for i, (n, f) in enumerate(columns)
                if n in _BOOKKEEPING or isinstance(f, peewee.ForeignKeyField)
            ),
            len(columns),
        )
        columns[at:at] = extra
    return columns


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
        raise InvalidArgument(
            f"{model.__name__} has no relation {path[0]!r} to include; relations: "
            f"{', '.join(sorted(relations(model)))}."
        )
    if rel.kind == "fk":
        pairs = model.select(pk, rel.field).where(pk.in_(ids)).tuples()
    elif rel.kind == "reverse_fk":
        child_pk = rel.target._meta.primary_key
        pairs = [
            (b, a)
            for a, b in rel.target.select(child_pk, rel.field).where(rel.field.in_(ids)).tuples()
        ]
    else:
        pairs = (
            rel.link.select(rel.link_source, rel.link_target)
            .where(rel.link_source.in_(ids))
            .tuples()
        )
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
    if many:  # as LaminDB: a set per record, {None} where nothing is linked
        return [set(values.get(i) or [None]) for i in ids]
    return [values.get(i, [None])[0] if values.get(i) else None for i in ids]


def _path_relations(model: type, parts: list[str]) -> list[Any]:
    out = []
    for part in parts[:-1]:
        rel = relations(model)[part]
        out.append(rel)
        model = rel.target
    return out


def _options(include: Any, features: Any) -> tuple[list[str], bool, Any]:
    """Split ``include`` into relation/field paths, the privates switch and the features wanted."""
    includes = [include] if isinstance(include, str) else list(include or [])
    privates = "privates" in includes
    if "features" in includes and not features:
        features = True
    if isinstance(features, str) and features == "queryset":  # LaminDB's name for "all with values"
        features = True
    return [i for i in includes if i not in ("privates", "features")], privates, features


def _fetch_frame(qs: Any, columns: list[tuple[str, peewee.Field | None]], limit: int | None) -> Any:
    """The stored columns of the (ordered, limited) set; declared but unstored columns empty."""
    import pandas as pd

    stored = [f for _, f in columns if f is not None]
    if qs._scores is not None:
        records = qs._fetch()[: limit if limit is not None else None]
        rows = [tuple(r.__data__.get(f.name) for f in stored) for r in records]
        df = pd.DataFrame.from_records(rows, columns=[f.column_name for f in stored])
    else:
        df = frame_from_query(qs._select(*stored), stored)
    for _, field in columns:
        if isinstance(field, peewee.DateTimeField) and pd.api.types.is_datetime64_dtype(
            df[field.column_name]
        ):
            df[field.column_name] = df[field.column_name].dt.tz_localize(
                "UTC"
            )  # stored as naive UTC
    out = pd.DataFrame(
        {
            name: (
                df[f.column_name] if f is not None else pd.Series([None] * len(df), dtype=object)
            )
            for name, f in columns
        },
        index=df.index,
        copy=False,  # the columns are fresh: no second copy of the table
    )
    return out


def queryset_to_dataframe(
    qs: Any,
    include: Any = None,
    features: Any = False,
    limit: int | None = 20,  # LaminDB's overview: 20 rows; None for all
    order_by: str | None = "-id",
) -> Any:
    """Evaluate a QuerySet into a DataFrame indexed by ``id``, shaped as LaminDB shapes it.

    Without ``include``/``features``: every column of :func:`frame_columns`. With them: the
    first columns (uid, the name field), then the included paths, then the features, then
    any own fields named in ``include``. An empty result is an empty frame of the column
    names (with ``id`` as a column, not the index), as LaminDB returns it.

    Examples
    --------
    >>> queryset_to_dataframe(ln.ULabel.filter(), include="created_by__handle")  # doctest: +SKIP
    """
    import pandas as pd

    model = qs.model
    paths, privates, features = _options(include, features)
    if not qs._order and qs._scores is None and order_by:
        try:
            qs = qs.order_by(order_by)
        except InvalidArgument:
            pass
    if limit is not None:
        qs = qs[:limit] if qs._scores is None else qs
    columns = frame_columns(model, privates)
    if paths or features:
        own = {name for name, _ in columns}
        asked = [p for p in paths if p in own and p not in [n for n, _ in columns[:3]]]
        columns = columns[:3] + [c for c in columns if c[0] in asked]
        paths = [p for p in paths if p not in own]
    df = _fetch_frame(qs, columns, limit)
    if df.empty:
        return pd.DataFrame({}, columns=[name for name, _ in columns])
    if qs._scores is not None and qs._score_column:
        df[qs._score_column] = [qs._scores.get(i, 0.0) for i in df["id"]]
    ids = df["id"].tolist()
    before = list(df.columns)
    added = {key: _include_column(model, ids, key) for key in paths}
    if features and hasattr(model, "_feature_columns"):
        df = model._feature_columns(df, ids, features)
    featured = [c for c in df.columns if c not in before]
    for key, values in added.items():
        df[key] = values
    head = [n for n, _ in columns[:3]]
    rest = [c for c in before if c not in head]
    return df[[*head, *paths, *featured, *rest]].set_index("id")

"""Filtering by feature values and feature columns in ``to_dataframe``.

``ln.Artifact.filter(temperature__gt=20, cell_type="T cell")``: a key that is no
field or relation names a feature. Each condition compiles to ``id IN (subquery)``
over the value tables: JSON values match by their hash (an index lookup) for
equality, or by the stored JSON text for comparisons; categorical values match
through the label's link table with the feature on the link row.

``to_dataframe(include="features")`` adds one column per feature, read with one
query for all JSON values and one ``UNION ALL`` for all labels, not one per row.

Examples
--------
>>> ln.Artifact.filter(temperature__gte=21, cell_type="T cell").to_dataframe(include="features")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from typing import Any

import peewee

from ...errors import InvalidArgument, ValidationError
from ...orm.database import dialect
from ...orm.expressions import LOOKUPS
from ...orm.json_path import json_path_condition, split_path
from ...orm.q import _valid_names
from ...orm.relations import REGISTRY
from ..feature import lookup_feature
from .values import JSON_LINKS, feature_value_columns
from ..jsonvalue import value_hash
from ..labels import cat_link

fn = peewee.fn
_NUMERIC = ("float", "int", "num")
# lookups on the stored JSON text: the text of a string is its value in quotes
_TEXT_LOOKUPS = (
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "iexact",
)


def _unknown(model: type, name: str) -> InvalidArgument:
    return InvalidArgument(
        f"{model.__name__} has no field or feature {name!r}. Valid fields: {', '.join(_valid_names(model))}. "
        f"To filter by a feature, create it first: ln.Feature(name={name!r}, dtype=...).save()."
    )


def feature_condition(model: type, key: str, value: Any) -> peewee.Node:
    """Compile ``<feature>[__<lookup>]=value`` (or ``<feature>__<label field>__<lookup>``) for ``model``.

    Examples
    --------
    >>> feature_condition(ln.Artifact, "temperature__gt", 20)  # doctest: +SKIP
    """
    name, *rest = key.split("__")
    feature = lookup_feature(name)
    if feature is None and name == "features" and rest:  # neither lamindb nor we take this prefix
        inner = "__".join(rest)
        raise InvalidArgument(
            f"{model.__name__}.filter() takes a feature by its name, without a features__ prefix: "
            f"{model.__name__}.filter({inner}=...)."
        )
    if feature is None:
        raise _unknown(model, name)
    return condition_on_feature(model, feature, rest, value)


def condition_on_feature(model: type, feature: Any, rest: list[str], value: Any) -> peewee.Node:
    """The condition on ``model`` that ``feature``'s value satisfies ``rest`` (lookup or key path) and ``value``.

    Examples
    --------
    >>> condition_on_feature(ln.Artifact, ln.Feature.get(name="temperature"), ["gt"], 20)  # doctest: +SKIP
    """
    if feature.cat_target is not None:
        return _cat_condition(model, feature, rest, value)
    op = rest[0] if rest else "exact"
    if (feature.dtype or "") == "dict" and (len(rest) > 1 or op not in LOOKUPS):
        return _dict_key_condition(model, feature, rest, value)
    if len(rest) > 1 or op not in LOOKUPS:
        raise InvalidArgument(
            f"Unknown lookup {'__'.join(rest)!r} on feature {feature.name!r}. Valid lookups: {', '.join(LOOKUPS)}."
        )
    return _json_condition(model, feature, op, value)


def _dict_key_condition(model: type, feature: Any, rest: list[str], value: Any) -> peewee.Node:
    """``<dict feature>__<key>[__<key>...][__<lookup>]=value``: a key inside the stored dict."""
    hosts, column, _ = _json_source(model, feature)
    keys, op = split_path(rest)
    return model._meta.primary_key.in_(hosts.where(json_path_condition(column, keys, op, value)))


def _cat_condition(model: type, feature: Any, rest: list[str], value: Any) -> peewee.Node:
    target = feature.cat_target
    spec = cat_link(model, target.model)
    label_model = spec.target
    host_pk = model._meta.primary_key
    op = rest[0] if len(rest) == 1 and rest[0] in LOOKUPS else None
    if op == "isnull":
        linked = spec.link.select(spec.host_field).where(spec.feature_field == feature._pk)
        return ~host_pk.in_(linked) if value else host_pk.in_(linked)
    # "+feature_id": without statistics SQLite would pick the feature's index (every link of
    # the feature) over the label's (the few links of the asked-for labels)
    unindexed = peewee.NodeList((peewee.SQL("+"), spec.feature_field), glue="")
    linked = spec.link.select(spec.host_field).where(unindexed == feature._pk)
    if not rest or op is not None:
        op = op or "exact"
        items = list(value) if op == "in" else [value]
        if all(isinstance(v, label_model) for v in items) and items:
            ids = [v._pk for v in items]
            return host_pk.in_(linked.where(spec.target_field.in_(ids)))
        labels = label_model.filter(**{f"{target.field_name}__{op}": value})
    else:
        labels = label_model.filter(**{"__".join(rest): value})
    if target.type_name:
        labels = labels.filter(type__name=target.type_name)
    return host_pk.in_(linked.where(spec.target_field.in_(labels._ids_subquery())))


def _json_source(model: type, feature: Any) -> tuple[Any, Any, Any]:
    """(query of host ids, value column, hash column or None) for the feature's JSON values."""
    if model.__name__ == "Record":
        rj = REGISTRY["RecordJson"]
        return rj.select(rj.record).where(rj.feature == feature._pk), rj.value, None
    if model.__name__ not in JSON_LINKS:
        raise InvalidArgument(f"{model.__name__} records have no feature values to filter by.")
    jv = REGISTRY["JsonValue"]
    link_name, host_col = JSON_LINKS[model.__name__]
    link = REGISTRY[link_name]
    query = (
        link.select(getattr(link, host_col))
        .join(jv, on=link.jsonvalue == jv.id)
        .where(jv.feature == feature._pk)
    )
    return query, jv.value, jv.hash


def _json_condition(model: type, feature: Any, op: str, value: Any) -> peewee.Node:
    hosts, column, hash_col = _json_source(model, feature)
    host_pk = model._meta.primary_key
    dtype = feature.dtype or "object"
    if op == "isnull":
        return ~host_pk.in_(hosts) if value else host_pk.in_(hosts)
    if op in ("exact", "in", "ne"):
        items = [feature.check_value(v) for v in (value if op == "in" else [value])]
        if hash_col is not None:
            cond = hash_col.in_([value_hash(v) for v in items])
        else:
            cond = column.in_(items)  # the JSON column encodes the values itself
        inside = host_pk.in_(hosts.where(cond))
        return ~inside if op == "ne" else inside
    if op in _TEXT_LOOKUPS:
        if dtype not in ("str", "path", "url", "date", "datetime", "object"):
            raise ValidationError(
                f"__{op} compares text; feature {feature.name!r} has dtype {dtype}."
            )
        return host_pk.in_(hosts.where(_text_match(column, op, value)))
    if op in ("gt", "gte", "lt", "lte", "range"):
        return host_pk.in_(hosts.where(_compare(feature, column, op, value)))
    raise InvalidArgument(
        f"Lookup __{op} is not supported on feature values; use exact, in, gt, gte, lt, lte, range, "
        "contains, startswith, endswith or isnull."
    )


def ordering_on_feature(model: type, feature: Any, descending: bool) -> peewee.Node:
    """``ORDER BY`` the feature's value of each record (LaminDB's ``order_by(temperature)``).

    A correlated subquery reads the record's value (the smallest, when it has several);
    records without one sort as NULL does (first in ascending order on SQLite).
    """
    dtype = feature.dtype or "object"
    if model.__name__ == "Record":
        link = REGISTRY["RecordJson"]
        source, host, column, feature_col = link.select(), link.record, link.value, link.feature
    elif model.__name__ in JSON_LINKS:
        jv = REGISTRY["JsonValue"]
        link_name, host_col = JSON_LINKS[model.__name__]
        link = REGISTRY[link_name]
        source = link.select().join(jv, on=link.jsonvalue == jv.id)
        host, column, feature_col = getattr(link, host_col), jv.value, jv.feature
    else:
        raise InvalidArgument(f"{model.__name__} records have no feature values to order by.")
    if dtype in _NUMERIC:
        sql_type = "REAL" if dialect() == "sqlite" else "DOUBLE PRECISION"
        value = peewee.Case(None, [(feature_col == feature._pk, peewee.Cast(column, sql_type))])
    elif dtype in ("date", "datetime", "str"):
        value = fn.SUBSTR(column, 1)  # ISO dates and strings order as their JSON text
    else:
        raise ValidationError(
            f"Feature {feature.name!r} has dtype {dtype}: records cannot be ordered by its values; "
            "order by a numeric, date or text feature."
        )
    values = source.select(fn.MIN(value)).where(
        feature_col == feature._pk, host == model._meta.primary_key
    )
    return peewee.Ordering(values, "DESC" if descending else "ASC")


def _text_match(column: Any, op: str, value: Any) -> peewee.Node:
    """Match the stored JSON text of strings (``"abc"``, quotes included) without re-encoding the pattern.

    Functions of the column are compared, never the column itself: a comparison with
    the JSON column would JSON-encode the pattern a second time.
    """
    text = json.dumps(str(value))[1:-1]
    insensitive = op.startswith("i")
    base = op[1:] if insensitive else op
    col = fn.LOWER(column) if insensitive else fn.SUBSTR(column, 1)
    if insensitive:
        text = text.lower()
    if base == "exact":
        return col == f'"{text}"'
    if base == "startswith":
        return fn.SUBSTR(col, 1, len(text) + 1) == f'"{text}'
    if base == "endswith":
        return fn.SUBSTR(col, fn.LENGTH(col) - len(text)) == f'{text}"'
    position = fn.INSTR(col, text) if dialect() == "sqlite" else fn.STRPOS(col, text)
    return position > 0


def _compare(feature: Any, column: Any, op: str, value: Any) -> peewee.Node:
    dtype = feature.dtype or "object"
    if dtype in _NUMERIC:
        sql_type = "REAL" if dialect() == "sqlite" else "DOUBLE PRECISION"
        # CASE keeps PostgreSQL from casting values of other features (not numbers).
        expr = peewee.Case(
            None, [(column.model.feature == feature._pk, peewee.Cast(column, sql_type))], None
        )
        convert = float
    elif dtype in ("date", "datetime", "str"):
        expr = fn.SUBSTR(
            column, 1
        )  # ISO dates and strings compare as their JSON text (not re-encoded)

        def convert(v: Any) -> str:
            return json.dumps(feature.check_value(v))
    else:
        raise ValidationError(
            f"Feature {feature.name!r} has dtype {dtype}: its values cannot be compared with __{op}."
        )
    if op == "range":
        low, high = value
        return expr.between(convert(low), convert(high))
    return LOOKUPS[op](expr, convert(value))


def feature_columns(model: type, df: Any, ids: list[int], features: Any) -> Any:
    """Add one column per feature to ``df`` (rows in the order of ``ids``).

    ``features`` is True/False (all features with values) or a list of feature names.

    Examples
    --------
    >>> feature_columns(ln.Artifact, df, df["id"].tolist(), True)  # doctest: +SKIP
    """
    names = None
    if isinstance(features, str):
        names = [features]
    elif isinstance(features, (list, tuple)):
        names = [getattr(f, "name", f) for f in features]
    values = feature_value_columns(model, ids, names) if ids else {}
    order = sorted(values, key=lambda k: (names.index(k[1]) if names else 0, k[0]))
    new = {
        name: [values[(fid, name)].get(h) for h in ids]
        for fid, name in order
        if name not in df.columns
    }
    for name in names or []:  # asked-for features without values still get their column
        if name not in df.columns:
            new.setdefault(name, [None] * len(ids))
    for name, column in new.items():  # in place: concat would copy the whole frame
        df[name] = column
    return df


__all__ = ["condition_on_feature", "feature_columns", "feature_condition"]

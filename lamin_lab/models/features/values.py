"""Feature values of many artifacts, runs or records, read in bulk (for ``to_dataframe``,
feature filters and ``record.features``): one query per 5,000 ids and value kind.

Examples
--------
>>> host_feature_values(ln.Artifact, [])
{}
"""

from __future__ import annotations

import json
from typing import Any

from ...errors import InvalidArgument, ValidationError
from ...orm.relations import REGISTRY
from ..feature import from_json, parse_cat
from ..labels import link_specs

# host registry → (link table to JsonValue, host column); records keep values in RecordJson
JSON_LINKS = {"Artifact": ("ArtifactJsonValue", "artifact"), "Run": ("RunJsonValue", "run")}
_CHUNK = 5000


def _registry(name: str) -> Any:
    return REGISTRY[name]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _id_filters(ids: list[int]) -> list[tuple[Any, set[int] | None]]:
    """``(condition on a field, ids to keep or None)`` pairs that select ``ids``.

    Dense id lists (a page of a query, most of a table) become one ``BETWEEN``: building
    SQL with thousands of parameters costs more than reading a few rows too many, which
    are dropped in Python.
    """
    if len(ids) > 200:
        low, high = min(ids), max(ids)
        if high - low < 4 * len(ids):
            keep = set(ids)
            return [
                (
                    lambda field: field.between(low, high),
                    None if len(keep) == high - low + 1 else keep,
                )
            ]
    return [((lambda field, chunk=chunk: field.in_(chunk)), None) for chunk in _chunks(ids)]


def _raw(query: Any) -> list[tuple[Any, ...]]:
    """The driver's rows, unconverted: peewee's per-cell conversion is most of the time for large reads."""
    return _registry("Feature")._meta.database.execute(query).fetchall()


def _json_loader() -> Any:
    """``json.loads`` that parses each distinct text once (values repeat across hosts)."""
    cache: dict[str, Any] = {}

    def load(text: Any) -> Any:
        if text is None or not isinstance(text, str):
            return text
        if text not in cache:
            cache[text] = json.loads(text)
        return cache[text]

    return load


def json_value_rows(host_model: type, ids: list[int]) -> list[tuple[int, int, Any]]:
    """(host id, feature id, value) of the non-categorical values of many hosts: one query per 5,000 ids."""
    out: list[tuple[int, int, Any]] = []
    name = host_model.__name__
    load = _json_loader()
    if name == "Record":
        RecordJson = _registry("RecordJson")
        for cond, keep in _id_filters(ids):
            rows = _raw(
                RecordJson.select(RecordJson.record, RecordJson.feature, RecordJson.value)
                .where(cond(RecordJson.record) & RecordJson.feature.is_null(False))
                .order_by(RecordJson.id)
            )
            out.extend((h, f, load(v)) for h, f, v in rows if keep is None or h in keep)
        return out
    if name not in JSON_LINKS:
        return out
    JsonValue = _registry("JsonValue")
    link_name, host_col = JSON_LINKS[name]
    link = _registry(link_name)
    host_field = getattr(link, host_col)
    pairs: list[tuple[int, int]] = []
    for cond, keep in _id_filters(ids):
        rows = _raw(
            link.select(host_field, link.jsonvalue).where(cond(host_field)).order_by(link.id)
        )
        pairs.extend(rows if keep is None else (r for r in rows if r[0] in keep))
    # values repeat across hosts: read each distinct value once
    value_ids = sorted({v for _, v in pairs})
    values: dict[int, tuple[int, Any]] = {}
    wanted = set(value_ids)
    for cond, _ in _id_filters(value_ids) if value_ids else []:
        for i, f, v in _raw(
            JsonValue.select(JsonValue.id, JsonValue.feature, JsonValue.value).where(
                cond(JsonValue.id)
            )
        ):
            if i in wanted:
                values[i] = (f, load(v))
    for host, value_id in pairs:
        f, v = values[value_id]
        out.append((host, f, v))
    return out


def label_value_rows(
    host_model: type, ids: list[int], registries: set[str] | None = None
) -> list[tuple[int, int, Any]]:
    """(host id, feature id, label name) of categorical values.

    Per label table: one query for the links, one for the names of the linked labels
    (labels repeat across hosts: each name is read once). ``registries`` limits the read
    to those label registries (None: all).
    """
    specs = [
        s
        for name, s in link_specs(host_model).items()
        if s.has_feature and (registries is None or name in registries)
    ]
    out: list[tuple[int, int, Any]] = []
    for spec in specs:
        links: list[tuple[int, int, int]] = []
        for cond, keep in _id_filters(ids):
            rows = _raw(
                spec.link.select(spec.host_field, spec.feature_field, spec.target_field)
                .where(cond(spec.host_field) & spec.feature_field.is_null(False))
                .order_by(spec.link.id)
            )
            links.extend(rows if keep is None else (r for r in rows if r[0] in keep))
        if not links:
            continue
        model = spec.target
        label_ids = sorted({t for _, _, t in links})
        names: dict[int, Any] = {}
        for cond, _ in _id_filters(label_ids):
            names.update(
                _raw(
                    model.select(model.id, getattr(model, model._name_field)).where(cond(model.id))
                )
            )
        out.extend((h, f, names.get(t)) for h, f, t in links)
    return out


def feature_value_columns(
    host_model: type, ids: list[int], feature_names: list[str] | None = None
) -> dict[tuple[int, str], dict[int, Any]]:
    """``{(feature id, feature name): {host id: value}}`` for many hosts in a few queries.

    A feature with one value per host maps to it; with several, to a list (label names sorted).
    Features are ordered by id.
    """
    Feature = _registry("Feature")
    # read only the label tables that categorical features (the asked-for ones) can use
    scope = (
        Feature.filter(name__in=list(feature_names))
        if feature_names is not None
        else Feature.filter(_dtype_str__contains="cat")
    )
    registries = {t.registry for t in map(parse_cat, scope.to_list("_dtype_str")) if t is not None}
    json_rows = json_value_rows(host_model, ids)
    label_rows = label_value_rows(host_model, ids, registries) if registries else []
    fids = {r[1] for r in json_rows} | {r[1] for r in label_rows}
    info = (
        {
            i: (n, d)
            for i, n, d in Feature.select(Feature.id, Feature.name, Feature._dtype_str)
            .where(Feature.id.in_(list(fids)))
            .tuples()
        }
        if fids
        else {}
    )
    if feature_names is not None:
        info = {i: v for i, v in info.items() if v[0] in feature_names}
    columns: dict[int, dict[int, Any]] = {fid: {} for fid in sorted(info)}
    several: set[tuple[int, int]] = set()
    for rows in (json_rows, label_rows):
        for host, fid, value in rows:
            column = columns.get(fid)
            if column is None:
                continue
            if host in column:  # a second value: the cell becomes a list
                if (fid, host) not in several:
                    several.add((fid, host))
                    column[host] = [column[host]]
                column[host].append(value)
            else:
                column[host] = value
    for fid, host in several:
        if (info[fid][1] or "").startswith(("cat", "list[cat")):
            columns[fid][host] = sorted(columns[fid][host], key=str)
    for fid, (_, dtype) in info.items():
        if dtype in ("date", "datetime", "list[date]", "list[datetime]"):
            column = columns[fid]
            for host, value in column.items():
                column[host] = (
                    [from_json(dtype, v) for v in value]
                    if (fid, host) in several
                    else from_json(dtype, value)
                )
    return {(fid, info[fid][0]): column for fid, column in columns.items()}


def strip_cat(dtype: str | None) -> str:
    """A dtype as LaminDB's describe shows it: ``cat[...]`` unwrapped.

    Examples
    --------
    >>> strip_cat("cat[Record]"), strip_cat("list[cat[ULabel]]"), strip_cat("float")
    ('Record', 'list[ULabel]', 'float')
    """
    if not dtype or "cat[" not in dtype:
        return dtype or ""
    head, *rest = dtype.split("cat[")
    return head + "".join(part[:-1] for part in rest)


def in_lamindb_order(values: dict[tuple[int, str], Any]) -> dict[tuple[int, str], Any]:
    """``values`` ordered as LaminDB's ``get_values()``: categorical features by name, then the others by name.

    One query for the dtypes, none for fewer than two values.

    Examples
    --------
    >>> in_lamindb_order({(1, "x"): 1.0})
    {(1, 'x'): 1.0}
    """
    if len(values) < 2:
        return values
    Feature = _registry("Feature")
    ids = [fid for fid, _ in values]
    dtypes = dict(
        Feature.select(Feature.id, Feature._dtype_str).where(Feature.id.in_(ids)).tuples()
    )
    order = sorted(values, key=lambda k: ("cat[" not in (dtypes.get(k[0]) or ""), k[1]))
    return {key: values[key] for key in order}


def host_feature_values(
    host_model: type, ids: list[int], feature_names: list[str] | None = None
) -> dict[int, dict[tuple[int, str], Any]]:
    """``{host id: {(feature id, feature name): value}}`` (see :func:`feature_value_columns`).

    Examples
    --------
    >>> host_feature_values(ln.Artifact, [artifact.id])  # doctest: +SKIP
    {1: {(1, 'temperature'): 21.5}}
    """
    out: dict[int, dict[tuple[int, str], Any]] = {}
    for key, column in feature_value_columns(host_model, ids, feature_names).items():
        for host, value in column.items():
            out.setdefault(host, {})[key] = value
    return out


def features_by_name(names: list[str], field: str = "name") -> dict[str, Any]:
    """Saved features whose ``field`` is in ``names``: one query.

    Examples
    --------
    >>> features_by_name(["temperature"])  # doctest: +SKIP
    {'temperature': Feature(name='temperature', ...)}
    """
    Feature = REGISTRY["Feature"]
    if field not in Feature._meta.fields:
        raise InvalidArgument(f"Feature has no field {field!r} to map keys with.")
    found: dict[str, list[Any]] = {}
    for f in Feature.filter(**{f"{field}__in": list(names)}) if names else []:
        found.setdefault(getattr(f, field), []).append(f)
    out = {}
    for name, candidates in found.items():
        plain = [f for f in candidates if not f.is_type] or candidates
        if len(plain) > 1:  # one name under several feature types: LaminDB refuses to guess too
            types = sorted(
                t.name
                for t in Feature.filter(
                    id__in=[f.__data__.get("type") for f in plain if f.__data__.get("type")]
                )
            )
            raise ValidationError(
                f"Feature {name!r} is ambiguous: {len(plain)} features have this {field}"
                f"{' (under types ' + ', '.join(map(repr, types)) + ')' if types else ''}. "
                "Pass the Feature record itself as the key, e.g. {feature: value}."
            )
        out[name] = plain[0]
    return out


def features_to_clear(keys: list[Any], field: str) -> list[Any]:
    """The features whose values ``update_values`` removes; ``ValidationError`` for unknown keys.

    Examples
    --------
    >>> features_to_clear(["temperature"], "name")  # doctest: +SKIP
    [Feature(name='temperature', ...)]
    """
    given = [k for k in keys if type(k).__name__ == "Feature" and k._pk is not None]
    names = [getattr(k, field, k) for k in keys if k not in given]
    found = features_by_name(names, field) if names else {}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValidationError(
            f"No feature named {', '.join(map(repr, unknown))}: nothing to remove. Check the names."
        )
    return given + [found[n] for n in names]

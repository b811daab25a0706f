"""Feature values of artifacts, runs and records: ``artifact.features``.

Non-categorical values (numbers, strings, dates, dicts, lists) live in ``JsonValue``,
one row per distinct (feature, value), shared by every annotated artifact or run
through ``ArtifactJsonValue``/``RunJsonValue``. A record keeps its values in
``RecordJson`` rows of its own. Categorical values are label records linked through
the label's link table with the feature on the link row.

Every method is a handful of queries whatever the number of values (bulk reads of many
hosts are in :mod:`.feature_values`): features are read
in one query, labels in one query per label registry, links written with multi-row
INSERTs.

Examples
--------
>>> artifact.features.add_values({"temperature": 21.5, "cell_type": "T cell"})  # doctest: +SKIP
>>> artifact.features.get_values()  # doctest: +SKIP
{'temperature': 21.5, 'cell_type': 'T cell'}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import peewee

from ...errors import DoesNotExist, InvalidArgument, LaminLabError, ValidationError
from ...orm.database import atomic, ensure_connected, ensure_table
from ...orm.relations import REGISTRY
from ..feature import CatTarget, creation_hint
from .values import JSON_LINKS, features_by_name, features_to_clear, host_feature_values
from .values import in_lamindb_order, strip_cat
from ..jsonvalue import value_hash
from ..labels import LabelManager, check_feature_accepts, link_labels, link_specs


def _registry(name: str) -> Any:
    return REGISTRY[name]


def missing_label_message(
    feature_name: str, target: CatTarget, missing: list[Any], known: list[str]
) -> str:
    """``N term(s) not validated in 'x': 'a' (did you mean 'b'?)`` plus how to create them."""
    import difflib  # stdlib, but only needed when there is an error to explain

    parts = []
    for value in missing[:20]:
        close = difflib.get_close_matches(str(value), known, n=1, cutoff=0.6)
        parts.append(f"{value!r} (did you mean {close[0]!r}?)" if close else repr(value))
    more = f" … (+{len(missing) - 20} more)" if len(missing) > 20 else ""
    n = len(missing)
    hints = "; ".join(target.creation_hint(v) for v in missing[:3])
    return (
        f"{n} term{'s' if n != 1 else ''} not validated in {feature_name!r}: {', '.join(parts)}{more}\n"
        f"→ fix the value{'s' if n != 1 else ''}, or create {'them' if n != 1 else 'it'}: {hints}"
    )


def _label_query(target: CatTarget, values: list[Any]) -> Any:
    model = target.model
    conditions: dict[str, Any] = {f"{target.field_name}__in": values}
    if target.type_name:
        conditions["type__name"] = target.type_name
    return model.filter(**conditions)


def resolve_labels(feature: Any, values: list[Any]) -> list[int]:
    """Ids of the label records ``values`` (names or records) of a categorical feature.

    One query for the names; ``ValidationError`` naming every unknown value.
    """
    target = feature.cat_target
    model = target.model
    records = [v for v in values if isinstance(v, model)]
    others = [v for v in values if not isinstance(v, model)]
    if any(hasattr(v, "_meta") for v in others):
        bad = next(v for v in others if hasattr(v, "_meta"))
        raise ValidationError(
            f"Feature {feature.name!r} takes {target.registry} records (dtype {feature.dtype}), "
            f"not {type(bad).__name__} records."
        )
    if records:
        check_feature_accepts(feature, model, records)
    ids = [r._pk for r in records]
    if others:
        names = list(dict.fromkeys(str(v) for v in others))
        found = dict(
            _label_query(target, names)
            ._select(getattr(model, target.field_name), model.id)
            .tuples()
        )
        missing = [n for n in names if n not in found]
        if missing:
            scope = (
                model.filter(type__name=target.type_name) if target.type_name else model.filter()
            )
            known = [str(n) for n in scope.to_list(target.field_name) if n is not None]
            raise ValidationError(missing_label_message(feature.name, target, missing, known))
        ids.extend(found[n] for n in names)
    return ids


@dataclass
class ValuePlan:
    """Validated values, ready to write: JSON values and label ids per label registry."""

    json: list[tuple[Any, Any]] = field(default_factory=list)  # (feature, JSON-ready value)
    features: list[Any] = field(default_factory=list)  # every feature given a value
    labels: dict[str, list[tuple[int, int]]] = field(
        default_factory=dict
    )  # registry → (label id, feature id)


def plan_values(
    values: dict[str, Any], feature_field: str = "name", schema: Any = None
) -> ValuePlan:
    """Validate a ``{feature: value}`` dict; raise ``ValidationError`` naming what to fix."""
    if not isinstance(values, dict):
        raise InvalidArgument(
            "add_values() takes a dict like {'temperature': 21.5, 'cell_type': 'T cell'}."
        )
    values = {k: v for k, v in values.items() if v is not None}
    keys = [getattr(k, feature_field, k) for k in values]
    given = {
        getattr(k, feature_field): k
        for k in values
        if type(k).__name__ == "Feature" and k._pk is not None
    }
    features = {**features_by_name([k for k in keys if k not in given], feature_field), **given}
    unknown = [k for k in keys if k not in features]
    if unknown:
        hints = "; ".join(creation_hint(k, values[k]) for k in unknown[:5])
        n = len(unknown)
        raise ValidationError(
            f"{n} key{'s are' if n != 1 else ' is'} not a feature: {', '.join(map(repr, unknown))}. "
            f"Create {'them' if n != 1 else 'it'} first: {hints}"
        )
    if schema is not None:
        allowed = {f.name for f in schema.members}
        outside = [k for k in keys if features[k].name not in allowed]
        if outside:
            raise ValidationError(
                f"Feature(s) {', '.join(map(repr, outside))} are not in schema {schema.name!r}: "
                "add them to the schema or leave schema= out."
            )
    plan = ValuePlan()
    for key, value in zip(keys, values.values(), strict=True):
        feature = features[key]
        plan.features.append(feature)
        if feature.is_type:
            raise ValidationError(
                f"{feature.name!r} is a feature type, not a feature: it has no values."
            )
        if feature.cat_target is None:
            plan.json.append((feature, feature.check_value(value)))
            continue
        items = (
            list(value)
            if isinstance(value, (list, tuple, set)) or hasattr(value, "tolist")
            else [value]
        )
        ids = resolve_labels(feature, items)
        plan.labels.setdefault(feature.cat_target.registry, []).extend(
            (i, feature._pk) for i in ids
        )
    return plan


class FeatureManager:
    """Feature values of one artifact, run or record.

    Examples
    --------
    >>> artifact.features.add_values({"temperature": 21.5})  # doctest: +SKIP
    >>> artifact.features["temperature"]  # doctest: +SKIP
    21.5
    """

    def __init__(self, host: Any):
        if host._pk is None:
            raise InvalidArgument(
                f"Save this {type(host).__name__} before annotating it: call .save() first."
            )
        self._host = host

    # ------------------------------------------------------------ writing
    def add_values(
        self, values: dict[str, Any], feature_field: Any = "name", schema: Any = None
    ) -> None:
        """Annotate with feature values; ``None`` values are skipped.

        Raises ``ValidationError`` for unknown features, values of the wrong type and
        categorical values that are no known label; nothing is written then.

        Examples
        --------
        >>> artifact.features.add_values({"temperature": 21.5, "cell_type": "T cell"})  # doctest: +SKIP

        A Record takes to-many (``list[...]``) features only here, as in LaminDB.
        """
        ensure_connected()
        plan = plan_values(values, getattr(feature_field, "name", feature_field), schema)
        to_one = [f.name for f in plan.features if not (f.dtype or "").startswith("list[")]
        if to_one and type(self._host).__name__ == "Record":
            raise ValidationError(
                f"add_values() on a Record takes to-many (list[...]) features; {to_one} are "
                "to-one: use .features.set_values({...}) or .features.update_values({...})."
            )
        with atomic():
            self._write(plan)

    def update_values(
        self, values: dict[str, Any], feature_field: Any = "name", schema: Any = None
    ) -> None:
        """Replace the values of the given features, keep the others.

        A value of ``None``, ``[]`` or ``{}`` removes the feature's values, as in LaminDB.

        Examples
        --------
        >>> record.features.update_values({"score": 2.0, "note": None})  # doctest: +SKIP
        """
        if not values:
            return
        ensure_connected()
        field = getattr(feature_field, "name", feature_field)
        empty = [
            k for k, v in values.items() if v is None or (isinstance(v, (list, dict)) and not v)
        ]
        plan = plan_values({k: v for k, v in values.items() if k not in empty}, field, schema)
        cleared = features_to_clear(empty, field)
        with atomic():
            self._remove(plan.features + cleared, None)
            self._write(plan)

    def set_values(
        self, values: dict[str, Any], feature_field: Any = "name", schema: Any = None
    ) -> None:
        """Like :meth:`add_values`, but first removes every external feature value.

        Examples
        --------
        >>> artifact.features.set_values({"temperature": 22.0})  # doctest: +SKIP
        """
        ensure_connected()
        plan = plan_values(values, getattr(feature_field, "name", feature_field), schema)
        with atomic():
            self._remove(None, None)
            self._write(plan)

    def _write(self, plan: ValuePlan) -> None:
        host_name = type(self._host).__name__
        if plan.json:
            if host_name == "Record":
                self._write_record_json(plan.json)
            else:
                self._write_json(plan.json)
        specs = link_specs(type(self._host))
        for registry, pairs in plan.labels.items():
            spec = specs.get(registry)
            if spec is None or not spec.has_feature:
                raise ValidationError(
                    f"{host_name} records cannot hold {registry} values under a feature."
                )
            link_labels(self._host, spec, pairs)

    def _write_json(self, items: list[tuple[Any, Any]]) -> None:
        JsonValue = _registry("JsonValue")
        ensure_table(JsonValue)
        link_name, host_col = JSON_LINKS[type(self._host).__name__]
        link = _registry(link_name)
        ensure_table(link)
        wanted = {(f._pk, value_hash(v)): v for f, v in items}
        # one query finds the stored values and whether this host links them already
        on = (link.jsonvalue == JsonValue.id) & (getattr(link, host_col) == self._host._pk)
        rows = (
            JsonValue.select(JsonValue.feature, JsonValue.hash, JsonValue.id, link.id)
            .join(link, peewee.JOIN.LEFT_OUTER, on=on)
            .where(
                JsonValue.hash.in_([h for _, h in wanted])
                & JsonValue.feature.in_([f for f, _ in wanted])
            )
            .tuples()
        )
        found: dict[tuple[int, str], int] = {}
        linked: set[int] = set()
        for f, h, i, link_id in rows:
            found[(f, h)] = i
            if link_id is not None:
                linked.add(i)
        new = [
            {"feature": f, "hash": h, "value": v}
            for (f, h), v in wanted.items()
            if (f, h) not in found
        ]
        if new:  # the new rows' ids come back with the INSERT itself
            returned = JsonValue.insert_many(new).returning(
                JsonValue.feature, JsonValue.hash, JsonValue.id
            )
            found.update({(f, h): i for f, h, i in returned.tuples().execute()})
        ids = [found[k] for k in wanted]
        rows = [
            {host_col: self._host._pk, "jsonvalue": i}
            for i in dict.fromkeys(ids)
            if i not in linked
        ]
        if rows:
            link.insert_many(rows).execute()

    def _write_record_json(self, items: list[tuple[Any, Any]]) -> None:
        RecordJson = _registry("RecordJson")
        ensure_table(RecordJson)
        rows = (
            RecordJson.select(RecordJson.feature, RecordJson.value)
            .where(RecordJson.record == self._host._pk)
            .tuples()
        )
        have = {(f, json.dumps(v, sort_keys=True)) for f, v in rows}
        new = []
        for feature, value in items:
            key = (feature._pk, json.dumps(value, sort_keys=True))
            if key not in have:
                have.add(key)
                new.append({"record": self._host._pk, "feature": feature._pk, "value": value})
        if new:
            RecordJson.insert_many(new).execute()

    # ------------------------------------------------------------ removing
    def remove_values(self, feature: Any = None, *, value: Any = None) -> None:
        """Remove values of one or several features (all external ones when ``feature`` is None).

        ``value=`` restricts the removal to that one value (a label name or record for
        categorical features).

        Examples
        --------
        >>> artifact.features.remove_values("temperature")  # doctest: +SKIP
        >>> artifact.features.remove_values("cell_type", value="T cell")  # doctest: +SKIP
        """
        ensure_connected()
        with atomic():
            if feature is None:
                self._remove(None, None)
                return
            items = feature if isinstance(feature, (list, tuple)) else [feature]
            names = [f for f in items if isinstance(f, str)]
            found = features_by_name(names)
            missing = [n for n in names if n not in found]
            if missing:
                raise ValidationError(
                    f"No feature named {', '.join(map(repr, missing))}: nothing to remove."
                )
            self._remove([f if not isinstance(f, str) else found[f] for f in items], value)

    def _remove(self, features: list[Any] | None, value: Any) -> None:
        internal = self._internal_feature_ids()
        fids = None if features is None else [f._pk for f in features]
        json_fids = None if features is None else [f._pk for f in features if f.cat_target is None]
        if json_fids is None or json_fids:
            self._remove_json(json_fids, internal, value)
        for spec in link_specs(type(self._host)).values():
            if not spec.has_feature:
                continue
            cond = (spec.host_field == self._host._pk) & spec.feature_field.is_null(False)
            if fids is None:
                if internal:  # dataset features stay: they describe the content
                    cond &= spec.feature_field.not_in(list(internal))
            else:
                cats = [
                    f
                    for f in features
                    if f.cat_target is not None and f.cat_target.registry == spec.target_name
                ]
                if not cats:
                    continue
                cond &= spec.feature_field.in_([f._pk for f in cats])
                if value is not None:
                    cond &= spec.target_field.in_(resolve_labels(cats[0], [value]))
            spec.link.delete().where(cond).execute()

    def _remove_json(self, fids: list[int] | None, internal: set[int], value: Any) -> None:
        host = type(self._host).__name__
        if host == "Record":
            RecordJson = _registry("RecordJson")
            cond = RecordJson.record == self._host._pk
            if fids is not None:
                cond &= RecordJson.feature.in_(fids)
            if value is not None and fids is not None and len(fids) == 1:
                cond &= RecordJson.value == _registry("Feature").get(fids[0]).check_value(value)
            RecordJson.delete().where(cond).execute()
            return
        JsonValue = _registry("JsonValue")
        link_name, host_col = JSON_LINKS[host]
        link = _registry(link_name)
        sub = JsonValue.select(JsonValue.id)
        if fids is not None:
            sub = sub.where(JsonValue.feature.in_(fids))
            if value is not None and len(fids) == 1:
                normal = _registry("Feature").get(fids[0]).check_value(value)
                sub = sub.where(JsonValue.hash == value_hash(normal))
        elif internal:
            sub = sub.where(JsonValue.feature.not_in(list(internal)))
        link.delete().where(
            (getattr(link, host_col) == self._host._pk) & link.jsonvalue.in_(sub)
        ).execute()

    # ------------------------------------------------------------ reading
    def _internal_feature_ids(self) -> set[int]:
        """Features of the schemas the artifact was validated with (its dataset features)."""
        return {f._pk for _, schema in self._schemas().items() for f in schema.members}

    def _schemas(self) -> dict[str, Any]:
        if type(self._host).__name__ != "Artifact":
            return {}
        Schema, ArtifactSchema = _registry("Schema"), _registry("ArtifactSchema")
        out: dict[str, Any] = {}
        rows = (
            ArtifactSchema.select(ArtifactSchema.slot, ArtifactSchema.schema)
            .where(ArtifactSchema.artifact == self._host._pk)
            .order_by(ArtifactSchema.id)
            .tuples()
        )
        ids = {slot or "columns": sid for slot, sid in rows}
        schema_id = self._host.__data__.get("schema")
        if not ids and schema_id is not None:  # validated on construction, links not written (yet)
            ids["columns"] = schema_id
        by_id = {s.id: s for s in Schema.filter(id__in=list(ids.values()))} if ids else {}
        for slot, sid in ids.items():
            schema = by_id.get(sid)
            if schema is None:
                continue
            components = schema.slots
            if components:
                out.update(components)
            else:
                out[slot] = schema
        return out

    @property
    def slots(self) -> dict[str, Any]:
        """Schemas by slot (``{'obs': Schema, 'var': Schema}`` for an AnnData).

        Examples
        --------
        >>> artifact.features.slots  # doctest: +SKIP
        {'obs': Schema(...), 'var': Schema(...)}
        """
        ensure_connected()
        return self._schemas()

    def get_values(self, external_only: bool = False) -> dict[str, Any]:
        """Feature values as a dict: one value, or a list when there are several.

        Examples
        --------
        >>> artifact.features.get_values()  # doctest: +SKIP
        {'temperature': 21.5, 'cell_type': ['B cell', 'T cell']}
        """
        ensure_connected()
        skip = self._internal_feature_ids() if external_only else set()
        values = host_feature_values(type(self._host), [self._host._pk]).get(self._host._pk, {})
        if type(self._host).__name__ != "Record":
            values = in_lamindb_order(values)
        out = {name: v for (fid, name), v in values.items() if fid not in skip}
        return {**out, **self._index_value()}

    def _index_value(self) -> dict[str, Any]:
        """A record of a frame with a schema ``index``: its name is that feature's value (LaminDB)."""
        host = self._host
        if (
            type(host).__name__ != "Record"
            or host.__data__.get("type") is None
            or host.name is None
        ):
            return {}
        schema = host.type.schema
        index = schema.index if schema is not None else None
        return {} if index is None else {index.name: host.name}

    def __getitem__(self, key: str) -> Any:
        slots = self.slots
        if key in slots:
            return slots[key]
        feature = features_by_name([key]).get(key)
        if feature is None:
            raise DoesNotExist(
                f"No feature {key!r}: create it with ln.Feature(name={key!r}, dtype=...).save()."
            )
        if feature.cat_target is not None:
            return LabelManager(self._host).get(feature)
        values = self.get_values()
        if key not in values:
            raise DoesNotExist(
                f"{self._host._short_repr()} has no value for feature {key!r}: add one with .features.add_values()."
            )
        return values[key]

    # ------------------------------------------------------------ describing
    def describe_data(self) -> dict[str, list[tuple[str, str, str, list[tuple[str, str, Any]]]]]:
        """Data for describe: ``{"Dataset features": [(slot, schema name, note, rows)], "Features": [...]}``.

        Each row is ``(feature name, dtype, value)``. The second key is "External features"
        for an artifact that has dataset features, as in LaminDB.
        """
        ensure_connected()
        slots = self._schemas()
        values = host_feature_values(type(self._host), [self._host._pk]).get(self._host._pk, {})
        by_id = {fid: v for (fid, _), v in values.items()}
        dataset, internal = [], set()
        for slot, schema in slots.items():
            rows = []
            for f in schema.members:
                internal.add(f._pk)
                rows.append((f.name, f.dtype or "", by_id.get(f._pk, "")))
            dataset.append(
                (
                    slot,
                    schema.name or "",
                    f"{len(rows)} feature{'s' if len(rows) != 1 else ''}",
                    rows,
                )
            )
        external_ids = [fid for fid, _ in values if fid not in internal]
        dtypes = (
            dict(
                _registry("Feature")
                .select(_registry("Feature").id, _registry("Feature")._dtype_str)
                .where(_registry("Feature").id.in_(external_ids))
                .tuples()
            )
            if external_ids
            else {}
        )
        raw = [(n, dtypes.get(fid, ""), v) for (fid, n), v in values.items() if fid not in internal]
        # As LaminDB: categorical features first, each group by name; "External features"
        # only beside an artifact's dataset features, else "Features".
        raw.sort(key=lambda r: ("cat[" not in r[1], r[0]))
        external = [(name, strip_cat(dtype), v) for name, dtype, v in raw]
        title = (
            "External features"
            if dataset and type(self._host).__name__ == "Artifact"
            else "Features"
        )
        return {"Dataset features": dataset, title: [("", "", "", external)] if external else []}

    def describe(self, return_str: bool = False) -> str | None:
        """Print (or return) the dataset and external features with their values.

        Examples
        --------
        >>> artifact.features.describe()  # doctest: +SKIP
        Features
          temperature  float  21.5
        """
        lines = []
        for title, groups in self.describe_data().items():
            if not groups:
                continue
            lines.append(title)
            for slot, schema_name, note, rows in groups:
                indent = "  "
                if slot:
                    lines.append(f"  {slot}{' · ' + schema_name if schema_name else ''} ({note})")
                    indent = "    "
                width = max((len(r[0]) for r in rows), default=0)
                dwidth = max((len(r[1]) for r in rows), default=0)
                for name, dtype, value in rows:
                    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                    lines.append(
                        f"{indent}{name.ljust(width)}  {dtype.ljust(dwidth)}  {text}".rstrip()
                    )
        text = "\n".join(lines) if lines else "No features."
        if return_str:
            return text
        print(text)
        return None

    def __repr__(self) -> str:
        # LaminDB shows the features themselves (what describe() prints)
        plain = f"<FeatureManager of {self._host._short_repr()}>"
        try:
            return self.describe(return_str=True) or plain
        except LaminLabError:  # no instance connected: a repr must not raise
            return plain

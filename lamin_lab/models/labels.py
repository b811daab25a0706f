"""Labels of artifacts, runs and records: which link table holds which registry, and ``.labels``.

A label is a record of a label registry (``ULabel``, ``Record``, ``Project``,
``Reference`` ...) linked to a host record (``Artifact``, ``Run``, ``Record``,
``Collection``) through a link table; the link row may name the feature the label is
a value of. :data:`CAT_LINKS` maps (host, label registry) to that link table.

Examples
--------
>>> artifact.labels.add(ln.ULabel.get(name="T cell"), feature=cell_type)  # doctest: +SKIP
>>> artifact.labels.get(cell_type, flat_names=True)  # doctest: +SKIP
['T cell']
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import peewee

from ..errors import InvalidArgument, ValidationError
from ..orm.database import atomic, ensure_connected, ensure_table
from ..orm.managers import insert_rows
from ..orm.relations import REGISTRY

# host registry → label registry → (link table, host column, label column)
CAT_LINKS: dict[str, dict[str, tuple[str, str, str]]] = {
    "Artifact": {
        "ULabel": ("ArtifactULabel", "artifact", "ulabel"),
        "Record": ("ArtifactRecord", "artifact", "record"),
        "Project": ("ArtifactProject", "artifact", "project"),
        "Reference": ("ArtifactReference", "artifact", "reference"),
        "User": ("ArtifactUser", "artifact", "user"),
        "Artifact": ("ArtifactArtifact", "artifact", "value"),
    },
    "Run": {
        "ULabel": ("RunULabel", "run", "ulabel"),
        "Record": ("RunRecord", "run", "record"),
        "Project": ("RunProject", "run", "project"),
    },
    "Record": {
        "ULabel": ("RecordULabel", "record", "value"),
        "Record": ("RecordRecord", "record", "value"),
        "Project": ("RecordProject", "record", "value"),
        "Reference": ("RecordReference", "record", "value"),
        "Artifact": ("RecordArtifact", "record", "value"),
        "Collection": ("RecordCollection", "record", "value"),
        "Run": ("RecordRun", "record", "value"),
        "Transform": ("RecordTransform", "record", "value"),
        "User": ("RecordUser", "record", "value"),
    },
    "Collection": {
        "ULabel": ("CollectionULabel", "collection", "ulabel"),
        "Record": ("CollectionRecord", "collection", "record"),
        "Project": ("CollectionProject", "collection", "project"),
        "Reference": ("CollectionReference", "collection", "reference"),
    },
}


@dataclass(frozen=True)
class LinkSpec:
    """One link table between a host registry and a label registry.

    Examples
    --------
    >>> spec = cat_link(ln.Artifact, ln.ULabel)
    >>> spec.link.__name__, spec.has_feature
    ('ArtifactULabel', True)
    """

    link_name: str
    host_column: str
    target_column: str
    target_name: str

    @property
    def link(self) -> Any:
        """The link registry."""
        return REGISTRY[self.link_name]

    @property
    def target(self) -> Any:
        """The label registry."""
        return REGISTRY[self.target_name]

    @property
    def host_field(self) -> Any:
        """The link's foreign key to the host."""
        return self.link._meta.fields[self.host_column]

    @property
    def target_field(self) -> Any:
        """The link's foreign key to the label."""
        return self.link._meta.fields[self.target_column]

    @property
    def feature_field(self) -> Any:
        """The link's ``feature`` column, None when the table has none."""
        return self.link._meta.fields.get("feature")

    @property
    def has_feature(self) -> bool:
        """Whether labels can be linked under a feature through this table."""
        return self.feature_field is not None


def link_specs(host_model: type) -> dict[str, LinkSpec]:
    """Every label link table of a host registry, by label registry name.

    Examples
    --------
    >>> sorted(link_specs(ln.Run))
    ['Project', 'Record', 'ULabel']
    """
    table = CAT_LINKS.get(host_model.__name__, {})
    return {
        name: LinkSpec(*spec, target_name=name)
        for name, spec in table.items()
        if spec[0] in REGISTRY
    }


def cat_link(host_model: type, target_model: type) -> LinkSpec:
    """The link table between a host registry and a label registry.

    Examples
    --------
    >>> cat_link(ln.Artifact, ln.Record).link_name
    'ArtifactRecord'
    """
    spec = link_specs(host_model).get(target_model.__name__)
    if spec is None:
        choices = ", ".join(sorted(link_specs(host_model))) or "none"
        raise InvalidArgument(
            f"{host_model.__name__} records cannot be labeled with {target_model.__name__} records; "
            f"label registries of {host_model.__name__}: {choices}."
        )
    return spec


def as_records(records: Any) -> list[Any]:
    """A flat list of records from one record, a list or a QuerySet."""
    if hasattr(records, "_meta") and hasattr(records, "_pk"):
        return [records]
    if isinstance(records, Iterable) and not isinstance(records, (str, bytes, dict)):
        out = list(records)
        for r in out:
            if not hasattr(r, "_meta"):
                raise InvalidArgument(
                    f"Expected records (ULabel, Record, ...), got {type(r).__name__}: {r!r}."
                )
        return out
    raise InvalidArgument(f"Expected a record or a list of records, got {type(records).__name__}.")


def check_feature_accepts(feature: Any, target_model: type, records: list[Any]) -> None:
    """``ValidationError`` unless ``feature`` is categorical over ``target_model`` (and its type)."""
    target = feature.cat_target
    if target is None:
        raise ValidationError(
            f"Feature {feature.name!r} has dtype {feature.dtype}, not a categorical one: labels link only "
            f"under features like ln.Feature(name={feature.name!r}, dtype=ln.{target_model.__name__})."
        )
    if target.registry != target_model.__name__:
        raise ValidationError(
            f"Feature {feature.name!r} takes {target.registry} records (dtype {feature.dtype}), "
            f"not {target_model.__name__} records."
        )
    if target.type_name and "type" in target_model._meta.fields:
        type_ids = {r.__data__.get("type") for r in records}
        names = dict(
            target_model.select(target_model.id, target_model.name)
            .where(target_model.id.in_([i for i in type_ids if i is not None]))
            .tuples()
        )
        wrong = [r for r in records if names.get(r.__data__.get("type")) != target.type_name]
        if wrong:
            raise ValidationError(
                f"Feature {feature.name!r} takes {target.registry} records of type {target.type_name!r}; "
                f"{wrong[0]._short_repr()} is not of that type."
            )


def link_labels(host: Any, spec: LinkSpec, pairs: list[tuple[int, int | None]]) -> int:
    """Insert (label id, feature id) links of ``host`` that don't exist yet; returns how many."""
    if not pairs:
        return 0
    link = spec.link
    ensure_table(link)
    ids = sorted({t for t, _ in pairs})
    cols = [spec.target_field] + ([spec.feature_field] if spec.has_feature else [])
    query = link.select(*cols).where((spec.host_field == host._pk) & spec.target_field.in_(ids))
    existing = {(row[0], row[1] if spec.has_feature else None) for row in query.tuples()}
    rows = []
    for target_id, feature_id in dict.fromkeys(pairs):
        key = (target_id, feature_id if spec.has_feature else None)
        if key in existing:
            continue
        existing.add(key)
        row = {spec.host_column: host._pk, spec.target_column: target_id}
        if spec.has_feature:
            row["feature"] = feature_id
        rows.append(row)
    insert_rows(link, rows)
    return len(rows)


def _resolve_feature(feature: Any) -> Any:
    if feature is None or hasattr(feature, "_meta"):
        if feature is not None and feature._pk is None:
            raise InvalidArgument(f"Save feature {feature.name!r} first: call .save().")
        return feature
    found = REGISTRY["Feature"].filter(name=feature).first()
    if found is None:
        raise ValidationError(
            f"Feature {feature!r} does not exist: create it with ln.Feature(name={feature!r}, dtype=ln.ULabel).save()."
        )
    return found


class LabelManager:
    """The labels of an artifact, run or record, grouped by the features they are values of.

    Examples
    --------
    >>> artifact.labels.add(ln.ULabel.filter(name__in=["a", "b"]), feature=cell_type)  # doctest: +SKIP
    >>> artifact.labels.get(cell_type, flat_names=True)  # doctest: +SKIP
    ['a', 'b']
    """

    def __init__(self, host: Any):
        if host._pk is None:
            raise InvalidArgument(
                f"Save this {type(host).__name__} before using .labels: call .save() first."
            )
        self._host = host

    def add(self, records: Any, feature: Any = None) -> None:
        """Link one or several label records, under ``feature`` when given.

        Examples
        --------
        >>> artifact.labels.add(ln.ULabel.get(name="T cell"), feature=cell_type)  # doctest: +SKIP
        """
        ensure_connected()
        records = as_records(records)
        feature = _resolve_feature(feature)
        groups: dict[type, list[Any]] = {}
        for r in records:
            if r._pk is None:
                raise InvalidArgument(
                    f"Save {r._short_repr()} before linking it: call .save() first."
                )
            groups.setdefault(type(r), []).append(r)
        # one registry's links are one INSERT, atomic by itself: no transaction needed
        with atomic() if len(groups) > 1 else nullcontext():
            for model, group in groups.items():
                spec = cat_link(type(self._host), model)
                if feature is not None:
                    if not spec.has_feature:
                        raise InvalidArgument(
                            f"{spec.link_name} links have no feature: add these labels without feature=."
                        )
                    check_feature_accepts(feature, model, group)
                fid = feature._pk if feature is not None else None
                link_labels(self._host, spec, [(r._pk, fid) for r in group])

    def remove(self, records: Any, feature: Any = None) -> None:
        """Unlink label records (only their links under ``feature`` when given).

        Examples
        --------
        >>> artifact.labels.remove(label)  # doctest: +SKIP
        """
        feature = _resolve_feature(feature)
        groups: dict[type, list[int]] = {}
        for r in as_records(records):
            groups.setdefault(type(r), []).append(r._pk)
        with atomic():
            for model, ids in groups.items():
                spec = cat_link(type(self._host), model)
                cond = (spec.host_field == self._host._pk) & spec.target_field.in_(ids)
                if feature is not None and spec.has_feature:
                    cond &= spec.feature_field == feature._pk
                spec.link.delete().where(cond).execute()

    def get(self, feature: Any, mute: bool = False, flat_names: bool = False) -> Any:
        """Labels linked under ``feature``: a QuerySet of its registry, or their names.

        Examples
        --------
        >>> artifact.labels.get("cell_type", flat_names=True)  # doctest: +SKIP
        ['B cell', 'T cell']
        """
        feature = _resolve_feature(feature)
        target = feature.cat_target
        if target is None:
            raise ValidationError(
                f"Feature {feature.name!r} has dtype {feature.dtype}: it has values, not labels; "
                f"use .features.get_values()[{feature.name!r}]."
            )
        spec = cat_link(type(self._host), target.model)
        model = spec.target
        ids = spec.link.select(spec.target_field).where(
            (spec.host_field == self._host._pk) & (spec.feature_field == feature._pk)
        )
        qs = model.filter(id__in=[row[0] for row in ids.tuples()])
        if flat_names:
            return sorted(qs.to_list(target.field_name), key=str)
        return qs

    def add_from(self, data: Any, transfer_logs: Any = None) -> None:
        """Copy every label link (with its feature) of another artifact, collection, run or record.

        Examples
        --------
        >>> artifact2.labels.add_from(artifact1)  # doctest: +SKIP
        """
        if data._pk is None:
            raise InvalidArgument("Save the record to copy labels from first.")
        own = link_specs(type(self._host))
        with atomic():
            for name, theirs in link_specs(type(data)).items():
                mine = own.get(name)
                if mine is None:
                    continue
                cols = [theirs.target_field] + (
                    [theirs.feature_field] if theirs.has_feature else []
                )
                rows = theirs.link.select(*cols).where(theirs.host_field == data._pk).tuples()
                pairs = [
                    (row[0], row[1] if theirs.has_feature and mine.has_feature else None)
                    for row in rows
                ]
                link_labels(self._host, mine, pairs)

    def _grouped(self) -> dict[str, list[str]]:
        """Label names grouped by feature name (or by registry when linked without a feature)."""
        out: dict[str, list[str]] = {}
        feature_model = REGISTRY["Feature"]
        for name, spec in link_specs(type(self._host)).items():
            model = spec.target
            label_col = getattr(model, model._name_field)
            cols = [label_col] + ([feature_model.name] if spec.has_feature else [])
            query = spec.link.select(*cols).join(model, on=spec.target_field == model.id)
            if spec.has_feature:
                query = query.switch(spec.link).join(
                    feature_model, peewee.JOIN.LEFT_OUTER, on=spec.feature_field == feature_model.id
                )
            for row in query.where(spec.host_field == self._host._pk).tuples():
                group = (row[1] if spec.has_feature else None) or name
                out.setdefault(group, []).append(str(row[0]))
        return {k: sorted(v) for k, v in out.items()}

    def describe(self, return_str: bool = True) -> str | None:
        """The labels as text: one line per feature (or registry) with the label names.

        Examples
        --------
        >>> print(artifact.labels.describe())  # doctest: +SKIP
        Labels
          cell_type: B cell, T cell
        """
        ensure_connected()
        grouped = self._grouped()
        lines = ["Labels"] + [f"  {k}: {', '.join(v)}" for k, v in grouped.items()]
        text = "\n".join(lines)
        if return_str:
            return text
        print(text)
        return None

    def __repr__(self) -> str:
        return f"<LabelManager of {self._host._short_repr()}>"

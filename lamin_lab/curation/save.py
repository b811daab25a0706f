"""Saving a curated dataset: the artifact, then its schema, dataset features and labels.

Examples
--------
>>> save_curated(ln.Artifact.from_dataframe(df, key="x.parquet"), curator)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationError
from ..models.labels import cat_link, link_labels
from ..orm.database import atomic, ensure_connected
from ..orm.relations import REGISTRY


def curator_slots(curator: Any) -> dict[str | None, Any]:
    """Slot name → slot curator (``{None: curator}`` for a DataFrame curator)."""
    slots = getattr(curator, "slots", None)
    if isinstance(slots, dict) and slots:
        return dict(slots)
    return {getattr(curator, "_slot", None): curator}


def _slot_schema(curator: Any) -> Any:
    """The schema to link for a slot: the curator's, or when validation found features beyond its
    members (a flexible schema), one made of all the validated features."""
    schema = curator.schema
    if not hasattr(curator, "features"):
        return schema
    features = curator.features
    if not {f.uid for f in features} - {f.uid for f in schema.members}:
        return schema
    Schema = REGISTRY["Schema"]
    return Schema(
        features=features, itype="Feature", otype=schema.otype, coerce=schema.coerce
    ).save()


def annotate(artifact: Any, curator: Any) -> None:
    """Link the validated artifact to its schema (per slot), and the labels of its categorical columns.

    A handful of queries per slot: one for the existing schema links, one insert, and one
    read plus one insert per label registry.

    Examples
    --------
    >>> annotate(artifact, curator)  # doctest: +SKIP
    """
    suffix = curator.schema.suffix
    if suffix and artifact.suffix != suffix:  # raised inside the save: nothing stays behind
        raise ValidationError(
            f"Artifact suffix {artifact.suffix!r} does not match the suffix {suffix!r} that schema "
            f"{curator.schema.name!r} requires: save it as {suffix} (key ending in {suffix!r})."
        )
    ensure_connected()
    ArtifactSchema = REGISTRY["ArtifactSchema"]
    slots = curator_slots(curator)
    with atomic():
        linked = {
            (s, slot)
            for s, slot in ArtifactSchema.select(ArtifactSchema.schema, ArtifactSchema.slot)
            .where(ArtifactSchema.artifact == artifact._pk)
            .tuples()
        }
        rows = []
        for slot, sub in slots.items():
            schema = _slot_schema(sub)
            name = slot or "columns"
            if (schema._pk, name) not in linked:
                rows.append({"artifact": artifact._pk, "schema": schema._pk, "slot": name})
        if rows:
            ArtifactSchema.insert_many(rows).execute()
        top = curator.schema
        if artifact.__data__.get("schema") != top._pk:
            type(artifact).update(schema=top._pk).where(type(artifact).id == artifact._pk).execute()
            artifact.__data__["schema"] = top._pk
        for sub in slots.values():
            for feature, target, ids in getattr(sub, "_annotations", lambda: [])():
                spec = cat_link(type(artifact), target.model)
                link_labels(artifact, spec, [(i, feature._pk) for i in ids])


def save_curated(artifact: Any, curator: Any) -> Any:
    """Save the artifact annotated with what the curator validated: links and row together.

    Examples
    --------
    >>> save_curated(ln.Artifact.from_dataframe(df, key="x.parquet"), curator)  # doctest: +SKIP
    """
    if artifact._pk is None:
        # Annotated by Artifact._after_save inside the save's transaction: if linking
        # fails, neither the row nor the file stays behind.
        artifact._schema_curator = curator
        return artifact.save()
    annotate(artifact, curator)  # the same content was saved before: only the links are new
    return artifact


def save_validated(curator: Any, constructor: str, **kwargs: Any) -> Any:
    """Validate if not done yet, build the artifact with ``Artifact.<constructor>`` and save it annotated.

    Examples
    --------
    >>> save_validated(curator, "from_dataframe", key="x.parquet")  # doctest: +SKIP
    """
    if not curator._is_validated:
        curator.validate()
    artifact = getattr(REGISTRY["Artifact"], constructor)(curator._dataset, **kwargs)
    return save_curated(artifact, curator)

"""Link tables of records (``ln.Record``): their parents, values, labels and the registries they point to.

The link tables of the other registries, and their base class, are in :mod:`.links`.
"""

from __future__ import annotations

from ..orm import fields
from .links import LinkRecord


class RecordParent(LinkRecord):
    """Links Record to Record."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordparent")
    parent = fields.ForeignKey(
        "Record", on_delete="CASCADE", related_name="_links_recordparent_value"
    )

    class Meta:
        indexes = ((("record", "parent"), False),)


class ProjectRecord(LinkRecord):
    """Links Record to Project."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_projectrecord")
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_projectrecord_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_projectrecord"
    )

    class Meta:
        indexes = ((("record", "project", "feature"), False),)


class ReferenceRecord(LinkRecord):
    """Links Reference to Record."""

    reference = fields.ForeignKey(
        "Reference", on_delete="CASCADE", related_name="_links_referencerecord"
    )
    record = fields.ForeignKey(
        "Record", on_delete="CASCADE", related_name="_links_referencerecord_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_referencerecord"
    )

    class Meta:
        indexes = ((("reference", "record", "feature"), False),)


class RecordJson(LinkRecord):
    """Links Record to a JSON value."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordjson")
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordjson"
    )
    value = fields.JSONField(null=True)


class RecordULabel(LinkRecord):
    """Links Record to ULabel."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordulabel")
    value = fields.ForeignKey(
        "ULabel", on_delete="CASCADE", related_name="_links_recordulabel_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordulabel"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


class RecordRecord(LinkRecord):
    """Links Record to Record."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordrecord")
    value = fields.ForeignKey(
        "Record", on_delete="CASCADE", related_name="_links_recordrecord_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordrecord"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


class RecordArtifact(LinkRecord):
    """Links Record to Artifact."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordartifact")
    value = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_recordartifact_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordartifact"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


class RecordCollection(LinkRecord):
    """Links Record to Collection."""

    record = fields.ForeignKey(
        "Record", on_delete="CASCADE", related_name="_links_recordcollection"
    )
    value = fields.ForeignKey(
        "Collection", on_delete="CASCADE", related_name="_links_recordcollection_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordcollection"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


class RecordRun(LinkRecord):
    """Links Record to Run."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordrun")
    value = fields.ForeignKey("Run", on_delete="CASCADE", related_name="_links_recordrun_value")
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordrun"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


class RecordTransform(LinkRecord):
    """Links Record to Transform."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordtransform")
    value = fields.ForeignKey(
        "Transform", on_delete="CASCADE", related_name="_links_recordtransform_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordtransform"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


class RecordProject(LinkRecord):
    """Links Record to Project."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordproject")
    value = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_recordproject_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordproject"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


class RecordReference(LinkRecord):
    """Links Record to Reference."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recordreference")
    value = fields.ForeignKey(
        "Reference", on_delete="CASCADE", related_name="_links_recordreference_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recordreference"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


class RecordUser(LinkRecord):
    """Links Record to User."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_recorduser")
    value = fields.ForeignKey("User", on_delete="CASCADE", related_name="_links_recorduser_value")
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_recorduser"
    )

    class Meta:
        indexes = ((("record", "value", "feature"), False),)


__all__ = [
    "RecordParent",
    "ProjectRecord",
    "ReferenceRecord",
    "RecordJson",
    "RecordULabel",
    "RecordRecord",
    "RecordArtifact",
    "RecordCollection",
    "RecordRun",
    "RecordTransform",
    "RecordProject",
    "RecordReference",
    "RecordUser",
]

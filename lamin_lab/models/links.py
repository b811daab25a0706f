"""Link tables: one row per related pair, with the feature the link annotates.

Every link row records who created it, in which run, and when. Link rows are written in
bulk by the related managers (``artifact.ulabels.add(...)``) and the feature manager.
"""

from __future__ import annotations

from ..orm import BaseSQLRecord, fields
from .mixins import current_run_id, current_user_id


class LinkRecord(BaseSQLRecord):
    """Base of link tables: ``created_at``, ``created_by``, ``run``."""

    created_at = fields.DateTimeField(auto_now_add=True)
    created_by = fields.ForeignKey("User", on_delete="PROTECT", null=True, default=current_user_id)
    run = fields.ForeignKey("Run", on_delete="SET_NULL", null=True, default=current_run_id)

    class Meta:
        abstract = True


class ArtifactULabel(LinkRecord):
    """Links Artifact to ULabel."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactulabel"
    )
    ulabel = fields.ForeignKey(
        "ULabel", on_delete="CASCADE", related_name="_links_artifactulabel_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_artifactulabel"
    )

    class Meta:
        indexes = ((("artifact", "ulabel", "feature"), False),)


class ArtifactRecord(LinkRecord):
    """Links Artifact to Record."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactrecord"
    )
    record = fields.ForeignKey(
        "Record", on_delete="CASCADE", related_name="_links_artifactrecord_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_artifactrecord"
    )

    class Meta:
        indexes = ((("artifact", "record", "feature"), False),)


class ArtifactProject(LinkRecord):
    """Links Artifact to Project."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactproject"
    )
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_artifactproject_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_artifactproject"
    )

    class Meta:
        indexes = ((("artifact", "project", "feature"), False),)


class ArtifactReference(LinkRecord):
    """Links Artifact to Reference."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactreference"
    )
    reference = fields.ForeignKey(
        "Reference", on_delete="CASCADE", related_name="_links_artifactreference_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_artifactreference"
    )

    class Meta:
        indexes = ((("artifact", "reference", "feature"), False),)


class ArtifactUser(LinkRecord):
    """Links Artifact to User."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactuser"
    )
    user = fields.ForeignKey("User", on_delete="CASCADE", related_name="_links_artifactuser_value")
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_artifactuser"
    )

    class Meta:
        indexes = ((("artifact", "user", "feature"), False),)


class ArtifactSchema(LinkRecord):
    """Links Artifact to Schema."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactschema"
    )
    schema = fields.ForeignKey(
        "Schema", on_delete="CASCADE", related_name="_links_artifactschema_value"
    )
    slot = fields.CharField(max_length=40, null=True)
    feature_ref_is_semantic = fields.BooleanField(null=True)

    class Meta:
        indexes = ((("artifact", "schema"), False),)


class ArtifactRun(LinkRecord):
    """Links Artifact to Run."""

    artifact = fields.ForeignKey("Artifact", on_delete="CASCADE", related_name="_links_artifactrun")
    run = fields.ForeignKey("Run", on_delete="CASCADE", related_name="_links_artifactrun_value")
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_artifactrun"
    )

    class Meta:
        indexes = ((("artifact", "run", "feature"), False),)


class ArtifactRecreatingRun(LinkRecord):
    """Links Artifact to a Run that made the same content again (LaminDB's ``recreating_runs``)."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactrecreatingrun"
    )
    run = fields.ForeignKey(
        "Run", on_delete="CASCADE", related_name="_links_artifactrecreatingrun_value"
    )

    class Meta:
        indexes = ((("artifact", "run"), True),)


class ArtifactJsonValue(LinkRecord):
    """Links Artifact to JsonValue."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactjsonvalue"
    )
    jsonvalue = fields.ForeignKey(
        "JsonValue", on_delete="CASCADE", related_name="_links_artifactjsonvalue_value"
    )

    class Meta:
        indexes = ((("artifact", "jsonvalue"), False),)


class ArtifactArtifact(LinkRecord):
    """Links Artifact to Artifact."""

    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactartifact"
    )
    value = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_artifactartifact_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_artifactartifact"
    )

    class Meta:
        indexes = ((("artifact", "value", "feature"), False),)


class CollectionArtifact(LinkRecord):
    """Links Collection to Artifact."""

    collection = fields.ForeignKey(
        "Collection", on_delete="CASCADE", related_name="_links_collectionartifact"
    )
    artifact = fields.ForeignKey(
        "Artifact", on_delete="CASCADE", related_name="_links_collectionartifact_value"
    )

    class Meta:
        indexes = ((("collection", "artifact"), False),)


class CollectionULabel(LinkRecord):
    """Links Collection to ULabel."""

    collection = fields.ForeignKey(
        "Collection", on_delete="CASCADE", related_name="_links_collectionulabel"
    )
    ulabel = fields.ForeignKey(
        "ULabel", on_delete="CASCADE", related_name="_links_collectionulabel_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_collectionulabel"
    )

    class Meta:
        indexes = ((("collection", "ulabel", "feature"), False),)


class CollectionRecord(LinkRecord):
    """Links Collection to Record."""

    collection = fields.ForeignKey(
        "Collection", on_delete="CASCADE", related_name="_links_collectionrecord"
    )
    record = fields.ForeignKey(
        "Record", on_delete="CASCADE", related_name="_links_collectionrecord_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_collectionrecord"
    )

    class Meta:
        indexes = ((("collection", "record", "feature"), False),)


class CollectionProject(LinkRecord):
    """Links Collection to Project."""

    collection = fields.ForeignKey(
        "Collection", on_delete="CASCADE", related_name="_links_collectionproject"
    )
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_collectionproject_value"
    )

    class Meta:
        indexes = ((("collection", "project"), False),)


class CollectionReference(LinkRecord):
    """Links Collection to Reference."""

    collection = fields.ForeignKey(
        "Collection", on_delete="CASCADE", related_name="_links_collectionreference"
    )
    reference = fields.ForeignKey(
        "Reference", on_delete="CASCADE", related_name="_links_collectionreference_value"
    )

    class Meta:
        indexes = ((("collection", "reference"), False),)


class CollectionRun(LinkRecord):
    """Links Collection to Run."""

    collection = fields.ForeignKey(
        "Collection", on_delete="CASCADE", related_name="_links_collectionrun"
    )
    run = fields.ForeignKey("Run", on_delete="CASCADE", related_name="_links_collectionrun_value")

    class Meta:
        indexes = ((("collection", "run"), False),)


class CollectionRecreatingRun(LinkRecord):
    """Links Collection to a Run that made the same collection again (``recreating_runs``)."""

    collection = fields.ForeignKey(
        "Collection", on_delete="CASCADE", related_name="_links_collectionrecreatingrun"
    )
    run = fields.ForeignKey(
        "Run", on_delete="CASCADE", related_name="_links_collectionrecreatingrun_value"
    )

    class Meta:
        indexes = ((("collection", "run"), True),)


class RunULabel(LinkRecord):
    """Links Run to ULabel."""

    run = fields.ForeignKey("Run", on_delete="CASCADE", related_name="_links_runulabel")
    ulabel = fields.ForeignKey("ULabel", on_delete="CASCADE", related_name="_links_runulabel_value")
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_runulabel"
    )

    class Meta:
        indexes = ((("run", "ulabel", "feature"), False),)


class RunRecord(LinkRecord):
    """Links Run to Record."""

    run = fields.ForeignKey("Run", on_delete="CASCADE", related_name="_links_runrecord")
    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="_links_runrecord_value")
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_runrecord"
    )

    class Meta:
        indexes = ((("run", "record", "feature"), False),)


class RunProject(LinkRecord):
    """Links Run to Project."""

    run = fields.ForeignKey("Run", on_delete="CASCADE", related_name="_links_runproject")
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_runproject_value"
    )

    class Meta:
        indexes = ((("run", "project"), False),)


class RunJsonValue(LinkRecord):
    """Links Run to JsonValue."""

    run = fields.ForeignKey("Run", on_delete="CASCADE", related_name="_links_runjsonvalue")
    jsonvalue = fields.ForeignKey(
        "JsonValue", on_delete="CASCADE", related_name="_links_runjsonvalue_value"
    )

    class Meta:
        indexes = ((("run", "jsonvalue"), False),)


class TransformTransform(LinkRecord):
    """Links Transform to Transform."""

    successor = fields.ForeignKey(
        "Transform", on_delete="CASCADE", related_name="_links_transformtransform"
    )
    predecessor = fields.ForeignKey(
        "Transform", on_delete="CASCADE", related_name="_links_transformtransform_value"
    )
    config = fields.JSONField(null=True)

    class Meta:
        indexes = ((("successor", "predecessor"), False),)


class TransformULabel(LinkRecord):
    """Links Transform to ULabel."""

    transform = fields.ForeignKey(
        "Transform", on_delete="CASCADE", related_name="_links_transformulabel"
    )
    ulabel = fields.ForeignKey(
        "ULabel", on_delete="CASCADE", related_name="_links_transformulabel_value"
    )

    class Meta:
        indexes = ((("transform", "ulabel"), False),)


class TransformProject(LinkRecord):
    """Links Transform to Project."""

    transform = fields.ForeignKey(
        "Transform", on_delete="CASCADE", related_name="_links_transformproject"
    )
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_transformproject_value"
    )

    class Meta:
        indexes = ((("transform", "project"), False),)


class TransformReference(LinkRecord):
    """Links Transform to Reference."""

    transform = fields.ForeignKey(
        "Transform", on_delete="CASCADE", related_name="_links_transformreference"
    )
    reference = fields.ForeignKey(
        "Reference", on_delete="CASCADE", related_name="_links_transformreference_value"
    )

    class Meta:
        indexes = ((("transform", "reference"), False),)


class TransformRecord(LinkRecord):
    """Links Transform to Record."""

    transform = fields.ForeignKey(
        "Transform", on_delete="CASCADE", related_name="_links_transformrecord"
    )
    record = fields.ForeignKey(
        "Record", on_delete="CASCADE", related_name="_links_transformrecord_value"
    )
    feature = fields.ForeignKey(
        "Feature", on_delete="PROTECT", null=True, related_name="_links_transformrecord"
    )

    class Meta:
        indexes = ((("transform", "record", "feature"), False),)


class FeatureProject(LinkRecord):
    """Links Feature to Project."""

    feature = fields.ForeignKey(
        "Feature", on_delete="CASCADE", related_name="_links_featureproject"
    )
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_featureproject_value"
    )

    class Meta:
        indexes = ((("feature", "project"), False),)


class SchemaFeature(LinkRecord):
    """Links Schema to Feature."""

    schema = fields.ForeignKey("Schema", on_delete="CASCADE", related_name="_links_schemafeature")
    feature = fields.ForeignKey(
        "Feature", on_delete="CASCADE", related_name="_links_schemafeature_value"
    )

    class Meta:
        indexes = ((("schema", "feature"), False),)


class SchemaComponent(LinkRecord):
    """Links Schema to Schema."""

    composite = fields.ForeignKey(
        "Schema", on_delete="CASCADE", related_name="_links_schemacomponent"
    )
    component = fields.ForeignKey(
        "Schema", on_delete="CASCADE", related_name="_links_schemacomponent_value"
    )
    slot = fields.CharField(max_length=40, null=True)

    class Meta:
        indexes = ((("composite", "component"), False),)


class SchemaProject(LinkRecord):
    """Links Schema to Project."""

    schema = fields.ForeignKey("Schema", on_delete="CASCADE", related_name="_links_schemaproject")
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_schemaproject_value"
    )

    class Meta:
        indexes = ((("schema", "project"), False),)


class ULabelProject(LinkRecord):
    """Links ULabel to Project."""

    ulabel = fields.ForeignKey("ULabel", on_delete="CASCADE", related_name="_links_ulabelproject")
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_ulabelproject_value"
    )

    class Meta:
        indexes = ((("ulabel", "project"), False),)


class ULabelParent(LinkRecord):
    """Links ULabel to ULabel."""

    ulabel = fields.ForeignKey("ULabel", on_delete="CASCADE", related_name="_links_ulabelparent")
    parent = fields.ForeignKey(
        "ULabel", on_delete="CASCADE", related_name="_links_ulabelparent_value"
    )

    class Meta:
        indexes = ((("ulabel", "parent"), False),)


class BlockProject(LinkRecord):
    """Links Block to Project."""

    block = fields.ForeignKey("Block", on_delete="CASCADE", related_name="_links_blockproject")
    project = fields.ForeignKey(
        "Project", on_delete="CASCADE", related_name="_links_blockproject_value"
    )

    class Meta:
        indexes = ((("block", "project"), True),)


__all__ = [
    "BlockProject",
    "ArtifactArtifact",
    "ArtifactJsonValue",
    "ArtifactProject",
    "ArtifactRecord",
    "ArtifactRecreatingRun",
    "ArtifactReference",
    "ArtifactRun",
    "ArtifactSchema",
    "ArtifactULabel",
    "ArtifactUser",
    "CollectionArtifact",
    "CollectionProject",
    "CollectionRecord",
    "CollectionRecreatingRun",
    "CollectionReference",
    "CollectionRun",
    "CollectionULabel",
    "FeatureProject",
    "LinkRecord",
    "RunJsonValue",
    "RunProject",
    "RunRecord",
    "RunULabel",
    "SchemaComponent",
    "SchemaFeature",
    "SchemaProject",
    "TransformProject",
    "TransformRecord",
    "TransformReference",
    "TransformTransform",
    "TransformULabel",
    "ULabelParent",
    "ULabelProject",
]

"""Blocks: unstructured notes (markdown) attached to records or standing alone."""

from __future__ import annotations

from ..orm import BaseSQLRecord, fields
from .mixins import current_user_id


class BaseBlock(BaseSQLRecord):
    """Fields every block has: a uid, markdown ``content``, a ``kind``, who and when."""

    _uid_length = 20
    _search_fields = ("content",)

    uid = fields.CharField(max_length=20, unique=True)
    content = fields.TextField(null=True)
    kind = fields.CharField(max_length=22, default="readme", index=True)
    version_tag = fields.CharField(max_length=30, null=True)
    is_latest = fields.BooleanField(default=True)
    created_at = fields.DateTimeField(auto_now_add=True, index=True)
    created_by = fields.ForeignKey("User", on_delete="PROTECT", null=True, default=current_user_id)

    class Meta:
        abstract = True


class Block(BaseBlock):
    """A root block identified by a key (e.g. the readme of a registry).

    Examples
    --------
    >>> ln.models.Block(key="__lamindb_readme__", content="# Our catalog").save()  # doctest: +SKIP
    """

    key = fields.CharField(max_length=1024, index=True, null=True)


class ArtifactBlock(BaseBlock):
    """Notes on an artifact."""

    artifact = fields.ForeignKey("Artifact", on_delete="CASCADE", related_name="blocks")


class CollectionBlock(BaseBlock):
    """Notes on a collection."""

    collection = fields.ForeignKey("Collection", on_delete="CASCADE", related_name="blocks")


class TransformBlock(BaseBlock):
    """Notes on a transform, optionally tied to a line of its source."""

    transform = fields.ForeignKey("Transform", on_delete="CASCADE", related_name="blocks")
    line_number = fields.IntegerField(null=True)


class RunBlock(BaseBlock):
    """Notes on a run."""

    run = fields.ForeignKey("Run", on_delete="CASCADE", related_name="blocks")


class RecordBlock(BaseBlock):
    """Notes on a record."""

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="blocks")


class ULabelBlock(BaseBlock):
    """Notes on a ulabel."""

    ulabel = fields.ForeignKey("ULabel", on_delete="CASCADE", related_name="blocks")


class FeatureBlock(BaseBlock):
    """Notes on a feature."""

    feature = fields.ForeignKey("Feature", on_delete="CASCADE", related_name="blocks")


class SchemaBlock(BaseBlock):
    """Notes on a schema."""

    schema = fields.ForeignKey("Schema", on_delete="CASCADE", related_name="blocks")


class ProjectBlock(BaseBlock):
    """Notes on a project."""

    project = fields.ForeignKey("Project", on_delete="CASCADE", related_name="blocks")


class SpaceBlock(BaseBlock):
    """Notes on a space."""

    space = fields.ForeignKey("Space", on_delete="CASCADE", related_name="blocks")


class BranchBlock(BaseBlock):
    """Notes on a branch."""

    branch = fields.ForeignKey("Branch", on_delete="CASCADE", related_name="blocks")

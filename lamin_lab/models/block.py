"""Blocks: unstructured notes (markdown) attached to records or standing alone.

A block attached to a record (``BranchBlock``, ``ArtifactBlock``, ...) is a ``readme`` or
a ``comment``, as in LaminDB: readmes are versioned (a new readme of the same record is
the next version and the latest; the same content again returns the existing one),
comments are not.
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import FieldValidationError, InvalidArgument
from ..orm import BaseSQLRecord, fields
from ..orm.database import ensure_connected
from ..orm.identity import adopt
from ..orm.uid import base62, increment_base62
from .mixins import current_user_id

logger = logging.getLogger("lamin_lab")

#: the kinds of an attached block (LaminDB's): only readmes have versions
BLOCK_KINDS = ("readme", "comment")


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


class AttachedBlock(BaseBlock):
    """A block attached to one record (named by ``_anchor``): a versioned readme or a comment.

    Examples
    --------
    >>> branch = ln.Branch.get(name="main")
    >>> v1 = ln.models.BranchBlock(branch=branch, content="# Plan", kind="readme").save()
    >>> v2 = ln.models.BranchBlock(branch=branch, content="# Plan, v2", kind="readme").save()
    >>> v2.uid[:16] == v1.uid[:16], v2.uid[16:], branch.notes
    (True, '0001', '# Plan, v2')
    >>> ln.models.BranchBlock(branch=branch, content="LGTM", kind="comment").save().kind
    'comment'
    """

    _anchor = ""  # the foreign key to the annotated record, e.g. "branch"

    class Meta:
        abstract = True

    def __init__(self, *args: Any, revises: Any = None, version: str | None = None, **kwargs: Any):
        if "__no_default__" in kwargs:  # a row read from the database
            super().__init__(*args, **kwargs)
            return
        if version is not None:
            kwargs["version_tag"] = version
        super().__init__(*args, **kwargs)
        self._check_block(kwargs, revises)
        if self.kind == "comment":
            self.uid = base62(16) + "0000"
            return
        latest = revises if revises is not None else self._latest_readme()
        if latest is None:
            self.uid = base62(16) + "0000"
        elif latest.content == self.content and latest.is_latest:
            logger.info(
                "returning the existing %s with the same content: %s",
                type(self).__name__,
                latest.uid,
            )
            adopt(self, latest, {})
        else:
            self.uid = self._next_uid(latest.uid[:16])

    def _check_block(self, passed: dict[str, Any], revises: Any) -> None:
        name, model = self._anchor, type(self).__name__
        if passed.get(name) is None and passed.get(f"{name}_id") is None:
            raise FieldValidationError(
                f"{model} needs the record it is attached to: pass {name}=..."
            )
        kind = passed.get("kind")
        if kind is None:
            raise FieldValidationError(
                f"{model} needs kind=: pass kind='readme' or kind='comment'."
            )
        if kind not in BLOCK_KINDS:
            raise InvalidArgument(f"kind must be 'readme' or 'comment', not {kind!r}.")
        if kind == "comment" and revises is not None:
            raise InvalidArgument(
                "comments have no versions: pass revises= only with kind='readme'."
            )

    def _latest_readme(self) -> Any:
        ensure_connected()
        anchor = {self._anchor: self.__data__.get(self._anchor)}
        return (
            type(self)
            .filter(kind="readme", is_latest=True, **anchor)
            .order_by("-created_at", "-id")
            .first()
        )

    @classmethod
    def _next_uid(cls, stem: str) -> str:
        uids = [u for u in cls.filter(uid__startswith=stem).to_list("uid") if len(u) == 20]
        return stem + increment_base62(max(u[16:] for u in uids)) if uids else stem + "0000"

    def _after_save(self, created: bool) -> None:
        if not created or self.kind != "readme":
            return
        model = type(self)
        anchor = getattr(model, self._anchor)
        model.update(is_latest=False).where(
            anchor == self.__data__.get(self._anchor),
            model.kind == "readme",
            model.id != self.id,
        ).execute()


class Block(BaseBlock):
    """A root block identified by a key (e.g. the readme of a registry).

    Examples
    --------
    >>> ln.models.Block(key="__lamindb_readme__", content="# Our catalog").save()  # doctest: +SKIP
    """

    key = fields.CharField(max_length=1024, index=True, null=True)


class ArtifactBlock(AttachedBlock):
    """Notes on an artifact."""

    _anchor = "artifact"

    artifact = fields.ForeignKey("Artifact", on_delete="CASCADE", related_name="blocks")


class CollectionBlock(AttachedBlock):
    """Notes on a collection."""

    _anchor = "collection"

    collection = fields.ForeignKey("Collection", on_delete="CASCADE", related_name="blocks")


class TransformBlock(AttachedBlock):
    """Notes on a transform, optionally tied to a line of its source."""

    _anchor = "transform"

    transform = fields.ForeignKey("Transform", on_delete="CASCADE", related_name="blocks")
    line_number = fields.IntegerField(null=True)


class RunBlock(AttachedBlock):
    """Notes on a run."""

    _anchor = "run"

    run = fields.ForeignKey("Run", on_delete="CASCADE", related_name="blocks")


class RecordBlock(AttachedBlock):
    """Notes on a record."""

    _anchor = "record"

    record = fields.ForeignKey("Record", on_delete="CASCADE", related_name="blocks")


class ULabelBlock(AttachedBlock):
    """Notes on a ulabel."""

    _anchor = "ulabel"

    ulabel = fields.ForeignKey("ULabel", on_delete="CASCADE", related_name="blocks")


class FeatureBlock(AttachedBlock):
    """Notes on a feature."""

    _anchor = "feature"

    feature = fields.ForeignKey("Feature", on_delete="CASCADE", related_name="blocks")


class SchemaBlock(AttachedBlock):
    """Notes on a schema."""

    _anchor = "schema"

    schema = fields.ForeignKey("Schema", on_delete="CASCADE", related_name="blocks")


class ProjectBlock(AttachedBlock):
    """Notes on a project."""

    _anchor = "project"

    project = fields.ForeignKey("Project", on_delete="CASCADE", related_name="blocks")


class SpaceBlock(AttachedBlock):
    """Notes on a space."""

    _anchor = "space"

    space = fields.ForeignKey("Space", on_delete="CASCADE", related_name="blocks")


class BranchBlock(AttachedBlock):
    """Notes on a branch."""

    _anchor = "branch"

    branch = fields.ForeignKey("Branch", on_delete="CASCADE", related_name="blocks")

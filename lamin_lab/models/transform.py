"""``Transform``: a notebook, script, function or pipeline that produces data."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..orm import ManyToMany, fields
from .mixins import IsVersioned, TracksUpdates, current_user_id
from .user import User

TRANSFORM_KINDS = ("notebook", "script", "function", "pipeline", "upload", "linker", "glue")


class Transform(IsVersioned, TracksUpdates):
    """A data transformation; each execution is a :class:`Run`.

    Examples
    --------
    >>> t = ln.Transform(key="preprocess.py", kind="script").save()
    >>> t2 = ln.Transform(key="preprocess.py", revises=t).save()  # a new version
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = ("uid", "id", "key", "description", "kind", "source_code", "hash", "reference",
        "reference_type", "version_tag", "is_latest", "is_locked", "created_at", "branch_id", "created_on_id",
        "space_id", "environment_id", "plan_id", "run_id", "created_by_id")
    _uid_length = 16
    _versioned_stem_length = 12
    _name_field = "key"
    _search_fields = ("key", "description")
    _field_aliases = {"type": "kind", "name": "key"}
    _init_aliases = {"type": "kind", "name": "key"}

    uid = fields.CharField(max_length=16, unique=True)
    key = fields.CharField(max_length=1024, index=True)
    description = fields.CharField(max_length=1024, null=True, index=True)
    kind = fields.CharField(max_length=20, default="pipeline", index=True)
    source_code = fields.TextField(null=True)
    hash = fields.CharField(max_length=22, null=True, index=True)
    reference = fields.CharField(max_length=255, null=True)
    reference_type = fields.CharField(max_length=25, null=True)
    created_at = fields.DateTimeField(auto_now_add=True, index=True)
    created_by = fields.ForeignKey(User, on_delete="PROTECT", null=True, default=current_user_id, related_name="created_transforms")

    predecessors = ManyToMany("self", through="TransformTransform", through_fields=("successor", "predecessor"), related_name="successors")
    ulabels = ManyToMany("ULabel", through="TransformULabel", related_name="transforms")
    projects = ManyToMany("Project", through="TransformProject", related_name="transforms")
    references = ManyToMany("Reference", through="TransformReference", related_name="transforms")
    records = ManyToMany("Record", through="TransformRecord", related_name="transforms")

    def __init__(self, *args: Any, revises: Any = None, **kwargs: Any):
        if "__no_default__" in kwargs:
            super().__init__(*args, **kwargs)
            return
        super().__init__(*args, revises=revises, **kwargs)
        if revises is not None:  # a new version keeps what it does not redefine
            if not self.__data__.get("key"):
                self.key = revises.key
            if "kind" not in kwargs and "type" not in kwargs:
                self.kind = revises.kind
        if self.kind not in TRANSFORM_KINDS:
            raise InvalidArgument(f"Transform kind must be one of {', '.join(TRANSFORM_KINDS)}, not {self.kind!r}.")

    @property
    def type(self) -> str:
        """Older name of :attr:`kind`."""
        return self.kind

    @property
    def name(self) -> str:
        """Older name of :attr:`key`."""
        return self.key

    @property
    def latest_run(self) -> Any:
        """The most recent run of this transform, or None."""
        return self.runs.order_by("-started_at").first()

    def _after_save(self, created: bool) -> None:
        if created and self.is_latest and getattr(self, "_revises", None) is not None:
            self._demote_family()  # a first version has no family to demote

"""``Transform``: a notebook, script, function or pipeline that produces data."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import InvalidArgument
from ..orm import ManyToMany, fields
from ..orm.branches import ARCHIVE, default_branch_ids
from ..orm.identity import adopt
from ..orm.fields import check_key
from ..storage.hashing import hash_string
from .mixins import HasLineage, IsVersioned, TracksUpdates, current_user_id
from .user import User

logger = logging.getLogger("lamin_lab")

TRANSFORM_KINDS = ("notebook", "script", "function", "pipeline", "upload", "linker", "glue")


class Transform(HasLineage, IsVersioned, TracksUpdates):
    """A data transformation; each execution is a :class:`Run`.

    As in LaminDB, a key whose transform has no source code yet returns that transform;
    a key whose transform has source code makes its next version; source code that a
    latest transform has returns that one (``skip_hash_lookup=True`` makes a new one).

    Examples
    --------
    >>> t = ln.Transform(key="preprocess.py", kind="script").save()
    >>> t2 = ln.Transform(key="preprocess.py", revises=t).save()  # a new version
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "key",
        "description",
        "kind",
        "source_code",
        "hash",
        "reference",
        "reference_type",
        "version_tag",
        "is_latest",
        "is_locked",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "environment_id",
        "plan_id",
        "run_id",
        "created_by_id",
    )
    _uid_length = 16
    _versioned_stem_length = 12
    _name_field = "key"
    _search_fields = ("key", "description")
    _field_aliases = {"type": "kind", "name": "key"}
    _init_aliases = {"type": "kind", "name": "key"}
    _required_fields = ("key",)  # a new version without one inherits its predecessor's

    uid = fields.CharField(max_length=16, unique=True)
    key = fields.CharField(max_length=1024, index=True)
    description = fields.CharField(max_length=1024, null=True, index=True)
    kind = fields.CharField(max_length=20, default="pipeline", index=True)
    source_code = fields.TextField(null=True)
    hash = fields.CharField(max_length=22, null=True, index=True)
    reference = fields.CharField(max_length=255, null=True)
    reference_type = fields.CharField(max_length=25, null=True)
    created_at = fields.DateTimeField(auto_now_add=True, index=True)
    created_by = fields.ForeignKey(
        User,
        on_delete="PROTECT",
        null=True,
        default=current_user_id,
        related_name="created_transforms",
    )

    predecessors = ManyToMany(
        "self",
        through="TransformTransform",
        through_fields=("successor", "predecessor"),
        related_name="successors",
    )
    ulabels = ManyToMany("ULabel", through="TransformULabel", related_name="transforms")
    projects = ManyToMany("Project", through="TransformProject", related_name="transforms")
    references = ManyToMany("Reference", through="TransformReference", related_name="transforms")
    records = ManyToMany("Record", through="TransformRecord", related_name="transforms")

    def __init__(
        self, *args: Any, revises: Any = None, skip_hash_lookup: bool = False, **kwargs: Any
    ):
        if "__no_default__" in kwargs:
            super().__init__(*args, **kwargs)
            return
        existing, revises = _existing_or_revised(args, revises, kwargs, skip_hash_lookup)
        if revises is not None and kwargs.get("key", kwargs.get("name")) is None:
            kwargs["key"] = getattr(revises, "key", None)
        if existing is not None:
            super().__init__(
                *args, **{k: v for k, v in kwargs.items() if k in ("key", "name", "description")}
            )
            adopt(self, existing, {"description": kwargs.get("description")})
            return
        super().__init__(*args, revises=revises, **kwargs)
        if revises is not None:  # a new version keeps what it does not redefine
            if not self.__data__.get("key"):
                self.key = revises.key
            if "kind" not in kwargs and "type" not in kwargs:
                self.kind = revises.kind
        if self.kind not in TRANSFORM_KINDS:
            raise InvalidArgument(
                f"Transform kind must be one of {', '.join(TRANSFORM_KINDS)}, not {self.kind!r}."
            )

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


def _latest_with(**where: Any) -> Any:
    """The newest latest-version transform outside the trash matching ``where``, or None."""
    return (
        Transform.filter(is_latest=True, branch_id__in=[ARCHIVE, *default_branch_ids()], **where)
        .order_by("-created_at", "-id")
        .first()
    )


def _existing_or_revised(
    args: tuple[Any, ...], revises: Any, kwargs: dict[str, Any], skip_hash_lookup: bool
) -> tuple[Any, Any]:
    """LaminDB's identity rules: ``(the saved transform to return or None, the version to revise)``.

    A key whose latest transform has no source code yet *is* that transform; a key whose
    transform has source gets a new version of it. Source code (without ``hash=``, which
    the tracking layer passes after deciding itself) is hashed, and a latest transform with
    that hash is returned unless ``skip_hash_lookup``. Sets ``kwargs["hash"]``.
    """
    existing = None
    key = kwargs.get("key", kwargs.get("name"))
    if not args and revises is None and kwargs.get("uid") is None and isinstance(key, str):
        check_key(key)  # before the look-up: a refused key finds nothing
        latest = _latest_with(key=key)
        if latest is not None and latest.source_code is None:
            logger.info(
                "no source code was saved yet: returning the existing transform with key %r", key
            )
            existing = latest
        elif latest is not None:
            revises = latest
    source = kwargs.get("source_code")
    if source is not None and not isinstance(source, str):
        raise InvalidArgument(
            f"source_code= takes the source as text (str), not {type(source).__name__}."
        )
    if existing is None and source is not None and kwargs.get("hash") is None:
        kwargs["hash"] = hash_string(source)
        if not skip_hash_lookup:
            existing = _latest_with(hash=kwargs["hash"])
            if existing is not None and key is not None and existing.key != key:
                logger.warning(
                    "the transform with this source has key %r, not %r: keeping %r "
                    "(pass skip_hash_lookup=True for a new transform)",
                    existing.key,
                    key,
                    existing.key,
                )
    return existing, revises

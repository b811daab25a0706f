"""``Storage``: a location where artifacts live (a local folder, an S3 or GCS prefix)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument, StorageInUse, StorageNotEmpty
from ..orm import fields
from ..settings import settings
from ..storage import storage_type
from .mixins import TracksRun, TracksUpdates

logger = logging.getLogger("lamin_lab")
_KNOWN_TYPES = ("local", "s3", "gs", "http", "https", "hf", "memory")


class Storage(TracksRun, TracksUpdates):
    """A storage location; its ``type`` (local, s3, gs) is detected from the root.

    ``ln.Storage(root=...)`` with a root that is registered already is that record. Saving
    a new local location makes the folder (and ``.lamindb/storage_uid.txt`` in it) and
    marks it as managed by the current instance.

    Examples
    --------
    >>> import tempfile
    >>> root = tempfile.mkdtemp() + "/shared"
    >>> s = ln.Storage(root=root, description="shared folder").save()
    >>> s.type, os.path.isdir(root)
    ('local', True)
    >>> ln.Storage(root=root) == s
    True
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "root",
        "description",
        "type",
        "region",
        "instance_uid",
        "is_locked",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "created_by_id",
        "run_id",
    )
    _returns_existing_name = True  # the root is the name: a registered root is that storage

    _uid_length = 12
    _branch_sensitive = False  # storage locations serve every branch (LaminDB keeps them on main)
    _name_field = "root"
    _search_fields = ("root", "description")

    uid = fields.CharField(max_length=12, unique=True)
    root = fields.CharField(max_length=1000, unique=True, null=False)
    description = fields.TextField(null=True)
    type = fields.CharField(max_length=30, index=True, null=False)
    region = fields.CharField(max_length=64, null=True)
    host = fields.CharField(max_length=255, null=True)
    instance_uid = fields.CharField(max_length=12, null=True, index=True)

    def __init__(self, *args: Any, **kwargs: Any):
        if "__no_default__" not in kwargs:
            if args and "root" not in kwargs:
                kwargs["root"], args = args[0], args[1:]
            if "root" in kwargs:
                kwargs["root"] = _normalise_root(kwargs["root"])
                kwargs.setdefault("type", _checked_type(kwargs["root"]))
            self._managed_here = "instance_uid" not in kwargs
        super().__init__(*args, **kwargs)

    def _before_save(self) -> None:
        super()._before_save()
        if self._pk is not None or not getattr(self, "_managed_here", False):
            return
        self.instance_uid = settings.instance.uid
        if self.type == "local":
            marker = Path(self.root) / ".lamindb" / "storage_uid.txt"
            if not marker.exists():
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(self.uid)
                logger.info("created managed storage location at %s", self.root)

    def _check_delete(self) -> None:
        # Artifacts point here: removing the location would orphan them (and their files).
        n = self.artifacts.filter(branch=None).count()
        if n:
            raise StorageNotEmpty(
                f"Storage {self.root} still holds {n} artifact(s), trashed ones included: "
                "delete them permanently first (artifact.delete(permanent=True))."
            )
        if self.root == settings.instance.storage_root:
            raise StorageInUse(
                f"Storage {self.root} is the current storage location (ln.settings.storage): "
                "switch to another one first (ln.settings.storage = <root>), then delete this one."
            )


def _normalise_root(root: Any) -> str:
    """A root as stored: ``file://`` dropped, local paths absolute, no trailing slash."""
    if hasattr(root, "protocol") and not isinstance(root, str):  # a UPath: its URL
        root = str(root)
    if not isinstance(root, (str, os.PathLike)) or not str(root).strip():
        raise InvalidArgument(
            f"Storage(root=...) takes a folder path or a URL such as s3://bucket/prefix, not {root!r}."
        )
    text = os.fspath(root) if isinstance(root, os.PathLike) else root
    if text.startswith("file://"):
        text = text[len("file://") :]
    if "://" not in text:
        text = os.path.abspath(os.path.expanduser(text))
    return text.rstrip("/") if len(text) > 1 else text


def _checked_type(root: str) -> str:
    kind = storage_type(root)
    if kind not in _KNOWN_TYPES:
        raise InvalidArgument(
            f"Storage root {root!r} has an unsupported protocol {kind!r}: use a local folder, "
            "s3://bucket/prefix or gs://bucket/prefix."
        )
    return kind

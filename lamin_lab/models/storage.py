"""``Storage``: a location where artifacts live (a local folder, an S3 or GCS prefix)."""

from __future__ import annotations

from ..errors import StorageNotEmpty
from ..orm import fields
from .mixins import TracksRun, TracksUpdates


class Storage(TracksRun, TracksUpdates):
    """A storage location; its ``type`` (local, s3, gs) is detected from the root.

    Examples
    --------
    >>> ln.Storage.to_dataframe()  # doctest: +SKIP
    """

    _uid_length = 12
    _name_field = "root"
    _search_fields = ("root", "description")

    uid = fields.CharField(max_length=12, unique=True)
    root = fields.CharField(max_length=1000, unique=True, null=False)
    description = fields.TextField(null=True)
    type = fields.CharField(max_length=30, index=True, null=False)
    region = fields.CharField(max_length=64, null=True)
    host = fields.CharField(max_length=255, null=True)
    instance_uid = fields.CharField(max_length=12, null=True, index=True)

    def _check_delete(self) -> None:
        # Artifacts point here: removing the location would orphan them (and their files).
        n = self.artifacts.filter(branch_id__in=[-1, 0, 1]).count()
        if n:
            raise StorageNotEmpty(
                f"Storage {self.root} still holds {n} artifact(s), trashed ones included: "
                "delete them permanently first (artifact.delete(permanent=True))."
            )

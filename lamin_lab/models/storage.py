"""``Storage``: a location where artifacts live (a local folder, an S3 or GCS prefix)."""

from __future__ import annotations

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

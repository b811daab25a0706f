"""``Record``: a typed record (a sample, a donor, an experiment ...) with feature values."""

from __future__ import annotations

from ..orm import ManyToMany, fields
from .mixins import CanCurate, HasParents, HasType, TracksRun, TracksUpdates
from .mixins.has_features import HasFeatures
from .record_frames import RecordFrames


class Record(RecordFrames, CanCurate, HasType, HasParents, TracksRun, TracksUpdates, HasFeatures):
    """A record of a user-defined type.

    Examples
    --------
    >>> sample = ln.Record(name="Sample", is_type=True).save()  # doctest: +SKIP
    >>> ln.Record(name="S1", type=sample).save()  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "name",
        "description",
        "reference",
        "reference_type",
        "extra_data",
        "is_locked",
        "is_type",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "created_by_id",
        "type_id",
        "schema_id",
        "run_id",
    )
    _returns_existing_name = True  # as in LaminDB: a new record whose name exists is that record
    _links_tracked_project = False  # as in LaminDB: ln.track(project=) does not label records

    _uid_length = 16
    _search_fields = ("name", "description", "synonyms", "abbr")

    uid = fields.CharField(max_length=16, unique=True)
    name = fields.CharField(max_length=150, null=True, index=True)
    description = fields.TextField(null=True)
    synonyms = fields.TextField(null=True)
    abbr = fields.CharField(max_length=32, null=True, index=True)
    reference = fields.CharField(max_length=255, null=True)
    reference_type = fields.CharField(max_length=25, null=True)
    type = fields.ForeignKey("self", on_delete="PROTECT", null=True, related_name="records")
    schema = fields.ForeignKey("Schema", on_delete="SET_NULL", null=True, related_name="records")

    parents = ManyToMany(
        "self", through="RecordParent", through_fields=("record", "parent"), related_name="children"
    )
    projects = ManyToMany("Project", through="ProjectRecord", related_name="records")

    def _before_save(self) -> None:
        self._check_type()

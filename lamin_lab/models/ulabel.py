"""``ULabel``: a universal label, optionally grouped under types and in hierarchies."""

from __future__ import annotations

from ..orm import ManyToMany, fields
from .mixins import CanCurate, HasParents, HasType, TracksRun, TracksUpdates
from ..errors import InvalidArgument


class ULabel(CanCurate, HasType, HasParents, TracksRun, TracksUpdates):
    """A label for anything.

    Examples
    --------
    >>> ln.ULabel(name="T cell").save()  # doctest: +SKIP
    >>> ln.ULabel.lookup().t_cell  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "name",
        "description",
        "reference",
        "reference_type",
        "is_locked",
        "is_type",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "created_by_id",
        "run_id",
        "type_id",
    )
    _returns_existing_name = True  # as in LaminDB: a new record whose name exists is that record
    _required_fields = ("name",)

    _uid_length = 8
    _search_fields = ("name", "description", "synonyms", "abbr")

    uid = fields.CharField(max_length=8, unique=True)
    name = fields.CharField(max_length=150, index=True, null=False)
    description = fields.TextField(null=True)
    synonyms = fields.TextField(null=True)
    abbr = fields.CharField(max_length=32, null=True, index=True)
    reference = fields.CharField(max_length=255, null=True)
    reference_type = fields.CharField(max_length=25, null=True)
    type = fields.ForeignKey("self", on_delete="PROTECT", null=True, related_name="ulabels")

    parents = ManyToMany(
        "self", through="ULabelParent", through_fields=("ulabel", "parent"), related_name="children"
    )
    projects = ManyToMany("Project", through="ULabelProject", related_name="ulabels")

    def _before_save(self) -> None:
        if not self.name:
            raise InvalidArgument("A ULabel needs a name: ln.ULabel(name='...').")
        self._check_type()

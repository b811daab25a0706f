"""``Branch``: main (1), archive (0) and trash (-1); records move between them."""

from __future__ import annotations

from ..orm import BaseSQLRecord, fields
from .mixins import current_user_id
from .references import refuse_if_pointed_at
from .user import User

MAIN, ARCHIVE, TRASH = 1, 0, -1


class Branch(BaseSQLRecord):
    """A branch of the instance's records.

    Examples
    --------
    >>> ln.Branch.get(-1).name
    'trash'
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "name",
        "description",
        "created_at",
        "space_id",
        "created_by_id",
    )
    _orm_role = "branch"  # SQLRecord.branch returns records of this registry
    _uid_length = 12
    uid = fields.CharField(max_length=12, unique=True)
    name = fields.CharField(max_length=100, index=True, null=False)
    description = fields.TextField(null=True)
    created_at = fields.DateTimeField(auto_now_add=True)
    created_by = fields.ForeignKey(User, on_delete="PROTECT", null=True, default=current_user_id)

    def _check_delete(self) -> None:
        refuse_if_pointed_at(self, "branch_id")

"""``Space``: a permission boundary for records (one space, ``all``, in embedded instances)."""

from __future__ import annotations

from ..orm import BaseSQLRecord, fields
from .mixins import current_user_id
from .references import refuse_if_pointed_at
from .user import User


class Space(BaseSQLRecord):
    """A space that holds records.

    Examples
    --------
    >>> ln.Space.get(1).name
    'all'
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = ("uid", "id", "name", "description", "created_at", "created_by_id")
    _orm_role = "space"  # SQLRecord.space returns records of this registry
    _uid_length = 12
    uid = fields.CharField(max_length=12, unique=True)
    name = fields.CharField(max_length=100, index=True, null=False)
    description = fields.TextField(null=True)
    created_at = fields.DateTimeField(auto_now_add=True)
    created_by = fields.ForeignKey(User, on_delete="PROTECT", null=True, default=current_user_id)

    def _check_delete(self) -> None:
        refuse_if_pointed_at(self, "space_id")

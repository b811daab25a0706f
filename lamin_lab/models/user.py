"""``User``: who created records. Local users get a stable random uid and the OS handle."""

from __future__ import annotations

from ..orm import fields
from .mixins import CanCurate
from .references import refuse_current_user


class User(CanCurate):
    """A user of the instance; handles validate like names (``ln.User.validate([...])``).

    Examples
    --------
    >>> ln.User.get(handle="alice")  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = ("uid", "id", "handle", "name", "created_at")
    _uid_length = 8
    _name_field = "handle"
    _required_fields = ("handle",)
    _search_fields = ("handle", "name")

    uid = fields.CharField(max_length=8, unique=True)
    handle = fields.CharField(max_length=64, unique=True, null=False)
    name = fields.CharField(max_length=150, null=True, index=True)
    created_at = fields.DateTimeField(auto_now_add=True)
    updated_at = fields.DateTimeField(auto_now=True)

    def _check_delete(self) -> None:
        refuse_current_user(self)

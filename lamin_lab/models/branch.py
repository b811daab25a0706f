"""``Branch``: main (1), archive (0), trash (-1) and user branches (2, 3, ...).

Records made while a user branch is current (``ln.setup.switch``) live on it and are seen
there and not on main until ``ln.setup.merge`` moves them; see :mod:`lamin_lab.orm.branches`.
"""

from __future__ import annotations

from typing import Any

from ..errors import FieldError, IntegrityError, InvalidArgument
from ..orm import BaseSQLRecord, ManyToMany, fields
from ..orm.branches import ARCHIVE, MAIN, TRASH
from ..orm.q import compile_condition
from .mixins import current_user_id
from .references import refuse_if_pointed_at
from .user import User

__all__ = ["ARCHIVE", "MAIN", "STATUS_CODES", "TRASH", "Branch", "BranchUser"]

#: LaminDB's branch statuses and the codes its ``_status_code`` column stores
STATUS_CODES = {"closed": -2, "merged": -1, "standalone": 0, "draft": 1, "review": 2}
_STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}


class Branch(BaseSQLRecord):
    """A branch of the instance's records.

    Examples
    --------
    >>> ln.Branch.get(-1).name
    'trash'
    >>> branch = ln.Branch(name="my_branch").save()
    >>> branch.status
    'standalone'
    >>> branch.status = "review"
    >>> ln.Branch.filter(status="review").count()
    0
    >>> branch.save().status
    'review'
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
    # -2 closed, -1 merged, 0 standalone, 1 draft, 2 review (LaminDB's column and codes)
    _status_code = fields.SmallIntegerField(default=0, index=True)
    # e.g. reviewers: branch.users.add(user, through_defaults={"role": "reviewer"})
    users = ManyToMany("User", through="BranchUser", related_name="branches")

    @property
    def ablocks(self) -> Any:
        """The readme and comment blocks attached to the branch (LaminDB's name; also ``blocks``).

        Examples
        --------
        >>> ln.Branch.get(name="main").ablocks.filter(kind="comment").count()
        0
        """
        return self.blocks

    @property
    def notes(self) -> str | None:
        """The content of the branch's latest readme block, None without one.

        Examples
        --------
        >>> branch = ln.Branch(name="notes_demo").save()
        >>> _ = ln.models.BranchBlock(branch=branch, content="# Why", kind="readme").save()
        >>> branch.notes
        '# Why'
        """
        if self._pk is None:
            return None
        latest = (
            self.blocks.filter(kind="readme", is_latest=True).order_by("-created_at", "-id").first()
        )
        return None if latest is None else latest.content

    @property
    def comments(self) -> Any:
        """The comment blocks of the branch, oldest first.

        Examples
        --------
        >>> ln.Branch.get(name="main").comments.count()
        0
        """
        return self.blocks.filter(kind="comment").order_by("created_at", "id")

    @property
    def status(self) -> str:
        """``standalone``, ``draft``, ``review``, ``merged`` or ``closed``; set it and save."""
        return _STATUS_NAMES.get(self._status_code, "standalone")

    @status.setter
    def status(self, value: str) -> None:
        if value not in STATUS_CODES:
            raise InvalidArgument(
                f"Invalid branch status {value!r}. Expected one of: {', '.join(map(repr, STATUS_CODES))}."
            )
        self._status_code = STATUS_CODES[value]

    @classmethod
    def _filter_fallback(cls, model: type, key: str, value: Any) -> Any:
        # filter(status="merged") reads the status names, as LaminDB's does
        head, _, lookup = key.partition("__")
        if head != "status":
            raise FieldError(
                f"Branch has no field {head!r}: filter on name, uid, description or status."
            )
        codes = (
            [STATUS_CODES.get(v, v) for v in value]
            if lookup == "in"
            else STATUS_CODES.get(value, value)
        )
        return compile_condition(model, "_status_code" + (f"__{lookup}" if lookup else ""), codes)

    def _before_save(self) -> None:
        super()._before_save()
        # LaminDB keeps branch names unique when lower-cased
        name = (self.name or "").lower()
        others = Branch.select(Branch.id, Branch.name)
        if self._pk is not None:
            others = others.where(Branch.id != self._pk)
        if any(n.lower() == name for _, n in others.tuples()):
            raise IntegrityError(
                f"A branch named {self.name!r} exists already (names are unique ignoring case): "
                f"pick another name, or switch to it with ln.setup.switch({self.name!r})."
            )

    def _check_delete(self) -> None:
        refuse_if_pointed_at(self, "branch_id")


class BranchUser(BaseSQLRecord):
    """Links a branch to a user in a role (``"reviewer"``, ...), as LaminDB's ``BranchUser``.

    Examples
    --------
    >>> branch = ln.Branch(name="review_me").save()
    >>> branch.users.add(ln.User.filter().first(), through_defaults={"role": "reviewer"})
    >>> ln.models.branch.BranchUser.filter(branch=branch).to_list("role")
    ['reviewer']
    """

    branch = fields.ForeignKey(Branch, on_delete="CASCADE", related_name="links_user")
    user = fields.ForeignKey(User, on_delete="PROTECT", related_name="links_branch")
    role = fields.CharField(max_length=32, index=True)

    class Meta:
        indexes = ((("branch", "user", "role"), True),)

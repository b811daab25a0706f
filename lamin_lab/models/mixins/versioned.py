"""``IsVersioned``: version families that share a uid stem.

A uid is a random stem plus a 4-character base62 counter (``0000`` for the first
version). A new version made with ``revises=`` takes the family's stem and the next
counter after the family's highest one, computed in Python; it becomes the latest.
Deleting the latest version (to the trash or for good) makes the highest remaining
version of the family the latest, as in LaminDB.
"""

from __future__ import annotations

import logging
from typing import Any

from ...errors import FieldValidationError, InvalidArgument
from ...orm import SQLRecord, fields
from ...orm.branches import ARCHIVE, MAIN, TRASH
from ...orm.uid import base62, increment_base62
from ...orm.uid import BASE62

SUFFIX_LENGTH = 4


def _branches_sharing_latest(record: Any) -> list[int]:
    """The branches whose versions a new latest version on ``record``'s branch demotes.

    On main: main, the archive and the trash, as before branches; on a user branch: that
    branch only, so main keeps its latest version until the branch is merged.
    """
    branch = record.__data__.get("branch_id", MAIN)
    return [TRASH, ARCHIVE, MAIN] if branch in (TRASH, ARCHIVE, MAIN) else [branch]


logger = logging.getLogger("lamin_lab")


class IsVersioned(SQLRecord):
    """Versioned records: ``stem_uid``, ``version``, ``versions``, ``is_latest``.

    Examples
    --------
    >>> v2 = ln.Transform(key="a.py", revises=v1).save()  # doctest: +SKIP
    >>> v2.stem_uid == v1.stem_uid  # doctest: +SKIP
    True
    """

    version_tag = fields.CharField(max_length=30, null=True, index=True)
    is_latest = fields.BooleanField(default=True, index=True)

    class Meta:
        abstract = True

    def __init__(self, *args: Any, revises: Any = None, version: str | None = None, **kwargs: Any):
        if "__no_default__" in kwargs:
            super().__init__(*args, **kwargs)
            return
        refuse_old_revises_name(type(self), kwargs)
        super().__init__(*args, **kwargs)
        self._init_version(revises, version)

    @classmethod
    def _stem_length(cls) -> int:
        return cls._uid_length - SUFFIX_LENGTH

    def _init_version(self, revises: Any, version: str | None) -> None:
        """Give a new record a uid: a fresh family (``...0000``) or the next version of ``revises``."""
        check_version_tag(version, revises)
        if version is not None:
            self.version_tag = version
        if revises is None:
            if not self.__data__.get("uid"):
                self.uid = base62(self._stem_length()) + "0" * SUFFIX_LENGTH
            elif len(self.uid) == self._stem_length():
                self.uid = self.uid + "0" * SUFFIX_LENGTH
            self._revises = None
            return
        check_revises(type(self), revises)
        self.uid = self.next_uid(revises.stem_uid)
        self._revises = revises

    @classmethod
    def next_uid(cls, stem: str) -> str:
        """The uid the next version of the family ``stem`` gets.

        Examples
        --------
        >>> ln.Artifact.next_uid(artifact.stem_uid)  # doctest: +SKIP
        """
        uids = cls.filter(uid__startswith=stem, branch=None).to_list("uid")  # every branch
        suffixes = [u[len(stem) :] for u in uids if len(u) == cls._uid_length]
        if not suffixes:
            return stem + "0" * SUFFIX_LENGTH
        return stem + increment_base62(max(suffixes, key=_base62_key))

    def _demote_family(self) -> None:
        """Make this record the only latest one of its family (inside the save transaction)."""
        model = type(self)
        # is_latest is per branch (LaminDB): a new version on a user branch leaves main's as is
        family = model.filter(
            uid__startswith=self.stem_uid, branch_id__in=_branches_sharing_latest(self)
        )._ids_subquery()
        model.update(is_latest=False).where(
            model.id.in_(family),
            model.id != self.id,
            model.is_latest == True,  # noqa: E712
        ).execute()

    def _move_to_trash(self) -> None:
        with self._meta.database.atomic():
            self._promote_previous()
            super()._move_to_trash()

    def _before_delete(self) -> None:
        super()._before_delete()  # inside the delete's transaction
        self._promote_previous()

    def _promote_previous(self) -> None:
        """When this is the latest version, make the highest other version outside the trash the latest."""
        if not self.__data__.get("is_latest"):
            return
        model = type(self)
        stem = self.stem_uid
        uids = [
            u
            for u in model.filter(
                uid__startswith=stem,
                branch_id__in=[b for b in _branches_sharing_latest(self) if b != TRASH],
            ).to_list("uid")
            if u != self.uid and len(u) == self._uid_length
        ]
        model.update(is_latest=False).where(model.id == self.id).execute()
        self.__data__["is_latest"] = False
        if not uids:
            return
        best = max(uids, key=lambda u: _base62_key(u[len(stem) :]))
        model.update(is_latest=True).where(model.uid == best).execute()
        logger.info("new latest %s version is: %s", model.__name__, best)

    @classmethod
    def _after_merge(cls, branch_id: int) -> None:
        """After a merge into ``branch_id``: one latest version per family there, the newest."""
        latest = (
            cls.select(cls.id, cls.uid, cls.created_at)
            .where((cls.branch_id == branch_id) & (cls.is_latest == True))  # noqa: E712
            .order_by(cls.uid, cls.created_at, cls.id)
            .tuples()
        )
        winners: dict[str, tuple] = {}
        losers: list[int] = []
        n = cls._stem_length()
        for pk, uid, created_at in latest:
            best = winners.get(uid[:n])
            if best is not None and (created_at, pk) <= (best[2], best[0]):
                losers.append(pk)
                continue
            if best is not None:
                losers.append(best[0])
            winners[uid[:n]] = (pk, uid, created_at)
        if losers:
            cls.update(is_latest=False).where(cls.id.in_(losers)).execute()

    @property
    def stem_uid(self) -> str:
        """The uid without the version counter: shared by every version."""
        return self.uid[: self._stem_length()]

    @property
    def version(self) -> str:
        """``version_tag`` when set, otherwise the 4-character counter of the uid."""
        return self.version_tag or self.uid[self._stem_length() :]

    @property
    def versions(self) -> Any:
        """All versions of this family, oldest first.

        Examples
        --------
        >>> artifact.versions.to_dataframe()  # doctest: +SKIP
        """
        return type(self).filter(uid__startswith=self.stem_uid).order_by("uid")


def check_version_tag(version: Any, revises: Any = None) -> None:
    """A version tag is a string (``"1"``, ``"0.2"``) that the revised version does not carry already.

    Examples
    --------
    >>> check_version_tag("1.0")
    >>> check_version_tag(1)
    Traceback (most recent call last):
    ...
    lamin_lab.errors.InvalidArgument: version= takes a string such as '1' or '0.2', not 1 (int): pass version='1'.
    """
    if version is None:
        return
    if not isinstance(version, str):
        raise InvalidArgument(
            f"version= takes a string such as '1' or '0.2', not {version!r} ({type(version).__name__}): "
            f"pass version='{version}'."
        )
    if revises is not None and getattr(revises, "version_tag", None) == version:
        raise InvalidArgument(
            f"version {version!r} is taken by the version this one revises: pick another or leave it out."
        )


def check_revises(model: type, revises: Any) -> None:
    """``revises=`` is a saved record of the same registry."""
    if not isinstance(revises, model):
        raise InvalidArgument(f"revises= takes a {model.__name__}, not {type(revises).__name__}.")
    if revises._pk is None:
        raise InvalidArgument("revises= needs a saved record: save the earlier version first.")


def refuse_old_revises_name(model: type, kwargs: dict[str, Any]) -> None:
    """Refuse ``is_new_version_of=``: lamindb 2 removed it for ``revises=``.

    Examples
    --------
    >>> refuse_old_revises_name(ln.Transform, {"key": "a.py"})  # nothing to refuse
    """
    if "is_new_version_of" in kwargs:
        raise FieldValidationError(
            f"{model.__name__}(is_new_version_of=...) is the removed name of revises=: "
            f"write {model.__name__}(..., revises=<the earlier version>)."
        )


def _base62_key(suffix: str) -> list[int]:
    return [BASE62.index(c) for c in suffix]

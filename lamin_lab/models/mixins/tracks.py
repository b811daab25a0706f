"""``TracksRun`` and ``TracksUpdates``: who created a record, in which run, and when."""

from __future__ import annotations

from ...orm import SQLRecord
from ...orm import fields
from ...orm.database import state


def current_user_id() -> int | None:
    """Id of the local user in the connected instance (a default for ``created_by``)."""
    return state.user_id


def current_run_id() -> int | None:
    """Id of the run started by ``ln.track()``, if any (a default for ``run``)."""
    return state.run_id


class TracksRun(SQLRecord):
    """Adds ``created_by``, ``run`` and ``created_at``.

    Examples
    --------
    >>> ln.ULabel(name="x").save().created_by.handle  # doctest: +SKIP
    """

    created_at = fields.DateTimeField(auto_now_add=True, index=True)
    created_by = fields.ForeignKey("User", on_delete="PROTECT", default=current_user_id, null=True)
    run = fields.ForeignKey(
        "Run", on_delete="SET_NULL", null=True, default=current_run_id, index=True
    )

    class Meta:
        abstract = True


class TracksUpdates(SQLRecord):
    """Adds ``updated_at``, refreshed on every save."""

    updated_at = fields.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

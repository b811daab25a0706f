"""Who still points at a branch, a space or a user: the rules that refuse their deletion.

``branch_id`` and ``space_id`` are plain integer columns (every registry has them, and
a foreign key on each would cost a constraint per table), so the database does not protect
a branch or a space that records are on. These checks do, for ``record.delete()`` and
``QuerySet.delete()`` alike (both call ``_check_delete``).
"""

from __future__ import annotations

from ..errors import IntegrityError
from ..orm.database import state
from ..orm.relations import REGISTRY

BUILT_IN = {-1: "trash", 0: "archive", 1: "main"}


def _registries_with(column: str) -> list[type]:
    return [
        model
        for model in REGISTRY.values()
        if column in model._meta.fields and model.table_exists()
    ]


def count_pointing(column: str, value: int) -> dict[str, int]:
    """``{registry name: n}`` of records whose ``column`` equals ``value`` (non-zero only)."""
    out: dict[str, int] = {}
    for model in _registries_with(column):
        n = model.select().where(getattr(model, column) == value).count()
        if n:
            out[model.__name__] = n
    return out


def refuse_if_pointed_at(record: object, column: str) -> None:
    """Raise :class:`IntegrityError` when records still sit on this branch or space."""
    kind = type(record).__name__
    found = count_pointing(column, record._pk)  # type: ignore[attr-defined]
    if column == "branch_id" and record._pk in BUILT_IN:  # type: ignore[attr-defined]
        raise IntegrityError(
            f"Branch {BUILT_IN[record._pk]!r} is built in: every instance needs it. "  # type: ignore[attr-defined]
            "Delete or move the records on it instead."
        )
    if column == "space_id" and record._pk == 1:  # type: ignore[attr-defined]
        raise IntegrityError(
            "Space 'all' is built in: every instance needs it; it cannot be deleted."
        )
    if found:
        listing = ", ".join(f"{n} {name}" for name, n in sorted(found.items()))
        raise IntegrityError(
            f"{kind} {getattr(record, 'name', record._pk)!r} still holds records ({listing}): "  # type: ignore[attr-defined]
            "move them to another one or delete them permanently first."
        )


def refuse_current_user(record: object) -> None:
    """Raise :class:`IntegrityError` when ``record`` is the user this instance runs as."""
    if state.user_id is not None and record._pk == state.user_id:  # type: ignore[attr-defined]
        raise IntegrityError(
            f"User {getattr(record, 'handle', '')!r} is the user this instance runs as: "
            "it cannot be deleted (records it created point to it)."
        )

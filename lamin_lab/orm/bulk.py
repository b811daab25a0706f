"""Saving many records at once: a few INSERT statements, not one per record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import DoesNotExist, InvalidArgument, MultipleResultsFound
from .database import ensure_connected, ensure_table
from .inserts import CHUNK, insert_new
from .record import BaseSQLRecord


class SQLRecordList(list):
    """A list of records with ``save()`` and ``to_dataframe()``.

    Examples
    --------
    >>> labels = ln.ULabel.from_values(["a", "b"], create=True).save()
    """

    def save(self) -> SQLRecordList:
        """Save every record in bulk and return the list."""
        save(self)
        return self

    def to_dataframe(self) -> Any:
        """The records as a DataFrame (fields as columns)."""
        import pandas as pd

        return pd.DataFrame([{k: v for k, v in r.__data__.items()} for r in self])

    def one(self) -> Any:
        """The only record of the list; raises when there are none or several."""

        if len(self) == 0:
            raise DoesNotExist("The list is empty.")
        if len(self) > 1:
            raise MultipleResultsFound(f"The list has {len(self)} records, not one.")
        return self[0]


def save(records: Iterable[Any], ignore_conflicts: bool = False, batch_size: int = 10_000) -> None:
    """Save records in bulk: new ones with a few multi-row INSERTs, existing ones updated.

    Parameters
    ----------
    records
        Records of one or several registries.
    ignore_conflicts
        Skip new records that would violate a unique constraint.
    batch_size
        Most new records per INSERT statement (capped by what one statement can bind).

    Examples
    --------
    >>> ln.save([ln.ULabel(name=f"label {i}") for i in range(10_000)], batch_size=1_000)  # doctest: +SKIP
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InvalidArgument(
            f"batch_size= takes a positive whole number, e.g. batch_size=1000, not {batch_size!r}."
        )
    records = list(records)
    if not records:
        return
    ensure_connected()
    by_model: dict[type, list[Any]] = {}
    for r in records:
        if not hasattr(r, "_meta"):
            raise InvalidArgument(f"ln.save() takes records, not {type(r).__name__}.")
        by_model.setdefault(type(r), []).append(r)
    for model, group in by_model.items():
        custom = getattr(model, "_bulk_save", None)
        if custom is not None:
            custom(group)
        else:
            _save_group(model, group, ignore_conflicts, batch_size)


def _save_group(
    model: type, group: list[Any], ignore_conflicts: bool = False, batch_size: int = CHUNK
) -> None:
    ensure_table(model)
    pk_name = model._meta.primary_key.name  # ``r._pk``, read straight from the row's data
    new: list[Any] = []
    old: list[Any] = []
    for r in group:
        (new if r.__data__.get(pk_name) is None else old).append(r)
    db = model._meta.database
    for r in group:
        r._before_save()
        r._fill_defaults()
    with db.atomic():
        for r in old:
            r.save()
        insert_new(model, new, ignore_conflicts, batch_size)
        if new and model._after_save is not BaseSQLRecord._after_save:
            for r in new:
                r._after_save(True)

"""Saving many records at once: a few INSERT statements, not one per record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import peewee

from ..errors import InvalidArgument
from .database import ensure_connected, ensure_table, translate_errors
from .fields import JSONField
from .record import BaseSQLRecord
from ..errors import DoesNotExist, MultipleResultsFound

CHUNK = 500


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
    new = [r for r in group if r._pk is None]
    old = [r for r in group if r._pk is not None]
    db = model._meta.database
    for r in group:
        r._before_save()
        r._fill_defaults()
    with translate_errors():
        with db.atomic():
            for r in old:
                r.save()
            insert_new(model, new, ignore_conflicts, batch_size)
            if new and model._after_save is not BaseSQLRecord._after_save:
                for r in new:
                    r._after_save(True)


def _db_converter(field: peewee.Field) -> Any:
    """How to turn a Python value into the parameter peewee would send (None: as is)."""
    if isinstance(field, (peewee.CharField, peewee.TextField)) and not isinstance(field, JSONField):
        return lambda v: v if v is None or isinstance(v, str) else field.db_value(v)
    if isinstance(
        field, (peewee.IntegerField, peewee.FloatField, peewee.ForeignKeyField, peewee.AutoField)
    ):
        return None
    return field.db_value


def _insert_sql(
    model: type, columns: list[str], n_rows: int, returning: list[str], ignore: bool
) -> str:
    # Built as text with one placeholder per value: peewee's query builder spends ~0.5 ms
    # per row on multi-row INSERTs, more than the database itself. Names come from the
    # registry definition, values are always bound parameters.
    db = model._meta.database
    param = db.param
    is_sqlite = isinstance(getattr(db, "obj", db), peewee.SqliteDatabase)
    row = "(" + ", ".join([param] * len(columns)) + ")"
    head = "INSERT OR IGNORE INTO" if ignore and is_sqlite else "INSERT INTO"
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'{head} "{model._meta.table_name}" ({cols}) VALUES ' + ", ".join([row] * n_rows)
    if ignore and not is_sqlite:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(f'"{c}"' for c in returning)
    return sql


def insert_new(
    model: type, new: list[Any], ignore_conflicts: bool = False, batch_size: int = CHUNK
) -> None:
    """INSERT unsaved records in chunks of at most ``batch_size`` and give each its new primary key."""
    if not new:
        return
    for r in new:
        r._check_lengths()
    pk = model._meta.primary_key
    fields = [f for f in model._meta.sorted_fields if f is not pk]
    names = [f.name for f in fields]
    convert = [(i, c) for i, c in enumerate(_db_converter(f) for f in fields) if c is not None]
    db = model._meta.database
    has_uid = "uid" in model._meta.fields
    returning = (
        []
        if ignore_conflicts or not db.returning_clause
        else [pk.column_name] + (["uid"] if has_uid else [])
    )
    step = max(1, min(batch_size, CHUNK))
    for start in range(0, len(new), step):
        chunk = new[start : start + step]
        params: list[Any] = []
        for r in chunk:
            data = r.__data__
            values = [data.get(name) for name in names]
            for i, fn in convert:
                values[i] = fn(values[i])
            params.extend(values)
        sql = _insert_sql(
            model, [f.column_name for f in fields], len(chunk), returning, ignore_conflicts
        )
        cursor = db.execute_sql(sql, params)
        if returning:
            rows = cursor.fetchall()
            if has_uid:  # match by uid: RETURNING order is not guaranteed by SQL
                by_uid = {uid: new_id for new_id, uid in rows}
                for r in chunk:
                    r._pk = by_uid[r.__data__["uid"]]
                    r._dirty.clear()
            else:
                for r, (new_id,) in zip(chunk, rows, strict=True):
                    r._pk = new_id
                    r._dirty.clear()
        else:
            _assign_ids_by_uid(model, chunk)


def _assign_ids_by_uid(model: type, chunk: list[Any]) -> None:
    if "uid" not in model._meta.fields:
        return
    uids = [r.uid for r in chunk]
    found = dict(
        model.select(model.uid, model._meta.primary_key).where(model.uid.in_(uids)).tuples()
    )
    for r in chunk:
        r._pk = found.get(r.uid)
        r._dirty.clear()

"""INSERT statements written once per registry, column list and row count, then re-run.

peewee's query builder spends ~1 ms building a one-row INSERT and ~0.5 ms per row of a
multi-row one, more than the database takes to run it. The INSERTs here are plain text
with one placeholder per value, built from the registry's definition and remembered, so
a single save and a bulk save each pay for the SQL once per process. Values are always
bound parameters; names come from the registry.
"""

from __future__ import annotations

from typing import Any

import peewee

from .database import translated
from .fields import JSONField

CHUNK = 500

#: INSERT text by (table, columns, rows, RETURNING columns, ignore conflicts, dialect)
_SQL: dict[tuple[Any, ...], str] = {}


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
    db = model._meta.database
    param = db.param
    is_sqlite = isinstance(getattr(db, "obj", db), peewee.SqliteDatabase)
    key = (
        model._meta.table_name,
        tuple(columns),
        n_rows,
        tuple(returning),
        ignore,
        param,
        is_sqlite,
    )
    sql = _SQL.get(key)
    if sql is None:
        sql = _SQL[key] = _build_insert_sql(model, columns, n_rows, returning, ignore, is_sqlite)
    return sql


def _build_insert_sql(
    model: type,
    columns: list[str],
    n_rows: int,
    returning: list[str],
    ignore: bool,
    is_sqlite: bool,
) -> str:
    param = model._meta.database.param
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
            try:  # a value the driver cannot take (undecodable bytes, ...) fails here, before execute
                for i, fn in convert:
                    values[i] = fn(values[i])
            except (UnicodeError, OverflowError, ValueError) as e:
                raise translated(e) or e from None
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

"""INSERT statements written once per registry, column list and row count, then re-run.

peewee's query builder spends ~1 ms building a one-row INSERT and ~0.5 ms per row of a
multi-row one, more than the database takes to run it. The INSERTs here are plain text
with one placeholder per value, built from the registry's definition and remembered, so
a single save and a bulk save each pay for the SQL once per process. Values are always
bound parameters; names come from the registry.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import peewee

from .database import translated
from .fields import JSONField

CHUNK = 500

#: INSERT text by (table, columns, rows, RETURNING columns, ignore conflicts, dialect)
_SQL: dict[tuple[Any, ...], str] = {}


def _db_converter(field: peewee.Field, is_sqlite: bool) -> tuple[Any, Any]:
    """How to turn a non-None Python value into the parameter peewee would send.

    ``(type, fn)``: ``fn`` only for values that are not of ``type`` already (text, booleans);
    ``(None, fn)``: always; ``(None, None)``: sent as is.
    """
    if isinstance(field, (peewee.CharField, peewee.TextField)) and not isinstance(field, JSONField):
        return str, field.db_value
    if isinstance(field, peewee.BooleanField):  # peewee's adapter is bool()
        return bool, field.db_value
    if isinstance(
        field, (peewee.IntegerField, peewee.FloatField, peewee.ForeignKeyField, peewee.AutoField)
    ):
        return None, None
    if is_sqlite and isinstance(field, peewee.DateTimeField):
        return None, _sqlite_datetime(field.db_value)
    return None, field.db_value


def _sqlite_datetime(db_value: Any) -> Any:
    # The text sqlite3's default datetime adapter writes (``isoformat(" ")``), made here
    # without the adapter's Python call per value; aware values go through the field first.
    def convert(v: Any) -> Any:
        if v.__class__ is not _dt.datetime or v.tzinfo is not None:
            v = db_value(v)
        return v.isoformat(" ") if v.__class__ is _dt.datetime else v

    return convert


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


#: per (registry, SQLite?): its non-primary-key fields' names and columns, the text and
#: boolean converters (index, function, type sent as is), the other converters (index,
#: function), the bounded text fields (index, max_length) and the primary key's name
_PLANS: dict[tuple[type, bool], tuple[Any, ...]] = {}


def _plan(model: type, is_sqlite: bool) -> tuple[Any, ...]:
    plan = _PLANS.get((model, is_sqlite))
    if plan is None:
        pk = model._meta.primary_key
        fields = [f for f in model._meta.sorted_fields if f is not pk]
        kinds = [_db_converter(f, is_sqlite) for f in fields]
        text = [(i, fn, kind) for i, (kind, fn) in enumerate(kinds) if kind is not None]
        other = [(i, fn) for i, (kind, fn) in enumerate(kinds) if kind is None and fn is not None]
        limits = [
            (i, f.max_length)
            for i, f in enumerate(fields)
            if isinstance(f, peewee.CharField) and f.max_length
        ]
        names = [f.name for f in fields]
        plan = (names, [f.column_name for f in fields], text, other, limits, pk.name)
        _PLANS[(model, is_sqlite)] = plan
    return plan


def _rows(
    chunk: list[Any], names: list[str], text: list[Any], other: list[Any], limits: list[Any]
) -> list[Any]:
    """The flat parameter list of ``chunk``: one value per column and record, converted."""
    params: list[Any] = []
    for r in chunk:
        values = list(map(r.__data__.get, names))
        for i, limit in limits:
            v = values[i]
            if isinstance(v, str) and len(v) > limit:
                r._check_lengths()  # raises, saying which field and how long
        try:  # a value the driver cannot take (undecodable bytes, ...) fails here, before execute
            for i, fn, kind in text:  # text and booleans: most values are sent as they are
                v = values[i]
                if v is not None and not isinstance(v, kind):
                    values[i] = fn(v)
            for i, fn in other:
                v = values[i]
                if v is not None:
                    values[i] = fn(v)
        except (UnicodeError, OverflowError, ValueError) as e:
            raise translated(e) or e from None
        params += values
    return params


def insert_new(
    model: type, new: list[Any], ignore_conflicts: bool = False, batch_size: int = CHUNK
) -> None:
    """INSERT unsaved records in chunks of at most ``batch_size`` and give each its new primary key.

    Every record's values are checked and converted before the first statement runs.
    """
    if not new:
        return
    db = model._meta.database
    is_sqlite = isinstance(getattr(db, "obj", db), peewee.SqliteDatabase)
    names, columns, text, other, limits, pk_name = _plan(model, is_sqlite)
    pk = model._meta.primary_key
    has_uid = "uid" in model._meta.fields
    returning = (
        []
        if ignore_conflicts or not db.returning_clause
        else [pk.column_name] + (["uid"] if has_uid else [])
    )
    step = max(1, min(batch_size, CHUNK))
    chunks = [new[start : start + step] for start in range(0, len(new), step)]
    all_params = [_rows(chunk, names, text, other, limits) for chunk in chunks]
    for chunk, params in zip(chunks, all_params, strict=True):
        sql = _insert_sql(model, columns, len(chunk), returning, ignore_conflicts)
        cursor = db.execute_sql(sql, params)
        if returning:
            rows = cursor.fetchall()
            if has_uid:  # match by uid: RETURNING order is not guaranteed by SQL
                by_uid = {uid: new_id for new_id, uid in rows}
                for r in chunk:  # what ``r._pk = ...`` does, then the record is clean
                    data = r.__data__
                    data[pk_name] = by_uid[data["uid"]]
                    r._dirty.clear()
            else:
                for r, (new_id,) in zip(chunk, rows, strict=True):
                    r.__data__[pk_name] = new_id
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

"""Turning result rows into records and DataFrames quickly.

peewee converts every cell through ``Field.python_value`` and builds each record with
one ``setattr`` per field; for 10,000 rows that is most of the time a query takes. Here
the raw DB-API rows are read once, only the columns that need it are converted (dates,
booleans, JSON), and records are made by filling ``__data__`` directly, which is what
peewee's own loader ends up doing.

Examples
--------
>>> records = records_from_query(ln.ULabel, ln.ULabel.select())
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import peewee

from .fields import JSONField

# Values of these fields come out of both drivers as Python wants them.
_RAW = (
    peewee.IntegerField,
    peewee.FloatField,
    peewee.CharField,
    peewee.TextField,
    peewee.ForeignKeyField,
    peewee.AutoField,
)


def _datetime(value: Any) -> Any:
    if isinstance(value, str):  # SQLite stores ISO text
        try:
            return _dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _bool(value: Any) -> Any:
    return None if value is None else bool(value)


def converter(field: peewee.Field) -> Callable[[Any], Any] | None:
    """How to turn a raw driver value of ``field`` into its Python value (None: as is)."""
    if isinstance(field, JSONField):
        return field.python_value
    if isinstance(field, peewee.DateTimeField):
        return _datetime
    if isinstance(field, peewee.BooleanField):
        return _bool
    if isinstance(field, _RAW):
        return None
    return field.python_value


def raw_rows(query: peewee.Query) -> list[tuple[Any, ...]]:
    """Execute ``query`` and return the driver's rows unconverted."""
    return query.model._meta.database.execute(query).fetchall()


def records_from_query(model: type, query: peewee.ModelSelect) -> list[Any]:
    """Records of ``model`` for a query that selects all its fields in ``sorted_fields`` order."""
    return records_from_rows(model, raw_rows(query))


def records_from_rows(model: type, rows: list[tuple[Any, ...]]) -> list[Any]:
    """Records of ``model`` from raw driver rows holding all its fields in ``sorted_fields`` order."""
    fields = model._meta.sorted_fields
    names = [f.name for f in fields]
    convert = [(i, c) for i, c in enumerate(converter(f) for f in fields) if c is not None]
    new = model.__new__
    out = []
    for row in rows:
        if convert:
            row = list(row)
            for i, fn in convert:
                value = row[i]
                if value is not None:
                    row[i] = fn(value)
        record = new(model)
        record.__data__ = dict(zip(names, row, strict=True))
        record._dirty = set()
        record.__rel__ = {}
        out.append(record)
    return out


def frame_from_query(query: peewee.Query, fields: list[peewee.Field]) -> Any:
    """A DataFrame of ``query``'s rows, one column per field (named by column name).

    Dates are parsed per column (vectorised), other conversions only where needed.
    """
    import pandas as pd

    df = pd.DataFrame.from_records(raw_rows(query), columns=[f.column_name for f in fields])
    for field in fields:
        name = field.column_name
        if isinstance(field, peewee.DateTimeField):
            if df[name].dtype == object:
                df[name] = pd.to_datetime(df[name], format="ISO8601")
        elif isinstance(field, peewee.BooleanField):
            if not df[name].isna().any():
                df[name] = df[name].astype(bool)
            else:
                df[name] = [_bool(v) for v in df[name]]
        else:
            fn = converter(field)
            if fn is not None:
                df[name] = [None if v is None else fn(v) for v in df[name]]
    return df

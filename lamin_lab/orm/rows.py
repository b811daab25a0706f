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
from .instances import active_instance, mark

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
    other = active_instance() is not None
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
        if other:
            mark(record)  # read from another instance: it knows which (orm/instances.py)
        out.append(record)
    return out


def frame_from_query(query: peewee.Query, fields: list[peewee.Field]) -> Any:
    """A DataFrame of ``query``'s rows, one column per field (named by column name).

    Each column is typed once from its own values (dates parsed vectorised, other
    conversions only where needed) and the frame is built from the finished columns in
    one step: building it from records first and then replacing columns copied the whole
    table once per replaced column.
    """
    import pandas as pd

    rows = raw_rows(query)
    names = [f.column_name for f in fields]
    by_column = zip(*rows, strict=True) if rows else ([] for _ in fields)
    columns = {
        name: _typed_column(field, list(values))
        for name, field, values in zip(names, fields, by_column, strict=True)
    }
    return pd.DataFrame(columns, copy=False)


_INTEGER = (peewee.IntegerField, peewee.ForeignKeyField, peewee.AutoField)


def _typed_column(field: peewee.Field, values: list[Any]) -> Any:
    """One column with the dtype pandas would infer, typed from the field where that is known.

    Inference scans every value (as costly as reading the rows); the field already says
    what the column holds. Anything unusual falls back to pandas' own inference.
    """
    import numpy as np
    import pandas as pd

    if isinstance(field, peewee.BooleanField):
        if None in values:
            return pd.Series([_bool(v) for v in values], dtype=object)
        return pd.Series(values, dtype=bool)
    if isinstance(field, peewee.DateTimeField):
        column = pd.Series(values)
        return pd.to_datetime(column, format="ISO8601") if column.dtype == object else column
    if isinstance(field, (peewee.CharField, peewee.TextField)) and not isinstance(field, JSONField):
        if not pd.get_option("future.infer_string"):  # text stays object, as inferred
            column = np.empty(len(values), dtype=object)
            column[:] = values
            return pd.Series(column, dtype=object, copy=False)
    elif isinstance(field, (*_INTEGER, peewee.FloatField)) and values:
        typed = _numeric(values, np.int64 if isinstance(field, _INTEGER) else np.float64)
        if typed is not None:
            return pd.Series(typed, copy=False)
    fn = converter(field)
    if fn is not None:
        values = [None if v is None else fn(v) for v in values]
    return pd.Series(values)


def _numeric(values: list[Any], dtype: Any) -> Any:
    """The numpy array pandas infers for numbers: missing values make floats (NaN); None if unsure."""
    import numpy as np

    try:
        if None not in values:  # a C-level scan; the common case
            return np.array(values, dtype=dtype)
        if all(v is None for v in values):
            return None  # all missing: pandas keeps an object column of None
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None

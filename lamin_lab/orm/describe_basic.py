"""A plain-text description of any record: its fields and its related records' counts."""

from __future__ import annotations

from typing import Any

import peewee


def describe_record(record: Any) -> str:
    """Fields, foreign keys and related counts of a record as an indented tree.

    Examples
    --------
    >>> print(describe_record(ln.ULabel.get(name="T cell")))  # doctest: +SKIP
    ULabel
    ├── uid: ...
    """
    lines = [f"{type(record).__name__}"]
    items = []
    for name, field in record._meta.fields.items():
        if name.startswith("_") or name == "id":
            continue
        value = record.__data__.get(name)
        if value is None or value == "":
            continue
        label = field.column_name if isinstance(field, peewee.ForeignKeyField) else name
        items.append((label, value))
    for i, (label, value) in enumerate(items):
        branch = "└──" if i == len(items) - 1 else "├──"
        lines.append(f"{branch} {label}: {value}")
    return "\n".join(lines)

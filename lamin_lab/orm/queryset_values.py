"""Django's ``values()``, ``values_list()`` and ``update()`` for the QuerySet.

LaminDB's QuerySet is Django's, so code written for it reads rows as tuples or dicts
and updates many records in one statement. ``values()`` and ``values_list()`` return
a lazy QuerySet whose rows are values, so ``.distinct()``, ``.filter()``,
``.order_by()``, ``.count()`` and ``.first()`` chain as in Django; ``update()`` is
plain SQL on the set's ``WHERE``.

Examples
--------
>>> list(ln.ULabel.filter().values_list("name", flat=True))  # doctest: +SKIP
['B cell', 'T cell']
"""

from __future__ import annotations

from typing import Any

import peewee

from ..errors import InvalidArgument, InvalidArgumentType
from .q import _field, _unknown_field


def _columns(model: type, fields: tuple[str, ...]) -> list[tuple[str, peewee.Field]]:
    """``(name as the user sees it, peewee field)`` for each requested field.

    Without fields: every column, foreign keys under their ``<name>_id`` column, as Django's.
    """
    if not fields:
        return [(f.column_name, f) for f in model._meta.sorted_fields]
    out = []
    for name in fields:
        if not isinstance(name, str):
            raise InvalidArgument(
                f"values()/values_list() take field names as strings, not {type(name).__name__}."
            )
        field = _field(model, name)
        if field is None:
            raise _unknown_field(model, name)
        out.append((name, field))
    return out


class ValuesMixin:
    """``values``, ``values_list`` and ``update`` of :class:`~lamin_lab.orm.queryset.QuerySet`."""

    def _value_fields(self) -> list[peewee.Field]:
        """The columns a values() set selects."""
        return [f for _, f in _columns(self.model, self._values[1])]

    def _value_rows(self) -> list[Any]:
        """The rows of a values() / values_list() set: dicts, tuples or plain values."""
        kind, fields, flat = self._values
        columns = _columns(self.model, fields)
        names = [name for name, _ in columns]
        if self._scores is not None:  # search results: keep their order
            rows = [
                tuple(
                    getattr(r, f.column_name if isinstance(f, peewee.ForeignKeyField) else f.name)
                    for _, f in columns
                )
                for r in self._clone(values=None)._fetch()
            ]
        else:
            rows = list(self._select(*[f for _, f in columns]).tuples())
        if kind == "dict":
            return [dict(zip(names, row, strict=True)) for row in rows]
        return [row[0] for row in rows] if flat else rows

    def values_list(self, *fields: str, flat: bool = False) -> Any:
        """The rows as tuples of field values, or one field's values with ``flat=True``.

        Parameters
        ----------
        fields
            Field names; none means every column (foreign keys as ``<name>_id``).
        flat
            Give plain values instead of 1-tuples; needs exactly one field.

        Returns
        -------
        A lazy QuerySet of the values: chain ``.distinct()``, ``.order_by()``, ``.count()``.

        Examples
        --------
        >>> list(ln.ULabel.filter().order_by("name").values_list("name", flat=True))  # doctest: +SKIP
        ['B cell', 'T cell']
        """
        if flat and len(fields) != 1:
            raise InvalidArgumentType(
                "values_list(flat=True) takes exactly one field name, e.g. values_list('name', flat=True)."
            )
        _columns(self.model, fields)  # unknown fields fail here, not at evaluation
        return self._clone(values=("list", tuple(fields), bool(flat)))

    def values(self, *fields: str) -> Any:
        """The rows as dicts ``{field: value}``, a lazy QuerySet as Django's.

        Examples
        --------
        >>> list(ln.ULabel.filter(name="T cell").values("name"))  # doctest: +SKIP
        [{'name': 'T cell'}]
        """
        _columns(self.model, fields)
        return self._clone(values=("dict", tuple(fields), False))

    def update(self, **values: Any) -> int:
        """Set fields on every record of the set in one statement; returns how many changed.

        Examples
        --------
        >>> ln.ULabel.filter(name__startswith="T").update(description="a T cell type")  # doctest: +SKIP
        2
        """
        if not values:
            raise InvalidArgument(
                "update() needs field=value pairs, e.g. update(description='new')."
            )
        assignments = {}
        for name, value in values.items():
            field = _field(self.model, name)
            if field is None:
                raise _unknown_field(self.model, name)
            if field is self.model._meta.primary_key:
                raise InvalidArgument(f"update() cannot change the primary key {name!r}.")
            assignments[field] = value
        pk = self.model._meta.primary_key
        ids = [row[0] for row in self._clone(values=None)._select(pk).tuples()]
        if not ids:
            return 0
        changed = 0
        for start in range(0, len(ids), 5000):
            query = self.model.update(assignments).where(pk.in_(ids[start : start + 5000]))
            changed += query.execute()
        self._cache = None
        return changed

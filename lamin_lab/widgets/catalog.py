"""``Catalog``: a paged, sortable, filterable table per registry (filters in the catalog's one
grammar, :mod:`lamin_lab.catalog.filters`)."""

from __future__ import annotations

from typing import Any

import peewee
import traitlets

from ..catalog import REGISTRIES, filter_kwargs, name_field, registry_name
from ..catalog.registries import registry as registry_class
from ..describe import human_size
from ..errors import InvalidArgument
from ._base import Panel, panel_module, page_bounds
from ._records import resolve, to_text


def columns_of(model: type) -> list[str]:
    """The fields a catalog table can show: own columns and foreign-key ids.

    Examples
    --------
    >>> columns_of(ln.ULabel)[:3]  # doctest: +SKIP
    ['id', 'uid', 'name']
    """
    out = []
    for name, field in model._meta.fields.items():
        if name.startswith("_") or isinstance(field, peewee.ManyToManyField):
            continue
        out.append(field.column_name if isinstance(field, peewee.ForeignKeyField) else name)
    return out


def default_columns(model: type) -> list[str]:
    """The columns shown before the user picks: names, description, version, dates.

    Examples
    --------
    >>> default_columns(ln.ULabel)  # doctest: +SKIP
    ['uid', 'name', 'description', 'created_at']
    """
    available = columns_of(model)
    wanted = [
        "uid",
        name_field(model),
        "description",
        "kind",
        "suffix",
        "size",
        "version_tag",
        "started_at",
        "created_at",
    ]
    picked = [c for c in dict.fromkeys(wanted) if c in available]
    return picked or available[:6]


class Catalog(Panel):
    """Browse every registry as a table: tabs, paging, sort, filter, column choice.

    Parameters
    ----------
    registries
        The registries to show as tabs (classes or names); default: all.
    page_size
        Rows per page.

    Examples
    --------
    >>> catalog = ln.widgets.Catalog()  # doctest: +SKIP
    >>> catalog  # click a row  # doctest: +SKIP
    >>> catalog.selected  # doctest: +SKIP
    """

    _esm = panel_module("catalog")  # live with ANYWIDGET_HMR=1
    registries = traitlets.List(traitlets.Unicode(), list(REGISTRIES)).tag(sync=True)
    registry = traitlets.Unicode("Artifact").tag(sync=True)
    page_size = traitlets.Int(20).tag(sync=True)

    def __init__(
        self,
        registries: list[Any] | None = None,
        *,
        registry: Any = None,
        page_size: int = 20,
        **kwargs: Any,
    ) -> None:
        names = [registry_name(r) for r in registries] if registries else list(REGISTRIES)
        first = registry_name(registry) if registry is not None else names[0]
        super().__init__(registries=names, registry=first, page_size=page_size, **kwargs)

    def _model(self, msg: dict[str, Any]) -> type:
        name = registry_name(str(msg.get("registry") or self.registry))
        if name not in self.registries:
            raise InvalidArgument(f"This catalog shows {', '.join(self.registries)}, not {name}.")
        return registry_class(name)

    def _cmd_columns(self, msg: dict[str, Any]) -> dict[str, Any]:
        model = self._model(msg)
        return {
            "type": "columns",
            "registry": model.__name__,
            "available": columns_of(model),
            "default": default_columns(model),
        }

    def _cmd_page(self, msg: dict[str, Any]) -> dict[str, Any]:
        model = self._model(msg)
        offset, limit = page_bounds(msg, self.page_size)
        available = columns_of(model)
        columns = [c for c in (msg.get("columns") or default_columns(model)) if c in available]
        qs = model.filter(**filter_kwargs(model, str(msg.get("filter") or "")))
        order = str(msg.get("order") or "")
        if order:
            if order.lstrip("-") not in available:
                raise InvalidArgument(
                    f"{model.__name__} has no column {order.lstrip('-')!r} to sort by."
                )
            qs = qs.order_by(order, "id")
        else:
            qs = qs.order_by("-id")
        records = list(qs[offset : offset + limit])
        rows = [{"id": r.__data__["id"], "cells": [_cell(r, c) for c in columns]} for r in records]
        return {
            "type": "page",
            "registry": model.__name__,
            "columns": columns,
            "rows": rows,
            "offset": offset,
            "total": qs.count(),
            "order": order,
        }

    def _cmd_select(self, msg: dict[str, Any]) -> dict[str, Any]:
        record = resolve({"registry": self._model(msg).__name__, "id": msg.get("id")})
        self._set_selected(record)
        return {"type": "selected", "ref": self.selection}


def _cell(record: Any, column: str) -> str:
    # Foreign keys are listed by column name (``run_id``); peewee keeps their value under the field name.
    field = record._meta.columns.get(column)
    value = record.__data__.get(field.name if field is not None else column)
    if column == "size" and isinstance(value, int) and value >= 0:
        return human_size(value)  # "46.9 kB", as Describe shows it; sorting still uses the bytes
    return to_text(value)

"""``Lookup``: autocomplete over one field of one registry."""

from __future__ import annotations

from typing import Any

import traitlets

from ..orm.lookup import to_attr_name
from ..catalog import name_field, registry_name
from ..catalog.registries import registry as registry_class
from ._base import Panel, panel_module, page_bounds
from ._records import record_ref, resolve, to_text


class Lookup(Panel):
    """Type a few letters, pick a value with the arrows and Enter: ``.value`` is the record.

    Parameters
    ----------
    registry
        The registry (class or name) to look up in.
    field
        The field to complete; default: the registry's name field.
    limit
        Most suggestions shown at once.

    Examples
    --------
    >>> lookup = ln.widgets.Lookup(ln.ULabel)  # doctest: +SKIP
    >>> lookup  # type "T c", arrow down, Enter  # doctest: +SKIP
    >>> lookup.value.name  # doctest: +SKIP
    'T cell'
    """

    _esm = panel_module("lookup")  # live with ANYWIDGET_HMR=1
    registry = traitlets.Unicode("ULabel").tag(sync=True)
    field = traitlets.Unicode("name").tag(sync=True)
    limit = traitlets.Int(10).tag(sync=True)
    #: the chosen record (not synced)
    value = traitlets.Any(None)

    def __init__(
        self, registry: Any = "ULabel", field: str | None = None, *, limit: int = 10, **kwargs: Any
    ) -> None:
        name = registry_name(registry)
        model = registry_class(name)
        field = field or name_field(model)
        model._text_fields(field)  # raises InvalidArgument for unknown fields
        super().__init__(registry=name, field=field, limit=limit, **kwargs)

    def _cmd_suggest(self, msg: dict[str, Any]) -> dict[str, Any]:
        text = str(msg.get("q") or "")
        _, limit = page_bounds({"limit": msg.get("limit") or self.limit}, self.limit, 50)
        model = registry_class(self.registry)
        qs = model.filter(**{f"{self.field}__isnull": False})
        if text:
            # Values starting with the text come first, then values containing it.
            starts = list(
                qs.filter(**{f"{self.field}__istartswith": text}).order_by(self.field)[:limit]
            )
            seen = {r.__data__["id"] for r in starts}
            rest = qs.filter(**{f"{self.field}__icontains": text}).exclude(
                id__in=list(seen) or [-1]
            )
            records = (
                starts + list(rest.order_by(self.field)[: limit - len(starts)])
                if len(starts) < limit
                else starts
            )
        else:
            records = list(qs.order_by(self.field)[:limit])
        items = []
        for record in records:
            value = to_text(record.__data__.get(self.field))
            items.append({**record_ref(record), "text": value, "attr": to_attr_name(value)})
        return {"type": "suggestions", "q": text, "items": items}

    def _cmd_choose(self, msg: dict[str, Any]) -> dict[str, Any]:
        record = resolve({"registry": self.registry, "id": msg.get("id")})
        self.value = record
        self._set_selected(record)
        return {
            "type": "chosen",
            "ref": self.selection,
            "text": to_text(record.__data__.get(self.field)),
        }

    def _cmd_clear(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.value = None
        self._set_selected(None)
        return {"type": "cleared"}

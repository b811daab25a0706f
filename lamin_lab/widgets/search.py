"""``Search``: one search box over every registry (or one), results as you type."""

from __future__ import annotations

from typing import Any

import traitlets

from ._base import Panel, panel_module, page_bounds
from ..catalog import REGISTRIES, registry_name, search_across
from ._records import resolve, summary


def search_page(
    query: str, registries: list[str], offset: int, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """One page of hits over several registries, best scores first (the catalog service's ranking).

    Examples
    --------
    >>> hits, more = search_page("t cel", ["ULabel"], 0, 20)
    >>> hits, more
    ([], False)
    """
    found, has_more = search_across(query, registries, offset=offset, limit=limit)
    return [summary(record) for record, _ in found], has_more


class Search(Panel):
    """Search records as you type, across all registries or one.

    Parameters
    ----------
    registry
        Restrict the search to one registry (a class or its name); default: all.
    page_size
        Hits per page.

    Examples
    --------
    >>> search = ln.widgets.Search()  # doctest: +SKIP
    >>> search  # type "pbmc", click a hit  # doctest: +SKIP
    >>> search.selected  # doctest: +SKIP
    Artifact(key='pbmc.h5ad', ...)
    """

    _esm = panel_module("search")  # live with ANYWIDGET_HMR=1
    registry = traitlets.Unicode("").tag(sync=True)
    registries = traitlets.List(traitlets.Unicode(), list(REGISTRIES)).tag(sync=True)
    page_size = traitlets.Int(20).tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self, registry: Any = None, *, page_size: int = 20, query: str = "", **kwargs: Any
    ) -> None:
        name = registry_name(registry) if registry is not None else ""
        super().__init__(registry=name, page_size=page_size, query=query, **kwargs)

    @property
    def value(self) -> Any:
        """The selected record (same as ``selected``)."""
        return self.selected

    def _cmd_search(self, msg: dict[str, Any]) -> dict[str, Any]:
        query = str(msg.get("q") or "").strip()
        offset, limit = page_bounds(msg, self.page_size)
        name = str(msg.get("registry") or self.registry or "")
        names = [registry_name(name)] if name else list(self.registries)
        if not query:
            return {"type": "results", "q": "", "hits": [], "offset": 0, "has_more": False}
        hits, has_more = search_page(query, names, offset, limit)
        return {"type": "results", "q": query, "hits": hits, "offset": offset, "has_more": has_more}

    def _cmd_select(self, msg: dict[str, Any]) -> dict[str, Any]:
        record = resolve(msg)
        self._set_selected(record)
        return {"type": "selected", "ref": self.selection}

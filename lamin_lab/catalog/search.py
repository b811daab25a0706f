"""One ranked search over several registries: the panels' search box and the sidebar's.

Each registry's :meth:`~lamin_lab.orm.queryset.QuerySet.search` scores on one scale, so hits
of different registries merge by score; ties keep the registry order of
:data:`~.registries.REGISTRIES`, then each registry's own ranking.

Examples
--------
>>> _ = ln.ULabel(name="T cell").save()
>>> hits, more = search_across("t cel", ["ULabel", "Feature"])
>>> [(type(r).__name__, r.name) for r, _ in hits], more
([('ULabel', 'T cell')], False)
"""

from __future__ import annotations

from typing import Any

from .registries import REGISTRIES, registry


class _Newest(str):
    """A timestamp text that sorts in reverse (newest first)."""

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)


def search_across(
    query: str, names: list[str] | tuple[str, ...] = REGISTRIES, *, offset: int = 0, limit: int = 20
) -> tuple[list[tuple[Any, float | None]], bool]:
    """One page of ``(record, score)`` over the registries ``names``, and whether more follow.

    An empty ``query`` lists the newest records (score None). Every registry returns
    only its best ``offset + limit + 1`` records, so paging never reads whole tables.

    Examples
    --------
    >>> search_across("", ["ULabel"], limit=5)
    ([], False)
    """
    query = query.strip()
    wanted = offset + limit + 1
    ranked: list[tuple[Any, int, int, Any, float | None]] = []
    for order, name in enumerate(names):
        model = registry(name)
        if query:
            for rank, (record, score) in enumerate(model.search(query, limit=wanted).scored()):
                ranked.append((-(score or 0.0), order, rank, record, score))
        else:  # ISO timestamps sort like time
            for rank, record in enumerate(model.filter().order_by("-created_at", "-id")[:wanted]):
                stamp = record.__data__.get("created_at")
                text = stamp.isoformat() if hasattr(stamp, "isoformat") else str(stamp or "")
                ranked.append((_Newest(text), order, rank, record, None))
    ranked.sort(key=lambda item: item[:3])
    page = [(item[3], item[4]) for item in ranked[offset : offset + limit]]
    return page, len(ranked) > offset + limit

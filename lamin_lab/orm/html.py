"""Escaped HTML for records and QuerySets in notebooks."""

from __future__ import annotations

import html
from typing import Any


def queryset_html(qs: Any, limit: int = 20) -> str:
    """An HTML table of the first records; every value is escaped.

    Examples
    --------
    >>> queryset_html(ln.ULabel.filter())  # doctest: +SKIP
    """
    df = qs.to_dataframe(limit=limit)
    total = qs.count() if qs._scores is None else len(qs)
    caption = f"{html.escape(qs.model.__name__)} · {total} record{'s' if total != 1 else ''}"
    if total > limit:
        caption += f" (first {limit})"
    table = df.to_html(escape=True, border=0, max_cols=12, na_rep="")
    return (
        f'<div class="lamin-lab-queryset"><div style="font-weight:600">{caption}</div>{table}</div>'
    )

"""Describe trees as data: a title, sections, rows; plus value formatting.

A :class:`DescribeTree` says *what* to show about a record; the renderers in
:mod:`~lamin_lab.describe.render_text` and :mod:`~lamin_lab.describe.render_html`
say *how*. Values stay raw until rendering so both renderers format them the
same way (:func:`format_value`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from lamin_lab.errors import InvalidArgument

#: how a row's value is formatted and styled
ROW_KINDS = ("text", "code", "path", "size", "datetime", "number", "muted", "list")
MAX_ITEMS = 10  # list values show this many items, then "… (+N more)"

_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB")


@dataclass
class Row:
    """One ``label → value`` line of a section.

    Parameters
    ----------
    label
        Left column (a field or feature name).
    value
        Raw value; formatted by :func:`format_value` according to ``kind``.
    kind
        One of ``text``, ``code``, ``path``, ``size``, ``datetime``,
        ``number``, ``muted``, ``list``.
    dtype
        Middle column for feature tables (``"cat[ULabel]"``, ``"int"``, ...).

    Examples
    --------
    >>> Row("size", 2048, "size").text
    '2.0 kB'
    """

    label: str
    value: Any = ""
    kind: str = "text"
    dtype: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ROW_KINDS:
            raise InvalidArgument(
                f"unknown row kind {self.kind!r}; use one of {', '.join(ROW_KINDS)}"
            )

    @property
    def text(self) -> str:
        """The value as display text.

        Examples
        --------
        >>> Row("tags", ["a", "b"]).text
        'a, b'
        """
        return format_value(self.value, self.kind)


@dataclass
class Section:
    """A named group of rows and nested sections.

    Parameters
    ----------
    name
        Heading (``"General"``, ``"Dataset features"``, ...).
    rows
        Rows shown first.
    children
        Nested sections shown after the rows.
    note
        Short text next to the heading (a schema name, a count).
    open
        Whether the HTML rendering starts expanded.

    Examples
    --------
    >>> Section("General", [Row("uid", "Ab12", "code")]).is_empty
    False
    """

    name: str
    rows: list[Row] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    note: str = ""
    open: bool = True

    @property
    def is_empty(self) -> bool:
        """True when neither rows nor non-empty children are present.

        Examples
        --------
        >>> Section("Labels").is_empty
        True
        """
        return not self.rows and all(c.is_empty for c in self.children)


@dataclass
class DescribeTree:
    """What ``describe()`` shows about one record.

    Parameters
    ----------
    title
        Registry name (``"Artifact"``).
    subtitle
        The record's key or name.
    sections
        Sections in display order.
    version
        Version tag shown in the header, if any.

    Examples
    --------
    >>> tree = DescribeTree("Artifact", "data/x.csv", [Section("General", [Row("uid", "Ab")])])
    >>> print(tree.to_text())
    Artifact  data/x.csv
    └── General
        └── uid  Ab
    """

    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    version: str = ""

    def section(self, name: str) -> Section:
        """The section called ``name`` (added empty at the end if missing).

        Examples
        --------
        >>> DescribeTree("Artifact").section("Labels").rows
        []
        """
        for s in self.sections:
            if s.name == name:
                return s
        s = Section(name)
        self.sections.append(s)
        return s

    def to_text(self, *, show_empty: bool = False) -> str:
        """Plain-text tree (no ANSI codes); see :func:`~.render_text.to_text`.

        Examples
        --------
        >>> DescribeTree("Run").to_text()
        'Run'
        """
        from lamin_lab.describe.render_text import to_text

        return to_text(self, show_empty=show_empty)

    def to_html(self) -> str:
        """Collapsible, escaped HTML; see :func:`~.render_html.to_html`.

        Examples
        --------
        >>> DescribeTree("Run").to_html().startswith("<div")
        True
        """
        from lamin_lab.describe.render_html import to_html

        return to_html(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()


def human_size(n_bytes: int | float | None) -> str:
    """Byte count as text with decimal (SI) units.

    Examples
    --------
    >>> human_size(999), human_size(1234567), human_size(None)
    ('999 B', '1.2 MB', '')
    """
    if n_bytes is None:
        return ""
    if n_bytes < 0:
        raise InvalidArgument(f"a size cannot be negative (got {n_bytes}); pass bytes >= 0")
    if n_bytes < 1000:
        return f"{int(n_bytes)} B"
    value = float(n_bytes)
    for unit in _UNITS[1:]:
        value /= 1000.0
        if value < 999.95 or unit == _UNITS[-1]:
            return f"{value:.1f} {unit}"
    return f"{value:.1f} {_UNITS[-1]}"  # unreachable; keeps type checkers calm


def format_datetime(value: _dt.datetime | _dt.date | str | None) -> str:
    """Datetime as ``YYYY-MM-DD HH:MM:SS`` (with ``UTC`` when aware).

    Aware datetimes are converted to UTC; ISO strings are parsed first;
    anything unparsable is returned as given.

    Examples
    --------
    >>> import datetime as dt
    >>> format_datetime(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    '2026-01-02 03:04:05 UTC'
    >>> format_datetime("2026-01-02T03:04:05.123")
    '2026-01-02 03:04:05'
    """
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, _dt.datetime):
        return value.isoformat()
    if value.tzinfo is not None:
        return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return value.strftime("%Y-%m-%d %H:%M:%S")


def format_value(value: Any, kind: str = "text") -> str:
    """Display text of a row value.

    Examples
    --------
    >>> format_value(list(range(12)))
    '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (+2 more)'
    >>> format_value(None)
    ''
    """
    if value is None:
        return ""
    if kind == "size" and isinstance(value, (int, float)):
        return human_size(value)
    if isinstance(value, (_dt.datetime, _dt.date)) or kind == "datetime":
        return format_datetime(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        shown = ", ".join(format_value(v) for v in list(items)[:MAX_ITEMS])
        more = len(items) - MAX_ITEMS
        return shown + (f", … (+{more} more)" if more > 0 else "")
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)

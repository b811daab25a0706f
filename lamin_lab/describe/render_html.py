"""Render a describe tree as collapsible, escaped HTML for notebooks.

Sections are ``<details>/<summary>`` (collapsible without any script), rows
are table rows. Styles are inline and use JupyterLab's CSS variables with
fallbacks, so light and dark themes both work and output sanitizers that drop
``<style>`` blocks do not break the look. Every value goes through
:func:`html.escape`. Values other than code (uids, hashes) and numbers get a
``<wbr>`` after each ``/``, ``_`` and ``.``: a narrow pane (the JupyterLab sidebar)
then wraps ``raw/pbmc.h5ad`` after a separator, never as ``pbmc.h`` / ``5ad``; a uid
or a hash is never cut.
"""

from __future__ import annotations

from html import escape

from lamin_lab.describe.tree import DescribeTree, Row, Section

_FG1 = "var(--jp-ui-font-color1, inherit)"
_FG2 = "var(--jp-ui-font-color2, #666)"
_BORDER = "var(--jp-border-color2, #ddd)"
ROOT_STYLE = (
    "font-family: var(--jp-code-font-family, monospace);"
    " font-size: var(--jp-code-font-size, 12px); line-height: 1.5;"
    f" color: {_FG1};"
)
SUMMARY_STYLE = "cursor: pointer;"
BODY_STYLE = f"margin-left: 0.45em; padding-left: 1em; border-left: 1px solid {_BORDER};"
TABLE_STYLE = "border-collapse: collapse; margin: 0.1em 0;"
LABEL_STYLE = (
    f"text-align: left; font-weight: normal; color: {_FG2};"
    " padding: 0 1.5em 0 0; vertical-align: top; white-space: nowrap;"
)
CELL_STYLE = "padding: 0 1.5em 0 0; vertical-align: top; white-space: pre-wrap;"

#: row kind → extra inline style of the value cell
KIND_STYLES = {
    "code": "color: var(--jp-mirror-editor-string-color, #1a7f37);",
    "path": "color: var(--jp-content-link-color, #0969da);",
    "muted": f"color: {_FG2};",
    "number": "color: var(--jp-mirror-editor-number-color, #098658);",
}
DTYPE_STYLE = "color: var(--jp-mirror-editor-keyword-color, #8250df); padding: 0 1.5em 0 0;"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


_SEPARATORS = "/_."


def break_parts(text: str) -> list[str]:
    """``text`` split where a long key or path may wrap: after ``/``, ``_`` or ``.``.

    A break goes after the last of a run of separators, never at the very start or
    end, and never inside a number like ``46.9``. The panels' ``breakParts()``
    (``lamin_lab/widgets/static/common.js``) breaks at the same places.

    Examples
    --------
    >>> break_parts("raw/pbmc_68k.h5ad")
    ['raw/', 'pbmc_', '68k.', 'h5ad']
    >>> break_parts(".parquet"), break_parts("46.9 kB")
    (['.parquet'], ['46.9 kB'])
    """
    parts, start = [], 0
    for i in range(len(text) - 1):
        c, nxt = text[i], text[i + 1]
        if c not in _SEPARATORS or nxt in _SEPARATORS:
            continue
        if c == "." and i > 0 and text[i - 1].isdigit() and nxt.isdigit():
            continue
        if text[start : i + 1].strip(_SEPARATORS):  # no break after a leading "." or "/"
            parts.append(text[start : i + 1])
            start = i + 1
    parts.append(text[start:])
    return parts


def breakable(value: object) -> str:
    """Escaped text with ``<wbr>`` where a long key or path may wrap (after ``/ _ .``).

    Examples
    --------
    >>> breakable("raw/pbmc_68k.h5ad")
    'raw/<wbr>pbmc_<wbr>68k.<wbr>h5ad'
    >>> breakable("46.9 kB <b>")
    '46.9 kB &lt;b&gt;'
    """
    return "<wbr>".join(_e(part) for part in break_parts(str(value)))


def _row_html(row: Row, with_dtype: bool) -> str:
    style = CELL_STYLE + KIND_STYLES.get(row.kind, "")
    cells = [f'<th scope="row" style="{LABEL_STYLE}">{_e(row.label)}</th>']
    if with_dtype:
        cells.append(f'<td style="{DTYPE_STYLE}">{_e(row.dtype)}</td>')
    # uids, hashes and code stay whole (no wrap point inside "kAFQmDzST7DWlj99KOF_cg")
    text = _e(row.text) if row.kind in ("number", "code") else breakable(row.text)
    cells.append(f'<td style="{style}">{text}</td>')
    return f'<tr data-kind="{_e(row.kind)}">{"".join(cells)}</tr>'


def _section_html(sec: Section, show_empty: bool) -> str:
    note = f' <span style="color: {_FG2};">{_e(sec.note)}</span>' if sec.note else ""
    parts = [
        f"<details{' open' if sec.open else ''}>",
        f'<summary style="{SUMMARY_STYLE}"><strong>{_e(sec.name)}</strong>{note}</summary>',
        f'<div style="{BODY_STYLE}">',
    ]
    if sec.rows:
        with_dtype = any(r.dtype for r in sec.rows)
        rows = "".join(_row_html(r, with_dtype) for r in sec.rows)
        parts.append(f'<table style="{TABLE_STYLE}"><tbody>{rows}</tbody></table>')
    for child in sec.children:
        if show_empty or not child.is_empty:
            parts.append(_section_html(child, show_empty))
    parts.append("</div></details>")
    return "".join(parts)


def to_html(tree: DescribeTree, *, show_empty: bool = False) -> str:
    """Collapsible HTML: one ``<details>`` per section, every value escaped.

    Parameters
    ----------
    tree
        What to render.
    show_empty
        Also include sections that have nothing in them.

    Examples
    --------
    >>> from lamin_lab.describe.tree import Row, Section
    >>> html = to_html(DescribeTree("Artifact", "<b>", [Section("General", [Row("uid", "A")])]))
    >>> "&lt;b&gt;" in html and html.count("<details") == 2
    True
    """
    version = (
        f' <span style="color: {_FG2};">· version {_e(tree.version)}</span>' if tree.version else ""
    )
    sub = f" <span>{breakable(tree.subtitle)}</span>" if tree.subtitle else ""
    body = "".join(
        _section_html(s, show_empty) for s in tree.sections if show_empty or not s.is_empty
    )
    return (
        f'<div class="lamin-lab-describe" style="{ROOT_STYLE}">'
        f'<details open><summary style="{SUMMARY_STYLE}">'
        f"<strong>{_e(tree.title)}</strong>{sub}{version}</summary>"
        f'<div style="{BODY_STYLE}">{body}</div></details></div>'
    )

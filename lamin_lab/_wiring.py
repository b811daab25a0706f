"""Attach lineage and describe behaviour to the registries, importing them lazily.

``lineage`` and ``describe`` sit above ``models`` in the layers, so the registries
cannot import them; instead :func:`install` (called once by ``lamin_lab/__init__``)
sets methods on the registry classes whose bodies import the higher layer on first
call. ``import lamin_lab`` therefore never loads lineage, describe, IPython or rich.

Attached:

- ``view_lineage(...)`` on Artifact, Collection, Run and Transform
- ``describe(return_str=False)`` on every record (registry-specific trees for
  Artifact, Collection, Run and Transform; fields and foreign keys for the others),
  and on every registry class (``ln.Artifact.describe()`` lists its fields)
- ``_repr_html_()`` on every record: the describe tree as escaped HTML for the four
  registries above; for any other registry a compact escaped table of its loaded
  fields, built without a query (notebooks call it for every displayed record)
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

#: registries that get ``view_lineage`` and a describe tree as ``_repr_html_``
LINEAGE_REGISTRIES = ("Artifact", "Collection", "Run", "Transform")
#: field values longer than this are cut in the compact HTML table
MAX_HTML_VALUE = 80


def view_lineage(
    self: Any,
    with_children: bool = True,
    depth: int | None = None,
    return_graph: bool = False,
    upstream_depth: int | None = None,
    downstream_depth: int | None = None,
    cluster: bool | int = True,
    max_nodes: int | None = None,
) -> Any:
    """Show (or return) the data flow around this record.

    See :func:`lamin_lab.lineage.api.view_lineage` for the parameters.

    Examples
    --------
    >>> artifact.view_lineage()  # doctest: +SKIP
    >>> graph = artifact.view_lineage(return_graph=True)  # doctest: +SKIP
    """
    from lamin_lab.lineage import api

    if not return_graph and api.in_notebook() and api.display_graph.__module__ == api.__name__:
        # In a notebook the interactive panel replaces the default static SVG (a display
        # function set by the user is left alone).
        from lamin_lab.widgets import show_lineage_as_panel

        show_lineage_as_panel()
    return api.view_lineage(
        self,
        with_children=with_children,
        depth=depth,
        return_graph=return_graph,
        upstream_depth=upstream_depth,
        downstream_depth=downstream_depth,
        cluster=cluster,
        max_nodes=max_nodes,
    )


def describe(self: Any, return_str: bool = False) -> str | None:
    """Print (or return as text) a tree of this record: fields, provenance, versions, labels.

    Called on a registry class (``ln.Artifact.describe()``), it lists the registry's
    fields and relations instead.

    Examples
    --------
    >>> artifact.describe()  # doctest: +SKIP
    >>> text = artifact.describe(return_str=True)  # doctest: +SKIP
    >>> import lamin_lab as ln
    >>> ln.Artifact.describe(return_str=True).splitlines()[:2]
    ['Artifact', '  Simple fields']
    """
    if isinstance(self, type):
        return _describe_layer().describe_registry(self, return_str=return_str)
    return _describe_layer().describe(self, return_str=return_str)


class _DescribeAccessor:
    """``describe`` on a record describes the record; on a registry class, its fields."""

    def __get__(self, instance: Any, owner: type) -> Any:
        return functools.partial(describe, owner if instance is None else instance)


def repr_html(self: Any) -> str:
    """Escaped HTML of the record for notebooks.

    Examples
    --------
    >>> artifact._repr_html_()  # doctest: +SKIP
    '<div class="lamin-lab-describe" ...'
    """
    if type(self).__name__ in LINEAGE_REGISTRIES and self._pk is not None:
        return _describe_layer().describe_html(self)
    return fields_html(self)


def fields_html(record: Any) -> str:
    """A compact table of a record's loaded fields, every value escaped; no query.

    Examples
    --------
    >>> "<table" in fields_html(ln.ULabel(name="<b>"))
    True
    """
    import html  # with html.entities ~10 ms: only when a record is shown

    rows = []
    for name, field in record._meta.fields.items():
        value = record.__data__.get(name)
        if name.startswith("_") or name == "id" or value is None or value == "":
            continue
        label = getattr(field, "column_name", name) if hasattr(field, "rel_model") else name
        if isinstance(value, datetime.datetime):
            text = value.strftime("%Y-%m-%d %H:%M:%S")
        else:
            text = str(value)
        if len(text) > MAX_HTML_VALUE:
            text = text[: MAX_HTML_VALUE - 1] + "…"
        rows.append(
            f'<tr><th style="text-align:left;padding:0 1em 0 0;font-weight:normal;opacity:.7">'
            f'{html.escape(label)}</th><td style="text-align:left">{html.escape(text)}</td></tr>'
        )
    title = html.escape(type(record).__name__)
    return (
        f'<div class="lamin-lab-record"><div style="font-weight:600">{title}</div>'
        f'<table style="border-collapse:collapse"><tbody>{"".join(rows)}</tbody></table></div>'
    )


def view(
    *,
    limit: int = 7,
    modules: str | None = None,
    registries: list[str] | None = None,
    df: Any = None,
) -> None:
    """Show the newest records of each registry that has any, or of the ones named.

    See :func:`lamin_lab.describe.registries.view` for the parameters.

    Examples
    --------
    >>> import lamin_lab as ln
    >>> ln.view(registries=["ULabel"], limit=3)  # doctest: +SKIP
    """
    return _describe_layer().view(limit=limit, modules=modules, registries=registries, df=df)


def _describe_layer() -> Any:
    """The describe layer's record module, imported on first use (it sits above the models)."""
    from lamin_lab.describe import records

    return records


def _load_curation() -> None:
    """Import the curation layer: it registers the schema hooks."""
    import lamin_lab.curation  # noqa: F401


def install() -> None:
    """Attach ``view_lineage``, ``describe`` and ``_repr_html_`` to the registries (idempotent).

    Examples
    --------
    >>> import lamin_lab._wiring
    >>> lamin_lab._wiring.install()
    """
    from lamin_lab.models import Artifact, Collection, Run, Transform
    from lamin_lab.orm.record import BaseSQLRecord

    from lamin_lab.models.mixins import has_features

    for model in (Artifact, Collection, Run, Transform):
        model.view_lineage = view_lineage
    if _load_curation not in has_features.CURATION_LOADER:
        has_features.CURATION_LOADER.append(_load_curation)
    BaseSQLRecord.describe = _DescribeAccessor()
    BaseSQLRecord._repr_html_ = repr_html

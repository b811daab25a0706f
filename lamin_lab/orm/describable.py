"""``Describable``: ``describe()`` and ``_repr_html_()`` of every record and registry.

The describe trees are built by the describe layer, which sits above the ORM; the
methods here reach it through :func:`lamin_lab._services.service`, so ``import
lamin_lab`` loads neither the describe layer nor rich. Registries with a lineage
(Artifact, Collection, Run, Transform) show their describe tree as HTML instead (see
:class:`lamin_lab.models.mixins.has_lineage.HasLineage`).
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from .._services import service
from .instances import instance_of, on_instance

#: field values longer than this are cut in the compact HTML table
MAX_HTML_VALUE = 80


def describe(
    record_or_registry: Any, return_str: bool = False, include: str | None = None
) -> str | None:
    """Print (or return as text) a tree of a record: fields, provenance, versions, labels.

    ``include="comments"`` adds the record's notes and comments (LaminDB's option).

    Called on a registry class (``ln.Artifact.describe()``), it lists the registry's
    fields and relations instead.

    Examples
    --------
    >>> import lamin_lab as ln
    >>> ln.Artifact.describe(return_str=True).splitlines()[:2]
    ['Artifact', '  Simple fields']
    """
    if isinstance(record_or_registry, type):
        return service("describe_registry")(record_or_registry, return_str=return_str)
    with on_instance(instance_of(record_or_registry)):  # a record of another instance: read there
        if include is None:
            return service("describe")(record_or_registry, return_str=return_str)
        return service("describe")(record_or_registry, return_str=return_str, include=include)


class _DescribeAccessor:
    """``describe`` on a record describes the record; on a registry class, its fields."""

    def __get__(self, instance: Any, owner: type) -> Any:
        return functools.partial(describe, owner if instance is None else instance)


def fields_html(record: Any) -> str:
    """A compact table of a record's loaded fields, every value escaped; no query.

    Examples
    --------
    >>> import lamin_lab as ln
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


class Describable:
    """``describe()`` on records and registry classes, ``_repr_html_()`` on records.

    ``_repr_html_`` is the compact table of :func:`fields_html`, built without a query
    (notebooks call it for every displayed record).

    Examples
    --------
    >>> import lamin_lab as ln
    >>> ln.ULabel(name="x")._repr_html_().startswith('<div class="lamin-lab-record"')
    True
    """

    describe = _DescribeAccessor()

    def _repr_html_(self) -> str:
        return fields_html(self)


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
    return service("view")(limit=limit, modules=modules, registries=registries, df=df)

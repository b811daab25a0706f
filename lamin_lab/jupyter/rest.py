"""What the REST API answers, as plain JSON-able dicts: status, search, pages, describe.

These functions do the database work of the lab extension's handlers; they run in
the server's worker thread (see :mod:`.handlers`) and know nothing about HTTP.
Every string from the database is returned as data, for the browser to show as
text; only ``describe(...)["html"]`` is markup, escaped by the describe layer.

Examples
--------
>>> from lamin_lab.jupyter import rest
>>> rest.search("t cell", limit=5)["hits"][0]["name"]  # doctest: +SKIP
'T cell'
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import json
from typing import Any

from ..catalog import REGISTRIES, filter_kwargs, name_field, order_fields, registry, search_across
from ..describe.records import describe_tree
from ..describe.render_html import to_html
from ..errors import DoesNotExist, InvalidArgument
from ..settings import settings
from .instance import current_instance

MAX_SEARCH_LIMIT = 100
MAX_PAGE_LIMIT = 500
#: longer text values in record pages are cut (source code, reports, ...)
MAX_TEXT = 1000


def snippet(registry_name: str, uid: str) -> str:
    """Python code that gets the record (``ln.Artifact.get("...")``).

    Examples
    --------
    >>> snippet("Artifact", "KBW89Mf7IGcekja20000")
    'ln.Artifact.get("KBW89Mf7IGcekja20000")'
    """
    return f"ln.{registry_name}.get({json.dumps(uid)})"


def json_value(value: Any, max_text: int | None = None) -> Any:
    """A database value as JSON: datetimes as ISO text, other objects as text.

    Examples
    --------
    >>> json_value(_dt.datetime(2026, 1, 2, 3, 4, 5))
    '2026-01-02T03:04:05'
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return value
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    if max_text is not None and len(text) > max_text:
        return text[: max_text - 1] + "…"
    return text


def hit(record: Any, score: float | None = None) -> dict[str, Any]:
    """What the sidebar shows of a record: registry, uid, name, description, version, ...

    Examples
    --------
    >>> hit(ulabel)["name"]  # doctest: +SKIP
    'T cell'
    """
    model = type(record)
    data = record.__data__
    field = name_field(model)
    # Versioned registries: the tag when set, else the uid's version counter (as describe shows it).
    version = record.version if "version_tag" in model._meta.fields else None
    return {
        "registry": model.__name__,
        "uid": data.get("uid"),
        "name": json_value(data.get(field)) or data.get("uid"),
        "name_field": field,
        "description": json_value(data.get("description"), MAX_TEXT) or "",
        "version": version or "",
        "created_at": json_value(data.get("created_at")),
        "score": score,
        "code": snippet(model.__name__, data.get("uid")),
    }


def status() -> dict[str, Any]:
    """The current instance (name, storage, database kind) and record counts.

    With no instance set up, ``instance`` is None and ``message`` says what to do.

    Examples
    --------
    >>> status()["instance"]["name"]  # doctest: +SKIP
    'mydata'
    """
    instance = current_instance()
    counts = {name: registry(name).filter().count() for name in REGISTRIES}
    return {
        "version": _package_version(),
        "instance": {
            "name": instance.name,
            "uid": instance.uid,
            "dialect": instance.dialect,
            "storage": instance.storage_root,
        },
        "user": settings.user.handle,
        "registries": list(REGISTRIES),
        "counts": counts,
    }


def _package_version() -> str:
    try:
        return importlib.metadata.version("lamin_lab")
    except importlib.metadata.PackageNotFoundError:  # running from a checkout that is not installed
        return "unknown"


def _page_bounds(offset: int, limit: int, maximum: int) -> tuple[int, int]:
    if offset < 0:
        raise InvalidArgument(f"offset must be 0 or more, not {offset}.")
    if not 1 <= limit <= maximum:
        raise InvalidArgument(f"limit must be between 1 and {maximum}, not {limit}.")
    return offset, limit


def search(q: str, registry_name: str = "", limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Ranked hits over all registries (or one); the most recent records when ``q`` is empty.

    The ranking is the catalog service's (:func:`lamin_lab.catalog.search_across`), the
    same the notebook panels show.

    Examples
    --------
    >>> search("pbmc", registry_name="Artifact", limit=5)["hits"][0]["registry"]  # doctest: +SKIP
    'Artifact'
    """
    offset, limit = _page_bounds(offset, limit, MAX_SEARCH_LIMIT)
    current_instance()
    names = [registry_name] if registry_name else list(REGISTRIES)
    for name in names:
        registry(name)  # an unknown name is a bad request (InvalidArgument), before any query
    found, has_more = search_across(q, names, offset=offset, limit=limit)
    return {
        "q": q.strip(),
        "registry": registry_name,
        "offset": offset,
        "limit": limit,
        "hits": [hit(record, score) for record, score in found],
        "has_more": has_more,
    }


def _columns(model: type) -> list[tuple[str, Any]]:
    """(column name, field) of a registry's public fields; foreign keys as ``<name>_id``."""
    out = []
    for name, field in model._meta.fields.items():
        if name.startswith("_"):
            continue
        out.append((field.column_name if field.column_name.endswith("_id") else name, field))
    return out


def records(
    registry_name: str,
    offset: int = 0,
    limit: int = 50,
    order: str = "",
    filters: list[str] | None = None,
) -> dict[str, Any]:
    """One page of a registry's records as columns and rows, with the total count.

    Parameters
    ----------
    registry_name
        ``"Artifact"``, ``"ULabel"``, ...
    offset, limit
        The page.
    order
        Comma-separated fields, ``-`` in front for descending; default newest first.
    filters
        Filter texts in the catalog's one grammar (:mod:`lamin_lab.catalog.filters`), all of
        which must hold.

    Examples
    --------
    >>> records("ULabel", filters=["name__startswith=T"])["rows"][0]  # doctest: +SKIP
    [1, 'nssUksiX', 'T cell', ...]
    """
    offset, limit = _page_bounds(offset, limit, MAX_PAGE_LIMIT)
    model = registry(registry_name, missing=DoesNotExist)
    current_instance()
    qs = model.filter(**filter_kwargs(model, filters or []))
    qs = qs.order_by(*(order_fields(order) or ["-created_at", "-id"]))
    columns = _columns(model)
    rows = [
        [json_value(r.__data__.get(f.name), MAX_TEXT) for _, f in columns]
        for r in qs[offset : offset + limit]
    ]
    total = qs.count()
    return {
        "registry": registry_name,
        "columns": [c for c, _ in columns],
        "rows": rows,
        "offset": offset,
        "limit": limit,
        "total": total,
        "has_more": offset + len(rows) < total,
    }


def describe(registry_name: str, uid: str) -> dict[str, Any]:
    """A record's describe tree as escaped HTML and as text, plus its hit summary.

    Examples
    --------
    >>> describe("Artifact", artifact.uid)["text"].splitlines()[0]  # doctest: +SKIP
    'Artifact  data/x.csv · version 0000'
    """
    model = registry(registry_name, missing=DoesNotExist)
    current_instance()
    record = model.filter(uid=uid).first()
    if record is None:
        raise DoesNotExist(
            f"No {registry_name} with uid {uid!r} (it may have been deleted); search again."
        )
    tree = describe_tree(record)
    return {**hit(record), "html": to_html(tree), "text": tree.to_text()}

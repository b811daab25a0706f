"""Records as small JSON-able dicts for the browser, and back.

A record travels as a *ref* ``{"registry": "Artifact", "id": 12, "uid": ..., "label": ...}``;
the browser sends the registry and id back, the kernel looks the record up again.
Which registries exist and what names a record is the catalog service's
(:mod:`lamin_lab.catalog`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..catalog import name_field, registry
from ..errors import DoesNotExist, InvalidArgument


def label(record: Any) -> str:
    """A short display name of a record.

    Examples
    --------
    >>> label(ln.ULabel(name="T cell"))  # doctest: +SKIP
    'T cell'
    """
    value = record.__data__.get(name_field(type(record)))
    if value in (None, "") and record.__data__.get("started_at"):  # an unnamed run: when it ran
        value = "run " + to_text(record.__data__["started_at"])
    if value in (None, ""):
        value = record.__data__.get("uid") or record.__data__.get("id")
    return to_text(value)


def to_text(value: Any) -> str:
    """A value as one line of text for a table cell.

    Examples
    --------
    >>> to_text(None), to_text(3), to_text(True)
    ('', '3', 'True')
    """
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


def version_of(record: Any) -> str:
    """The version tag of a versioned record, or ``""``.

    Examples
    --------
    >>> version_of(ln.ULabel(name="x"))  # doctest: +SKIP
    ''
    """
    if "version_tag" not in record._meta.fields:
        return ""
    try:
        return to_text(record.version)
    except Exception:  # a half-built record: show no version rather than fail the page
        return to_text(record.__data__.get("version_tag"))


def created_of(record: Any) -> str:
    """When the record was created (``created_at``, else ``started_at``).

    Examples
    --------
    >>> created_of(ulabel)  # doctest: +SKIP
    '2026-11-23 05:13:19'
    """
    data = record.__data__
    return to_text(data.get("created_at") or data.get("started_at"))


def record_ref(record: Any) -> dict[str, Any]:
    """The JSON-able reference of a record.

    Examples
    --------
    >>> record_ref(ulabel)  # doctest: +SKIP
    {'registry': 'ULabel', 'id': 1, 'uid': 'nssUksiX', 'label': 'T cell'}
    """
    return {
        "registry": type(record).__name__,
        "id": record.__data__.get("id"),
        "uid": to_text(record.__data__.get("uid")),
        "label": label(record),
    }


def summary(record: Any) -> dict[str, Any]:
    """A ref plus description, version and created: what a search hit shows.

    Examples
    --------
    >>> summary(ulabel)["description"]  # doctest: +SKIP
    'a lymphocyte'
    """
    out = record_ref(record)
    description = record.__data__.get("description")
    out.update(
        description=to_text(description), version=version_of(record), created=created_of(record)
    )
    return out


def resolve(ref: Any) -> Any:
    """The record a ref (or a ``{"registry", "id"}`` message) points to.

    Examples
    --------
    >>> resolve({"registry": "ULabel", "id": 1}).name  # doctest: +SKIP
    'T cell'
    """
    if not isinstance(ref, dict) or "registry" not in ref or "id" not in ref:
        raise InvalidArgument("A record reference needs 'registry' and 'id'.")
    model = registry(str(ref["registry"]))
    try:
        pk = int(ref["id"])
    except (TypeError, ValueError):
        raise InvalidArgument(f"Record id {ref['id']!r} is not an integer.") from None
    try:
        return model.get(pk)
    except DoesNotExist:
        raise DoesNotExist(f"{model.__name__} {pk} no longer exists; refresh the panel.") from None

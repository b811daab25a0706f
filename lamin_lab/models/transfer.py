"""Saving a record read from another instance copies it into the current one (LaminDB's transfer).

Examples
--------
>>> artifact = ln.DB("me/other").Artifact.get(key="x.csv")  # doctest: +SKIP
>>> artifact.save()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from ..errors import NoWriteAccess
from ..orm.instances import instance_of


def transfer_record(record: Any, transfer: str | None = None) -> Any:
    """Copy ``record`` (read from another instance) into the current instance and return it.

    Examples
    --------
    >>> transfer_record(ln.DB("me/other").ULabel.get(name="x"))  # doctest: +SKIP
    """
    other = instance_of(record)
    raise NoWriteAccess(
        f"Saving a {type(record).__name__} read from instance {other.slug!r} is not supported yet."
    )

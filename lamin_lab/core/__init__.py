"""``ln.core``: LaminDB's older namespace of helpers, kept so that its imports keep working.

``ln.core.exceptions`` is :mod:`lamin_lab.errors`, ``ln.core.storage`` the storage helpers
(with ``UPath``) and ``ln.core.datasets`` the example datasets of ``lamin_lab.examples``.
Each submodule loads on first attribute access. ``ln.core.sync(...)`` copies one record of
another local instance into the current one (LaminDB's ``lamin io sync``).

Examples
--------
>>> import lamin_lab as ln
>>> ln.core.exceptions.DoesNotExist is ln.errors.DoesNotExist
True
"""

from __future__ import annotations

import importlib as _importlib
from typing import Any

from ..errors import InvalidArgument, MissingDependency

_SUBMODULES = {"exceptions": "lamin_lab.core.exceptions", "storage": "lamin_lab.core.storage"}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = _importlib.import_module(_SUBMODULES[name])
    elif name == "datasets":
        try:
            examples = _importlib.import_module("lamin_lab.examples")
        except ModuleNotFoundError as e:
            if e.name not in ("lamin_lab.examples",):
                raise
            raise MissingDependency(
                "ln.core.datasets forwards to lamin_lab.examples, which this lamin_lab does not include: "
                "upgrade lamin_lab, or build the data yourself."
            ) from None
        module = getattr(examples, "datasets", examples)
    else:
        raise AttributeError(f"module 'lamin_lab.core' has no attribute {name!r}")
    globals()[name] = module
    return module


def sync(
    *, registry: type, uid: str, source_db: str, transfer: str | None = None, depth: int = 0
) -> Any:
    """Copy one record of another local instance into the current one and return the copy.

    The same as ``registry.connect(source_db).get(uid).save(transfer=transfer)``; see
    :mod:`lamin_lab.models.transfer` for what is copied and how it is mapped.

    Parameters
    ----------
    registry
        The registry class, e.g. ``ln.Artifact`` or ``ln.Record``.
    uid
        The record's uid on the source instance.
    source_db
        ``"owner/name"`` or the name of an instance set up on this machine.
    transfer
        ``"sqlrecord"`` (default), ``"notes"`` or ``"annotations"``.
    depth
        Levels of records under a type to sync: only 0 (the record itself) is supported.

    Examples
    --------
    >>> ln.core.sync(registry=ln.Record, uid="gL3TbX2qZQmCwTAU", source_db="me/other")  # doctest: +SKIP
    """
    if type(depth) is not int or depth < 0:
        raise InvalidArgument(f"depth takes an int >= 0, not {depth!r}.")
    if depth:
        raise InvalidArgument(
            "depth > 0 (records under a type) is not supported: sync with depth=0, then sync "
            "the records of the type one by one."
        )
    return registry.connect(source_db).get(uid).save(transfer=transfer)


def __dir__() -> list[str]:
    return sorted([*_SUBMODULES, "datasets", "sync"])


__all__ = ["datasets", "exceptions", "storage", "sync"]

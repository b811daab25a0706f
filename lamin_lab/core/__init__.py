"""``ln.core``: LaminDB's older namespace of helpers, kept so that its imports keep working.

``ln.core.exceptions`` is :mod:`lamin_lab.errors`, ``ln.core.storage`` the storage helpers
(with ``UPath``) and ``ln.core.datasets`` the example datasets of ``lamin_lab.examples``.
Each submodule loads on first attribute access.

Examples
--------
>>> import lamin_lab as ln
>>> ln.core.exceptions.DoesNotExist is ln.errors.DoesNotExist
True
"""

from __future__ import annotations

import importlib as _importlib
from typing import Any

from ..errors import MissingDependency

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


def __dir__() -> list[str]:
    return sorted([*_SUBMODULES, "datasets"])


__all__ = ["datasets", "exceptions", "storage"]

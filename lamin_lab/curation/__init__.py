"""Curation: validate datasets against schemas, standardise values, suggest fixes, save.

``Artifact.from_dataframe(df, schema=...)`` reaches :func:`validate_for_artifact` (before
anything is written) and :func:`annotate` (after saving) through :mod:`lamin_lab._services`.

It imports pandas, numpy and rapidfuzz only inside the functions that need them;
``import lamin_lab`` does not import this package (``ln.curators`` loads it on first use).

Examples
--------
>>> from lamin_lab.curation import DataFrameCurator
>>> DataFrameCurator(df, schema).validate()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from .anndata import AnnDataCurator
from .categorical import CatManager
from .dataframe import DataFrameCurator
from .save import annotate


def validate_for_artifact(data: Any, schema: Any) -> Any:
    """Validate in-memory data against ``schema``; the curator, or ``ValidationError``.

    Examples
    --------
    >>> validate_for_artifact(df, schema)  # doctest: +SKIP
    <DataFrameCurator schema='perturbations' validated=True>
    """
    kind = type(data).__name__
    if kind == "DataFrame":
        curator: Any = DataFrameCurator(data, schema)
    elif kind == "AnnData":
        curator = AnnDataCurator(data, schema)
    else:
        raise InvalidArgument(
            f"schema= validates pandas DataFrames and AnnData objects, not {kind}; "
            "create the artifact without schema= and annotate it with .features.add_values()."
        )
    curator.validate()
    return curator


__all__ = [
    "AnnDataCurator",
    "CatManager",
    "DataFrameCurator",
    "annotate",
    "validate_for_artifact",
]

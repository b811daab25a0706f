"""Curators: validate and standardise datasets against a schema before saving them.

``ln.curators`` (loaded on first access, with pandas and rapidfuzz):

- :class:`DataFrameCurator` — a pandas DataFrame against a schema of column features
- :class:`AnnDataCurator` — an AnnData against a composite schema (``obs``, ``var``, ``var.T``)

Examples
--------
>>> import lamin_lab as ln
>>> curator = ln.curators.DataFrameCurator(df, schema)  # doctest: +SKIP
>>> curator.validate()  # doctest: +SKIP
>>> artifact = curator.save_artifact(key="examples/df.parquet")  # doctest: +SKIP
"""

from .curation import AnnDataCurator, CatManager, DataFrameCurator
from .models.mixins import InspectResult

__all__ = ["AnnDataCurator", "CatManager", "DataFrameCurator", "InspectResult"]

"""The catalog service: what the notebook panels and the JupyterLab sidebar both ask.

One place for the registries a person can browse (:mod:`.registries`), the search across
them with one score scale (:mod:`.search`) and the one filter grammar of tables and URLs
(:mod:`.filters`). ``lamin_lab.widgets`` and ``lamin_lab.jupyter`` shape the answers for
their clients (traitlets messages, JSON over HTTP); neither repeats what is here.

Examples
--------
>>> from lamin_lab.catalog import REGISTRIES, filter_kwargs
>>> REGISTRIES[0]
'Artifact'
>>> filter_kwargs(ln.ULabel, "name__startswith=T")
{'name__startswith': 'T'}
"""

from __future__ import annotations

from .filters import filter_kwargs, order_fields
from .registries import LINEAGE_KINDS, REGISTRIES, name_field, registry, registry_name
from .search import search_across

__all__ = [
    "LINEAGE_KINDS",
    "REGISTRIES",
    "filter_kwargs",
    "name_field",
    "order_fields",
    "registry",
    "registry_name",
    "search_across",
]

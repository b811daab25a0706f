"""Workbench panels for notebooks (anywidget): thin views over the core API.

Imports anywidget and ipywidgets: ``import lamin_lab`` never imports this package;
``ln.widgets`` loads it on first use.

Panels
    :class:`Search`, :class:`Lookup`, :class:`Describe`, :class:`Lineage`,
    :class:`Catalog`, :class:`Curate` (validate a dataset against a schema, fix it,
    save it), and :class:`Workbench` (all of them as linked tabs)
Lineage in notebooks
    :func:`display_lineage`, which ``record.view_lineage()`` shows in a notebook.

Every panel asks the kernel for pages (never a whole table); the record picked
in a panel is ``panel.selected`` (``Lookup.value`` for the looked-up one).

Examples
--------
>>> import lamin_lab as ln
>>> ln.widgets.Workbench()  # doctest: +SKIP
"""

from .catalog import Catalog
from .curate import Curate
from .describe import Describe
from .lineage import Lineage, display_lineage
from .lookup import Lookup
from .search import Search
from .workbench import Workbench

__all__ = [
    "Catalog",
    "Curate",
    "Describe",
    "Lineage",
    "Lookup",
    "Search",
    "Workbench",
    "display_lineage",
]

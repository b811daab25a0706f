"""``Workbench``: Search · Catalog · Describe · Lineage · Curate as linked tabs."""

from __future__ import annotations

from typing import Any

import ipywidgets
import traitlets

from ..catalog import LINEAGE_KINDS
from .catalog import Catalog
from .curate import Curate
from .describe import Describe
from .lineage import Lineage
from .search import Search

TITLES = ("Search", "Catalog", "Describe", "Lineage", "Curate")
DESCRIBE_TAB, LINEAGE_TAB, CURATE_TAB = 2, 3, 4


class Workbench(ipywidgets.Tab):
    """All panels in one place: picking a record anywhere describes it and draws its lineage.

    Parameters
    ----------
    record
        A record to open in Describe and Lineage right away.
    depth
        Hops the Lineage tab draws around a record.
    curate
        ``(dataset, schema)`` to curate in the Curate tab (or a curator); later:
        ``wb.curate.load(df, schema)``.

    Examples
    --------
    >>> wb = ln.widgets.Workbench()  # doctest: +SKIP
    >>> wb  # search, click a hit: the Describe tab shows it  # doctest: +SKIP
    >>> wb.selected  # doctest: +SKIP
    >>> wb.curate.load(df, schema)  # the Curate tab validates df  # doctest: +SKIP
    """

    #: the record picked last in any tab (not synced)
    selected = traitlets.Any(None)

    def __init__(
        self, record: Any = None, *, depth: int = 3, curate: Any = None, **kwargs: Any
    ) -> None:
        self.search = Search()
        self.catalog = Catalog()
        self.describe = Describe()
        self.lineage = Lineage(depth=depth)
        self.curate = Curate(*(curate if isinstance(curate, tuple) else (curate,)))
        super().__init__(
            children=[self.search, self.catalog, self.describe, self.lineage, self.curate], **kwargs
        )
        self.titles = TITLES
        self.search.on_select(lambda r: self.show_record(r, tab=DESCRIBE_TAB))
        self.catalog.on_select(lambda r: self.show_record(r, tab=DESCRIBE_TAB))
        self.lineage.on_select(lambda r: self.show_record(r, tab=None, redraw_lineage=False))
        self.describe.on_select(lambda r: self.show_record(r, tab=None))
        self.describe.on_open_lineage(lambda r: self.show_record(r, tab=LINEAGE_TAB))
        # A saved artifact is described (the Curate tab stays open: it shows the artifact's uid).
        self.curate.on_select(self._curated)
        if record is not None:
            self.show_record(record)
        if curate is not None:
            self.selected_index = CURATE_TAB

    def _curated(self, artifact: Any) -> None:
        if artifact is not None:
            self.show_record(artifact, tab=None)

    @property
    def value(self) -> Any:
        """The selected record (same as ``selected``)."""
        return self.selected

    def show_record(
        self, record: Any, *, tab: int | None = DESCRIBE_TAB, redraw_lineage: bool = True
    ) -> None:
        """Describe ``record``, draw its lineage (if it has one) and show a tab.

        Examples
        --------
        >>> wb.show_record(artifact)  # doctest: +SKIP
        """
        self.selected = record
        if self.describe.record is not record:
            self.describe.record = record
        if (
            redraw_lineage
            and type(record).__name__ in LINEAGE_KINDS
            and self.lineage.record is not record
        ):
            self.lineage.record = record
        if tab is not None:
            self.selected_index = tab

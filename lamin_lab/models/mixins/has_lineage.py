"""``HasLineage``: ``view_lineage()`` and a describe tree as HTML, for the data-flow registries.

Artifact, Collection, Run and Transform take part in lineage. The graph is read and
drawn by the lineage layer, which sits above the models: the methods reach it through
:func:`lamin_lab._services.service`, importing it on first call.
"""

from __future__ import annotations

from typing import Any

from ..._services import service
from ...orm import SQLRecord
from ...orm.describable import fields_html
from ...orm.instances import on_own_instance


class HasLineage(SQLRecord):
    """Adds ``view_lineage()``; a saved record shows its describe tree in a notebook.

    Examples
    --------
    >>> artifact.view_lineage()  # doctest: +SKIP
    """

    class Meta:
        abstract = True

    @on_own_instance  # a record read from another instance: its lineage is read there
    def view_lineage(
        self,
        with_children: bool = True,
        depth: int | None = None,
        return_graph: bool = False,
        upstream_depth: int | None = None,
        downstream_depth: int | None = None,
        cluster: bool | int = True,
        max_nodes: int | None = None,
    ) -> Any:
        """Show (or return) the data flow around this record.

        In a notebook it is the interactive lineage panel; elsewhere a text tree. See
        :func:`lamin_lab.lineage.api.view_lineage` for the parameters.

        Examples
        --------
        >>> artifact.view_lineage()  # doctest: +SKIP
        >>> graph = artifact.view_lineage(return_graph=True)  # doctest: +SKIP
        """
        return service("view_lineage")(
            self,
            with_children=with_children,
            depth=depth,
            return_graph=return_graph,
            upstream_depth=upstream_depth,
            downstream_depth=downstream_depth,
            cluster=cluster,
            max_nodes=max_nodes,
        )

    @on_own_instance
    def _repr_html_(self) -> str:
        if self._pk is None:  # not saved: nothing to read from the database yet
            return fields_html(self)
        return service("describe_html")(self)

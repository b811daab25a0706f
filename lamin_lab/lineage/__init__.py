"""Lineage as pure data: walk, reduce, lay out and render lineage graphs.

Model-agnostic: the caller supplies a ``neighbors(frontier, direction)``
callback that answers one level at a time; this package never touches the
database or a registry. No heavy imports.

Graph
    :class:`Node`, :class:`LineageGraph`, :func:`node_id`, :func:`split_node_id`
Walking
    :func:`walk`
Reducing
    :func:`cluster_siblings`, :func:`expand_cluster`, :func:`transitive_reduction`
Layout and rendering
    :func:`layout`, :func:`compute_layout`, :class:`Layout`, :func:`to_dot`,
    :func:`to_mermaid`, :func:`to_svg`
Over the database (import these modules explicitly; this package does not)
    :mod:`lamin_lab.lineage.db` (``neighbors`` for :func:`walk`, one query per level),
    :mod:`lamin_lab.lineage.closure` (``closure``, one query per direction),
    :mod:`lamin_lab.lineage.api` (``view_lineage``, ``display_graph``, ``to_text_tree``)

Examples
--------
>>> from lamin_lab.lineage import walk
>>> def neighbors(ids, direction):
...     return [], [("run:r", "artifact:b")] if direction == "up" else []
>>> walk(["artifact:b"], neighbors, upstream_depth=1).edges
[('run:r', 'artifact:b')]
"""

from lamin_lab.lineage.graph import LineageGraph, Node, node_id, split_node_id
from lamin_lab.lineage.layout import Layout, compute_layout, layout
from lamin_lab.lineage.reduce import (
    cluster_siblings,
    expand_cluster,
    transitive_reduction,
)
from lamin_lab.lineage.render_dot import to_dot
from lamin_lab.lineage.render_mermaid import to_mermaid
from lamin_lab.lineage.render_svg import to_svg
from lamin_lab.lineage.walk import walk

__all__ = [
    "Layout",
    "LineageGraph",
    "Node",
    "cluster_siblings",
    "compute_layout",
    "expand_cluster",
    "layout",
    "node_id",
    "split_node_id",
    "to_dot",
    "to_mermaid",
    "to_svg",
    "transitive_reduction",
    "walk",
]

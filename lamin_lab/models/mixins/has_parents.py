"""``HasParents``: ontology-like hierarchies (``parents`` / ``children``) and their graphs."""

from __future__ import annotations

from typing import Any

from ...orm import SQLRecord
from ...orm import relations


def _dot_quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class ParentsGraph:
    """A parents/children graph as data, with DOT text in ``.source``.

    No graphviz binary is needed: ``graphviz.Source(graph.source)`` renders it where
    the binary exists; notebooks show an SVG drawn without it.
    """

    def __init__(self, focus: Any, nodes: dict[int, str], edges: list[tuple[int, int]]):
        self.focus_id = focus._pk
        self.nodes = nodes  # id → label
        self.edges = edges  # (parent id, child id)

    @property
    def source(self) -> str:
        """The graph as DOT text."""
        lines = [
            "digraph parents {",
            "  rankdir=TB;",
            '  node [shape=box, style="rounded,filled", fillcolor="#f5f5f5"];',
        ]
        for node_id, label in self.nodes.items():
            extra = ', fillcolor="#ffe7c7"' if node_id == self.focus_id else ""
            lines.append(f"  n{node_id} [label={_dot_quote(label)}{extra}];")
        for parent, child in self.edges:
            lines.append(f"  n{parent} -> n{child};")
        lines.append("}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"ParentsGraph({len(self.nodes)} nodes, {len(self.edges)} edges)"

    def _repr_html_(self) -> str:
        import html  # with html.entities ~10 ms: only when a graph is shown

        return f"<pre>{html.escape(self.source)}</pre>"


class HasParents(SQLRecord):
    """Hierarchies through a ``parents`` many-to-many relation (``children`` in reverse).

    Examples
    --------
    >>> t_cell.parents.add(immune_cell)  # doctest: +SKIP
    >>> t_cell.query_parents().to_list("name")  # doctest: +SKIP
    ['immune cell']
    """

    class Meta:
        abstract = True

    def _walk(self, relation: str, distance: int) -> tuple[set[int], list[tuple[int, int]]]:
        """Ids reached through ``relation`` up to ``distance`` hops: one query per hop."""

        rel = relations(type(self))[relation]
        frontier, seen, edges = {self._pk}, {self._pk}, []
        for _ in range(distance):
            if not frontier:
                break
            rows = list(
                rel.link.select(rel.link_source, rel.link_target)
                .where(rel.link_source.in_(list(frontier)))
                .tuples()
            )
            edges.extend(rows)
            frontier = {t for _, t in rows} - seen
            seen |= frontier
        return seen - {self._pk}, edges

    def query_parents(self) -> Any:
        """All ancestors as a QuerySet."""
        ids, _ = self._walk("parents", 100)
        return type(self).filter(id__in=sorted(ids))

    def query_children(self) -> Any:
        """All descendants as a QuerySet."""
        ids, _ = self._walk("children", 100)
        return type(self).filter(id__in=sorted(ids))

    def _graph(
        self, with_parents: bool, with_children: bool, field: str | None, distance: int
    ) -> ParentsGraph:
        edges: list[tuple[int, int]] = []
        ids = {self._pk}
        if with_parents:
            found, up = self._walk("parents", distance)
            ids |= found
            edges += [(parent, child) for child, parent in up]
        if with_children:
            found, down = self._walk("children", distance)
            ids |= found
            edges += [(parent, child) for parent, child in down]
        name = field or self._name_field
        labels = dict(
            type(self)
            .filter(id__in=sorted(ids), branch=None)
            ._select(type(self).id, getattr(type(self), name))
            .tuples()
        )
        return ParentsGraph(self, labels, sorted(set(edges)))

    def view_parents(
        self, field: str | None = None, with_children: bool = False, distance: int = 5
    ) -> ParentsGraph:
        """The graph of ancestors (and descendants with ``with_children=True``).

        Examples
        --------
        >>> print(t_cell.view_parents().source)  # doctest: +SKIP
        """
        return self._graph(True, with_children, field, distance)

    def view_children(self, field: str | None = None, distance: int = 5) -> ParentsGraph:
        """The graph of descendants."""
        return self._graph(False, True, field, distance)

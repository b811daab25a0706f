"""The queries the describe trees of records share: a version family, linked labels.

Each is one compiled query whatever the number of versions or labels (no N+1); see
:mod:`lamin_lab.describe.records` for the trees that use them.
"""

from __future__ import annotations

from typing import Any

import peewee
from peewee import JOIN, SQL

from lamin_lab.describe.build import labels_section
from lamin_lab.describe.tree import Row, Section, format_datetime
from lamin_lab.models import Feature
from lamin_lab.orm.compiled import fetch_compiled
from lamin_lab.orm.database import dialect
from lamin_lab.orm.branches import TRASH


def versions_of(record: Any) -> Section:
    """Every version of the record's family, oldest first; latest and this one marked.

    Examples
    --------
    >>> [row.label for row in versions_of(artifact).rows]  # doctest: +SKIP
    ['1', '2']
    """
    model = type(record)

    def build(stem: Any) -> Any:
        # SQLite's LIKE cannot use the uid index (it ignores case): a range on the uid can.
        # PostgreSQL: a case-sensitive LIKE (peewee's startswith is ILIKE there), which the
        # uid's pattern index answers; base62 stems hold no LIKE wildcards.
        family = (
            (model.uid >= stem) & (model.uid < stem + "\U0010ffff")
            if dialect() == "sqlite"
            else peewee.Expression(model.uid, "LIKE", stem + "%")
        )
        return (
            model.select(model.uid, model.version_tag, model.is_latest, model.created_at)
            .where(family & (model.branch_id != TRASH))
            .order_by(model.uid)
        )

    # LIKE ignores case on SQLite, base62 stems do not: keep exact prefix matches only.
    rows = [
        r
        for r in fetch_compiled(f"versions:{model.__name__}", build, stem=record.stem_uid)
        if r[0].startswith(record.stem_uid)
    ]
    out = []
    stem = record._stem_length()
    for uid, tag, is_latest, created_at in rows:
        text = " · ".join(p for p in (uid, format_datetime(created_at)) if p)
        marks = [m for m, on in (("latest", is_latest), ("this one", uid == record.uid)) if on]
        if marks:
            text += f" ({', '.join(marks)})"
        out.append(Row(tag or uid[stem:], text, "code"))
    return Section(
        "Versions", out, note=f"{len(out)} version{'s' if len(out) != 1 else ''}", open=False
    )


def linked_labels(links: list[tuple[Any, Any, str]], owner_column: str, pk: int) -> Section:
    """Linked labels of all kinds in one UNION ALL: (field, name, feature name) rows.

    ``links`` holds ``(link model, label model, field name)``; labels linked through a
    feature are grouped under the feature's name, the others under the field name.

    Examples
    --------
    >>> linked_labels([(ArtifactULabel, ULabel, "ulabels")], "artifact", 1).name  # doctest: +SKIP
    'Labels'
    """

    def build(pk: Any) -> Any:
        return _labels_query(links, owner_column, pk)

    grouped: dict[str, list[Any]] = {}
    for field, name, feature in fetch_compiled(f"labels:{owner_column}", build, pk=pk):
        grouped.setdefault(feature or field, []).append(name)
    return labels_section({k: sorted(v, key=str) for k, v in grouped.items()})


def _labels_query(links: list[tuple[Any, Any, str]], owner_column: str, pk: Any) -> Any:
    selects = []
    for link, label_model, field in links:
        label_fk = next(
            f for f in link._meta.refs if f.rel_model is label_model and f.name != owner_column
        )
        feature_fk = link._meta.fields.get("feature")
        feature_name = Feature.name if feature_fk is not None else SQL("CAST(NULL AS TEXT)")
        q = link.select(
            SQL(f"CAST('{field}' AS TEXT)"), peewee.Cast(label_model.name, "TEXT"), feature_name
        ).join(label_model, on=label_fk == label_model.id)
        if feature_fk is not None:
            q = q.switch(link).join(Feature, JOIN.LEFT_OUTER, on=feature_fk == Feature.id)
        selects.append(q.where(getattr(link, owner_column) == pk))
    query = selects[0]
    for other in selects[1:]:
        query = query.union_all(other)
    return query

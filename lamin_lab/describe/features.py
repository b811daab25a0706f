"""The "Dataset features" and "External features" (or just "Features") sections of ``describe()``.

:mod:`lamin_lab.describe.records` imports them: a describe shows a record's features
whether or not the curation layer was ever imported.

Examples
--------
>>> [s.name for s in feature_sections(artifact)]  # doctest: +SKIP
['Dataset features', 'External features']
"""

from __future__ import annotations

from typing import Any

from ..describe.tree import Row, Section

_HOSTS = ("Artifact", "Run", "Record")


def _row(name: str, dtype: str, value: Any) -> Row:
    if isinstance(value, list):
        return Row(name, value, "list", dtype=dtype)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Row(name, value, "number", dtype=dtype)
    return Row(name, "" if value is None else str(value), "text", dtype=dtype)


def feature_sections(record: Any) -> list[Section]:
    """Sections for the dataset features (per slot, with their labels) and the external feature values.

    Examples
    --------
    >>> feature_sections(ln.ULabel(name="x"))
    []
    """
    if type(record).__name__ not in _HOSTS or getattr(record, "_pk", None) is None:
        return []
    data = record.features.describe_data()
    sections = []
    dataset = data.get("Dataset features") or []
    if dataset:
        children = [
            Section(
                slot, [_row(*r) for r in rows], note=" · ".join(p for p in (schema_name, note) if p)
            )
            for slot, schema_name, note, rows in dataset
        ]
        sections.append(Section("Dataset features", children=children))
    for title in ("External features", "Features"):  # LaminDB's name depends on the record
        external = data.get(title) or []
        if external:
            sections.append(Section(title, [_row(*r) for _, _, _, rows in external for r in rows]))
    return sections

"""Build the standard describe tree of a record from plain values.

Model-agnostic: the caller (a registry's ``describe()``) passes dicts and
lists; nothing here touches the database.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable, Mapping, Sequence

from lamin_lab.describe.tree import DescribeTree, Row, Section, format_datetime

#: the core fields of the "General" section, in display order, with their kind
GENERAL_FIELDS = (
    ("uid", "code"),
    ("key", "path"),
    ("description", "text"),
    ("hash", "code"),
    ("size", "size"),
    ("n_files", "number"),
    ("n_observations", "number"),
    ("created_by", "text"),
    ("created_at", "datetime"),
    ("updated_at", "datetime"),
)
FEATURE_SECTIONS = ("Dataset features", "External features", "Labels")

#: a feature row: (name, dtype, value or values)
FeatureRow = tuple[str, str, Any]


def general_section(fields: Mapping[str, Any]) -> Section:
    """The "General" section: known core fields first, then the rest as text.

    Fields whose value is ``None`` or ``""`` are left out.

    Examples
    --------
    >>> [r.label for r in general_section({"size": 3, "uid": "A", "extra": 1}).rows]
    ['uid', 'size', 'extra']
    """
    known = dict(GENERAL_FIELDS)
    rows = [
        Row(name, fields[name], kind)
        for name, kind in GENERAL_FIELDS
        if fields.get(name) not in (None, "")
    ]
    rows += [
        Row(name, value, "text")
        for name, value in fields.items()
        if name not in known and value not in (None, "")
    ]
    return Section("General", rows)


def feature_section(
    name: str,
    features: Iterable[FeatureRow] | Mapping[str, Iterable[FeatureRow]],
    *,
    note: str = "",
) -> Section:
    """A feature table: ``name → dtype → value(s)``, optionally grouped.

    Parameters
    ----------
    name
        Section heading (``"Dataset features"``, ``"External features"``).
    features
        ``(name, dtype, values)`` tuples, or a mapping of group name (a schema
        slot such as ``"obs"``) to such tuples, giving one nested table per group.
    note
        Text next to the heading.

    Examples
    --------
    >>> sec = feature_section("Dataset features", {"obs": [("cell_type", "cat", ["T"])]})
    >>> sec.children[0].name, sec.children[0].rows[0].dtype
    ('obs', 'cat')
    """
    if isinstance(features, Mapping):
        children = []
        for group, group_rows in features.items():
            rows = _feature_rows(group_rows)
            children.append(Section(group, rows, note=_count(len(rows), "feature")))
        return Section(name, children=children, note=note)
    return Section(name, _feature_rows(features), note=note)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _feature_rows(features: Iterable[FeatureRow]) -> list[Row]:
    rows = []
    for fname, dtype, values in features:
        kind = "list" if isinstance(values, (list, tuple, set, frozenset)) else "text"
        rows.append(Row(fname, values, kind, dtype=str(dtype)))
    return rows


def labels_section(labels: Mapping[str, Sequence[Any]]) -> Section:
    """The "Labels" section: label field (``"ulabels"``, ``"cell_types"``) → names.

    Examples
    --------
    >>> labels_section({"ulabels": ["a", "b"]}).rows[0].text
    'a, b'
    """
    return Section("Labels", [Row(k, list(v), "list") for k, v in labels.items() if v])


def provenance_section(
    transform: Mapping[str, Any] | None = None, run: Mapping[str, Any] | None = None
) -> Section:
    """The "Provenance" section from a transform's and a run's plain fields.

    Examples
    --------
    >>> sec = provenance_section({"key": "qc.py", "version": "2"}, {"uid": "R1"})
    >>> [r.text for r in sec.rows]
    ['qc.py · version 2', 'R1']
    """
    rows = []
    if transform:
        text = str(transform.get("key") or transform.get("name") or transform.get("uid"))
        if transform.get("version"):
            text += f" · version {transform['version']}"
        rows.append(Row("transform", text, "path"))
    if run:
        text = str(run.get("uid", ""))
        if run.get("started_at"):
            text += f" · started {format_datetime(run['started_at'])}"
        rows.append(Row("run", text, "code"))
    return Section("Provenance", rows)


def versions_section(versions: Sequence[Mapping[str, Any]]) -> Section:
    """The "Versions" section: one row per version, the current one marked.

    Each mapping may hold ``version``, ``uid``, ``created_at`` and ``current``.

    Examples
    --------
    >>> versions_section([{"version": "1", "uid": "A0000"},
    ...                   {"version": "2", "uid": "A0001", "current": True}]).rows[1].text
    'A0001 (this one)'
    """
    rows = []
    for v in versions:
        parts = [str(v.get("uid", ""))]
        if v.get("created_at"):
            parts.append(format_datetime(v["created_at"]))
        text = " · ".join(p for p in parts if p)
        if v.get("current"):
            text += " (this one)"
        rows.append(Row(str(v.get("version") or "–"), text, "code"))
    return Section("Versions", rows, note=_count(len(rows), "version"), open=False)


def record_tree(
    registry: str,
    *,
    key: str = "",
    version: str = "",
    general: Mapping[str, Any] | None = None,
    storage_path: str = "",
    transform: Mapping[str, Any] | None = None,
    run: Mapping[str, Any] | None = None,
    versions: Sequence[Mapping[str, Any]] = (),
    dataset_features: Mapping[str, Iterable[FeatureRow]] | None = None,
    external_features: Iterable[FeatureRow] = (),
    labels: Mapping[str, Sequence[Any]] | None = None,
) -> DescribeTree:
    """The standard describe tree of a record, from plain values.

    Sections: General, Storage, Provenance, Versions, Dataset features,
    External features, Labels (empty ones are hidden when rendered).

    Examples
    --------
    >>> tree = record_tree("Artifact", key="x.csv", version="1",
    ...                    general={"uid": "Ab", "size": 2500}, storage_path="/data/x.csv")
    >>> print(tree.to_text())
    Artifact  x.csv · version 1
    ├── General
    │   ├── uid   Ab
    │   └── size  2.5 kB
    └── Storage
        └── path  /data/x.csv
    """
    sections = [general_section(general or {})]
    storage = [Row("path", storage_path, "path")] if storage_path else []
    sections.append(Section("Storage", storage))
    sections.append(provenance_section(transform, run))
    sections.append(versions_section(versions))
    sections.append(feature_section("Dataset features", dataset_features or {}))
    sections.append(feature_section("External features", list(external_features)))
    sections.append(labels_section(labels or {}))
    return DescribeTree(registry, key, sections, version=version)

"""``Describe``: a record's describe tree, a lazy preview, versions and related records."""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import traitlets

from ..describe import DescribeTree, Section
from ._base import Panel, panel_module
from ._preview import preview, preview_kind
from ..catalog import LINEAGE_KINDS
from ._records import created_of, record_ref, resolve, version_of
from ..describe.records import describe_tree

MAX_VERSIONS = 50


def section_dict(section: Section) -> dict[str, Any]:
    """A describe section as JSON (formatted row texts, nested children).

    Examples
    --------
    >>> from lamin_lab.describe import Row, Section
    >>> section_dict(Section("General", [Row("uid", "Ab", "code")]))["rows"]
    [{'label': 'uid', 'text': 'Ab', 'dtype': '', 'kind': 'code'}]
    """
    return {
        "name": section.name,
        "note": section.note,
        "open": section.open,
        "rows": [
            {"label": r.label, "text": r.text, "dtype": r.dtype, "kind": r.kind}
            for r in section.rows
        ],
        "children": [section_dict(c) for c in section.children if not c.is_empty],
    }


def tree_dict(tree: DescribeTree) -> dict[str, Any]:
    """A describe tree as JSON; empty sections are left out.

    Examples
    --------
    >>> from lamin_lab.describe import DescribeTree
    >>> tree_dict(DescribeTree("Run"))
    {'title': 'Run', 'subtitle': '', 'version': '', 'sections': []}
    """
    return {
        "title": tree.title,
        "subtitle": tree.subtitle,
        "version": tree.version,
        "sections": [section_dict(s) for s in tree.sections if not s.is_empty],
    }


def related(record: Any) -> list[dict[str, Any]]:
    """Refs of the records a describe view links to: the run and transform behind it.

    Examples
    --------
    >>> [r["registry"] for r in related(artifact)]  # doctest: +SKIP
    ['Run', 'Transform']
    """
    out = []
    run = getattr(record, "run", None) if "run" in record._meta.fields else None
    if type(record).__name__ == "Run":
        run = None
        out.append({**record_ref(record.transform), "role": "transform"})
    if run is not None:
        out.append({**record_ref(run), "role": "made by run"})
        out.append({**record_ref(run.transform), "role": "transform"})
    return out


def versions(record: Any) -> list[dict[str, Any]]:
    """The versions of a versioned record (newest last), at most :data:`MAX_VERSIONS`.

    Examples
    --------
    >>> [v["version"] for v in versions(artifact)]  # doctest: +SKIP
    ['1', '2']
    """
    if "version_tag" not in record._meta.fields or not record.__data__.get("uid"):
        return []
    family = type(record).filter(uid__startswith=record.stem_uid).order_by("-uid")[:MAX_VERSIONS]
    out = [
        {
            **record_ref(v),
            "version": version_of(v),
            "created": created_of(v),
            "current": v.__data__["id"] == record.__data__["id"],
        }
        for v in family
    ]
    return out[::-1]


class Describe(Panel):
    """A record described as a collapsible tree, with preview, versions and lineage links.

    Parameters
    ----------
    record
        The record to describe (or None; set ``.record`` later).

    Examples
    --------
    >>> ln.widgets.Describe(artifact)  # doctest: +SKIP
    """

    _esm = panel_module("describe")  # live with ANYWIDGET_HMR=1
    #: everything the browser draws for the current record
    view = traitlets.Dict({}).tag(sync=True)
    record = traitlets.Any(None)

    def __init__(self, record: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lineage_callbacks: list[Callable[[Any], None]] = []
        if record is None:
            self.view = {"empty": "Pick a record to describe it."}
        else:
            self.record = record

    @traitlets.observe("record")
    def _record_changed(self, change: dict[str, Any]) -> None:
        record = change["new"]
        if record is None:
            self.view = {"empty": "Pick a record to describe it."}
            return
        self.view = {
            "ref": record_ref(record),
            "tree": tree_dict(describe_tree(record)),
            "versions": versions(record),
            "related": related(record),
            "has_lineage": type(record).__name__ in LINEAGE_KINDS,
            "preview": preview_kind(record),
        }

    def on_open_lineage(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback(record)`` when the user asks for the record's lineage.

        Examples
        --------
        >>> describe.on_open_lineage(lambda record: lineage.__setattr__("record", record))  # doctest: +SKIP
        """
        self._lineage_callbacks.append(callback)

    def _cmd_preview(self, msg: dict[str, Any]) -> dict[str, Any]:
        if self.record is None:
            return {
                "type": "preview",
                "preview": {"kind": "none", "message": "Nothing to preview."},
            }
        return {
            "type": "preview",
            "uid": record_ref(self.record)["uid"],
            "preview": preview(self.record),
        }

    def _cmd_open(self, msg: dict[str, Any]) -> dict[str, Any]:
        record = resolve(msg)
        self.record = record
        self._set_selected(record)
        return {"type": "opened", "ref": self.selection}

    def _cmd_lineage(self, msg: dict[str, Any]) -> dict[str, Any]:
        for callback in self._lineage_callbacks:
            callback(self.record)
        return {"type": "lineage", "handled": bool(self._lineage_callbacks)}

"""Describe trees as data, rendered to aligned text (optionally coloured) and HTML.

Model-agnostic: a registry's ``describe()`` builds a :class:`DescribeTree`
from plain values (see :func:`record_tree`) and renders it. No heavy imports;
rich is imported only for a coloured print.

Tree model
    :class:`DescribeTree`, :class:`Section`, :class:`Row`
Building
    :func:`record_tree`, :func:`general_section`, :func:`feature_section`,
    :func:`labels_section`, :func:`provenance_section`, :func:`versions_section`
Rendering
    :func:`to_text`, :func:`to_html`, :func:`print_tree`
Formatting
    :func:`human_size`, :func:`format_datetime`, :func:`format_value`

Examples
--------
>>> from lamin_lab.describe import record_tree
>>> print(record_tree("Artifact", key="x.csv", general={"uid": "Ab"}).to_text())
Artifact  x.csv
└── General
    └── uid  Ab
"""

from lamin_lab.describe.build import (
    feature_section,
    general_section,
    labels_section,
    provenance_section,
    record_tree,
    versions_section,
)
from lamin_lab.describe.render_html import to_html
from lamin_lab.describe.render_text import print_tree, to_text
from lamin_lab.describe.tree import (
    DescribeTree,
    Row,
    Section,
    format_datetime,
    format_value,
    human_size,
)

__all__ = [
    "DescribeTree",
    "Row",
    "Section",
    "feature_section",
    "format_datetime",
    "format_value",
    "general_section",
    "human_size",
    "labels_section",
    "print_tree",
    "provenance_section",
    "record_tree",
    "to_html",
    "to_text",
    "versions_section",
]

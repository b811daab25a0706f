import datetime as dt
import io

import pytest

from lamin_lab.describe import (
    DescribeTree,
    Row,
    Section,
    format_datetime,
    format_value,
    human_size,
    print_tree,
    record_tree,
    to_text,
)
from lamin_lab.errors import InvalidArgument


def _small_tree():
    return DescribeTree(
        "Artifact",
        "data/cells.parquet",
        [
            Section(
                "General",
                [
                    Row("uid", "Ab12Cd34Ef56Gh780000", "code"),
                    Row("size", 2_500_000, "size"),
                    Row("created_at", dt.datetime(2026, 1, 2, 3, 4, 5), "datetime"),
                ],
            ),
            Section(
                "Dataset features",
                children=[
                    Section(
                        "obs",
                        [
                            Row("cell_type", ["T cell", "B cell"], "list", dtype="cat[ULabel]"),
                            Row("n_genes", 2000, "number", dtype="int"),
                        ],
                        note="2 features",
                    )
                ],
            ),
            Section("Labels"),
        ],
        version="3",
    )


SNAPSHOT = """\
Artifact  data/cells.parquet · version 3
├── General
│   ├── uid         Ab12Cd34Ef56Gh780000
│   ├── size        2.5 MB
│   └── created_at  2026-01-02 03:04:05
└── Dataset features
    └── obs  2 features
        ├── cell_type  cat[ULabel]  T cell, B cell
        └── n_genes    int          2000"""


def test_text_snapshot_of_small_tree():
    assert to_text(_small_tree()) == SNAPSHOT


def test_show_empty_lists_empty_sections():
    text = to_text(_small_tree(), show_empty=True)
    assert text.splitlines()[-1] == "└── Labels"
    assert "├── Dataset features" in text


def test_multiline_value_continues_under_value_column():
    tree = DescribeTree(
        "Run",
        sections=[Section("General", [Row("description", "line one\nline two"), Row("uid", "R1")])],
    )
    assert to_text(tree).splitlines()[2:4] == [
        "    ├── description  line one",
        "    │                line two",
    ]


def test_return_str_is_plain_text():
    out = print_tree(_small_tree(), return_str=True)
    assert out == SNAPSHOT and "\x1b" not in out


def test_print_without_terminal_is_plain():
    buf = io.StringIO()
    assert print_tree(_small_tree(), file=buf) is None
    assert buf.getvalue() == SNAPSHOT + "\n"


def test_print_with_colour_uses_ansi_but_same_text():
    buf = io.StringIO()
    print_tree(_small_tree(), file=buf, color=True)
    coloured = buf.getvalue()
    assert "\x1b[" in coloured
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert [x.rstrip() for x in plain.splitlines()] == SNAPSHOT.splitlines()


def test_control_characters_in_values_are_neutralised():
    tree = DescribeTree("Run", sections=[Section("General", [Row("x", "a\x1b[31mred\x07")])])
    text = to_text(tree)
    assert "\x1b" not in text and "\x07" not in text
    assert text.endswith("x  a\ufffd[31mred\ufffd")


def test_labels_with_newlines_stay_on_one_line():
    tree = DescribeTree("Run", "multi\nline", [Section("Gen\neral", [Row("a\nb", 1)])])
    assert to_text(tree) == "Run  multi line\n└── Gen eral\n    └── a b  1"


def test_record_tree_sections_in_order():
    tree = record_tree(
        "Artifact",
        key="k.csv",
        version="1",
        general={"uid": "U", "size": 10, "created_by": "me"},
        storage_path="/s/k.csv",
        transform={"key": "t.py"},
        run={"uid": "R", "started_at": dt.datetime(2026, 1, 1)},
        versions=[{"version": "1", "uid": "U", "current": True}],
        dataset_features={"obs": [("f", "int", 1)]},
        external_features=[("e", "str", "v")],
        labels={"ulabels": ["a"]},
    )
    heads = [line for line in to_text(tree).splitlines() if line[:4] in ("├── ", "└── ")]
    assert [h[4:].split("  ")[0] for h in heads] == [
        "General",
        "Storage",
        "Provenance",
        "Versions",
        "Dataset features",
        "External features",
        "Labels",
    ]
    assert "│   └── run        R · started 2026-01-01 00:00:00" in to_text(tree)


def test_general_section_skips_missing_fields():
    tree = record_tree("Artifact", general={"uid": "U", "description": None, "hash": ""})
    assert to_text(tree) == "Artifact\n└── General\n    └── uid  U"


def test_unknown_row_kind_is_rejected():
    with pytest.raises(InvalidArgument, match="unknown row kind"):
        Row("a", 1, "fancy")


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1.0 kB"),
        (1_234_567, "1.2 MB"),
        (999_960, "1.0 MB"),
        (5 * 10**12, "5.0 TB"),
        (None, ""),
    ],
)
def test_human_size(n, text):
    assert human_size(n) == text


def test_human_size_rejects_negative():
    with pytest.raises(InvalidArgument):
        human_size(-1)


def test_format_datetime_converts_aware_to_utc():
    tz = dt.timezone(dt.timedelta(hours=2))
    assert format_datetime(dt.datetime(2026, 5, 1, 12, 0, tzinfo=tz)) == "2026-05-01 10:00:00 UTC"


def test_format_datetime_passes_unparsable_text():
    assert format_datetime("yesterday") == "yesterday"
    assert format_datetime(dt.date(2026, 5, 1)) == "2026-05-01"


def test_format_value_truncates_long_lists():
    assert format_value(list(range(11))) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (+1 more)"
    assert format_value({"b", "a"}) == "a, b"
    assert format_value(0.1 + 0.2) == "0.3"

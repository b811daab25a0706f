"""Catalog panel commands: pages, sort, filter, columns, selection."""

from __future__ import annotations

from lamin_lab.describe import human_size
from lamin_lab.widgets import Catalog


def _page(panel, **msg):
    return panel._handle({"type": "page", "request_id": 1, **msg})


def test_page_is_newest_first_with_default_columns_and_total(catalog):
    reply = _page(Catalog(), registry="Artifact", offset=0, limit=2)
    assert reply["columns"] == [
        "uid",
        "key",
        "description",
        "kind",
        "suffix",
        "size",
        "version_tag",
        "created_at",
    ]
    assert reply["total"] == 3
    assert [row["cells"][1] for row in reply["rows"]] == ["notes.txt", "pbmc_clean.parquet"]
    nxt = _page(Catalog(), registry="Artifact", offset=2, limit=2)
    assert [row["cells"][1] for row in nxt["rows"]] == ["raw/pbmc.csv"]


def test_sort_by_a_column_both_ways(catalog):
    panel = Catalog()
    up = _page(panel, registry="ULabel", order="name", columns=["name"])
    down = _page(panel, registry="ULabel", order="-name", columns=["name"])
    assert [r["cells"] for r in up["rows"]] == [["B cell"], ["T cell"], ["T helper cell"]]
    assert [r["cells"] for r in down["rows"]] == [["T helper cell"], ["T cell"], ["B cell"]]


def test_filter_text_narrows_the_rows(catalog):
    reply = _page(
        Catalog(), registry="ULabel", filter="name__startswith=T", columns=["name", "description"]
    )
    assert reply["total"] == 2
    assert sorted(r["cells"][0] for r in reply["rows"]) == ["T cell", "T helper cell"]
    assert {r["cells"][1] for r in reply["rows"]} == {"a lymphocyte", ""}


def test_bad_filter_or_sort_column_answers_with_an_error(catalog):
    panel = Catalog()
    assert "field=value" in _page(panel, registry="ULabel", filter="name")["message"]
    assert "no column 'colour'" in _page(panel, registry="ULabel", order="colour")["message"]
    assert _page(panel, registry="ULabel", filter="colour=red")["type"] == "error"


def test_columns_lists_available_and_default(catalog):
    reply = Catalog()._handle({"type": "columns", "registry": "Run"})
    assert "transform_id" in reply["available"] and "params" in reply["available"]
    assert reply["default"] == ["uid", "name", "started_at", "created_at"]


def test_registries_limit_the_tabs(catalog):
    panel = Catalog([catalog.ln.ULabel, "Artifact"])
    assert (panel.registries, panel.registry) == (["ULabel", "Artifact"], "ULabel")
    assert "shows ULabel, Artifact, not Run" in _page(panel, registry="Run")["message"]


def test_row_click_selects_the_record(catalog):
    panel = Catalog()
    panel._handle({"type": "select", "registry": "ULabel", "id": catalog.labels[2].id})
    assert panel.selected == catalog.labels[2]
    assert panel.selection["label"] == "B cell"


def test_foreign_key_columns_show_ids_and_sort(catalog):
    reply = _page(
        Catalog(),
        registry="Artifact",
        columns=["key", "run_id"],
        order="-run_id",
        filter="run__isnull=false",
    )
    assert [r["cells"] for r in reply["rows"]] == [["pbmc_clean.parquet", str(catalog.run.id)]]


def test_sizes_read_as_describe_shows_them_and_sort_by_bytes(ln, catalog):
    panel = Catalog()
    reply = _page(panel, registry="Artifact", order="size", columns=["key", "size"])
    sizes = [row["cells"][1] for row in reply["rows"]]
    assert all(s.endswith((" B", " kB")) for s in sizes), sizes
    raw = [a.size for a in ln.Artifact.filter().order_by("size")]
    assert sizes == [human_size(n) for n in raw]

"""The workbench panels clicked through in JupyterLab, as a person would use them.

One notebook for the module (opened and run once); each test drives one panel and
checks in the kernel what the panel says it picked.
"""

from __future__ import annotations

from playwright.sync_api import expect

from .widget_fixtures import run_code, widget_page  # noqa: F401 - the fixture

NOTEBOOK_CELLS = [
    """
import pandas as pd
src = STORAGE / "src"
src.mkdir()
(src / "pbmc.csv").write_text("cell,count\\nA,1\\nB,2\\n")
transform = ln.Transform(key="prep.py", kind="script").save()
run = ln.Run(transform=transform).save()
raw = ln.Artifact(str(src / "pbmc.csv"), key="raw/pbmc.csv", description="raw counts").save()
clean = ln.Artifact.from_dataframe(pd.DataFrame({"x": [7, 8, 9]}), key="pbmc_clean.parquet",
                                   description="clean table", run=run).save()
run.input_artifacts.add(raw)
clean_v2 = ln.Artifact.from_dataframe(pd.DataFrame({"x": [1]}), key="pbmc_clean.parquet", revises=clean).save()
merge = ln.Run(transform=transform, name="merge").save()
parts = [ln.Artifact.from_dataframe(pd.DataFrame({"part": [i]}), key=f"parts/{i:02d}.parquet").save()
         for i in range(12)]
merge.input_artifacts.add(*parts)
merged = ln.Artifact.from_dataframe(pd.DataFrame({"part": range(12)}), key="merged.parquet", run=merge).save()
for i in range(30):
    ln.ULabel(name=f"label {i:02d}").save()
ln.ULabel(name="T cell", description="a lymphocyte").save()
ln.ULabel(name="T helper cell").save()
from lamin_lab.widgets import Catalog, Describe, Lineage, Lookup, Search
""",
    "search = Search()\nsearch",
    "lookup = Lookup(ln.ULabel)\nlookup",
    "describe = Describe(clean)\ndescribe",
    "lineage = Lineage(clean, depth=1)\nlineage",
    "catalog = Catalog()\ncatalog",
    "merged_lineage = Lineage(merged, depth=2)\nmerged_lineage",
]


def test_search_shows_hits_as_you_type_and_a_click_selects(widget_page):
    page = widget_page
    panel = page.locator(".ll-search").first
    panel.locator("input[type=search]").fill("pbmc")
    # Hits show the description; the two versions of pbmc_clean tie, in the search's own order.
    hit = panel.locator(".ll-hit", has_text="clean table").first
    hit.wait_for()
    assert (
        panel.locator(".ll-hit", has_text="raw/pbmc.csv").locator(".ll-badge").inner_text()
        == "Artifact"
    )
    assert "pbmc_clean.parquet" in hit.inner_text()
    hit.click()
    assert "SEL pbmc_clean.parquet" in run_code(
        page, "print('SEL', search.selected.key)", expect="SEL"
    )
    hits = panel.locator(".ll-hit .ll-name").all_inner_texts()
    assert sorted(hits) == ["pbmc_clean.parquet", "pbmc_clean.parquet", "raw/pbmc.csv"]


def test_search_says_when_nothing_matches(widget_page):
    panel = widget_page.locator(".ll-search").first
    panel.locator("input[type=search]").fill("qqqzzzxxx")
    status = panel.locator(".ll-status-empty")
    status.wait_for()
    assert status.inner_text() == "No results for “qqqzzzxxx”."
    assert panel.locator(".ll-hit").count() == 0


def test_lookup_arrows_and_enter_choose_the_value(widget_page):
    page = widget_page
    panel = page.locator(".ll-lookup").first
    box = panel.locator("input")
    box.click()
    box.fill("T")
    panel.locator('.ll-suggestions[data-q="T"]').wait_for(state="attached")  # not the on-focus list
    expect(panel.locator(".ll-suggestion .ll-name")).to_have_text(["T cell", "T helper cell"])
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("Enter")
    panel.locator(".ll-chosen", has_text="Chosen: T helper cell").wait_for()
    assert "VALUE T helper cell" in run_code(
        page, "print('VALUE', lookup.value.name)", expect="VALUE"
    )


def test_describe_sections_expand_and_the_preview_loads(widget_page):
    panel = widget_page.locator(".ll-describe").first
    assert panel.locator(".ll-header").inner_text().endswith("pbmc_clean.parquet · version 0000")
    versions = panel.locator("details[data-section=Versions]")
    assert versions.evaluate("d => d.open") is False
    versions.locator("summary").click()
    assert versions.evaluate("d => d.open") is True
    assert "this one" in versions.inner_text()
    preview = panel.locator("details.ll-preview")
    preview.locator("summary").click()
    table = preview.locator("table.ll-table")
    table.wait_for()
    assert table.locator("th").all_inner_texts() == ["x"]
    assert table.locator("td").all_inner_texts() == ["7", "8", "9"]


def test_lineage_expands_a_node_and_a_click_selects_it(widget_page):
    page = widget_page
    panel = page.locator(".ll-lineage").first
    nodes = panel.locator("g.ll-node")
    assert sorted(nodes.evaluate_all("gs => gs.map(g => g.dataset.kind)")) == ["artifact", "run"]
    assert panel.locator("g.ll-focus").locator("text").first.text_content() == "pbmc_clean.parquet"
    panel.locator("g.ll-kind-run").click()
    panel.locator("button.ll-expand-up").click()
    raw = panel.locator("g.ll-node", has_text="raw/pbmc.csv")
    raw.wait_for()
    assert nodes.count() == 3
    raw.click()
    assert "PICKED raw/pbmc.csv" in run_code(
        page, "print('PICKED', lineage.selected.key)", expect="PICKED"
    )


def test_catalog_pages_sorts_and_filters(widget_page):
    page = widget_page
    panel = page.locator(".ll-catalog").first
    panel.locator(".ll-tab[data-registry=ULabel]").click()
    info = panel.locator(".ll-page-info")
    info.filter(has_text="of 32").wait_for()
    assert info.inner_text() == "1–20 of 32"
    panel.locator("button.ll-next").click()
    info.filter(has_text="21–32").wait_for()
    assert panel.locator("tbody tr").count() == 12
    name_header = panel.locator("th[data-column=name]")
    name_header.click()
    info.filter(has_text="1–20").wait_for()
    panel.locator("tbody tr").first.filter(has_text="T cell").wait_for()
    name_header.click()
    panel.locator("tbody tr").first.filter(has_text="label 29").wait_for()
    panel.locator(".ll-filter").fill("name__startswith=T")
    info.filter(has_text="of 2").wait_for()
    panel.locator("tbody tr", has_text="T helper cell").click()
    assert "ROW T helper cell" in run_code(
        page, "print('ROW', catalog.selected.name)", expect="ROW"
    )


def test_lineage_exports_dot_as_a_download(widget_page, tmp_path):
    panel = widget_page.locator(".ll-lineage").first
    with widget_page.expect_download() as info:
        panel.locator("button.ll-export-dot").click()
    download = info.value
    assert download.suggested_filename == "lineage.dot"
    target = tmp_path / "lineage.dot"
    download.save_as(target)
    text = target.read_text()
    assert text.startswith("digraph") and "pbmc_clean.parquet" in text and "raw/pbmc.csv" in text


def test_describe_switches_versions(widget_page):
    page = widget_page
    panel = page.locator(".ll-describe").first
    versions = panel.locator("select.ll-versions")
    assert versions.locator("option").count() == 2
    versions.select_option(index=1)
    panel.locator(".ll-header", has_text="version 0001").wait_for()
    assert "NOW 0001" in run_code(page, "print('NOW', describe.record.version)", expect="NOW")


def test_lineage_group_opens_and_the_wheel_zooms(widget_page):
    panel = widget_page.locator(".ll-lineage").nth(1)
    cluster = panel.locator("g.ll-kind-cluster")
    cluster.wait_for()
    assert cluster.locator("text").first.text_content() == "12 artifacts"
    before = panel.locator("svg.ll-graph").get_attribute("viewBox")
    panel.locator("svg.ll-graph").hover()
    widget_page.mouse.wheel(0, -300)
    expect(panel.locator("svg.ll-graph")).not_to_have_attribute("viewBox", before)
    cluster.click()
    panel.locator("button.ll-expand-group").click()
    expect(panel.locator("g.ll-kind-artifact")).to_have_count(13)
    assert panel.locator("g.ll-kind-cluster").count() == 0

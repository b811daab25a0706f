"""The panels read well in a live JupyterLab: measured in Chromium, not eyeballed.

Lineage labels are at least 11 px on screen at "Fit" (a graph too large for that is
shown in part, around its focus, with a hint), links between adjacent columns are
level; Catalog sizes read "46.9 kB" as Describe shows them and no column is cut; long
keys wrap after "/", "_" or "." in the Catalog, the Describe panel and the sidebar's
describe pane.
"""

from __future__ import annotations

import re
from collections import Counter

from playwright.sync_api import expect

from .labext_fixtures import PANEL, open_sidebar, search
from .widget_fixtures import run_code, widget_page  # noqa: F401 - the fixture

KEY = "experiments/2026_december/pbmc_68k_donor_batch.filtered_counts_normalised_log1p.csv"
MIN_PX = 11

NOTEBOOK_CELLS = [
    f"""
import pandas as pd
from lamin_lab.lineage import LineageGraph, Node
from lamin_lab.widgets import Catalog, Describe, Lineage
src = STORAGE / "src"
src.mkdir()
(src / "raw.csv").write_text("cell,count\\nA,1\\n")
(src / "counts.csv").write_bytes(b"x" * 46_900)  # 46.9 kB
run = ln.Run(transform=ln.Transform(key="prep.py", kind="script").save()).save()
raw = ln.Artifact(str(src / "raw.csv"), key="raw/pbmc.csv").save()
run.input_artifacts.add(raw)
counts = ln.Artifact(str(src / "counts.csv"), key={KEY!r}, description="counts", run=run).save()
train = ln.Run(transform=ln.Transform(key="train.py", kind="script").save()).save()
train.input_artifacts.add(counts)
for i, name in enumerate(("model", "report")):  # different content, or the second is the first
    ln.Artifact.from_dataframe(pd.DataFrame({{"x": [i]}}), key=f"{{name}}.parquet", run=train).save()
big = LineageGraph(
    [Node(f"artifact:in{{i:02d}}", label=f"inputs/sample_{{i:02d}}.h5ad", sublabel="version 0000")
     for i in range(60)]
    + [Node("run:merge", label="merge.py", sublabel="2026-01-01 10:00"),
       Node("artifact:out", label="merged.h5ad", sublabel="version 0000")],
    [(f"artifact:in{{i:02d}}", "run:merge") for i in range(60)] + [("run:merge", "artifact:out")],
    focus=["artifact:out"],
)
""",
    "lineage = Lineage(counts, depth=2)\nlineage",
    "big_lineage = Lineage(graph=big)\nbig_lineage",
    "catalog = Catalog()\ncatalog",
    "describe = Describe(counts)\ndescribe",
]

# Screen size of each SVG text: its font size times the current zoom of the drawing.
TEXT_PX = """svg => Array.from(svg.querySelectorAll('text')).map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""

# The text of an element split where the browser broke its lines (per-character boxes).
LINES = """el => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const lines = [];
    let line = "", top = null;
    while (walker.nextNode()) {
        const node = walker.currentNode;
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect) continue;
            if (top !== null && rect.top > top + 2) { lines.push(line); line = ""; }
            if (top === null || rect.top > top + 2) top = rect.top;
            line += node.data[i];
        }
    }
    lines.push(line);
    return lines;
}"""


def _lineage(page, index):
    panel = page.locator(".ll-lineage").nth(index)
    panel.locator("g.ll-node").first.wait_for()
    return panel


def _assert_in_view(panel) -> None:
    view = panel.locator("svg.ll-graph").bounding_box()
    focus = panel.locator("g.ll-focus").bounding_box()
    assert view["x"] <= focus["x"] and focus["x"] + focus["width"] <= view["x"] + view["width"]
    assert view["y"] <= focus["y"] and focus["y"] + focus["height"] <= view["y"] + view["height"]


def _assert_wraps_at_separators(lines: list[str], text: str) -> None:
    assert "".join(lines) == text
    assert len(lines) >= 2, "the value should wrap in this width"
    for line in lines[:-1]:
        assert line[-1] in "/_.", f"a line break inside a name: {lines}"


def test_lineage_labels_are_at_least_11_px_at_fit(widget_page):
    panel = _lineage(widget_page, 0)
    panel.locator("button.ll-fit").click()
    sizes = panel.locator("svg.ll-graph").evaluate(TEXT_PX)
    assert len(sizes) >= 6  # a label for each of the six nodes, sublabels for the runs
    assert min(sizes) >= MIN_PX
    _assert_in_view(panel)  # the record the graph is about, whether the graph fits or not


def test_lineage_links_between_adjacent_columns_are_level(widget_page):
    # raw → prep → counts → train → (model, report): every link but the last two is one-to-one
    panel = _lineage(widget_page, 0)
    edges = panel.locator("path.ll-edge").evaluate_all(
        "ps => ps.map(p => [p.dataset.source, p.dataset.target, p.getAttribute('d')])"
    )
    assert len(edges) == 5
    outs = Counter(s for s, _, _ in edges)
    ins = Counter(t for _, t, _ in edges)
    one_to_one = [d for s, t, d in edges if outs[s] == 1 and ins[t] == 1]
    assert len(one_to_one) == 3
    for d in one_to_one:
        ys = [float(y) for y in re.findall(r"[\d.]+,([\d.]+)", d)]
        assert len(ys) == 2 and abs(ys[0] - ys[1]) < 0.5, d


def test_a_large_lineage_fits_a_readable_part_around_the_focus_and_says_so(widget_page):
    panel = _lineage(widget_page, 1)
    panel.locator("button.ll-fit").click()
    svg = panel.locator("svg.ll-graph")
    assert min(svg.evaluate(TEXT_PX)) >= MIN_PX
    hint = panel.locator(".ll-hint")
    expect(hint).to_be_visible()
    assert "merged.h5ad" in hint.inner_text()
    _assert_in_view(panel)


def test_catalog_shows_sizes_as_describe_does(widget_page):
    catalog = widget_page.locator(".ll-catalog").first
    row = catalog.locator("tbody tr", has_text="counts")
    row.wait_for()
    columns = catalog.locator("thead th").evaluate_all("ths => ths.map(th => th.dataset.column)")
    size_cell = row.locator("td").nth(columns.index("size"))
    assert size_cell.text_content() == "46.9 kB"
    assert size_cell.evaluate(LINES) == ["46.9 kB"]  # short cells stay on one line
    describe = widget_page.locator(".ll-describe").first
    size_row = describe.locator("tr", has=widget_page.locator("td.ll-label", has_text="size"))
    assert size_row.locator("td").last.text_content() == "46.9 kB"


def test_catalog_cuts_no_column_and_wraps_long_keys_at_separators(widget_page):
    catalog = widget_page.locator(".ll-catalog").first
    catalog.locator("tbody tr", has_text="counts").wait_for()
    cut = catalog.locator("th, td").evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent)"
    )
    assert cut == []
    wrap = catalog.locator(".ll-table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")  # nothing hidden to the right
    key_cell = catalog.locator("tbody td", has_text="pbmc_68k").first
    _assert_wraps_at_separators(key_cell.evaluate(LINES), KEY)


def test_describe_panel_wraps_long_keys_at_separators(widget_page):
    describe = widget_page.locator(".ll-describe").first
    describe.evaluate("d => { d.style.width = '360px'; }")  # as narrow as a side panel
    try:
        value = describe.locator("td", has_text="pbmc_68k").last
        _assert_wraps_at_separators(value.evaluate(LINES), KEY)
    finally:
        describe.evaluate("d => { d.style.width = ''; }")


def test_sidebar_describe_pane_wraps_long_keys_at_separators(widget_page):
    page = widget_page
    open_sidebar(page)
    search(page, "pbmc_68k")
    hit = page.locator(f"{PANEL} .jp-LaminLab-hit", has_text="counts").first
    hit.click()
    pane = page.locator(f"{PANEL} .jp-LaminLab-describe")
    value = pane.locator("td", has_text="pbmc_68k").first
    value.wait_for()
    _assert_wraps_at_separators(value.evaluate(LINES), KEY)

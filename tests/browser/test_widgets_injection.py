"""Database strings that look like HTML/JS show as text in every panel and never run.

Also walks the Workbench as a person would: search, click a hit (Describe opens),
the Lineage and Catalog tabs.
"""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from .widget_fixtures import widget_page  # noqa: F401 - the fixture

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"

NOTEBOOK_CELLS = [
    f"""
IMG = {IMG!r}
SCRIPT = {SCRIPT!r}
src = STORAGE / "src"
src.mkdir()
(src / "evil.csv").write_text("a,b\\n1,2\\n")
label = ln.ULabel(name=IMG, description=SCRIPT).save()
transform = ln.Transform(key=SCRIPT, kind="script", description=IMG).save()
run = ln.Run(transform=transform, name=IMG).save()
evil = ln.Artifact(str(src / "evil.csv"), key="evil/" + IMG + ".csv", description=SCRIPT, run=run).save()
from lamin_lab.widgets import Lookup, Workbench
""",
    "wb = Workbench()\nwb",
    "lookup = Lookup(ln.ULabel)\nlookup",
]


def _open_tab(page, title):
    page.locator(".widget-tab .lm-TabBar-tab", has_text=title).first.click()


def _assert_not_pwned(page):
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.locator(".ll-panel img[src=x], .ll-panel script").count() == 0


def test_search_hits_and_describe_show_markup_as_text(widget_page):
    page = widget_page
    search = page.locator(".ll-search").first
    search.locator("input[type=search]").fill("onerror")
    hit = search.locator(".ll-hit[data-registry=ULabel]")
    hit.wait_for()
    names = search.locator(".ll-hit .ll-name").all_inner_texts()
    assert sorted(names) == sorted(
        [IMG, IMG, SCRIPT, f"evil/{IMG}.csv"]
    )  # label, run, transform, artifact
    assert hit.locator(".ll-name").inner_text() == IMG
    assert hit.locator(".ll-desc").inner_text() == SCRIPT
    hit.click()
    describe = page.locator(".ll-describe").first
    describe.locator(".ll-header", has_text=IMG).wait_for()  # the Workbench switched to Describe
    assert describe.locator("td", has_text=SCRIPT).count() >= 1
    _assert_not_pwned(page)


def test_lineage_and_catalog_show_markup_as_text(widget_page):
    page = widget_page
    _open_tab(page, "Search")
    search = page.locator(".ll-search").first
    search.locator("input[type=search]").fill("evil")
    hit = search.locator(".ll-hit", has_text="evil/").first
    hit.wait_for()
    # Under load the list can be redrawn by a late reply while it is clicked: wait until the
    # pick reached the Workbench (it switches to Describe), as a person would see it did.
    describe = page.locator(".ll-describe").first
    for attempt in range(3):
        hit.click()
        try:
            describe.locator(".ll-header", has_text="evil/").wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    _open_tab(page, "Lineage")
    lineage = page.locator(".ll-lineage").first
    run_node = lineage.locator("g.ll-kind-run")
    run_node.wait_for()
    assert run_node.locator("title").text_content().startswith("run: " + SCRIPT)
    focus = lineage.locator("g.ll-focus title").text_content()
    assert focus.startswith(f"artifact: evil/{IMG}.csv")
    _open_tab(page, "Catalog")
    catalog = page.locator(".ll-catalog").first
    catalog.locator(".ll-tab[data-registry=ULabel]").click()
    expect(catalog.locator("th").first).to_have_text("uid")
    cells = catalog.locator("tbody td", has_text=IMG)
    cells.first.wait_for()
    assert catalog.locator("tbody td", has_text=SCRIPT).count() == 1
    _assert_not_pwned(page)


def test_lookup_suggests_markup_as_text(widget_page):
    page = widget_page
    lookup = page.locator(".ll-lookup").first
    box = lookup.locator("input")
    box.click()
    box.fill("<img")
    lookup.locator('.ll-suggestions[data-q="<img"]').wait_for(
        state="attached"
    )  # not the on-focus list
    expect(lookup.locator(".ll-suggestion .ll-name")).to_have_text([IMG])
    box.press("ArrowDown")
    box.press("Enter")
    lookup.locator(".ll-chosen", has_text="Chosen: " + IMG).wait_for()
    _assert_not_pwned(page)

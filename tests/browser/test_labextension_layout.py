"""The sidebar's text as a person sees it: long names cut with an ellipsis, uids and hashes whole.

A hit whose name is longer than the sidebar shows one line ending in "…" with the whole
name as its tooltip; in the describe pane a uid or a hash never wraps inside itself (it
moves below its label instead), while a long key wraps only after ``/``, ``_`` or ``.``.
"""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from .labext_fixtures import (  # noqa: F401 - fixtures
    PANEL,
    lab_page,
    open_sidebar,
    run_in_lab_home,
    screenshot_folder,
    search,
    seeded,
)

HITS = f"{PANEL} .jp-LaminLab-hit"
DETAILS = f"{PANEL} .jp-LaminLab-details"
LONG_KEY = (
    "experiments/2026_spring/very_long_folder_name_for_sequencing_runs/sample_0042_filtered.csv"
)

ADD = f"""
import json, sys
from pathlib import Path
import lamin_lab as ln
ln.settings.verbosity = "warning"
path = Path(sys.argv[1]) / "long.csv"
path.write_text("a\\n1\\n")
artifact = ln.Artifact(str(path), key={LONG_KEY!r}, description="zzlong " * 20).save()
print("ADD-OUT" + json.dumps({{"uid": artifact.uid, "hash": artifact.hash}}))
"""


@pytest.fixture(scope="module")
def long_named(lab_server, seeded, tmp_path_factory) -> dict:
    """An artifact with a key and a description far longer than the sidebar is wide."""
    folder = tmp_path_factory.mktemp("long_named")
    return run_in_lab_home(lab_server, ADD, str(folder), "ADD-OUT")


# Boxes of an element's text, one per line it takes on screen.
LINES_OF_TEXT = """(node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
    return tops.size;
}"""


def _long_hit(page, uid):
    open_sidebar(page)
    search(page, "zzlong")
    expect(page.locator(HITS)).to_have_count(1)  # the hits of this search, not an earlier list
    hit = page.locator(f'{HITS}[data-uid="{uid}"]')
    expect(hit).to_be_visible()
    return hit


def test_a_long_hit_name_is_one_line_ending_in_an_ellipsis(lab_page, long_named):
    name = _long_hit(lab_page, long_named["uid"]).locator(".jp-LaminLab-name")
    seen = name.evaluate(
        """(node) => {
            const css = getComputedStyle(node);
            const hit = node.closest('.jp-LaminLab-hit').getBoundingClientRect();
            const box = node.getBoundingClientRect();
            return {overflow: css.textOverflow, wrap: css.whiteSpace, cut: node.scrollWidth > node.clientWidth,
                    inside: box.right <= hit.right + 0.5, height: box.height,
                    lineHeight: parseFloat(css.lineHeight) || parseFloat(css.fontSize) * 1.4};
        }"""
    )
    assert seen["overflow"] == "ellipsis" and seen["wrap"] == "nowrap"
    assert seen["cut"] and seen["inside"]  # cut at the hit's right edge, not spilling over
    assert seen["height"] < 1.6 * seen["lineHeight"]  # one line
    assert name.evaluate(LINES_OF_TEXT) == 1


def test_a_long_hit_name_and_description_have_their_full_text_as_tooltip(lab_page, long_named):
    hit = _long_hit(lab_page, long_named["uid"])
    assert hit.locator(".jp-LaminLab-name").get_attribute("title") == LONG_KEY
    assert hit.locator(".jp-LaminLab-desc").get_attribute("title") == "zzlong " * 20
    assert hit.locator(".jp-LaminLab-desc").evaluate(LINES_OF_TEXT) == 1


def _describe_cell(page, text):
    return page.locator(f"{DETAILS} .jp-LaminLab-describe td", has_text=text).first


def test_uid_and_hash_in_the_describe_pane_never_break_inside(lab_page, long_named):
    _long_hit(lab_page, long_named["uid"]).click()
    lab_page.locator(PANEL).screenshot(
        path=str(screenshot_folder() / "labext_sidebar_long_names.png")
    )
    for value in (long_named["uid"], long_named["hash"]):
        cell = _describe_cell(lab_page, value)
        expect(cell).to_be_visible()
        assert cell.inner_text() == value
        assert cell.evaluate(LINES_OF_TEXT) == 1, f"{value} is broken across lines"
        wraps = cell.evaluate("(node) => getComputedStyle(node).overflowWrap")
        assert wraps == "normal"


def test_a_long_key_in_the_describe_pane_wraps_only_after_separators(lab_page, long_named):
    _long_hit(lab_page, long_named["uid"]).click()
    cell = _describe_cell(lab_page, "sample_0042")
    expect(cell).to_be_visible()
    # the text of each line on screen: every line but the last ends at a / _ or .
    lines = cell.evaluate(
        """(node) => {
            const range = document.createRange(); const text = node.textContent; const out = [];
            let top = null, start = 0;
            for (let i = 0; i < text.length; i++) {
                const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT); let n, k = i;
                while ((n = walker.nextNode()) && k >= n.length) k -= n.length;
                range.setStart(n, k); range.setEnd(n, k + 1);
                const t = Math.round(range.getBoundingClientRect().top);
                if (top !== null && t > top + 2) { out.push(text.slice(start, i)); start = i; }
                top = t;
            }
            out.push(text.slice(start)); return out;
        }"""
    )
    assert "".join(lines) == LONG_KEY
    assert len(lines) > 1  # the sidebar is narrower than the key
    assert all(line[-1] in "/_." for line in lines[:-1]), lines


def test_the_insert_code_line_keeps_the_uid_whole(lab_page, long_named):
    _long_hit(lab_page, long_named["uid"]).click()
    code = lab_page.locator(f"{DETAILS} .jp-LaminLab-code")
    expect(code).to_have_text(f'ln.Artifact.get("{long_named["uid"]}")')
    uid = long_named["uid"]
    seen = code.evaluate(
        """(node, uid) => {
            const text = Array.from(node.childNodes).find(n => n.nodeType === 3 && n.data.includes(uid));
            const range = document.createRange();
            range.setStart(text, text.data.indexOf(uid)); range.setEnd(text, text.data.indexOf(uid) + uid.length);
            const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
            return {uidLines: tops.size, cut: node.scrollWidth > node.clientWidth + 1};
        }""",
        uid,
    )
    assert seen == {"uidLines": 1, "cut": False}  # all of it shown, the uid on one line
    assert code.get_attribute("title") == f'ln.Artifact.get("{long_named["uid"]}")'

"""The lineage panel after expands: what each click adds is drawn where the kernel laid it out,
and a view opened later (the panel shown again) catches up with the expands it missed.
"""

from __future__ import annotations

import json

from playwright.sync_api import expect

from .widget_fixtures import run_code, widget_page  # noqa: F401 - the fixture

NOTEBOOK_CELLS = [
    """
import pandas as pd
transform = ln.Transform(key="prep.py", kind="script").save()
run = ln.Run(transform=transform).save()
raw = ln.Artifact.from_dataframe(pd.DataFrame({"x": [1]}), key="raw.parquet").save()
run.input_artifacts.add(raw)
clean = ln.Artifact.from_dataframe(pd.DataFrame({"x": [2]}), key="clean.parquet", run=run).save()
from lamin_lab.widgets import Lineage
""",
    "lineage = Lineage(clean, depth=0)\nlineage",
]


def _expand_up(panel, kind, count):
    panel.locator(f"g.ll-kind-{kind}").first.click()
    panel.locator("button.ll-expand-up").click()
    expect(panel.locator("g.ll-node")).to_have_count(count)


def _drawn(panel):
    """Node id → [x, y] of its group, as drawn (its translate())."""
    return dict(
        panel.locator("g.ll-node").evaluate_all(
            "gs => gs.map(g => [g.dataset.id, g.getAttribute('transform').match(/[-\\d.]+/g).map(Number)])"
        )
    )


def test_expands_draw_each_node_where_the_kernel_put_it(widget_page):
    page = widget_page
    panel = page.locator(".ll-lineage").first
    _expand_up(panel, "artifact", 2)  # the run that made clean.parquet
    _expand_up(panel, "run", 3)  # and its input
    out = run_code(
        page,
        "import json\nprint('AT', json.dumps({'at': {n['id']: [n['x'], n['y']]"
        " for n in lineage.drawn['nodes']}, 'versions': [lineage.graph_data['version'],"
        " lineage.drawn['version']]}))",
        expect="AT",
    )
    kernel = json.loads(out.removeprefix("AT "))
    assert kernel["versions"] == [1, 3]  # the page got the graph once, then two deltas
    assert _drawn(panel) == kernel["at"]


def test_the_panel_shown_again_catches_up_with_the_expands(widget_page):
    page = widget_page
    run_code(page, "print('AGAIN')\nlineage", expect="AGAIN")
    again = page.locator(".ll-lineage").last
    expect(again.locator("g.ll-node")).to_have_count(3)
    assert _drawn(again) == _drawn(page.locator(".ll-lineage").first)
    assert again.locator("g.ll-node", has_text="raw.parquet").count() == 1
    # it had the first drawing and the last delta only: it asked for the whole graph again
    assert "WHOLE 3" in run_code(
        page, "print('WHOLE', lineage.graph_data['version'])", expect="WHOLE"
    )

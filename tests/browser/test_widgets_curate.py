"""The Curate panel clicked through in JupyterLab: fix a messy DataFrame and save it.

One notebook for the module; the tests run in order on the same kernel (the first one
fixes and saves ``messy``, the injection check uses its own panel).
"""

from __future__ import annotations

from playwright.sync_api import expect

from .widget_fixtures import run_code, set_theme, widget_page  # noqa: F401 - the fixture

IMG = "<img src=x onerror=window.__pwned=1>"

NOTEBOOK_CELLS = [
    f"""
import pandas as pd
from lamin_lab.widgets import Curate
pert = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
temp = ln.Feature(name="temperature", dtype=float).save()
ln.ULabel.from_values(["IFNG", "DMSO"], create=True).save()
schema = ln.Schema(name="perturbations", features=[pert, temp]).save()
messy = pd.DataFrame({{"perturbation": ["IFNG", "IFNJ", "DMSO", "aspirin"], "temperature": [21.5, 22.0, 23.0, 24.0]}})
evil = pd.DataFrame({{"perturbation": ["IFNG", {IMG!r}], "temperature": [1.0, 2.0]}})
""",
    "panel = Curate(messy, schema)\npanel",
    "evil_panel = Curate(evil, schema)\nevil_panel",
    'many = pd.DataFrame({"perturbation": [f"drug {i:05d}" for i in range(10_000)], "temperature": 1.0})\n'
    "many_panel = Curate(many, schema)\nmany_panel",
    "from lamin_lab.widgets import Workbench\nwb = Workbench()\nwb",
]


def _states(panel):
    return dict(
        zip(
            panel.locator(".ll-curate-column .ll-name").all_inner_texts(),
            panel.locator(".ll-curate-column").evaluate_all(
                "rows => rows.map(r => r.dataset.state)"
            ),
            strict=True,
        )
    )


def test_a_person_fixes_a_messy_dataframe_and_saves_it(widget_page):
    page = widget_page
    panel = page.locator(".ll-curate").first
    expect(panel.locator(".ll-curate-column")).to_have_count(2)
    assert _states(panel) == {"perturbation": "invalid", "temperature": "valid"}
    panel.locator(".ll-curate-column[data-key=perturbation]").click()
    ifnj = panel.locator(".ll-curate-value[data-value=IFNJ]")
    expect(ifnj.locator(".ll-value")).to_have_text("IFNJ")
    expect(ifnj.locator(".ll-accept")).to_have_text(["Accept “IFNG”"])
    ifnj.locator(".ll-accept").click()
    expect(panel.locator(".ll-curate-note")).to_have_text(
        "Replaced 'IFNJ' by 'IFNG' in 'perturbation'."
    )
    expect(panel.locator(".ll-curate-value")).to_have_count(1)
    aspirin = panel.locator(".ll-curate-value[data-value=aspirin]")
    expect(aspirin.locator(".ll-muted")).to_have_text("no close match")
    panel.locator(".ll-curate-save").click()  # not yet valid: nothing is saved, the panel says why
    expect(panel.locator(".ll-curate-note")).to_contain_text(
        "Not saved: 'perturbation' has 1 value"
    )
    aspirin.locator(".ll-create").click()
    expect(panel.locator(".ll-curate-summary")).to_contain_text("All columns validated")
    assert set(_states(panel).values()) == {"valid"}
    assert panel.locator(".ll-state-valid").count() == 2
    panel.locator(".ll-curate-key").fill("curated/perturbations.parquet")
    panel.locator(".ll-curate-description").fill("fixed in the panel")
    panel.locator(".ll-curate-save").click()
    expect(panel.locator(".ll-curate-saved")).to_contain_text("curated/perturbations.parquet")
    out = run_code(
        page,
        "print('KEY', panel.value.key, panel.value.uid, panel.value.schema.name)",
        expect="KEY",
    )
    uid = panel.locator(".ll-curate-uid").inner_text()
    assert out.strip() == f"KEY curated/perturbations.parquet {uid} perturbations"
    out = run_code(page, "print('DATA', list(messy['perturbation']))", expect="DATA")
    assert out.strip() == "DATA ['IFNG', 'IFNG', 'DMSO', 'aspirin']"


def test_the_panel_works_from_the_keyboard(widget_page):
    page = widget_page
    panel = page.locator(".ll-curate").nth(1)
    expect(panel.locator(".ll-curate-column")).to_have_count(2)
    panel.locator(".ll-curate-column[data-key=perturbation]").focus()
    page.keyboard.press("Enter")
    value = panel.locator(".ll-curate-value")
    expect(value).to_have_count(1)
    value.locator(".ll-create").focus()
    expect(value.locator(".ll-create")).to_be_focused()


def test_markup_in_a_value_shows_as_text(widget_page):
    page = widget_page
    panel = page.locator(".ll-curate").nth(1)
    panel.locator(".ll-curate-column[data-key=perturbation]").click()
    value = panel.locator(".ll-curate-value .ll-value")
    expect(value).to_have_text(IMG)
    panel.locator(".ll-curate-key").fill("evil.parquet")
    panel.locator(".ll-curate-key").press("Enter")
    expect(panel.locator(".ll-curate-note")).to_contain_text(
        IMG
    )  # the refusal names the value, as text
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.locator(".ll-panel img, .ll-panel script").count() == 0


def test_ten_thousand_invalid_values_page(widget_page):
    panel = widget_page.locator(".ll-curate").nth(2)
    panel.locator(".ll-curate-column[data-key=perturbation]").click()
    expect(panel.locator(".ll-page-info")).to_have_text("1–20 of 10000")
    expect(panel.locator(".ll-curate-value")).to_have_count(20)
    panel.locator(".ll-next").click()
    expect(panel.locator(".ll-page-info")).to_have_text("21–40 of 10000")
    expect(panel.locator(".ll-curate-value .ll-value").first).to_have_text("drug 00020")
    expect(panel.locator(".ll-create-all")).to_have_text("Create 10000 ULabel labels")
    first = panel.locator(".ll-curate-value[data-value='drug 00020'] .ll-create")
    first.focus()
    widget_page.keyboard.press("Enter")  # create a label from the keyboard: focus stays in the list
    expect(panel.locator(".ll-curate-value .ll-value").first).to_have_text("drug 00021")
    expect(panel.locator(".ll-curate-value[data-value='drug 00021'] button").first).to_be_focused()
    expect(panel.locator(".ll-page-info")).to_have_text("21–40 of 9999")


def test_the_workbench_curate_tab_explains_how_to_load_data(widget_page):
    page = widget_page
    page.locator(".widget-tab .lm-TabBar-tab", has_text="Curate").first.click()
    help_text = page.locator(".ll-curate-help").last
    expect(help_text).to_be_visible()
    expect(help_text).to_contain_text("wb.curate.load(df, schema)")
    run_code(
        page,
        "wb.curate.load(messy, schema)\nprint('LOADED', wb.curate.loaded)",
        expect="LOADED True",
    )
    expect(help_text).to_be_hidden()
    panel = page.locator(".ll-curate").last
    expect(panel.locator(".ll-curate-summary")).to_contain_text(
        "All columns validated"
    )  # messy was fixed above


def test_screenshots_light_and_dark(widget_page, tmp_path_factory):
    page = widget_page
    folder = tmp_path_factory.mktemp("curate_shots")
    for dark in (False, True):
        set_theme(page, dark=dark)
        for index, name in enumerate(("saved", "invalid", "paged")):
            panel = page.locator(".ll-curate").nth(index)
            panel.scroll_into_view_if_needed()
            path = folder / f"curate_{name}_{'dark' if dark else 'light'}.png"
            panel.screenshot(path=str(path))
            assert path.stat().st_size > 5_000
    set_theme(page, dark=False)

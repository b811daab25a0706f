"""The lamin_lab JupyterLab extension, clicked through in a real JupyterLab.

Sidebar tab → search as you type → a hit → its describe tree; markup stored in the
database stays text; "Open in notebook" inserts the record's code; the Workbench
command opens a notebook with the Workbench cells.
"""

from __future__ import annotations

from playwright.sync_api import expect

from .labext_fixtures import (  # noqa: F401 - fixtures
    IMG,
    PANEL,
    SCRIPT,
    TAB,
    lab_page,
    open_sidebar,
    screenshot_folder,
    search,
    seeded,
)

HITS = f"{PANEL} .jp-LaminLab-hit"
DETAILS = f"{PANEL} .jp-LaminLab-details"


def _not_pwned(page) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.locator(f"{PANEL} img, {PANEL} script").count() == 0


def test_sidebar_shows_the_current_instance(lab_page, seeded):
    panel = open_sidebar(lab_page)
    expect(panel.locator(".jp-LaminLab-instanceName")).to_have_text(seeded["instance"])
    expect(panel.locator(".jp-LaminLab-counts")).to_contain_text("1 artifact")
    # with an empty search box: the most recent records
    expect(panel.locator(".jp-LaminLab-hit").first).to_be_visible()


def test_search_as_you_type_and_describe_a_hit(lab_page, seeded):
    page = lab_page
    open_sidebar(page)
    search(page, "pbmc")
    hit = page.locator(f'{HITS}[data-uid="{seeded["artifact"]}"]')
    expect(hit.locator(".jp-LaminLab-badge")).to_have_text("Artifact")
    expect(hit.locator(".jp-LaminLab-name")).to_have_text("data/pbmc.csv")
    expect(hit.locator(".jp-LaminLab-desc")).to_have_text("PBMC cell types")
    expect(hit.locator(".jp-LaminLab-version")).to_have_text("0000")
    expect(page.locator(HITS)).to_have_count(1)
    hit.click()
    describe = page.locator(f"{DETAILS} .jp-LaminLab-describe")
    expect(describe).to_contain_text("General")
    expect(describe).to_contain_text(seeded["artifact"])
    expect(page.locator(f"{DETAILS} .jp-LaminLab-code")).to_have_text(
        f'ln.Artifact.get("{seeded["artifact"]}")'
    )


def test_markup_from_the_database_shows_as_text(lab_page, seeded):
    page = lab_page
    open_sidebar(page)
    search(page, "onerror")
    hit = page.locator(f'{HITS}[data-uid="{seeded["label"]}"]')
    expect(hit.locator(".jp-LaminLab-name")).to_have_text(IMG)
    expect(hit.locator(".jp-LaminLab-desc")).to_have_text(SCRIPT)
    hit.click()
    expect(page.locator(f"{DETAILS} .jp-LaminLab-detailsHead .jp-LaminLab-name")).to_have_text(IMG)
    expect(page.locator(f"{DETAILS} .jp-LaminLab-describe")).to_contain_text(IMG)
    page.locator(f"{PANEL} .jp-LaminLab-refresh").click()  # the list reloads, the selection stays
    expect(page.locator(f'{HITS}.jp-mod-selected[data-uid="{seeded["label"]}"]')).to_be_visible()
    page.screenshot(path=str(screenshot_folder() / "labext_sidebar.png"))
    _not_pwned(page)


def test_open_in_notebook_inserts_the_record_code(lab_page, seeded):
    page = lab_page
    page.evaluate(
        "() => window.jupyterapp.commands.execute('notebook:create-new', {kernelName: 'python3'})"
    )
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget?.content?.model?.sharedModel"
    )
    open_sidebar(page)
    search(page, "T cell")
    hit = page.locator(f'{HITS}[data-registry="ULabel"]', has_text="T cell").first
    hit.click()
    page.locator(f"{DETAILS} .jp-LaminLab-open").click()
    sources = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells.map(c => c.getSource())"
    )
    uid = hit.get_attribute("data-uid")
    assert sources[-1] == f'ln.ULabel.get("{uid}")'
    assert len(sources) == 2  # below the new notebook's empty cell


def test_workbench_command_opens_a_notebook_with_the_workbench(lab_page):
    page = lab_page
    labels = page.evaluate("() => window.jupyterapp.commands.label('lamin-lab:open-workbench')")
    assert labels == "lamin_lab: Open Workbench"
    page.evaluate("() => { window.jupyterapp.commands.execute('lamin-lab:open-workbench'); }")
    page.wait_for_function(
        """() => {
            const cells = window.jupyterapp.shell.currentWidget?.content?.model?.sharedModel?.cells;
            return cells && cells.map(c => c.getSource()).join('|') === 'import lamin_lab as ln|ln.widgets.Workbench()';
        }"""
    )
    # The default kernel starts without a "select kernel" dialog and runs the cells.
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget?.content?.model?.sharedModel?.cells[1]?.execution_count >= 1",
        timeout=120_000,
    )
    assert page.locator(".jp-Dialog").count() == 0


def test_open_in_notebook_copies_the_code_when_no_notebook_is_active(lab_page, seeded):
    page = lab_page
    page.evaluate("() => window.jupyterapp.commands.execute('launcher:create')")
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget?.title.label === 'Launcher'"
    )
    open_sidebar(page)
    search(page, "pbmc")
    page.locator(f'{HITS}[data-uid="{seeded["artifact"]}"]').click()
    page.locator(f"{DETAILS} .jp-LaminLab-open").click()
    code = f'ln.Artifact.get("{seeded["artifact"]}")'
    expect(page.get_by_text(f"Copied {code}").first).to_be_visible()


def test_typing_fast_shows_the_hits_of_the_last_query_only(lab_page, seeded):
    page = lab_page
    open_sidebar(page)
    box = search(page, "")
    box.press_sequentially("T cell", delay=30)
    expect(page.locator(HITS).first.locator(".jp-LaminLab-name")).to_have_text("T cell")
    page.wait_for_function(
        "(panel) => !document.querySelector(panel).classList.contains('jp-mod-searching')",
        arg=PANEL,
    )
    names = page.locator(f"{HITS} .jp-LaminLab-name").all_inner_texts()
    assert names[0] == "T cell" and IMG not in names


def test_dark_theme_uses_jupyterlab_colours(lab_page):
    page = lab_page
    panel = open_sidebar(page)
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    colours = panel.evaluate(
        """(node) => {
            const css = getComputedStyle(document.body);
            const probe = document.createElement('div');
            probe.style.background = css.getPropertyValue('--jp-layout-color1');
            document.body.append(probe);
            const expected = getComputedStyle(probe).backgroundColor;
            probe.remove();
            return [getComputedStyle(node.querySelector('.jp-LaminLab') || node).backgroundColor, expected];
        }"""
    )
    assert colours[0] == colours[1]
    page.locator("#jupyterlab-splash").wait_for(state="detached")
    page.screenshot(path=str(screenshot_folder() / "labext_sidebar_dark.png"))
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})"
    )
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")


def test_keyboard_moves_from_the_search_box_to_a_hit_and_opens_it(lab_page, seeded):
    page = lab_page
    open_sidebar(page)
    box = search(page, "pbmc")
    expect(page.locator(HITS)).to_have_count(1)
    box.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(f"{DETAILS} .jp-LaminLab-code")).to_have_text(
        f'ln.Artifact.get("{seeded["artifact"]}")'
    )

"""Fixtures for the lab extension's browser tests: a seeded instance and one lab page.

The harness's JupyterLab server follows the current lamin_lab instance of its
``LAMIN_LAB_HOME`` on every request, so the module seeds an instance there (from a
separate process, as a kernel would) and then opens JupyterLab once.

    from .labext_fixtures import lab_page, seeded  # noqa: F401
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

PANEL_ID = "lamin-lab:catalog"
TAB = f'.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="{PANEL_ID}"]'
PANEL = f'[id="{PANEL_ID}"]'
IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"

SEED = f"""
import json, sys
from pathlib import Path
import lamin_lab as ln
ln.settings.verbosity = "warning"
storage = Path(sys.argv[1])
ln.setup.init(storage=storage / "data")
(storage / "pbmc.csv").write_text("cell,type\\n1,T\\n")
artifact = ln.Artifact(str(storage / "pbmc.csv"), key="data/pbmc.csv", description="PBMC cell types").save()
label = ln.ULabel(name={IMG!r}, description={SCRIPT!r}).save()
ln.ULabel(name="T cell", description="a lymphocyte").save()
print("SEED-OUT" + json.dumps({{"artifact": artifact.uid, "label": label.uid,
                                "instance": ln.setup.settings.instance.name}}))
"""


def run_in_lab_home(lab_server, code: str, arg: str, marker: str) -> dict:
    """Run a Python snippet with the lab server's LAMIN_LAB_HOME; return the JSON it printed after ``marker``."""
    env = dict(os.environ, LAMIN_LAB_HOME=str(lab_server.home))
    env.pop("LAMIN_LAB_TEST_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), arg],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{marker} snippet failed:\n{done.stdout}\n{done.stderr}"
    line = next(line for line in done.stdout.splitlines() if line.startswith(marker))
    return json.loads(line[len(marker) :])


def screenshot_folder() -> Path:
    """Where the browser tests leave their screenshots (``LAMIN_LAB_SCREENSHOTS`` or the temp folder)."""
    folder = (
        Path(os.environ.get("LAMIN_LAB_SCREENSHOTS", tempfile.gettempdir()))
        / "lamin_lab_screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def seeded(lab_server, tmp_path_factory) -> dict:
    """An instance with an artifact and two labels (one named like an XSS payload), made current."""
    storage = tmp_path_factory.mktemp("labext_instance")
    return run_in_lab_home(lab_server, SEED, str(storage), "SEED-OUT")


@pytest.fixture(scope="module")
def lab_page(browser, lab_server, seeded):
    """JupyterLab open (fresh workspace) with the lamin_lab sidebar tab present."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{lab_server.url}lab?reset", wait_until="domcontentloaded")
    page.locator(TAB).wait_for()
    yield page
    context.close()
    from .jlab import shutdown_sessions

    shutdown_sessions(lab_server)


def open_sidebar(page):
    """Click the lamin_lab tab unless its panel is already showing; return the panel."""
    panel = page.locator(PANEL)
    if not panel.is_visible():
        page.locator(TAB).click()
    panel.wait_for(state="visible")
    return panel


def search(page, query: str):
    """Type ``query`` into the sidebar's search box (replacing what was there)."""
    box = page.locator(f"{PANEL} .jp-LaminLab-search")
    box.fill(query)
    # Typing marks the panel as searching until the answer is shown; waiting for that keeps a
    # test from reading hits that the reply is about to replace.
    page.wait_for_function(
        "(panel) => !document.querySelector(panel).classList.contains('jp-mod-searching')",
        arg=PANEL,
    )
    return box

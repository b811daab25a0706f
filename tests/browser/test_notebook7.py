"""The lab extension in Jupyter Notebook 7 (issue #12): the sidebar opens a working Workbench.

Notebook 7 opens every document in a new browser tab. The sidebar's Workbench button writes
the Workbench notebook before it opens it, and the copy of the extension in the new tab runs
its cells once: no empty ``Untitled.ipynb``, no "Comm not found".
"""

from __future__ import annotations

import json
import time
import os
import subprocess
import sys

import pytest

from . import jlab

PANEL = '[id="lamin-lab:catalog"]'
WORKBENCH_SOURCES = ["import lamin_lab as ln", "ln.widgets.Workbench()"]


@pytest.fixture(scope="module")
def notebook_server(tmp_path_factory):
    """A Notebook 7 server (this venv) with a current lamin_lab instance holding one label."""
    server = jlab.start_server(tmp_path_factory.mktemp("notebook7"), app="notebook")
    env = dict(os.environ, LAMIN_LAB_HOME=str(server.home))
    env.pop("LAMIN_LAB_TEST_DB", None)
    storage = tmp_path_factory.mktemp("notebook7_instance")
    seed = (
        "import lamin_lab as ln\nln.settings.verbosity = 'warning'\n"
        f"ln.setup.init(storage={str(storage / 'data')!r})\n"
        "ln.ULabel(name='T cell', description='a lymphocyte').save()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", seed], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    (server.root / "start.ipynb").write_text(
        json.dumps(
            {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                "cells": [],
            }
        )
    )
    yield server
    jlab.shutdown_sessions(server)
    jlab.stop_server(server)


def test_workbench_button_opens_a_running_workbench_in_a_new_tab(browser, notebook_server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{notebook_server.url}notebooks/start.ipynb", wait_until="domcontentloaded")
    page.wait_for_function(
        "() => window.jupyterapp?.commands.hasCommand('lamin-lab:open-workbench')"
    )
    # Notebook 7 keeps the left area folded: open the catalog there, as View > Left Sidebar does.
    page.evaluate("() => window.jupyterapp.shell.activateById('lamin-lab:catalog')")
    button = page.locator(f"{PANEL} .jp-LaminLab-workbench")
    with context.expect_page() as opened:
        button.click()
    tab = opened.value
    tab.set_default_timeout(120_000)
    tab.wait_for_load_state("domcontentloaded")
    tab.locator(
        ".ll-search input[type=search]"
    ).first.wait_for()  # the Workbench rendered: its comm is here
    sources = tab.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells.map(c => c.getSource())"
    )
    assert sources == WORKBENCH_SOURCES
    assert "Comm not found" not in tab.locator("body").inner_text()
    name = tab.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
    # The extension saves after the run, which can finish after the Workbench is drawn.
    tab.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty"
        " && !window.jupyterapp.shell.currentWidget.content.model.getMetadata('lamin_lab_run_on_open')"
    )
    deadline = time.monotonic() + 60
    saved = json.loads((notebook_server.root / name).read_text())
    while "lamin_lab_run_on_open" in saved["metadata"] and time.monotonic() < deadline:
        time.sleep(0.2)
        saved = json.loads((notebook_server.root / name).read_text())
    assert [
        "".join(c["source"]) for c in saved["cells"]
    ] == WORKBENCH_SOURCES  # nbformat: text or lines
    assert (
        "lamin_lab_run_on_open" not in saved["metadata"]
    )  # it ran once; reopening does not run it again
    context.close()

"""Fixtures for browser tests: one JupyterLab server and one Chromium per session.

Use them like this::

    from .jlab import run_all, wait_for_output

    def test_something(page, open_notebook):
        open_notebook(page, "my_fixture")  # tests/browser/fixtures/my_fixture.ipynb
        assert run_all(page)
        wait_for_output(page, "expected text")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from . import jlab


def pytest_collection_modifyitems(items):
    # Every test in this folder drives a browser: mark them so `-m "not browser"`
    # can leave them out.
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> Iterator[jlab.LabServer]:
    """A JupyterLab server running this venv's Python, with all state in a temp dir."""
    server = jlab.start_server(tmp_path_factory.mktemp("jupyterlab"))
    yield server
    jlab.stop_server(server)


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium, launched once per test session."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = jlab.launch_browser(playwright)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, lab_server):
    """A fresh browser page; the server's sessions (kernels) end with the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
    jlab.shutdown_sessions(lab_server)


@pytest.fixture
def open_notebook(lab_server) -> Callable[..., str]:
    """``open_notebook(page, name_or_path)``: copy it into the server, open it, wait for idle."""

    def _open(page, notebook: str | Path) -> str:
        return jlab.open_notebook(page, lab_server, notebook)

    return _open

"""Fixtures and helpers for the widget browser tests: one notebook per test module.

A test module defines ``NOTEBOOK_CELLS`` (code cells) and imports ``widget_page``
from here; the notebook is written, opened and run once, and every test of the
module works on that page (the kernel keeps its state between tests).

    from .widget_fixtures import run_code, widget_page  # noqa: F401

    NOTEBOOK_CELLS = ["print('ready')"]

    def test_x(widget_page):
        run_code(widget_page, "print(1 + 1)", expect="2")
"""

from __future__ import annotations

import nbformat
import pytest

from . import jlab

SETUP = """
import tempfile, pathlib
import lamin_lab as ln
STORAGE = pathlib.Path(tempfile.mkdtemp(prefix="widgets_"))
ln.setup.init(storage=STORAGE / "data")
"""


def write_notebook(path, cells: list[str]) -> None:
    """Write a python3 notebook with ``cells`` as code cells.

    Examples
    --------
    >>> write_notebook(tmp_path / "x.ipynb", ["print(1)"])  # doctest: +SKIP
    """
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def widget_page(request, browser, lab_server, tmp_path_factory):
    """A page with the module's notebook open and run (shared by the module's tests)."""
    cells = [SETUP, *request.module.NOTEBOOK_CELLS]
    name = request.module.__name__.rsplit(".", 1)[-1]
    path = tmp_path_factory.mktemp("widget_nb") / f"{name}.ipynb"
    write_notebook(path, cells)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    jlab.open_notebook(page, lab_server, path)
    assert jlab.run_all(page) is True, "the widget notebook failed to run"
    yield page
    context.close()
    jlab.shutdown_sessions(lab_server)


def run_code(page, code: str, expect: str, timeout: float = 60.0) -> str:
    """Append a cell with ``code`` to the open notebook, run it, wait for ``expect`` in its output.

    Examples
    --------
    >>> run_code(page, "print(search.selected.key)", expect="pbmc")  # doctest: +SKIP
    """
    page.evaluate(
        """async (code) => {
            const app = window.jupyterapp;
            const notebook = app.shell.currentWidget.content;
            notebook.activeCellIndex = notebook.widgets.length - 1;
            await app.commands.execute('notebook:insert-cell-below');
            notebook.activeCell.model.sharedModel.setSource(code);
            await app.commands.execute('notebook:run-cell');
        }""",
        code,
    )
    output = page.locator(".jp-Cell").last.locator(".jp-OutputArea-output", has_text=expect)
    output.first.wait_for(state="visible", timeout=timeout * 1000)
    return output.first.inner_text()


def set_theme(page, dark: bool) -> None:
    """Switch JupyterLab to its dark or light theme and wait until applied.

    Examples
    --------
    >>> set_theme(page, dark=True)  # doctest: +SKIP
    """
    theme = "JupyterLab Dark" if dark else "JupyterLab Light"
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme
    )
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === light", arg="false" if dark else "true"
    )

"""Smoke test of the browser harness: a kernel prints, an anywidget round-trips."""

from __future__ import annotations

import nbformat

from .jlab import run_all, wait_for_output

WIDGET_SOURCE = '''
import anywidget
import traitlets


class ClickCounter(anywidget.AnyWidget):
    _esm = """
    function render({ model, el }) {
      const button = document.createElement("button");
      button.className = "smoke-click";
      const echo = document.createElement("span");
      echo.className = "smoke-echo";
      const show = () => {
        button.textContent = `clicked ${model.get("count")} times`;
        echo.textContent = model.get("echo");
      };
      button.addEventListener("click", () => {
        model.set("count", model.get("count") + 1);
        model.save_changes();
      });
      model.on("change:count", show);
      model.on("change:echo", show);
      show();
      el.append(button, echo);
    }
    export default { render };
    """
    count = traitlets.Int(0).tag(sync=True)
    echo = traitlets.Unicode("kernel saw 0").tag(sync=True)

    @traitlets.observe("count")
    def _echo_count(self, change):
        # Set by the kernel, so seeing it in the page proves the round trip.
        self.echo = f"kernel saw {change['new']}"


counter = ClickCounter()
counter
'''


def _smoke_notebook(path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_code_cell('print("hello from kernel")'),
        nbformat.v4.new_code_cell(WIDGET_SOURCE),
    ]
    nbformat.write(notebook, path)
    return path


def test_kernel_output_and_widget_click_round_trip(page, open_notebook, tmp_path):
    name = open_notebook(page, _smoke_notebook(tmp_path / "smoke.ipynb"))
    assert name == "smoke.ipynb"
    assert run_all(page) is True

    assert wait_for_output(page, "hello from kernel").inner_text().strip() == "hello from kernel"
    button = page.locator("button.smoke-click")
    echo = page.locator(".smoke-echo")
    button.wait_for()
    assert button.inner_text() == "clicked 0 times"

    button.click()
    # The kernel's observer answers with "kernel saw 1": wait for it to arrive.
    page.wait_for_function(
        "() => document.querySelector('.smoke-echo')?.textContent === 'kernel saw 1'"
    )
    assert button.inner_text() == "clicked 1 times"
    assert echo.inner_text() == "kernel saw 1"
    page.screenshot(path=str(tmp_path / "smoke.png"))
    assert (tmp_path / "smoke.png").stat().st_size > 10_000


def test_kernel_runs_this_venv_with_a_temp_home(page, open_notebook, lab_server, tmp_path):
    import sys

    path = _smoke_notebook(tmp_path / "where.ipynb")
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import os, sys, lamin_lab\n"
            "print('prefix=' + sys.prefix)\n"
            "print('home=' + os.environ['LAMIN_LAB_HOME'])"
        )
    ]
    nbformat.write(notebook, path)
    open_notebook(page, path)
    assert run_all(page) is True

    output = wait_for_output(page, "prefix=").inner_text()
    assert f"prefix={sys.prefix}" in output.splitlines()
    assert f"home={lab_server.home}" in output.splitlines()

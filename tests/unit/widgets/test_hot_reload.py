"""Panels' JavaScript is live under ANYWIDGET_HMR=1: an edit reaches open widgets without a restart."""

from __future__ import annotations

import shutil
import time

import anywidget
import pytest

from lamin_lab.widgets import _base
from lamin_lab.widgets._base import STATIC, load_esm, panel_module, stop_hot_reload


@pytest.fixture
def static_copy(tmp_path):
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    yield copy
    stop_hot_reload()


def _widget_of(module):
    class Probe(anywidget.AnyWidget):
        _esm = module

    return Probe()


def _wait_for(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_panel_widget_carries_its_assembled_module(ln):
    from lamin_lab.widgets.search import Search

    assert Search()._esm == load_esm("search")


def test_an_edit_of_common_js_reaches_an_open_widget_under_hmr(monkeypatch, static_copy):
    monkeypatch.setenv("ANYWIDGET_HMR", "1")
    widget = _widget_of(panel_module.__wrapped__("search", static_copy))
    time.sleep(0.3)  # the watcher thread is listening
    with open(static_copy / "common.js", "a", encoding="utf-8") as f:
        f.write("\nexport function hotReloadMarker() {}\n")
    assert _wait_for(lambda: "function hotReloadMarker()" in widget._esm)
    assert "export function hotReloadMarker" not in widget._esm  # still inlined as a plain function


def test_an_edit_of_the_panel_file_reaches_an_open_widget_under_hmr(monkeypatch, static_copy):
    monkeypatch.setenv("ANYWIDGET_HMR", "1")
    widget = _widget_of(panel_module.__wrapped__("lookup", static_copy))
    time.sleep(0.3)
    path = static_copy / "lookup.js"
    path.write_text(path.read_text(encoding="utf-8") + "\n// edited\n", encoding="utf-8")
    assert _wait_for(lambda: widget._esm.endswith("// edited\n"))


def test_without_hmr_no_file_is_watched(monkeypatch, static_copy):
    monkeypatch.delenv("ANYWIDGET_HMR", raising=False)
    before = len(_base._watchers)
    widget = _widget_of(panel_module.__wrapped__("search", static_copy))
    (static_copy / "common.js").write_text("// replaced\n", encoding="utf-8")
    time.sleep(0.3)
    assert len(_base._watchers) == before
    assert "// replaced" not in widget._esm

"""Workbench linking, the public names, and the static assets' rules."""

from __future__ import annotations

import re

import pytest

from lamin_lab.widgets import Workbench
from lamin_lab.widgets._base import STATIC, load_esm


def test_a_search_pick_describes_and_draws_lineage(catalog):
    wb = Workbench()
    assert wb.titles == ("Search", "Catalog", "Describe", "Lineage", "Curate")
    wb.search._handle({"type": "select", "registry": "Artifact", "id": catalog.clean.id})
    assert (wb.selected, wb.value, wb.selected_index) == (catalog.clean, catalog.clean, 2)
    assert wb.describe.record == catalog.clean
    assert wb.lineage.record == catalog.clean


def test_a_label_is_described_and_lineage_stays(catalog):
    wb = Workbench(catalog.clean)
    wb.catalog._handle({"type": "select", "registry": "ULabel", "id": catalog.labels[0].id})
    assert wb.describe.record == catalog.labels[0]
    assert wb.lineage.record == catalog.clean


def test_a_lineage_click_describes_without_redrawing(catalog):
    wb = Workbench(catalog.clean)
    before = wb.lineage.graph_data
    wb.lineage._handle({"type": "select", "node": f"run:{catalog.run.uid}"})
    assert wb.describe.record == catalog.run and wb.selected == catalog.run
    assert wb.lineage.graph_data == before


def test_the_lineage_link_of_describe_opens_the_lineage_tab(catalog):
    wb = Workbench()
    wb.describe.record = catalog.raw
    wb.describe._handle({"type": "lineage"})
    assert (wb.lineage.record, wb.selected_index) == (catalog.raw, 3)


def test_curate_is_the_curate_panel_waiting_for_data():
    curate = Workbench().curate
    assert (type(curate).__name__, curate.loaded) == ("Curate", False)


@pytest.mark.parametrize("name", ["search", "lookup", "describe", "lineage", "catalog", "curate"])
def test_modules_are_small_and_never_write_html(name):
    esm = load_esm(name)
    assert len(esm.encode()) < 20_000
    assert "export default" in esm
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", esm)


def test_css_uses_jupyterlab_variables_only():
    css = (STATIC / "panels.css").read_text()
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(", css)

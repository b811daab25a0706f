"""The panels' ES modules: each names the common.js helpers it uses (no free globals)."""

from __future__ import annotations

import re

import pytest

from lamin_lab.widgets._base import STATIC, common_exports, common_imports, load_esm

PANELS = sorted(p.stem for p in STATIC.glob("*.js") if p.stem != "common")


def _calls_of_helpers(name: str) -> set[str]:
    source = (STATIC / f"{name}.js").read_text(encoding="utf-8")
    return {h for h in common_exports() if re.search(rf"(^|[^\w.]){h}\(", source, re.M)}


@pytest.mark.parametrize("panel", PANELS)
def test_a_panel_imports_every_common_helper_it_calls(panel):
    assert sorted(common_imports(panel)) == sorted(_calls_of_helpers(panel))


@pytest.mark.parametrize("panel", PANELS)
def test_a_panel_imports_only_what_common_exports(panel):
    assert set(common_imports(panel)) <= common_exports()


def test_the_module_sent_has_the_helpers_and_no_import_of_a_file():
    esm = load_esm("lineage")
    assert not re.search(r'^import .* from "\./common\.js";$', esm, re.M)
    assert "function makeClient(" in esm and "export function" not in esm
    assert esm.count("export default") == 1

"""Lookup panel commands: suggestions over one field, the chosen record in ``.value``."""

from __future__ import annotations

import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.widgets import Lookup


def _suggest(panel, q, **extra):
    return panel._handle({"type": "suggest", "q": q, "request_id": 1, **extra})


def test_prefix_matches_come_before_contains_matches(catalog):
    reply = _suggest(Lookup("ULabel"), "cell")
    assert [item["text"] for item in reply["items"]] == ["B cell", "T cell", "T helper cell"]
    catalog.ln.ULabel(name="cell line").save()
    reply = _suggest(Lookup(catalog.ln.ULabel), "cell")
    assert [item["text"] for item in reply["items"]] == [
        "cell line",
        "B cell",
        "T cell",
        "T helper cell",
    ]


def test_items_carry_the_lookup_attribute_name(catalog):
    item = _suggest(Lookup("ULabel"), "T h")["items"][0]
    assert (item["text"], item["attr"], item["registry"]) == (
        "T helper cell",
        "t_helper_cell",
        "ULabel",
    )


def test_limit_caps_the_suggestions(catalog):
    assert len(_suggest(Lookup("ULabel", limit=2), "")["items"]) == 2


def test_other_field_and_registry(catalog):
    panel = Lookup("Artifact", field="description")
    assert [item["text"] for item in _suggest(panel, "clean")["items"]] == ["clean table"]
    assert Lookup("Artifact").field == "key"


def test_choose_sets_value_and_clear_resets_it(catalog):
    panel = Lookup("ULabel")
    target = catalog.labels[1]
    reply = panel._handle({"type": "choose", "id": target.id, "request_id": 4})
    assert (reply["text"], panel.value) == ("T helper cell", target)
    assert panel.selected == target
    panel._handle({"type": "clear", "request_id": 5})
    assert panel.value is None and panel.selection == {}


def test_unknown_field_is_refused(catalog):
    with pytest.raises(InvalidArgument, match="no field 'colour'"):
        Lookup("ULabel", field="colour")

"""Search panel commands: pages of hits over all registries or one."""

from __future__ import annotations

from lamin_lab.widgets import Search


def _search(panel, q, offset=0, limit=20, **extra):
    return panel._handle(
        {"type": "search", "q": q, "offset": offset, "limit": limit, "request_id": 3, **extra}
    )


def test_hits_span_registries_with_name_description_version_created(catalog):
    reply = _search(Search(), "pbmc")
    assert reply["request_id"] == 3 and reply["channel"] == "search"
    by_label = {hit["label"]: hit for hit in reply["hits"]}
    assert set(by_label) == {"pbmc_clean.parquet", "raw/pbmc.csv", "prep.py"}
    clean = by_label["pbmc_clean.parquet"]
    assert (clean["registry"], clean["description"], clean["version"]) == (
        "Artifact",
        "clean table",
        "0000",
    )
    assert clean["created"].startswith(str(catalog.clean.created_at.year))
    assert by_label["prep.py"]["registry"] == "Transform"


def test_registry_restricts_the_search(catalog):
    reply = _search(Search(registry=catalog.ln.ULabel), "cell")
    assert {hit["registry"] for hit in reply["hits"]} == {"ULabel"}
    assert {hit["label"] for hit in reply["hits"]} == {"T cell", "T helper cell", "B cell"}


def test_pages_do_not_overlap_and_say_when_more_exist(catalog):
    panel = Search(registry="ULabel")
    first = _search(panel, "cell", limit=2)
    second = _search(panel, "cell", offset=2, limit=2)
    assert len(first["hits"]) == 2 and first["has_more"] is True
    assert len(second["hits"]) == 1 and second["has_more"] is False
    labels = [h["label"] for h in first["hits"] + second["hits"]]
    assert sorted(labels) == ["B cell", "T cell", "T helper cell"]


def test_empty_query_and_no_match_give_no_hits(catalog):
    panel = Search()
    assert _search(panel, "   ")["hits"] == []
    reply = _search(panel, "qqqzzzxxx")
    assert (reply["hits"], reply["has_more"]) == ([], False)


def test_select_sets_selected_and_selection(catalog):
    panel = Search()
    seen = []
    panel.on_select(seen.append)
    reply = panel._handle(
        {"type": "select", "registry": "Artifact", "id": catalog.clean.id, "request_id": 9}
    )
    assert panel.selected == catalog.clean and panel.value == catalog.clean
    assert seen == [catalog.clean]
    assert reply["ref"] == {
        "registry": "Artifact",
        "id": catalog.clean.id,
        "uid": catalog.clean.uid,
        "label": "pbmc_clean.parquet",
    }
    assert panel.selection == reply["ref"]


def test_bad_requests_answer_with_an_error_message(catalog):
    panel = Search()
    assert panel._handle({"type": "drop_tables", "request_id": 1})["type"] == "error"
    reply = _search(panel, "x", offset=-1)
    assert reply["type"] == "error" and "offset" in reply["message"]
    reply = panel._handle({"type": "select", "registry": "Artifact", "id": 99999, "request_id": 2})
    assert reply == {
        "type": "error",
        "message": "Artifact 99999 no longer exists; refresh the panel.",
        "channel": "select",
        "request_id": 2,
        "view": None,
    }
    assert panel._handle({"type": "search", "q": "x", "registry": "Nope"})["message"].startswith(
        "There is no registry 'Nope'"
    )

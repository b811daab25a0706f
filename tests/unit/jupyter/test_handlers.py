"""The REST handlers on a real Jupyter server: status codes, JSON bodies, authentication.

One server for the module; its instance is seeded from another process (as a
notebook kernel would) before the first request.
"""

from __future__ import annotations

import urllib.parse

import pytest

from . import server as srv

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"

SEED = f"""
from pathlib import Path
src = Path(sys.argv[1]).parent / "src"
src.mkdir()
(src / "pbmc.csv").write_text("cell,type\\n1,T\\n")
artifact = ln.Artifact(str(src / "pbmc.csv"), key="data/pbmc.csv", description="PBMC cell types").save()
label = ln.ULabel(name={IMG!r}, description={SCRIPT!r}).save()
ln.save([ln.ULabel(name=f"cell type {{i}}") for i in range(3)])
out = {{"artifact": artifact.uid, "label": label.uid, "instance": ln.setup.settings.instance.name,
        "size": artifact.size}}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    base = tmp_path_factory.mktemp("jupyter_api")
    server = srv.start(base)
    try:
        server.seeded = srv.seed(server.home, base / "first", SEED)
        yield server
    finally:
        srv.stop(server)


def _q(**params) -> str:
    return "?" + urllib.parse.urlencode(params, doseq=True)


def test_status_names_the_current_instance(api):
    code, body, content_type = api.get("status")
    assert code == 200
    assert content_type.startswith("application/json")
    assert body["instance"]["name"] == api.seeded["instance"]
    assert body["counts"]["Artifact"] == 1
    assert body["counts"]["ULabel"] == 4


def test_requests_without_the_token_are_refused(api):
    code, _, _ = api.get("status", token=None)
    assert code == 403
    code, _, _ = api.get("search" + _q(q="pbmc"), token="wrong")
    assert code == 403


def test_search_returns_ranked_hits(api):
    code, body, _ = api.get("search" + _q(q="pbmc"))
    assert code == 200
    (hit,) = body["hits"]
    assert (hit["registry"], hit["uid"], hit["name"]) == (
        "Artifact",
        api.seeded["artifact"],
        "data/pbmc.csv",
    )
    assert hit["description"] == "PBMC cell types"
    assert hit["version"] == "0000"


def test_search_pages_within_one_registry(api):
    code, body, _ = api.get("search" + _q(q="cell type", registry="ULabel", limit=2))
    assert code == 200
    assert len(body["hits"]) == 2 and body["has_more"] is True
    assert {h["registry"] for h in body["hits"]} == {"ULabel"}


def test_injection_strings_come_back_as_plain_data(api):
    code, body, _ = api.get("search" + _q(q="onerror"))
    assert code == 200
    (hit,) = body["hits"]
    assert hit["name"] == IMG
    assert hit["description"] == SCRIPT


def test_search_with_a_bad_limit_is_a_400(api):
    code, body, _ = api.get("search" + _q(q="x", limit="ten"))
    assert code == 400
    assert body["message"] == "limit must be an integer, not 'ten'."


def test_search_in_an_unknown_registry_is_a_400(api):
    code, body, _ = api.get("search" + _q(q="x", registry="Nope"))
    assert code == 400
    assert "no registry 'Nope'" in body["message"]


def test_records_page_with_typed_filter(api):
    size = api.seeded["size"]
    code, body, _ = api.get(
        "records/Artifact" + _q(filter=[f"size__gte={size}", "key__startswith=data/"])
    )
    assert code == 200
    assert body["total"] == 1
    assert body["rows"][0][body["columns"].index("uid")] == api.seeded["artifact"]


def test_records_order_and_limit(api):
    code, body, _ = api.get(
        "records/ULabel" + _q(order="name", limit=2, filter="name__startswith=cell")
    )
    assert code == 200
    names = [row[body["columns"].index("name")] for row in body["rows"]]
    assert names == ["cell type 0", "cell type 1"]
    assert (body["total"], body["has_more"]) == (3, True)


def test_records_bad_filter_is_a_400_with_the_message(api):
    code, body, _ = api.get("records/ULabel" + _q(filter="colour__startswith=red"))
    assert code == 400
    assert body["error"] == "FieldError"  # an InvalidArgument, named as LaminDB (Django) names it
    assert "ULabel has no field" in body["message"] and "colour" in body["message"]


def test_records_filter_without_equals_is_a_400(api):
    code, body, _ = api.get("records/ULabel" + _q(filter="name"))
    assert code == 400
    assert "field=value" in body["message"]


def test_records_injection_in_a_filter_value_is_only_a_value(api):
    code, body, _ = api.get("records/ULabel" + _q(filter="name=x' OR '1'='1"))
    assert code == 200
    assert body["total"] == 0


def test_unknown_registry_is_a_404(api):
    code, body, _ = api.get("records/Secret")
    assert code == 404
    assert "no registry 'Secret'" in body["message"]
    code, _, _ = api.get("describe/Secret/abc")
    assert code == 404


def test_describe_returns_escaped_html_and_text(api):
    code, body, _ = api.get(f"describe/ULabel/{api.seeded['label']}")
    assert code == 200
    assert body["name"] == IMG
    assert "<img" not in body["html"] and "<script" not in body["html"]
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in body["html"].replace(
        "<wbr>", ""
    )  # <wbr>: wrap points
    assert body["text"].startswith("ULabel")


def test_describe_of_a_missing_record_is_a_404(api):
    code, body, _ = api.get("describe/Artifact/doesnotexist0000000")
    assert code == 404
    assert "No Artifact with uid 'doesnotexist0000000'" in body["message"]


def test_server_follows_the_instance_a_kernel_makes_current(api, tmp_path):
    # Runs last in this module: it switches the server's current instance.
    seeded = srv.seed(api.home, tmp_path / "second", "ln.ULabel(name='only here').save()")
    code, body, _ = api.get("status")
    assert code == 200
    assert body["instance"]["name"] == "second"
    assert body["counts"]["ULabel"] == 1
    assert seeded == {}

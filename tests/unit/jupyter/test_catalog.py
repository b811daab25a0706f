"""The catalog functions behind the REST API, on a fresh instance (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from lamin_lab.errors import DoesNotExist, InstanceNotSetupError, InvalidArgument

IMG = "<img src=x onerror=window.__pwned=1>"


@pytest.fixture
def catalog(ln):
    from lamin_lab.jupyter import rest as catalog

    return catalog


@pytest.fixture
def artifact(ln, tmp_path):
    path = tmp_path / "pbmc.csv"
    path.write_text("cell,type\n1,T\n")
    return ln.Artifact(str(path), key="data/pbmc.csv", description="PBMC cell types").save()


def test_status_names_the_instance_and_counts_records(ln, catalog, artifact):
    ln.ULabel(name="T cell").save()
    status = catalog.status()
    assert status["instance"]["name"] == ln.setup.settings.instance.name
    assert status["instance"]["storage"] == ln.setup.settings.instance.storage_root
    assert status["counts"]["Artifact"] == 1
    assert status["counts"]["ULabel"] == 1
    assert status["registries"][0] == "Artifact"


def test_search_ranks_hits_across_registries(ln, catalog, artifact):
    ln.ULabel(name="pbmc", description="exact name").save()
    reply = catalog.search("pbmc")
    assert [(h["registry"], h["name"]) for h in reply["hits"]] == [
        ("ULabel", "pbmc"),
        ("Artifact", "data/pbmc.csv"),
    ]
    assert reply["hits"][0]["score"] > reply["hits"][1]["score"]
    assert reply["has_more"] is False


def test_search_hit_has_what_the_sidebar_shows(catalog, artifact):
    (hit,) = catalog.search("pbmc", registry_name="Artifact")["hits"]
    assert hit["uid"] == artifact.uid
    assert hit["name_field"] == "key"
    assert hit["description"] == "PBMC cell types"
    assert hit["version"] == artifact.version
    assert hit["created_at"].startswith(str(artifact.created_at.year))
    assert hit["code"] == f'ln.Artifact.get("{artifact.uid}")'


def test_search_pages_with_offset_and_limit(ln, catalog):
    ln.save([ln.ULabel(name=f"cell type {i}") for i in range(5)])
    first = catalog.search("cell type", registry_name="ULabel", limit=2)
    rest = catalog.search("cell type", registry_name="ULabel", limit=10, offset=2)
    assert first["has_more"] is True and rest["has_more"] is False
    names = [h["name"] for h in first["hits"] + rest["hits"]]
    assert sorted(names) == [f"cell type {i}" for i in range(5)]


def test_empty_query_lists_the_newest_records_first(ln, catalog):
    ln.ULabel(name="older").save()
    ln.ULabel(name="newer").save()
    hits = catalog.search("", registry_name="ULabel")["hits"]
    assert [h["name"] for h in hits] == ["newer", "older"]


def test_markup_in_the_database_comes_back_as_plain_data(ln, catalog):
    ln.ULabel(name=IMG, description="<script>alert(1)</script>").save()
    (hit,) = catalog.search("onerror")["hits"]
    assert hit["name"] == IMG
    assert hit["description"] == "<script>alert(1)</script>"


def test_search_rejects_unknown_registries_and_bad_pages(catalog):
    with pytest.raises(InvalidArgument, match="no registry 'Nope'"):
        catalog.search("x", registry_name="Nope")
    with pytest.raises(InvalidArgument, match="limit must be between 1 and 100"):
        catalog.search("x", limit=0)
    with pytest.raises(InvalidArgument, match="offset must be 0 or more"):
        catalog.search("x", offset=-1)


def test_records_page_filters_orders_and_counts(ln, catalog):
    ln.save([ln.ULabel(name=name) for name in ("b cell", "a cell", "t cell", "monocyte")])
    page = catalog.records("ULabel", order="name", filters=["name__endswith=cell"], limit=2)
    name = page["columns"].index("name")
    assert [row[name] for row in page["rows"]] == ["a cell", "b cell"]
    assert page["total"] == 3 and page["has_more"] is True
    assert "created_by_id" in page["columns"] and "_aux" not in page["columns"]


def test_records_converts_filter_values_to_the_field_type(catalog, artifact):
    page = catalog.records("Artifact", filters=[f"size__gte={artifact.size}", "is_latest=true"])
    assert page["rows"][0][page["columns"].index("uid")] == artifact.uid
    assert catalog.records("Artifact", filters=[f"size__gt={artifact.size}"])["total"] == 0


def test_records_bad_filter_says_what_is_wrong(catalog):
    with pytest.raises(InvalidArgument, match="ULabel has no field"):
        catalog.records("ULabel", filters=["colour=red"])
    with pytest.raises(InvalidArgument, match="not a valid integer"):
        catalog.records("ULabel", filters=["id__gt=one"])


def test_records_of_an_unknown_registry_does_not_exist(catalog):
    with pytest.raises(DoesNotExist, match="no registry 'Secret'"):
        catalog.records("Secret")


def test_describe_returns_escaped_html_and_text(ln, catalog):
    label = ln.ULabel(name=IMG).save()
    reply = catalog.describe("ULabel", label.uid)
    assert reply["name"] == IMG
    assert IMG not in reply["html"]
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in reply["html"].replace(
        "<wbr>", ""
    )  # <wbr>: wrap points
    assert IMG in reply["text"]


def test_describe_of_an_artifact_has_its_sections(catalog, artifact):
    reply = catalog.describe("Artifact", artifact.uid)
    assert reply["text"].splitlines()[0].startswith("Artifact  data/pbmc.csv")
    assert reply["code"] == f'ln.Artifact.get("{artifact.uid}")'


def test_describe_of_a_missing_uid_does_not_exist(catalog):
    with pytest.raises(DoesNotExist, match="No Artifact with uid 'missing'"):
        catalog.describe("Artifact", "missing")


def test_no_instance_set_up_says_how_to_create_one(tmp_path, monkeypatch):
    from lamin_lab.jupyter import rest as catalog

    monkeypatch.setenv("LAMIN_LAB_HOME", str(tmp_path / "empty-home"))
    with pytest.raises(InstanceNotSetupError, match=r"ln.setup.init\(storage="):
        catalog.status()
    assert not (tmp_path / "empty-home" / "instances").exists()  # no default instance was created


def test_the_current_instance_is_followed(ln, catalog, tmp_path):
    ln.ULabel(name="in the first").save()
    first = ln.setup.settings.instance
    ln.setup.init(storage=tmp_path / "second")
    ln.ULabel(name="in the second").save()
    ln.setup.connect(first.name)  # as a notebook would; this process follows the current one
    assert catalog.status()["instance"]["name"] == first.name
    assert [h["name"] for h in catalog.search("", registry_name="ULabel")["hits"]] == [
        "in the first"
    ]


def test_records_rejects_ordering_by_an_unknown_field(catalog):
    with pytest.raises(InvalidArgument, match="ULabel has no field 'colour'"):
        catalog.records("ULabel", order="-colour")


def test_records_filters_through_relations(ln, catalog, artifact):
    label = ln.ULabel(name="T cell").save()
    artifact.ulabels.add(label)
    page = catalog.records("Artifact", filters=["ulabels__name=T cell"])
    assert [row[page["columns"].index("uid")] for row in page["rows"]] == [artifact.uid]
    assert catalog.records("Artifact", filters=["ulabels__name=B cell"])["total"] == 0

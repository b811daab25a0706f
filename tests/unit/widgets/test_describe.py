"""Describe panel: the tree as data, lazy previews, versions, related records, lineage links."""

from __future__ import annotations

from lamin_lab.describe import Row, Section
from lamin_lab.widgets import Describe
from lamin_lab.widgets.describe import section_dict


def _section(view, name):
    return next(s for s in view["tree"]["sections"] if s["name"] == name)


def test_view_holds_the_describe_tree_as_data(catalog):
    view = Describe(catalog.clean).view
    assert (view["tree"]["title"], view["tree"]["subtitle"]) == ("Artifact", "pbmc_clean.parquet")
    general = {row["label"]: row["text"] for row in _section(view, "General")["rows"]}
    assert general["description"] == "clean table"
    assert general["size"].endswith("kB")
    provenance = {row["label"]: row["text"] for row in _section(view, "Provenance")["rows"]}
    assert provenance["transform"] == "prep.py"
    assert (view["preview"], view["has_lineage"]) == ("table", True)


def test_empty_sections_are_left_out():
    data = section_dict(Section("Outer", [Row("a", 1, "number")], children=[Section("Empty")]))
    assert data["children"] == [] and data["rows"][0]["text"] == "1"


def test_related_links_point_to_run_and_transform(catalog):
    view = Describe(catalog.clean).view
    assert [(r["role"], r["registry"], r["id"]) for r in view["related"]] == [
        ("made by run", "Run", catalog.run.id),
        ("transform", "Transform", catalog.transform.id),
    ]
    assert Describe(catalog.labels[0]).view["related"] == []


def test_nothing_to_describe_says_so(catalog):
    panel = Describe()
    assert panel.view == {"empty": "Pick a record to describe it."}
    assert panel._handle({"type": "preview"})["preview"]["kind"] == "none"


def test_preview_of_a_parquet_table_sends_first_rows(catalog):
    reply = Describe(catalog.clean)._handle({"type": "preview", "request_id": 2})
    assert reply["preview"] == {
        "kind": "table",
        "columns": ["x"],
        "rows": [["7"], ["8"], ["9"]],
        "total_rows": 3,
    }


def test_preview_of_csv_and_text(catalog):
    csv = Describe(catalog.raw)._handle({"type": "preview"})["preview"]
    assert (csv["columns"], csv["rows"]) == (["cell", "count"], [["A", "1"], ["B", "2"]])
    text = Describe(catalog.notes)._handle({"type": "preview"})["preview"]
    assert text == {"kind": "text", "text": "line one\nline two\n", "truncated": False}


def test_preview_of_an_image_is_a_data_url(catalog, tmp_path):
    import base64

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    (tmp_path / "dot.png").write_bytes(png)
    image = catalog.ln.Artifact(str(tmp_path / "dot.png"), key="dot.png").save()
    preview = Describe(image)._handle({"type": "preview"})["preview"]
    assert preview["kind"] == "image"
    assert base64.b64decode(preview["src"].split(",", 1)[1]) == png


def test_preview_of_an_anndata_is_a_summary(catalog, tmp_path):
    import anndata as ad
    import numpy as np
    import pandas as pd

    adata = ad.AnnData(
        np.ones((4, 3)), obs=pd.DataFrame({"cell_type": list("abab")}, index=list("wxyz"))
    )
    adata.write_h5ad(tmp_path / "small.h5ad")
    artifact = catalog.ln.Artifact(str(tmp_path / "small.h5ad"), key="small.h5ad").save()
    rows = dict(Describe(artifact)._handle({"type": "preview"})["preview"]["rows"])
    assert rows["shape"] == "4 × 3 (observations × variables)"
    assert rows["obs"] == "cell_type"


def test_no_preview_for_labels(catalog):
    panel = Describe(catalog.labels[0])
    assert panel.view["preview"] == ""
    expected = {"kind": "none", "message": "No preview for this kind of file."}
    assert panel._handle({"type": "preview"})["preview"] == expected


def test_versions_list_the_family_and_open_switches(catalog, tmp_path):
    ln = catalog.ln
    (tmp_path / "v2.csv").write_text("cell,count\nC,3\n")
    v2 = ln.Artifact(str(tmp_path / "v2.csv"), key="raw/pbmc.csv", revises=catalog.raw).save()
    panel = Describe(v2)
    versions = panel.view["versions"]
    assert [v["id"] for v in versions] == [catalog.raw.id, v2.id]
    assert [v["current"] for v in versions] == [False, True]
    reply = panel._handle({"type": "open", "registry": "Artifact", "id": catalog.raw.id})
    assert panel.record == catalog.raw and panel.selected == catalog.raw
    assert reply["ref"]["id"] == catalog.raw.id
    assert [v["current"] for v in panel.view["versions"]] == [True, False]


def test_lineage_link_calls_the_callbacks(catalog):
    panel = Describe(catalog.clean)
    assert panel._handle({"type": "lineage"})["handled"] is False
    asked = []
    panel.on_open_lineage(asked.append)
    assert panel._handle({"type": "lineage"})["handled"] is True
    assert asked == [catalog.clean]


def test_preview_of_a_missing_file_says_so(catalog):
    catalog.raw.path.unlink()
    preview = Describe(catalog.raw)._handle({"type": "preview"})["preview"]
    assert preview["kind"] == "none"
    assert preview["message"].startswith("The file of this artifact is not available here")


def test_preview_does_not_make_the_artifact_a_run_input(catalog, monkeypatch):
    calls = []
    real = type(catalog.raw).cache

    def spy(self, is_run_input=None, **kwargs):
        calls.append(is_run_input)
        return real(self, is_run_input=is_run_input)

    monkeypatch.setattr(type(catalog.raw), "cache", spy)
    Describe(catalog.raw)._handle({"type": "preview"})
    assert calls == [False]

"""The Curate panel's handlers: column states, invalid values and suggestions, fixes, saving."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from lamin_lab.widgets import Curate, Workbench
from lamin_lab.widgets._base import load_esm


@pytest.fixture
def env(ln):
    pert = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    temp = ln.Feature(name="temperature", dtype=float).save()
    ln.ULabel.from_values(["IFNG", "DMSO"], create=True).save()
    schema = ln.Schema(name="perturbations", features=[pert, temp]).save()
    df = pd.DataFrame(
        {
            "perturbation": ["IFNG", "IFNJ", "DMSO", "aspirin"],
            "temperature": [21.5, 22.0, 23.0, 24.0],
        }
    )
    return SimpleNamespace(ln=ln, schema=schema, df=df, pert=pert, temp=temp)


def _states(reply):
    return {c["key"]: c["state"] for c in reply["columns"]}


def _ask(panel, kind, **payload):
    reply = panel._handle({"type": kind, "request_id": 1, **payload})
    assert reply["type"] != "error", reply.get("message")
    return reply


def test_status_after_construction(env):
    reply = _ask(Curate(env.df, env.schema), "status")
    assert _states(reply) == {"perturbation": "invalid", "temperature": "valid"}
    pert = reply["columns"][0]
    assert (pert["n_invalid"], pert["n_values"], pert["dtype"], reply["valid"]) == (
        2,
        4,
        "cat[ULabel]",
        False,
    )
    assert reply["dataset"] == {
        "kind": "DataFrame",
        "rows": 4,
        "columns": 2,
        "schema": "perturbations",
    }


def test_missing_extra_and_dtype_columns(env):
    df = pd.DataFrame({"temperature": ["warm", "cold"], "batch": [1, 2]})
    reply = _ask(Curate(df, env.schema), "status")
    assert _states(reply) == {"perturbation": "missing", "temperature": "dtype", "batch": "extra"}
    by_key = {c["key"]: c for c in reply["columns"]}
    assert by_key["temperature"]["actual"] == "object"
    assert "expects float" in by_key["temperature"]["message"]
    assert (by_key["perturbation"]["blocking"], by_key["batch"]["blocking"]) == (True, False)


def test_invalid_values_come_with_ranked_suggestions(env):
    reply = _ask(Curate(env.df, env.schema), "values", key="perturbation")
    assert reply["total"] == 2 and reply["registry"] == "ULabel"
    items = {i["value"]: i["suggestions"] for i in reply["items"]}
    assert [s["name"] for s in items["IFNJ"]] == ["IFNG"]
    assert items["aspirin"] == []


def test_a_synonym_is_the_first_suggestion(env):
    env.ln.ULabel.get(name="IFNG").add_synonym("interferon gamma")
    df = pd.DataFrame({"perturbation": ["interferon gamma"], "temperature": [1.0]})
    reply = _ask(Curate(df, env.schema), "values", key="perturbation")
    assert reply["items"][0]["suggestions"][0] == {"name": "IFNG", "kind": "synonym", "score": 100}
    assert reply["n_synonyms"] == 1


def test_accepting_a_suggestion_changes_the_data_and_the_status(env):
    panel = Curate(env.df, env.schema)
    reply = _ask(panel, "accept", key="perturbation", value="IFNJ", suggestion="IFNG")
    assert env.df["perturbation"].tolist() == ["IFNG", "IFNG", "DMSO", "aspirin"]
    assert panel.dataset is env.df
    assert reply["columns"][0]["n_invalid"] == 1
    assert reply["note"] == "Replaced 'IFNJ' by 'IFNG' in 'perturbation'."
    assert panel.curator.cat.non_validated == {"perturbation": ["aspirin"]}


def test_accepting_replaces_a_value_stored_as_a_number(env):
    env.ln.ULabel(name="42").save()
    df = pd.DataFrame({"perturbation": ["IFNG", 41], "temperature": [1.0, 2.0]})
    panel = Curate(df, env.schema)
    assert _ask(panel, "values", key="perturbation")["items"][0]["value"] == "41"
    _ask(panel, "accept", key="perturbation", value="41", suggestion="42")
    assert df["perturbation"].tolist() == ["IFNG", "42"]


def test_accepting_a_name_that_is_no_label_is_refused(env):
    panel = Curate(env.df, env.schema)
    reply = panel._handle(
        {"type": "accept", "key": "perturbation", "value": "IFNJ", "suggestion": "nope"}
    )
    assert reply["type"] == "error"
    assert reply["message"].startswith("'nope' is not a ULabel name")
    assert env.df["perturbation"].tolist()[1] == "IFNJ"


def test_creating_a_label_validates_the_value(env):
    panel = Curate(env.df, env.schema)
    reply = _ask(panel, "create", key="perturbation", value="aspirin")
    assert env.ln.ULabel.filter(name="aspirin").count() == 1
    assert env.ln.ULabel.filter(name="IFNJ").count() == 0  # only the one value
    assert reply["columns"][0]["n_invalid"] == 1
    assert panel.curator.cat.non_validated == {"perturbation": ["IFNJ"]}


def test_creating_all_labels_makes_the_column_valid(env):
    panel = Curate(env.df, env.schema)
    reply = _ask(panel, "create", key="perturbation", all=True)
    assert _states(reply) == {"perturbation": "valid", "temperature": "valid"}
    assert reply["valid"] is True
    assert reply["note"] == "Created 2 ULabel labels for 'perturbation'."


def test_a_column_with_10000_invalid_values_pages(env):
    df = pd.DataFrame(
        {"perturbation": [f"drug {i:05d}" for i in range(10_000)], "temperature": 1.0}
    )
    panel = Curate(df, env.schema, page_size=20)
    reply = _ask(panel, "values", key="perturbation", offset=9_990, limit=20)
    assert (reply["total"], reply["offset"], len(reply["items"])) == (10_000, 9_990, 10)
    assert reply["items"][0]["value"] == "drug 09990"
    assert len(_ask(panel, "values", key="perturbation", limit=10_000)["items"]) == 200  # capped


def test_validate_reports_the_problems(env):
    reply = _ask(Curate(env.df, env.schema), "validate")
    assert reply["problems"].startswith("2 terms not validated in 'perturbation'")


def test_saving_invalid_data_is_refused_with_the_values(env):
    panel = Curate(env.df, env.schema)
    reply = panel._handle({"type": "save", "key": "x.parquet"})
    assert reply["type"] == "error"
    assert reply["message"].startswith(
        "Not saved: 'perturbation' has 2 values that match no ULabel: 'IFNJ', 'aspirin'."
    )
    assert env.ln.Artifact.filter(key="x.parquet").count() == 0 and panel.value is None


def test_saving_needs_a_key_or_description(env):
    panel = Curate(env.df, env.schema)
    _ask(panel, "create", key="perturbation", all=True)
    reply = panel._handle({"type": "save", "key": "  "})
    assert reply["type"] == "error" and reply["message"].startswith("Type a key")


def test_save_writes_an_artifact_with_the_schema_linked(env):
    panel = Curate(env.df, env.schema)
    _ask(panel, "accept", key="perturbation", value="IFNJ", suggestion="IFNG")
    _ask(panel, "create", key="perturbation", value="aspirin")
    reply = _ask(panel, "save", key="curated/perturbations.parquet", description="clean")
    artifact = env.ln.Artifact.get(key="curated/perturbations.parquet")
    assert panel.value == artifact and panel.selected == artifact
    assert artifact.schema == env.schema and artifact.description == "clean"
    assert sorted(label.name for label in artifact.ulabels) == ["DMSO", "IFNG", "aspirin"]
    assert reply["saved"]["uid"] == artifact.uid
    assert reply["note"] == f"Saved artifact 'curated/perturbations.parquet' (uid {artifact.uid})."
    assert artifact.load()["perturbation"].tolist() == ["IFNG", "IFNG", "DMSO", "aspirin"]


def test_an_empty_panel_explains_itself_and_loads_later(env):
    panel = Curate()
    assert panel.loaded is False and panel.curator is None
    assert panel._handle({"type": "values", "key": "x"})["message"].startswith(
        "Nothing to curate yet"
    )
    panel.load(env.df, env.schema)
    assert (panel.loaded, panel.revision) == (True, 1)
    assert _states(_ask(panel, "status"))["perturbation"] == "invalid"
    assert "wb.curate.load(df, schema)" in load_esm("curate")


def test_changes_made_in_code_show_after_refresh(env):
    panel = Curate(env.df, env.schema)
    panel.curator.cat.add_new_from("perturbation")
    panel.refresh()
    assert panel.revision == 2
    assert _ask(panel, "status")["valid"] is True


def test_a_ready_curator_is_accepted(env):
    curator = env.ln.curators.DataFrameCurator(env.df, env.schema)
    assert Curate(curator).curator is curator


def test_wrong_inputs_say_what_to_pass(env):
    with pytest.raises(Exception, match="needs a schema"):
        Curate(env.df)
    panel = Curate(env.df, env.schema)
    assert (
        "is not a categorical column"
        in panel._handle({"type": "values", "key": "temperature"})["message"]
    )


def test_anndata_obs_and_var_names(env):
    import anndata as ad
    import numpy as np

    ln = env.ln
    ln.Feature(name="CD3E", dtype=float).save()
    obs_schema = ln.Schema(name="obs", features=[env.pert]).save()
    var_schema = ln.Schema(name="var", itype="Feature").save()
    schema = ln.Schema(
        name="ad", otype="AnnData", slots={"obs": obs_schema, "var.T": var_schema}
    ).save()
    adata = ad.AnnData(
        np.zeros((2, 2)),
        obs=pd.DataFrame({"perturbation": ["IFNG", "IFNJ"]}, index=["a", "b"]),
        var=pd.DataFrame(index=["CD3E", "CD3F"]),
    )
    panel = Curate(adata, schema)
    states = {(c["slot"], c["key"]): c["state"] for c in _ask(panel, "status")["columns"]}
    assert states == {("obs", "perturbation"): "invalid", ("var.T", "var.T"): "invalid"}
    _ask(panel, "accept", slot="var.T", key="var.T", value="CD3F", suggestion="CD3E")
    assert list(adata.var.index) == ["CD3E", "CD3E"]


def test_the_workbench_curate_tab(env):
    wb = Workbench(curate=(env.df, env.schema))
    assert isinstance(wb.curate, Curate) and wb.selected_index == 4
    _ask(wb.curate, "create", key="perturbation", all=True)
    _ask(wb.curate, "save", key="wb.parquet")
    assert wb.selected == wb.curate.value and wb.describe.record == wb.curate.value
    assert wb.selected_index == 4
    assert Workbench().curate.loaded is False

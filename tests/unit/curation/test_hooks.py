"""The schema hooks that let the models layer call the curation layer."""

from __future__ import annotations

import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.models.mixins import has_features


def test_importing_curation_registers_the_schema_hooks():
    import lamin_lab.curation as curation

    assert has_features.SCHEMA_HOOKS["validate"] is curation.validate_for_artifact
    assert has_features.SCHEMA_HOOKS["annotate"] is curation.annotate


def test_loader_is_called_when_hooks_are_missing(monkeypatch):
    calls = []
    monkeypatch.setattr(has_features, "SCHEMA_HOOKS", {})
    monkeypatch.setattr(
        has_features,
        "CURATION_LOADER",
        [lambda: calls.append(1) or has_features.SCHEMA_HOOKS.update(validate=len)],
    )
    assert has_features.schema_hook("validate") is len
    assert calls == [1]


def test_missing_hook_says_what_to_do(monkeypatch):
    monkeypatch.setattr(has_features, "SCHEMA_HOOKS", {})
    monkeypatch.setattr(has_features, "CURATION_LOADER", [])
    with pytest.raises(InvalidArgument, match="import lamin_lab.curators"):
        has_features.schema_hook("validate")


def test_schema_only_for_dataframes_and_anndata(ln):
    import lamin_lab.curation as curation

    schema = ln.Schema(itype=ln.Feature).save()
    with pytest.raises(
        InvalidArgument, match="schema= validates pandas DataFrames and AnnData objects, not list"
    ):
        curation.validate_for_artifact([1, 2], schema)

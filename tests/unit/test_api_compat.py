"""LaminDB's names, settings and constructor forms, as a LaminDB user writes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

LAMINDB_ERRORS = [
    "BlobHashNotFound",
    "BranchAlreadyExists",
    "DoesNotExist",
    "FieldValidationError",
    "FileNotInDevDir",
    "InconsistentKey",
    "IntegrityError",
    "InvalidArgument",
    "MissingContextUID",
    "MultipleObjectsReturned",
    "MultipleResultsFound",
    "NoStorageLocationForSpace",
    "NoWriteAccess",
    "NotebookNotSaved",
    "ObjectDoesNotExist",
    "TrackNotCalled",
    "UnknownStorageLocation",
    "UpdateContext",
    "ValidationError",
]

NEWLY_EXPORTED_MODELS = [
    "BaseSQLRecord",
    "Registry",
    "FeatureManager",
    "LabelManager",
    "QueryManager",
    "RelatedManager",
    "SchemaOptionals",
    "ValidateFields",
    "BaseBlock",
    "BlockProject",
    "BasicQuerySet",
]


# ------------------------------------------------------------------ names
@pytest.mark.parametrize("name", LAMINDB_ERRORS)
def test_every_lamindb_error_name_is_a_lamin_lab_error(name):
    import lamin_lab as ln

    assert issubclass(getattr(ln.errors, name), ln.errors.LaminLabError)


def test_core_exceptions_are_the_errors():
    from lamin_lab.core import exceptions

    assert exceptions.DoesNotExist is exceptions.ObjectDoesNotExist
    from lamin_lab import errors

    assert all(getattr(exceptions, name) is getattr(errors, name) for name in LAMINDB_ERRORS)


def test_core_storage_offers_upath():
    import lamin_lab as ln
    from upath import UPath

    assert ln.core.storage.UPath is UPath
    assert ln.UPath is UPath


def test_core_datasets_without_examples_says_what_to_do(monkeypatch):
    import lamin_lab as ln

    monkeypatch.setitem(sys.modules, "lamin_lab.examples", None)  # as if the module did not exist
    monkeypatch.delitem(ln.core.__dict__, "datasets", raising=False)
    with pytest.raises(ln.errors.MissingDependency, match="lamin_lab.examples"):
        ln.core.datasets  # noqa: B018


def test_unknown_core_attribute_is_an_attribute_error():
    import lamin_lab as ln

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ln.core.nope  # noqa: B018


@pytest.mark.parametrize("name", NEWLY_EXPORTED_MODELS)
def test_lamindb_models_names_are_importable(name):
    import lamin_lab.models

    assert getattr(lamin_lab.models, name) is not None
    assert name in lamin_lab.models.__all__


def test_query_classes_relate_as_in_lamindb(ln):
    assert isinstance(ln.ULabel.filter(), ln.models.BasicQuerySet)
    assert isinstance(ln.Artifact, ln.models.Registry)
    assert issubclass(ln.models.SQLRecord, ln.models.BaseSQLRecord)
    assert issubclass(ln.models.Block, ln.models.BaseBlock)


def test_block_project_links_a_block_to_a_project(ln):
    project = ln.Project(name="P").save()
    block = ln.models.Block(key="notes.md", content="hello").save()
    ln.models.BlockProject(block=block, project=project).save()
    assert ln.models.BlockProject.filter(project=project).count() == 1


def _fresh_process(tmp_path: Path, code: str) -> object:
    env = dict(os.environ, LAMIN_LAB_HOME=str(tmp_path / "home"), PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_core_and_upath_load_lazily(tmp_path):
    loaded = _fresh_process(
        tmp_path,
        "import json, sys, lamin_lab; print(json.dumps(['lamin_lab.core' in sys.modules, 'upath' in sys.modules]))",
    )
    assert loaded == [False, False]


# ------------------------------------------------------------------ settings
def test_creation_settings_have_lamindb_defaults():
    import lamin_lab as ln

    creation = ln.settings.creation
    assert (
        creation.search_names,
        creation.artifact_silence_missing_run_warning,
        creation.artifact_skip_size_hash,
    ) == (
        True,
        False,
        False,
    )


def test_annotation_n_max_records_defaults_to_1000():
    import lamin_lab as ln

    assert ln.settings.annotation.n_max_records == 1000


def test_track_run_inputs_defaults_to_true():
    import lamin_lab as ln

    assert ln.settings.track_run_inputs is True


@pytest.mark.parametrize("level", ["error", "warning", "success", "info", "hint", "debug"])
def test_verbosity_accepts_the_six_lamindb_levels(level, monkeypatch):
    import lamin_lab as ln

    monkeypatch.setattr(ln.settings, "verbosity", ln.settings.verbosity)  # restored after the test
    ln.settings.verbosity = level
    assert ln.settings.verbosity == level


def test_verbosity_int_selects_a_level_by_position(monkeypatch):
    import lamin_lab as ln

    monkeypatch.setattr(ln.settings, "verbosity", ln.settings.verbosity)
    assert [setattr(ln.settings, "verbosity", i) or ln.settings.verbosity for i in range(6)] == [
        "error",
        "warning",
        "success",
        "info",
        "hint",
        "debug",
    ]


def test_verbosity_success_sits_between_warning_and_info(monkeypatch):
    import logging

    import lamin_lab as ln

    monkeypatch.setattr(ln.settings, "verbosity", ln.settings.verbosity)
    ln.settings.verbosity = "success"
    assert logging.WARNING > logging.getLogger("lamin_lab").level > logging.INFO


def test_verbosity_out_of_range_int_is_refused(monkeypatch):
    import lamin_lab as ln

    with pytest.raises(ln.errors.InvalidArgument, match="int 0-5"):
        ln.settings.verbosity = 6


def test_dev_dir_is_the_working_directory(monkeypatch, tmp_path):
    import lamin_lab as ln

    monkeypatch.delenv("LAMIN_LAB_DEV_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert ln.setup.settings.dev_dir == Path.cwd()


def test_dev_dir_follows_the_environment(monkeypatch, tmp_path):
    import lamin_lab as ln

    monkeypatch.setenv("LAMIN_LAB_DEV_DIR", str(tmp_path))
    assert ln.setup.settings.dev_dir == tmp_path.resolve()


# ------------------------------------------------------------------ constructors
def test_run_takes_the_transform_positionally(ln):
    transform = ln.Transform(key="pipeline.py").save()
    run = ln.Run(transform, name="first").save()
    assert (run.transform.key, run.name) == ("pipeline.py", "first")


def test_run_with_two_transforms_is_refused(ln):
    transform = ln.Transform(key="pipeline.py").save()
    with pytest.raises(ln.errors.InvalidArgument, match="only positional"):
        ln.Run(transform, transform=transform)


def test_unsaved_artifact_loads_its_source(ln, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n")
    artifact = ln.Artifact(path, key="a.csv")
    assert artifact.load()["a"].tolist() == [1]
    assert artifact.cache() == path
    assert ln.Artifact.filter().count() == 0


def test_artifact_features_are_added_on_save(ln, tmp_path):
    ln.Feature(name="temperature", dtype=float).save()
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n")
    artifact = ln.Artifact(path, key="a.csv", features={"temperature": 21.5})
    assert artifact.save().features.get_values() == {"temperature": 21.5}


def test_record_features_are_added_on_save(ln):
    ln.Feature(name="n_cells", dtype=int).save()
    record = ln.Record(name="sample 1", features={"n_cells": 4}).save()
    assert record.features.get_values() == {"n_cells": 4}


def test_unknown_feature_in_constructor_saves_nothing(ln, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n")
    with pytest.raises(ln.errors.ValidationError):
        ln.Artifact(path, key="a.csv", features={"no_such_feature": 1}).save()
    assert ln.Artifact.filter().count() == 0


def test_features_must_be_a_dict(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="dict of feature name"):
        ln.Record(name="r", features=["a"])


def test_parquet_kwargs_reach_the_writer(ln):
    import pandas as pd
    import pyarrow.parquet as pq

    artifact = ln.Artifact.from_dataframe(
        pd.DataFrame({"x": [1, 2]}), key="x.parquet", parquet_kwargs={"compression": "gzip"}
    )
    assert (
        pq.ParquetFile(artifact.save().cache()).metadata.row_group(0).column(0).compression
        == "GZIP"
    )


def test_h5ad_kwargs_reach_the_writer(ln):
    import anndata as ad
    import h5py
    import numpy as np

    artifact = ln.Artifact.from_anndata(
        ad.AnnData(np.ones((2, 2), dtype="float32")),
        key="x.h5ad",
        h5ad_kwargs={"compression": "gzip"},
    ).save()
    with h5py.File(artifact.cache(), "r") as f:
        assert f["X"].compression == "gzip"

"""Artifact and Storage semantics as LaminDB has them: otype of paths, required labels,
versions, keys, trash, ``ln.settings.storage``."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "outside" / "cells.csv"
    path.parent.mkdir()
    path.write_text("a,b\n1,2\n")
    return path


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "outside" / "imgs"
    path.mkdir(parents=True)
    (path / "a.txt").write_text("a")
    return path


def _df(x=(1, 2, 3)):
    return pd.DataFrame({"x": list(x)})


def test_a_csv_path_has_otype_dataframe(ln, csv_file):
    assert ln.Artifact(csv_file, key="cells.csv").otype == "DataFrame"


def test_a_txt_path_has_no_otype(ln, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("x")
    assert ln.Artifact(path, key="notes.txt").otype is None


def test_a_file_without_key_description_or_run_is_refused(ln, csv_file):
    with pytest.raises(ln.errors.InvalidArgument, match="key=, description= or run="):
        ln.Artifact(csv_file)


def test_the_refusal_is_a_value_error(ln, folder):
    with pytest.raises(ValueError):
        ln.Artifact(folder)


def test_a_dataframe_without_a_label_writes_nothing(ln):
    staging = ln.settings.cache_dir / ".staging"
    with pytest.raises(ln.errors.InvalidArgument):
        ln.Artifact.from_dataframe(_df())
    assert not staging.exists() or list(staging.iterdir()) == []


def test_a_description_alone_is_enough(ln, csv_file):
    a = ln.Artifact(csv_file, description="cells").save()
    assert (a.key, a.description) == (None, "cells")


def test_a_missing_path_is_a_file_not_found_error(ln, tmp_path):
    with pytest.raises(FileNotFoundError):
        ln.Artifact(tmp_path / "missing.csv", key="missing.csv")


def test_a_missing_path_is_path_does_not_exist(ln, tmp_path):
    with pytest.raises(ln.errors.PathDoesNotExist, match="does not exist"):
        ln.Artifact(tmp_path / "missing.csv", key="missing.csv")


def test_a_key_without_the_files_suffix_is_refused(ln, csv_file):
    with pytest.raises(ln.errors.InvalidArgument, match="ending in .csv"):
        ln.Artifact(csv_file, key="cells")


def test_revises_inherits_the_description(ln):
    a = ln.Artifact.from_dataframe(_df(), description="first").save()
    b = ln.Artifact.from_dataframe(_df((4, 5, 6)), revises=a).save()
    assert b.description == "first"


def test_a_version_that_is_no_string_is_refused(ln, csv_file):
    with pytest.raises(ln.errors.InvalidArgument, match="version='0'"):
        ln.Artifact(csv_file, key="cells.csv", version=0)


def test_a_version_tag_taken_by_the_revised_version_is_refused(ln, csv_file):
    a = ln.Artifact.from_dataframe(_df(), key="t.parquet", version="1").save()
    with pytest.raises(ln.errors.InvalidArgument, match="taken"):
        ln.Artifact.from_dataframe(_df((4, 5, 6)), revises=a, version="1")


def test_from_anndata_refuses_a_dataframe(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="from_anndata"):
        ln.Artifact.from_anndata(_df(), description="x")


def test_from_mudata_refuses_an_h5ad_path(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="from_mudata"):
        ln.Artifact.from_mudata("x.h5ad", description="x")


def test_key_is_virtual_false_stores_the_copy_under_its_key(ln, csv_file):
    a = ln.Artifact(csv_file, key="real/cells.csv", key_is_virtual=False).save()
    assert a.path == ln.settings.storage.root / "real" / "cells.csv"
    assert a.path.read_text() == "a,b\n1,2\n"


def test_key_is_virtual_false_needs_a_key(ln, csv_file):
    with pytest.raises(ln.errors.InvalidArgument, match="pass key="):
        ln.Artifact(csv_file, description="x", key_is_virtual=False)


def test_a_folder_overwrites_versions_by_default(ln, folder):
    assert ln.Artifact(folder, key="imgs").save()._overwrite_versions is True


def test_a_file_keeps_versions_by_default(ln, csv_file):
    assert ln.Artifact(csv_file, key="cells.csv").save()._overwrite_versions is False


def test_overwrite_versions_is_recorded(ln, csv_file):
    assert (
        ln.Artifact(csv_file, key="cells.csv", overwrite_versions=True).save()._overwrite_versions
        is True
    )


def test_a_new_version_is_announced(ln, csv_file, caplog):
    ln.Artifact(csv_file, key="cells.csv").save()
    csv_file.write_text("a,b\n9,9\n")
    with caplog.at_level("INFO", logger="lamin_lab"):
        ln.Artifact(csv_file, key="cells.csv")
    assert "new version" in caplog.text


def test_saving_trashed_content_again_restores_the_trashed_artifact(ln, csv_file):
    a = ln.Artifact(csv_file, key="cells.csv").save()
    a.delete()
    b = ln.Artifact(csv_file, key="cells.csv").save()
    assert (b.id, b.branch_id, ln.Artifact.filter(branch_id=-1).count()) == (a.id, 1, 0)


def test_the_restored_artifact_is_the_latest_version(ln, csv_file):
    ln.Artifact(csv_file, key="cells.csv").save()
    csv_file.write_text("a,b\n9,9\n")
    b = ln.Artifact(csv_file, key="cells.csv").save()
    b.delete()
    c = ln.Artifact(csv_file, key="cells.csv").save()
    assert [v.is_latest for v in ln.Artifact.filter(key="cells.csv").order_by("id")] == [
        False,
        True,
    ]
    assert c.id == b.id


def test_settings_storage_root_is_a_upath(ln):
    assert type(ln.settings.storage.root).__name__ == "PosixUPath"


def test_settings_storage_record_is_the_default_storage(ln, csv_file):
    a = ln.Artifact(csv_file, key="cells.csv").save()
    assert a.storage == ln.settings.storage.record


def test_an_opened_h5ad_closes_its_file_at_the_end_of_a_with_block(ln):
    import anndata as ad
    import numpy as np

    a = ln.Artifact.from_anndata(ad.AnnData(np.ones((3, 2), dtype="float32")), key="x.h5ad").save()
    with a.open() as backed:
        assert backed.shape == (3, 2)
    assert not backed.file.is_open


def test_an_opened_h5ad_is_an_anndata(ln):
    import anndata as ad
    import numpy as np

    a = ln.Artifact.from_anndata(ad.AnnData(np.ones((3, 2), dtype="float32")), key="x.h5ad").save()
    assert isinstance(a.open(), ad.AnnData)


def test_settings_storage_takes_a_root_and_host_tuple(ln, tmp_path):
    ln.Storage(root=str(tmp_path / "second")).save()
    ln.settings.storage = (str(tmp_path / "second"), "my-host")
    assert ln.settings.storage.record.root == str(tmp_path / "second")

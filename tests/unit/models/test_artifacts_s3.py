"""Artifacts in S3 storage, against a real moto server on loopback."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.s3


@pytest.fixture
def s3_ln(ln, s3_bucket):
    ln.settings.storage = f"{s3_bucket}/project"
    return ln


def test_save_uploads_to_the_managed_key(s3_ln):
    ln = s3_ln
    a = ln.Artifact.from_df(pd.DataFrame({"x": [1, 2]}), key="t/x.parquet").save()
    assert a.storage.type == "s3" and a.storage.root.endswith("/project")
    assert str(a.path) == f"{a.storage.root}/.lamindb/{a.uid}.parquet"
    assert a.path.exists()


def test_load_from_s3_through_the_cache(s3_ln):
    ln = s3_ln
    a = ln.Artifact.from_df(pd.DataFrame({"x": [1, 2]}), key="t/x.parquet").save()
    fresh = ln.Artifact.get(a.uid)
    assert fresh.load()["x"].tolist() == [1, 2]
    assert str(fresh.cache()).startswith(str(ln.settings.cache_dir))


def test_cache_redownloads_only_when_outdated(s3_ln, tmp_path):
    ln = s3_ln
    src = tmp_path / "v.txt"
    src.write_text("one")
    a = ln.Artifact(src, key="t/v.txt").save()
    first = ln.Artifact.get(a.uid).cache()
    mtime = first.stat().st_mtime_ns
    second = ln.Artifact.get(a.uid).cache()
    assert second == first and second.stat().st_mtime_ns == mtime


def test_register_existing_s3_file_in_place(s3_ln, s3_bucket, tmp_path):
    ln = s3_ln
    import fsspec

    fs = fsspec.filesystem("s3")
    fs.pipe(f"{s3_bucket}/external/raw.csv", b"a\n1\n")
    a = ln.Artifact(f"{s3_bucket}/external/raw.csv").save()
    assert (a.key, a._key_is_virtual) == ("external/raw.csv", False)
    assert a.load()["a"].tolist() == [1]


def test_permanent_delete_removes_the_s3_object(s3_ln):
    ln = s3_ln
    a = ln.Artifact.from_df(pd.DataFrame({"x": [1]}), key="t/x.parquet").save()
    path = a.path
    a.delete(permanent=True)
    assert not path.exists()


def test_failed_upload_leaves_no_record(s3_ln, monkeypatch):
    ln = s3_ln
    from lamin_lab.models.artifact import save as artifact_save

    def broken_put(*args, **kwargs):
        raise ln.errors.StorageError("connection reset")

    monkeypatch.setattr(artifact_save, "put", broken_put)
    with pytest.raises(ln.errors.StorageError):
        ln.Artifact.from_df(pd.DataFrame({"x": [1]}), key="t/x.parquet").save()
    assert ln.Artifact.filter(branch_id__in=[-1, 0, 1]).count() == 0


def test_collection_of_s3_artifacts_loads(s3_ln):
    ln = s3_ln
    a = ln.Artifact.from_df(pd.DataFrame({"x": [1]}), key="t/a.parquet").save()
    b = ln.Artifact.from_df(pd.DataFrame({"x": [2]}), key="t/b.parquet").save()
    assert ln.Collection([a, b], key="s3 pair").save().load()["x"].tolist() == [1, 2]


def test_storage_registry_lists_both_locations(s3_ln):
    ln = s3_ln
    ln.Artifact.from_df(pd.DataFrame({"x": [1]}), key="t/a.parquet").save()
    df = ln.Storage.to_dataframe()
    assert set(df["type"]) == {"local", "s3"}

"""Artifacts: construction, keys, dedup, versions, atomic saving, reading, deleting."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "outside" / "sample.csv"
    path.parent.mkdir()
    path.write_text("a,b\n1,2\n3,4\n")
    return path


def _df(x=(1, 2, 3)):
    return pd.DataFrame({"x": list(x), "y": ["a", "b", "c"][: len(x)]})


def test_file_outside_storage_is_copied_into_managed_layout(ln, csv_file):
    a = ln.Artifact(csv_file, key="raw/sample.csv").save()
    assert a.path == ln.settings.storage.root / ".lamindb" / f"{a.uid}.csv"
    assert a.path.read_text() == "a,b\n1,2\n3,4\n"
    assert csv_file.exists()  # the original stays where it was
    assert (a.key, a.suffix, a.size, a._key_is_virtual) == ("raw/sample.csv", ".csv", 12, True)


def test_uid_is_20_chars_with_0000_version(ln, csv_file):
    a = ln.Artifact(csv_file, key="raw/sample.csv").save()
    assert len(a.uid) == 20 and a.uid.endswith("0000")
    assert a.stem_uid == a.uid[:16] and a.version == "0000"


def test_hash_follows_the_compatible_md5_scheme(ln, tmp_path):
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")
    a = ln.Artifact(path, key="abc.txt")
    assert (a.hash, a.hash_type) == ("kAFQmDzST7DWlj99KOF_cg", "md5")


def test_file_inside_storage_root_is_registered_in_place(ln):
    root = ln.settings.storage.root
    (root / "plates").mkdir()
    path = root / "plates" / "p1.csv"
    path.write_text("x\n1\n")
    a = ln.Artifact(path).save()
    assert (a.key, a._key_is_virtual, a.path) == ("plates/p1.csv", False, path)


@pytest.mark.parametrize("key", ["//abs/a.csv", "a/../b.csv", "a//b.csv", "a\\b.csv", "a/", ""])
def test_bad_keys_are_refused_with_a_fix(ln, csv_file, key):
    with pytest.raises(ln.errors.InvalidArgument):
        ln.Artifact(csv_file, key=key)
    assert ln.Artifact.filter().count() == 0


def test_missing_path_says_so(ln, tmp_path):
    with pytest.raises(ln.errors.InvalidArgument, match="does not exist"):
        ln.Artifact(tmp_path / "nope.csv", key="nope.csv")


def test_unsupported_data_type_is_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="takes a path, a pandas DataFrame"):
        ln.Artifact(42, key="x.txt")


def test_from_df_writes_parquet_and_describes_the_table(ln):
    a = ln.Artifact.from_df(_df(), key="tables/t.parquet", description="batch 1").save()
    assert (a.suffix, a.kind, a.otype, a.n_observations, a.description) == (
        ".parquet",
        "dataset",
        "DataFrame",
        3,
        "batch 1",
    )
    pd.testing.assert_frame_equal(pd.read_parquet(a.path), _df())


def test_from_df_with_csv_key_writes_csv(ln):
    a = ln.Artifact.from_df(_df(), key="tables/t.csv").save()
    assert a.suffix == ".csv"
    assert a.path.read_text().splitlines()[0].endswith("x,y")


def test_key_suffix_must_agree_with_the_format(ln):
    with pytest.raises(ln.errors.InvalidArgument):
        ln.Artifact.from_df(_df(), key="tables/t.h5ad")


def test_same_content_returns_the_existing_artifact(ln, caplog):
    first = ln.Artifact.from_df(_df(), key="tables/a.parquet").save()
    with caplog.at_level("INFO", logger="lamin_lab"):
        again = ln.Artifact.from_df(_df(), key="tables/b.parquet")
    assert again.uid == first.uid and again.key == "tables/a.parquet"
    assert "existing artifact" in caplog.text
    again.save()
    assert ln.Artifact.filter().count() == 1


def test_same_key_new_content_is_a_new_version(ln):
    v1 = ln.Artifact.from_df(_df(), key="tables/t.parquet").save()
    v2 = ln.Artifact.from_df(_df((7, 8, 9)), key="tables/t.parquet").save()
    assert v2.stem_uid == v1.stem_uid and v2.uid.endswith("0001")
    assert ln.Artifact.get(v1.uid).is_latest is False and v2.is_latest is True
    assert ln.Artifact.get(v1.stem_uid).uid == v2.uid  # a stem gets the latest
    assert v2.versions.to_list("uid") == [v1.uid, v2.uid]


def test_revises_makes_a_new_version_and_inherits_the_key(ln):
    v1 = ln.Artifact.from_df(_df(), key="tables/t.parquet").save()
    v2 = ln.Artifact.from_df(_df((4, 5, 6)), revises=v1).save()
    assert (v2.key, v2.stem_uid) == ("tables/t.parquet", v1.stem_uid)


def test_is_new_version_of_is_refused_for_revises(ln):
    v1 = ln.Artifact.from_df(_df((1, 2, 3)), key="t.parquet").save()
    with pytest.raises(ln.errors.FieldValidationError, match="revises="):
        ln.Artifact.from_df(_df((4, 5, 6)), is_new_version_of=v1)


def test_older_field_names_still_work(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet", type="dataset").save()
    assert (a.type, a.accessor, a.n_objects) == ("dataset", "DataFrame", None)
    assert ln.Artifact.filter(accessor="DataFrame", type="dataset").count() == 1


def test_load_returns_the_dataframe(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    fresh = ln.Artifact.get(a.uid)  # no in-memory copy
    pd.testing.assert_frame_equal(fresh.load(), _df())


def test_open_gives_a_pyarrow_dataset(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    table = ln.Artifact.get(a.uid).open().to_table()
    assert table.num_rows == 3 and table.column_names[:2] == ["x", "y"]


def test_open_with_polars_engine(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    with ln.Artifact.get(a.uid).open(engine="polars") as lazy:
        frame = lazy.collect()
    assert frame["x"].to_list() == [1, 2, 3]


def test_open_refuses_formats_it_cannot_stream(ln, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    a = ln.Artifact(path, key="notes.txt").save()
    with pytest.raises(ln.errors.InvalidArgument, match="use .load\\(\\) or .cache\\(\\)"):
        a.open()


def test_unknown_format_loads_as_its_path(ln, tmp_path):
    path = tmp_path / "image.bin"
    path.write_bytes(b"\x00\x01")
    a = ln.Artifact(path, key="image.bin").save()
    assert ln.Artifact.get(a.uid).load() == a.path


def test_anndata_roundtrip_and_backed_open(ln):
    import anndata as ad
    import numpy as np

    adata = ad.AnnData(np.arange(12, dtype="float32").reshape(4, 3))
    a = ln.Artifact.from_anndata(adata, key="sc/x.h5ad").save()
    assert (a.otype, a.n_observations, a.suffix) == ("AnnData", 4, ".h5ad")
    loaded = ln.Artifact.get(a.uid).load()
    np.testing.assert_array_equal(loaded.X, adata.X)
    backed = ln.Artifact.get(a.uid).open()
    assert backed.shape == (4, 3)


def test_folder_artifact_hashes_all_files(ln, tmp_path):
    folder = tmp_path / "run1"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("a")
    (folder / "sub" / "b.txt").write_text("b")
    a = ln.Artifact(folder, key="runs/run1").save()
    assert (a.n_files, a.hash_type, a.size) == (2, "md5-d", 2)
    assert (a.path / "sub" / "b.txt").read_text() == "b"


def test_from_dir_keys_keep_the_folder_structure(ln, tmp_path):
    folder = tmp_path / "images"
    (folder / "day1").mkdir(parents=True)
    (folder / "day1" / "i1.png").write_bytes(b"1")
    (folder / "i2.png").write_bytes(b"2")
    (folder / ".hidden").write_bytes(b"3")
    artifacts = ln.Artifact.from_dir(folder)
    ln.save(artifacts)
    assert sorted(ln.Artifact.filter().to_list("key")) == ["images/day1/i1.png", "images/i2.png"]


def test_bulk_save_writes_every_file_and_row(ln):
    artifacts = [
        ln.Artifact.from_df(_df((i, i + 1, i + 2)), key=f"t/{i}.parquet") for i in range(20)
    ]
    ln.save(artifacts)
    assert ln.Artifact.filter().count() == 20
    assert all(a.path.exists() and a.id is not None for a in artifacts)


def test_failed_insert_leaves_no_managed_file(ln, monkeypatch):
    a = ln.Artifact.from_df(_df(), key="t.parquet")

    def boom(*args, **kwargs):
        raise ln.errors.IntegrityError("simulated")

    monkeypatch.setattr(type(a), "_after_save", boom)
    with pytest.raises(ln.errors.IntegrityError):
        a.save()
    assert ln.Artifact.filter().count() == 0
    assert list((ln.settings.storage.root / ".lamindb").glob("*")) == []


def test_failed_upload_leaves_no_record(ln, csv_file, monkeypatch):
    from lamin_lab.models.artifact import save as artifact_save

    def broken_put(*args, **kwargs):
        raise ln.errors.StorageError("disk full")

    monkeypatch.setattr(artifact_save, "put", broken_put)
    with pytest.raises(ln.errors.StorageError, match="disk full"):
        ln.Artifact(csv_file, key="raw/sample.csv").save()
    assert ln.Artifact.filter(branch_id__in=[-1, 0, 1]).count() == 0


def test_delete_moves_to_trash_and_keeps_the_file(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    a.delete()
    assert ln.Artifact.filter().count() == 0
    assert ln.Artifact.filter(branch_id=-1).one().uid == a.uid
    assert a.path.exists()


def test_restore_brings_an_artifact_back(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    a.delete()
    a.restore()
    assert ln.Artifact.get(a.uid).branch_id == 1


def test_permanent_delete_removes_row_and_managed_file(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    path = a.path
    a.delete(permanent=True)
    assert not path.exists()
    assert ln.Artifact.filter(branch_id__in=[-1, 0, 1]).count() == 0


def test_second_delete_is_permanent(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    a.delete()
    a.delete()
    assert ln.Artifact.filter(branch_id=-1).count() == 0


def test_in_place_artifact_keeps_its_data_unless_storage_true(ln):
    root = ln.settings.storage.root
    keep, drop = root / "keep.csv", root / "drop.csv"
    keep.write_text("k\n1\n")
    drop.write_text("d\n2\n")
    ln.Artifact(keep).save().delete(permanent=True)
    ln.Artifact(drop).save().delete(permanent=True, storage=True)
    assert keep.exists() and not drop.exists()


def test_replace_swaps_content_keeping_uid_and_key(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    old_hash = a.hash
    a.replace(_df((9, 9, 9)))
    a.save()
    fresh = ln.Artifact.get(a.uid)
    assert fresh.key == "t.parquet" and fresh.hash != old_hash
    assert fresh.load()["x"].tolist() == [9, 9, 9]


def test_replace_returns_the_artifact_for_chaining(ln):
    # Not lamindb's behaviour (its replace() returns None), asked for by issue #11 so that
    # artifact.replace(data).save() chains; code written for lamindb ignores the value.
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    assert a.replace(_df((4, 4, 4))) is a


def test_replace_with_another_format_removes_the_old_file(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    old = a.path
    a.replace(_df((5, 6, 7)), format="csv")
    a.save()
    assert a.suffix == ".csv" and a.path.exists() and not old.exists()


def test_from_lazy_registers_what_was_written(ln):
    lazy = ln.Artifact.from_lazy(suffix=".txt", key="notes/lazy.txt")
    lazy.path.write_text("streamed")
    a = lazy.save()
    assert a.key == "notes/lazy.txt" and a.path.read_text() == "streamed"
    assert not lazy.path.exists()  # moved, not copied


def test_artifact_set_load_concatenates_the_frames_in_order(ln):
    ln.Artifact.from_df(_df(), key="t/1.parquet").save()
    ln.Artifact.from_df(_df((4, 5, 6)), key="t/2.parquet").save()
    df = ln.Artifact.filter(key__startswith="t/").order_by("id").load()
    assert df["x"].tolist() == [1, 2, 3, 4, 5, 6]


def test_artifact_set_load_adds_no_column(ln):
    ln.Artifact.from_df(_df(), key="t/1.parquet").save()
    ln.Artifact.from_df(_df((4, 5, 6)), key="t/2.parquet").save()
    df = ln.Artifact.filter(key__startswith="t/").order_by("id").load()
    assert list(df.columns) == list(_df().columns)


def test_artifact_set_load_of_an_empty_set_is_a_value_error(ln):
    with pytest.raises(ValueError, match="no artifacts to load"):
        ln.Artifact.filter(key="none").load()


def test_artifact_set_load_of_mixed_formats_is_refused(ln, tmp_path):
    ln.Artifact.from_df(_df(), key="t/1.parquet").save()
    path = tmp_path / "t.csv"
    path.write_text("x\n1\n")
    ln.Artifact(path, key="t/2.csv").save()
    with pytest.raises(ln.errors.InvalidArgument, match="one format"):
        ln.Artifact.filter(key__startswith="t/").load()


def test_artifact_query_sets_are_named_as_lamindb_names_them(ln):
    assert type(ln.Artifact.filter()).__name__ == "ArtifactQuerySet"


def test_artifact_set_open_spans_many_files(ln):
    ln.Artifact.from_df(_df(), key="t/1.parquet").save()
    ln.Artifact.from_df(_df((4, 5, 6)), key="t/2.parquet").save()
    assert ln.Artifact.filter(suffix=".parquet").open().count_rows() == 6


def test_storage_of_another_instance_is_read_only(ln):
    other = ln.Storage(
        root="/tmp/elsewhere-not-ours", type="local", instance_uid="zzzzzzzzzzzz"
    ).save()
    ln.settings.storage = "/tmp/elsewhere-not-ours"
    with pytest.raises(ln.errors.NoWriteAccess, match="read-only here"):
        ln.Artifact.from_df(_df(), key="t.parquet").save()
    assert other.root == "/tmp/elsewhere-not-ours"


def test_deleting_a_storage_location_with_artifacts_raises(ln):
    a = ln.Artifact.from_df(_df(), key="t.parquet").save()
    with pytest.raises(ln.errors.StorageNotEmpty, match="still holds 1 artifact"):
        a.storage.delete(permanent=True)


def test_deleting_the_current_storage_location_raises(ln):
    with pytest.raises(ln.errors.StorageInUse, match="current storage location"):
        ln.settings.storage.record.delete(permanent=True)
    assert ln.Storage.filter().count() == 1


def test_an_empty_storage_location_is_deleted_once_another_is_current(ln, tmp_path):
    first = ln.settings.storage.record
    ln.Storage(root=str(tmp_path / "second")).save()
    ln.settings.storage = tmp_path / "second"
    first.delete(permanent=True)
    assert ln.Storage.filter().to_list("root") == [str(tmp_path / "second")]


def test_save_can_be_retried_after_a_failed_insert(ln, monkeypatch):
    a = ln.Artifact.from_df(_df(), key="t.parquet")
    original = type(a)._after_save

    def fail_once(self, created):
        monkeypatch.setattr(type(a), "_after_save", original)
        raise ln.errors.IntegrityError("simulated")

    monkeypatch.setattr(type(a), "_after_save", fail_once)
    with pytest.raises(ln.errors.IntegrityError):
        a.save()
    a.save()
    assert ln.Artifact.get(a.uid).load()["x"].tolist() == [1, 2, 3]

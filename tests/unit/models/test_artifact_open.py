"""artifact.open() per suffix, and as a context manager that closes the file (issue #11)."""

from __future__ import annotations

import h5py
import numpy as np
import pytest


@pytest.fixture
def h5_artifact(ln, tmp_path):
    path = tmp_path / "g.h5"
    with h5py.File(path, "w") as f:
        f["d"] = np.arange(5)
        f.attrs["n"] = 1
    return ln.Artifact(path, key="g.h5").save()


def _adata():
    import anndata as ad

    return ad.AnnData(np.ones((2, 3), dtype="float32"))


def test_an_h5_artifact_opens_as_a_backed_accessor(h5_artifact):
    backed = h5_artifact.open()
    assert type(backed).__name__ == "BackedAccessor"
    assert backed.storage["d"][:].tolist() == [0, 1, 2, 3, 4]
    assert int(backed.storage.attrs["n"]) == 1
    backed.close()


def test_an_h5_artifact_with_block_closes_the_h5py_file(h5_artifact):
    with h5_artifact.open() as backed:
        keys = sorted(backed.storage.keys())
    assert keys == ["d"]
    assert backed.closed and not backed.storage.id.valid


def test_an_hdf5_artifact_opens_like_an_h5_one(ln, tmp_path):
    path = tmp_path / "g.hdf5"
    with h5py.File(path, "w") as f:
        f["x"] = [1.5]
    with ln.Artifact(path, key="g.hdf5").save().open() as backed:
        assert backed.storage["x"][:].tolist() == [1.5]


def test_an_h5ad_artifact_with_block_closes_the_anndata_file(ln):
    artifact = ln.Artifact.from_anndata(_adata(), key="x.h5ad").save()
    with artifact.open() as adata:
        assert (adata.shape, adata.closed) == ((2, 3), False)
    assert adata.closed is True
    assert str(adata.storage) == "<Closed HDF5 file>"


def test_a_zarr_artifact_with_block_marks_the_accessor_closed(ln, tmp_path):
    path = tmp_path / "z.zarr"
    _adata().write_zarr(path)
    with ln.Artifact(path, key="z.zarr").save().open() as adata:
        assert (adata.shape, adata.closed) == ((2, 3), False)
    assert adata.closed is True


def test_open_on_an_unsupported_suffix_names_the_suffixes_that_open(ln, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    artifact = ln.Artifact(path, key="notes.txt").save()
    with pytest.raises(ln.errors.InvalidArgument) as info:
        artifact.open()
    assert all(s in str(info.value) for s in (".parquet", ".h5ad", ".zarr", ".h5", ".hdf5"))


def test_a_damaged_h5_file_is_a_storage_error_saying_what_to_check(ln, tmp_path):
    path = tmp_path / "bad.h5"
    path.write_bytes(b"not an hdf5 file")
    artifact = ln.Artifact(path, key="bad.h5").save()
    with pytest.raises(ln.errors.StorageError, match="check_hash=True"):
        artifact.open()


def test_opening_an_h5_artifact_under_a_run_records_it_as_an_input(tracking, h5_artifact, tmp_path):
    script = tmp_path / "reader.py"
    script.write_text("import lamin_lab as ln\n")
    run = tracking.track(path=script)
    h5_artifact.open().close()
    assert [r.id for r in h5_artifact.input_of_runs] == [run.id]


def test_open_takes_the_mode_first_as_lamindb(ln):
    artifact = ln.Artifact.from_anndata(_adata(), key="x.h5ad").save()
    with artifact.open("r") as adata:
        assert adata.shape == (2, 3)


def test_a_write_mode_is_refused_saying_how_to_change_the_data(ln):
    artifact = ln.Artifact.from_anndata(_adata(), key="x.h5ad").save()
    with pytest.raises(ln.errors.InvalidArgument, match="mode='r\\+'.*revises=artifact"):
        artifact.open("r+")


def test_a_zarr_store_without_anndata_opens_as_a_backed_accessor(ln, tmp_path):
    import zarr

    zarr.open_group(str(tmp_path / "plain.zarr"), mode="w").create_array("d", data=np.arange(3))
    with ln.Artifact(tmp_path / "plain.zarr", key="plain.zarr").save().open() as backed:
        assert backed.storage["d"][:].tolist() == [0, 1, 2]
    assert backed.closed is True

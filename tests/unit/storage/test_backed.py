"""open_hdf5(), open_zarr(): LaminDB's BackedAccessor, or a backed AnnData when anndata wrote the store."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.storage.backed import BackedAccessor, open_hdf5, open_zarr


@pytest.fixture
def h5_file(tmp_path):
    path = tmp_path / "g.h5"
    with h5py.File(path, "w") as f:
        f["d"] = np.arange(4)
    return path


def test_a_plain_h5_file_opens_as_a_backed_accessor_on_h5py(h5_file):
    backed = open_hdf5(h5_file)
    assert isinstance(backed, BackedAccessor)
    assert isinstance(backed.storage, h5py.File)
    assert backed.connection is None
    assert backed.storage["d"][:].tolist() == [0, 1, 2, 3]
    backed.close()


def test_the_file_is_closed_at_the_end_of_a_with_block(h5_file):
    with open_hdf5(h5_file) as backed:
        assert backed.closed is False
    assert backed.closed is True
    assert str(backed.storage) == "<Closed HDF5 file>"


def test_closing_twice_is_harmless(h5_file):
    backed = open_hdf5(h5_file)
    backed.close()
    backed.close()
    assert backed.closed is True


def test_the_file_is_opened_read_only(h5_file):
    with open_hdf5(h5_file) as backed:
        assert backed.storage.mode == "r"


def test_an_h5_file_written_by_anndata_opens_as_a_backed_anndata(tmp_path):
    import anndata as ad

    path = tmp_path / "cells.hdf5"
    ad.AnnData(np.ones((3, 2))).write_h5ad(path)
    with open_hdf5(path) as adata:
        assert (type(adata).__name__, adata.shape, adata.closed) == (
            "AnnDataAccessor",
            (3, 2),
            False,
        )
    assert adata.closed is True


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(InvalidArgument, match="does not exist"):
        open_hdf5(tmp_path / "nope.h5")


def test_another_suffix_is_refused_naming_the_ones_it_reads(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("x")
    with pytest.raises(InvalidArgument, match=r"\.h5, \.hdf5"):
        open_hdf5(path)


def test_a_plain_zarr_store_opens_as_a_backed_accessor_on_a_zarr_group(tmp_path):
    import zarr

    group = zarr.open_group(str(tmp_path / "plain.zarr"), mode="w")
    group.create_array("d", data=np.arange(3))
    with open_zarr(tmp_path / "plain.zarr") as backed:
        assert (type(backed.storage).__name__, backed.storage["d"][:].tolist()) == (
            "Group",
            [0, 1, 2],
        )
        assert backed.closed is False
    assert backed.closed is True


def test_an_anndata_zarr_store_opens_as_a_backed_anndata(tmp_path):
    import anndata as ad

    ad.AnnData(np.ones((2, 2))).write_zarr(tmp_path / "cells.zarr")
    assert open_zarr(tmp_path / "cells.zarr").shape == (2, 2)


def test_a_file_is_not_a_zarr_store(h5_file):
    with pytest.raises(InvalidArgument, match="not a zarr store"):
        open_zarr(h5_file)

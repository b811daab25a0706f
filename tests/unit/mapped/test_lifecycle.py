"""Opening, pickling, closing and streaming MappedCollection; variable checks."""

from __future__ import annotations

import pickle
import uuid

import fsspec
import numpy as np
import pytest

from lamin_lab.errors import InvalidArgument, StorageError
from lamin_lab.mapped import MappedCollection

from .conftest import GENES, expected_rows, make_adata, write


def test_pickle_round_trip_reads_the_same_items(two_stores):
    ds = MappedCollection(two_stores[0], obs_keys="cell_type")
    ds[0]  # handles are open now; pickling must not carry them
    clone = pickle.loads(pickle.dumps(ds))
    assert not any(h.is_open for h in clone._handles)
    for i in (0, 33, 54):
        np.testing.assert_array_equal(clone[i]["X"], ds[i]["X"])
        assert clone[i]["cell_type"] == ds[i]["cell_type"]
    assert clone.encoders == ds.encoders


def test_close_closes_handles_and_refuses_reads(two_stores):
    ds = MappedCollection(two_stores[0])
    ds[0]
    ds.close()
    assert ds.closed and not any(h.is_open for h in ds._handles)
    with pytest.raises(StorageError, match="closed"):
        ds[0]


def test_context_manager_closes_on_exit(two_stores):
    with MappedCollection(two_stores[0]) as ds:
        first = ds[1]["X"].copy()
    assert ds.closed
    np.testing.assert_array_equal(first, expected_rows(two_stores[1])[1])


def test_parallel_keeps_no_handles_open_but_reads(two_stores):
    ds = MappedCollection(two_stores[0], parallel=True)
    assert not any(h.is_open for h in ds._handles)
    np.testing.assert_array_equal(ds[2]["X"], expected_rows(two_stores[1])[2])


def test_check_vars_sorted_and_non_aligned(shifted_stores):
    ds = MappedCollection(shifted_stores[0], join="outer")
    assert not ds.check_vars_sorted()  # the second store is in reverse order
    assert ds.check_vars_non_aligned(GENES[:8]) == [1]
    assert ds.check_vars_non_aligned(list(reversed(GENES[4:]))) == [0]


def test_check_vars_sorted_descending(tmp_path):
    path = write(make_adata(3, ["c", "b", "a"], 1), tmp_path / "d.h5ad")
    ds = MappedCollection([path])
    assert ds.check_vars_sorted(ascending=False) and not ds.check_vars_sorted()


def test_remote_path_without_stream_is_refused():
    with pytest.raises(InvalidArgument, match="stream=True"):
        MappedCollection(["s3://bucket/a.h5ad"])


def test_missing_file_says_so(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        MappedCollection([str(tmp_path / "nope.h5ad")])


@pytest.mark.parametrize("suffix", [".h5ad", ".zarr"])
def test_stream_reads_through_fsspec(tmp_path, suffix):
    adata = make_adata(10, GENES, 5, sparse=suffix == ".zarr")
    local = write(adata, tmp_path / f"a{suffix}")
    fs = fsspec.filesystem("memory")
    remote = f"/{uuid.uuid4().hex}/a{suffix}"
    if suffix == ".zarr":
        fs.put(local, remote, recursive=True)
    else:
        fs.pipe(remote, open(local, "rb").read())
    ds = MappedCollection([f"memory://{remote}"], stream=True, obs_keys="cell_type")
    rows = expected_rows([adata])
    np.testing.assert_array_equal(ds[4]["X"], rows[4])
    for item, i in zip(ds.__getitems__([9, 0, 1]), [9, 0, 1], strict=True):
        np.testing.assert_array_equal(item["X"], rows[i])
    fs.rm(remote.rsplit("/", 1)[0], recursive=True)


def test_repr_names_sizes(two_stores):
    assert "n_obs=55" in repr(MappedCollection(two_stores[0]))


def test_importing_the_package_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, lamin_lab.mapped; print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_close_drops_the_memory_maps(two_stores):
    ds = MappedCollection(two_stores[0])
    ds.__getitems__([0, 40])
    reader = ds._readers["X"][0]
    assert reader._map is not None
    ds.close()
    assert reader._map is None

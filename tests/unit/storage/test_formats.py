import json
import os
import sys

import anndata as ad
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from lamin_lab.errors import InvalidArgument, MissingDependency, StorageError
from lamin_lab.storage.cache import cache
from lamin_lab.storage.formats import (
    can_load,
    describe_object,
    infer_suffix,
    is_anndata_zarr,
    load,
    write_object,
)
from lamin_lab.storage.transfer import put

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning:mudata")


@pytest.fixture
def df():
    return pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})


@pytest.fixture
def adata():
    X = sp.csr_matrix(np.array([[1, 0, 2], [0, 3, 0], [4, 0, 0], [0, 0, 5]], dtype=np.float32))
    obs = pd.DataFrame({"cell_type": ["t", "b", "t", "nk"]}, index=[f"c{i}" for i in range(4)])
    var = pd.DataFrame(index=["g0", "g1", "g2"])
    return ad.AnnData(X, obs=obs, var=var)


@pytest.mark.parametrize(
    ("format", "key", "suffix"),
    [
        (None, None, ".parquet"),
        ("csv", None, ".csv"),
        (".tsv", None, ".tsv"),
        (None, "data/x.csv", ".csv"),
        (None, "x.txt", ".parquet"),
    ],
)
def test_infer_suffix_dataframe(df, format, key, suffix):
    assert infer_suffix(df, format, key) == suffix


@pytest.mark.parametrize(
    ("format", "suffix"), [(None, ".h5ad"), ("zarr", ".zarr"), ("anndata.zarr", ".anndata.zarr")]
)
def test_infer_suffix_anndata(adata, format, suffix):
    assert infer_suffix(adata, format) == suffix


def test_infer_suffix_rejects_unknown_format_and_object(df):
    with pytest.raises(
        InvalidArgument,
        match="cannot write a DataFrame as 'h5ad'; use one of 'parquet', 'csv', 'tsv'",
    ):
        infer_suffix(df, "h5ad")
    with pytest.raises(InvalidArgument, match="cannot serialise an object of type dict"):
        infer_suffix({"a": 1})


def test_dataframe_parquet_roundtrip_keeps_index(tmp_path, df):
    df.index = pd.Index(["r1", "r2", "r3"], name="row")
    assert write_object(df, tmp_path / "x.parquet") == ".parquet"
    pd.testing.assert_frame_equal(load(tmp_path / "x.parquet"), df)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_dataframe_text_roundtrip(tmp_path, df, fmt):
    path = tmp_path / f"x.{fmt}"
    assert write_object(df, path, format=fmt) == f".{fmt}"
    pd.testing.assert_frame_equal(load(path), df)
    assert path.read_text().splitlines()[0] == ("a,b" if fmt == "csv" else "a\tb")


def test_write_object_uses_path_suffix_and_leaves_no_temp_files(tmp_path, df):
    assert write_object(df, tmp_path / "x.csv") == ".csv"
    assert os.listdir(tmp_path) == ["x.csv"]


def test_write_object_rejects_contradicting_suffix(tmp_path, df):
    with pytest.raises(
        InvalidArgument, match="ends with .csv but format 'parquet' writes .parquet"
    ):
        write_object(df, tmp_path / "x.csv", format="parquet")


def test_write_object_failure_leaves_nothing(tmp_path):
    bad = pd.DataFrame({"a": [object()]})  # parquet cannot store arbitrary objects
    with pytest.raises(StorageError, match="cannot write the DataFrame"):
        write_object(bad, tmp_path / "x.parquet")
    assert os.listdir(tmp_path) == []


def test_write_object_rejects_cloud_paths(df):
    with pytest.raises(InvalidArgument, match="then put"):
        write_object(df, "s3://bucket/x.parquet")


def test_anndata_h5ad_roundtrip(tmp_path, adata):
    assert write_object(adata, tmp_path / "a.h5ad") == ".h5ad"
    back = load(tmp_path / "a.h5ad")
    assert back.obs_names.tolist() == ["c0", "c1", "c2", "c3"]
    assert (back.X.toarray() == adata.X.toarray()).all()


@pytest.mark.parametrize(("fmt", "name"), [("zarr", "a.zarr"), ("anndata.zarr", "a.anndata.zarr")])
def test_anndata_zarr_roundtrip(tmp_path, adata, fmt, name):
    assert write_object(adata, tmp_path / name, format=fmt) == f".{fmt}"
    assert is_anndata_zarr(tmp_path / name)
    back = load(tmp_path / name)
    assert back.obs["cell_type"].tolist() == ["t", "b", "t", "nk"]
    assert (back.X.toarray() == adata.X.toarray()).all()


def test_load_plain_zarr_store_returns_path(tmp_path):
    import zarr

    zarr.open_group(str(tmp_path / "plain.zarr"), mode="w").create_array(
        "x", shape=(2,), dtype="i4"
    )
    assert load(tmp_path / "plain.zarr") == tmp_path / "plain.zarr"


def test_mudata_roundtrip(tmp_path, adata):
    import mudata

    mdata = mudata.MuData({"rna": adata})
    assert write_object(mdata, tmp_path / "m.h5mu") == ".h5mu"
    back = load(tmp_path / "m.h5mu")
    assert list(back.mod) == ["rna"] and back.n_obs == 4
    assert describe_object(mdata) == {"kind": "dataset", "otype": "MuData", "n_observations": 4}


def test_missing_mudata_is_named(tmp_path, monkeypatch):
    (tmp_path / "m.h5mu").write_bytes(b"x")
    monkeypatch.setitem(sys.modules, "mudata", None)  # makes `import mudata` fail
    with pytest.raises(MissingDependency, match="pip install mudata"):
        load(tmp_path / "m.h5mu")


def test_describe_object(df, adata):
    assert describe_object(df) == {"kind": "dataset", "otype": "DataFrame", "n_observations": 3}
    assert describe_object(adata) == {"kind": "dataset", "otype": "AnnData", "n_observations": 4}
    with pytest.raises(InvalidArgument, match="cannot serialise"):
        describe_object([1, 2])


def test_load_json_and_ipc(tmp_path, df):
    (tmp_path / "x.json").write_text(json.dumps({"k": [1, 2]}))
    assert load(tmp_path / "x.json") == {"k": [1, 2]}
    df.to_feather(tmp_path / "x.feather")
    pd.testing.assert_frame_equal(load(tmp_path / "x.feather"), df)


def test_load_arrow_stream_format(tmp_path, df):
    import pyarrow as pa

    table = pa.Table.from_pandas(df, preserve_index=False)
    with (
        pa.OSFile(str(tmp_path / "x.arrow"), "wb") as sink,
        pa.ipc.new_stream(sink, table.schema) as writer,
    ):
        writer.write_table(table)
    pd.testing.assert_frame_equal(load(tmp_path / "x.arrow"), df)


def test_load_gzipped_csv(tmp_path, df):
    df.to_csv(tmp_path / "x.csv.gz", index=False)
    pd.testing.assert_frame_equal(load(tmp_path / "x.csv.gz"), df)


def test_load_unknown_suffix_returns_path(tmp_path):
    (tmp_path / "img.jpg").write_bytes(b"\xff\xd8")
    assert load(tmp_path / "img.jpg") == tmp_path / "img.jpg"
    assert not can_load(".jpg") and can_load(".h5ad")


def test_load_explicit_suffix_wins(tmp_path):
    (tmp_path / "blob").write_text("a\n1\n")
    assert load(tmp_path / "blob", ".csv")["a"].tolist() == [1]


def test_load_corrupt_file_says_what_to_do(tmp_path):
    (tmp_path / "x.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(StorageError) as info:
        load(tmp_path / "x.parquet")
    assert "cannot load 'x.parquet' as .parquet" in str(info.value)
    assert "use artifact.cache() to get the path" in str(info.value)


def test_load_missing_file_and_cloud_path(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        load(tmp_path / "gone.csv")
    with pytest.raises(InvalidArgument, match=r"call load\(cache\(path, cache_dir\), suffix\)"):
        load("s3://bucket/x.csv")


@pytest.mark.s3
def test_load_from_s3_through_cache(s3_bucket, tmp_path, df, adata):
    write_object(df, tmp_path / "df.parquet")
    write_object(adata, tmp_path / "a.zarr", format="zarr")
    put(tmp_path / "df.parquet", f"{s3_bucket}/k/df.parquet")
    put(tmp_path / "a.zarr", f"{s3_bucket}/k/a.zarr")
    cache_dir = tmp_path / "cache"
    pd.testing.assert_frame_equal(
        load(cache(f"{s3_bucket}/k/df.parquet", cache_dir), ".parquet"), df
    )
    back = load(cache(f"{s3_bucket}/k/a.zarr", cache_dir), ".zarr")
    assert (back.X.toarray() == adata.X.toarray()).all()

import sys

import anndata as ad
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from lamin_lab.errors import InvalidArgument, MissingDependency
from lamin_lab.storage.formats import write_object
from lamin_lab.storage.tabular import open_anndata, open_tabular
from lamin_lab.storage.transfer import put


@pytest.fixture
def parts(tmp_path):
    folder = tmp_path / "table"
    for year, values in ((2023, [1, 2]), (2024, [3])):
        (folder / f"year={year}").mkdir(parents=True)
        pd.DataFrame({"v": values}).to_parquet(
            folder / f"year={year}" / "part.parquet", index=False
        )
    (folder / "_SUCCESS").write_text("")
    return folder


def _sorted_values(table):
    return sorted(table.to_pydict()["v"])


def test_open_tabular_single_parquet(tmp_path):
    pd.DataFrame({"v": [5, 6]}).to_parquet(tmp_path / "x.parquet", index=False)
    dataset = open_tabular(tmp_path / "x.parquet")
    assert type(dataset).__name__ == "FileSystemDataset"
    assert dataset.to_table().to_pydict() == {"v": [5, 6]}


def test_open_tabular_folder_reads_hive_partitions(parts):
    table = open_tabular(parts).to_table()
    assert sorted(zip(table["year"].to_pylist(), table["v"].to_pylist(), strict=True)) == [
        (2023, 1),
        (2023, 2),
        (2024, 3),
    ]


def test_open_tabular_list_of_csv_and_tsv(tmp_path):
    pd.DataFrame({"v": [1]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"v": [2]}).to_csv(tmp_path / "b.csv", index=False)
    pd.DataFrame({"v": [3], "w": [4]}).to_csv(tmp_path / "c.tsv", sep="\t", index=False)
    assert _sorted_values(
        open_tabular([tmp_path / "a.csv", str(tmp_path / "b.csv")]).to_table()
    ) == [1, 2]
    assert open_tabular(tmp_path / "c.tsv").to_table().to_pydict() == {"v": [3], "w": [4]}


def test_open_tabular_ipc(tmp_path):
    pd.DataFrame({"v": [7]}).to_feather(tmp_path / "x.feather")
    assert open_tabular(tmp_path / "x.feather").to_table().to_pydict() == {"v": [7]}


def test_open_tabular_polars(parts, tmp_path):
    lazy = open_tabular(sorted(parts.rglob("*.parquet")), engine="polars")
    assert type(lazy).__name__ == "LazyFrame"
    assert sorted(lazy.collect()["v"].to_list()) == [1, 2, 3]
    pd.DataFrame({"v": [1]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"v": [2]}).to_csv(tmp_path / "b.csv", index=False)
    assert open_tabular([tmp_path / "a.csv", tmp_path / "b.csv"], engine="polars").collect()[
        "v"
    ].to_list() == [1, 2]


def test_open_tabular_polars_missing(tmp_path, monkeypatch):
    pd.DataFrame({"v": [1]}).to_parquet(tmp_path / "x.parquet")
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(MissingDependency, match="pip install polars"):
        open_tabular(tmp_path / "x.parquet", engine="polars")


def test_open_tabular_errors(tmp_path):
    (tmp_path / "x.xyz").write_text("?")
    (tmp_path / "a.csv").write_text("v\n1\n")
    (tmp_path / "b.parquet").write_bytes(b"")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidArgument, match="cannot open suffix .xyz .* use artifact.cache"):
        open_tabular(tmp_path / "x.xyz")
    with pytest.raises(InvalidArgument, match=r"mixes formats \['csv', 'parquet'\]"):
        open_tabular([tmp_path / "a.csv", tmp_path / "b.parquet"])
    with pytest.raises(InvalidArgument, match="folder is empty"):
        open_tabular(tmp_path / "empty")
    with pytest.raises(InvalidArgument, match="does not exist"):
        open_tabular(tmp_path / "nope.parquet")
    with pytest.raises(InvalidArgument, match="unknown engine 'duckdb'"):
        open_tabular(tmp_path / "a.csv", engine="duckdb")


@pytest.mark.s3
def test_open_tabular_pyarrow_reads_s3_directly(s3_bucket, parts):
    put(parts, f"{s3_bucket}/table")
    table = open_tabular(f"{s3_bucket}/table").to_table()
    assert sorted(zip(table["year"].to_pylist(), table["v"].to_pylist(), strict=True)) == [
        (2023, 1),
        (2023, 2),
        (2024, 3),
    ]


@pytest.fixture
def adata():
    dense = np.arange(20, dtype=np.float32).reshape(5, 4)
    obs = pd.DataFrame({"cell_type": list("ttbbn")}, index=[f"c{i}" for i in range(5)])
    var = pd.DataFrame(index=[f"g{i}" for i in range(4)])
    a = ad.AnnData(sp.csr_matrix(dense), obs=obs, var=var)
    a.layers["counts"] = dense * 10
    a.obsm["pca"] = np.arange(10, dtype=np.float64).reshape(5, 2)
    return a


def test_open_anndata_h5ad_is_backed(tmp_path, adata):
    adata.write_h5ad(tmp_path / "a.h5ad")
    backed = open_anndata(tmp_path / "a.h5ad")
    assert backed.isbacked and backed.shape == (5, 4)
    assert backed[["c1", "c3"]].to_memory().X.toarray().tolist() == [[4, 5, 6, 7], [12, 13, 14, 15]]
    backed.file.close()


@pytest.mark.filterwarnings(
    "ignore:zarr v3 autosharding:UserWarning", "ignore:Consolidated metadata:UserWarning"
)
@pytest.mark.parametrize("zarr_format", [2, 3])
def test_open_anndata_zarr_is_lazy_and_subsettable(tmp_path, adata, zarr_format):
    with ad.settings.override(zarr_write_format=zarr_format):
        write_object(adata, tmp_path / "a.zarr", format="zarr")
    assert (tmp_path / "a.zarr" / ("zarr.json" if zarr_format == 3 else ".zattrs")).exists()
    backed = open_anndata(tmp_path / "a.zarr")
    assert type(backed).__name__ == "BackedZarrAnnData"
    assert backed.shape == (5, 4) and backed.obs["cell_type"].tolist() == list("ttbbn")
    assert type(backed.X).__name__ == "_CSRDataset"
    sub = backed[["c3", "c1"], ["g2", "g0"]]
    assert sub.obs_names.tolist() == ["c3", "c1"] and sub.var_names.tolist() == ["g2", "g0"]
    assert sub.X.toarray().tolist() == [[14, 12], [6, 4]]
    assert sub.layers["counts"].tolist() == [[140, 120], [60, 40]]
    assert sub.obsm["pca"].tolist() == [[6, 7], [2, 3]]


def test_open_anndata_zarr_masks_and_to_memory(tmp_path, adata):
    write_object(adata, tmp_path / "a.zarr", format="zarr")
    backed = open_anndata(tmp_path / "a.zarr")
    sub = backed[backed.obs["cell_type"] == "b"]
    assert sub.obs_names.tolist() == ["c2", "c3"] and sub.X.shape == (2, 4)
    assert (backed.to_memory().X.toarray() == adata.X.toarray()).all()
    assert "n_obs × n_vars = 5 × 4" in repr(backed)


def test_open_anndata_errors(tmp_path):
    (tmp_path / "x.csv").write_text("a\n1\n")
    with pytest.raises(InvalidArgument, match="reads .h5ad files and AnnData zarr stores"):
        open_anndata(tmp_path / "x.csv")
    with pytest.raises(InvalidArgument, match="call open_anndata\\(cache"):
        open_anndata("s3://bucket/x.h5ad")

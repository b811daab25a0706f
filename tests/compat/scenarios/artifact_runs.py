"""open() per suffix and as a context manager, recreating_runs, run features (issue #11)."""


def _h5(ctx, name="g.h5"):
    import h5py
    import numpy as np

    path = ctx.tmp / name
    with h5py.File(path, "w") as f:
        f["d"] = np.arange(5)
        f.attrs["n"] = 1
    return path


def _adata():
    import anndata as ad
    import numpy as np

    return ad.AnnData(np.ones((2, 3)))


# ---------------------------------------------------------------- open()


def scenario_open_h5ad_with_block_closes_the_file(ln, ctx):
    """with artifact.open() as adata: an AnnData accessor whose file is closed after the block."""
    artifact = ln.Artifact.from_anndata(_adata(), key="x.h5ad").save()
    with artifact.open() as adata:
        inside = {"type": type(adata).__name__, "shape": adata.shape, "closed": adata.closed}
    return {**inside, "closed_after": adata.closed, "storage_after": str(adata.storage)}


def scenario_open_zarr_with_block(ln, ctx):
    """An AnnData zarr store opens as an accessor that is a context manager."""
    path = ctx.tmp / "z.zarr"
    _adata().write_zarr(path)
    artifact = ln.Artifact(path, key="z.zarr").save()
    with artifact.open() as adata:
        inside = {"shape": adata.shape, "closed": adata.closed}
    return {**inside, "closed_after": adata.closed}


def scenario_open_h5_backed_accessor(ln, ctx):
    """A plain .h5 file opens as a BackedAccessor: h5py.File as storage, no connection locally."""
    artifact = ln.Artifact(_h5(ctx), key="g.h5").save()
    backed = artifact.open()
    return {
        "type": type(backed).__name__,
        "storage": type(backed.storage).__name__,
        "connection": backed.connection,
        "keys": sorted(backed.storage.keys()),
        "values": backed.storage["d"][:].tolist(),
        "attrs": int(backed.storage.attrs["n"]),
    }


def scenario_open_hdf5_suffix(ln, ctx):
    """.hdf5 opens like .h5."""
    artifact = ln.Artifact(_h5(ctx, "g.hdf5"), key="g.hdf5").save()
    backed = artifact.open()
    return {"type": type(backed).__name__, "keys": sorted(backed.storage.keys())}


def scenario_open_h5_with_block_closes_the_file(ln, ctx):
    """with artifact.open() on a .h5 file: lamin_lab closes the h5py file after the block."""
    artifact = ln.Artifact(_h5(ctx), key="g.h5").save()
    with artifact.open() as backed:
        keys = sorted(backed.storage.keys())
    return {"keys": keys, "closed_after": str(backed.storage) == "<Closed HDF5 file>"}


def scenario_open_h5_written_by_anndata(ln, ctx):
    """An .h5 file that anndata wrote opens as the AnnData accessor."""
    path = ctx.tmp / "cells.h5"
    _adata().write_h5ad(path)
    artifact = ln.Artifact(path, key="cells.h5").save()
    with artifact.open() as adata:
        return {"type": type(adata).__name__, "shape": adata.shape}


def scenario_open_parquet_is_a_dataset_without_with(ln, ctx):
    """A parquet artifact opens as a pyarrow Dataset, which is no context manager."""
    import pandas as pd

    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1, 2]}), key="t.parquet").save()
    dataset = artifact.open()
    try:
        with artifact.open():
            pass
        with_block = "ok"
    except TypeError:
        with_block = "TypeError"
    return {
        "type": type(dataset).__name__,
        "rows": dataset.to_table().num_rows,
        "with": with_block,
    }


def scenario_open_polars_is_a_context_manager(ln, ctx):
    """open(engine="polars") returns a context manager (entered only where polars is installed)."""
    import pandas as pd

    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1, 2]}), key="t.parquet").save()
    opened = artifact.open(engine="polars")
    return {
        "enter": hasattr(opened, "__enter__"),
        "exit": hasattr(opened, "__exit__"),
        "type": type(opened).__name__,
    }


def scenario_open_unsupported_suffix_names_the_ones_that_work(ln, ctx):
    """open() on a .txt artifact is refused; the message names the suffixes that open."""
    path = ctx.tmp / "t.txt"
    path.write_text("hi")
    artifact = ln.Artifact(path, key="t.txt").save()
    try:
        artifact.open()
    except Exception as error:
        text = str(error)
        return {
            "value_error": isinstance(error, ValueError),
            "names": [
                s for s in (".h5", ".hdf5", ".h5ad", ".zarr", ".parquet", ".csv") if s in text
            ],
        }
    return "no error"

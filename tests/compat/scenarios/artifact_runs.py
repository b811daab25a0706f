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


def scenario_open_plain_zarr_backed_accessor(ln, ctx):
    """A zarr store that holds no AnnData opens as a BackedAccessor on the zarr group."""
    import numpy as np
    import zarr

    group = zarr.open_group(str(ctx.tmp / "plain.zarr"), mode="w")
    group.create_array("d", data=np.arange(4))
    backed = ln.Artifact(ctx.tmp / "plain.zarr", key="plain.zarr").save().open()
    return {
        "type": type(backed).__name__,
        "storage": type(backed.storage).__name__,
        "connection": backed.connection,
        "values": backed.storage["d"][:].tolist(),
    }


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


def scenario_open_takes_mode_first_and_reads_only(ln, ctx):
    """open("r") works (mode is the first parameter); a write mode on an h5ad is refused."""
    artifact = ln.Artifact.from_anndata(_adata(), key="x.h5ad").save()
    with artifact.open("r") as adata:
        shape = adata.shape
    refused = {}
    for mode in ("r+", "w"):
        try:
            artifact.open(mode)
            refused[mode] = "opened"
        except Exception as error:
            refused[mode] = {
                "value_error": isinstance(error, ValueError),
                "mode": repr(mode) in str(error),
            }
    return {"shape": shape, "refused": refused}


def scenario_open_unknown_engine(ln, ctx):
    """An engine other than pyarrow or polars is refused, naming both."""
    import pandas as pd

    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="t.parquet").save()
    try:
        artifact.open(engine="duckdb")
    except Exception as error:
        return {
            "value_error": isinstance(error, ValueError),
            "names": "pyarrow" in str(error) and "polars" in str(error),
        }
    return "no error"


# ---------------------------------------------------------------- recreating_runs


def _three_runs(ln):
    first = ln.Transform(key="make.py", kind="script").save()
    second = ln.Transform(key="again.py", kind="script").save()
    return (
        ln.Run(first, name="r1").save(),
        ln.Run(second, name="r2").save(),
        ln.Run(second, name="r3").save(),
    )


def _frame():
    import pandas as pd

    return pd.DataFrame({"a": [1, 2, 3]})


def _names(runs):
    return sorted(r.name for r in runs)


def scenario_recreating_runs_link_a_later_run(ln, ctx):
    """Saving the same content under a later run returns the artifact and links that run."""
    r1, r2, _ = _three_runs(ln)
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    again = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r2).save()
    return {
        "same": again.id == made.id,
        "run": ln.Artifact.get(made.id).run.name,
        "recreating": _names(made.recreating_runs.all()),
        "initially": _names(
            ln.Artifact.from_dataframe(_frame(), key="y.parquet").save().recreating_runs.all()
        ),
    }


def scenario_recreating_runs_before_save(ln, ctx):
    """The constructor that returns the existing artifact: lamindb links the run already."""
    r1, r2, _ = _three_runs(ln)
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r2)
    return _names(made.recreating_runs.all())


def scenario_recreating_runs_once_per_run_and_not_the_creating_run(ln, ctx):
    """A run that re-creates twice is linked once; the run that made it is never linked."""
    r1, r2, r3 = _three_runs(ln)
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    for run in (r2, r2, r1, r3):
        ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=run).save()
    return _names(made.recreating_runs.all())


def scenario_recreating_runs_an_artifact_without_run_takes_the_run(ln, ctx):
    """An existing artifact without a run takes the later run as its own, not as recreating."""
    _, r2, _ = _three_runs(ln)
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r2).save()
    fresh = ln.Artifact.get(made.id)
    return {"run": fresh.run.name, "recreating": _names(fresh.recreating_runs.all())}


def scenario_recreating_runs_skip_a_run_that_read_the_artifact(ln, ctx):
    """A tracked run that loaded the artifact and then makes the same content is no recreating run."""
    r1, _, _ = _three_runs(ln)
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    ln.track()
    made.load()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    ln.finish()
    return {"recreating": made.recreating_runs.count(), "inputs": made.input_of_runs.count()}


def scenario_recreating_runs_under_track(ln, ctx):
    """Under ln.track(), re-saving content made by another run links the tracked run."""
    r1, _, _ = _three_runs(ln)
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    ln.track()
    tracked = ln.context.run
    ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    ln.finish()
    return {
        "linked": [r.id for r in made.recreating_runs.all()] == [tracked.id],
        "run": made.run.name,
    }


def scenario_recreated_artifacts_and_queries(ln, ctx):
    """run.recreated_artifacts, filter(recreating_runs=), Run.filter(recreated_artifacts=), query_output_artifacts."""
    import pandas as pd

    r1, r2, _ = _three_runs(ln)
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r2).save()
    own = ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="own.parquet", run=r2).save()
    return {
        "recreated": [a.key for a in r2.recreated_artifacts.all()],
        "filter": [a.key for a in ln.Artifact.filter(recreating_runs=r2)],
        "runs": _names(ln.Run.filter(recreated_artifacts=made)),
        "outputs": sorted(a.key for a in r2.query_output_artifacts()),
        "made_only": [a.key for a in r2.query_output_artifacts(include_recreated=False)],
        "own": own.recreating_runs.count(),
    }


def scenario_collection_recreating_runs(ln, ctx):
    """A collection of the same artifacts made again under another run links that run."""
    import pandas as pd

    r1, r2, _ = _three_runs(ln)
    a = ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    b = ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="y.parquet").save()
    made = ln.Collection([a, b], key="c", run=r1).save()
    again = ln.Collection([a, b], key="c", run=r2).save()
    return {
        "same": again.id == made.id,
        "recreating": _names(made.recreating_runs.all()),
        "recreated": [c.key for c in r2.recreated_collections.all()],
    }


# ---------------------------------------------------------------- run features


def _annotated_runs(ln):
    ln.Feature(name="learning_rate", dtype=float).save()
    ln.Feature(name="optimizer", dtype=str).save()
    ln.Feature(name="n_epochs", dtype=int).save()
    ln.Record(name="gpu").save()
    ln.Feature(name="device", dtype=ln.Record).save()
    transform = ln.Transform(key="train.py", kind="script").save()
    a = ln.Run(transform, name="a").save()
    b = ln.Run(transform, name="b").save()
    a.features.add_values(
        {"learning_rate": 0.01, "optimizer": "adam", "n_epochs": 5, "device": "gpu"}
    )
    b.features.add_values({"learning_rate": 0.1, "optimizer": "sgd", "n_epochs": 10})
    return a, b


def _run_names(ln, *args, **kwargs):
    try:
        return sorted(r.name for r in ln.Run.filter(*args, **kwargs))
    except Exception as error:
        return {"raises": type(error).__name__}


def _feature_lines(text):
    """(section titles, rows of name/dtype/value) of a features describe, without tree drawing or styling."""
    import re

    titles, rows = [], []
    for line in text.splitlines():
        parts = re.split(r"\s{2,}", line.strip(" │├└─\t"))
        parts = [p for p in parts if p]
        if len(parts) == 1 and parts[0] in ("Features", "External features", "Dataset features"):
            titles.append(parts[0])
        elif len(parts) == 3:
            rows.append(parts)
    return {"titles": titles, "rows": rows}


def scenario_run_features_get_values(ln, ctx):
    """run.features.get_values() gives numbers, strings and the name of a Record label."""
    a, b = _annotated_runs(ln)
    return {"a": a.features.get_values(), "b": b.features.get_values()}


def scenario_run_filter_by_feature_values(ln, ctx):
    """Run.filter(<feature>=...) with comparisons, __in, __isnull, and a categorical feature."""
    _annotated_runs(ln)
    return {
        "eq": _run_names(ln, learning_rate=0.01),
        "gt": _run_names(ln, learning_rate__gt=0.05),
        "str": _run_names(ln, optimizer="sgd"),
        "lt": _run_names(ln, n_epochs__lt=7),
        "in": _run_names(ln, optimizer__in=["adam", "sgd"]),
        "cat": _run_names(ln, device="gpu"),
        "isnull": _run_names(ln, device__isnull=True),
    }


def scenario_run_filter_feature_expression(ln, ctx):
    """Run.filter(feature > value) with a Feature record."""
    _annotated_runs(ln)
    return _run_names(ln, ln.Feature.get(name="n_epochs") > 6)


def scenario_run_filter_features_prefix_and_unknown_names(ln, ctx):
    """Neither features__<name> nor an unknown name is a Run filter: both are refused."""
    _annotated_runs(ln)
    return {
        "prefix": _run_names(ln, features__learning_rate=0.01),
        "unknown": _run_names(ln, nope=1),
    }


def scenario_run_features_describe(ln, ctx):
    """run.features.describe(): one "Features" section, categorical first, dtypes without cat[...]."""
    a, _ = _annotated_runs(ln)
    return _feature_lines(a.features.describe(return_str=True))


def scenario_run_features_to_dataframe(ln, ctx):
    """Run.filter().to_dataframe(include="features") has a column per feature."""
    _annotated_runs(ln)
    df = ln.Run.filter().order_by("name").to_dataframe(include="features")
    columns = ["name", "learning_rate", "optimizer", "n_epochs", "device"]
    return [
        [None if isinstance(v, float) and v != v else v for v in row]
        for row in df[columns].astype(object).values.tolist()
    ]


def scenario_track_features_then_filter_runs(ln, ctx):
    """Runs annotated by ln.track(features=) are found by Run.filter(<feature>=...)."""
    ln.Feature(name="learning_rate", dtype=float).save()
    ln.track(features={"learning_rate": 0.5})
    run = ln.context.run
    ln.finish()
    found = ln.Run.filter(learning_rate=0.5)
    return {"found": [r.id for r in found] == [run.id], "values": run.features.get_values()}


def scenario_run_features_remove_values(ln, ctx):
    """run.features.remove_values() drops a feature's value from the run only."""
    a, b = _annotated_runs(ln)
    a.features.remove_values("optimizer")
    return {"a": a.features.get_values(), "b": sorted(b.features.get_values())}


def scenario_collection_without_run_takes_the_later_run(ln, ctx):
    """An existing collection without a run takes the run of the call that made it again."""
    _, r2, _ = _three_runs(ln)
    a = ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    made = ln.Collection([a], key="c").save()
    ln.Collection([a], key="c", run=r2).save()
    fresh = ln.Collection.get(made.id)
    return {
        "run": fresh.run.name if fresh.run else None,
        "recreating": fresh.recreating_runs.count(),
    }


def scenario_run_features_get_values_order(ln, ctx):
    """get_values() lists categorical features first, each group by name (artifacts and runs)."""
    import pandas as pd

    for name, dtype in [("zeta", float), ("alpha", str), ("mid", int)]:
        ln.Feature(name=name, dtype=dtype).save()
    ln.Record(name="gpu").save()
    ln.Feature(name="yy", dtype=ln.Record).save()
    ln.Record(name="cpu").save()
    ln.Feature(name="bb", dtype=ln.Record).save()
    values = {"zeta": 1.0, "yy": "gpu", "alpha": "x", "bb": "cpu", "mid": 3}
    run = ln.Run(ln.Transform(key="t.py", kind="script").save()).save()
    run.features.add_values(values)
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"c": [1]}), key="t.parquet").save()
    artifact.features.add_values(values)
    return {
        "run": list(run.features.get_values()),
        "artifact": list(artifact.features.get_values()),
        "columns": list(ln.Run.filter().to_dataframe(include="features").columns)[-5:],
    }

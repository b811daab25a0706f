"""Open data without loading it: tables as pyarrow datasets / polars LazyFrames, AnnData backed.

:func:`open_tabular` scans one or many parquet, csv/tsv or Arrow IPC files, or a
folder of them (a single folder is read with hive partitioning, so
``year=2024/part.parquet`` yields a ``year`` column). :func:`open_anndata` gives
backed access to ``.h5ad`` files (``anndata.read_h5ad(backed="r")``) and to AnnData
zarr stores (:class:`BackedZarrAnnData`: ``obs``/``var`` in memory, ``X``, layers and
obsm as lazy zarr arrays or backed sparse matrices). Both read local paths; for cloud
data the caller opens ``cache(upath, cache_dir)``, except that the pyarrow engine
also reads ``s3://``/``gs://``/``memory://`` files directly through fsspec.

Examples
--------
>>> import pandas as pd
>>> pd.DataFrame({"a": [1, 2]}).to_parquet("/tmp/_lamin_lab_t.parquet")
>>> open_tabular("/tmp/_lamin_lab_t.parquet").to_table().num_rows
2
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from lamin_lab.errors import InvalidArgument, MissingDependency
from lamin_lab.storage.formats import import_optional, is_anndata_zarr
from lamin_lab.storage.paths import is_cloud, suffix_of, to_path

# suffix -> (format, csv delimiter)
TABULAR_SUFFIXES: dict[str, tuple[str, str | None]] = {
    ".parquet": ("parquet", None),
    ".csv": ("csv", ","),
    ".csv.gz": ("csv", ","),
    ".tsv": ("csv", "\t"),
    ".tsv.gz": ("csv", "\t"),
    ".ipc": ("ipc", None),
    ".feather": ("ipc", None),
    ".arrow": ("ipc", None),
}
_HINT = "open_tabular() reads .parquet, .csv, .tsv and .ipc/.feather/.arrow; use artifact.cache() to get the path"


def _files_below(path: Any) -> list[Any]:
    """Data files below a folder, skipping hidden and ``_``-prefixed files (``_SUCCESS``)."""
    if is_cloud(path):
        fs = path.fs
        found = sorted(fs.find(path.path))
        return [
            type(path)(f"{path.protocol}://{f.lstrip('/')}")
            for f in found
            if not os.path.basename(f).startswith((".", "_"))
        ]
    files = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        files += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith((".", "_"))]
    return files


def _format_of(files: list[Any], label: str) -> tuple[str, str | None]:
    kinds = set()
    for file in files:
        suffix = suffix_of(file)
        if suffix not in TABULAR_SUFFIXES:
            raise InvalidArgument(
                f"cannot open suffix {suffix or '(none)'} of '{file}' as a table; {_HINT}"
            )
        kinds.add(TABULAR_SUFFIXES[suffix])
    if len(kinds) > 1:
        names = sorted("tsv" if delimiter == "\t" else fmt for fmt, delimiter in kinds)
        raise InvalidArgument(f"{label} mixes formats {names}; open each format separately")
    return kinds.pop()


def _expand(paths_or_path: Any) -> tuple[list[Any], Any]:
    """All data files, and the single folder if one folder was given."""
    items = list(paths_or_path) if isinstance(paths_or_path, (list, tuple)) else [paths_or_path]
    if not items:
        raise InvalidArgument("no paths given; pass a file, a folder or a list of files")
    paths = [to_path(item) for item in items]
    files: list[Any] = []
    for path in paths:
        if not path.exists():
            raise InvalidArgument(f"'{path}' does not exist; check the path")
        files += _files_below(path) if path.is_dir() else [path]
    if not files:
        raise InvalidArgument(f"no data files found in {items}; the folder is empty")
    folder = paths[0] if len(paths) == 1 and paths[0].is_dir() else None
    return files, folder


def _pyarrow_dataset(
    files: list[Any], folder: Any, kind: tuple[str, str | None], **kwargs: Any
) -> Any:
    import pyarrow.dataset as ds

    fmt: Any = kind[0]
    if kind[0] == "csv":
        import pyarrow.csv as pacsv

        fmt = ds.CsvFileFormat(parse_options=pacsv.ParseOptions(delimiter=kind[1]))
    filesystem = None
    source: Any = [str(f) if not is_cloud(f) else f.path for f in files]
    if is_cloud(files[0]):
        from pyarrow.fs import FSSpecHandler, PyFileSystem

        filesystem = PyFileSystem(FSSpecHandler(files[0].fs))
    if folder is not None:
        source = folder.path if is_cloud(folder) else str(folder)
        kwargs.setdefault("partitioning", "hive")
    return ds.dataset(source, format=fmt, filesystem=filesystem, **kwargs)


def _polars_frame(files: list[Any], kind: tuple[str, str | None], **kwargs: Any) -> Any:
    try:
        pl = import_optional("polars")
    except MissingDependency:
        raise MissingDependency(
            "engine='polars' needs polars: run `pip install polars`, or use engine='pyarrow'"
        ) from None
    # LaminDB's use_fsspec= reads through fsspec file objects instead of paths; the files
    # here are local, which polars reads the same either way (not a polars argument)
    kwargs.pop("use_fsspec", None)
    if any(is_cloud(f) for f in files):
        raise InvalidArgument(
            "engine='polars' reads local files; call cache() first, or use engine='pyarrow'"
        )
    sources = [str(f) for f in files]
    if kind[0] == "parquet":
        return pl.scan_parquet(sources, **kwargs)
    if kind[0] == "ipc":
        return pl.scan_ipc(sources, **kwargs)
    kwargs.setdefault("separator", kind[1])
    return pl.concat([pl.scan_csv(s, **kwargs) for s in sources], how="vertical_relaxed")


def open_tabular(paths_or_path: Any, engine: str = "pyarrow", **kwargs: Any) -> Any:
    """Open tabular files lazily: a ``pyarrow.dataset.Dataset`` or a polars ``LazyFrame``.

    Parameters
    ----------
    paths_or_path
        A file, a folder of files, or a list of files, all of one format
        (parquet, csv/tsv, Arrow IPC/Feather).
    engine
        ``"pyarrow"`` (default) or ``"polars"``.
    **kwargs
        Passed to ``pyarrow.dataset.dataset`` or ``polars.scan_*``.

    Raises
    ------
    InvalidArgument
        For unknown engines or suffixes, mixed formats, missing paths or empty folders.
    MissingDependency
        For ``engine="polars"`` without polars installed.

    Examples
    --------
    >>> import pandas as pd
    >>> pd.DataFrame({"a": [1, 2]}).to_csv("/tmp/_lamin_lab_t.csv", index=False)
    >>> open_tabular(["/tmp/_lamin_lab_t.csv"], engine="polars").collect().height
    2
    """
    if engine not in ("pyarrow", "polars"):
        raise InvalidArgument(f"unknown engine {engine!r}; use 'pyarrow' or 'polars'")
    files, folder = _expand(paths_or_path)
    kind = _format_of(files, str(paths_or_path))
    if engine == "polars":
        return _polars_frame(files, kind, **kwargs)
    return _pyarrow_dataset(files, folder, kind, **kwargs)


@functools.cache
def _accessor_class() -> type:
    """A backed ``anndata.AnnData`` that is also a context manager, named as LaminDB's accessor.

    Built on first use: anndata is imported only when an AnnData is opened.
    """
    import anndata

    class AnnDataAccessor(anndata.AnnData):
        """A backed AnnData (``.obs``, ``.X``, slicing, ``to_memory()``); ``with`` closes its file."""

        @property
        def storage(self) -> Any:
            """The open ``h5py.File`` (LaminDB's accessor has it under this name)."""
            return self.file._file

        @property
        def closed(self) -> bool:
            """True once the file is closed."""
            return not self.file.is_open

        def close(self) -> None:
            """Close the file; closing twice is harmless."""
            if self.file.is_open:
                self.file.close()

        def __enter__(self) -> AnnDataAccessor:
            return self

        def __exit__(self, *exc: object) -> None:
            self.close()

    return AnnDataAccessor


def open_anndata(path: Any) -> Any:
    """Open an AnnData without loading its matrices.

    ``.h5ad`` files give ``anndata.read_h5ad(path, backed="r")``; AnnData zarr
    stores give a :class:`BackedZarrAnnData`.

    Raises
    ------
    InvalidArgument
        For cloud paths (cache them first) and files that are not AnnData.

    Examples
    --------
    >>> import anndata, numpy as np
    >>> anndata.AnnData(np.ones((2, 3))).write_h5ad("/tmp/_lamin_lab_b.h5ad")
    >>> open_anndata("/tmp/_lamin_lab_b.h5ad").shape
    (2, 3)
    """
    path = to_path(path)
    if is_cloud(path):
        raise InvalidArgument(
            f"open_anndata() reads local files, got '{path}'; call open_anndata(cache(path, cache_dir))"
        )
    if not path.exists():
        raise InvalidArgument(f"'{path}' does not exist; check the path")
    if path.is_dir() and is_anndata_zarr(path):
        from lamin_lab.storage.backed_zarr import BackedZarrAnnData

        return BackedZarrAnnData(path)
    if path.is_file() and suffix_of(path) in (
        ".h5ad",
        ".h5",
        ".hdf5",
    ):  # .h5: open_hdf5() checked it
        import anndata

        backed = anndata.read_h5ad(path, backed="r")
        backed.__class__ = _accessor_class()  # the same object, usable in a with-block
        return backed
    raise InvalidArgument(
        f"cannot open '{path.name}' as a backed AnnData; open_anndata() reads .h5ad files and "
        "AnnData zarr stores: use artifact.cache() to get the path"
    )


__all__ = ["TABULAR_SUFFIXES", "open_anndata", "open_tabular"]

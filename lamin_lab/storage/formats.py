"""Serialise in-memory datasets to files and load files back, by format.

Defaults follow LaminDB: a ``pandas.DataFrame`` becomes ``.parquet`` (``.csv`` /
``.tsv`` when asked), an ``AnnData`` becomes ``.h5ad`` (``format="zarr"`` gives
``.zarr``, ``format="anndata.zarr"`` gives ``.anndata.zarr``), a ``MuData``
becomes ``.h5mu``. pandas, anndata, pyarrow and mudata are imported only when
needed; an object can only be a DataFrame/AnnData/MuData if its library is
already imported, which is what :func:`_otype` relies on.

:func:`load` reads *local* files. For cloud data the caller first fetches a local
copy and then loads it: ``load(cache(upath, cache_dir), suffix)``.

Examples
--------
>>> import pandas as pd
>>> suffix = write_object(pd.DataFrame({"a": [1, 2]}), "/tmp/_lamin_lab_df.parquet")
>>> suffix, load("/tmp/_lamin_lab_df.parquet")["a"].tolist()
('.parquet', [1, 2])
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Any
from collections.abc import Callable

from lamin_lab.errors import InvalidArgument, MissingDependency, StorageError
from lamin_lab.storage.atomic import move_into_place, remove_local, temp_sibling
from lamin_lab.storage.paths import is_cloud, suffix_of, to_path

# format name -> suffix, per kind of object; the first entry is the default.
WRITE_FORMATS: dict[str, dict[str, str]] = {
    "DataFrame": {"parquet": ".parquet", "csv": ".csv", "tsv": ".tsv"},
    "AnnData": {"h5ad": ".h5ad", "zarr": ".zarr", "anndata.zarr": ".anndata.zarr"},
    "MuData": {"h5mu": ".h5mu"},
}


def _otype(obj: Any) -> str | None:
    """``"DataFrame"``, ``"AnnData"``, ``"MuData"`` or None, without importing anything."""
    pandas, anndata, mudata = (sys.modules.get(name) for name in ("pandas", "anndata", "mudata"))
    if pandas is not None and isinstance(obj, pandas.DataFrame):
        return "DataFrame"
    if anndata is not None and isinstance(obj, anndata.AnnData):
        return "AnnData"
    if mudata is not None and isinstance(obj, mudata.MuData):
        return "MuData"
    return None


def _require_otype(obj: Any) -> str:
    otype = _otype(obj)
    if otype is None:
        raise InvalidArgument(
            f"cannot serialise an object of type {type(obj).__name__}; pass a pandas DataFrame, "
            "an AnnData or a MuData, or write the file yourself and pass its path"
        )
    return otype


def import_optional(module: str, package: str | None = None) -> Any:
    """Import an optional dependency or raise :class:`MissingDependency` naming the install.

    Examples
    --------
    >>> import_optional("json").__name__
    'json'
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise MissingDependency(
            f"this needs the package '{package or module}': run `pip install {package or module}`"
        ) from e


def infer_suffix(obj: Any, format: str | None = None, key: str | None = None) -> str:
    """Return the file suffix ``obj`` is written with.

    Parameters
    ----------
    obj
        A DataFrame, AnnData or MuData.
    format
        A format name (``"parquet"``, ``"csv"``, ``"tsv"``, ``"h5ad"``, ``"zarr"``,
        ``"anndata.zarr"``, ``"h5mu"``) or its suffix (``".csv"``).
    key
        A key or path; when ``format`` is None, its suffix chooses the format
        if it is one this kind of object can be written in.

    Examples
    --------
    >>> import pandas as pd
    >>> infer_suffix(pd.DataFrame()), infer_suffix(pd.DataFrame(), key="x.csv")
    ('.parquet', '.csv')
    """
    otype = _require_otype(obj)
    formats = WRITE_FORMATS[otype]
    if format is None:
        key_suffix = suffix_of(key) if key else ""
        if key_suffix in formats.values():
            return key_suffix
        return next(iter(formats.values()))
    name = format.lstrip(".")
    if name not in formats:
        allowed = ", ".join(repr(f) for f in formats)
        raise InvalidArgument(f"cannot write a {otype} as {format!r}; use one of {allowed}")
    return formats[name]


def _write_dataframe(df: Any, path: Path, suffix: str, options: dict[str, Any]) -> None:
    if suffix == ".parquet":
        # What pandas' to_parquet does (pyarrow engine, pandas metadata, index kept as
        # pandas decides), without its dispatch overhead: half the time for small tables.
        import pyarrow as pa
        import pyarrow.parquet as pq

        options = dict(options.get("parquet") or {})
        engine_options = {k: options.pop(k) for k in ("engine", "index") if k in options}
        if engine_options:  # pandas' own parameters: let pandas handle them
            df.to_parquet(path, **engine_options, **options)
        else:
            pq.write_table(pa.Table.from_pandas(df, preserve_index=None), path, **options)
        return
    import pandas as pd

    # a default 0..n-1 index carries no information: keep it out of the text file
    keep_index = not (
        isinstance(df.index, pd.RangeIndex)
        and df.index.name is None
        and df.index.start == 0
        and df.index.step == 1
    )
    df.to_csv(path, sep="\t" if suffix == ".tsv" else ",", index=keep_index)


def _write_anndata(adata: Any, path: Path, suffix: str, options: dict[str, Any]) -> None:
    if suffix == ".h5ad":
        adata.write_h5ad(path, **(options.get("h5ad") or {}))
        return
    with warnings.catch_warnings():
        # anndata 0.12 announces its future v3 default on every zarr write
        warnings.filterwarnings("ignore", message="Writing zarr v2 data", category=UserWarning)
        adata.write_zarr(path, **(options.get("zarr") or {}))


def _write_mudata(mdata: Any, path: Path, suffix: str, options: dict[str, Any]) -> None:
    import_optional("mudata").write_h5mu(path, mdata)


_WRITERS: dict[str, Callable[[Any, Path, str, dict[str, Any]], None]] = {
    "DataFrame": _write_dataframe,
    "AnnData": _write_anndata,
    "MuData": _write_mudata,
}


def write_object(
    obj: Any, path: Any, format: str | None = None, options: dict[str, Any] | None = None
) -> str:
    """Write ``obj`` to the local ``path`` atomically and return the suffix of its format.

    ``options`` passes keyword arguments to the writer by format:
    ``{"parquet": {...}}`` (pyarrow's ``write_table``, or pandas' ``to_parquet`` when
    ``engine``/``index`` is given), ``{"h5ad": {...}}``, ``{"zarr": {...}}``.

    The file is written exactly at ``path``. Without ``format``, the suffix of
    ``path`` picks the format when it fits the object, else the default is used.

    Raises
    ------
    InvalidArgument
        For unsupported objects or formats, or a path suffix that contradicts ``format``.
    StorageError
        If writing fails (nothing is left at ``path``).

    Examples
    --------
    >>> import pandas as pd
    >>> write_object(pd.DataFrame({"a": [1]}), "/tmp/_lamin_lab_w.tsv")
    '.tsv'
    """
    path = to_path(path)
    if is_cloud(path):
        raise InvalidArgument(
            f"write_object() writes local files, got '{path}'; write locally, then put() it"
        )
    otype = _require_otype(obj)
    suffix = infer_suffix(obj, format, key=path.name)
    path_suffix = suffix_of(path)
    if format is not None and path_suffix in _all_write_suffixes() and path_suffix != suffix:
        raise InvalidArgument(
            f"path '{path.name}' ends with {path_suffix} but format {format!r} writes {suffix}; make them agree"
        )
    tmp = temp_sibling(path, keep_suffix=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _WRITERS[otype](obj, tmp, suffix, options or {})
        move_into_place(tmp, path)
    except MissingDependency:
        raise
    except Exception as e:
        remove_local(tmp)
        raise StorageError(
            f"cannot write the {otype} to '{path}' as {suffix}: {e}; check the data and free space"
        ) from e
    return suffix


def _all_write_suffixes() -> set[str]:
    return {suffix for formats in WRITE_FORMATS.values() for suffix in formats.values()}


def describe_object(obj: Any) -> dict[str, Any]:
    """Return artifact metadata of an in-memory dataset.

    Examples
    --------
    >>> import pandas as pd
    >>> describe_object(pd.DataFrame({"a": [1, 2, 3]}))
    {'kind': 'dataset', 'otype': 'DataFrame', 'n_observations': 3}
    """
    otype = _require_otype(obj)
    n_obs = len(obj) if otype == "DataFrame" else int(obj.n_obs)
    return {"kind": "dataset", "otype": otype, "n_observations": n_obs}


# ---------------------------------------------------------------- loading
def _read_csv(path: Path, **kwargs: Any) -> Any:
    import pandas as pd

    return pd.read_csv(path, **kwargs)


def _read_tsv(path: Path, **kwargs: Any) -> Any:
    kwargs.setdefault("sep", "\t")
    return _read_csv(path, **kwargs)


def _read_parquet(path: Path, **kwargs: Any) -> Any:
    import pandas as pd

    return pd.read_parquet(path, **kwargs)


def _read_ipc(path: Path, **kwargs: Any) -> Any:
    import pyarrow as pa

    try:  # Arrow IPC *file* format (Feather v2)
        with pa.memory_map(str(path)) as source:
            return pa.ipc.open_file(source).read_pandas(**kwargs)
    except pa.ArrowInvalid:  # Arrow IPC *stream* format
        with pa.memory_map(str(path)) as source:
            return pa.ipc.open_stream(source).read_pandas(**kwargs)


def _read_json(path: Path, **kwargs: Any) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f, **kwargs)


def _read_text(path: Path) -> str:
    # LaminDB's load() of .txt and .fasta files: the text
    return path.read_text(encoding="utf-8")


def _read_h5ad(path: Path, **kwargs: Any) -> Any:
    import anndata

    return anndata.read_h5ad(path, **kwargs)


def _read_h5mu(path: Path, **kwargs: Any) -> Any:
    return import_optional("mudata").read_h5mu(path, **kwargs)


def is_anndata_zarr(path: Any) -> bool:
    """Return whether a local zarr store holds an AnnData (root ``encoding-type``).

    Examples
    --------
    >>> is_anndata_zarr("/tmp/_lamin_lab_not_a_store.zarr")
    False
    """
    path = Path(path)
    for meta_file, in_attrs in ((".zattrs", False), ("zarr.json", True)):
        try:
            meta = json.loads((path / meta_file).read_text())
        except (OSError, ValueError):
            continue
        attrs = meta.get("attributes", {}) if in_attrs else meta
        return attrs.get("encoding-type") == "anndata"
    return False


def _read_zarr(path: Path, **kwargs: Any) -> Any:
    if not is_anndata_zarr(path):
        return path  # a zarr store, but not an AnnData: the caller gets the path
    import anndata

    return anndata.read_zarr(path, **kwargs)


LOADERS: dict[str, Callable[..., Any]] = {
    ".csv": _read_csv,
    ".csv.gz": _read_csv,
    ".tsv": _read_tsv,
    ".tsv.gz": _read_tsv,
    ".parquet": _read_parquet,
    ".ipc": _read_ipc,
    ".feather": _read_ipc,
    ".arrow": _read_ipc,
    ".json": _read_json,
    ".txt": _read_text,
    ".fasta": _read_text,
    ".h5ad": _read_h5ad,
    ".zarr": _read_zarr,
    ".anndata.zarr": _read_zarr,
    ".h5mu": _read_h5mu,
}


def can_load(suffix: str) -> bool:
    """Return whether :func:`load` turns files with this suffix into an object.

    Examples
    --------
    >>> can_load(".parquet"), can_load(".jpg")
    (True, False)
    """
    return suffix in LOADERS


def load(path: Any, suffix: str | None = None, **kwargs: Any) -> Any:
    """Load a local file into memory by its suffix; return the path for other formats.

    Parameters
    ----------
    path
        A local file or folder (for cloud data pass ``cache(upath, cache_dir)``).
    suffix
        The artifact's suffix; defaults to :func:`suffix_of` the path.
    **kwargs
        Passed to the reader (``pandas.read_csv``, ``anndata.read_h5ad``, ...).

    Raises
    ------
    InvalidArgument
        For a cloud path.
    StorageError
        If the file is missing or cannot be read as ``suffix``.

    Examples
    --------
    >>> from pathlib import Path
    >>> _ = Path("/tmp/_lamin_lab_x.json").write_text('{"a": 1}')
    >>> load("/tmp/_lamin_lab_x.json"), load("/tmp/_lamin_lab_x.json", ".bin").name
    ({'a': 1}, '_lamin_lab_x.json')
    """
    path = to_path(path)
    if is_cloud(path):
        raise InvalidArgument(
            f"load() reads local files, got '{path}'; call load(cache(path, cache_dir), suffix)"
        )
    suffix = suffix_of(path) if suffix is None else suffix
    if not path.exists():
        raise StorageError(
            f"cannot load '{path}': it does not exist; check the path or re-download it with cache()"
        )
    reader = LOADERS.get(suffix)
    if reader is None:
        return path
    try:
        return reader(path, **kwargs)
    except (MissingDependency, TypeError):
        raise  # a missing package or a wrong keyword argument: the caller's to fix
    except Exception as e:
        raise StorageError(
            f"cannot load '{path.name}' as {suffix}: {type(e).__name__}: {e}; the file may be "
            "corrupt or in another format: use artifact.cache() to get the path and inspect it"
        ) from e


__all__ = [
    "LOADERS",
    "WRITE_FORMATS",
    "can_load",
    "describe_object",
    "import_optional",
    "infer_suffix",
    "is_anndata_zarr",
    "load",
    "write_object",
]

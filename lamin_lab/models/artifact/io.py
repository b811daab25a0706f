"""Reading artifacts: ``path``, ``cache()``, ``load()``, ``open()``, and recording run inputs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ...errors import HashMismatch, InvalidArgument, LaminLabError, StorageError
from ...orm.database import state
from ...settings import settings
from ...storage import (
    cache,
    hash_dir,
    hash_file,
    is_cloud,
    load,
    open_anndata,
    open_tabular,
    to_path,
)
from ...storage.atomic import remove_local
from ...storage.backed import HDF5_SUFFIXES, open_hdf5, open_zarr
from ...storage.pending import settle
from .save import storage_key
from ..links import ArtifactRun
from ..transfer import copy_read_input

TABULAR_SUFFIXES = (".parquet", ".csv", ".tsv", ".ipc", ".feather", ".arrow")
ANNDATA_SUFFIXES = (".h5ad", ".zarr", ".anndata.zarr")


def artifact_path(artifact: Any) -> Any:
    """Where the content lives: ``<root>/.lamindb/<uid><suffix>`` or ``<root>/<key>``."""
    root = artifact.storage.root.rstrip("/")
    path = to_path(f"{root}/{storage_key(artifact)}")
    committed = artifact._pk is not None and "replaces" not in (
        getattr(artifact, "_build", None) or {}
    )
    if committed and not is_cloud(path):
        settle(path, artifact.hash)  # a replace() killed after its commit: finish it
    return path


def record_input(artifact: Any, is_run_input: bool | None) -> None:
    """Link the artifact as an input of the active run (never of the run that made it)."""
    copy_read_input(artifact, is_run_input)  # read from another instance (ln.DB)
    run_id = state.run_id
    if (
        run_id is None
        or is_run_input is False
        or (is_run_input is None and not settings.track_run_inputs)
        or artifact._pk is None
    ):
        return
    if artifact.__data__.get("run") == run_id:
        return

    exists = (
        ArtifactRun.select()
        .where(ArtifactRun.artifact == artifact._pk, ArtifactRun.run == run_id)
        .exists()
    )
    if not exists:
        ArtifactRun.insert(artifact=artifact._pk, run=run_id).execute()


def cache_artifact(
    artifact: Any, is_run_input: bool | None = None, check_hash: bool = False
) -> Any:
    """A local path to the content: the file itself locally, a verified cached copy for cloud content.

    A local file whose size differs from the record's raises :class:`HashMismatch` (one
    ``stat``); ``check_hash=True`` also compares the full hash. Before ``save()`` the
    content is the source the artifact was built from (as in LaminDB).
    """
    build = getattr(artifact, "_build", None) or {}
    if (
        artifact._pk is None
        and build.get("local_path") is not None
        and not is_cloud(build["local_path"])
    ):
        return to_path(build["local_path"])
    path = artifact_path(artifact)
    if is_cloud(path):
        build = getattr(artifact, "_build", None) or {}
        local = build.get("local_path")
        if (
            local is not None
            and not is_cloud(local)
            and to_path(local).exists()
            and build.get("owns_local")
        ):
            result = to_path(local)
        else:
            result = _cached_copy(artifact, path, check_hash)
    else:
        if not path.exists():
            raise InvalidArgument(
                f"The content of {artifact._short_repr()} is missing at {path}: it was moved or "
                "deleted outside lamin_lab."
            )
        verify_local(artifact, path, check_hash)
        result = path
    record_input(artifact, is_run_input)
    return result


def _cached_copy(artifact: Any, path: Any, check_hash: bool) -> Any:
    """The verified cached copy of cloud content; a damaged copy is fetched again once."""
    result = cache(
        path, settings.cache_dir, expected_hash=artifact.hash, hash_type=artifact._hash_type
    )
    try:
        verify_local(artifact, result, check_hash)
    except HashMismatch:
        remove_local(result)  # the copy was changed locally: the remote content decides
        result = cache(
            path, settings.cache_dir, expected_hash=artifact.hash, hash_type=artifact._hash_type
        )
        verify_local(artifact, result, check_hash)
    return result


def verify_local(artifact: Any, path: Any, check_hash: bool) -> None:
    """Raise :class:`HashMismatch` when a local file is not the content the record describes."""
    if path.is_dir():
        got = hash_dir(path, progress=True)[0] if check_hash else None
    else:
        size = path.stat().st_size
        if artifact.size is not None and size != artifact.size:
            raise HashMismatch(
                f"The file of {artifact._short_repr()} at {path} has {size} bytes, the record says {artifact.size}: "
                "it was changed outside lamin_lab (truncated or overwritten). Restore the file, or record its new "
                "content with artifact.replace(path) and artifact.save()."
            )
        got = hash_file(path)[0] if check_hash else None
    if got is not None and artifact.hash is not None and got != artifact.hash:
        raise HashMismatch(
            f"The content of {artifact._short_repr()} at {path} has hash {got}, the record says {artifact.hash}: "
            "it was changed outside lamin_lab. Restore the file, or record its new content with "
            "artifact.replace(path) and artifact.save()."
        )


def _read(artifact: Any, reader: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a format reader; a damaged file becomes a :class:`StorageError` that says what to do."""
    try:
        return reader(*args, **kwargs)
    except LaminLabError:
        raise
    except Exception as e:  # pyarrow.ArrowInvalid, OSError from h5py, UnicodeDecodeError, ...
        raise StorageError(
            f"Cannot read the content of {artifact._short_repr()} ({type(e).__name__}: {e}). The file may be "
            "damaged or not in the format its suffix says: check it with artifact.cache(check_hash=True)."
        ) from e


def load_artifact(artifact: Any, is_run_input: bool | None = None, **kwargs: Any) -> Any:
    """The content in memory: DataFrame, AnnData, MuData, dict ... or the cached path for other formats."""
    memory = (getattr(artifact, "_build", None) or {}).get("memory_rep")
    if memory is not None and not kwargs:
        record_input(artifact, is_run_input)
        return memory
    local = cache_artifact(artifact, is_run_input)
    return _read(artifact, load, local, artifact.suffix, **kwargs)


@contextlib.contextmanager
def lazy_frame_context(frame: Any) -> Iterator[Any]:
    """A context manager that yields ``frame``: LaminDB's shape of ``open(engine="polars")``.

    Examples
    --------
    >>> with lazy_frame_context("frame") as f:
    ...     print(f)
    frame
    """
    yield frame


def open_artifact(
    artifact: Any,
    engine: str = "pyarrow",
    is_run_input: bool | None = None,
    mode: str = "r",
    **kwargs: Any,
) -> Any:
    """Lazy access, by suffix, as LaminDB's ``open()``.

    Tables: a pyarrow Dataset (with ``engine="polars"`` a context manager yielding a polars
    LazyFrame); h5ad/AnnData zarr: a backed AnnData; ``.h5``/``.hdf5`` and other zarr
    stores: a :class:`BackedAccessor` (or a backed AnnData when anndata wrote the file).
    The AnnData and HDF5/zarr accessors are context managers that close the file on exit.
    """
    suffix = artifact.suffix or ""
    if mode != "r":
        raise InvalidArgument(
            f"open() reads only (mode='r'), not mode={mode!r}: lamin_lab writes no store in place. "
            "Load the data, change it, and save it as a new version: ln.Artifact(data, revises=artifact).save()."
        )
    if suffix in TABULAR_SUFFIXES or (artifact.n_files and suffix == ""):
        local = cache_artifact(artifact, is_run_input)
        opened = _read(artifact, open_tabular, local, engine=engine, **kwargs)
        return lazy_frame_context(opened) if engine == "polars" else opened
    if suffix in ANNDATA_SUFFIXES:
        local = cache_artifact(artifact, is_run_input)
        return _read(artifact, open_zarr if suffix == ".zarr" else open_anndata, local)
    if suffix in HDF5_SUFFIXES:
        local = cache_artifact(artifact, is_run_input)
        return _read(artifact, open_hdf5, local, **kwargs)
    raise InvalidArgument(
        f"open() reads tables ({', '.join(TABULAR_SUFFIXES)}), AnnData ({', '.join(ANNDATA_SUFFIXES)}) "
        f"and HDF5 ({', '.join(HDF5_SUFFIXES)}), not {suffix or 'files without a suffix'}: "
        "use .load() or .cache() instead."
    )

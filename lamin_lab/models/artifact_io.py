"""Reading artifacts: ``path``, ``cache()``, ``load()``, ``open()``, and recording run inputs."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..orm.database import state, translate_errors
from ..settings import settings
from ..storage import cache, is_cloud, load, open_anndata, open_tabular, to_path
from .artifact_save import storage_key

TABULAR_SUFFIXES = (".parquet", ".csv", ".tsv", ".ipc", ".feather", ".arrow")
ANNDATA_SUFFIXES = (".h5ad", ".zarr", ".anndata.zarr")


def artifact_path(artifact: Any) -> Any:
    """Where the content lives: ``<root>/.lamindb/<uid><suffix>`` or ``<root>/<key>``."""
    root = artifact.storage.root.rstrip("/")
    return to_path(f"{root}/{storage_key(artifact)}")


def record_input(artifact: Any, is_run_input: bool | None) -> None:
    """Link the artifact as an input of the active run (never of the run that made it)."""
    run_id = state.run_id
    if run_id is None or is_run_input is False or (is_run_input is None and not settings.track_run_inputs) or artifact._pk is None:
        return
    if artifact.__data__.get("run") == run_id:
        return
    from .links import ArtifactRun

    with translate_errors():
        exists = ArtifactRun.select().where(ArtifactRun.artifact == artifact._pk, ArtifactRun.run == run_id).exists()
        if not exists:
            ArtifactRun.insert(artifact=artifact._pk, run=run_id).execute()


def cache_artifact(artifact: Any, is_run_input: bool | None = None) -> Any:
    """A local path to the content: the file itself locally, a verified cached copy for cloud content.

    Before ``save()`` the content is the source the artifact was built from (as in LaminDB).
    """
    build = getattr(artifact, "_build", None) or {}
    if artifact._pk is None and build.get("local_path") is not None and not is_cloud(build["local_path"]):
        return to_path(build["local_path"])
    path = artifact_path(artifact)
    if is_cloud(path):
        build = getattr(artifact, "_build", None) or {}
        local = build.get("local_path")
        if local is not None and not is_cloud(local) and to_path(local).exists() and build.get("owns_local"):
            result = to_path(local)
        else:
            result = cache(path, settings.cache_dir, expected_hash=artifact.hash, hash_type=artifact._hash_type)
    else:
        if not path.exists():
            raise InvalidArgument(
                f"The content of {artifact._short_repr()} is missing at {path}: it was moved or deleted outside lamin_lab."
            )
        result = path
    record_input(artifact, is_run_input)
    return result


def load_artifact(artifact: Any, is_run_input: bool | None = None, **kwargs: Any) -> Any:
    """The content in memory: DataFrame, AnnData, MuData, dict ... or the cached path for other formats."""
    memory = (getattr(artifact, "_build", None) or {}).get("memory_rep")
    if memory is not None and not kwargs:
        record_input(artifact, is_run_input)
        return memory
    local = cache_artifact(artifact, is_run_input)
    return load(local, artifact.suffix, **kwargs)


def open_artifact(artifact: Any, engine: str = "pyarrow", is_run_input: bool | None = None, **kwargs: Any) -> Any:
    """Lazy access: a pyarrow Dataset / polars LazyFrame for tables, a backed AnnData for h5ad/zarr."""
    suffix = artifact.suffix or ""
    if suffix in TABULAR_SUFFIXES or (artifact.n_files and suffix == ""):
        local = cache_artifact(artifact, is_run_input)
        return open_tabular(local, engine=engine, **kwargs)
    if suffix in ANNDATA_SUFFIXES:
        local = cache_artifact(artifact, is_run_input)
        return open_anndata(local)
    raise InvalidArgument(
        f"open() reads tables ({', '.join(TABULAR_SUFFIXES)}) and AnnData ({', '.join(ANNDATA_SUFFIXES)}), "
        f"not {suffix or 'files without a suffix'}: use .load() or .cache() instead."
    )

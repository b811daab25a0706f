"""Many artifacts from a folder (``from_dir``) and lazily written artifacts (``from_lazy``)."""

from __future__ import annotations

from typing import Any

from ...errors import InvalidArgument
from ...orm.uid import base62
from ...settings import settings
from ...storage import to_path
from ..storage_access import storage_containing


def _files_below(folder: Any) -> list[Any]:
    # Hidden files and folders (".git", ".DS_Store", ".lamindb") are not data.
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sorted(
        p for p in files if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def artifacts_from_dir(
    cls: type, path: Any, *, key: str | None = None, run: Any = None
) -> list[Any]:
    """Build (unsaved) artifacts for every file below ``path``, with a progress bar."""
    from tqdm.auto import tqdm

    folder = to_path(path)
    if not folder.is_dir():
        raise InvalidArgument(
            f"from_dir() needs a folder; {path} is not one. For a single file use ln.Artifact(path)."
        )
    files = _files_below(folder)
    if not files:
        raise InvalidArgument(f"Folder {path} holds no files (hidden ones are skipped).")
    inside_storage = storage_containing(folder) is not None
    prefix = key if key is not None else folder.name
    extra = {"run": run} if run is not None else {}
    artifacts = []
    for file in tqdm(
        files, desc=f"registering {folder.name}", unit="file", mininterval=1.0, delay=1.0
    ):
        rel = file.relative_to(folder).as_posix()
        # inside a root each file keeps its real key, unless key= names others (_real_key)
        artifact_key = None if inside_storage and key is None else f"{prefix}/{rel}"
        artifacts.append(cls(file, key=artifact_key, **extra))
    return artifacts


class LazyArtifact:
    """An artifact whose content is written to :attr:`path` before it is saved.

    Examples
    --------
    >>> lazy = ln.Artifact.from_lazy(suffix=".zarr", key="mydata.zarr")  # doctest: +SKIP
    >>> zarr.open(lazy.path, mode="w")["x"] = [1, 2]  # doctest: +SKIP
    >>> artifact = lazy.save()  # doctest: +SKIP
    """

    def __init__(
        self, registry: type, suffix: str, overwrite_versions: bool = False, **kwargs: Any
    ):
        if not suffix.startswith("."):
            raise InvalidArgument(f"suffix must start with a dot, e.g. '.zarr', not {suffix!r}.")
        self._registry = registry
        self._kwargs = kwargs
        self.overwrite_versions = overwrite_versions
        staging = settings.cache_dir / ".staging"
        staging.mkdir(parents=True, exist_ok=True)
        self._path = staging / f"lazy-{base62(12)}{suffix}"

    @property
    def path(self) -> Any:
        """Write the content here (a local staging path)."""
        return self._path

    def save(self, upload: bool | None = None, **kwargs: Any) -> Any:
        """Register what was written to :attr:`path` and save it; returns the artifact."""
        if not self._path.exists():
            raise InvalidArgument(
                f"Nothing was written to {self._path}: write the content there first, then save()."
            )
        artifact = self._registry(self._path, **{**self._kwargs, **kwargs})
        artifact._overwrite_versions = self.overwrite_versions
        if artifact._build.get("local_path") is not None:
            artifact._build["owns_local"] = True  # the staging path is ours: move, don't copy
        return artifact.save()

    def __repr__(self) -> str:
        return f"LazyArtifact(path={str(self._path)!r})"

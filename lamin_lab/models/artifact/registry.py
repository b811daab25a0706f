"""``Artifact``: a dataset or model file (or folder) registered in a storage location."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ...errors import InvalidArgument
from ...orm import ManyToMany, fields
from ...storage.atomic import remove_local
from . import io as artifact_io
from . import save as artifact_save
from .create import artifact_fields, otype_of_path, same_content_or_key
from ..mixins import HasLineage, IsVersioned, TracksRun, TracksUpdates, current_run_id
from ..mixins.versioned import check_revises, check_version_tag
from ..mixins.has_features import HasFeatures
from ..mixins.versioned import refuse_old_revises_name
from ..recreating import note_recreating_run
from ..storage_location import Storage
from ..schema import resolve_schema
from ..user import User
from .folder import artifacts_from_dir
from .folder import LazyArtifact
from .replace import replace_content

logger = logging.getLogger("lamin_lab")


class Artifact(HasLineage, IsVersioned, TracksRun, TracksUpdates, HasFeatures):
    """A file or folder with its metadata, versions, lineage and annotations.

    Parameters
    ----------
    data
        A path (local or ``s3://``/``gs://``), a folder, a pandas DataFrame, an AnnData or a MuData.
    key
        A relative path like ``"raw/sample1.fcs"``: the artifact's name in the catalog.
    description
        Free text.
    kind
        ``"dataset"``, ``"model"`` or None.
    revises
        An artifact this one is a new version of.
    format
        How to write in-memory data (``"parquet"``, ``"csv"``, ``"h5ad"``, ``"zarr"`` ...).
    version
        A version tag, a string such as ``"1"`` or ``"0.2"``.
    overwrite_versions
        Recorded as ``_overwrite_versions`` (default: True for a folder, False for a file).
        lamin_lab keeps every version's content under its own uid either way.
    key_is_virtual
        ``False`` stores the copy at ``<root>/<key>`` instead of ``<root>/.lamindb/<uid><suffix>``.

    One of ``key``, ``description`` or a run (``ln.track()``) is required, and a key ends
    with the data's suffix. Saving content that sits in the trash under the same key
    restores that artifact.

    Examples
    --------
    >>> ln.Artifact("./my_file.fcs", key="raw/my_file.fcs").save()  # doctest: +SKIP
    >>> ln.Artifact.from_df(df, key="tables/batch1.parquet").save()  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "key",
        "description",
        "suffix",
        "kind",
        "otype",
        "size",
        "hash",
        "n_files",
        "n_observations",
        "extra_data",
        "version_tag",
        "is_latest",
        "is_locked",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "storage_id",
        "run_id",
        "schema_id",
        "created_by_id",
    )
    _uid_length = 20
    _versioned_stem_length = 16
    _name_field = "key"
    _search_fields = ("key", "description")
    _field_aliases = {
        "type": "kind",
        "accessor": "otype",
        "n_objects": "n_files",
        "hash_type": "_hash_type",
        "transform": "run__transform",
    }  # filter(transform=t): the run's transform, as in LaminDB
    _delete_one_by_one = True

    uid = fields.CharField(max_length=20, unique=True)
    key = fields.CharField(max_length=1024, null=True, index=True)
    description = fields.CharField(max_length=1024, null=True, index=True)
    storage = fields.ForeignKey(Storage, on_delete="PROTECT", related_name="artifacts", index=True)
    suffix = fields.CharField(max_length=30, null=True, index=True)
    kind = fields.CharField(max_length=20, null=True, index=True)
    otype = fields.CharField(max_length=64, null=True, index=True)
    size = fields.BigIntegerField(null=True, index=True)
    hash = fields.CharField(max_length=22, null=True, index=True)
    n_files = fields.BigIntegerField(null=True, index=True)
    n_observations = fields.BigIntegerField(null=True, index=True)
    _hash_type = fields.CharField(max_length=30, null=True)
    _key_is_virtual = fields.BooleanField(default=True)
    # where a file inside a storage root lies when it was given another key (LaminDB's column)
    _real_key = fields.CharField(max_length=1024, null=True, index=True)
    _overwrite_versions = fields.BooleanField(default=False)
    # LaminDB's private flags; {"so": 1}: the content was not stored to the end (acid guide)
    _aux = fields.JSONField(null=True)
    _storage_ongoing = property(artifact_save.storage_ongoing, artifact_save.set_storage_ongoing)
    schema = fields.ForeignKey(
        "Schema", on_delete="SET_NULL", null=True, related_name="validated_artifacts"
    )
    run = fields.ForeignKey(
        "Run",
        on_delete="SET_NULL",
        null=True,
        default=current_run_id,
        related_name="output_artifacts",
        index=True,
    )
    created_by = fields.ForeignKey(
        User, on_delete="PROTECT", null=True, related_name="created_artifacts"
    )

    ulabels = ManyToMany("ULabel", through="ArtifactULabel", related_name="artifacts")
    records = ManyToMany("Record", through="ArtifactRecord", related_name="artifacts")
    projects = ManyToMany("Project", through="ArtifactProject", related_name="artifacts")
    references = ManyToMany("Reference", through="ArtifactReference", related_name="artifacts")
    users = ManyToMany("User", through="ArtifactUser", related_name="linked_artifacts")
    schemas = ManyToMany("Schema", through="ArtifactSchema", related_name="artifacts")
    input_of_runs = ManyToMany("Run", through="ArtifactRun", related_name="input_artifacts")
    recreating_runs = ManyToMany(
        "Run", through="ArtifactRecreatingRun", related_name="recreated_artifacts"
    )
    json_values = ManyToMany("JsonValue", through="ArtifactJsonValue", related_name="artifacts")
    linked_artifacts = ManyToMany(
        "self",
        through="ArtifactArtifact",
        through_fields=("artifact", "value"),
        related_name="linked_by_artifacts",
    )

    class Meta:
        # save() looks up the latest artifact with the same key in the same storage: with
        # single-column indexes only, SQLite walked every artifact of the storage (1M: ~1 s)
        indexes = ((("key", "storage", "is_latest"), False),)

    def __init__(self, *args: Any, **kwargs: Any):
        if "__no_default__" in kwargs:  # a row read from the database: field values only
            super().__init__(**kwargs)
            return
        pending = kwargs.pop(
            "features", None
        )  # added on save (also when an existing artifact is returned)
        self._init_new(*args, **kwargs)
        self._set_features_on_save(pending)

    def _init_new(
        self,
        data: Any = None,
        *args: Any,
        key: str | None = None,
        description: str | None = None,
        kind: str | None = None,
        revises: Any = None,
        format: str | None = None,
        skip_hash_lookup: bool | None = None,
        overwrite_versions: bool | None = None,
        key_is_virtual: bool | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("schema") is not None:  # an invalid dataset must write nothing
            self._validate_with_schema(data, kwargs["schema"])
        older_kind = kwargs.pop("type", None)
        kind = kind or older_kind
        refuse_old_revises_name(type(self), kwargs)
        if data is None:
            raise InvalidArgument(
                "Artifact() needs data: a path, a folder, a DataFrame, an AnnData or a MuData."
            )
        if args:
            raise InvalidArgument(
                "Artifact() takes the data as its only positional argument; pass key=..., description=...."
            )
        check_version_tag(kwargs.get("version"), revises)
        if revises is not None:
            check_revises(type(self), revises)
            key = revises.key if key is None and revises._key_is_virtual else key
            description = revises.description if description is None else description
        write_options = {
            fmt: kwargs.pop(f"{fmt}_kwargs")
            for fmt in ("parquet", "h5ad", "zarr")
            if f"{fmt}_kwargs" in kwargs
        }
        run = kwargs["run"] if kwargs.get("run") is not None else current_run_id()
        found = artifact_fields(
            data,
            key=key,
            description=description,
            kind=kind,
            format=format,
            write_options=write_options,
            key_is_virtual=key_is_virtual,
            run=run,
        )
        build = found.pop("_build")
        # As in LaminDB, a path registered in place is not matched to other paths by content
        in_place = build.get("in_place", False)
        skip_hash_lookup = in_place if skip_hash_lookup is None else bool(skip_hash_lookup)
        existing, previous = same_content_or_key(
            type(self), found, skip_hash_lookup, revises is None, in_place
        )
        if existing is not None:
            self._adopt(existing, build, run)
            return
        if previous is not None:
            logger.info(
                "creating a new version of the artifact with key %r (the previous one: %s)",
                found["key"],
                previous._short_repr(),
            )
        revises = revises if revises is not None else previous
        found["_overwrite_versions"] = (
            found["n_files"] is not None if overwrite_versions is None else bool(overwrite_versions)
        )
        super().__init__(revises=revises, **found, **kwargs)
        self._build = build
        self._build["skip_hash_lookup"] = skip_hash_lookup  # save() looks again under its lock
        self._is_existing = False

    def _adopt(self, existing: Any, build: dict[str, Any], run: Any = None) -> None:
        """Become the existing artifact with the same content (nothing is written twice).

        As in LaminDB, an existing artifact without a run takes the current one (``run=`` or
        ``ln.track()``'s), written by the next ``save()``; one made by another run gets the
        current run in ``recreating_runs`` when saved.
        """
        peewee_init = super(IsVersioned, self).__init__
        peewee_init(__no_default__=1)
        self.__data__ = dict(existing.__data__)
        self._dirty = set()
        self._is_existing = True
        restore = existing._storage_ongoing and build.get("local_path") is not None
        if build.get("owns_local") and not restore:
            remove_local(build["local_path"])
        self._build = {
            "memory_rep": build.get("memory_rep"),
            "local_path": build["local_path"] if restore else None,
            "owns_local": build.get("owns_local", False) if restore else False,
            # its content was never stored to the end: this save stores it (LaminDB's recovery)
            "restore": restore,
        }
        logger.info(
            "returning the existing artifact with the same content: %s", existing._short_repr()
        )
        note_recreating_run(self, run)  # no run yet: takes this one; another run: links on save

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_dataframe(
        cls,
        df: Any,
        *,
        key: str | None = None,
        description: str | None = None,
        run: Any = None,
        revises: Any = None,
        schema: Any = None,
        format: str | None = None,
        **kwargs: Any,
    ) -> Artifact:
        """An artifact from a pandas DataFrame (parquet by default).

        Examples
        --------
        >>> ln.Artifact.from_dataframe(df, key="tables/batch1.parquet").save()  # doctest: +SKIP
        """
        if type(df).__name__ != "DataFrame":
            raise InvalidArgument(
                f"from_dataframe() takes a pandas DataFrame, not {type(df).__name__}."
            )
        extra = {"run": run} if run is not None else {}
        if schema is not None:
            extra["schema"] = resolve_schema(schema)
        return cls(
            df,
            key=key,
            description=description,
            revises=revises,
            kind="dataset",
            format=format,
            **extra,
            **kwargs,
        )

    from_df = from_dataframe

    @classmethod
    def from_anndata(
        cls,
        adata: Any,
        *,
        key: str | None = None,
        description: str | None = None,
        run: Any = None,
        revises: Any = None,
        schema: Any = None,
        format: str | None = None,
        **kwargs: Any,
    ) -> Artifact:
        """An artifact from an AnnData object or an ``.h5ad``/``.zarr`` path.

        Examples
        --------
        >>> ln.Artifact.from_anndata(adata, key="scrna/pbmc.h5ad").save()  # doctest: +SKIP
        """
        _check_data_is(adata, "AnnData", (".h5ad", ".zarr"))
        extra = {"run": run} if run is not None else {}
        if schema is not None:
            extra["schema"] = schema
        artifact = cls(
            adata,
            key=key,
            description=description,
            revises=revises,
            kind="dataset",
            format=format,
            **extra,
            **kwargs,
        )
        if artifact._pk is None and artifact.otype is None:
            artifact.otype = "AnnData"
        return artifact

    @classmethod
    def from_mudata(
        cls,
        mdata: Any,
        *,
        key: str | None = None,
        description: str | None = None,
        run: Any = None,
        revises: Any = None,
        **kwargs: Any,
    ) -> Artifact:
        """An artifact from a MuData object (needs the ``mudata`` package).

        Examples
        --------
        >>> ln.Artifact.from_mudata(mdata, key="multi/pbmc.h5mu").save()  # doctest: +SKIP
        """
        _check_data_is(mdata, "MuData", (".h5mu", ".zarr"))
        extra = {"run": run} if run is not None else {}
        return cls(
            mdata,
            key=key,
            description=description,
            revises=revises,
            kind="dataset",
            **extra,
            **kwargs,
        )

    @classmethod
    def from_dir(cls, path: Any, *, key: str | None = None, run: Any = None) -> list[Artifact]:
        """One artifact per file below a folder; keys keep the folder structure.

        Outside a storage root keys are ``<folder name>/<path inside the folder>``
        (or ``<key>/<path inside>`` with ``key=``). Inside a root the files are registered
        in place under their real keys (with ``key=``: under ``<key>/<path inside>``, their
        place kept as ``_real_key``). Save them with ``ln.save(artifacts)``.

        Examples
        --------
        >>> artifacts = ln.Artifact.from_dir("./images")  # doctest: +SKIP
        >>> ln.save(artifacts)  # doctest: +SKIP
        """

        return artifacts_from_dir(cls, path, key=key, run=run)

    @classmethod
    def from_lazy(cls, suffix: str, overwrite_versions: bool = False, **kwargs: Any) -> Any:
        """A lazy artifact: write to ``.path`` (e.g. stream a zarr store), then ``.save()``.

        Examples
        --------
        >>> lazy = ln.Artifact.from_lazy(suffix=".zarr", key="mydata.zarr")  # doctest: +SKIP
        >>> artifact = lazy.save()  # doctest: +SKIP
        """

        return LazyArtifact(cls, suffix, overwrite_versions, **kwargs)

    # ------------------------------------------------------------ saving & deleting
    def save(self, upload: bool | None = None, **kwargs: Any) -> Artifact:
        """Save the artifact: its content goes to storage and its row to the database, or neither.

        Examples
        --------
        >>> artifact = ln.Artifact("./data.csv", key="raw/data.csv").save()  # doctest: +SKIP
        """
        transferred = self._transfer_if_other(kwargs)  # read from another instance: copy it here
        if transferred is not None:
            return transferred
        self._check_features_on_save()  # unknown features or bad values: nothing is saved
        saved = artifact_save.save_artifact(self)
        self._add_features_on_save(saved)  # values passed as features= to the constructor
        saved._link_tracked_project()  # ln.track(project=...) labels what the run saves
        return saved

    @classmethod
    def _bulk_save(cls, records: list[Any]) -> None:
        artifact_save.bulk_save(records)

    def _after_save(self, created: bool) -> None:
        if created and self.is_latest and getattr(self, "_revises", None) is not None:
            self._demote_family()  # a first version has no family to demote
        if created:  # inside the save's transaction: links fail together with the row
            self._annotate_with_schema()

    def _delete_record(self, permanent: bool | None = None, storage: bool | None = None) -> Any:
        return artifact_save.delete_artifact(self, permanent, storage)

    def replace(self, data: Any, run: Any = None, format: str | None = None) -> Artifact:
        """Swap the content, keeping the uid and key (with the new suffix); save to write it.

        Returns the artifact itself, so ``artifact.replace(data).save()`` chains.

        Examples
        --------
        >>> artifact.replace(df_fixed); artifact.save()  # doctest: +SKIP
        """

        replace_content(self, data, run=run, format=format)
        return self

    # ------------------------------------------------------------ reading
    @property
    def path(self) -> Any:
        """Where the content lives (``Path`` locally, ``UPath`` in the cloud)."""
        return artifact_io.artifact_path(self)

    def cache(self, is_run_input: bool | None = None, **kwargs: Any) -> Path:
        """A local path to the content, downloading cloud content once (hash-checked).

        A local file is checked against the recorded size; ``check_hash=True`` compares
        the full hash too. A mismatch raises ``HashMismatch``.

        Examples
        --------
        >>> artifact.cache()  # doctest: +SKIP
        PosixPath('/home/me/.cache/lamin_lab/bucket/.lamindb/....parquet')
        """
        return artifact_io.cache_artifact(
            self, is_run_input, check_hash=bool(kwargs.get("check_hash", False))
        )

    def load(self, is_run_input: bool | None = None, **kwargs: Any) -> Any:
        """The content in memory (DataFrame, AnnData, ...) or, for other formats, the cached path.

        Examples
        --------
        >>> df = ln.Artifact.get(key="tables/batch1.parquet").load()  # doctest: +SKIP
        """
        return artifact_io.load_artifact(self, is_run_input, **kwargs)

    def open(
        self,
        mode: str = "r",
        engine: str = "pyarrow",
        is_run_input: bool | None = None,
        **kwargs: Any,
    ) -> Any:
        """Lazy access: a pyarrow Dataset (or polars LazyFrame) for tables, a backed AnnData for
        h5ad/zarr, an h5py accessor for ``.h5``/``.hdf5``.

        The AnnData and HDF5 accessors (and ``engine="polars"``) are context managers; the
        file is closed when the ``with`` block ends. Other suffixes raise ``InvalidArgument``
        naming the ones that open; so does a ``mode`` other than ``"r"`` (read-only access).

        Examples
        --------
        >>> artifact.open().to_table()  # doctest: +SKIP
        >>> with ln.Artifact.get(key="scrna/cells.h5ad").open() as adata:  # doctest: +SKIP
        ...     adata.obs.head()
        """
        return artifact_io.open_artifact(
            self, mode=mode, engine=engine, is_run_input=is_run_input, **kwargs
        )

    def backed(self, *args: Any, **kwargs: Any) -> Any:
        """Older name of :meth:`open`."""
        return self.open(*args, **kwargs)

    # ------------------------------------------------------------ older names
    @property
    def type(self) -> str | None:
        """Older name of :attr:`kind`."""
        return self.kind

    @property
    def accessor(self) -> str | None:
        """Older name of :attr:`otype`."""
        return self.otype

    @property
    def n_objects(self) -> int | None:
        """Older name of :attr:`n_files`."""
        return self.n_files

    @property
    def hash_type(self) -> str | None:
        """How :attr:`hash` was computed: ``md5``, ``sha1-fl`` or ``md5-d``."""
        return self._hash_type

    @property
    def transform(self) -> Any:
        """The transform of the run that created the artifact, if any."""
        return self.run.transform if self.run_id is not None else None

    def _short_repr(self) -> str:
        return (
            f"Artifact({self.uid!r}, key={self.key!r})" if self.key else f"Artifact({self.uid!r})"
        )


def _check_data_is(data: Any, otype: str, suffixes: tuple[str, ...]) -> None:
    """``from_anndata`` / ``from_mudata`` take that object, or a path whose name says it holds one."""
    if type(data).__name__ in (otype, "AnnDataAccessor" if otype == "AnnData" else otype):
        return
    if isinstance(data, (str, Path)) or hasattr(data, "fs"):
        name = str(data).rstrip("/")
        if otype_of_path(name) == otype or (
            name.endswith(".zarr") and otype_of_path(name) in (otype, None)
        ):
            return
    method = f"from_{otype.lower()}"
    raise InvalidArgument(
        f"{method}() takes a {otype} object or a path to one ({', '.join(suffixes)}), not {_what(data)}: "
        f"use the constructor for what you have (Artifact.from_dataframe() for a DataFrame, Artifact(path) for a file)."
    )


def _what(data: Any) -> str:
    return repr(str(data)) if isinstance(data, (str, Path)) else f"a {type(data).__name__}"

"""``Collection``: a versioned set of artifacts that is loaded, cached and mapped together."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import FieldValidationError, InvalidArgument
from ..orm import ManyToMany, fields
from ..orm.database import atomic
from ..storage import hash_of_hashes
from . import collection_ops
from .artifact.registry import Artifact
from .mixins import HasLineage, IsVersioned, TracksRun, TracksUpdates, current_run_id
from .mixins.versioned import refuse_old_revises_name
from .recreating import link_recreating_run, note_recreating_run

logger = logging.getLogger("lamin_lab")


def _as_artifacts(artifacts: Any) -> list[Any]:
    if isinstance(artifacts, Artifact):
        artifacts = [artifacts]
    if (
        artifacts is None
        or isinstance(artifacts, (str, bytes))
        or not hasattr(artifacts, "__iter__")
    ):
        raise InvalidArgument("Collection() takes an artifact or a list of artifacts.")
    out = list(artifacts)
    if not out:
        raise InvalidArgument("A collection needs at least one artifact.")
    for a in out:
        if not isinstance(a, Artifact):
            raise InvalidArgument(f"Collection() takes Artifact records, not {type(a).__name__}.")
        if a._pk is None:
            raise InvalidArgument(f"Save {a._short_repr()} before putting it in a collection.")
    return list({a._pk: a for a in out}.values())


class Collection(HasLineage, IsVersioned, TracksRun, TracksUpdates):
    """A collection of artifacts.

    Parameters
    ----------
    artifacts
        One artifact or a list of saved artifacts.
    key
        The collection's name, e.g. ``"scrna/batches"``.
    meta
        A DataFrame or AnnData with metadata about the whole collection (saved as ``meta_artifact``).
    revises
        A collection this one is a new version of.

    Examples
    --------
    >>> c = ln.Collection([artifact1, artifact2], key="batches").save()  # doctest: +SKIP
    >>> c.load()  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "key",
        "description",
        "hash",
        "reference",
        "reference_type",
        "version_tag",
        "is_latest",
        "is_locked",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "created_by_id",
        "run_id",
        "schema_id",
        "meta_artifact_id",
    )
    _uid_length = 20
    _versioned_stem_length = 16
    _name_field = "key"
    _search_fields = ("key", "description")
    _field_aliases = {"name": "key"}

    uid = fields.CharField(max_length=20, unique=True)
    key = fields.CharField(max_length=1024, index=True, null=True)
    description = fields.TextField(null=True)
    hash = fields.CharField(max_length=22, null=True, index=True)
    reference = fields.CharField(max_length=255, null=True)
    reference_type = fields.CharField(max_length=25, null=True)
    meta_artifact = fields.ForeignKey(
        Artifact, on_delete="PROTECT", null=True, related_name="_meta_of_collection"
    )
    run = fields.ForeignKey(
        "Run",
        on_delete="SET_NULL",
        null=True,
        default=current_run_id,
        related_name="output_collections",
        index=True,
    )

    artifacts = ManyToMany("Artifact", through="CollectionArtifact", related_name="collections")
    ulabels = ManyToMany("ULabel", through="CollectionULabel", related_name="collections")
    records = ManyToMany("Record", through="CollectionRecord", related_name="collections")
    projects = ManyToMany("Project", through="CollectionProject", related_name="collections")
    references = ManyToMany("Reference", through="CollectionReference", related_name="collections")
    input_of_runs = ManyToMany("Run", through="CollectionRun", related_name="input_collections")
    recreating_runs = ManyToMany(
        "Run", through="CollectionRecreatingRun", related_name="recreated_collections"
    )

    def __init__(self, *args: Any, **kwargs: Any):
        if "__no_default__" in kwargs:  # a row read from the database: field values only
            super().__init__(**kwargs)
            return
        self._init_new(*args, **kwargs)

    def _init_new(
        self,
        artifacts: Any = None,
        *args: Any,
        key: str | None = None,
        description: str | None = None,
        meta: Any = None,
        revises: Any = None,
        name: str | None = None,
        skip_hash_lookup: bool = False,
        **kwargs: Any,
    ) -> None:
        if args:
            raise InvalidArgument(
                "Collection() takes the artifacts as its only positional argument."
            )
        if name is not None:  # LaminDB renamed it key in 1.0 and refuses the old keyword
            raise FieldValidationError(
                f"Collection() has no field name=: pass key={name!r} instead (the collection's name is its key)."
            )
        refuse_old_revises_name(type(self), kwargs)
        members = _as_artifacts(artifacts)
        digest, _ = hash_of_hashes(a.hash or a.uid for a in members)
        existing = (
            None if skip_hash_lookup else type(self).filter(hash=digest).order_by("-id").first()
        )
        if existing is not None:
            super(IsVersioned, self).__init__(__no_default__=1)
            self.__data__, self._dirty, self._is_existing = dict(existing.__data__), set(), True
            logger.info(
                "returning the existing collection with the same artifacts: %s",
                existing._short_repr(),
            )
            run = kwargs.get("run")
            note_recreating_run(self, run if run is not None else current_run_id())
            return
        if revises is None and key is not None:
            revises = type(self).filter(key=key, is_latest=True).order_by("-id").first()
        if revises is not None and key is None:
            key = revises.key
        super().__init__(revises=revises, key=key, description=description, hash=digest, **kwargs)
        self._members = members
        self._meta_input = (
            None
            if meta is None
            else (
                meta
                if isinstance(meta, Artifact)
                else Artifact(meta, kind="dataset", description="meta")
            )
        )
        self._is_existing = False

    def save(self, *args: Any, **kwargs: Any) -> Collection:
        """Save the collection, its membership (in order) and its meta artifact.

        Examples
        --------
        >>> ln.Collection(artifacts, key="batches").save()  # doctest: +SKIP
        """
        transferred = self._transfer_if_other(kwargs)  # read from another instance: copy it here
        if transferred is not None:
            return transferred
        if getattr(self, "_is_existing", False) or self._pk is not None:
            saved = super().save(*args, **kwargs) if self.is_dirty() else self
            link_recreating_run(self)
            return saved
        if self._meta_input is not None:
            self.meta_artifact = self._meta_input.save()
        with atomic():
            super().save(*args, **kwargs)
            collection_ops.link_members(self, self._members)
        return self

    def _after_save(self, created: bool) -> None:
        if created and self.is_latest and getattr(self, "_revises", None) is not None:
            self._demote_family()  # a first version has no family to demote

    # ------------------------------------------------------------ members
    @property
    def ordered_artifacts(self) -> Any:
        """The member artifacts in the order they were added."""
        return collection_ops.ordered_artifacts(self)

    @property
    def data_artifact(self) -> Any | None:
        """The single member artifact of a one-artifact collection, else None."""
        members = list(self.ordered_artifacts)
        return members[0] if len(members) == 1 else None

    def append(self, artifact: Any) -> Collection:
        """A new version with ``artifact`` added at the end (save it to keep it).

        Examples
        --------
        >>> v2 = collection.append(new_artifact).save()  # doctest: +SKIP
        """
        return Collection(
            [*self.ordered_artifacts, artifact],
            revises=self,
            key=self.key,
            description=self.description,
        )

    # ------------------------------------------------------------ reading
    def load(self, join: str = "outer", is_run_input: bool | None = None, **kwargs: Any) -> Any:
        """One concatenated DataFrame, or one AnnData with an ``obs`` column ``artifact_uid``.

        The members must share one format; ``kwargs`` go to ``pandas.concat`` or ``anndata.concat``.

        Examples
        --------
        >>> collection.load(join="inner")  # doctest: +SKIP
        """
        return collection_ops.load_collection(self, join, is_run_input, **kwargs)

    def cache(self, is_run_input: bool | None = None) -> list[Any]:
        """Local paths of every member (cloud content downloaded once)."""
        return collection_ops.cache_collection(self, is_run_input)

    def open(self, engine: str = "pyarrow", is_run_input: bool | None = None, **kwargs: Any) -> Any:
        """One lazy dataset over the tabular members."""
        collection_ops.record_input(self, is_run_input)
        return self.ordered_artifacts.open(engine=engine, is_run_input=False, **kwargs)

    def mapped(
        self,
        layers_keys: Any = None,
        obs_keys: Any = None,
        obsm_keys: Any = None,
        obs_filter: Any = None,
        join: str | None = "inner",
        encode_labels: Any = True,
        unknown_label: Any = None,
        cache_categories: bool = True,
        parallel: bool = False,
        dtype: str | None = None,
        stream: bool = False,
        is_run_input: bool | None = None,
        sparse: Any = "dense",
    ) -> Any:
        """A torch map-style dataset over the member AnnData files (see ``MappedCollection``).

        ``sparse="csr"`` (or ``"coo"``) gives sparse batches for sparse stores, as annbatch
        does; the default densifies them, as LaminDB's ``mapped()``.

        Examples
        --------
        >>> ds = collection.mapped(obs_keys=["cell_type"], join="inner")  # doctest: +SKIP
        """
        collection_ops.record_input(self, is_run_input)
        return collection_ops.mapped_over(
            list(self.ordered_artifacts),
            layers_keys=layers_keys,
            obs_keys=obs_keys,
            obsm_keys=obsm_keys,
            obs_filter=obs_filter,
            join=join,
            encode_labels=encode_labels,
            unknown_label=unknown_label,
            cache_categories=cache_categories,
            parallel=parallel,
            dtype=dtype,
            stream=stream,
            sparse=sparse,
            is_run_input=False,
        )

    @property
    def name(self) -> str | None:
        """Older name of :attr:`key`."""
        return self.key

    def _short_repr(self) -> str:
        return f"Collection({self.uid!r}, key={self.key!r})"

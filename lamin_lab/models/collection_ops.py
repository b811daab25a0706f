"""What collections do with their members: link them in order, load, cache, map."""

from __future__ import annotations

from typing import Any

from ..orm.database import state
from ..orm.instances import instance_of, on_instance
from ..orm.queryset import queryset_class
from ..settings import settings
from .artifact.registry import Artifact
from .artifact.io import cache_artifact, load_artifact
from .artifact.artifact_set import check_loadable, concat_loaded
from .links import CollectionArtifact, CollectionRun
from .transfer import copy_read_input


def link_members(collection: Any, members: list[Any]) -> None:
    """Insert the membership rows in the given order (one multi-row INSERT)."""
    rows = [{"collection": collection._pk, "artifact": a._pk} for a in members]
    for start in range(0, len(rows), 500):
        CollectionArtifact.insert_many(rows[start : start + 500]).execute()


def ordered_artifacts(collection: Any) -> Any:
    """An ArtifactSet of the members, ordered by when they were added.

    A collection read from another instance (``ln.DB``) has its members there: the set
    runs on that instance, even when no instance of this process is connected.
    """
    other = instance_of(collection)
    with on_instance(other):
        ids = [
            row[0]
            for row in CollectionArtifact.select(CollectionArtifact.artifact)
            .where(CollectionArtifact.collection == collection._pk)
            .order_by(CollectionArtifact.id)
            .tuples()
        ]
    ranking = {pk: float(len(ids) - i) for i, pk in enumerate(ids)}
    return queryset_class(Artifact)(
        Artifact, scores=ranking, base=Artifact.id.in_(ids), score_column=None, db=other
    )


def record_input(collection: Any, is_run_input: bool | None) -> None:
    """Link the collection as an input of the active run (never of the run that made it)."""
    copy_read_input(collection, is_run_input)  # read from another instance (ln.DB)
    run_id = state.run_id
    if (
        run_id is None
        or is_run_input is False
        or (is_run_input is None and not settings.track_run_inputs)
        or collection._pk is None
        or collection.__data__.get("run") == run_id
    ):
        return
    if (
        not CollectionRun.select()
        .where(CollectionRun.collection == collection._pk, CollectionRun.run == run_id)
        .exists()
    ):
        CollectionRun.insert(collection=collection._pk, run=run_id).execute()


def load_collection(collection: Any, join: str, is_run_input: bool | None, **kwargs: Any) -> Any:
    """Load every member and concatenate them (``kwargs`` go to the concat function)."""
    members = list(collection.ordered_artifacts)
    check_loadable(members)
    record_input(collection, is_run_input)
    if len(members) > 1 and not kwargs and all(a.suffix == ".h5ad" for a in members):
        from ..storage.h5ad_concat import concat_dense_h5ad  # h5py/anndata: only here

        # Dense files over the same genes: rows read straight into one array (same result).
        fast = concat_dense_h5ad(
            [cache_artifact(a, False) for a in members], [a.uid for a in members]
        )
        if fast is not None:
            return fast
    return concat_loaded(members, [load_artifact(a, False) for a in members], join, **kwargs)


def cache_collection(collection: Any, is_run_input: bool | None) -> list[Any]:
    """Local paths of every member."""
    record_input(collection, is_run_input)
    return [cache_artifact(a, False) for a in collection.ordered_artifacts]


def mapped_over(
    artifacts: list[Any], *, stream: bool = False, is_run_input: bool | None = None, **kwargs: Any
) -> Any:
    """A MappedCollection over the artifacts' files (cached first unless ``stream``)."""
    from ..mapped import MappedCollection  # numpy/h5py: only when a dataset is built

    paths = [a.path if stream else cache_artifact(a, is_run_input) for a in artifacts]
    return MappedCollection(paths, stream=stream, **kwargs)

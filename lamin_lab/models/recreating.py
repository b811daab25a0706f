"""``recreating_runs``: the runs that made an existing artifact or collection again.

Constructing an artifact (or collection) whose content already exists returns the
existing record. When that record has no run, it takes the current one; when it was
made by another run, that run is a *recreating run* of it, linked when the returned
record is saved (LaminDB links it in the constructor already: lamin_lab's constructor
writes nothing). A run that has the record as an input does not count: it read the
record before making the same content, which would otherwise be a cycle.

Examples
--------
>>> artifact = ln.Artifact.from_dataframe(df, key="x.parquet", run=later_run).save()  # doctest: +SKIP
>>> artifact.recreating_runs.to_list("id")  # doctest: +SKIP
[2]
"""

from __future__ import annotations

from typing import Any

from .links import ArtifactRecreatingRun, ArtifactRun, CollectionRecreatingRun, CollectionRun

# host registry -> (the recreating-run link table, the run-input link table, host field)
_LINKS = {
    "Artifact": (ArtifactRecreatingRun, ArtifactRun, "artifact"),
    "Collection": (CollectionRecreatingRun, CollectionRun, "collection"),
}


def run_id_of(run: Any) -> int | None:
    """The id of ``run`` (a Run or an id); None for no run.

    Examples
    --------
    >>> run_id_of(None), run_id_of(3)
    (None, 3)
    """
    if run is None or run is False:
        return None
    return getattr(run, "id", run)


def note_recreating_run(record: Any, run: Any) -> None:
    """Remember that ``run`` made the existing ``record`` again (linked by :func:`link_recreating_run`).

    A record without a run takes ``run`` as its own instead, as in LaminDB.

    Examples
    --------
    >>> note_recreating_run(existing_artifact, run)  # doctest: +SKIP
    """
    run_id = run_id_of(run)
    if run_id is None:
        return
    if record.__data__.get("run") is None:
        record.run = run_id
    elif record.__data__.get("run") != run_id:
        record.__dict__["_recreating_run_id"] = run_id


def link_recreating_run(record: Any) -> None:
    """Link the run noted by :func:`note_recreating_run` to the saved ``record`` (at most once).

    Examples
    --------
    >>> link_recreating_run(existing_artifact)  # doctest: +SKIP
    """
    run_id = record.__dict__.pop("_recreating_run_id", None)
    if run_id is None or record._pk is None:
        return
    link, inputs, host = _LINKS[type(record).__name__]
    is_input = (
        inputs.select().where(getattr(inputs, host) == record._pk, inputs.run == run_id).exists()
    )
    linked = link.select().where(getattr(link, host) == record._pk, link.run == run_id).exists()
    if not is_input and not linked:
        link.insert(**{host: record._pk, "run": run_id}).execute()

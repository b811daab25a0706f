"""``Collection``: a versioned set of artifacts that is loaded, cached and mapped together."""

from __future__ import annotations

from ..orm import ManyToMany, fields
from .artifact import Artifact
from .mixins import IsVersioned, TracksRun, TracksUpdates, current_run_id


class Collection(IsVersioned, TracksRun, TracksUpdates):
    """A collection of artifacts.

    Examples
    --------
    >>> ln.Collection([artifact1, artifact2], key="batches").save()  # doctest: +SKIP
    """

    _uid_length = 20
    _versioned_stem_length = 16
    _name_field = "key"
    _search_fields = ("key", "description")
    _field_aliases = {"name": "key"}
    _delete_one_by_one = True

    uid = fields.CharField(max_length=20, unique=True)
    key = fields.CharField(max_length=1024, index=True, null=True)
    description = fields.TextField(null=True)
    hash = fields.CharField(max_length=22, null=True, index=True)
    reference = fields.CharField(max_length=255, null=True)
    reference_type = fields.CharField(max_length=25, null=True)
    meta_artifact = fields.ForeignKey(Artifact, on_delete="PROTECT", null=True, related_name="_meta_of_collection")
    run = fields.ForeignKey("Run", on_delete="SET_NULL", null=True, default=current_run_id, related_name="output_collections", index=True)

    artifacts = ManyToMany("Artifact", through="CollectionArtifact", related_name="collections")
    ulabels = ManyToMany("ULabel", through="CollectionULabel", related_name="collections")
    records = ManyToMany("Record", through="CollectionRecord", related_name="collections")
    projects = ManyToMany("Project", through="CollectionProject", related_name="collections")
    references = ManyToMany("Reference", through="CollectionReference", related_name="collections")
    input_of_runs = ManyToMany("Run", through="CollectionRun", related_name="input_collections")

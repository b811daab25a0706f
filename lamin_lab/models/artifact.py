"""``Artifact``: a dataset or model file (or folder) registered in a storage location."""

from __future__ import annotations

from ..orm import ManyToMany, fields
from .mixins import IsVersioned, TracksRun, TracksUpdates, current_run_id
from .storage import Storage
from .user import User


class Artifact(IsVersioned, TracksRun, TracksUpdates):
    """A file or folder with its metadata, versions, lineage and annotations.

    Examples
    --------
    >>> ln.Artifact("./my_file.fcs", key="raw/my_file.fcs").save()  # doctest: +SKIP
    """

    _uid_length = 20
    _versioned_stem_length = 16
    _name_field = "key"
    _search_fields = ("key", "description")
    _field_aliases = {"type": "kind", "accessor": "otype", "n_objects": "n_files", "hash_type": "_hash_type",
                      "n_observations": "n_observations"}
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
    _overwrite_versions = fields.BooleanField(default=False)
    _real_key = fields.CharField(max_length=1024, null=True)
    schema = fields.ForeignKey("Schema", on_delete="SET_NULL", null=True, related_name="validated_artifacts")
    run = fields.ForeignKey("Run", on_delete="SET_NULL", null=True, default=current_run_id, related_name="output_artifacts", index=True)
    created_by = fields.ForeignKey(User, on_delete="PROTECT", null=True, related_name="created_artifacts")

    ulabels = ManyToMany("ULabel", through="ArtifactULabel", related_name="artifacts")
    records = ManyToMany("Record", through="ArtifactRecord", related_name="artifacts")
    projects = ManyToMany("Project", through="ArtifactProject", related_name="artifacts")
    references = ManyToMany("Reference", through="ArtifactReference", related_name="artifacts")
    users = ManyToMany("User", through="ArtifactUser", related_name="linked_artifacts")
    schemas = ManyToMany("Schema", through="ArtifactSchema", related_name="artifacts")
    input_of_runs = ManyToMany("Run", through="ArtifactRun", related_name="input_artifacts")
    json_values = ManyToMany("JsonValue", through="ArtifactJsonValue", related_name="artifacts")
    linked_artifacts = ManyToMany("self", through="ArtifactArtifact", through_fields=("artifact", "value"), related_name="linked_by_artifacts")

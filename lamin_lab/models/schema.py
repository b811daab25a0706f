"""``Schema``: a set of features with rules (minimal, maximal, ordered), for validation."""

from __future__ import annotations

from ..orm import ManyToMany, fields
from .mixins import CanCurate, HasType, TracksRun, TracksUpdates


class Schema(CanCurate, HasType, TracksRun, TracksUpdates):
    """A schema of features.

    Examples
    --------
    >>> ln.Schema(name="perturbations", features=[f1, f2]).save()  # doctest: +SKIP
    """

    _uid_length = 16
    _search_fields = ("name", "description")
    _field_aliases = {"coerce_dtype": "coerce", "n_members": "n"}

    uid = fields.CharField(max_length=16, unique=True)
    name = fields.CharField(max_length=150, null=True, index=True)
    description = fields.CharField(max_length=1024, null=True)
    n = fields.IntegerField(default=-1)
    itype = fields.CharField(max_length=120, null=True, index=True)
    otype = fields.CharField(max_length=64, null=True, index=True)
    dtype = fields.CharField(max_length=64, null=True)
    hash = fields.CharField(max_length=22, null=True, index=True)
    minimal_set = fields.BooleanField(default=True)
    ordered_set = fields.BooleanField(default=False)
    maximal_set = fields.BooleanField(default=False)
    coerce = fields.BooleanField(default=False)
    _aux = fields.JSONField(null=True)
    type = fields.ForeignKey("self", on_delete="PROTECT", null=True, related_name="schemas")

    features = ManyToMany("Feature", through="SchemaFeature", related_name="schemas")
    components = ManyToMany("self", through="SchemaComponent", through_fields=("composite", "component"), related_name="composites")
    projects = ManyToMany("Project", through="SchemaProject", related_name="schemas")

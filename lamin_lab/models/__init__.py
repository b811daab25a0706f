"""Registries (one per file) and their link tables.

Importing this package defines every registry; tables are created when an instance is
set up (``ln.setup.init``), never at import.
"""

from ..orm import BaseSQLRecord, BasicQuerySet, QuerySet, Registry, RelatedManager, SQLRecord
from ..orm.bulk import SQLRecordList
from .artifact.registry import Artifact
from .artifact.folder import LazyArtifact
from .artifact.artifact_set import ArtifactQuerySet, ArtifactSet
from .block import (
    BaseBlock,
    ArtifactBlock,
    Block,
    BranchBlock,
    CollectionBlock,
    FeatureBlock,
    ProjectBlock,
    RecordBlock,
    RunBlock,
    SchemaBlock,
    SpaceBlock,
    TransformBlock,
    ULabelBlock,
)
from .bootstrap import bootstrap
from .branch import Branch
from .collection import Collection
from .feature import Feature
from .features.manager import FeatureManager
from .labels import LabelManager
from .jsonvalue import JsonValue
from .links import *  # noqa: F403 - the link tables, listed in links.__all__
from .record_links import *  # noqa: F403 - the link tables of records
from .record_links import __all__ as _record_link_names
from .links import __all__ as _link_names
from .mixins import (
    CanCurate,
    HasParents,
    HasType,
    InspectResult,
    IsVersioned,
    TracksRun,
    TracksUpdates,
)
from .project import Project, Reference
from .record import Record
from .run import Run
from .schema import Schema, SchemaOptionals
from .space import Space
from .storage_location import Storage
from .transform import Transform
from .ulabel import ULabel
from .user import User

# LaminDB's name for the manager of related records; here one class serves both.
QueryManager = RelatedManager


class ValidateFields:
    """Marker mixin of LaminDB: registries whose field values are validated on construction.

    Every lamin_lab registry validates its fields (``FieldValidationError``), so this class
    only exists for ``isinstance``/import compatibility.

    Examples
    --------
    >>> from lamin_lab.models import ValidateFields
    >>> ValidateFields.__name__
    'ValidateFields'
    """


Artifact._queryset_class = ArtifactQuerySet

__all__ = sorted(
    [
        "BaseBlock",
        "BaseSQLRecord",
        "BasicQuerySet",
        "FeatureManager",
        "LabelManager",
        "QueryManager",
        "QuerySet",
        "Registry",
        "RelatedManager",
        "SQLRecord",
        "SQLRecordList",
        "SchemaOptionals",
        "ValidateFields",
        "Artifact",
        "ArtifactBlock",
        "ArtifactQuerySet",
        "ArtifactSet",
        "LazyArtifact",
        "Block",
        "Branch",
        "BranchBlock",
        "CanCurate",
        "Collection",
        "CollectionBlock",
        "Feature",
        "FeatureBlock",
        "HasParents",
        "HasType",
        "InspectResult",
        "IsVersioned",
        "JsonValue",
        "Project",
        "ProjectBlock",
        "Record",
        "RecordBlock",
        "Reference",
        "Run",
        "RunBlock",
        "Schema",
        "SchemaBlock",
        "Space",
        "SpaceBlock",
        "Storage",
        "TracksRun",
        "TracksUpdates",
        "Transform",
        "TransformBlock",
        "ULabel",
        "ULabelBlock",
        "User",
    ]
    + list(_link_names)
    + list(_record_link_names)
)

"""Behaviour shared by several registries."""

from .can_curate import CanCurate, InspectResult
from .has_lineage import HasLineage
from .has_parents import HasParents, ParentsGraph
from .has_type import HasType
from .tracks import TracksRun, TracksUpdates, current_run_id, current_user_id
from .versioned import IsVersioned

__all__ = [
    "CanCurate",
    "HasLineage",
    "HasParents",
    "HasType",
    "InspectResult",
    "IsVersioned",
    "ParentsGraph",
    "TracksRun",
    "TracksUpdates",
    "current_run_id",
    "current_user_id",
]

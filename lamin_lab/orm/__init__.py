"""The ORM layer: peewee base records, the QuerySet, Q objects, relations, search and lookup.

Nothing in here knows any registry by name; registries live in ``lamin_lab.models``.
"""

from . import _peewee  # noqa: F401  # first: imports peewee without psycopg2 (see there)
from .database import atomic, database, dialect, ensure_connected, state, translate_errors
from .managers import RelatedManager
from .q import Q
from .queryset import BasicQuerySet, QuerySet
from .record import BaseSQLRecord, Registry, SQLRecord
from .relations import REGISTRY, ManyToMany, Relation, relations

__all__ = [
    "REGISTRY",
    "BaseSQLRecord",
    "BasicQuerySet",
    "ManyToMany",
    "Q",
    "QuerySet",
    "RelatedManager",
    "Registry",
    "Relation",
    "SQLRecord",
    "atomic",
    "database",
    "dialect",
    "ensure_connected",
    "relations",
    "state",
    "translate_errors",
]

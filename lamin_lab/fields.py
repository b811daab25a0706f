"""Field types for defining registries: ``from lamin_lab import SQLRecord, fields``.

Examples
--------
>>> from lamin_lab import SQLRecord, fields
>>> class Experiment(SQLRecord):
...     name: str = fields.CharField()
"""

from .orm.fields import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKey,
    ForeignKeyField,
    IntegerField,
    JSONField,
    SmallIntegerField,
    TextField,
)
from .orm.relations import ManyToMany

ManyToManyField = ManyToMany

__all__ = [
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "FloatField",
    "ForeignKey",
    "ForeignKeyField",
    "IntegerField",
    "JSONField",
    "ManyToMany",
    "ManyToManyField",
    "SmallIntegerField",
    "TextField",
]

"""lamin_lab: a notebook-first data catalog with LaminDB's core API, on Peewee.

Write ``import lamin_lab as ln`` where LaminDB code says ``import lamindb as ln``.

Set up
------
``setup``       ``ln.setup.init(storage=...)``, ``ln.setup.connect(...)``, ``ln.setup.settings``
``settings``    runtime settings: default storage, verbosity, cache dir

Registries
----------
``Artifact``, ``Collection``, ``Storage``      data and where it lives
``Transform``, ``Run``                         what produced the data
``Feature``, ``Schema``                        what the data means
``ULabel``, ``Record``, ``Project``, ``Reference``, ``User``, ``Space``, ``Branch``
``SQLRecord`` + ``fields``                     define registries of your own

Queries
-------
``Q``           composable conditions: ``ln.ULabel.filter(ln.Q(name="a") | ln.Q(name="b"))``
``QuerySet``    returned by ``filter``; ``to_dataframe``, ``search``, ``lookup``, ...
``save``        save many records in bulk

Modules
-------
``errors``      the exception tree (``ln.errors.DoesNotExist``, ...)
``models``      every registry, link table and mixin

Examples
--------
>>> import lamin_lab as ln
>>> ln.setup.init(storage="./mydata")  # doctest: +SKIP
>>> ln.ULabel(name="T cell").save()  # doctest: +SKIP
>>> ln.ULabel.search("t cel").first().name  # doctest: +SKIP
'T cell'
"""

from . import errors, fields, models, setup
from .models import (
    Artifact,
    Branch,
    Collection,
    Feature,
    Project,
    Record,
    Reference,
    Run,
    Schema,
    Space,
    Storage,
    Transform,
    ULabel,
    User,
)
from .orm import Q, QuerySet, SQLRecord
from .orm.bulk import save
from .settings import settings

__version__ = "0.1.0"

__all__ = [
    "Artifact",
    "Branch",
    "Collection",
    "Feature",
    "Project",
    "Q",
    "QuerySet",
    "Record",
    "Reference",
    "Run",
    "SQLRecord",
    "Schema",
    "Space",
    "Storage",
    "Transform",
    "ULabel",
    "User",
    "errors",
    "fields",
    "models",
    "save",
    "settings",
    "setup",
]

"""lamin_lab: a notebook-first data catalog with LaminDB's core API, on Peewee.

Write ``import lamin_lab as ln`` where LaminDB code says ``import lamindb as ln``.

Set up
------
``setup``       ``ln.setup.init(storage=...)``, ``ln.setup.connect(...)``, ``ln.setup.settings``;
                branches: ``ln.setup.switch(name, create=True)``, ``ln.setup.merge(name)``
``settings``    runtime settings: default storage, verbosity, cache dir

Registries
----------
``Artifact``, ``Collection``, ``Storage``      data and where it lives
``Transform``, ``Run``                         what produced the data
``Feature``, ``Schema``                        what the data means
``ULabel``, ``Record``, ``Project``, ``Reference``, ``User``, ``Space``, ``Branch``
``SQLRecord`` + ``fields``                     define registries of your own

Tracking
--------
``track``       ``ln.track()`` in a notebook or script: a run whose inputs and outputs are linked
``finish``      ``ln.finish()``: store source, report and environment, mark the run finished
``context``     the current ``transform`` and ``run``
``flow``        ``@ln.flow()``: each call of a function is a run of a workflow
``step``        ``@ln.step()``: each call is a run initiated by the flow's (or ``ln.track()``'s) run

Queries
-------
``Q``           composable conditions: ``ln.ULabel.filter(ln.Q(name="a") | ln.Q(name="b"))``
``QuerySet``    returned by ``filter``; ``to_dataframe``, ``search``, ``lookup``, ...
``save``        save many records in bulk
``DB``          another local instance, read without switching: ``ln.DB("owner/name").Artifact.filter(...)``;
                saving a record read from it copies it here (``Artifact.connect("owner/name")`` alike)
``view``        the newest records of every registry: ``ln.view(registries=["Artifact"])``

Modules
-------
``errors``      the exception tree (``ln.errors.DoesNotExist``, ...)
``core``        LaminDB's older namespace: ``core.exceptions``, ``core.storage``, ``core.datasets``
``UPath``       universal_pathlib's path class (local and cloud paths), loaded on first use
``models``      every registry, link table and mixin
``widgets``     notebook panels: ``Workbench``, ``Search``, ``Lookup``, ``Describe``, ``Lineage``, ``Catalog``
                (imported on first use: anywidget is not loaded by ``import lamin_lab``)
``curators``    ``DataFrameCurator``, ``AnnDataCurator`` (imported on first use)
``examples``    small example data made locally: ``ln.examples.datasets.mini_immuno.get_dataset1()``

Examples
--------
>>> import lamin_lab as ln
>>> ln.setup.init(storage="./mydata")  # doctest: +SKIP
>>> ln.ULabel(name="T cell").save()  # doctest: +SKIP
>>> ln.ULabel.search("t cel").first().name  # doctest: +SKIP
'T cell'
"""

import importlib as _importlib

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
from .setup import DB
from .tracking import context, finish, flow, step, track

from .orm.describable import view

# Importing a subpackage binds it on the package; these are internals, not API (``__all__``).
# They stay importable by their full names (``from lamin_lab import orm`` still works).
del orm, storage, tracking  # noqa: F821

# Heavy namespaces load on first attribute access (PEP 562), keeping the import fast.
_LAZY_MODULES = {
    "widgets": "lamin_lab.widgets",
    "curators": "lamin_lab.curators",
    "core": "lamin_lab.core",
    "examples": "lamin_lab.examples",
}


def __getattr__(name: str):
    if name == "UPath":  # universal_pathlib pulls in fsspec: only on first use
        from upath import UPath

        globals()["UPath"] = UPath
        return UPath
    if name in _LAZY_MODULES:
        module = _importlib.import_module(_LAZY_MODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'lamin_lab' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Artifact",
    "Branch",
    "Collection",
    "DB",
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
    "context",
    "errors",
    "fields",
    "finish",
    "flow",
    "models",
    "save",
    "settings",
    "setup",
    "step",
    "track",
    "view",
]

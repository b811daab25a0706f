"""lamin_lab: a notebook-first data catalog with LaminDB's core API, on Peewee.

Write ``import lamin_lab as ln`` where LaminDB code says ``import lamindb as ln``.

Set up
------
``setup``       ``ln.setup.init(storage=...)``, ``ln.setup.connect(...)``, ``ln.setup.settings``,
                ``ln.setup.delete(name, force=True)``;
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
``UPath``       universal_pathlib's path class (local and cloud paths) with ``view_tree()``, loaded on first use
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

from . import errors

# The settings instance is bound here, before anything else can import the module of the same
# name: the first import of ``lamin_lab.settings`` binds the module on the package, and that
# must happen now (not on first use of a registry), or ``ln.settings`` would be the module.
from .settings import settings

# Everything else loads on first attribute access (PEP 562): ``import lamin_lab`` costs a few
# milliseconds, and ``ln.Artifact`` pulls in peewee and the registries when it is first used.
# name -> the module that defines it (a module's own name: the module itself)
_LAZY = {
    "Artifact": "lamin_lab.models",
    "Branch": "lamin_lab.models",
    "Collection": "lamin_lab.models",
    "Feature": "lamin_lab.models",
    "Project": "lamin_lab.models",
    "Record": "lamin_lab.models",
    "Reference": "lamin_lab.models",
    "Run": "lamin_lab.models",
    "Schema": "lamin_lab.models",
    "Space": "lamin_lab.models",
    "Storage": "lamin_lab.models",
    "Transform": "lamin_lab.models",
    "ULabel": "lamin_lab.models",
    "User": "lamin_lab.models",
    "Q": "lamin_lab.orm",
    "QuerySet": "lamin_lab.orm",
    "SQLRecord": "lamin_lab.orm",
    "save": "lamin_lab.orm.bulk",
    "view": "lamin_lab.orm.describable",
    "context": "lamin_lab.tracking",
    "finish": "lamin_lab.tracking",
    "flow": "lamin_lab.tracking",
    "step": "lamin_lab.tracking",
    "track": "lamin_lab.tracking",
    "fields": "lamin_lab.fields",
    "models": "lamin_lab.models",
    "setup": "lamin_lab.setup",
    "DB": "lamin_lab.setup",
    # namespaces documented above but not in __all__
    "widgets": "lamin_lab.widgets",
    "curators": "lamin_lab.curators",
    "core": "lamin_lab.core",
    "examples": "lamin_lab.examples",
    "UPath": "lamin_lab.storage.tree",  # universal_pathlib (and fsspec) on first use
}


def __getattr__(name: str):
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'lamin_lab' has no attribute {name!r}")
    module = _importlib.import_module(where)
    if name == "UPath":  # universal_pathlib's class, its paths given view_tree (storage/tree.py)
        value = module.upath_class()
    else:
        value = module if where == f"lamin_lab.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # What tab completion offers: the API, not the subpackages (orm, storage, ...) that an
    # import binds on the package. They stay importable by their full names.
    return sorted(set(__all__) | set(_LAZY) | {n for n in globals() if n.startswith("__")})


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

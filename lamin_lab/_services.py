"""The one place where a lower layer calls a service of a higher one.

The registries (``models``, ``orm``) cannot import the layers above them (``describe``,
``lineage``, ``curation``, ``widgets``), yet ``record.describe()``,
``artifact.view_lineage()`` and ``Artifact.from_dataframe(df, schema=...)`` need them.
Each such call names its service here; :data:`SERVICES` says which function of which
module answers it, and :func:`service` imports that module on first call. So
``import lamin_lab`` loads none of the higher layers, and a reader finds every upward
call in this table (``tests/test_layers.py`` checks that each entry resolves and points
to a higher layer than its callers).

Examples
--------
>>> SERVICES["describe"]
'lamin_lab.describe.records:describe'
>>> service("describe_registry").__name__
'describe_registry'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .errors import InvalidArgument

#: service name -> ``"module:function"`` that answers it
SERVICES: dict[str, str] = {
    # the first database use without set-up (orm/database.py, settings.py): connect the
    # current instance or create the default one
    "connect_default": "lamin_lab.setup:_connect_default",
    # ln.settings.storage.root (settings.py): universal_pathlib's UPath with view_tree()
    "upath_class": "lamin_lab.storage.tree:upath_class",
    # ln.settings.storage.record (settings.py): the Storage record of the current root
    "storage_of_root": "lamin_lab.models.storage_access:storage_of_root",
    # before a database is prepared (setup/schema.py): every registry with a table; the
    # registries are defined by importing lamin_lab.models, which `import lamin_lab` defers
    "registries": "lamin_lab.models.bootstrap:registries",
    # after each connect (setup): seed the fixed rows (branches, storage, the user)
    "bootstrap_instance": "lamin_lab.models.bootstrap:bootstrap",
    # record.describe(), Registry.describe(), _repr_html_() (orm/describable.py)
    "describe": "lamin_lab.describe.records:describe",
    "describe_html": "lamin_lab.describe.records:describe_html",
    "describe_registry": "lamin_lab.describe.registries:describe_registry",
    "view": "lamin_lab.describe.registries:view",
    # artifact.view_lineage() (models/mixins/has_lineage.py), and in a notebook the
    # interactive panel that lineage.api.show() displays by default
    "view_lineage": "lamin_lab.lineage.api:view_lineage",
    "lineage_panel": "lamin_lab.widgets.lineage:display_lineage",
    # Artifact.from_dataframe(df, schema=...) (models/mixins/has_features.py)
    "validate_for_artifact": "lamin_lab.curation:validate_for_artifact",
    "annotate": "lamin_lab.curation:annotate",
    # Registry.connect("owner/name") (orm/other_instances.py): open another local instance
    "open_instance": "lamin_lab.setup.db:open_instance",
    # record.save() of a record read from another instance (orm/other_instances.py): copy it here
    "transfer_record": "lamin_lab.models.transfer:transfer_record",
}


def service(name: str) -> Callable[..., Any]:
    """The function that answers ``name`` (its module imported on first call).

    Looked up on every call (a dictionary lookup once the module is imported), so a
    test or a user that replaces the module's function is heard.

    Parameters
    ----------
    name
        A key of :data:`SERVICES`.

    Examples
    --------
    >>> service("describe").__module__
    'lamin_lab.describe.records'
    """
    if name not in SERVICES:
        raise InvalidArgument(f"No service {name!r}: choose among {', '.join(sorted(SERVICES))}.")
    module, _, attr = SERVICES[name].partition(":")
    return getattr(importlib.import_module(module), attr)

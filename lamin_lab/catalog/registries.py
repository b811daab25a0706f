"""The registries a person browses, looked up by name, and the field that names a record.

Examples
--------
>>> registry("ULabel").__name__
'ULabel'
>>> name_field(registry("User"))
'handle'
"""

from __future__ import annotations

from .. import models
from ..errors import InvalidArgument

#: Registries the panels and the sidebar offer, in the order tabs list them and hits of
#: equal score are ranked.
REGISTRIES = (
    "Artifact", "Collection", "Transform", "Run", "ULabel", "Record",
    "Feature", "Schema", "Project", "Reference", "Storage", "User",
)  # fmt: skip
#: Registries whose records are nodes of a lineage graph, with their node kind.
LINEAGE_KINDS = {
    "Artifact": "artifact",
    "Collection": "collection",
    "Run": "run",
    "Transform": "transform",
}


def registry(name: str, *, missing: type[Exception] = InvalidArgument) -> type:
    """The registry class called ``name``; ``missing`` is raised for any other name.

    Examples
    --------
    >>> registry("Artifact").__name__
    'Artifact'
    >>> registry("Colour")
    Traceback (most recent call last):
    ...
    lamin_lab.errors.InvalidArgument: There is no registry 'Colour'; use one of Artifact, ...
    """
    if name not in REGISTRIES:
        raise missing(f"There is no registry {name!r}; use one of {', '.join(REGISTRIES)}.")
    return getattr(models, name)


def registry_name(value: str | type) -> str:
    """The name of a registry given as a class or a name (checked).

    Examples
    --------
    >>> registry_name(ln.ULabel)
    'ULabel'
    """
    name = value if isinstance(value, str) else getattr(value, "__name__", str(value))
    registry(name)
    return name


def name_field(model: type) -> str:
    """The field that names a record: ``key`` for artifacts, ``handle`` for users, ...

    Examples
    --------
    >>> name_field(ln.Artifact), name_field(ln.ULabel)
    ('key', 'name')
    """
    preferred = getattr(model, "_name_field", None)
    if preferred and preferred in model._meta.fields:
        return preferred
    return next(
        (f for f in ("name", "key", "handle", "root", "uid") if f in model._meta.fields), "id"
    )

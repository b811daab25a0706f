"""Registries as a whole: the fields of a registry class (``ln.Artifact.describe()``) and
the latest records of every registry (``ln.view()``)."""

from __future__ import annotations

import builtins
import logging
from typing import Any

import peewee

import lamin_lab.models as models
from lamin_lab.errors import InvalidArgument
from lamin_lab.orm import SQLRecord, relations
from lamin_lab.orm.dataframe import frame_columns
from lamin_lab.orm.relations import ROLES

logger = logging.getLogger("lamin_lab")


def registry_fields(model: type) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The simple fields (name, field class) and relations (name, target registry) of ``model``.

    Private fields (``_…``) and the primary key are left out, as in LaminDB's listing.

    Examples
    --------
    >>> import lamin_lab as ln
    >>> simple, related = registry_fields(ln.ULabel)
    >>> ("name", "CharField") in simple, ("type", "ULabel") in related
    (True, True)
    """
    order = {name: i for i, (name, _) in enumerate(frame_columns(model))}
    own = [
        f
        for f in model._meta.sorted_fields
        if not isinstance(f, peewee.ForeignKeyField)
        and f.name != "id"
        and not f.name.startswith("_")
    ]
    # branch_id / space_id are plain columns here, relations to Branch / Space in LaminDB
    roles = [f.name[:-3] for f in own if f.name.endswith("_id") and f.name[:-3] in ROLES]
    simple = [
        (f.name, type(f).__name__)
        for f in own
        if f.name[:-3] not in roles or not f.name.endswith("_id")
    ]
    simple.sort(
        key=lambda pair: order.get(pair[0], len(order))
    )  # by name: Field == Field builds SQL
    related = [(role, ROLES[role].__name__) for role in roles]
    related += [
        (name, rel.target.__name__)
        for name, rel in relations(model).items()
        if not name.startswith("_")
    ]
    return simple, related


def describe_registry(model: type, return_str: bool = False) -> str | None:
    """Print (or return) the fields of a registry class: simple fields, then relations.

    Examples
    --------
    >>> import lamin_lab as ln
    >>> print(describe_registry(ln.User, return_str=True).splitlines()[:3])
    ['User', '  Simple fields', '    .uid: CharField']
    """
    simple, related = registry_fields(model)
    lines = [model.__name__, "  Simple fields", *(f"    .{n}: {t}" for n, t in simple)]
    if related:
        lines += ["  Relational fields", *(f"    .{n}: {t}" for n, t in related)]
    text = "\n".join(lines)
    if return_str:
        return text
    print(text)
    return None


def _registries() -> list[type]:
    """The public registries with a table, by name (link tables are not public)."""
    found = [getattr(models, name) for name in models.__all__]
    return sorted(
        (
            m
            for m in found
            if isinstance(m, type)
            and issubclass(m, SQLRecord)
            and m is not SQLRecord
            and not getattr(m, "_abstract", False)
        ),
        key=lambda m: m.__name__,
    )


def _show(df: Any) -> None:
    if getattr(builtins, "__IPYTHON__", False):
        from IPython.display import display  # only inside IPython

        display(df)
    else:
        print(df)


def view(
    *,
    limit: int = 7,
    modules: str | None = None,
    registries: list[str] | None = None,
    df: Any = None,
) -> None:
    """Show the latest records of every registry that has any (or of the ones named).

    Parameters
    ----------
    limit
        How many of the newest records to show per registry.
    modules
        The schema module; lamin_lab has one, ``"core"`` (None: all).
    registries
        Names of the registries to show, e.g. ``["Artifact", "ULabel"]`` (None: all).
    df
        A DataFrame to show instead.

    Examples
    --------
    >>> ln.view(registries=["ULabel"], limit=3)  # doctest: +SKIP
    ULabel
             uid   name ...
    """
    if df is not None:
        _show(df)
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidArgument(f"limit= takes a positive int, not {limit!r}.")
    if modules is not None and modules != "core":
        logger.warning("skipping module %r: lamin_lab has one schema module, 'core'", modules)
        return None
    for model in _registries():
        if registries is not None and model.__name__ not in registries:
            continue
        frame = model.to_dataframe(limit=limit)
        if len(frame) > 0:
            print(model.__name__)
            _show(frame)
    return None

"""What every verb of the ``lamin-lab`` command shares: help layout, finding records, output.

Examples
--------
>>> add_verb  # doctest: +ELLIPSIS
<function add_verb at ...>
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .. import models, setup
from ..errors import DoesNotExist, InvalidArgument

# `lamin delete artifact ...` / `lamin describe collection ...`: the registries a verb may name.
REGISTRIES = (
    "artifact",
    "collection",
    "transform",
    "record",
    "ulabel",
    "project",
    "run",
    "branch",
)


def add_verb(sub: Any, name: str, summary: str, example: str, func: Any) -> argparse.ArgumentParser:
    """Add a verb whose ``--help`` ends with a runnable example.

    Parameters
    ----------
    sub
        The parser's sub-parsers.
    name
        The verb, e.g. ``"save"``.
    summary
        One line for ``lamin-lab --help``.
    example
        Shell lines shown under "example:" in the verb's ``--help``.
    func
        Called with the parsed arguments; returns the exit code.

    Examples
    --------
    >>> root = argparse.ArgumentParser(prog="x"); sub = root.add_subparsers()
    >>> add_verb(sub, "hi", "say hi", "x hi", lambda a: 0).prog
    'x hi'
    """
    epilog = "example:\n" + "\n".join(f"  {line}" for line in example.strip().splitlines())
    parser = sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func)
    return parser


def say(message: str) -> None:
    """Print a progress or result line for a person (stderr keeps stdout for values).

    Examples
    --------
    >>> say("→ saved")  # doctest: +SKIP
    """
    print(message, file=sys.stderr)


def registry(name: str) -> Any:
    """Return the registry class for a lower-case name (``"artifact"`` → ``ln.Artifact``).

    Examples
    --------
    >>> registry("artifact").__name__
    'Artifact'
    """
    classes = {
        "artifact": models.Artifact,
        "collection": models.Collection,
        "transform": models.Transform,
        "record": models.Record,
        "ulabel": models.ULabel,
        "project": models.Project,
        "run": models.Run,
        "branch": models.Branch,
    }
    if name not in classes:
        raise InvalidArgument(f"unknown registry {name!r}: use one of {', '.join(REGISTRIES)}")
    return classes[name]


def _looks_like_uid(ref: str) -> bool:
    return ref.isalnum() and len(ref) in (8, 12, 16, 20)


def find(
    ref: str,
    kinds: tuple[str, ...] = ("artifact", "collection", "transform"),
    *,
    include_trash: bool = False,
) -> Any:
    """Find a record by uid or key (the latest version of a key), trying ``kinds`` in order.

    Parameters
    ----------
    ref
        A uid (full or 16-char stem), a key like ``tables/cells.parquet``, or a name.
    kinds
        Registries to look in.
    include_trash
        Also find records in the trash (for ``delete --permanent``).

    Examples
    --------
    >>> find("tables/cells.parquet")  # doctest: +SKIP
    Artifact(uid='...', key='tables/cells.parquet', ...)
    """
    if "://" in ref:  # a LaminHub-style URL: .../<registry>/<uid>
        parts = ref.rstrip("/").split("/")
        if len(parts) >= 2 and parts[-2] in REGISTRIES:
            kinds, ref = (parts[-2],), parts[-1]
    for kind in kinds:
        model = registry(kind)
        scope = (
            {"branch_id__in": [-1, 0, 1]}
            if include_trash and "branch_id" in model._meta.fields
            else {}
        )
        if _looks_like_uid(ref):
            found = model.filter(uid__startswith=ref, **scope).order_by("-id").first()
            if found is not None:
                return found
        field = "key" if kind in ("artifact", "collection", "transform") else "name"
        query = model.filter(**{field: ref}, **scope)
        if "is_latest" in model._meta.fields:
            latest = query.filter(is_latest=True).order_by("-id").first()
            if latest is not None:
                return latest
        found = query.order_by("-id").first()
        if found is not None:
            return found
    if kinds == ("branch",):
        raise DoesNotExist(f"no branch named {ref!r}: list the branches with lamin-lab list branch")
    raise DoesNotExist(
        f"no {' or '.join(kinds)} with uid or key {ref!r}: "
        f"list them in Python with ln.{registry(kinds[0]).__name__}.to_dataframe()"
    )


def add_target(parser: argparse.ArgumentParser) -> None:
    """Let a verb name its record as LaminDB's ``lamin`` does.

    ``KEY|UID``, ``REGISTRY KEY|UID``, ``--key K``, ``--uid U``, ``[REGISTRY] --name N``.

    Examples
    --------
    >>> p = argparse.ArgumentParser(); add_target(p)
    >>> p.parse_args(["artifact", "--uid", "abc"]).by_uid
    'abc'
    """
    parser.add_argument(
        "entity",
        nargs="?",
        metavar="[REGISTRY] KEY|UID",
        help=f"a key or uid, optionally after a registry ({', '.join(REGISTRIES)})",
    )
    parser.add_argument("ref", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--key", dest="by_key", default=None, help="the record's key")
    parser.add_argument("--uid", dest="by_uid", default=None, help="the record's uid")
    parser.add_argument(
        "--name", dest="by_name", default=None, help="the record's name (ulabel, project, record)"
    )


def target(
    args: argparse.Namespace,
    kinds: tuple[str, ...] = ("artifact", "collection", "transform"),
    *,
    include_trash: bool = False,
    current_branch: bool = False,
) -> Any:
    """Find the record a verb's arguments name (see :func:`add_target`).

    With ``current_branch``, ``branch`` without a name means the current branch (as
    ``lamin describe branch`` / ``lamin annotate branch``).

    Examples
    --------
    >>> target(argparse.Namespace(entity="t.csv", ref=None, by_key=None, by_uid=None, by_name=None))  # doctest: +SKIP
    """
    option = args.by_key or args.by_uid or args.by_name
    if args.entity in REGISTRIES:
        kinds, ref = (args.entity,), option or args.ref
    else:
        ref = option or args.entity
        if args.by_name:
            kinds = ("ulabel", "project", "record")
    if ref is None and kinds == ("branch",) and current_branch:
        return setup.settings.branch
    if ref is None:
        raise InvalidArgument(
            "which record? pass a key or uid, e.g. tables/cells.parquet or --uid 3LoS1M0gbgnr"
        )
    return find(ref, kinds, include_trash=include_trash)

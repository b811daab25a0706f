"""Branch verbs: ``switch``, ``merge``, ``list``, ``create``, ``update`` and ``get``.

The same as LaminDB's ``lamin switch`` / ``merge`` / ``list branch`` / ``update branch
--status`` / ``get branch --status`` and as ``ln.setup.switch``, ``ln.setup.merge`` and
``branch.status = ...; branch.save()`` in Python: the branch switched to stays current
for the instance in later commands and processes.

Examples
--------
$ lamin-lab switch -c my_branch
$ lamin-lab update branch --status review
$ lamin-lab switch main
$ lamin-lab merge my_branch
$ lamin-lab list branch
"""

from __future__ import annotations

import argparse
from typing import Any

from .. import models, setup
from ..errors import InvalidArgument
from ..models.branch import STATUS_CODES
from ._common import add_target, add_verb, say, target

#: LaminDB's order of the branch statuses (``--status`` choices)
STATUSES = ("standalone", "draft", "review", "merged", "closed")
#: registries ``update`` and ``get`` work on, and which take --status / --description
UPDATE_REGISTRIES = ("artifact", "transform", "collection", "project", "branch")
DESCRIPTION_REGISTRIES = ("artifact", "transform", "collection", "project")


def _switch(args: argparse.Namespace) -> int:
    setup.switch(args.branch, create=args.create)  # says "created branch" / "switched to"
    return 0


def _merge(args: argparse.Namespace) -> int:
    setup.merge(args.branch)  # says "merged branch 'x' into 'main'"
    return 0


def _list(args: argparse.Namespace) -> int:
    if args.registry == "branch":
        frame = models.Branch.to_dataframe(limit=args.limit)
        codes = dict(models.Branch.select(models.Branch.id, models.Branch._status_code).tuples())
        names = {code: name for name, code in STATUS_CODES.items()}
        frame.insert(2, "status", [names.get(codes.get(i), "standalone") for i in frame.index])
    else:
        frame = models.Space.to_dataframe(limit=args.limit)
    print(frame.to_string())
    return 0


def _create(args: argparse.Namespace) -> int:
    model = models.Branch if args.registry == "branch" else models.Project
    if model.filter(name=args.name).first() is not None:
        raise InvalidArgument(
            f"a {args.registry} named {args.name!r} exists already: pick another name"
        )
    record = model(name=args.name).save()
    say(f"→ created {args.registry}: {record.name}")
    return 0


def _find(args: argparse.Namespace) -> Any:
    if args.entity not in UPDATE_REGISTRIES:
        raise InvalidArgument(
            f"{args.entity!r} cannot be updated here: pass one of {', '.join(UPDATE_REGISTRIES)}"
        )
    return target(args, (args.entity,), current_branch=True)


def _update(args: argparse.Namespace) -> int:
    if (args.status is None) == (args.description is None):
        raise InvalidArgument("pass one of --status or --description (e.g. --status review)")
    if args.status is not None and args.entity != "branch":
        raise InvalidArgument(
            "--status is for branches only: lamin-lab update branch --status review"
        )
    if args.description is not None and args.entity not in DESCRIPTION_REGISTRIES:
        raise InvalidArgument(f"--description is for {', '.join(DESCRIPTION_REGISTRIES)}")
    record = _find(args)
    if args.status is not None:
        record.status = args.status
        record.save()
        say(f"→ updated branch {record.name!r}: status={args.status!r}")
        return 0
    record.description = args.description
    record.save()
    say(f"→ updated {args.entity}: description")
    return 0


def _get(args: argparse.Namespace) -> int:
    if args.status and args.description:
        raise InvalidArgument("pass only one of --status or --description")
    if args.status and args.entity != "branch":
        raise InvalidArgument("--status is for branches only: lamin-lab get branch --status")
    if args.description and args.entity not in DESCRIPTION_REGISTRIES:
        raise InvalidArgument(f"--description is for {', '.join(DESCRIPTION_REGISTRIES)}")
    record = _find(args)
    if args.status:
        print(record.status)
    elif args.description:
        print(record.description if record.description is not None else "")
    else:
        print(record.describe(return_str=True, include=args.include))
    return 0


def _add_update_get(sub: Any) -> None:
    p = add_verb(
        sub,
        "update",
        "set a branch's status (change request) or a record's description",
        "lamin-lab update branch --status draft   # the current branch\n"
        "lamin-lab update branch --name my_branch --status review\n"
        "lamin-lab update artifact --key tables/cells.parquet --description 'cell table'",
        _update,
    )
    add_target(p)
    p.add_argument("--status", choices=STATUSES, default=None, help="branch status")
    p.add_argument("--description", default=None, help="new description")
    p = add_verb(
        sub,
        "get",
        "print a branch's status, a record's description, or (no flag) describe it",
        "lamin-lab get branch --status   # the current branch\n"
        "lamin-lab get branch --name my_branch --status\n"
        "lamin-lab get artifact --key tables/cells.parquet --description",
        _get,
    )
    add_target(p)
    p.add_argument("--status", action="store_true", help="print the branch status")
    p.add_argument("--description", action="store_true", help="print the description")
    p.add_argument("--include", choices=("comments",), default=None, help="also show comments")


def register(sub: Any) -> None:
    """Add the branch verbs to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(
        sub,
        "switch",
        "switch the current branch (-c: create it first)",
        "lamin-lab switch -c my_branch   # a new branch, current from now on\n"
        "lamin-lab switch main",
        _switch,
    )
    p.add_argument("branch", help="branch name or uid")
    p.add_argument(
        "-c",
        "--create",
        action="store_true",
        help="create the branch first (refused when it exists)",
    )
    p = add_verb(
        sub,
        "merge",
        "move every record of a branch onto the current branch",
        "lamin-lab merge my_branch   # run on main: my_branch's records move onto main",
        _merge,
    )
    p.add_argument("branch", help="branch name or uid")
    p = add_verb(
        sub,
        "list",
        "list the branches (with their status) or the spaces",
        "lamin-lab list branch\nlamin-lab list space",
        _list,
    )
    p.add_argument("registry", choices=("branch", "space"))
    p.add_argument("--limit", type=int, default=20, help="at most this many rows (default 20)")
    p = add_verb(
        sub,
        "create",
        "create a branch (without switching to it) or a project",
        "lamin-lab create branch my_branch\nlamin-lab create project my_project",
        _create,
    )
    p.add_argument("registry", choices=("branch", "project"))
    p.add_argument("name")
    _add_update_get(sub)

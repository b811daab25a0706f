"""``switch`` and ``merge``: work on a branch of the current instance, then merge it.

The same as ``ln.setup.switch`` and ``ln.setup.merge`` (and LaminDB's ``lamin switch`` /
``lamin merge``): the branch switched to stays current for the instance in later
commands and processes.

Examples
--------
$ lamin-lab switch -c my_branch
$ lamin-lab switch main
$ lamin-lab merge my_branch
"""

from __future__ import annotations

import argparse
from typing import Any

from .. import setup
from ._common import add_verb


def _switch(args: argparse.Namespace) -> int:
    setup.switch(args.branch, create=args.create)  # says "created branch" / "switched to"
    return 0


def _merge(args: argparse.Namespace) -> int:
    setup.merge(args.branch)  # says "merged branch 'x' into 'main'"
    return 0


def register(sub: Any) -> None:
    """Add ``switch`` and ``merge`` to the ``lamin-lab`` parser.

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

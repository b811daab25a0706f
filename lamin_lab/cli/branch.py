"""``switch`` and ``merge``: lamin_lab keeps every record on ``main`` (no user branches yet).

LaminDB lets users create branches and merge them; lamin_lab's ``Branch`` registry only
has ``main``, ``archive`` and ``trash``. Both verbs exist so guide cells fail with a clear
message instead of "invalid choice", and ``switch main`` succeeds.

Examples
--------
$ lamin-lab switch main
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import InvalidArgument
from ._common import add_verb, say

_NO_BRANCHES = (
    "lamin_lab has no user branches yet: every record lives on 'main' "
    "(deleted ones in 'trash'); work on main, or track versions with revises="
)


def _switch(args: argparse.Namespace) -> int:
    if args.branch == "main" and not args.create:
        say("→ on branch 'main'")
        return 0
    raise InvalidArgument(f"cannot switch to branch {args.branch!r}: {_NO_BRANCHES}")


def _merge(args: argparse.Namespace) -> int:
    if args.branch == "main":
        say("→ nothing to merge: 'main' is the current branch")
        return 0
    raise InvalidArgument(f"cannot merge branch {args.branch!r}: {_NO_BRANCHES}")


def register(sub: Any) -> None:
    """Add ``switch`` and ``merge`` to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(
        sub,
        "switch",
        "switch the current branch (lamin_lab has only 'main')",
        "lamin-lab switch main",
        _switch,
    )
    p.add_argument("branch", help="branch name")
    p.add_argument(
        "-c", "--create", action="store_true", help="create the branch first (not supported yet)"
    )
    p = add_verb(
        sub,
        "merge",
        "merge a branch into the current one (lamin_lab has only 'main')",
        "lamin-lab merge main",
        _merge,
    )
    p.add_argument("branch", help="branch name")

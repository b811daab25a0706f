"""``ln.setup.switch`` and ``ln.setup.merge``: work on a branch, then bring it onto main.

As in LaminDB (and ``git switch``): ``switch(name, create=True)`` makes a new branch and
refuses a name that exists; ``switch(name)`` refuses one that does not. The branch
switched to stays current for the instance in later processes.

Examples
--------
>>> ln.setup.switch("my_branch", create=True)
>>> _ = ln.ULabel(name="draft label").save()
>>> ln.ULabel.filter(name="draft label").count()
1
>>> ln.setup.switch("main")
>>> ln.ULabel.filter(name="draft label").count()
0
>>> ln.setup.merge("my_branch")
>>> ln.ULabel.filter(name="draft label").count()
1
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import BranchAlreadyExists, InvalidArgument
from ..orm.branches import (
    current_branch_id,
    merge_rows,
    resolve_branch,
    set_current_branch,
)
from ..orm.database import ensure_connected
from ..orm.q import Q
from ..orm.relations import ROLES

logger = logging.getLogger("lamin_lab")


def switch(target: Any, *, space: bool = False, create: bool = False) -> None:
    """Make a branch (a name, a uid or a ``Branch``) the current one; ``create=True`` makes it first.

    Parameters
    ----------
    target
        The branch to work on from now on.
    space
        Not supported: lamin_lab has one space, ``all``.
    create
        Create the branch first; refused when a branch of that name exists.

    Examples
    --------
    >>> ln.setup.switch("experiment", create=True)
    >>> ln.setup.settings.branch.name
    'experiment'
    >>> ln.setup.switch("main")
    """
    if space:
        raise InvalidArgument(
            "lamin_lab has a single space ('all'): switch(name) switches branches only."
        )
    ensure_connected()
    model = ROLES["branch"]
    if create:
        name = target if isinstance(target, str) else target.name
        if model.filter(Q(name=name) | Q(uid=name)).first() is not None:
            raise BranchAlreadyExists(
                f"Branch {name!r} already exists. Omit -c/--create to switch to it."
            )
        branch = model(name=name).save()
        logger.info("created branch: %s", name)
    else:
        branch = resolve_branch(target)
    set_current_branch(branch)
    logger.info("switched to %s", branch.name)


def merge(branch: Any, *, target: Any = None) -> None:
    """Move every record of ``branch`` onto ``target`` (default: the current branch).

    Afterwards the branch's status is ``merged``; each version family keeps one latest
    version on the target, the newest.

    Examples
    --------
    >>> ln.setup.switch("fix", create=True)
    >>> ln.setup.switch("main")
    >>> ln.setup.merge("fix")
    >>> ln.Branch.get(name="fix").status
    'merged'
    """
    ensure_connected()
    source = resolve_branch(branch)
    into = (
        resolve_branch(target) if target is not None else ROLES["branch"].get(current_branch_id())
    )
    if into._pk == source._pk:
        logger.info("source and target branch are identical, nothing to merge")
        return
    with source._meta.database.atomic():
        merge_rows(source._pk, into._pk)
        source.status = "merged"
        source.save()
    logger.info("merged branch %r into %r", source.name, into.name)


__all__ = ["merge", "switch"]

"""``delete``: records to the trash (or for good with ``--permanent``), or a whole instance.

Examples
--------
$ lamin-lab delete artifact tables/cells.parquet
$ lamin-lab delete mydata --force
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import DoesNotExist, InvalidArgument
from ._common import REGISTRIES, add_target, add_verb, say, target
from .instance import delete_instance


def _delete(args: argparse.Namespace) -> int:
    named = args.by_key or args.by_uid or args.by_name
    if args.entity not in REGISTRIES and not named:  # `lamin delete NAME`: an instance
        if args.entity is None or args.ref is not None:
            raise InvalidArgument(
                "pass a registry and a key or uid (lamin-lab delete artifact KEY|UID), "
                "or an instance name alone (lamin-lab delete NAME --force)"
            )
        return delete_instance(args.entity, force=args.force, storage=args.storage)
    try:  # a record outside the trash first; else one in the trash
        record = target(args)
    except DoesNotExist:
        record = target(args, include_trash=True)
    label = f"{type(record).__name__}('{record.uid}')"
    if getattr(record, "branch_id", None) == -1 and not args.permanent:
        say(f"→ {label} is in the trash already: pass --permanent to delete it for good")
        return 0
    if args.permanent:
        record.delete(permanent=True)
        say(f"→ permanently deleted {label}")
    else:
        record.delete()  # the registry logs the move to the trash
    return 0


def register(sub: Any) -> None:
    """Add ``delete`` to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(
        sub,
        "delete",
        "move a record to the trash (--permanent: delete it), or delete an instance",
        "lamin-lab delete artifact tables/cells.parquet\n"
        "lamin-lab delete artifact --key tables/cells.parquet --permanent\n"
        "lamin-lab delete mydata --force",
        _delete,
    )
    add_target(p)
    p.add_argument(
        "--permanent", action="store_true", help="delete the record (and its managed data) for good"
    )
    p.add_argument("--force", action="store_true", help="confirm deleting an instance")
    p.add_argument(
        "--storage",
        action="store_true",
        help="when deleting an instance, also remove the storage folder outside .lamindb/",
    )

"""``cache``: where cached copies of cloud data live, and clearing them.

Examples
--------
$ lamin-lab cache where
$ lamin-lab cache clear
"""

from __future__ import annotations

import argparse
import shutil
from typing import Any

from ..errors import InvalidArgument
from ..settings import settings
from ._common import add_verb, say


def _cache(args: argparse.Namespace) -> int:
    path = settings.cache_dir
    if args.action == "set":
        raise InvalidArgument(
            "the cache folder is set by the environment: export LAMIN_LAB_CACHE_DIR=/path/to/cache"
        )
    if args.action in ("where", "get"):
        print(path)
        return 0
    n = 0
    for child in path.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        n += 1
    say(f"→ cleared the cache {path} ({n} entries removed)")
    return 0


def register(sub: Any) -> None:
    """Add ``cache`` to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(
        sub,
        "cache",
        "show (where) or empty (clear) the local cache of cloud data",
        "lamin-lab cache where\nlamin-lab cache clear",
        _cache,
    )
    p.add_argument("action", nargs="?", choices=("where", "get", "clear", "set"), default="where")

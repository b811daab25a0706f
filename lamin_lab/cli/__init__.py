"""The ``lamin-lab`` command: LaminDB's ``lamin`` verbs for a lamin_lab instance.

One module per verb group: ``instance`` (init, connect, disconnect, info, settings),
``data`` (save, load, describe, annotate), ``delete``, ``branch`` (switch, merge, list,
create, update, get), ``cache``, ``doctor`` and ``lab`` (demo). Errors print one line on stderr and exit 1.

Examples
--------
$ lamin-lab init --storage ./mydata
$ lamin-lab save cells.parquet --key tables/cells.parquet
$ lamin-lab load tables/cells.parquet
$ lamin-lab doctor --fix
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib.metadata import PackageNotFoundError, version

from ..errors import LaminLabError
from . import branch, cache, data, delete, doctor, instance, lab

VERB_GROUPS = (instance, data, delete, branch, cache, doctor, lab)


def _version() -> str:
    try:
        return version("lamin_lab")
    except PackageNotFoundError:  # a checkout on PYTHONPATH, not installed
        return "unknown (not installed)"


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line too, pointing at the verb's ``--help``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The ``lamin-lab`` argument parser with every verb.

    Examples
    --------
    >>> "save" in build_parser().format_help()
    True
    """
    parser = _Parser(
        prog="lamin-lab",
        description="lamin_lab: a notebook-first data catalog (LaminDB's `lamin`, for lamin_lab)",
        epilog="example:\n  lamin-lab init --storage ./mydata\n  lamin-lab save my_table.csv --key tables/t.csv\n"
        "run `lamin-lab VERB --help` for a verb's options",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lamin_lab {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="VERB")
    for group in VERB_GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lamin-lab`` command; returns the exit code.

    Examples
    --------
    >>> main(["switch", "main"])
    0
    """
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except LaminLabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a file the user named cannot be read or written
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: still one line, the traceback on request
        if os.environ.get("LAMIN_LAB_DEBUG"):
            raise
        print(
            f"error: unexpected {type(error).__name__}: {error} (rerun with LAMIN_LAB_DEBUG=1 for the "
            "traceback, and please report it)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())

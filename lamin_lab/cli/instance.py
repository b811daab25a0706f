"""Instance verbs: ``init``, ``connect``, ``disconnect``, ``info``, ``settings``, ``delete NAME``.

Examples
--------
$ lamin-lab init --storage ./mydata
$ lamin-lab info
"""

from __future__ import annotations

import argparse
from typing import Any

from .. import models, setup
from ..setup.deletion import delete_instance as remove_instance
from ..errors import InstanceNotSetupError, InvalidArgument
from ..settings import (
    InstanceSettings,
    home_dir,
    read_current_instance_name,
    _write_json,
    settings,
)
from ._common import add_verb, say


def _init(args: argparse.Namespace) -> int:
    setup.init(storage=args.storage, db=args.db, name=args.name)  # logs where the instance lives
    return 0


def _connect(args: argparse.Namespace) -> int:
    setup.connect(args.instance)
    say(
        f"→ connected instance {settings.instance.name!r} (storage {settings.instance.storage_root})"
    )
    return 0


def _disconnect(args: argparse.Namespace) -> int:
    current = home_dir() / "current.json"
    name = read_current_instance_name()
    if name is None:
        say("→ no current instance: nothing to disconnect")
        return 0
    current.unlink(missing_ok=True)
    say(
        f"→ disconnected instance {name!r}: new processes use the default instance until you connect one"
    )
    return 0


def _counts() -> str:
    parts = []
    for label, model in (
        ("artifacts", models.Artifact),
        ("collections", models.Collection),
        ("transforms", models.Transform),
        ("runs", models.Run),
        ("ulabels", models.ULabel),
        ("records", models.Record),
        ("projects", models.Project),
    ):
        parts.append(f"{model.filter().count()} {label}")
    return ", ".join(parts)


def _current_or_fail() -> InstanceSettings:
    # As in Python: the current instance, or (none set up yet) the default one, created on first use.
    name = read_current_instance_name()
    if name is not None and InstanceSettings.load(name) is None:
        raise InstanceNotSetupError(
            f"the current instance {name!r} has no settings file under {home_dir()}: "
            "run lamin-lab connect NAME or lamin-lab init --storage DIR"
        )
    return settings.instance


def _info(args: argparse.Namespace) -> int:
    inst = _current_or_fail()
    user = settings.user
    print(
        f"Instance: {inst.name}\n - branch: {setup.settings.branch.name}\n - storage: {inst.storage_root}\n"
        f" - db: {setup._redact(inst.db)}\n - counts: {_counts()}\n"
        f"Settings:\n - cache: {settings.cache_dir}\n - home: {home_dir()}\n"
        f"User: {user.handle} (uid {user.uid})"
    )
    return 0


# settings that `settings set KEY VALUE` may change, with how to apply them
def _set_storage(value: str) -> None:
    _current_or_fail()
    settings.storage = value


def _set_cache_dir(value: str) -> None:
    raise InvalidArgument(
        "the cache folder is set by the environment: export LAMIN_LAB_CACHE_DIR=" + value
    )


def _set_handle(value: str) -> None:
    user = settings.user
    _write_json(home_dir() / "user.json", {"uid": user.uid, "handle": value, "name": user.name})


_SETTERS = {"storage": _set_storage, "cache-dir": _set_cache_dir, "user-handle": _set_handle}


def _settings_values() -> dict[str, Any]:
    name = read_current_instance_name()
    inst = InstanceSettings.load(name) if name else None
    return {
        "instance": inst.name if inst else None,
        "storage": inst.storage_root if inst else None,
        "cache-dir": str(settings.cache_dir),
        "home": str(home_dir()),
        "user-handle": settings.user.handle,
        "branch": "main",
        "verbosity": settings.verbosity,
    }


def _settings(args: argparse.Namespace) -> int:
    words = list(args.words)
    if len(words) >= 2 and words[1] in ("get", "set") and words[0] not in ("get", "set"):
        words[0], words[1] = words[1], words[0]  # LaminDB's order: `settings cache-dir get`
    action, rest = (words[0], words[1:]) if words else ("get", [])
    values = _settings_values()
    if action == "set":
        if len(rest) != 2 or rest[0] not in _SETTERS:
            raise InvalidArgument(
                f"usage: lamin-lab settings set KEY VALUE with KEY one of {', '.join(_SETTERS)}"
            )
        _SETTERS[rest[0]](rest[1])
        say(f"→ set {rest[0]} to {rest[1]}")
        return 0
    if action != "get" or len(rest) > 1:
        raise InvalidArgument(
            "usage: lamin-lab settings, lamin-lab settings get KEY or lamin-lab settings set KEY VALUE"
        )
    if rest:
        if rest[0] not in values:
            raise InvalidArgument(f"unknown setting {rest[0]!r}: use one of {', '.join(values)}")
        print(values[rest[0]])
        return 0
    for key, value in values.items():
        print(f"{key}: {value}")
    return 0


def delete_instance(name: str, force: bool, storage: bool) -> int:
    """Delete an instance's settings, database and ``.lamindb/`` folder (all of the storage with ``storage``).

    The work is :func:`lamin_lab.setup.deletion.delete_instance`'s (``ln.setup.delete`` uses it too);
    the command line also deletes the artifacts' content in ``.lamindb/``.

    Examples
    --------
    >>> delete_instance("mydata", force=True, storage=False)  # doctest: +SKIP
    0
    """
    name = name.split("/")[-1]
    if InstanceSettings.load(name) is None:
        raise InstanceNotSetupError(f"no instance named {name!r} under {home_dir()}")
    if not force:
        raise InvalidArgument(
            f"deleting instance {name!r} removes its database and managed files: "
            f"pass --force to confirm (lamin-lab delete {name} --force)"
        )
    for line in remove_instance(name, require_empty=False, storage=storage):
        say(f"! {line}")
    kept = (
        ""
        if storage
        else " (files outside .lamindb/ kept; pass --storage to remove the storage folder)"
    )
    say(f"→ deleted instance {name!r}{kept}")
    return 0


def register(sub: Any) -> None:
    """Add the instance verbs to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(
        sub,
        "init",
        "create an instance (SQLite by default) and make it current",
        "lamin-lab init --storage ./mydata\nlamin-lab init --storage ./pg --db postgresql://me@localhost/db",
        _init,
    )
    p.add_argument(
        "--storage", required=True, help="default storage: a folder or s3://bucket/prefix"
    )
    p.add_argument(
        "--db", default=None, help="PostgreSQL URL (default: a SQLite file in the storage folder)"
    )
    p.add_argument(
        "--name", default=None, help="instance name (default: the storage folder's name)"
    )
    p = add_verb(
        sub,
        "connect",
        "make an instance set up before the current one",
        "lamin-lab connect mydata",
        _connect,
    )
    p.add_argument("instance", help="instance name (owner/name also works)")
    add_verb(sub, "disconnect", "unset the current instance", "lamin-lab disconnect", _disconnect)
    add_verb(
        sub,
        "info",
        "show the current instance, its storage, the user and record counts",
        "lamin-lab info",
        _info,
    )
    p = add_verb(
        sub,
        "settings",
        "show settings, or change one with `settings set KEY VALUE`",
        "lamin-lab settings\nlamin-lab settings get storage\n"
        "lamin-lab settings set storage ./more-data\nlamin-lab settings cache-dir get",
        _settings,
    )
    p.add_argument(
        "words",
        nargs="*",
        metavar="get|set KEY [VALUE]",
        help="get (default) or set, a key (storage, cache-dir, user-handle, …) and the new value; "
        "LaminDB's order `settings KEY get|set [VALUE]` works too",
    )

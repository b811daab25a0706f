"""Set up instances: ``ln.setup.init``, ``connect``, ``delete``, ``settings``; branches: ``switch``, ``merge``.

An instance is a metadata database (SQLite file inside the storage root by default, or
PostgreSQL) plus a default storage location. The instance last ``init``-ed or
``connect``-ed is the current one for every new process; with none set up, first use
creates a default embedded instance under ``LAMIN_LAB_HOME`` and says where.

Examples
--------
>>> import lamin_lab as ln
>>> ln.setup.init(storage="./mydata")
>>> ln.setup.settings.instance.name
'mydata'
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any


from ..errors import InstanceNotSetupError, InvalidArgument
from .._services import service
from ..orm.database import bind
from ..orm.uid import base62
from ..settings import (
    InstanceSettings,
    home_dir,
    read_current_instance_name,
    settings as _settings,
    write_current_instance_name,
)
from ..orm.branches import current_branch_id, resolve_branch, set_current_branch
from ..orm.relations import ROLES
from .branches import merge, switch
from .deletion import delete, redact as _redact
from .db import DB, close_instances, open_database as _open_database
from .schema import SCHEMA_VERSION, prepare

logger = logging.getLogger("lamin_lab")

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _normalize_root(storage: str | os.PathLike) -> str:
    root = str(storage)
    if "://" in root:
        return root.rstrip("/")
    path = Path(root).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def _default_db(root: str, name: str) -> str:
    if "://" in root:  # cloud storage: keep the SQLite file with the settings
        folder = home_dir() / "instances"
        folder.mkdir(parents=True, exist_ok=True)  # a fresh home has none yet
        return str(folder / f"{name}.lndb")
    return str(Path(root) / f"{name}.lndb")


def _activate(instance: InstanceSettings) -> None:
    db = _open_database(instance.db)
    bind(db)
    try:
        prepare(db)
        _settings._instance = instance
        service("bootstrap_instance")(instance)
    except Exception:
        bind(None)
        _settings._instance = None
        raise


def init(storage: str | os.PathLike, db: str | None = None, name: str | None = None) -> None:
    """Create an instance (or reopen the one already at ``storage``) and make it current.

    Parameters
    ----------
    storage
        Default storage location: a local folder or ``s3://bucket/prefix``.
    db
        PostgreSQL URL (``postgresql://user@host:port/dbname``); default: a SQLite
        file inside the storage root.
    name
        Instance name; default: the storage folder's name.

    Examples
    --------
    >>> ln.setup.init(storage="./mydata")
    >>> ln.setup.init(storage="./pgdata", db="postgresql://postgres@127.0.0.1:5432/mydb")  # doctest: +SKIP

    (Needs a PostgreSQL server and an empty database; the test suite's pass 2 runs every
    instance test on a fresh one.)
    """
    root = _normalize_root(storage)
    name = name or root.rstrip("/").rsplit("/", 1)[-1]
    if not _NAME_RE.match(name):
        raise InvalidArgument(
            f"Instance name {name!r} may only use letters, digits, '_', '-' and '.'; pass name=."
        )
    if db is not None and not db.startswith(("postgresql://", "postgres://", "sqlite:///")):
        raise InvalidArgument(
            f"db must be a PostgreSQL URL like postgresql://user@host:5432/dbname, not {db!r}."
        )
    url = (
        db[len("sqlite:///") :]
        if db and db.startswith("sqlite:///")
        else (db or _default_db(root, name))
    )
    existing = InstanceSettings.load(name)
    uid = existing.uid if existing is not None and existing.db == url else base62(12)
    instance = InstanceSettings(name=name, db=url, storage_root=root, uid=uid, storage_roots=[root])
    _activate(instance)
    instance.save()
    write_current_instance_name(name)
    logger.info("initialized instance %r: storage %s, database %s", name, root, _redact(url))


def connect(instance: str | None = None, *, make_current: bool = True) -> None:
    """Connect to an instance set up before (by name); default: the current one.

    ``make_current=False`` connects this process only, leaving the instance that new
    processes use as it is (the Jupyter server extension follows the kernels this way).

    Examples
    --------
    >>> ln.setup.connect("mydata")
    """
    name = instance or read_current_instance_name()
    if name is None:
        raise InstanceNotSetupError(
            "No instance is set up yet: call ln.setup.init(storage='./mydata')."
        )
    name = name.split("/")[-1]  # accept LaminDB's "owner/name"
    found = InstanceSettings.load(name)
    if found is None:
        known = sorted(p.stem for p in (home_dir() / "instances").glob("*.json"))
        raise InstanceNotSetupError(
            f"No instance named {name!r} under {home_dir()}. Known: {', '.join(known) or 'none'}. "
            "Create it with ln.setup.init(storage=..., name=...)."
        )
    _activate(found)
    if make_current:
        write_current_instance_name(name)


def disconnect() -> None:
    """Close the database connection of the current instance (and those ln.DB opened) in this process.

    Examples
    --------
    >>> ln.setup.disconnect()
    """
    bind(None)
    _settings._instance = None
    close_instances()  # and the other instances read with ln.DB


def _connect_default() -> None:
    """First use without set-up: connect the current instance, or create the default one.

    Reached through the ``connect_default`` service of :mod:`lamin_lab._services`.
    """
    if _settings._instance is not None:
        return
    name = read_current_instance_name()
    if name is not None and InstanceSettings.load(name) is not None:
        connect(name, make_current=False)  # it is the current one: no settings file to rewrite
        return
    root = home_dir() / "default-storage"
    logger.warning("no instance set up: creating the default instance with storage at %s", root)
    init(storage=root, name="default")


class SetupSettings:
    """``ln.setup.settings``: the current instance, its storage, the user and the cache.

    Examples
    --------
    >>> ln.setup.settings.user.handle  # doctest: +SKIP
    """

    @property
    def instance(self) -> InstanceSettings:
        """The current instance (connecting the default one on first use)."""
        return _settings.instance

    @property
    def storage(self) -> Any:
        """The default storage location of the current instance."""
        return _settings.storage

    @property
    def user(self) -> Any:
        """The local user (``uid``, ``handle``, ``name``)."""
        return _settings.user

    @property
    def branch(self) -> Any:
        """The current branch (``main`` unless switched); assign a name, uid or Branch to switch.

        Examples
        --------
        >>> ln.setup.settings.branch.name
        'main'
        """
        branch_id = current_branch_id()  # connects first, which defines the registries
        return ROLES["branch"].get(branch_id)

    @branch.setter
    def branch(self, value: Any) -> None:
        set_current_branch(resolve_branch(value))

    @property
    def cache_dir(self) -> Path:
        """Local cache for cloud data."""
        return _settings.cache_dir

    @property
    def dev_dir(self) -> Path:
        """The development folder: ``LAMIN_LAB_DEV_DIR`` or else the working directory.

        Examples
        --------
        >>> import lamin_lab as ln
        >>> ln.setup.settings.dev_dir.is_dir()
        True
        """
        env = os.environ.get("LAMIN_LAB_DEV_DIR")
        return Path(env).expanduser().resolve() if env else Path.cwd()

    @property
    def schema_version(self) -> int:
        """The schema version this package writes."""
        return SCHEMA_VERSION

    def __repr__(self) -> str:
        inst = _settings._instance
        return f"SetupSettings(instance={inst.name if inst else None!r}, home={str(home_dir())!r})"


settings = SetupSettings()

__all__ = ["DB", "connect", "delete", "disconnect", "init", "merge", "settings", "switch"]

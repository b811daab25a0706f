"""``ln.DB("owner/name")``: query another local instance without switching to it.

An instance set up on this machine (``ln.setup.init``) is found by its name or by
``owner/name`` (the owner of a local instance is the local user; any owner is accepted).
Its database is opened once per process for reading (:class:`~lamin_lab.orm.instances.OtherInstance`)
and every registry becomes a QuerySet on it: ``db.Artifact.filter(...)``, ``.get(...)``,
``.search(...)``, ``.to_dataframe()``. Records read from it know their instance
(``record._state.db == "owner/name"``); saving one copies it into the current instance.

Examples
--------
>>> db = ln.DB("me/other")  # doctest: +SKIP
>>> db.Artifact.filter(suffix=".csv").to_dataframe()  # doctest: +SKIP
>>> artifact = db.Artifact.get(key="x.csv")  # doctest: +SKIP
>>> artifact._state.db  # doctest: +SKIP
'me/other'
"""

from __future__ import annotations

from typing import Any

import peewee

from ..errors import InstanceNotSetupError, InvalidArgument, InvalidArgumentType, SchemaVersionError
from ..orm import REGISTRY
from ..orm.database import PostgresqlDatabase, SqliteDatabase
from ..orm.describable import view as _view
from ..orm.instances import OtherInstance, RefusesWrites, on_instance
from ..settings import InstanceSettings, home_dir
from .schema import SCHEMA_VERSION, concrete_models, read_schema_version

_URL_PREFIX = "https://lamin.ai/"
_opened: dict[tuple[str, str], OtherInstance] = {}


class _ReadOnlySqlite(RefusesWrites, SqliteDatabase):
    """The SQLite database of an instance read with ``ln.DB``."""


class _ReadOnlyPostgresql(RefusesWrites, PostgresqlDatabase):
    """The PostgreSQL database of an instance read with ``ln.DB``."""


def open_database(url: str, read_only: bool = False) -> peewee.Database:
    """The database object of an instance's URL (PostgreSQL, or a SQLite file), not connected yet.

    ``read_only=True``: every write is refused (for instances read with ``ln.DB``).

    Examples
    --------
    >>> open_database(":memory:").is_closed()
    True
    """
    if url.startswith(("postgresql://", "postgres://")):
        cls = _ReadOnlyPostgresql if read_only else PostgresqlDatabase
        return cls(url.replace("postgres://", "postgresql://", 1))
    pragmas = {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "synchronous": "normal",
        "busy_timeout": 10000,
        "cache_size": -32000,
    }
    returning = peewee.__sqlite_version__ >= (3, 35, 0)
    cls = _ReadOnlySqlite if read_only else SqliteDatabase
    return cls(url, pragmas=pragmas, returning_clause=returning)


def _open_read_only(url: str) -> peewee.Database:
    return open_database(url, read_only=True)


def _slug_and_name(identifier: str) -> tuple[str, str]:
    """``("owner/name" or "name" as given, "name")``; the owner of a local instance is not checked."""
    if not isinstance(identifier, str) or not identifier.strip("/"):
        raise InvalidArgument(f"An instance is named 'owner/name' or 'name', not {identifier!r}.")
    text = identifier[len(_URL_PREFIX) :] if identifier.startswith(_URL_PREFIX) else identifier
    text = text.strip("/")
    parts = text.split("/")
    if len(parts) > 2 or not all(parts):
        raise InvalidArgument(f"An instance is named 'owner/name' or 'name', not {identifier!r}.")
    return text, parts[-1]


def _check_schema(db: peewee.Database, name: str) -> None:
    version = read_schema_version(db)
    if version == SCHEMA_VERSION:
        return
    if version is None:
        raise InstanceNotSetupError(
            f"Instance {name!r} has no lamin_lab database yet: create it with "
            f"ln.setup.init(storage=..., name={name!r})."
        )
    newer = version > SCHEMA_VERSION
    raise SchemaVersionError(
        f"Instance {name!r} has schema {version}, this lamin_lab reads schema {SCHEMA_VERSION}: "
        + (
            "upgrade lamin_lab (pip install -U lamin_lab)."
            if newer
            else f"upgrade it once with ln.setup.connect({name!r}), then connect back to your instance."
        )
    )


def open_instance(identifier: str) -> OtherInstance:
    """The local instance named ``identifier`` (``owner/name`` or ``name``), opened for reading.

    Opened once per process; the current instance stays as it is.

    Examples
    --------
    >>> other = open_instance("me/other")  # doctest: +SKIP
    >>> other.slug  # doctest: +SKIP
    'me/other'
    """
    # as in LaminDB, records read from it name the instance as the caller did ("src" or "me/src")
    slug, name = _slug_and_name(identifier)
    instance = InstanceSettings.load(name)
    if instance is None:
        known = sorted(p.stem for p in (home_dir() / "instances").glob("*.json"))
        raise InstanceNotSetupError(
            f"No instance named {name!r} on this machine (under {home_dir()}). Known: "
            f"{', '.join(known) or 'none'}. Only local instances can be read with ln.DB."
        )
    found = _opened.get((slug, instance.db))  # its database, not its name, says which it is
    if found is not None:
        return found
    other = OtherInstance(slug, instance, _open_read_only)
    _check_schema(other.database, name)
    _opened[(slug, instance.db)] = other
    return other


def close_instances() -> None:
    """Close the connections to every other instance opened with :func:`open_instance`.

    Examples
    --------
    >>> close_instances()
    """
    for other in _opened.values():
        other.close()
    _opened.clear()


class _RegistryOnInstance:
    """``db.Artifact``: a registry's QuerySet on another instance that cannot make records."""

    def __init__(self, model: type, other: OtherInstance):
        self._model = model
        self._qs = model.connect(other)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = self._model.__name__
        raise InvalidArgumentType(
            f"Cannot create a {name} through ln.DB: it reads another instance. Query it with "
            f"{name}.filter(), .get(), .search() ..., or create the record with ln.{name}(...) here."
        )

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self._qs, attr)

    def __iter__(self) -> Any:
        return iter(self._qs)

    def __len__(self) -> int:
        return len(self._qs)

    def __repr__(self) -> str:
        return f"<QuerySet [{self._model.__name__}]>"


class DB:
    """Query any registry of another local instance without switching to it.

    Parameters
    ----------
    instance
        ``"owner/name"`` or the name of an instance set up on this machine.

    Examples
    --------
    >>> db = ln.DB("me/other")  # doctest: +SKIP
    >>> db.Artifact.filter(suffix=".h5ad").to_dataframe()  # doctest: +SKIP
    >>> db.ULabel.get(name="T cell")  # doctest: +SKIP
    """

    def __init__(self, instance: str):
        self._instance = instance
        self._other = open_instance(instance)
        self._cache: dict[str, _RegistryOnInstance] = {}

    def __getattr__(self, name: str) -> _RegistryOnInstance:
        if name.startswith("_"):
            raise AttributeError(name)
        found = self._cache.get(name)
        if found is not None:
            return found
        concrete_models()  # `import lamin_lab` defines no registry: ln.DB may be the first use
        model = REGISTRY.get(name)
        if model is None or getattr(model, "_abstract", False):
            raise AttributeError(
                f"No registry {name!r} in lamin_lab: choose among {', '.join(self._registries())}."
            )
        found = self._cache[name] = _RegistryOnInstance(model, self._other)
        return found

    def view(
        self,
        *,
        limit: int = 7,
        modules: str | None = None,
        registries: list[str] | None = None,
        df: Any = None,
    ) -> None:
        """Show the newest records of each registry of the other instance (as ``ln.view()`` here).

        Examples
        --------
        >>> ln.DB("me/other").view(registries=["Artifact"])  # doctest: +SKIP
        """
        with on_instance(self._other):
            return _view(limit=limit, modules=modules, registries=registries, df=df)

    @staticmethod
    def _registries() -> list[str]:
        concrete_models()
        return sorted(
            n for n, m in REGISTRY.items() if not getattr(m, "_abstract", False) and n[0].isupper()
        )

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._registries()))

    def __repr__(self) -> str:
        return f"DB('{self._instance}')"


__all__ = ["DB", "close_instances", "open_instance"]

"""Import peewee without its eager psycopg2 import; a PostgreSQL database that loads it on open.

peewee imports psycopg2 (and with it ssl) at import time when it is installed: about
a quarter of ``import lamin_lab``. SQLite instances never need it, so peewee is imported
with psycopg2 hidden, and :class:`PostgresqlDatabase` brings its own driver adapter
(peewee's ``psycopg2_adapter`` class attribute, its documented way to choose one),
which imports psycopg2 when a database is opened. Nothing changes when peewee or
psycopg2 were imported before lamin_lab (peewee's own adapter then has the driver too).
"""

from __future__ import annotations

import sys
from typing import Any


def _import_peewee_without_psycopg2() -> None:
    if "peewee" in sys.modules or "psycopg2" in sys.modules:
        return
    sys.modules["psycopg2"] = None  # type: ignore[assignment]  # makes `import psycopg2` fail fast
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg2"]


_import_peewee_without_psycopg2()

import peewee  # noqa: E402


class LazyPsycopg2Adapter(peewee.Psycopg2Adapter):
    """peewee's psycopg2 adapter with the driver imported when the adapter is made.

    Examples
    --------
    >>> LazyPsycopg2Adapter().json_type.__name__  # doctest: +SKIP
    'Json'
    """

    def __init__(self) -> None:
        import psycopg2
        from psycopg2 import extensions
        from psycopg2.extras import Json, register_uuid

        register_uuid()  # what peewee does at import: uuid.UUID values as parameters
        self.driver, self.extensions = psycopg2, extensions
        self.txn_idle = extensions.TRANSACTION_STATUS_IDLE
        self.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
        self.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
        super().__init__()
        self.json_type = self.jsonb_type = Json

    def check_driver(self) -> None:
        """The driver was imported in ``__init__``: nothing to check."""

    def get_binary_type(self) -> Any:
        return self.driver.Binary

    def connect(self, db: Any, **params: Any) -> Any:
        if db.database.startswith("postgresql://"):
            params.setdefault("dsn", db.database)
        else:
            params.setdefault("dbname", db.database)
        conn = self.driver.connect(**params)
        if db._register_unicode:
            self.extensions.register_type(self.extensions.UNICODE, conn)
            self.extensions.register_type(self.extensions.UNICODEARRAY, conn)
        if db._encoding:
            conn.set_client_encoding(db._encoding)
        return conn


class PostgresqlDatabase(peewee.PostgresqlDatabase):
    """``peewee.PostgresqlDatabase`` that imports psycopg2 when it is created, not with peewee.

    Examples
    --------
    >>> db = PostgresqlDatabase("postgresql://postgres@127.0.0.1:5432/test")  # doctest: +SKIP
    """

    psycopg2_adapter = LazyPsycopg2Adapter

"""Import peewee without its eager psycopg2 import, and turn psycopg2 on when needed.

peewee imports psycopg2 (and with it ssl) at import time when it is installed: about
a quarter of ``import lamin_lab``. SQLite instances never need it, so peewee is imported
with psycopg2 hidden, and :func:`enable_psycopg2` hands the driver to peewee right
before a PostgreSQL database is opened. Nothing changes when peewee or psycopg2 were
imported before lamin_lab (then peewee already has the driver).
"""

from __future__ import annotations

import sys


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


def enable_psycopg2() -> None:
    """Give peewee the psycopg2 driver it skipped at import (idempotent).

    Examples
    --------
    >>> enable_psycopg2()  # doctest: +SKIP
    """
    if getattr(peewee, "psycopg2", None) is not None:
        return
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    register_uuid()
    peewee.psycopg2 = psycopg2
    peewee.pg_extensions = extensions
    peewee.pg_register_uuid = register_uuid
    peewee.Json_pg2 = Json
    adapter = peewee.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN

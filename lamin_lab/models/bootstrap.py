"""Rows every instance has: the local user, the main/archive/trash branches, the space,
and the default storage location. Run after each connect; cheap when they exist."""

from __future__ import annotations

import socket
from typing import Any

import peewee

from ..orm import REGISTRY
from ..orm.database import state
from ..orm.uid import base62
from ..settings import settings
from .branch import ARCHIVE, MAIN, TRASH, Branch
from .space import Space
from .storage_location import Storage
from .user import User


def storage_type(root: str) -> str:
    """``local``, ``s3``, ``gs``, ... from a storage root.

    Examples
    --------
    >>> storage_type("s3://bucket/prefix"), storage_type("/data")
    ('s3', 'local')
    """
    return root.split("://", 1)[0] if "://" in root else "local"


def get_or_create_storage(root: str, instance_uid: str | None) -> Any:
    """The Storage record of ``root``, created (as written by this instance) when new."""
    found = Storage.filter(root=root).first()
    if found is not None:
        return found
    kind = storage_type(root)
    return Storage(
        root=root,
        type=kind,
        instance_uid=instance_uid,
        host=socket.gethostname() if kind == "local" else None,
    ).save()


# the built-in branches, described as LaminDB describes them
_BRANCHES = (
    (TRASH, "trash", "The trash."),
    (ARCHIVE, "archive", "The archive."),
    (MAIN, "main", "The main & default branch of the instance."),
)


def _seeded_user_id(user_uid: str, root: str) -> int | None:
    """The current user's id when every fixed row exists already, else None (one statement).

    Reconnecting finds everything in place: one query instead of a transaction of five
    statements and a storage look-up (each a round trip on PostgreSQL). Table and column
    names come from the registries; the values are bound parameters.
    """
    db = User._meta.database
    p = db.param
    sql = (
        f'SELECT (SELECT "id" FROM "{User._meta.table_name}" WHERE "uid" = {p}), '
        f'(SELECT COUNT(*) FROM "{Branch._meta.table_name}" WHERE "id" IN ({p}, {p}, {p})), '
        f'(SELECT COUNT(*) FROM "{Space._meta.table_name}" WHERE "id" = 1), '
        f'(SELECT COUNT(*) FROM "{Storage._meta.table_name}" WHERE "root" = {p} AND "branch_id" != {p})'
    )
    user_id, branches, spaces, storages = db.execute_sql(
        sql, [user_uid, TRASH, ARCHIVE, MAIN, root, TRASH]
    ).fetchone()
    return user_id if branches == 3 and spaces and storages else None


def bootstrap(instance: Any) -> None:
    """Seed the instance's fixed rows and remember the current user's id."""
    user = settings.user
    user_id = _seeded_user_id(user.uid, instance.storage_root)
    if user_id is not None:
        state.user_id = user_id
        return
    db = User._meta.database
    with db.atomic():
        row = User.select(User.id).where(User.uid == user.uid).tuples().first()
        if row is None:
            row = (
                User.insert(
                    uid=user.uid, handle=_free_handle(user.handle), name=user.name
                ).execute(),
            )
        state.user_id = row[0]
        existing = {b for (b,) in Branch.select(Branch.id).tuples()}
        for branch_id, name, description in _BRANCHES:
            if branch_id not in existing:
                Branch.insert(
                    id=branch_id,
                    uid=base62(12),
                    name=name,
                    description=description,
                    created_by=state.user_id,
                ).execute()
        if not Space.select().where(Space.id == 1).exists():
            Space.insert(id=1, uid=base62(12), name="all", created_by=state.user_id).execute()
        _fix_sequences(db)
    get_or_create_storage(instance.storage_root, instance.uid)


def _free_handle(handle: str) -> str:
    # Another local user may already carry this OS handle in a shared database.
    if not User.select().where(User.handle == handle).exists():
        return handle
    return f"{handle}-{base62(4)}"


def _fix_sequences(db: peewee.Database) -> None:
    # Explicit ids on PostgreSQL leave the serial sequence behind; move it past them.
    # ``db`` is usually the proxy: ask what it stands for.
    if isinstance(getattr(db, "obj", db), peewee.PostgresqlDatabase):
        for model in (Branch, Space):
            table = model._meta.table_name
            db.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), GREATEST((SELECT "
                f'MAX(id) FROM "{table}"), 1))'
            )


def registries() -> list[type]:
    """Every registry class that has a table: lamin_lab's, their link tables, and users' own.

    Importing this module imports :mod:`lamin_lab.models`, which defines lamin_lab's.

    Examples
    --------
    >>> {"ULabel", "ArtifactULabel"} <= {m.__name__ for m in registries()}
    True
    """
    return [m for m in REGISTRY.values() if not getattr(m, "_abstract", False)]

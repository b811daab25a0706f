"""Rows every instance has: the local user, the main/archive/trash branches, the space,
and the default storage location. Run after each connect; cheap when they exist."""

from __future__ import annotations

import socket
from typing import Any

import peewee

from ..orm.database import state, translate_errors
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


def bootstrap(instance: Any) -> None:
    """Seed the instance's fixed rows and remember the current user's id."""
    user = settings.user
    with translate_errors():
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
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))"
            )

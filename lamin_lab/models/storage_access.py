"""Which storage location a path belongs to, and whether this instance may write there."""

from __future__ import annotations

from typing import Any

from ..errors import NoWriteAccess
from ..orm.database import connection_cache
from ..settings import settings
from ..storage import is_inside, storage_type
from .bootstrap import get_or_create_storage
from .storage_location import Storage


def default_storage() -> Any:
    """The Storage record new artifacts go to (``ln.settings.storage``).

    Examples
    --------
    >>> default_storage().root  # doctest: +SKIP
    '/home/me/mydata'
    """
    return storage_of_root(settings.instance.storage_root)


def storage_of_root(root: str) -> Any:
    """The Storage record of a root of this instance, registered when missing (cached per connection).

    Examples
    --------
    >>> storage_of_root(str(ln.settings.storage.root)).type  # doctest: +SKIP
    'local'
    """
    key = f"storage:{root}"
    cached = connection_cache.get(key)
    if cached is None:
        cached = connection_cache[key] = get_or_create_storage(root, settings.instance.uid)
    return cached


def storage_containing(path: Any) -> Any | None:
    """The registered Storage whose root contains ``path`` (the deepest one), or None.

    The current default root counts even before anything was saved there (``ln.settings.storage
    = folder`` registers it on first use).
    """
    default_storage()
    text = str(path)
    candidates = [
        s
        for s in Storage.filter()._select(Storage.id, Storage.root).tuples()
        if _maybe_inside(text, s[1])
    ]
    best = None
    for storage_id, root in candidates:
        if is_inside(path, root) and (best is None or len(root) > len(best[1])):
            best = (storage_id, root)
    return Storage.get(best[0]) if best else None


def _maybe_inside(path_text: str, root: str) -> bool:
    return path_text.startswith(root.rstrip("/")) or path_text.startswith(root.split("://", 1)[-1])


def check_write_access(storage: Any) -> None:
    """Refuse to write into a location managed by another instance.

    Examples
    --------
    >>> check_write_access(ln.Storage.get(1))
    """
    own = settings.instance.uid
    if storage.instance_uid not in (None, "", own):
        raise NoWriteAccess(
            f"Storage {storage.root} is managed by another instance (uid {storage.instance_uid}); "
            "it is read-only here. "
            "Register files from it in place, or set ln.settings.storage to a location of this instance."
        )


def cloud_storage_for(path: Any) -> Any:
    """Register (read-only) the bucket of a cloud path that no storage contains yet."""
    text = str(path)
    scheme, rest = text.split("://", 1)
    root = f"{scheme}://{rest.split('/', 1)[0]}"
    found = Storage.filter(root=root).first()
    return found or Storage(root=root, type=storage_type(root), instance_uid=None).save()

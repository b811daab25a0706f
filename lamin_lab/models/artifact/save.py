"""Saving and deleting artifacts so that the database row and the file always agree.

Saving: the row is inserted inside a transaction, the content is put at its final
place (atomically: a temporary name, then a rename; S3 objects appear whole), and only
then is the transaction committed. ``replace()`` + ``save()`` stages the new content beside
the old file and swaps it in after the commit (:mod:`lamin_lab.storage.pending`). A failed
upload rolls the row back; a failed commit removes the file that was just put. Deleting
permanently removes the row first and the managed file after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ...errors import InvalidArgument
from ...orm.bulk import insert_new
from ...orm.compiled import fetch_compiled
from ...orm.database import atomic, dialect, ensure_connected, ensure_table, state
from ...settings import settings
from ...storage import cache_path_for, delete_path, is_cloud, put, to_path
from ...orm.rows import records_from_rows
from ...orm.uid import base62
from ...storage.atomic import remove_local, temp_sibling
from ...storage.paths import AUTO_KEY_PREFIX
from ...storage.pending import pending_path, settle, stage, swap_in, unstage
from ..storage_access import check_write_access
from ..recreating import link_recreating_run

logger = logging.getLogger("lamin_lab")


def storage_key(artifact: Any) -> str:
    """The key of the artifact's content inside its storage root (its ``_real_key`` when it has one)."""
    if artifact._real_key is not None:
        return artifact._real_key
    if artifact._key_is_virtual:
        return f"{AUTO_KEY_PREFIX}{artifact.uid}{artifact.suffix or ''}"
    return artifact.key


def _destination(artifact: Any) -> Any:
    root = artifact.storage.root.rstrip("/")
    return to_path(f"{root}/{storage_key(artifact)}")


def _upload(artifact: Any, to: Any | None = None) -> Any | None:
    """Put the artifact's local content at ``to`` (default: its destination); return where (None if nothing to put)."""
    build = getattr(artifact, "_build", None) or {}
    local = build.get("local_path")
    if local is None:  # registered in place: nothing to put
        return None
    check_write_access(artifact.storage)
    dst = _destination(artifact) if to is None else to
    if build.get("owns_local") and not is_cloud(dst):
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:  # our own staging file: a rename is enough (same file system) ...
            local.replace(dst)
            build["local_path"], build["staged_at"] = dst, local
            return dst
        except OSError:
            pass  # ... else copy below
    put(local, dst)
    return dst


def _undo_upload(artifact: Any, dst: Any) -> None:
    """Remove what a failed save put in place; a moved staging file goes back (save() can be retried)."""
    if dst is None:
        return
    build = getattr(artifact, "_build", None) or {}
    staged = build.pop("staged_at", None)
    if staged is not None:
        dst.replace(staged)
        build["local_path"] = staged
    else:
        delete_path(dst)


def _after_upload(artifact: Any, dst: Any) -> None:
    """Keep an in-memory object's staging file as the cached copy of cloud content."""
    build = getattr(artifact, "_build", None) or {}
    local = build.get("local_path")
    if not build.get("owns_local") or local is None or dst is None or not is_cloud(dst):
        return
    cached = cache_path_for(dst, settings.cache_dir)
    cached.parent.mkdir(parents=True, exist_ok=True)
    local.replace(cached)
    build["local_path"] = cached


def _link_run(artifact: Any) -> None:
    if artifact.__data__.get("run") is None and state.run_id is not None:
        artifact.__data__["run"] = state.run_id


def save_artifact(artifact: Any) -> Any:
    """Put the content, then insert the row under the write lock; all or nothing; returns the artifact.

    The content is put in place *before* the write lock is taken (a long copy never stalls
    other writers). Under the lock the two races of concurrent savers are settled: content
    another process saved meanwhile is adopted (one artifact per content), and a version
    uid another process took meanwhile is moved to the next free one.
    A kill before the commit can leave staged content without a row, never a row without content.
    """
    if getattr(artifact, "_is_existing", False) or artifact._pk is not None:
        return _save_existing(artifact)
    ensure_connected()
    ensure_table(type(artifact))
    artifact._before_save()
    artifact._fill_defaults()
    _link_run(artifact)
    dst = winner = None
    try:
        dst = _upload(artifact, to=_staging_place(artifact))
        with write_lock(artifact.hash):
            winner = _same_content_under_lock(artifact)
            if winner is None:
                dst = _claim_place(artifact, dst)
                artifact._write_row()
                artifact._after_save(True)
    except BaseException:
        artifact._pk = None
        _undo_upload(artifact, dst)
        raise
    if winner is not None:
        _undo_upload(artifact, dst)
        artifact._adopt(winner, artifact._build or {})
        return artifact
    _after_upload(artifact, dst)
    return artifact


@contextmanager
def write_lock(digest: str | None) -> Iterator[None]:
    """A write transaction that serialises savers of the same content.

    SQLite: ``BEGIN IMMEDIATE`` (the database's one write lock, taken up front, so what is
    read under it stays true until the commit). PostgreSQL: a transaction-scoped advisory
    lock on the hash, so only savers of the same content wait for each other (and savers
    of one version family, which take the family's lock in :func:`_claim_version_uid`).
    """
    db = ensure_connected()
    if dialect() == "sqlite":
        with db.atomic("IMMEDIATE"):
            yield
        return
    with db.atomic():
        if digest is not None:
            db.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", ("lamin-hash:" + digest,))
        yield


def _same_content_under_lock(artifact: Any) -> Any | None:
    """The artifact this save becomes instead: one saved meanwhile, or the trashed twin restored.

    Both are looked up in one compiled query (this runs on every single save: two queries
    built by peewee cost ~2 ms and two round trips on PostgreSQL).
    """
    if artifact.hash is None or (artifact._build or {}).get("skip_hash_lookup"):
        return None
    if artifact.key is None or artifact.storage_id is None:
        return _saved_meanwhile(artifact) or _restored_from_trash(artifact)
    model = type(artifact)
    values = {"digest": artifact.hash, "key": artifact.key, "storage": artifact.storage_id}
    rows = fetch_compiled("artifact: same content under lock", _content_query(model), **values)
    candidates = records_from_rows(model, rows)
    meanwhile = next((a for a in candidates if a.branch_id != -1), None)
    if meanwhile is not None:
        return meanwhile
    twins = [a for a in candidates if a.branch_id == -1]
    return _restore(twins[-1]) if twins else None


def _content_query(model: type) -> Any:
    def build(digest: Any, key: Any, storage: Any) -> Any:
        in_trash_here = (model.key == key) & (model.storage == storage) & (model.branch_id == -1)
        return (
            model.select()
            .where((model.hash == digest) & ((model.branch_id != -1) | in_trash_here))
            .order_by(model.id)
        )

    return build


def _saved_meanwhile(artifact: Any) -> Any | None:
    """The artifact with the same content that another process saved since the constructor looked."""
    if artifact.hash is None or (artifact._build or {}).get("skip_hash_lookup"):
        return None
    model = type(artifact)
    return (
        model.select()
        .where(model.hash == artifact.hash, model.branch_id != -1)
        .order_by(model.id)
        .first()
    )


def _restored_from_trash(artifact: Any) -> Any | None:
    """The trashed artifact of the same content, key and storage, moved back to the main branch.

    Saving again what was trashed brings the trashed record back (as LaminDB does) instead
    of a second record of the same file; it becomes the latest version of its family.
    """
    if (
        artifact.hash is None
        or artifact.key is None
        or (artifact._build or {}).get("skip_hash_lookup")
    ):
        return None
    model = type(artifact)
    twin = (
        model.select()
        .where(
            model.hash == artifact.hash,
            model.key == artifact.key,
            model.storage == artifact.storage_id,
            model.branch_id == -1,
        )
        .order_by(model.id.desc())
        .first()
    )
    return None if twin is None else _restore(twin)


def _restore(twin: Any) -> Any:
    model = type(twin)
    model.update(branch_id=1, is_latest=True).where(model.id == twin.id).execute()
    twin.__data__.update(branch_id=1, is_latest=True)
    twin._demote_family()
    logger.warning(
        "returning the trashed artifact with the same content and key, restored from the trash: %s",
        twin._short_repr(),
    )
    return twin


def _staging_place(artifact: Any) -> Any | None:
    """Where the content waits for the write lock: a private name beside its destination.

    Savers of one new version all compute the same uid, hence the same destination; each
    stages under its own name and the rename under the lock (:func:`_claim_place`) decides.
    A fresh family's uid is random: cloud content goes straight to its place (a rename
    there is a copy).
    """
    dst = _destination(artifact)
    if not is_cloud(dst):
        return temp_sibling(dst)
    return (
        pending_path(dst, "new-" + base62(8))
        if getattr(artifact, "_revises", None) is not None
        else None
    )


def _claim_place(artifact: Any, staged: Any) -> Any:
    """Under the write lock: the next free version uid, and the staged content renamed to its place."""
    if getattr(artifact, "_revises", None) is not None:
        if dialect() == "postgresql":
            ensure_connected().execute_sql(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", ("lamin-family:" + artifact.stem_uid,)
            )
        artifact.uid = type(artifact).next_uid(
            artifact.stem_uid
        )  # another saver may have taken ours
    dst = _destination(artifact)
    if staged is None or str(staged) == str(dst):
        return staged
    placed = swap_in(staged, dst)
    build = artifact._build or {}
    if build.get("local_path") is not None and str(build["local_path"]) == str(staged):
        build["local_path"] = placed
    return placed


def storage_ongoing(artifact: Any) -> bool:
    """``artifact._storage_ongoing``: its content was not stored to the end (``_aux["so"]``).

    LaminDB's flag of an interrupted upload. lamin_lab's own saves never leave it (content is
    put in place before the row is committed); it is kept for code and guides that set it.
    Saving the same content again stores it and clears the flag.

    Examples
    --------
    >>> import pandas as pd
    >>> ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="so.parquet")._storage_ongoing
    False
    """
    return (artifact._aux or {}).get("so") == 1


def set_storage_ongoing(artifact: Any, value: bool) -> None:
    """Set or clear ``_aux["so"]`` (an empty ``_aux`` is None, as in LaminDB).

    Examples
    --------
    >>> import pandas as pd
    >>> a = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="so2.parquet")
    >>> a._storage_ongoing = True; a._aux
    {'so': 1}
    >>> a._storage_ongoing = False; a._aux is None
    True
    """
    aux = {k: v for k, v in (artifact._aux or {}).items() if k != "so"}
    if value:
        aux["so"] = 1
    artifact._aux = aux or None


def _restore_content(artifact: Any) -> None:
    """Store the content of an artifact whose earlier save did not finish, then clear its flag."""
    dst = _destination(artifact)
    staged = _upload(artifact, to=temp_sibling(dst) if not is_cloud(dst) else None)
    if staged is not None and str(staged) != str(dst):
        staged.replace(dst)
    set_storage_ongoing(artifact, False)
    with atomic():
        artifact._write_row()


def _save_existing(artifact: Any) -> Any:
    if artifact._pk is None:
        return artifact
    build = getattr(artifact, "_build", None) or {}
    if build.pop("restore", False):
        _restore_content(artifact)
    old_path = build.pop("replaces", None)
    if old_path is None:
        if artifact.is_dirty():
            artifact._fill_defaults()
            artifact._write_row()
        link_recreating_run(artifact)
        return artifact
    try:
        return _save_replaced(artifact, old_path)
    except BaseException:
        build["replaces"] = old_path  # nothing changed: save() can be retried
        raise


def _save_replaced(artifact: Any, old_path: Any) -> Any:
    """replace() + save(): stage the new content beside the old, commit the row, then swap.

    A kill before the commit leaves the old row and the old file (and a pending file the
    next save removes); a kill after it leaves the new row and a pending file that the
    next read swaps in (see :mod:`lamin_lab.storage.pending`).
    """
    build = artifact._build
    artifact._fill_defaults()
    local = build.get("local_path")
    if local is None:
        with atomic():
            artifact._write_row()
        return artifact
    check_write_access(artifact.storage)
    dst = _destination(artifact)
    settle(dst, None, sweep=True)  # what earlier killed saves of this artifact left
    own = bool(build.get("owns_local"))
    pending = stage(local, dst, artifact.hash, move=own)
    moved = own and not is_cloud(dst) and not to_path(local).exists()
    try:
        with atomic():
            artifact._write_row()
    except BaseException:
        unstage(pending, local if moved else None)
        raise
    swap_in(pending, dst)
    if str(dst) != str(old_path):
        delete_path(old_path)
    if moved:
        build["local_path"] = dst
    else:
        _after_upload(artifact, dst)
    return artifact


def bulk_save(artifacts: list[Any]) -> None:
    """Save many artifacts: uploads first, then one transaction with multi-row INSERTs."""
    new = [a for a in artifacts if a._pk is None and not getattr(a, "_is_existing", False)]
    for a in artifacts:
        if a not in new:
            _save_existing(a)
    if not new:
        return
    model = type(new[0])
    ensure_connected()
    ensure_table(model)
    _check_unique_uids(new)
    for a in new:
        a._before_save()
        a._fill_defaults()
        _link_run(a)
    uploaded: list[tuple[Any, Any]] = []
    try:
        for a in new:
            uploaded.append((a, _upload(a)))
        with atomic():
            insert_new(model, new)
            for a in new:
                a._after_save(True)
    except BaseException:
        for a, dst in uploaded:
            a._pk = None
            _undo_upload(a, dst)
        raise
    for a, dst in uploaded:
        _after_upload(a, dst)


def _check_unique_uids(new: list[Any]) -> None:
    uids = [a.uid for a in new]
    if len(set(uids)) != len(uids):
        raise InvalidArgument(
            "The list holds the same new artifact twice: save each artifact once."
        )


def delete_artifact(artifact: Any, permanent: bool | None, storage: bool | None) -> Any:
    """Trash, or delete the row and (for managed content, or storage=True) the data."""
    if artifact._pk is None:
        raise InvalidArgument("This artifact is not saved: there is nothing to delete.")
    in_trash = artifact.branch_id == -1
    if not permanent and not in_trash:
        artifact._move_to_trash()
        return None
    # content registered in place (a real key, or a _real_key) stays unless storage=True
    managed = artifact._key_is_virtual and artifact._real_key is None
    remove_data = managed if storage is None else storage
    if remove_data:
        check_write_access(artifact.storage)
    dst = _destination(artifact)
    result = artifact._delete_permanently()
    if remove_data:
        delete_path(dst)
        if is_cloud(dst):
            remove_local(cache_path_for(dst, settings.cache_dir))
    else:
        logger.info(
            "kept the data at %s (registered in place); pass storage=True to delete it too", dst
        )
    return result

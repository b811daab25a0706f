"""A local cache of cloud files and folders that re-downloads only what changed.

Layout: ``<cache_dir>/<bucket>/<key>``, e.g. ``s3://lab/raw/a.h5ad`` is cached at
``<cache_dir>/lab/raw/a.h5ad``. Next to the content, a small JSON sidecar per cached
URL lives in ``<cache_dir>/.lamin_lab_cache/<md5 of the URL>.json`` (a name no bucket
can have). For every file it records the remote ETag (or modification time when the
store has no ETag), the remote size, and the local file's ``mtime_ns`` right after
the download. A cached file is up to date when all of these still agree, so a
remote overwrite *and* a local edit of the cached copy both trigger a new download.

Downloads go to a temporary sibling and are renamed into place, so a reader never
sees a half-downloaded file. Folders are synced file by file: changed files are
fetched, files gone from the remote folder are deleted locally.

Examples
--------
>>> cache_path_for("s3://lab/raw/a.h5ad", "/tmp/cache").as_posix()
'/tmp/cache/lab/raw/a.h5ad'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from lamin_lab.errors import HashMismatch, InvalidArgument, StorageError
from lamin_lab.storage.atomic import TMP_MARKER, move_into_place, remove_local, temp_sibling
from lamin_lab.storage.hashing import CHUNK, hash_dir, hash_file, hash_string, md5_of_file
from lamin_lab.storage.paths import is_cloud, to_path
from lamin_lab.storage.transfer import progress_callback

META_DIR = ".lamin_lab_cache"
# Info fields that change whenever an object is rewritten, best first.
_TOKEN_FIELDS = ("ETag", "etag", "md5Hash", "LastModified", "mtime", "updated", "created")


def _url(path: Any) -> str:
    text = str(path)
    protocol, rest = text.split("://", 1)
    return f"{protocol}://{rest.strip('/')}"


def _check_segments(parts: list[str], url: str) -> None:
    if any(part in (".", "..") for part in parts):
        raise InvalidArgument(
            f"cannot cache '{url}': '.' or '..' in the key would escape the cache folder; rename the object"
        )


def cache_path_for(upath: Any, cache_dir: Any) -> Path:
    """Return where the cloud path ``upath`` is cached: ``<cache_dir>/<bucket>/<key>``.

    Raises
    ------
    InvalidArgument
        For local paths (they are not cached) and keys with ``.``/``..`` segments.

    Examples
    --------
    >>> cache_path_for("gs://bucket/folder/x.csv", "/cache").as_posix()
    '/cache/bucket/folder/x.csv'
    """
    if not is_cloud(upath):
        raise InvalidArgument(f"'{upath}' is local and is not cached; use the path itself")
    url = _url(upath)  # string work only: no file system object needed
    parts = [part for part in url.split("://", 1)[1].split("/") if part]
    _check_segments(parts, url)
    return Path(cache_dir).expanduser().joinpath(*parts)


def _token(info: dict) -> str | None:
    for field in _TOKEN_FIELDS:
        if info.get(field) is not None:
            return str(info[field])
    return None


def _meta_file(cache_dir: Path, url: str) -> Path:
    return cache_dir / META_DIR / f"{hash_string(url)}.json"


def _read_meta(meta_file: Path) -> dict:
    try:
        return json.loads(meta_file.read_text())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # missing or unreadable sidecar: treat everything as outdated


def _write_meta(meta_file: Path, url: str, files: dict) -> None:
    meta_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_sibling(meta_file)
    tmp.write_text(json.dumps({"url": url, "files": files}))
    os.replace(tmp, meta_file)


def _is_fresh(local: Path, entry: dict | None, info: dict) -> bool:
    token = _token(info)
    if entry is None or token is None or entry.get("remote") != token:
        return False
    try:
        stat = local.stat()
    except OSError:
        return False
    size = int(info["size"])
    return (
        entry.get("size") == size == stat.st_size
        and entry.get("local_mtime_ns") == stat.st_mtime_ns
    )


def _entry(local: Path, info: dict) -> dict:
    return {
        "remote": _token(info),
        "size": int(info["size"]),
        "local_mtime_ns": local.stat().st_mtime_ns,
    }


def _download(
    fs: Any, pairs: list[tuple[str, Path]], desc: str, total: int, progress: bool
) -> None:
    """Fetch remote files into temporary siblings, then rename each into place."""
    tmps = [temp_sibling(local) for _, local in pairs]
    for tmp in tmps:
        tmp.parent.mkdir(parents=True, exist_ok=True)
    single = len(pairs) == 1
    callback = progress_callback(
        desc, unit="B" if single else "file", min_total=0, enabled=progress and total >= CHUNK
    )
    try:
        if single:
            fs.get_file(pairs[0][0], str(tmps[0]), callback=callback)
        else:
            fs.get([rpath for rpath, _ in pairs], [str(t) for t in tmps], callback=callback)
        for tmp, (_, local) in zip(tmps, pairs, strict=True):
            if local.is_dir() and not local.is_symlink():
                remove_local(local)  # a file replaces what used to be a folder
            move_into_place(tmp, local)
    except Exception as e:
        for tmp in tmps:
            remove_local(tmp)
        raise StorageError(
            f"cannot download '{desc.split(' ', 1)[-1]}': {e}; check credentials and the path, then retry"
        ) from e
    finally:
        callback.close()


def _sync_file(fs: Any, rpath: str, info: dict, local: Path, files: dict, progress: bool) -> bool:
    if _is_fresh(local, files.get(""), info):
        return False
    _download(fs, [(rpath, local)], f"downloading {local.name}", int(info["size"]), progress)
    files.clear()
    files[""] = _entry(local, info)
    return True


def _sync_dir(fs: Any, rpath: str, url: str, local: Path, files: dict, progress: bool) -> bool:
    base = rpath.rstrip("/")
    remote = {
        name[len(base) + 1 :]: info
        for name, info in fs.find(base, detail=True).items()
        if info.get("type") != "directory"
    }
    for rel in remote:
        _check_segments(rel.split("/"), f"{url}/{rel}")
    if local.exists() and not local.is_dir():
        remove_local(local)
    stale = [
        (rel, info)
        for rel, info in sorted(remote.items())
        if not _is_fresh(local / rel, files.get(rel), info)
    ]
    if stale:
        total = sum(int(info["size"]) for _, info in stale)
        _download(
            fs,
            [(f"{base}/{rel}", local / rel) for rel, _ in stale],
            f"downloading {local.name}",
            total,
            progress,
        )
    removed = _remove_extra_files(local, set(remote))
    new_files = {rel: files[rel] for rel in remote if rel in files}
    new_files.update({rel: _entry(local / rel, info) for rel, info in stale})
    files.clear()
    files.update(new_files)
    return bool(stale) or removed


def _remove_extra_files(local: Path, keep: set[str]) -> bool:
    """Delete cached files that are no longer in the remote folder."""
    removed = False
    for dirpath, _dirnames, filenames in os.walk(local):
        for name in filenames:
            file = Path(dirpath) / name
            if TMP_MARKER in name or file.relative_to(local).as_posix() not in keep:
                file.unlink()
                removed = True
    return removed


def _verify(local: Path, is_dir: bool, expected_hash: str, hash_type: str | None) -> None:
    if is_dir:
        actual, actual_type = hash_dir(local)[:2]
    else:
        actual, actual_type = hash_file(local)
        if hash_type == "md5" and actual_type == "sha1-fl":
            # LaminDB stores the full md5 (from the ETag) for large cloud objects
            actual, actual_type = md5_of_file(local), "md5"
    if hash_type is not None and hash_type != actual_type:
        return  # e.g. multipart ETag hashes ("md5-n"): not recomputable from content
    if actual != expected_hash:
        remove_local(local)
        raise HashMismatch(
            f"the downloaded content of '{local.name}' has hash {actual!r} ({actual_type}) but "
            f"{expected_hash!r} was expected; the cached copy was deleted. The remote data was "
            "changed outside lamin_lab: re-register it or restore the original"
        )


def cache(
    upath: Any,
    cache_dir: Any,
    expected_hash: str | None = None,
    hash_type: str | None = None,
    *,
    progress: bool = True,
) -> Path:
    """Make a cloud file or folder available locally and return the local path.

    Downloads only when the cached copy is missing or outdated (see module docstring).
    Local paths are returned as they are.

    Parameters
    ----------
    upath
        A cloud URL/UPath (or a local path, returned unchanged).
    cache_dir
        Root folder of the cache.
    expected_hash, hash_type
        If given, what was downloaded is hashed and compared. Hash types that
        cannot be recomputed from content (e.g. multipart ETags) are not checked.
    progress
        Show a progress bar for big downloads.

    Raises
    ------
    HashMismatch
        If the downloaded content does not have ``expected_hash`` (the bad copy is deleted).
    StorageError
        If the remote path does not exist or the download fails.

    Examples
    --------
    >>> from upath import UPath
    >>> _ = UPath("memory://bkt/c.txt").write_text("c")
    >>> cache("memory://bkt/c.txt", "/tmp/_lamin_lab_cache").read_text()
    'c'
    """
    path = to_path(upath)
    if not is_cloud(path):
        return path
    cache_dir = Path(cache_dir).expanduser()
    local = cache_path_for(path, cache_dir)
    fs, rpath, url = path.fs, path.path, _url(path)
    fs.invalidate_cache(rpath)  # ask the store itself, not fsspec's listing cache
    try:
        info = fs.info(rpath)
    except FileNotFoundError:
        raise StorageError(
            f"cannot cache '{url}': it does not exist in storage; check the path or key"
        ) from None
    except OSError as e:
        raise StorageError(
            f"cannot reach '{url}': {e}; check credentials and AWS_ENDPOINT_URL"
        ) from e
    meta_file = _meta_file(cache_dir, url)
    files = _read_meta(meta_file)
    is_dir = info.get("type") == "directory"
    if is_dir:
        fetched = _sync_dir(fs, rpath, url, local, files, progress)
    else:
        fetched = _sync_file(fs, rpath, info, local, files, progress)
    if fetched and expected_hash is not None:
        try:
            _verify(local, is_dir, expected_hash, hash_type)
        except HashMismatch:
            meta_file.unlink(missing_ok=True)
            raise
    if fetched:
        _write_meta(meta_file, url, files)
    return local


__all__ = ["cache", "cache_path_for"]

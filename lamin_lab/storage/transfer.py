"""Put local files and folders into local or cloud destinations; delete; measure.

Guarantees
----------
- **local destination**: atomic (temporary sibling, then rename; see :mod:`.atomic`).
- **cloud file**: one object is written by one PUT, or by a multipart upload that
  becomes visible only when it completes (s3fs aborts it on failure), so readers see
  the old object or the whole new one. After a failed upload of a new object we also
  delete whatever might be left at the key.
- **cloud folder**: object stores have no atomic multi-object write. Each file is
  atomic on its own; while the upload runs, a reader listing the prefix may see some
  files of the new folder. On failure the objects this call created are deleted again
  (objects that already existed and were overwritten cannot be restored). After a
  successful upload, objects under the destination that are not in the source folder
  are deleted, so the destination mirrors the source.

Examples
--------
>>> from pathlib import Path
>>> _ = Path("/tmp/_lamin_lab_put.txt").write_text("x")
>>> put("/tmp/_lamin_lab_put.txt", "memory://bucket/put.txt").read_text()
'x'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from lamin_lab.errors import InvalidArgument, StorageError
from lamin_lab.storage.atomic import atomic_copy, remove_local
from lamin_lab.storage.paths import is_cloud, to_path

PROGRESS_MIN_BYTES = 64 * 1024 * 1024
_CALLBACK_CLASS: Any = None


def progress_callback(
    desc: str, *, unit: str = "B", min_total: int = PROGRESS_MIN_BYTES, enabled: bool = True
) -> Any:
    """Return an fsspec callback that shows a ``tqdm.auto`` bar for big transfers.

    The bar appears only when the transfer's size reaches ``min_total`` and it has
    run for a second (``tqdm(delay=1)``).

    Examples
    --------
    >>> cb = progress_callback("uploading x", enabled=False)
    >>> cb.set_size(10); cb.relative_update(10); cb.close()
    """
    global _CALLBACK_CLASS
    if _CALLBACK_CLASS is None:
        from fsspec.callbacks import Callback  # lazy: fsspec is heavy

        class _TqdmCallback(Callback):
            def __init__(self, desc: str, unit: str, min_total: int, enabled: bool) -> None:
                super().__init__()
                self.desc, self.unit, self.min_total, self.enabled = desc, unit, min_total, enabled
                self.bar: Any = None

            def call(self, *args: Any, **kwargs: Any) -> None:
                if not self.enabled or self.size is None:
                    return
                if self.bar is None:
                    if self.size < self.min_total:
                        return
                    from tqdm.auto import tqdm

                    scale = self.unit == "B"
                    self.bar = tqdm(
                        total=self.size,
                        desc=self.desc,
                        unit=self.unit,
                        unit_scale=scale,
                        delay=1.0,
                        leave=False,
                    )
                self.bar.update(self.value - self.bar.n)

            def close(self) -> None:
                if self.bar is not None:
                    self.bar.close()

        _CALLBACK_CLASS = _TqdmCallback
    return _CALLBACK_CLASS(desc, unit, min_total, enabled)


def _local_files(folder: Path) -> list[tuple[Path, str, int]]:
    """``(path, posix key relative to folder, size)`` of every file below ``folder``."""
    out = []
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            file = Path(dirpath) / name
            out.append((file, file.relative_to(folder).as_posix(), file.stat().st_size))
    return sorted(out, key=lambda item: item[1])


def _quiet_rm(fs: Any, paths: Any) -> None:
    """Best-effort delete during cleanup: the original error is the one to report."""
    if not paths:
        return
    try:
        fs.rm(paths)
    except Exception:  # noqa: BLE001 - cleanup must not mask the real failure
        pass


def _upload_file(src: Path, dst: Any, progress: bool) -> None:
    fs, rpath = dst.fs, dst.path
    existed = fs.exists(rpath)
    callback = progress_callback(f"uploading {src.name}", enabled=progress)
    try:
        fs.put_file(str(src), rpath, callback=callback)
    except Exception as e:
        if not existed:
            _quiet_rm(fs, rpath)
        raise StorageError(
            f"cannot upload '{src}' to '{dst}': {e}; nothing new was left there, "
            "check credentials, the bucket name and AWS_ENDPOINT_URL, then retry"
        ) from e
    finally:
        callback.close()
        fs.invalidate_cache(rpath)


def _upload_dir(src: Path, dst: Any, progress: bool) -> None:
    fs, base = dst.fs, dst.path.rstrip("/")
    files = _local_files(src)
    if not files:
        raise InvalidArgument(f"folder '{src}' contains no files; nothing to upload")
    before = set(fs.find(base)) if fs.exists(base) else set()
    lpaths = [str(path) for path, _, _ in files]
    rpaths = [f"{base}/{key}" for _, key, _ in files]
    total = sum(size for _, _, size in files)
    callback = progress_callback(
        f"uploading {src.name}",
        unit="file",
        min_total=0,
        enabled=progress and total >= PROGRESS_MIN_BYTES,
    )
    try:
        fs.put(lpaths, rpaths, callback=callback)
    except Exception as e:
        fs.invalidate_cache(base)
        _quiet_rm(fs, [r for r in rpaths if r not in before])
        raise StorageError(
            f"cannot upload folder '{src}' to '{dst}': {e}; the files uploaded by this "
            "call were deleted again, check credentials and the bucket, then retry"
        ) from e
    finally:
        callback.close()
        fs.invalidate_cache(base)
    _quiet_rm(fs, sorted(before - set(rpaths)))  # mirror: drop files the source no longer has


def put(src: Any, dst: Any, *, progress: bool = True) -> Any:
    """Put a local file or folder at ``dst`` (local path or cloud URL), replacing it.

    Parameters
    ----------
    src
        A local file or folder.
    dst
        The destination path or URL (``s3://``, ``gs://``, ``memory://``, local).
    progress
        Show a progress bar for big transfers.

    Returns
    -------
    The destination as ``Path`` or ``UPath``.

    Raises
    ------
    StorageError
        If the transfer fails; see the module docstring for what is left behind.

    Examples
    --------
    >>> from pathlib import Path
    >>> _ = Path("/tmp/_lamin_lab_put2.txt").write_text("y")
    >>> put("/tmp/_lamin_lab_put2.txt", "/tmp/_lamin_lab_out/put2.txt").read_text()
    'y'
    """
    src_path, dst_path = to_path(src), to_path(dst)
    if is_cloud(src_path):
        raise InvalidArgument(
            f"put() copies local data, got '{src}'; call cache() on it first to get a local path"
        )
    if not src_path.exists():
        raise StorageError(f"cannot put '{src_path}': it does not exist; check the path")
    if not is_cloud(dst_path):
        return atomic_copy(src_path, dst_path)
    if src_path.is_dir():
        _upload_dir(src_path, dst_path, progress)
    else:
        _upload_file(src_path, dst_path, progress)
    return dst_path


def delete_path(path: Any, *, missing_ok: bool = True) -> bool:
    """Delete a local or cloud file or folder; return whether something was deleted.

    Raises
    ------
    StorageError
        If deletion fails, or if the path is missing and ``missing_ok`` is false.

    Examples
    --------
    >>> delete_path("/tmp/_lamin_lab_nothing_here")
    False
    """
    path = to_path(path)
    try:
        if is_cloud(path):
            fs, rpath = path.fs, path.path
            fs.invalidate_cache(rpath)
            found = fs.exists(rpath)
            if found:
                fs.rm(rpath, recursive=True)
                fs.invalidate_cache(rpath)
        else:
            found = path.exists() or path.is_symlink()
            remove_local(path)
    except Exception as e:
        raise StorageError(f"cannot delete '{path}': {e}; check permissions and retry") from e
    if not found and not missing_ok:
        raise StorageError(f"cannot delete '{path}': it does not exist; check the path")
    return found


def size_and_n_files(path: Any) -> tuple[int, int]:
    """Return ``(size in bytes, number of files)`` of a local or cloud file or folder.

    A file counts as one file.

    Examples
    --------
    >>> from pathlib import Path
    >>> _ = Path("/tmp/_lamin_lab_size.txt").write_bytes(b"abc")
    >>> size_and_n_files("/tmp/_lamin_lab_size.txt")
    (3, 1)
    """
    path = to_path(path)
    try:
        if is_cloud(path):
            fs, rpath = path.fs, path.path
            info = fs.info(rpath)
            if info.get("type") != "directory":
                return int(info["size"]), 1
            found = fs.find(rpath, detail=True)
            sizes = [int(i["size"]) for i in found.values() if i.get("type") != "directory"]
            return sum(sizes), len(sizes)
        if path.is_dir():
            sizes = [size for _, _, size in _local_files(path)]
            return sum(sizes), len(sizes)
        return path.stat().st_size, 1
    except FileNotFoundError:
        raise StorageError(f"'{path}' does not exist; check the path") from None
    except OSError as e:
        raise StorageError(f"cannot read the size of '{path}': {e}; check permissions") from e


__all__ = ["delete_path", "progress_callback", "put", "size_and_n_files"]

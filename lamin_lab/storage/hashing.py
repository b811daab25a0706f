"""Content hashes of files, bytes and folders, compatible with LaminDB's.

Definitions (``HASH_LENGTH`` = 22, ``CHUNK`` = 50 MiB, ``b64`` = url-safe base64
without ``=`` padding):

``"md5"``
    content of at most ``CHUNK`` bytes: ``b64(md5(content))[:22]``.
``"sha1-fl"``
    larger content ("first-last"): ``b64(sha1(sha1(first CHUNK bytes).digest() +
    sha1(last CHUNK bytes).digest()))[:22]``. Only 100 MiB are read, however large the
    file: a pseudo-hash that is cheap for big files.
``"md5-d"``
    a folder: hash every file as above (by content, names are not part of it),
    sort these hash strings, and take
    ``b64(md5(b"".join(md5(h.encode()).digest() for h in sorted(hashes))))[:22]``.
    Renaming or moving a file inside the folder therefore keeps the folder hash;
    adding, removing or editing a file changes it. An empty folder has no hash.

Reads go through one reusable buffer per thread (``BUFFER_SIZE``, 8 MiB) with
``readinto``; cloud files (s3, gs, memory, ...) are streamed through fsspec with
range reads, so nothing is downloaded whole. Hashing that takes longer than about a
second shows a ``tqdm.auto`` progress bar.

Examples
--------
>>> hash_bytes(b"a")
('DMF1ucDxtqgxw5niaXcmYQ', 'md5')
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from typing import Any
from collections.abc import Callable, Iterable

from lamin_lab.errors import InvalidArgument, StorageError
from lamin_lab.storage.paths import is_cloud, to_path

HASH_LENGTH = 22
CHUNK = 50 * 1024 * 1024
BUFFER_SIZE = 8 * 1024 * 1024
# Below this many bytes to read, hashing takes well under a second: no bar at all
# (creating a tqdm object costs more than hashing a small file).
PROGRESS_MIN_BYTES = 64 * 1024 * 1024

_local = threading.local()


def _buffer() -> memoryview:
    """A per-thread reusable read buffer (hash_dir hashes files in threads)."""
    buf = getattr(_local, "buffer", None)
    if buf is None:
        buf = _local.buffer = memoryview(bytearray(BUFFER_SIZE))
    return buf


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:HASH_LENGTH]


def hash_string(text: str) -> str:
    """Return the 22-character md5 hash of a string (utf-8).

    Examples
    --------
    >>> hash_string("abc")
    'kAFQmDzST7DWlj99KOF_cg'
    """
    return _b64(hashlib.md5(text.encode("utf-8")).digest())


def hash_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(hash, hash_type)`` of in-memory content, as for a file of that content.

    Examples
    --------
    >>> hash_bytes(b"abc")
    ('kAFQmDzST7DWlj99KOF_cg', 'md5')
    """
    view = memoryview(data)
    if len(view) <= CHUNK:
        return _b64(hashlib.md5(view).digest()), "md5"
    first = hashlib.sha1(view[:CHUNK]).digest()
    last = hashlib.sha1(view[-CHUNK:]).digest()
    return _b64(hashlib.sha1(first + last).digest()), "sha1-fl"


def hash_of_hashes(hashes: Iterable[str]) -> tuple[str, str]:
    """Combine per-file hashes into a folder hash ``(hash, "md5-d")``; order does not matter.

    Examples
    --------
    >>> hash_of_hashes(["b", "a"]) == hash_of_hashes(["a", "b"])
    True
    """
    joined = b"".join(hashlib.md5(h.encode("utf-8")).digest() for h in sorted(hashes))
    return _b64(hashlib.md5(joined).digest()), "md5-d"


class _Progress:
    """A byte counter that shows a tqdm bar only for work of ``PROGRESS_MIN_BYTES`` or more."""

    def __init__(self, total: int, desc: str, enabled: bool = True) -> None:
        self.bar = None
        if enabled and total >= PROGRESS_MIN_BYTES:
            from tqdm.auto import tqdm  # lazy: tqdm.auto probes for ipywidgets

            # delay=1: nothing is shown for work that finishes within a second
            self.bar = tqdm(
                total=total, desc=desc, unit="B", unit_scale=True, delay=1.0, leave=False
            )

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


SMALL_FILE = 1024 * 1024  # read small files in one call: no 8 MiB buffer for a 2 kB parquet file


def _feed(fp: Any, hasher: Any, n_bytes: int, progress: _Progress) -> None:
    """Read ``n_bytes`` from ``fp`` into ``hasher`` through the reusable buffer."""
    if n_bytes <= SMALL_FILE:
        data = fp.read(n_bytes)
        if len(data) < n_bytes:
            raise StorageError(
                f"file ended {n_bytes - len(data)} bytes early while hashing; it is being written "
                "or truncated: wait until it is complete, then retry"
            )
        hasher.update(data)
        progress.update(n_bytes)
        return
    buf = _buffer()
    remaining = n_bytes
    while remaining > 0:
        n = fp.readinto(buf[: min(BUFFER_SIZE, remaining)])
        if not n:
            raise StorageError(
                f"file ended {remaining} bytes early while hashing; it is being written "
                "or truncated: wait until it is complete, then retry"
            )
        hasher.update(buf[:n])
        remaining -= n
        progress.update(n)


def _hash_open_file(fp: Any, size: int, progress: _Progress) -> tuple[str, str]:
    if size <= CHUNK:
        md5 = hashlib.md5()
        _feed(fp, md5, size, progress)
        return _b64(md5.digest()), "md5"
    first, last = hashlib.sha1(), hashlib.sha1()
    _feed(fp, first, CHUNK, progress)
    fp.seek(size - CHUNK)
    _feed(fp, last, CHUNK, progress)
    return _b64(hashlib.sha1(first.digest() + last.digest()).digest()), "sha1-fl"


def _open_and_size(path: Any) -> tuple[Callable[[], Any], int]:
    """Return an opener for binary reading and the size of a local or cloud file."""
    path = to_path(path)
    try:
        if is_cloud(path):
            fs, fs_path = path.fs, path.path
            info = fs.info(fs_path)
            if info.get("type") == "directory":
                raise IsADirectoryError(fs_path)
            # cache_type="none": our buffer already batches reads into big ranges
            return (lambda: fs.open(fs_path, "rb", block_size=BUFFER_SIZE, cache_type="none")), int(
                info["size"]
            )
        if os.path.isdir(path):
            raise IsADirectoryError(path)
        return (lambda: open(path, "rb", buffering=0)), os.stat(path).st_size
    except IsADirectoryError:
        raise InvalidArgument(f"'{path}' is a folder; use hash_dir() for folders") from None
    except FileNotFoundError:
        raise StorageError(f"cannot hash '{path}': no such file; check the path") from None


def hash_file(path: Any, *, progress: bool = True) -> tuple[str, str]:
    """Return ``(hash, hash_type)`` of a local or cloud file (see module docstring).

    Parameters
    ----------
    path
        Local path or cloud URL/UPath of a file.
    progress
        Show a progress bar when hashing takes more than about a second.

    Examples
    --------
    >>> from pathlib import Path
    >>> _ = Path("/tmp/_lamin_lab_doc.txt").write_bytes(b"a")
    >>> hash_file("/tmp/_lamin_lab_doc.txt")
    ('DMF1ucDxtqgxw5niaXcmYQ', 'md5')
    """
    opener, size = _open_and_size(path)
    bar = _Progress(min(size, 2 * CHUNK), f"hashing {to_path(path).name}", enabled=progress)
    try:
        with opener() as fp:
            return _hash_open_file(fp, size, bar)
    except OSError as e:
        if isinstance(e, StorageError):
            raise
        raise StorageError(
            f"cannot read '{path}' for hashing: {e}; check permissions and the path"
        ) from e
    finally:
        bar.close()


def md5_of_file(path: Any, *, progress: bool = True) -> str:
    """Return the 22-character md5 of a whole file, however large.

    LaminDB records this (derived from the S3 ETag) with hash type ``"md5"`` for
    cloud files above ``CHUNK``; :func:`hash_file` gives ``"sha1-fl"`` for those.

    Examples
    --------
    >>> from pathlib import Path
    >>> _ = Path("/tmp/_lamin_lab_doc.txt").write_bytes(b"abc")
    >>> md5_of_file("/tmp/_lamin_lab_doc.txt")
    'kAFQmDzST7DWlj99KOF_cg'
    """
    opener, size = _open_and_size(path)
    bar = _Progress(size, f"hashing {to_path(path).name}", enabled=progress)
    md5 = hashlib.md5()
    try:
        with opener() as fp:
            _feed(fp, md5, size, bar)
    finally:
        bar.close()
    return _b64(md5.digest())


def _list_files(path: Any) -> list[tuple[Callable[[], Any], int]]:
    """Openers and sizes of all files below a local or cloud folder."""
    path = to_path(path)
    if is_cloud(path):
        fs = path.fs
        found = fs.find(path.path, detail=True)
        return [
            (
                (lambda p=p: fs.open(p, "rb", block_size=BUFFER_SIZE, cache_type="none")),
                int(info["size"]),
            )
            for p, info in sorted(found.items())
            if info.get("type") != "directory"
        ]
    files = []
    for dirpath, _dirnames, filenames in os.walk(path):
        for name in filenames:
            file = os.path.join(dirpath, name)
            files.append(((lambda f=file: open(f, "rb", buffering=0)), os.stat(file).st_size))
    return files


def hash_dir(path: Any, *, progress: bool = True) -> tuple[str, str, int, int]:
    """Return ``(hash, "md5-d", n_files, size)`` of a local or cloud folder.

    Files are hashed in a few threads (hashlib and file reads release the GIL).

    Raises
    ------
    InvalidArgument
        If the folder holds no files or does not exist.

    Examples
    --------
    >>> import os
    >>> os.makedirs("/tmp/_lamin_lab_doc_dir", exist_ok=True)
    >>> _ = open("/tmp/_lamin_lab_doc_dir/x.txt", "wb").write(b"a")
    >>> hash_dir("/tmp/_lamin_lab_doc_dir")[1:]
    ('md5-d', 1, 1)
    """
    if not is_cloud(path) and not os.path.isdir(to_path(path)):
        raise InvalidArgument(
            f"cannot hash '{path}': no such folder; check the path, or use hash_file() for a file"
        )
    try:
        files = _list_files(path)
    except FileNotFoundError:
        raise InvalidArgument(f"cannot hash '{path}': no such folder; check the path") from None
    if not files:
        raise InvalidArgument(
            f"folder '{path}' contains no files; add files or pass a file instead"
        )
    total = sum(size for _, size in files)
    to_read = sum(min(size, 2 * CHUNK) for _, size in files)
    bar = _Progress(to_read, f"hashing {to_path(path).name}", enabled=progress)

    def one(item: tuple[Callable[[], Any], int]) -> str:
        opener, size = item
        with opener() as fp:
            return _hash_open_file(fp, size, bar)[0]

    workers = min(len(files), 8 if is_cloud(path) else 4)
    try:
        from concurrent.futures import ThreadPoolExecutor  # threads only for folders

        with ThreadPoolExecutor(max_workers=workers) as pool:
            hashes = list(pool.map(one, files))
    except OSError as e:
        if isinstance(e, StorageError):
            raise
        raise StorageError(
            f"cannot read a file in '{path}' for hashing: {e}; check permissions"
        ) from e
    finally:
        bar.close()
    digest, hash_type = hash_of_hashes(hashes)
    return digest, hash_type, len(files), total


__all__ = [
    "BUFFER_SIZE",
    "CHUNK",
    "HASH_LENGTH",
    "hash_bytes",
    "hash_dir",
    "hash_file",
    "hash_of_hashes",
    "hash_string",
    "md5_of_file",
]

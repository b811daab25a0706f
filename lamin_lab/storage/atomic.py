"""Atomic writes on the local file system.

A file or folder is first written under a hidden temporary sibling name
(``.<name>.lamin-tmp-<random>``, same folder, hence same file system) and then
renamed into place with :func:`os.replace`. Readers therefore see either the old
content or the complete new content, never a half-written file; after a failure
the temporary sibling is removed and the destination is untouched.

Replacing an existing *folder* takes two renames (old folder aside, new folder in),
so for a moment the destination does not exist; it is never half-written.
Data is not fsync-ed: the guarantee is about concurrent readers and failures of
the writing process, not power loss.

Examples
--------
>>> from pathlib import Path
>>> src = Path("/tmp/_lamin_lab_atomic_src.txt"); _ = src.write_text("hi")
>>> atomic_copy(src, "/tmp/_lamin_lab_atomic_dst.txt").read_text()
'hi'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from lamin_lab.errors import StorageError

TMP_MARKER = ".lamin-tmp-"
_COPY_BUFFER = 8 * 1024 * 1024
_PROGRESS_MIN_BYTES = 64 * 1024 * 1024


def temp_sibling(path: Any, *, keep_suffix: bool = False) -> Path:
    """Return an unused hidden temporary name next to ``path``.

    With ``keep_suffix`` the name still ends like ``path`` (``.lamin-tmp-<random>-file.h5ad``),
    for writers that look at the suffix.

    Examples
    --------
    >>> temp_sibling("/data/file.csv").name.startswith(".file.csv.lamin-tmp-")
    True
    >>> temp_sibling("/data/file.csv", keep_suffix=True).name.endswith("-file.csv")
    True
    """
    path = Path(path)
    token = os.urandom(4).hex()
    if keep_suffix:
        return path.parent / f"{TMP_MARKER}{token}-{path.name}"
    return path.parent / f".{path.name}{TMP_MARKER}{token}"


def remove_local(path: Any) -> None:
    """Remove a local file, symlink or folder if it exists (no error when missing).

    Examples
    --------
    >>> remove_local("/tmp/_lamin_lab_does_not_exist")
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        import shutil  # stdlib, but it pulls in bz2/lzma: only when needed

        shutil.rmtree(path, ignore_errors=False)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _copy_file(src: Path, dst: Path) -> None:
    """Copy file content (kernel copy for small files, buffered with a bar for big ones)."""
    size = src.stat().st_size
    if size < _PROGRESS_MIN_BYTES:
        import shutil

        shutil.copyfile(src, dst)
        return
    from tqdm.auto import tqdm  # lazy

    buf = memoryview(bytearray(_COPY_BUFFER))
    with (
        open(src, "rb", buffering=0) as fin,
        open(dst, "wb") as fout,
        tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc=f"copying {src.name}",
            delay=1.0,
            leave=False,
        ) as bar,
    ):
        while n := fin.readinto(buf):
            fout.write(buf[:n])
            bar.update(n)


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy a folder file by file with :func:`_copy_file` (symlinks are followed)."""
    for dirpath, _dirnames, filenames in os.walk(src):
        target_dir = dst / Path(dirpath).relative_to(src)
        target_dir.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            _copy_file(Path(dirpath) / name, target_dir / name)


def move_into_place(tmp: Any, dst: Any) -> Path:
    """Rename a finished temporary file or folder ``tmp`` to ``dst``, replacing it.

    Files are replaced in one :func:`os.replace`. An existing folder (or a file where
    a folder goes and vice versa) is first renamed aside and deleted afterwards; if
    the second rename fails the old content is put back.

    Examples
    --------
    >>> from pathlib import Path
    >>> _ = Path("/tmp/_lamin_lab_tmp_move").write_text("x")
    >>> move_into_place("/tmp/_lamin_lab_tmp_move", "/tmp/_lamin_lab_moved").read_text()
    'x'
    """
    tmp, dst = Path(tmp), Path(dst)
    dst_present = dst.exists() or dst.is_symlink()
    if not dst_present or (not tmp.is_dir() and not dst.is_dir()):
        os.replace(tmp, dst)  # one atomic step
        return dst
    aside = temp_sibling(dst)
    os.replace(dst, aside)
    try:
        os.replace(tmp, dst)
    except BaseException:
        os.replace(aside, dst)
        raise
    remove_local(aside)
    return dst


def atomic_copy(src: Any, dst: Any) -> Path:
    """Copy a local file or folder to ``dst`` atomically (temporary sibling + rename).

    Parent folders of ``dst`` are created. An existing ``dst`` is replaced.

    Raises
    ------
    StorageError
        If ``src`` does not exist or copying fails; nothing is left at ``dst``
        (an existing ``dst`` keeps its old content).

    Examples
    --------
    >>> from pathlib import Path
    >>> _ = Path("/tmp/_lamin_lab_a.txt").write_text("a")
    >>> atomic_copy("/tmp/_lamin_lab_a.txt", "/tmp/_lamin_lab_sub/b.txt").read_text()
    'a'
    """
    src, dst = Path(src), Path(dst)
    if not src.exists():
        raise StorageError(f"cannot copy '{src}': it does not exist; check the path")
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StorageError(f"cannot create folder '{dst.parent}': {e}; check permissions") from e
    tmp = temp_sibling(dst)
    try:
        if src.is_dir():
            _copy_tree(src, tmp)
        else:
            _copy_file(src, tmp)
        return move_into_place(tmp, dst)
    except BaseException as e:
        try:
            remove_local(tmp)
        except OSError:
            pass  # best effort: the original error is the one to report
        if isinstance(e, Exception):
            raise StorageError(
                f"cannot copy '{src}' to '{dst}': {e}; nothing was written there, "
                "check free space and permissions, then retry"
            ) from e
        raise


__all__ = ["atomic_copy", "move_into_place", "remove_local", "temp_sibling"]

"""Folder trees as text: ``ln.UPath(path).view_tree()`` as LaminDB prints it.

The text: a counts line (``2 sub-directories & 3 files with suffixes '.csv', '.txt'``),
the resolved folder, then one line per entry drawn with ``├──``, ``│``, ``└──``; folders
end with ``/``. Only ``level`` levels are walked and counted; entries appear in the order
the file system lists them; after ``n_max_files_per_dir_and_type`` files of one suffix in a
folder a ``...`` line stands for the rest; after ``n_max_files`` lines the tree is cut with
``... only showing N out of M files``.

``ln.UPath`` is universal_pathlib's class: :func:`upath_class` gives its paths (and the
local ones, ``PosixUPath``) a ``view_tree`` method, as LaminDB does; ``pathlib.Path`` is
left alone.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.csv").write_text("1")
>>> print(file_tree(d)[0].splitlines()[0])
0 sub-directories & 1 files with suffixes '.csv'
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice
from typing import Any

from ..errors import InvalidArgumentType, PathDoesNotExist, PathIsNotAFolder
from .paths import suffix_of

_SPACE, _BRANCH, _TEE, _LAST = "    ", "│   ", "├── ", "└── "


def file_tree(
    path: Any,
    *,
    level: int = -1,
    only_dirs: bool = False,
    n_max_files_per_dir_and_type: int = 100,
    n_max_files: int = 1000,
    include_paths: set[Any] | None = None,
    skip_suffixes: list[str] | None = None,
) -> tuple[str, int]:
    """The tree of the folder ``path`` as text, and the number of files counted.

    Parameters
    ----------
    path
        A local or cloud folder (a ``Path`` or a ``UPath``).
    level
        How many levels to walk: ``1`` the folder's own entries, ``-1`` all.
    only_dirs
        List folders only.
    n_max_files_per_dir_and_type
        Files of one suffix shown per folder before a ``...`` line.
    n_max_files
        Lines shown in all (the count goes on).
    include_paths
        Show only these paths (and the folders above them).
    skip_suffixes
        Do not walk into folders whose name ends with one of these (e.g. ``[".zarr"]``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "sub").mkdir(); _ = (d / "sub" / "x.txt").write_text("x")
    >>> print("\\n".join(file_tree(d)[0].splitlines()[2:]))
    └── sub/
        └── x.txt
    """
    path = _as_path(path)
    _check_folder(path)
    counts = {"files": 0, "dirs": 0}
    suffixes: dict[str, None] = {}  # in the order first seen (LaminDB: a set, in no fixed order)
    include = set(include_paths or ())
    include_dirs = {d for p in include for d in p.parents}
    skip = tuple(skip_suffixes or ())

    def walk(folder: Any, prefix: str, depth: int) -> Iterator[str]:
        if depth == 0:
            return
        own = folder.as_posix().rstrip("/")
        if skip and own.endswith(skip):
            return
        entries = [c for c in folder.iterdir() if c.as_posix().rstrip("/") != own]
        if only_dirs:
            entries = [c for c in entries if c.is_dir()]
        pointers = [_TEE] * (len(entries) - 1) + [_LAST]
        per_suffix: dict[str, int] = defaultdict(int)
        for pointer, child in zip(
            pointers, entries, strict=False
        ):  # an empty folder: one pointer, no entry
            if child.is_dir():
                if include_dirs and child not in include_dirs:
                    continue
                yield prefix + pointer + child.name + "/"
                counts["dirs"] += 1
                per_suffix = defaultdict(
                    int
                )  # as LaminDB: a sub-folder restarts the per-type count
                yield from walk(child, prefix + (_BRANCH if pointer == _TEE else _SPACE), depth - 1)
            elif not only_dirs:
                if include and child not in include:
                    continue
                suffix = suffix_of(child.name)
                suffixes.setdefault(suffix)
                per_suffix[suffix] += 1
                counts["files"] += 1
                if per_suffix[suffix] == n_max_files_per_dir_and_type:
                    yield prefix + "..."
                elif per_suffix[suffix] < n_max_files_per_dir_and_type:
                    yield prefix + pointer + child.name

    lines = walk(path, "", level)
    body = "".join(f"\n{line}" for line in islice(lines, n_max_files))
    if next(lines, None) is not None:  # counted up to here, as LaminDB's message does
        body += f"\n... only showing {n_max_files} out of {counts['files']} files"
    dirs = "sub-directory" if counts["dirs"] == 1 else "sub-directories"
    listed = ", ".join(repr(s) for s in suffixes)
    with_suffixes = f" with suffixes {listed}" if counts["files"] > 0 else ""
    head = f"{counts['dirs']} {dirs} & {counts['files']} files{with_suffixes}"
    return f"{head}\n{path.resolve()}{body}", counts["files"]


def view_tree(
    path: Any,
    *,
    level: int = 2,
    only_dirs: bool = False,
    n_max_files_per_dir_and_type: int = 100,
    n_max_files: int = 1000,
    include_paths: set[Any] | None = None,
    skip_suffixes: list[str] | None = None,
) -> None:
    """Print the tree of a folder (two levels by default; ``level=-1`` for all).

    Examples
    --------
    >>> import tempfile, lamin_lab as ln
    >>> d = ln.UPath(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("1")
    >>> d.view_tree()  # doctest: +ELLIPSIS
    0 sub-directories & 1 files with suffixes '.csv'
    /...
    └── a.csv
    """
    text, _ = file_tree(
        path,
        level=level,
        only_dirs=only_dirs,
        n_max_files_per_dir_and_type=n_max_files_per_dir_and_type,
        n_max_files=n_max_files,
        include_paths=include_paths,
        skip_suffixes=skip_suffixes,
    )
    print(text)


def _as_path(path: Any) -> Any:
    """A path object for a string too (``ln.UPath.view_tree("folder")`` passes one)."""
    if hasattr(path, "iterdir"):
        return path
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgumentType(f"view_tree() takes a folder path, not {type(path).__name__}.")
    return upath_class()(os.fspath(path))


def _check_folder(path: Any) -> None:
    if not path.exists():
        raise PathDoesNotExist(f"{path} does not exist: pass an existing folder to view its tree.")
    if not path.is_dir():
        raise PathIsNotAFolder(
            f"{path} is a file: view_tree() shows a folder; pass its parent ({path.parent}) instead."
        )


def upath_class() -> type:
    """universal_pathlib's ``UPath``, its paths given :func:`view_tree` as a method (as in LaminDB).

    Examples
    --------
    >>> upath_class()("/tmp").view_tree  # doctest: +ELLIPSIS
    <bound method view_tree of ...>
    """
    from upath import UPath  # fsspec and universal_pathlib are heavy: only on first use
    from upath.implementations.local import LocalPath

    for cls in (UPath, LocalPath):
        if "view_tree" not in cls.__dict__:
            cls.view_tree = view_tree  # type: ignore[attr-defined]
    return UPath

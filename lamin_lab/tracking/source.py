"""What identifies a transform: its key, title, source code and source hash.

Notebooks are read as plain JSON (nbformat 4) rather than through ``nbformat``,
which would validate against a JSON schema and cost far more than the read.

Normalisation of a notebook's code (what :func:`source_code` returns and
:func:`source_hash` hashes), defined precisely:

1. take the code cells in order; markdown and raw cells, outputs, execution
   counts and all metadata are ignored;
2. in each cell, convert ``\\r\\n`` and ``\\r`` to ``\\n``, strip trailing
   whitespace from every line, and drop leading and trailing blank lines;
3. drop cells that are empty after step 2;
4. write each remaining cell as ``"# %%\\n" + cell + "\\n"`` and join them with
   ``"\\n"`` (a blank line between cells): a percent-format Python script.

A script's hash is the hash of its bytes as they are on disk.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Literal

from lamin_lab.errors import InvalidArgument
from lamin_lab.storage.hashing import hash_bytes

_CELL_MARKER = "# %%"
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_H1 = re.compile(r"^\s{0,3}#[ \t]+(?P<text>.+?)(?:[ \t]+#+)?[ \t]*$")


def _b64_md5(data: bytes) -> str:
    # The storage layer's content hash, so that a source or an environment text
    # hashes as a file of the same bytes would (md5 up to 50 MiB, as ARCHITECTURE.md).
    return hash_bytes(data)[0]


def find_project_root(path: str | os.PathLike) -> Path | None:
    """Return the nearest folder at or above ``path`` that holds a ``.git`` entry.

    ``.git`` may be a folder or, in worktrees and submodules, a file.

    Parameters
    ----------
    path
        A file or folder.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()).resolve()
    >>> (root / ".git").mkdir()
    >>> find_project_root(root / "sub" / "a.py") == root
    True
    """
    start = Path(path).expanduser().resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def transform_key(path: str | os.PathLike) -> str:
    """Return a file's key: its path inside the git project, else its file name.

    Parameters
    ----------
    path
        The notebook or script.

    Examples
    --------
    >>> import tempfile
    >>> transform_key(Path(tempfile.mkdtemp()) / "analysis.ipynb")
    'analysis.ipynb'
    """
    resolved = Path(path).expanduser().resolve()
    root = find_project_root(resolved.parent)
    if root is None:
        return resolved.name
    return resolved.relative_to(root).as_posix()


def read_notebook(nb_path: str | os.PathLike) -> dict[str, Any]:
    """Read a notebook file as a JSON dict (nbformat 4).

    Raises
    ------
    InvalidArgument
        When the file is not a readable nbformat-4 notebook.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> _ = p.write_text('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}')
    >>> read_notebook(p)["cells"]
    []
    """
    try:
        nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidArgument(
            f"Cannot read the notebook {str(nb_path)!r} ({error}). Check that the "
            "path points to a saved .ipynb file."
        ) from None
    if not isinstance(nb, dict) or nb.get("nbformat") != 4:
        raise InvalidArgument(
            f"{str(nb_path)!r} is not an nbformat-4 notebook. Open and save it in "
            "a current JupyterLab to upgrade it."
        )
    return nb


def _cell_text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def normalize_code(code: str) -> str:
    """Normalise one cell's code: unify newlines, strip line ends and blank edges.

    Examples
    --------
    >>> normalize_code("\\n\\nx = 1   \\r\\ny = 2\\n\\n")
    'x = 1\\ny = 2'
    """
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def code_cells(nb_path: str | os.PathLike) -> list[str]:
    """Return the normalised, non-empty code cells of a notebook, in order.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> cells = [{"cell_type": "code", "source": ["x = 1  \\n"], "metadata": {}}]
    >>> _ = p.write_text(json.dumps({"nbformat": 4, "cells": cells}))
    >>> code_cells(p)
    ['x = 1']
    """
    cells = read_notebook(nb_path).get("cells", [])
    texts = (normalize_code(_cell_text(c)) for c in cells if c.get("cell_type") == "code")
    return [text for text in texts if text]


def notebook_title(nb_path: str | os.PathLike) -> str | None:
    """Return the text of the notebook's first level-1 markdown heading (``# ...``).

    Headings inside fenced code blocks do not count; a closing ``#`` run is removed.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> cells = [{"cell_type": "markdown", "source": "# My analysis\\ntext"}]
    >>> _ = p.write_text(json.dumps({"nbformat": 4, "cells": cells}))
    >>> notebook_title(p)
    'My analysis'
    """
    for cell in read_notebook(nb_path).get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        in_fence = False
        for line in _cell_text(cell).splitlines():
            if _FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and (match := _H1.match(line)):
                return match.group("text").strip()
    return None


def source_code(path: str | os.PathLike, kind: Literal["notebook", "script"]) -> str:
    """Return the source code: a script's text, or a notebook's code cells.

    A notebook becomes a percent-format script, each code cell after a ``# %%``
    marker (see the module docstring for the exact normalisation).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> cells = [{"cell_type": "code", "source": "a = 1"},
    ...          {"cell_type": "code", "source": "print(a)"}]
    >>> _ = p.write_text(json.dumps({"nbformat": 4, "cells": cells}))
    >>> print(source_code(p, "notebook"))
    # %%
    a = 1
    <BLANKLINE>
    # %%
    print(a)
    <BLANKLINE>
    """
    if kind == "notebook":
        return "\n".join(f"{_CELL_MARKER}\n{cell}\n" for cell in code_cells(path))
    if kind == "script":
        return Path(path).read_text(encoding="utf-8", errors="replace")
    raise InvalidArgument(f"kind must be 'notebook' or 'script', not {kind!r}.")


def source_hash(path: str | os.PathLike, kind: Literal["notebook", "script"]) -> str:
    """Return the 22-character md5 hash of the source code.

    Notebooks hash :func:`source_code` (so outputs, execution counts, metadata and
    trailing whitespace do not matter); scripts hash their bytes on disk.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "s.py"
    >>> _ = p.write_bytes(b"abc")
    >>> source_hash(p, "script")
    'kAFQmDzST7DWlj99KOF_cg'
    """
    if kind == "script":
        return _b64_md5(Path(path).read_bytes())
    return _b64_md5(source_code(path, kind).encode("utf-8"))

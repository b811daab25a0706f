"""A notebook's run report (HTML) and the check that it was saved before finishing.

Why the freshness rule compares code rather than file times: a notebook run by
``nbconvert`` or ``papermill`` is older than its run (it was saved before the run
and never again), and JupyterLab's autosave rewrites the file at any moment.
What proves that the file holds the code that ran is the code itself: the cell
that calls ``ln.finish()`` is the last one written, so if it is among the saved
code cells, the user saved after writing it. Comparing every executed cell with
the saved cells would be stricter but wrong: a cell run, then edited and run
again, leaves its first version only in the kernel's history.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from lamin_lab.errors import NotebookNotSaved

from .source import code_cells, normalize_code, read_notebook, source_hash

_SAVE_HINT = (
    "Save the notebook (Ctrl+S / Cmd+S, or File > Save Notebook), then call `ln.finish()` again."
)


def notebook_report_html(nb_path: str | os.PathLike) -> str:
    """Render a notebook with its outputs as a standalone HTML page.

    Uses nbconvert's HTML exporter (``lab`` template). Export reads only local
    files; the page refers to MathJax and require.js on a CDN, so math renders
    only when viewed online, everything else offline.

    Parameters
    ----------
    nb_path
        A saved notebook.

    Examples
    --------
    >>> html = notebook_report_html("analysis.ipynb")  # doctest: +SKIP
    >>> html.startswith("<!DOCTYPE html>")  # doctest: +SKIP
    True
    """
    from nbconvert import HTMLExporter  # heavy (~0.5 s): only when a report is made

    body, _resources = HTMLExporter().from_filename(str(nb_path))
    return body


def running_cell_code() -> str | None:
    """Return the code of the cell the IPython kernel is executing, if any.

    IPython stores a cell's raw input in its history before running it, so while a
    cell runs, it is the last entry.

    Examples
    --------
    >>> running_cell_code() is None  # outside IPython
    True
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if not history or len(history) < 2:  # entry 0 is always the empty string
        return None
    return history[-1]


def _as_timestamp(moment: datetime | float) -> float:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    return float(moment)


def check_notebook_fresh(
    nb_path: str | os.PathLike,
    *,
    running_cell: str | None = None,
    started_at: datetime | float | None = None,
    expected_code_hash: str | None = None,
) -> None:
    """Raise unless the notebook file on disk holds the code that ran.

    The rules, each applied when its input is known:

    - ``running_cell`` (default: the kernel's executing cell, see
      :func:`running_cell_code`): its code, normalised, must be one of the saved
      code cells;
    - ``expected_code_hash``: the saved code cells must hash to it
      (:func:`~lamin_lab.tracking.source.source_hash`);
    - ``started_at`` (naive datetimes are UTC), used only when no running cell is
      known: the file must have been written at or after it.

    Do not call it for headless runs (``RunningFile.headless``): they ran the
    saved file as it is.

    Raises
    ------
    NotebookNotSaved
        With the rule that failed and what to do.

    Examples
    --------
    >>> check_notebook_fresh("analysis.ipynb", running_cell="ln.finish()")  # doctest: +SKIP
    """
    path = Path(nb_path)
    cell = running_cell if running_cell is not None else running_cell_code()
    cell = normalize_code(cell) if cell is not None else None
    if cell and cell not in code_cells(path):
        raise NotebookNotSaved(
            f"The cell that is running is not in the saved notebook {path.name!r}: "
            f"the file on disk is older than your last edits. {_SAVE_HINT}"
        )
    if expected_code_hash is not None and source_hash(path, "notebook") != expected_code_hash:
        raise NotebookNotSaved(
            f"The code cells saved in {path.name!r} differ from the code that ran. {_SAVE_HINT}"
        )
    if not cell and started_at is not None:
        modified = path.stat().st_mtime
        if modified < _as_timestamp(started_at):
            saved = datetime.fromtimestamp(modified, timezone.utc).strftime("%H:%M:%S")
            raise NotebookNotSaved(
                f"{path.name!r} was last saved at {saved} UTC, before this run "
                f"started. {_SAVE_HINT}"
            )


def out_of_order_cells(nb_path: str | os.PathLike) -> list[tuple[int | None, int | None]]:
    """The jumps in a saved notebook's execution counts: ``(previous, this)`` pairs.

    A notebook run top to bottom once numbers its code cells 1, 2, 3, ...; any other
    step (a cell skipped, run twice, or run before the one above it) is a jump. The
    cell that calls ``ln.finish()`` and empty cells are not counted, and a last cell
    that never ran (count None) neither: it is typically the one still running. A
    file with no counts at all was saved unexecuted: nothing to say.

    Examples
    --------
    >>> import json, tempfile
    >>> p = Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> cells = [{"cell_type": "code", "source": s, "execution_count": n, "metadata": {}, "outputs": []}
    ...          for s, n in (("a = 1", 1), ("b = 2", 3), ("ln.finish()", None))]
    >>> _ = p.write_text(json.dumps({"nbformat": 4, "cells": cells}))
    >>> out_of_order_cells(p)
    [(1, 3)]
    """
    jumps: list[tuple[int | None, int | None]] = []
    previous: int | None = 0
    count: int | None = 0
    any_ran = False
    for cell in read_notebook(nb_path).get("cells", []):
        text = cell.get("source", "")
        text = "".join(text) if isinstance(text, list) else text
        if cell.get("cell_type") != "code" or not text.strip() or ".finish(" in text:
            continue
        count = cell.get("execution_count")
        any_ran = any_ran or count is not None
        if count is None or previous is None or count - previous != 1:
            jumps.append((previous, count))
        previous = count
    if jumps and count is None:
        jumps.pop()
    if not any_ran:
        return []  # no count at all: the file was saved unexecuted, which says nothing about order
    return jumps

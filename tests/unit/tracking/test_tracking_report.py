"""Run report HTML and the notebook-saved check."""

from __future__ import annotations

import socket
import time
from datetime import datetime, timezone

import nbclient
import nbformat
import pytest
from tracking_helpers import notebook_json

from lamin_lab.errors import NotebookNotSaved
from lamin_lab.tracking.report import check_notebook_fresh, notebook_report_html
from lamin_lab.tracking.source import source_hash


@pytest.fixture
def executed_notebook(tmp_path):
    """A notebook run with nbclient and saved with its outputs."""
    nb = nbformat.from_dict(
        notebook_json([("markdown", "# QC report"), ("code", "print('cells kept: 4211')")])
    )
    nbclient.NotebookClient(nb, kernel_name="python3").execute()
    path = tmp_path / "qc.ipynb"
    nbformat.write(nb, path)
    return path


def test_report_html_contains_outputs(executed_notebook):
    html = notebook_report_html(executed_notebook)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "cells kept: 4211" in html
    assert "QC report" in html


def test_report_html_needs_no_network(executed_notebook, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert "cells kept: 4211" in notebook_report_html(executed_notebook)


def test_running_cell_missing_from_file_raises(tmp_path, write_notebook):
    path = write_notebook(tmp_path / "a.ipynb", [("code", "x = 1")])
    with pytest.raises(NotebookNotSaved) as raised:
        check_notebook_fresh(path, running_cell="x = 1\nln.finish()")
    message = str(raised.value)
    assert "not in the saved notebook 'a.ipynb'" in message
    assert "Save the notebook (Ctrl+S / Cmd+S" in message and "`ln.finish()` again" in message


def test_running_cell_in_file_passes(tmp_path, write_notebook):
    path = write_notebook(tmp_path / "a.ipynb", [("code", "x = 1"), ("code", "ln.finish()")])
    assert check_notebook_fresh(path, running_cell="ln.finish()  \n") is None


def test_file_older_than_run_raises_when_no_cell_known(tmp_path, write_notebook):
    path = write_notebook(tmp_path / "a.ipynb", [("code", "x = 1")])
    with pytest.raises(NotebookNotSaved, match="before this run started. Save the notebook"):
        check_notebook_fresh(path, started_at=time.time() + 60)


def test_file_written_after_start_passes(tmp_path, write_notebook):
    started = datetime.now(timezone.utc).replace(microsecond=0).timestamp() - 60
    path = write_notebook(tmp_path / "a.ipynb", [("code", "x = 1")])
    assert check_notebook_fresh(path, started_at=started) is None


def test_expected_code_hash_mismatch_raises(tmp_path, write_notebook):
    path = write_notebook(tmp_path / "a.ipynb", [("code", "x = 1")])
    ran = write_notebook(tmp_path / "ran.ipynb", [("code", "x = 2")])
    with pytest.raises(NotebookNotSaved, match="differ from the code that ran"):
        check_notebook_fresh(path, expected_code_hash=source_hash(ran, "notebook"))


CHECK_CELL = """\
from lamin_lab.tracking.report import check_notebook_fresh
try:
    check_notebook_fresh({path!r})
    print("FRESH")
except Exception as error:
    print(type(error).__name__, error)
"""


def _run_check_in_kernel(tmp_path, edit_after_save: bool) -> str:
    path = tmp_path / "live.ipynb"
    cells = [("code", "x = 1"), ("code", CHECK_CELL.format(path=str(path)))]
    nb = nbformat.from_dict(notebook_json(cells))
    nbformat.write(nb, path)
    if edit_after_save:  # the user edits the check cell but does not save
        nb.cells[1].source = "y = 2\n" + nb.cells[1].source
    nbclient.NotebookClient(nb, kernel_name="python3").execute()
    return nb.cells[1].outputs[0]["text"]


def test_kernel_history_matches_saved_notebook(tmp_path):
    assert _run_check_in_kernel(tmp_path, edit_after_save=False) == "FRESH\n"


def test_kernel_history_detects_unsaved_edit(tmp_path):
    printed = _run_check_in_kernel(tmp_path, edit_after_save=True)
    assert printed.startswith("NotebookNotSaved The cell that is running is not in the saved")

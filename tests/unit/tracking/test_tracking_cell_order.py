"""``ln.finish(ignore_non_consecutive=)``: notebooks whose cells ran out of order."""

from __future__ import annotations

import json
import logging

import pytest

from lamin_lab.tracking.report import out_of_order_cells


def _notebook(path, counts, last="ln.finish()"):
    cells = [
        {
            "cell_type": "code",
            "id": f"c{i}",
            "source": f"x{i} = {i}",
            "execution_count": n,
            "metadata": {},
            "outputs": [],
        }
        for i, n in enumerate(counts)
    ]
    cells.append(
        {
            "cell_type": "code",
            "id": "last",
            "source": last,
            "execution_count": None,
            "metadata": {},
            "outputs": [],
        }
    )
    path.write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})
    )
    return path


def test_cells_run_in_order_have_no_jumps(tmp_path):
    assert out_of_order_cells(_notebook(tmp_path / "a.ipynb", [1, 2, 3])) == []


def test_a_skipped_count_is_a_jump(tmp_path):
    assert out_of_order_cells(_notebook(tmp_path / "a.ipynb", [1, 3])) == [(1, 3)]


def test_a_cell_run_before_the_one_above_is_a_jump(tmp_path):
    assert out_of_order_cells(_notebook(tmp_path / "a.ipynb", [2, 1])) == [(0, 2), (2, 1)]


def test_an_unexecuted_notebook_has_no_jumps(tmp_path):
    assert out_of_order_cells(_notebook(tmp_path / "a.ipynb", [None, None])) == []


def test_finish_warns_about_cells_out_of_order(ln, tracking, tmp_path, caplog):
    path = _notebook(tmp_path / "nb.ipynb", [1, 3])
    tracking.track(path=path)
    with caplog.at_level(logging.WARNING, logger="lamin_lab"):
        run = tracking.finish()
    assert (run.finished_at is not None, "did not run in order" in caplog.text) == (True, True)


def test_finish_ignore_non_consecutive_false_refuses(ln, tracking, tmp_path):
    from lamin_lab.errors import InvalidArgument

    tracking.track(path=_notebook(tmp_path / "nb.ipynb", [1, 3]))
    with pytest.raises(InvalidArgument, match="ignore_non_consecutive=True"):
        tracking.finish(ignore_non_consecutive=False)
    assert ln.Run.filter().one().finished_at is None


def test_finish_ignore_non_consecutive_true_does_not_warn(ln, tracking, tmp_path, caplog):
    tracking.track(path=_notebook(tmp_path / "nb.ipynb", [1, 3]))
    with caplog.at_level(logging.WARNING, logger="lamin_lab"):
        tracking.finish(ignore_non_consecutive=True)
    assert "did not run in order" not in caplog.text

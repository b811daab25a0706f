"""The differential suite's session fixture: every scenario run once on each backend.

lamindb 2.12.1 runs in its own venv (``<repo>/.venv-lamindb``, made by ``scripts/test.sh``;
``LAMIN_LAB_LAMINDB_PYTHON`` names another interpreter). Both backends' runner
subprocesses run concurrently, ``LAMIN_LAB_COMPAT_CHUNKS`` processes each (default 2:
303 scenarios on 2 busy cores took 19 s of wall time with 1 and 16-17 s with 2), with
``LAMIN_LAB_COMPAT_TIMEOUT`` seconds per scenario (default 60).
"""

from __future__ import annotations

import json
import os

import pytest

from tests.compat._harness import supervise

_TIMINGS: dict = {}


def lamindb_or_fail():
    """lamindb's interpreter; fails the test (never skips) when the venv is missing."""
    python = supervise.lamindb_python()
    if not python.exists():
        pytest.fail(
            f"lamindb 2.12.1's venv is missing ({python}): run `bash scripts/test.sh`, which "
            "creates .venv-lamindb, or set LAMIN_LAB_LAMINDB_PYTHON to its interpreter.",
            pytrace=False,
        )
    return python


@pytest.fixture(scope="session")
def compat_results(tmp_path_factory, request):
    """``{"lamindb": {...}, "lamin_lab": {...}}`` with ``obs`` per selected scenario id.

    Only the scenarios this session selected run (``-k name`` runs one on each side).
    """
    python = lamindb_or_fail()
    selected = {
        item.callspec.params["sid"]
        for item in request.session.items
        if "sid" in getattr(getattr(item, "callspec", None), "params", {})
    }
    ids = [sid for sid in supervise.discover() if sid in selected]
    work = tmp_path_factory.mktemp("compat")
    chunks = int(os.environ.get("LAMIN_LAB_COMPAT_CHUNKS", "2"))
    timeout = float(os.environ.get("LAMIN_LAB_COMPAT_TIMEOUT", "60"))
    results = supervise.run_all(
        ids, work, python, chunks=chunks, timeout=timeout, lamin_lab_chunks=chunks
    )
    _TIMINGS.update(
        scenarios=len(ids),
        **{f"{b}_seconds": r["seconds"] for b, r in results.items()},
        **{f"{b}_restarts": r["restarts"] for b, r in results.items()},
    )
    (work / "timings.json").write_text(json.dumps(_TIMINGS))
    return results


def pytest_terminal_summary(terminalreporter):
    if _TIMINGS:
        terminalreporter.write_line("compat: " + ", ".join(f"{k}={v}" for k, v in _TIMINGS.items()))

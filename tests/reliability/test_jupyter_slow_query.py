"""A catastrophic regex through the Jupyter API does not freeze the server (issue #13, 3).

Before the fix one ``GET records/ULabel?filter=name__regex=...`` held the server's database
thread for as long as Python's ``re`` backtracked (minutes): ``/api/status`` got no answer.
"""

from __future__ import annotations

import threading
import time
import urllib.parse

import pytest

from tests.unit.jupyter import server as srv

SEED = """
ln.ULabel(name="a" * 40 + "b").save()
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    base = tmp_path_factory.mktemp("jupyter_slow")
    mp = pytest.MonkeyPatch()
    mp.setenv("LAMIN_LAB_REGEX_TIME_LIMIT", "1")
    server = srv.start(base)
    try:
        srv.seed(server.home, base / "first", SEED)
        yield server
    finally:
        srv.stop(server)
        mp.undo()


def test_status_answers_while_a_catastrophic_regex_filter_runs(api):
    query = urllib.parse.urlencode({"filter": "name__regex=^(a|aa)+$"})
    slow: dict = {}
    worker = threading.Thread(target=lambda: slow.update(answer=api.get(f"records/ULabel?{query}")))
    started = time.monotonic()
    worker.start()
    time.sleep(0.2)
    status, body, _ = api.get("status")
    answered_after = time.monotonic() - started
    worker.join(timeout=30)
    assert status == 200, body
    assert answered_after < 5, api.log_tail()
    code, data, _ = slow["answer"]
    assert code == 400
    assert data["error"] == "QueryTimeout"
    assert "Simplify the pattern" in data["message"]

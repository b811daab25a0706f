"""A tracked script that crashes: its run is stored as errored, and the log says so."""

from __future__ import annotations

import os
import subprocess
import sys


def _run_script(tmp_path, body: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAMIN_LAB_HOME": str(tmp_path / "home")}
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"import lamin_lab as ln; ln.setup.init(storage={str(tmp_path / 'd')!r})",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    script = tmp_path / "crash.py"
    script.write_text("import lamin_lab as ln\nln.track()\nprint('working')\n" + body)
    return subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True
    )


def _stored_run(tmp_path) -> str:
    env = {**os.environ, "LAMIN_LAB_HOME": str(tmp_path / "home")}
    code = (
        "import lamin_lab as ln; r = ln.Run.get(transform__key='crash.py'); "
        "print(r.status, r.status_code, r.finished_at is not None, repr(r.report.cache().read_text()))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_a_crashing_script_is_stored_as_errored_and_says_so(tmp_path):
    done = _run_script(tmp_path, "raise ValueError('boom')\n")
    assert done.returncode == 1
    assert "ValueError: boom" in done.stderr
    assert "errored: stored with status 'errored'" in done.stderr
    assert "finished Run(" not in done.stderr
    status, code, finished, report = _stored_run(tmp_path).split(" ", 3)
    assert (status, code, finished) == ("errored", "1", "True")
    assert "working" in report and "ValueError: boom" in report


def test_a_script_that_ends_without_finish_is_completed(tmp_path):
    done = _run_script(tmp_path, "")
    assert done.returncode == 0
    assert "finished Run(" in done.stderr
    assert _stored_run(tmp_path).split(" ", 3)[:3] == ["completed", "0", "True"]

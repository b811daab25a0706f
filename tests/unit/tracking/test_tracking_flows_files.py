"""Flows and steps in a real script (a subprocess) and a real notebook (nbclient)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tracking_helpers import notebook_json

SCRIPT = '''\
"""Ingest and clean."""
import lamin_lab as ln


@ln.step()
def clean(n: int):
    return n + 1


@ln.flow()
def pipeline(n: int = 1):
    return clean(n)


if __name__ == "__main__":
    print(pipeline(2))
'''


def _runs(ln, name):
    return [
        r for r in ln.Run.filter().order_by("id") if (r.entrypoint or "").split(".")[-1] == name
    ]


def test_flow_in_a_script_is_a_run_of_the_script(ln, tmp_path):
    script = tmp_path / "pipeline.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k != "LAMIN_LAB_NOTEBOOK_PATH"}
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (flow_run,), (step_run,) = _runs(ln, "pipeline"), _runs(ln, "clean")
    transform = flow_run.transform
    assert (transform.kind, transform.key, transform.description) == (
        "script",
        "pipeline.py",
        "Ingest and clean.",
    )
    assert (done.stdout.strip(), step_run.initiated_by_run == flow_run, flow_run.status) == (
        "3",
        True,
        "completed",
    )


def _execute(path: Path, cells: list[tuple[str, str]]) -> None:
    import nbformat
    from nbclient import NotebookClient

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook_json(cells)))
    nb = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if k not in ("JPY_SESSION_NAME", "JPY_PARENT_PID")}
    env.update(LAMIN_LAB_NOTEBOOK_PATH=str(path), IPYTHONDIR=str(path.parent / ".ipython"))
    NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(path.parent)}}
    ).execute(env=env, cwd=str(path.parent))


@pytest.mark.notebook
def test_steps_and_flows_defined_in_notebook_cells(ln, tmp_path):
    _execute(
        tmp_path / "work" / "explore.ipynb",
        [
            ("markdown", "# Explore"),
            ("code", "import lamin_lab as ln\nln.track()"),
            (
                "code",
                textwrap.dedent("""\
            @ln.step()
            def count(n: int):
                return n
            count(4)"""),
            ),
            ("code", "ln.finish()"),
            (
                "code",
                textwrap.dedent("""\
            @ln.flow()
            def standalone(k: int):
                return k
            standalone(1)"""),
            ),
        ],
    )
    notebook_run = ln.Run.get(transform=ln.Transform.get(key="explore.ipynb", kind="notebook"))
    (step_run,), (flow_run,) = _runs(ln, "count"), _runs(ln, "standalone")
    assert (
        step_run.transform.kind,
        step_run.transform.key,
        step_run.initiated_by_run == notebook_run,
    ) == ("function", "explore.ipynb", True)
    assert (flow_run.transform.kind, flow_run.transform.key, flow_run.params, flow_run.status) == (
        "function",
        "explore.ipynb",
        {"k": 1},
        "completed",
    )

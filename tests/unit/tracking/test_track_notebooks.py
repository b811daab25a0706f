"""``ln.track()`` / ``ln.finish()`` in notebooks.

Notebooks are executed for real with nbclient on this venv's ``python3`` kernel,
which inherits ``LAMIN_LAB_HOME`` from the ``ln`` fixture (the instance is the
kernel's current one) and learns its notebook from ``LAMIN_LAB_NOTEBOOK_PATH``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

TRACK = "import lamin_lab as ln\nfrom lamin_lab import context, finish, track\ntrack()"


def notebook(cells: list[tuple[str, str]]) -> dict:
    made = []
    for i, (kind, source) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"c{i}", "metadata": {}, "source": source}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        made.append(cell)
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": made}


def write(path: Path, cells: list[tuple[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook(cells), indent=1))
    return path


def execute(path: Path, *, edit_last_cell: str | None = None, allow_errors: bool = False):
    """Run the saved notebook with nbclient; optionally run an edited last cell instead."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if edit_last_cell is not None:
        nb.cells[-1].source = edit_last_cell
    env = {k: v for k, v in os.environ.items() if k not in ("JPY_SESSION_NAME", "JPY_PARENT_PID")}
    env.update(LAMIN_LAB_NOTEBOOK_PATH=str(path), IPYTHONDIR=str(path.parent / ".ipython"))
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=env, cwd=str(path.parent))
    return nb


def outputs(nb) -> str:
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                texts.append(output["text"])
            elif output.get("output_type") == "error":
                texts.append(f"{output['ename']}: {output['evalue']}")
    return "".join(texts)


@pytest.mark.notebook
def test_an_executed_notebook_is_tracked_with_title_source_and_html_report(ln, tmp_path):
    path = write(
        tmp_path / "work" / "analysis.ipynb",
        [
            ("markdown", "# Count the cells\nSome text."),
            ("code", TRACK),
            ("code", "print(41 + 1)"),
            ("code", "finish()"),
        ],
    )
    execute(path)
    transform = ln.Transform.get(key="analysis.ipynb")
    run = ln.Run.get(transform=transform)
    assert (transform.kind, transform.description) == ("notebook", "Count the cells")
    assert transform.source_code == f"# %%\n{TRACK}\n\n# %%\nprint(41 + 1)\n\n# %%\nfinish()\n"
    assert run.finished_at is not None
    assert run.report.suffix == ".html"
    assert "Count the cells" in run.report.cache().read_text()
    assert run.environment.kind == "__lamindb_run__"


@pytest.mark.notebook
def test_a_notebook_run_records_its_inputs_and_outputs(ln, tmp_path):
    source = tmp_path / "raw.csv"
    source.write_text("a\n1\n")
    ln.Artifact(source, key="raw.csv").save()
    path = write(
        tmp_path / "work" / "step.ipynb",
        [
            ("markdown", "# Step"),
            ("code", TRACK),
            (
                "code",
                "df = ln.Artifact.get(key='raw.csv').load()\nln.Artifact(df, key='out.parquet').save()",
            ),
            ("code", "finish()"),
        ],
    )
    execute(path)
    run = ln.Run.get(transform=ln.Transform.get(key="step.ipynb"))
    assert run.input_artifacts.to_list("key") == ["raw.csv"]
    assert run.output_artifacts.to_list("key") == ["out.parquet"]


@pytest.mark.notebook
def test_finish_refuses_a_notebook_whose_saved_file_is_stale(ln, tmp_path):
    path = write(
        tmp_path / "work" / "stale.ipynb",
        [
            ("markdown", "# Stale"),
            ("code", TRACK),
            ("code", "finish()"),
        ],
    )
    # The kernel runs a last cell that was edited but not saved.
    nb = execute(path, edit_last_cell="x = 1\nfinish()", allow_errors=True)
    text = outputs(nb)
    assert "NotebookNotSaved" in text and "Save the notebook" in text
    assert ln.Run.get(transform=ln.Transform.get(key="stale.ipynb")).finished_at is None


@pytest.mark.notebook
def test_an_untitled_notebook_is_told_to_rename_itself(ln, tmp_path):
    path = write(tmp_path / "work" / "Untitled1.ipynb", [("code", TRACK)])
    nb = execute(path, allow_errors=True)
    text = outputs(nb)
    assert "NotebookNotFound: The notebook is still called 'Untitled1.ipynb'" in text
    assert "Rename Notebook" in text
    assert ln.Transform.filter(kind="notebook").count() == 0


def test_notebook_tracked_by_path_gets_kind_key_and_title(tracking, ln, tmp_path):
    path = write(
        tmp_path / "nb" / "explore.ipynb", [("markdown", "# Explore it"), ("code", "x = 1")]
    )
    run = tracking.track(path=path)
    assert (run.transform.kind, run.transform.key, run.transform.description) == (
        "notebook",
        "explore.ipynb",
        "Explore it",
    )


def test_notebook_outputs_and_markdown_do_not_change_the_transform(tracking, ln, tmp_path):
    path = write(tmp_path / "nb" / "explore.ipynb", [("markdown", "# Explore"), ("code", "x = 1")])
    first = tracking.track(path=path)
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"] = "# Explore\nNew words."
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    nb["cells"][1]["execution_count"] = 3
    path.write_text(json.dumps(nb))
    second = tracking.track(path=path)
    assert second.transform_id == first.transform_id
    assert second.id != first.id


def test_notebook_code_saved_after_track_updates_a_transform_with_no_finished_runs(
    tracking, ln, tmp_path
):
    path = write(tmp_path / "nb" / "explore.ipynb", [("markdown", "# Explore"), ("code", "x = 1")])
    run = tracking.track(path=path)
    write(path, [("markdown", "# Explore"), ("code", "x = 1"), ("code", "y = 2")])
    tracking.finish()
    transform = ln.Transform.get(run.transform.id)
    assert transform.source_code.endswith("# %%\ny = 2\n")
    assert ln.Transform.filter(key="explore.ipynb").count() == 1


def test_notebook_code_saved_after_track_makes_a_new_version_after_a_finished_run(
    tracking, ln, tmp_path
):
    path = write(tmp_path / "nb" / "explore.ipynb", [("markdown", "# Explore"), ("code", "x = 1")])
    tracking.track(path=path)
    tracking.finish()
    run = tracking.track(path=path)
    write(path, [("markdown", "# Explore"), ("code", "x = 1"), ("code", "y = 2")])
    tracking.finish()
    run = ln.Run.get(run.id)
    v1, v2 = ln.Transform.filter(key="explore.ipynb").order_by("id").to_list()
    assert run.transform_id == v2.id
    assert (v2.stem_uid, v2.is_latest, v1.is_latest) == (v1.stem_uid, True, False)


def test_finish_without_nbconvert_completes_the_run_without_a_report(
    tracking, ln, tmp_path, monkeypatch
):
    path = write(tmp_path / "nb" / "explore.ipynb", [("markdown", "# Explore"), ("code", "x = 1")])
    tracking.track(path=path)
    monkeypatch.setitem(__import__("sys").modules, "nbconvert", None)  # import nbconvert fails
    run = tracking.finish()
    assert (run.report_id, run.finished_at is not None) == (None, True)


@pytest.mark.notebook
def test_papermill_runs_are_detected_without_the_environment_variable(ln, tmp_path):
    import subprocess
    import sys

    path = write(
        tmp_path / "work" / "paper.ipynb",
        [
            ("markdown", "# Papermill run"),
            ("code", TRACK),
            ("code", "finish()"),
        ],
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LAMIN_LAB_NOTEBOOK_PATH", "JPY_SESSION_NAME", "JPY_PARENT_PID")
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["papermill", "-k", "python3", str(path), str(tmp_path / "out.ipynb")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    run = ln.Run.get(transform=ln.Transform.get(key="paper.ipynb"))
    assert (run.transform.description, run.report.suffix) == ("Papermill run", ".html")

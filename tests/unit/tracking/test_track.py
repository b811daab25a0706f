"""``ln.track()`` / ``ln.finish()`` for scripts.

Scripts run for real in subprocesses (``python step.py``): they inherit
``LAMIN_LAB_HOME`` from the ``ln`` fixture, so the fixture's instance is theirs.
In-process tests pass ``path=`` (inside pytest, ``__main__`` is pytest).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HEADER = "import lamin_lab as ln\nfrom lamin_lab import context, finish, track\n"


def write_script(folder: Path, name: str, body: str, docstring: str = "") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(docstring + HEADER + textwrap.dedent(body))
    return path


def run_script(path: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LAMIN_LAB_NOTEBOOK_PATH"}
    done = subprocess.run(
        [sys.executable, str(path), *args],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{path.name} failed ({done.returncode}):\n{done.stderr}")
    return done


@pytest.fixture
def scripts(tmp_path):
    folder = tmp_path / "scripts"
    folder.mkdir()
    return folder


# ------------------------------------------------------------------ transform identity
def test_first_run_creates_a_script_transform_and_a_finished_run(ln, scripts):
    path = write_script(
        scripts, "step.py", "track()\nfinish()\n", '"""Prepare the data.\n\nMore."""\n'
    )
    run_script(path)
    transform = ln.Transform.get(key="step.py")
    run = ln.Run.get(transform=transform)
    assert (transform.kind, transform.description, transform.uid[-4:]) == (
        "script",
        "Prepare the data.",
        "0000",
    )
    assert run.finished_at >= run.started_at
    assert run.status == "completed"


def test_rerun_with_the_same_source_reuses_the_transform(ln, scripts):
    path = write_script(scripts, "step.py", "track()\nfinish()\n")
    run_script(path)
    run_script(path)
    assert ln.Transform.filter(key="step.py").count() == 1
    assert ln.Run.filter(transform=ln.Transform.get(key="step.py")).count() == 2


def test_edited_source_makes_a_new_version_that_is_latest(ln, scripts):
    path = write_script(scripts, "step.py", "track()\nfinish()\n")
    run_script(path)
    write_script(scripts, "step.py", "track()\nx = 2\nfinish()\n")
    run_script(path)
    v1, v2 = ln.Transform.filter(key="step.py").order_by("id").to_list()
    assert v2.stem_uid == v1.stem_uid
    assert (v1.uid[-4:], v2.uid[-4:]) == ("0000", "0001")
    assert (v1.is_latest, v2.is_latest) == (False, True)
    assert v2.source_code.endswith("x = 2\nfinish()\n")


def test_reverting_the_source_reuses_the_earlier_version(ln, scripts):
    path = write_script(scripts, "step.py", "track()\nfinish()\n")
    run_script(path)
    write_script(scripts, "step.py", "track()\nx = 2\nfinish()\n")
    run_script(path)
    write_script(scripts, "step.py", "track()\nfinish()\n")
    run_script(path)
    v1 = ln.Transform.filter(key="step.py").order_by("id").first()
    assert ln.Transform.filter(key="step.py").count() == 2
    assert ln.Run.filter(transform=v1).count() == 2


def test_renamed_file_with_a_pinned_stem_stays_in_the_family(ln, scripts):
    old = write_script(scripts, "old_name.py", "track('Ab12Cd34Ef56')\nfinish()\n")
    run_script(old)
    new = scripts / "new_name.py"
    old.rename(new)
    run_script(new)
    v1, v2 = ln.Transform.filter(uid__startswith="Ab12Cd34Ef56").order_by("uid").to_list()
    assert (v1.uid, v1.key) == ("Ab12Cd34Ef560000", "old_name.py")
    assert (v2.uid, v2.key, v2.is_latest) == ("Ab12Cd34Ef560001", "new_name.py", True)


def test_renamed_file_without_a_uid_starts_a_new_family_and_says_how_to_pin(ln, scripts):
    old = write_script(scripts, "old_name.py", "track()\nfinish()\n")
    run_script(old)
    new = scripts / "new_name.py"
    old.rename(new)
    done = run_script(new)
    first = ln.Transform.get(key="old_name.py")
    second = ln.Transform.get(key="new_name.py")
    assert second.stem_uid != first.stem_uid
    assert f"ln.track({first.stem_uid!r})" in done.stderr


def test_a_version_uid_whose_source_changed_is_refused(ln, scripts):
    path = write_script(scripts, "step.py", "track('Ab12Cd34Ef560000')\nfinish()\n")
    run_script(path)
    write_script(scripts, "step.py", "track('Ab12Cd34Ef560000')\nx = 1\nfinish()\n")
    done = run_script(path, check=False)
    assert done.returncode == 1
    assert "InvalidArgument" in done.stderr and "ln.track('Ab12Cd34Ef56')" in done.stderr


def test_key_is_the_path_inside_the_git_project(ln, tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    path = write_script(tmp_path / "repo" / "pipeline", "step.py", "track()\nfinish()\n")
    run_script(path)
    assert ln.Transform.filter(kind="script").to_list("key") == ["pipeline/step.py"]


# ------------------------------------------------------------------ run: params, inputs, outputs
def test_params_and_command_line_are_stored_on_the_run(ln, scripts):
    path = write_script(
        scripts, "step.py", "track(params={'lr': 0.01, 'layers': [2, 3]})\nfinish()\n"
    )
    run_script(path, "--fast", "a b")
    run = ln.Run.get(transform=ln.Transform.get(key="step.py"))
    assert run.params == {"lr": 0.01, "layers": [2, 3]}
    assert run.cli_args == "--fast 'a b'"


def test_loaded_artifacts_are_inputs_and_saved_ones_outputs(ln, scripts, tmp_path):
    source = tmp_path / "raw.csv"
    source.write_text("a,b\n1,2\n")
    raw = ln.Artifact(source, key="raw.csv").save()
    path = write_script(
        scripts,
        "step.py",
        """\
        track()
        df = ln.Artifact.get(key="raw.csv").load()
        ln.Artifact(df, key="clean.parquet").save()
        finish()
    """,
    )
    run_script(path)
    run = ln.Run.get(transform=ln.Transform.get(key="step.py"))
    assert run.input_artifacts.to_list("key") == ["raw.csv"]
    assert ln.Artifact.get(key="clean.parquet").run_id == run.id
    assert raw.run_id is None


def test_an_artifact_made_and_loaded_by_the_run_is_not_its_input(ln, scripts):
    path = write_script(
        scripts,
        "step.py",
        """\
        import pandas as pd
        track()
        made = ln.Artifact(pd.DataFrame({"x": [1]}), key="made.parquet").save()
        ln.Artifact.get(key="made.parquet").load()
        finish()
    """,
    )
    run_script(path)
    run = ln.Run.get(transform=ln.Transform.get(key="step.py"))
    assert run.input_artifacts.count() == 0
    assert run.output_artifacts.to_list("key") == ["made.parquet"]


def test_is_run_input_false_opts_out(tracking, ln, scripts, tmp_path):
    source = tmp_path / "raw.csv"
    source.write_text("a\n1\n")
    raw = ln.Artifact(source, key="raw.csv").save()
    run = tracking.track(path=write_script(scripts, "step.py", ""))
    raw.cache(is_run_input=False)
    assert run.input_artifacts.count() == 0


def test_track_run_inputs_false_links_no_inputs(tracking, ln, scripts, tmp_path, monkeypatch):
    source = tmp_path / "raw.csv"
    source.write_text("a\n1\n")
    raw = ln.Artifact(source, key="raw.csv").save()
    run = tracking.track(path=write_script(scripts, "step.py", ""))
    monkeypatch.setattr(ln.settings, "track_run_inputs", False)
    raw.load()
    raw.cache()
    assert run.input_artifacts.count() == 0


def test_is_run_input_true_overrides_track_run_inputs_false(
    tracking, ln, scripts, tmp_path, monkeypatch
):
    source = tmp_path / "raw.csv"
    source.write_text("a\n1\n")
    raw = ln.Artifact(source, key="raw.csv").save()
    run = tracking.track(path=write_script(scripts, "step.py", ""))
    monkeypatch.setattr(ln.settings, "track_run_inputs", False)
    raw.cache(is_run_input=True)
    assert run.input_artifacts.to_list("key") == ["raw.csv"]


def test_project_by_name_is_linked_to_run_and_transform(tracking, ln, scripts):
    project = ln.Project(name="atlas").save()
    run = tracking.track(path=write_script(scripts, "step.py", ""), project="atlas")
    assert run.projects.to_list("name") == ["atlas"]
    assert tracking.context.transform.projects.to_list("uid") == [project.uid]


def test_unknown_project_name_says_how_to_create_it(tracking, scripts):
    from lamin_lab.errors import DoesNotExist

    with pytest.raises(DoesNotExist, match=r"ln\.Project\(name='nope'\)\.save\(\)"):
        tracking.track(path=write_script(scripts, "step.py", ""), project="nope")


# ------------------------------------------------------------------ finish
def test_finish_stores_source_output_and_environment(ln, scripts):
    path = write_script(scripts, "step.py", "track()\nprint('hello from the step')\nfinish()\n")
    run_script(path)
    transform = ln.Transform.get(key="step.py")
    run = ln.Run.get(transform=transform)
    assert transform.source_code == path.read_text()
    assert run.report.cache().read_text() == "hello from the step\n"
    assert run.environment.kind == "__lamindb_run__"
    assert "\npytest==" in run.environment.cache().read_text()


def test_report_and_environment_are_not_outputs_of_the_run(ln, scripts):
    path = write_script(scripts, "step.py", "track()\nprint('x')\nfinish()\n")
    run_script(path)
    run = ln.Run.get(transform=ln.Transform.get(key="step.py"))
    assert (run.report.run_id, run.environment.run_id) == (None, None)
    assert run.output_artifacts.count() == 0


def test_runs_in_the_same_environment_share_one_environment_artifact(ln, scripts):
    path = write_script(scripts, "step.py", "track()\nfinish()\n")
    run_script(path)
    run_script(path)
    first, second = (
        ln.Run.filter(transform=ln.Transform.get(key="step.py")).order_by("id").to_list()
    )
    assert first.environment_id == second.environment_id
    assert first.report_id != second.report_id
    assert ln.Artifact.filter(kind="__lamindb_run__").count() == 3


def test_a_script_without_finish_is_finished_at_exit(ln, scripts):
    path = write_script(scripts, "step.py", "track()\nprint('done')\n")
    run_script(path)
    run = ln.Run.get(transform=ln.Transform.get(key="step.py"))
    assert run.finished_at is not None and run.status == "completed"
    assert run.report.cache().read_text() == "done\n"


def test_a_script_that_fails_is_finished_as_errored_with_its_traceback(ln, scripts):
    path = write_script(scripts, "step.py", "track()\nraise RuntimeError('boom')\n")
    done = run_script(path, check=False)
    assert done.returncode == 1
    run = ln.Run.get(transform=ln.Transform.get(key="step.py"))
    assert (run.status_code, run.status) == (1, "errored")
    assert "RuntimeError: boom" in run.report.cache().read_text()


def test_finish_clears_the_active_run(tracking, scripts):
    from lamin_lab.orm.database import state

    run = tracking.track(path=write_script(scripts, "step.py", ""))
    assert state.run_id == run.id
    tracking.finish()
    assert state.run_id is None
    assert tracking.context.run.uid == run.uid


def test_finish_without_track_raises_track_not_called(tracking):
    from lamin_lab.errors import TrackNotCalled

    with pytest.raises(TrackNotCalled, match=r"call ln\.track\(\) first"):
        tracking.finish()


def test_finish_twice_changes_nothing(tracking, scripts):
    tracking.track(path=write_script(scripts, "step.py", ""))
    first = tracking.finish()
    finished_at, report = first.finished_at, first.report_id
    again = tracking.finish()
    assert (again.finished_at, again.report_id) == (finished_at, report)


# ------------------------------------------------------------------ errors
def test_a_malformed_uid_is_refused_with_the_accepted_forms(tracking, scripts):
    from lamin_lab.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="12-character stem"):
        tracking.track("short", path=write_script(scripts, "step.py", ""))


def test_params_must_be_json(tracking, scripts):
    from lamin_lab.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="JSON-serialisable"):
        tracking.track(params={"path": Path("x")}, path=write_script(scripts, "step.py", ""))


def test_python_c_cannot_be_tracked_and_is_told_what_to_do(ln, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "LAMIN_LAB_NOTEBOOK_PATH"}
    done = subprocess.run(
        [sys.executable, "-c", "import lamin_lab as ln; ln.track()"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "NotebookNotFound" in done.stderr
    assert "ln.track(path='my_script.py')" in done.stderr


def test_a_new_pinned_stem_starts_its_family_with_that_stem(tracking, scripts):
    run = tracking.track("Zz12Yy34Xx56", path=write_script(scripts, "step.py", ""))
    assert run.transform.uid == "Zz12Yy34Xx560000"


def test_a_registered_transform_is_run_without_detecting_a_file(tracking, ln):
    pipeline = ln.Transform(key="nightly import", kind="pipeline").save()
    run = tracking.track(pipeline, params={"day": "monday"})
    finished = tracking.finish()
    assert (run.transform_id, finished.report_id, finished.params) == (
        pipeline.id,
        None,
        {"day": "monday"},
    )
    assert finished.environment.kind == "__lamindb_run__"


def test_a_draft_whose_runs_never_finished_is_updated_in_place(tracking, ln, scripts):
    path = write_script(scripts, "step.py", "x = 1\n")
    first = tracking.track(path=path)  # never finished, like a killed script
    write_script(scripts, "step.py", "x = 2\n")
    second = tracking.track(path=path)
    assert second.transform_id == first.transform_id
    assert ln.Transform.get(first.transform_id).source_code.endswith("x = 2\n")

"""``@ln.flow()`` / ``@ln.step()``: runs of decorated functions, and the run options of ``ln.track()``."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest


def _runs(ln, name):
    return [
        r for r in ln.Run.filter().order_by("id") if (r.entrypoint or "").split(".")[-1] == name
    ]


def _script(tmp_path: Path) -> Path:
    path = tmp_path / "analysis.py"
    path.write_text("print('analysis')\n")
    return path


# ------------------------------------------------------------------ flows
def test_flow_call_returns_the_function_result(ln, tracking):
    @ln.flow()
    def double(n: int):
        return n * 2

    assert double(4) == 8


def test_flow_call_is_a_run_with_arguments_as_params(ln, tracking):
    @ln.flow()
    def ingest(n: int, label: str = "raw"):
        return n

    ingest(3)
    run = ln.Run.filter().one()
    assert (run.params, run.status, run.entrypoint.split(".")[-1]) == (
        {"n": 3, "label": "raw"},
        "completed",
        "ingest",
    )


def test_flow_transform_is_the_file_of_the_function(ln, tracking):
    @ln.flow()
    def main():
        return None

    main()
    transform = ln.Transform.filter().one()
    assert (transform.kind, transform.key.split("/")[-1]) == ("script", Path(__file__).name)


def test_two_calls_of_a_flow_share_its_transform(ln, tracking):
    @ln.flow()
    def main(x: int):
        return x

    main(1)
    main(2)
    assert (ln.Transform.filter().count(), ln.Run.filter().count()) == (1, 2)


def test_flow_is_context_run_while_it_runs_and_cleared_after(ln, tracking):
    seen = []

    @ln.flow()
    def main():
        seen.append(ln.context.run.entrypoint.split(".")[-1])

    main()
    assert (seen, ln.context.run) == (["main"], None)


def test_flow_global_run_none_leaves_context_alone(ln, tracking):
    seen = []

    @ln.flow(global_run="none")
    def main():
        seen.append(ln.context.run)

    main()
    assert seen == [None]


def test_flow_global_run_memorize_keeps_context_run(ln, tracking):
    @ln.flow(global_run="memorize")
    def main():
        return None

    main()
    assert ln.context.run == ln.Run.filter().one()


def test_flow_under_track_is_refused_without_a_second_run(ln, tracking, tmp_path):
    from lamin_lab.errors import RunAlreadyActive

    @ln.flow()
    def main():
        return None

    tracking.track(path=_script(tmp_path))
    with pytest.raises(RunAlreadyActive, match=r"@ln\.step\(\)"):  # a RuntimeError, as in LaminDB
        main()
    assert ln.Run.filter().count() == 1


def test_flow_exception_is_reraised_unchanged(ln, tracking):
    raised = ValueError("bad input")

    @ln.flow()
    def main():
        raise raised

    with pytest.raises(ValueError) as info:
        main()
    assert info.value is raised


def test_flow_exception_marks_run_errored_and_finished(ln, tracking):
    @ln.flow()
    def main():
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        main()
    run = ln.Run.filter().one()
    assert (run.status, run.finished_at is not None, ln.context.run) == ("errored", True, None)


def test_flow_interrupted_is_aborted(ln, tracking):
    @ln.flow()
    def main():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        main()
    assert ln.Run.filter().one().status == "aborted"


def test_flow_project_argument_links_the_run(ln, tracking):
    ln.Project(name="atlas").save()

    @ln.flow()
    def main(project: str):
        return None

    main("atlas")
    run = ln.Run.filter().one()
    assert ([p.name for p in run.projects.all()], run.params) == (["atlas"], {"project": "atlas"})


def test_flow_with_malformed_uid_is_refused_when_decorating(ln, tracking):
    from lamin_lab.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="12-character"):
        ln.flow(uid="abc123")


# ------------------------------------------------------------------ steps
def test_step_without_run_raises_track_not_called(ln, tracking):
    from lamin_lab.errors import TrackNotCalled

    @ln.step()
    def lonely():
        return 1

    with pytest.raises(TrackNotCalled, match=r"@ln\.flow\(\)"):
        lonely()
    assert ln.Run.filter().count() == 0


def test_track_not_called_is_a_runtime_error(ln):
    from lamin_lab.errors import TrackNotCalled

    assert issubclass(TrackNotCalled, RuntimeError)


def test_steps_in_a_flow_are_initiated_by_its_run(ln, tracking):
    @ln.step()
    def clean(value: int):
        return value + 1

    @ln.flow()
    def pipeline(start: int):
        return clean(clean(start))

    assert pipeline(1) == 3
    (flow_run,) = _runs(ln, "pipeline")
    assert [s.initiated_by_run == flow_run for s in _runs(ln, "clean")] == [True, True]


def test_nested_step_is_initiated_by_the_enclosing_step(ln, tracking):
    @ln.step()
    def inner():
        return "inner"

    @ln.step()
    def outer():
        return inner()

    @ln.flow()
    def main():
        return outer()

    main()
    assert _runs(ln, "inner")[0].initiated_by_run == _runs(ln, "outer")[0]


def test_step_exception_errors_step_and_flow(ln, tracking):
    @ln.step()
    def fails():
        raise KeyError("x")

    @ln.flow()
    def main():
        fails()

    with pytest.raises(KeyError):
        main()
    assert (_runs(ln, "fails")[0].status, _runs(ln, "main")[0].status) == ("errored", "errored")


def test_step_under_track_is_initiated_by_the_tracked_run(ln, tracking, tmp_path):
    from lamin_lab.orm.database import state

    @ln.step()
    def work(k: int):
        return k

    tracked = tracking.track(path=_script(tmp_path))
    work(5)
    assert (_runs(ln, "work")[0].initiated_by_run, ln.context.run, state.run_id) == (
        tracked,
        tracked,
        tracked.id,
    )


def test_artifact_saved_in_a_step_is_the_step_runs_output(ln, tracking, tmp_path):
    data = tmp_path / "data.txt"
    data.write_text("hello")

    @ln.step()
    def save_it():
        return ln.Artifact(data, key="data.txt").save()

    @ln.flow()
    def main():
        return save_it()

    artifact = main()
    assert artifact.run == _runs(ln, "save_it")[0]


def test_artifact_loaded_in_a_step_is_the_step_runs_input(ln, tracking, tmp_path):
    data = tmp_path / "data.txt"
    data.write_text("hello")
    ln.Artifact(data, key="data.txt").save()

    @ln.step()
    def read_it():
        return ln.Artifact.get(key="data.txt").cache().read_text()

    @ln.flow()
    def main():
        return read_it()

    assert main() == "hello"
    assert [a.key for a in _runs(ln, "read_it")[0].input_artifacts.all()] == ["data.txt"]


def test_step_without_a_file_is_a_function_transform_keyed_by_its_parent(ln, tracking, tmp_path):
    namespace = {"ln": ln}
    exec(compile("@ln.step()\ndef cell_step():\n    return 7\n", "<cell>", "exec"), namespace)
    tracked = tracking.track(path=_script(tmp_path))
    assert namespace["cell_step"]() == 7
    transform = _runs(ln, "cell_step")[0].transform
    assert (transform.kind, transform.key) == ("function", tracked.transform.key)


def test_flow_in_a_package_module_is_keyed_by_its_import_path(ln, tracking, tmp_path, monkeypatch):
    package = tmp_path / "mypkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "jobs.py").write_text(
        textwrap.dedent("""\
        import lamin_lab as ln

        @ln.flow()
        def job():
            return "done"
    """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    jobs = importlib.import_module("mypkg.jobs")
    try:
        assert jobs.job() == "done"
    finally:
        sys.modules.pop("mypkg.jobs", None)
        sys.modules.pop("mypkg", None)
    assert ln.Transform.filter().one().key == "pypackages/mypkg/jobs.py"


# ------------------------------------------------------------------ ln.track options
def test_track_new_run_false_continues_the_latest_run(ln, tracking, tmp_path):
    script = _script(tmp_path)
    first = tracking.track(path=script)
    tracking.finish()
    again = tracking.track(path=script, new_run=False)
    assert (again == first, again.status, ln.Run.filter().count()) == (True, "restarted", 1)


def test_finish_completes_a_restarted_run(ln, tracking, tmp_path):
    script = _script(tmp_path)
    tracking.track(path=script)
    tracking.finish()
    tracking.track(path=script, new_run=False)
    assert tracking.finish().status == "completed"


def test_track_new_run_false_without_earlier_run_starts_one(ln, tracking, tmp_path):
    run = tracking.track(path=_script(tmp_path), new_run=False)
    assert (run.status, ln.Run.filter().count()) == ("started", 1)


def test_track_initiated_by_run_uid(ln, tracking, tmp_path):
    script = _script(tmp_path)
    parent = tracking.track(path=script)
    tracking.finish()
    child = tracking.track(path=script, initiated_by_run=parent.uid)
    assert child.initiated_by_run == parent


def test_track_initiated_by_run_from_environment(ln, tracking, tmp_path, monkeypatch):
    script = _script(tmp_path)
    parent = tracking.track(path=script)
    tracking.finish()
    monkeypatch.setenv("LAMIN_INITIATED_BY_RUN_UID", parent.uid)
    assert tracking.track(path=script).initiated_by_run == parent


def test_track_initiated_by_unknown_uid_makes_no_run(ln, tracking, tmp_path):
    from lamin_lab.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="No run has uid"):
        tracking.track(path=_script(tmp_path), initiated_by_run="0000000000000000")
    assert (ln.Run.filter().count(), ln.Transform.filter().count()) == (0, 0)


def test_track_features_annotate_the_run(ln, tracking, tmp_path):
    ln.Feature(name="learning_rate", dtype=float).save()
    run = tracking.track(path=_script(tmp_path), features={"learning_rate": 0.01})
    assert run.features.get_values() == {"learning_rate": 0.01}


def test_track_unknown_feature_leaves_no_run(ln, tracking, tmp_path):
    from lamin_lab.errors import ValidationError

    with pytest.raises(ValidationError):
        tracking.track(path=_script(tmp_path), features={"nope": 1})
    assert ln.Run.filter().count() == 0


def test_track_features_must_be_a_dict(ln, tracking, tmp_path):
    from lamin_lab.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="features="):
        tracking.track(path=_script(tmp_path), features=["learning_rate"])


def test_finish_accepts_ignore_non_consecutive(ln, tracking, tmp_path):
    tracking.track(path=_script(tmp_path))
    assert tracking.finish(ignore_non_consecutive=True).status == "completed"


def test_short_uid_message_shows_a_call_with_a_fresh_stem(ln, tracking, tmp_path):
    from lamin_lab.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match=r'ln\.track\("[0-9A-Za-z]{12}"\)'):
        tracking.track("abc123", path=_script(tmp_path))

"""Flows and steps (``@ln.flow()``, ``@ln.step()``) and the options of ``ln.track`` / ``ln.finish``.

The decorated functions are defined inside each scenario, in this file: both backends then
see a function of a script file (kind "script", the file's transform, the function's name as
the run's entrypoint).
"""


def _df():
    import pandas as pd

    return pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})


def _runs_of(ln, name):
    """The runs whose entrypoint is the function ``name`` (entrypoints are qualified names)."""
    return [
        r for r in ln.Run.filter().order_by("id") if (r.entrypoint or "").split(".")[-1] == name
    ]


def _run_of(ln, name):
    (run,) = _runs_of(ln, name)
    return run


def _run_view(run):
    return {
        "kind": run.transform.kind,
        "entrypoint": run.entrypoint,
        "params": run.params,
        "status": run.status,
        "finished": run.finished_at is not None,
    }


def scenario_flow_call_is_a_run(ln, ctx):
    """A flow's call makes one run with its arguments as params; the result passes through."""

    @ln.flow()
    def ingest(n: int, label: str = "raw"):
        return n * 2

    result = ingest(3)
    run = ln.Run.filter().one()
    return {
        "result": result,
        "runs": ln.Run.filter().count(),
        "transforms": ln.Transform.filter().count(),
        "file_name": run.transform.key.split("/")[-1],
        **_run_view(run),
    }


def scenario_flow_transform_key(ln, ctx):
    """A flow's transform is keyed as ln.track() keys its file."""

    @ln.flow()
    def main():
        return 1

    main()
    return ln.Transform.filter().one().key


def scenario_flow_clears_global_run(ln, ctx):
    """During a flow ln.context.run is its run; afterwards there is none."""
    seen = {}

    @ln.flow()
    def main():
        seen["inside"] = ln.context.run is not None
        seen["entrypoint"] = ln.context.run.entrypoint

    main()
    return {**seen, "after": ln.context.run is None}


def scenario_flow_two_calls_two_runs(ln, ctx):
    """Calling a flow twice reuses its transform and makes a second run."""

    @ln.flow()
    def main(x: int):
        return x

    main(1)
    main(2)
    return {
        "runs": ln.Run.filter().count(),
        "transforms": ln.Transform.filter().count(),
        "params": sorted(r.params["x"] for r in ln.Run.filter()),
    }


def scenario_steps_inside_flow_initiated_by(ln, ctx):
    """Steps called inside a flow are runs initiated by the flow's run."""

    @ln.step()
    def clean(value: int):
        return value + 1

    @ln.flow()
    def pipeline(start: int):
        return clean(clean(start))

    result = pipeline(1)
    flow_run = _run_of(ln, "pipeline")
    steps = _runs_of(ln, "clean")
    return {
        "result": result,
        "runs": ln.Run.filter().count(),
        "step_runs": len(steps),
        "initiated_by_flow": [s.initiated_by_run == flow_run for s in steps],
        "flow_initiated_by": flow_run.initiated_by_run is None,
        "step_params": sorted(s.params["value"] for s in steps),
        "step_status": sorted(s.status for s in steps),
        "flow_status": flow_run.status,
    }


def scenario_nested_steps(ln, ctx):
    """A step called by a step is initiated by that step's run."""

    @ln.step()
    def inner():
        return "inner"

    @ln.step()
    def outer():
        return inner()

    @ln.flow()
    def main():
        return outer()

    result = main()
    inner_run = _run_of(ln, "inner")
    outer_run = _run_of(ln, "outer")
    main_run = _run_of(ln, "main")
    return {
        "result": result,
        "inner_by_outer": inner_run.initiated_by_run == outer_run,
        "outer_by_main": outer_run.initiated_by_run == main_run,
    }


def scenario_step_without_run_raises(ln, ctx):
    """A step called with no active run raises."""

    @ln.step()
    def lonely():
        return 1

    lonely()
    return "no error"


def scenario_step_without_run_message(ln, ctx):
    """The message says to track first or call the step from a flow; no run is made."""

    @ln.step()
    def lonely():
        return 1

    try:
        lonely()
    except Exception as error:
        return {
            "runtime": isinstance(error, RuntimeError),
            "mentions_track": "ln.track()" in str(error),
            "mentions_flow": "@ln.flow()" in str(error),
            "runs": ln.Run.filter().count(),
        }
    return "no error"


def scenario_flow_under_track_raises(ln, ctx):
    """A flow called while ln.track() is active raises."""

    @ln.flow()
    def main():
        return 1

    ln.track()
    try:
        main()
    finally:
        ln.finish()
    return "no error"


def scenario_flow_under_track_message(ln, ctx):
    """The message points to @ln.step(); only the tracked run exists."""

    @ln.flow()
    def main():
        return 1

    ln.track()
    try:
        main()
    except Exception as error:
        return {"mentions_step": "@ln.step()" in str(error), "runs": ln.Run.filter().count()}
    finally:
        ln.finish()
    return "no error"


def scenario_step_under_track(ln, ctx):
    """A step called under ln.track() is initiated by the tracked run; ln.context.run stays."""

    @ln.step()
    def work(k: int):
        return k

    ln.track()
    tracked = ln.context.run
    work(5)
    still = ln.context.run == tracked
    ln.finish()
    step_run = _run_of(ln, "work")
    return {
        "initiated_by_tracked": step_run.initiated_by_run == tracked,
        "context_run_kept": still,
        "params": step_run.params,
        "runs": ln.Run.filter().count(),
    }


def scenario_flow_error_marks_run_errored(ln, ctx):
    """An exception in a flow is re-raised unchanged; its run is errored and finished."""

    class Boom(Exception):
        pass

    @ln.flow()
    def main():
        raise Boom("bad input")

    try:
        main()
    except Boom as error:
        caught = {"same_class": type(error) is Boom, "message": str(error)}
    run = ln.Run.filter().one()
    return {
        **caught,
        "status": run.status,
        "finished": run.finished_at is not None,
        "after": ln.context.run is None,
    }


def scenario_step_error_marks_run_errored(ln, ctx):
    """An exception in a step marks the step's run errored; the flow's run too when it propagates."""

    @ln.step()
    def fails(x: int):
        raise KeyError(x)

    @ln.flow()
    def main():
        fails(1)

    try:
        main()
    except KeyError as error:
        caught = repr(error)
    return {
        "caught": caught,
        "step": _run_of(ln, "fails").status,
        "flow": _run_of(ln, "main").status,
    }


def scenario_flow_artifacts_inputs_outputs(ln, ctx):
    """Saved artifacts are outputs of the flow or step run that saved them; loaded ones inputs."""
    source = ln.Artifact.from_dataframe(_df(), key="raw.parquet").save()

    @ln.step()
    def transform_step(key: str):
        df = ln.Artifact.get(key=key).load()
        return ln.Artifact.from_dataframe(df.head(2), key="clean.parquet").save()

    @ln.flow()
    def main(key: str):
        return transform_step(key)

    out = main("raw.parquet")
    step_run = _run_of(ln, "transform_step")
    flow_run = _run_of(ln, "main")
    return {
        "out_run_is_step": out.run == step_run,
        "step_inputs": [a.key for a in step_run.input_artifacts.all()],
        "step_outputs": [a.key for a in step_run.output_artifacts.all()],
        "flow_inputs": flow_run.input_artifacts.count(),
        "source_run": source.run is None,
    }


def scenario_flow_output_artifact(ln, ctx):
    """An artifact saved in the flow itself is the flow run's output."""

    @ln.flow()
    def main():
        return ln.Artifact.from_dataframe(_df(), key="made.parquet").save()

    made = main()
    flow_run = _run_of(ln, "main")
    return {
        "output": made.run == flow_run,
        "outputs": flow_run.output_artifacts.count(),
        "after_save_no_run": ln.Artifact.from_dataframe(_df().head(1), key="later.parquet")
        .save()
        .run
        is None,
    }


def scenario_flow_params_skip_mismatched_annotation(ln, ctx):
    """A param whose value does not match its annotation is left out of run.params; None is left out."""

    @ln.flow()
    def main(n: int, ratio: float = 0.5, note=None):
        return n

    main("three")
    return ln.Run.filter().one().params


def scenario_flow_params_list_and_dict(ln, ctx):
    """Lists and dicts are stored as params."""

    @ln.flow()
    def main(names: list[str], options: dict):
        return len(names)

    main(["a", "b"], {"depth": 2})
    return ln.Run.filter().one().params


def scenario_track_new_run_false_reuses_run(ln, ctx):
    """ln.track(new_run=False) continues the latest run of the transform."""
    first = ln.track()
    ln.finish()
    second = ln.track(new_run=False)
    status = ln.context.run.status
    ln.finish()
    return {
        "same_run": first == second if second is not None else ln.context.run == first,
        "runs": ln.Run.filter().count(),
        "status_while_running": status,
    }


def scenario_track_new_run_true_makes_run(ln, ctx):
    """ln.track(new_run=True) always starts a new run."""
    ln.track()
    ln.finish()
    ln.track(new_run=True)
    ln.finish()
    return ln.Run.filter().count()


def scenario_track_initiated_by_run(ln, ctx):
    """ln.track(initiated_by_run=<run>) records the run that started this one."""
    ln.track()
    parent = ln.context.run
    ln.finish()
    ln.track(initiated_by_run=parent)
    child = ln.context.run
    ln.finish()
    return {"linked": child.initiated_by_run == parent, "initiated": parent.initiated_runs.count()}


def scenario_track_initiated_by_run_uid(ln, ctx):
    """initiated_by_run= also takes the run's uid."""
    ln.track()
    parent = ln.context.run
    ln.finish()
    ln.track(initiated_by_run=parent.uid)
    child = ln.context.run
    ln.finish()
    return child.initiated_by_run == parent


def scenario_track_initiated_by_unknown_uid(ln, ctx):
    """An unknown run uid for initiated_by_run= is an InvalidArgument, and no run is made."""
    try:
        ln.track(initiated_by_run="0000000000000000")
    except Exception as error:
        return {"raises": type(error).__name__, "runs": ln.Run.filter().count()}
    ln.finish()
    return "no error"


def scenario_track_features(ln, ctx):
    """ln.track(features=) annotates the run with feature values."""
    ln.Feature(name="learning_rate", dtype=float).save()
    ln.Feature(name="optimizer", dtype=str).save()
    ln.track(features={"learning_rate": 0.01, "optimizer": "adam"})
    run = ln.context.run
    ln.finish()
    values = run.features.get_values()
    return {key: values[key] for key in sorted(values)}


def scenario_track_features_unknown_raises(ln, ctx):
    """A feature that is not registered is a ValidationError."""
    try:
        ln.track(features={"nope": 1})
    except Exception as error:
        return {"raises": type(error).__name__}
    finally:
        if ln.context.run is not None:
            ln.finish()
    return "no error"


def scenario_finish_ignore_non_consecutive(ln, ctx):
    """ln.finish(ignore_non_consecutive=True) finishes a script's run as usual."""
    ln.track()
    run = ln.context.run
    ln.finish(ignore_non_consecutive=True)
    return {"finished": run.finished_at is not None, "status": ln.Run.filter().one().status}


def scenario_track_short_uid_says_what_to_pass(ln, ctx):
    """ln.track('<6 characters>') is refused, and the message shows a call with a valid uid."""
    import re

    try:
        ln.track("abc123")
    except Exception as error:
        message = str(error)
        return {
            "raises": type(error).__name__,
            "names_it": "abc123" in message,
            "shows_call": re.search(r"ln\.track\([\"'][0-9A-Za-z]{12}[\"']\)", message) is not None,
            "runs": ln.Run.filter().count(),
        }
    ln.finish()
    return "no error"

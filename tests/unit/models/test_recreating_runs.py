"""recreating_runs: runs that made an existing artifact or collection again (issue #11)."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def runs(ln):
    first = ln.Transform(key="make.py", kind="script").save()
    second = ln.Transform(key="again.py", kind="script").save()
    return (
        ln.Run(first, name="r1").save(),
        ln.Run(second, name="r2").save(),
        ln.Run(second, name="r3").save(),
    )


def _frame():
    return pd.DataFrame({"a": [1, 2, 3]})


def test_a_new_artifact_has_no_recreating_runs(ln, runs):
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[0]).save()
    assert made.recreating_runs.count() == 0


def test_saving_the_same_content_under_a_later_run_links_that_run(ln, runs):
    r1, r2, _ = runs
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    again = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r2).save()
    assert again.id == made.id
    assert made.recreating_runs.to_list("name") == ["r2"]
    assert ln.Artifact.get(made.id).run == r1


def test_the_constructor_alone_writes_no_link(ln, runs):
    r1, r2, _ = runs
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r2)
    assert made.recreating_runs.count() == 0


def test_a_run_is_linked_once_and_the_creating_run_never(ln, runs):
    r1, r2, r3 = runs
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    for run in (r2, r2, r1, r3):
        ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=run).save()
    assert sorted(made.recreating_runs.to_list("name")) == ["r2", "r3"]


def test_an_artifact_without_a_run_takes_the_later_run_instead(ln, runs):
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[1]).save()
    fresh = ln.Artifact.get(made.id)
    assert (fresh.run.name, fresh.recreating_runs.count()) == ("r2", 0)


def test_a_tracked_run_that_read_the_artifact_is_not_a_recreating_run(ln, runs, tracking, tmp_path):
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[0]).save()
    script = tmp_path / "step.py"
    script.write_text("import lamin_lab as ln\n")
    run = tracking.track(path=script)
    made.load()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    assert made.input_of_runs.to_list("id") == [run.id]
    assert made.recreating_runs.count() == 0


def test_a_tracked_run_that_makes_the_content_again_is_linked(ln, runs, tracking, tmp_path):
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[0]).save()
    script = tmp_path / "step.py"
    script.write_text("import lamin_lab as ln\n")
    run = tracking.track(path=script)
    ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    assert made.recreating_runs.to_list("id") == [run.id]


def test_ln_save_of_a_returned_artifact_links_the_run(ln, runs):
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[0]).save()
    ln.save([ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[1])])
    assert made.recreating_runs.to_list("name") == ["r2"]


def test_a_run_lists_what_it_recreated_and_queries_follow_the_link(ln, runs):
    r1, r2, _ = runs
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r2).save()
    own = ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="own.parquet", run=r2).save()
    assert r2.recreated_artifacts.to_list("key") == ["x.parquet"]
    assert ln.Artifact.filter(recreating_runs=r2).to_list("key") == ["x.parquet"]
    assert ln.Run.filter(recreated_artifacts=made).to_list("name") == ["r2"]
    assert sorted(r2.query_output_artifacts().to_list("key")) == ["own.parquet", "x.parquet"]
    assert r2.query_output_artifacts(include_recreated=False).to_list("key") == [own.key]


def test_deleting_a_recreating_run_removes_its_link(ln, runs):
    r1, r2, _ = runs
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r1).save()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=r2).save()
    r2.delete(permanent=True)
    assert made.recreating_runs.count() == 0


def test_the_describe_of_an_artifact_counts_its_recreating_runs(ln, runs):
    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[0]).save()
    assert "recreating runs" not in made.describe(return_str=True)
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[1]).save()
    assert "recreating runs  1" in made.describe(return_str=True)


def test_a_collection_made_again_under_another_run_links_that_run(ln, runs):
    r1, r2, _ = runs
    a = ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    b = ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="y.parquet").save()
    made = ln.Collection([a, b], key="c", run=r1).save()
    again = ln.Collection([a, b], key="c", run=r2).save()
    assert again.id == made.id
    assert made.recreating_runs.to_list("name") == ["r2"]
    assert r2.recreated_collections.to_list("key") == ["c"]


def test_deleting_the_artifact_permanently_removes_its_links(ln, runs):
    from lamin_lab.models import ArtifactRecreatingRun

    made = ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[0]).save()
    ln.Artifact.from_dataframe(_frame(), key="x.parquet", run=runs[1]).save()
    made.delete(permanent=True)
    assert ArtifactRecreatingRun.select().count() == 0
    assert runs[1].recreated_artifacts.count() == 0


def test_a_collection_without_a_run_takes_the_later_run(ln, runs):
    a = ln.Artifact.from_dataframe(_frame(), key="x.parquet").save()
    made = ln.Collection([a], key="c").save()
    ln.Collection([a], key="c", run=runs[1]).save()
    fresh = ln.Collection.get(made.id)
    assert (fresh.run.name, fresh.recreating_runs.count()) == ("r2", 0)

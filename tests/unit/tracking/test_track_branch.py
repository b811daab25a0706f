"""``ln.track(branch=...)``: the run and what it makes go onto a branch."""

from __future__ import annotations

import pytest


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "step.py"
    path.write_text("import lamin_lab as ln\n")
    return path


def test_track_branch_puts_the_run_and_its_records_on_the_branch(ln, tracking, script):
    ln.Branch(name="b").save()
    run = tracking.track(path=script, branch="b")
    label = ln.ULabel(name="made in run").save()
    assert (run.branch.name, run.transform.branch.name, label.branch.name) == ("b", "b", "b")
    assert tracking.context.branch.name == "b"


def test_queries_during_a_run_on_a_branch_see_the_current_branch(ln, tracking, script):
    ln.Branch(name="b").save()
    tracking.track(path=script, branch="b")
    ln.ULabel(name="made in run").save()
    assert (ln.ULabel.filter().count(), ln.setup.settings.branch.name) == (0, "main")


def test_records_made_after_finish_go_onto_the_current_branch(ln, tracking, script):
    ln.Branch(name="b").save()
    tracking.track(path=script, branch="b")
    tracking.finish()
    assert (ln.ULabel(name="after").save().branch_id, tracking.context.branch) == (1, None)


def test_track_refuses_an_unknown_branch(ln, tracking, script):
    with pytest.raises(ln.errors.InvalidArgument, match="No branch 'nowhere'"):
        tracking.track(path=script, branch="nowhere")

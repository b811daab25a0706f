"""Run status as LaminDB has it: ``_status_code`` -3 scheduled ... 2 aborted."""

from __future__ import annotations

import pytest


@pytest.fixture
def transform(ln):
    return ln.Transform(key="pipeline.py", kind="script").save()


def test_a_saved_run_is_scheduled(ln, transform):
    run = ln.Run(transform).save()
    assert (run._status_code, ln.Run.get(run.uid).status) == (-3, "scheduled")


def test_status_started_starts_the_run(ln, transform):
    assert ln.Run(transform, status="started").save().status == "started"


def test_another_status_at_creation_is_refused(ln, transform):
    with pytest.raises(ln.errors.InvalidArgument, match="'scheduled' or 'started'"):
        ln.Run(transform, status="completed")


def test_a_tracked_run_is_started_then_completed(ln, transform):
    ln.track(transform=transform)
    started = ln.context.run.status
    assert (started, ln.finish().status) == ("started", "completed")


def test_filter_by_status_name_and_names(ln, transform):
    ln.Run(transform).save()
    done = ln.Run(transform, status="started").save()
    done._status_code = 0
    done.save()
    counts = [ln.Run.filter(status=s).count() for s in ("scheduled", "started", "completed")]
    assert counts == [1, 0, 1]
    assert ln.Run.filter(status__in=["scheduled", "completed"]).count() == 2


def test_filter_by_an_unknown_status_names_the_known_ones(ln, transform):
    with pytest.raises(ln.errors.InvalidArgument, match="'scheduled'"):
        ln.Run.filter(status="running")


def test_status_code_is_the_older_name_of_the_column(ln, transform):
    run = ln.Run(transform).save()
    run.status_code = 1
    run.save()
    assert (ln.Run.get(run.uid)._status_code, run.status) == (1, "errored")
    assert ln.Run.filter(status_code=1).count() == 1
    assert ln.Run.status_code is ln.Run._status_code  # a field on the class (for selects)

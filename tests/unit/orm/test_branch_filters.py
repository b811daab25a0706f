"""Filters on branches as LaminDB's: branch=<Branch>, branch__name=, branch_id=None (every branch)."""

import pytest


@pytest.fixture
def records(ln):
    ln.Record(name="kept").save()
    ln.Record(name="trashed").save().delete()
    return ln


def test_default_filter_leaves_out_the_trash(records):
    assert records.Record.filter().to_list("name") == ["kept"]


def test_branch_id_none_means_every_branch(records):
    assert sorted(records.Record.filter(branch_id=None).to_list("name")) == ["kept", "trashed"]


def test_branch_none_means_every_branch(records):
    assert records.Record.filter(branch=None).count() == 2


def test_get_with_branch_id_none_finds_a_trashed_record(records):
    assert records.Record.get(name="trashed", branch_id=None).name == "trashed"


def test_filter_by_a_branch_record(records):
    main = records.Branch.get(name="main")
    assert records.Record.filter(branch=main).to_list("name") == ["kept"]


def test_filter_by_branch_name_reaches_the_trash(records):
    assert records.Record.filter(branch__name="trash").to_list("name") == ["trashed"]


def test_filter_by_a_record_of_another_registry_as_branch_is_refused(records):
    with pytest.raises(records.errors.InvalidArgument):
        records.Record.filter(branch=records.User.filter().one())


def test_artifact_filter_by_transform_follows_the_run(ln):
    import pandas as pd

    t = ln.Transform(key="t.py").save()
    run = ln.Run(t).save()
    a = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet", run=run).save()
    assert ln.Artifact.filter(transform=t).to_list("key") == [a.key]

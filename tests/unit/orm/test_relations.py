"""Queries across relations, and the related managers (add, set, remove, clear ...)."""

from __future__ import annotations

import pytest

from tests.support.query_count import count_queries


@pytest.fixture
def world(ln, tmp_path):
    """Two transforms with a run each; an artifact made by run 1 and read by run 2; labels."""
    t1 = ln.Transform(key="make.py", kind="script").save()
    t2 = ln.Transform(key="use.py", kind="script").save()
    r1 = ln.Run(transform=t1, name="r1").save()
    r2 = ln.Run(transform=t2, name="r2").save()
    path = tmp_path / "x.txt"
    path.write_text("x")
    artifact = ln.Artifact(path, key="x.txt", run=r1).save()
    artifact.input_of_runs.add(r2)
    tcell, bcell, other = (ln.ULabel(name=n).save() for n in ("T cell", "B cell", "other"))
    artifact.ulabels.add(tcell, bcell)
    ln.world = dict(
        t1=t1, t2=t2, r1=r1, r2=r2, artifact=artifact, tcell=tcell, bcell=bcell, other=other
    )
    yield ln
    del ln.world


def test_filter_through_two_foreign_keys(world):
    assert world.Artifact.filter(run__transform__key="make.py").to_list("key") == ["x.txt"]
    assert world.Artifact.filter(run__transform__key="use.py").count() == 0


def test_filter_by_a_related_record(world):
    assert world.Artifact.filter(run=world.world["r1"]).count() == 1
    assert world.Run.filter(transform=world.world["t2"]).to_list("name") == ["r2"]


def test_filter_by_fk_column_name(world):
    assert world.Run.filter(transform_id=world.world["t1"].id).to_list("name") == ["r1"]


def test_filter_through_many_to_many(world):
    assert world.Artifact.filter(ulabels__name="T cell").count() == 1
    assert world.Artifact.filter(ulabels__name="other").count() == 0


def test_filter_many_to_many_does_not_duplicate_rows(world):
    assert world.Artifact.filter(ulabels__name__in=["T cell", "B cell"]).count() == 1


def test_filter_through_a_reverse_many_to_many(world):
    assert world.Artifact.filter(input_of_runs__uid=world.world["r2"].uid).to_list("key") == [
        "x.txt"
    ]
    assert world.Artifact.filter(input_of_runs__uid=world.world["r1"].uid).count() == 0


def test_filter_through_a_reverse_foreign_key(world):
    assert world.Transform.filter(runs__name="r2").to_list("key") == ["use.py"]


def test_filter_reverse_many_to_many_from_the_label_side(world):
    assert sorted(world.ULabel.filter(artifacts__key="x.txt").to_list("name")) == [
        "B cell",
        "T cell",
    ]


def test_filter_by_created_by_handle(world):
    handle = world.setup.settings.user.handle
    assert world.ULabel.filter(created_by__handle=handle).count() == 3
    assert world.ULabel.filter(created_by__handle=handle + "-not").count() == 0


def test_isnull_on_a_many_relation_means_has_none(world):
    assert world.ULabel.filter(artifacts__isnull=True).to_list("name") == ["other"]
    assert world.ULabel.filter(artifacts__isnull=False).count() == 2


def test_exclude_through_many_to_many_means_has_no_such_link(world):
    assert world.ULabel.exclude(artifacts__key="x.txt").to_list("name") == ["other"]


def test_unknown_relation_path_raises_invalid_argument(world):
    with pytest.raises(
        world.errors.InvalidArgument, match="no field.* 'nope'. Valid fields: .*ulabels"
    ):
        world.Artifact.filter(nope__name="x")


def test_related_manager_all_and_count(world):
    m = world.world["artifact"].ulabels
    assert sorted(r.name for r in m.all()) == ["B cell", "T cell"]
    assert m.count() == 2


def test_related_manager_filter_and_to_list(world):
    m = world.world["artifact"].ulabels
    assert m.filter(name__startswith="T").to_list("name") == ["T cell"]
    assert sorted(m.to_list("name")) == ["B cell", "T cell"]


def test_related_manager_to_dataframe(world):
    df = world.world["artifact"].ulabels.to_dataframe()
    assert sorted(df["name"]) == ["B cell", "T cell"]


def test_related_manager_search_and_lookup(world):
    m = world.world["artifact"].ulabels
    assert m.search("T cel").first().name == "T cell"
    assert m.search("other").to_list() == []
    assert m.lookup().b_cell.name == "B cell"


def test_related_manager_add_is_idempotent(world):
    a = world.world["artifact"]
    a.ulabels.add(world.world["tcell"])
    assert a.ulabels.count() == 2


def test_related_manager_remove(world):
    a = world.world["artifact"]
    a.ulabels.remove(world.world["tcell"])
    assert a.ulabels.to_list("name") == ["B cell"]


def test_related_manager_set_replaces(world):
    a = world.world["artifact"]
    a.ulabels.set([world.world["bcell"], world.world["other"]])
    assert sorted(a.ulabels.to_list("name")) == ["B cell", "other"]


def test_related_manager_clear(world):
    a = world.world["artifact"]
    a.ulabels.clear()
    assert a.ulabels.count() == 0
    assert world.ULabel.filter().count() == 3  # the labels themselves stay


def test_reverse_manager_sees_the_same_links(world):
    assert world.world["tcell"].artifacts.to_list("key") == ["x.txt"]
    assert world.world["r2"].input_artifacts.to_list("key") == ["x.txt"]
    assert world.world["r1"].output_artifacts.to_list("key") == ["x.txt"]


def test_reverse_foreign_key_manager(world):
    assert world.world["t1"].runs.to_list("name") == ["r1"]


def test_add_takes_only_records_of_the_target_registry(world):
    with pytest.raises(world.errors.InvalidArgument, match="takes ULabel records"):
        world.world["artifact"].ulabels.add(world.world["r1"])


def test_add_takes_only_saved_records(world):
    with pytest.raises(world.errors.InvalidArgument, match="save"):
        world.world["artifact"].ulabels.add(world.ULabel(name="unsaved"))


def test_manager_of_an_unsaved_record_is_refused(world):
    with pytest.raises(world.errors.InvalidArgument, match="Save this ULabel"):
        world.ULabel(name="new").parents  # noqa: B018


def test_add_many_is_a_few_statements(world):
    labels = [world.ULabel(name=f"l{i}") for i in range(1200)]
    world.save(labels)
    a = world.world["artifact"]
    with count_queries() as queries:
        a.ulabels.add(*labels)
    assert a.ulabels.count() == 1202
    queries.assert_at_most(6)


def test_set_many_is_a_few_statements(world):
    labels = [world.ULabel(name=f"l{i}") for i in range(300)]
    world.save(labels)
    a = world.world["artifact"]
    with count_queries() as queries:
        a.ulabels.set(labels)
    assert a.ulabels.count() == 300
    queries.assert_at_most(6)


def test_deleting_a_record_permanently_removes_its_links(world):
    world.world["tcell"].delete(permanent=True)
    assert world.world["artifact"].ulabels.to_list("name") == ["B cell"]


def test_to_dataframe_include_related_values(world):
    df = world.Artifact.to_dataframe(
        include=["ulabels__name", "run__transform__key", "created_by__handle"]
    )
    row = df.iloc[0]
    assert row["ulabels__name"] == {"T cell", "B cell"}
    assert row["run__transform__key"] == "make.py"
    assert row["created_by__handle"] == world.setup.settings.user.handle


def test_to_dataframe_include_is_a_query_per_hop_not_per_row(world):
    world.save([world.ULabel(name=f"m{i}") for i in range(200)])
    with count_queries() as queries:
        df = world.ULabel.to_dataframe(include=["created_by__handle", "artifacts__key"], limit=None)
    assert len(df) == 203
    queries.assert_at_most(6)

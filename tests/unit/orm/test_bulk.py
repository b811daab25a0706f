"""ln.save() in bulk, and bulk paths that stay a handful of SQL statements (no N+1)."""

from __future__ import annotations

import pytest

from tests.support.query_count import count_queries


def test_save_10000_labels_in_at_most_25_statements(ln):
    labels = [ln.ULabel(name=f"label {i}") for i in range(10_000)]
    with count_queries() as queries:
        ln.save(labels)
    queries.assert_at_most(25)
    assert ln.ULabel.filter().count() == 10_000


def test_bulk_save_gives_every_record_its_id(ln):
    labels = [ln.ULabel(name=f"label {i}") for i in range(1200)]
    ln.save(labels)
    ids = [r.id for r in labels]
    assert None not in ids and len(set(ids)) == 1200
    assert ln.ULabel.get(ids[777]).name == "label 777"


def test_bulk_save_fills_created_by(ln):
    labels = [ln.ULabel(name=str(i)) for i in range(3)]
    ln.save(labels)
    assert {r.created_by.handle for r in ln.ULabel.filter()} == {ln.setup.settings.user.handle}


def test_bulk_save_of_saved_records_updates_them(ln):
    labels = [ln.ULabel(name=str(i)).save() for i in range(3)]
    for r in labels:
        r.description = "updated"
    ln.save(labels)
    assert ln.ULabel.filter(description="updated").count() == 3


def test_bulk_save_of_several_registries(ln):
    ln.save([ln.ULabel(name="a"), ln.Project(name="p"), ln.ULabel(name="b")])
    assert (ln.ULabel.filter().count(), ln.Project.filter().count()) == (2, 1)


def test_bulk_save_of_an_empty_list_does_nothing(ln):
    with count_queries() as queries:
        ln.save([])
    assert queries.count == 0


def test_bulk_save_refuses_non_records(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="takes records"):
        ln.save(["x"])


def test_bulk_save_is_all_or_nothing(ln):
    existing = ln.ULabel(name="x").save()
    clash = ln.ULabel(name="clash")
    clash.uid = existing.uid
    with pytest.raises(ln.errors.IntegrityError):
        ln.save([ln.ULabel(name="ok 1"), clash, ln.ULabel(name="ok 2")])
    assert ln.ULabel.filter().to_list("name") == ["x"]


def test_from_values_create_then_save_is_a_few_statements(ln):
    with count_queries() as queries:
        ln.ULabel.from_values([f"v{i}" for i in range(2000)], create=True, mute=True).save()
    assert ln.ULabel.filter().count() == 2000
    queries.assert_at_most(12)


def test_iterating_records_and_reading_a_field_is_one_query(ln):
    ln.save([ln.ULabel(name=str(i)) for i in range(500)])
    with count_queries() as queries:
        names = [r.name for r in ln.ULabel.filter()]
    assert len(names) == 500
    assert queries.count == 1


def test_queryset_delete_of_many_is_a_few_statements(ln):
    ln.save([ln.ULabel(name=str(i)) for i in range(2000)])
    with count_queries() as queries:
        ln.ULabel.filter().delete()
    assert ln.ULabel.filter(branch_id=-1).count() == 2000
    queries.assert_at_most(6)


def test_query_children_is_a_query_per_level(ln):
    root = ln.ULabel(name="root").save()
    level = [root]
    for depth in range(4):
        nxt = [ln.ULabel(name=f"{depth}-{i}") for i in range(5)]
        ln.save(nxt)
        for child in nxt:
            child.parents.add(level[0])
        level = nxt
    with count_queries() as queries:
        descendants = root.query_children().count()
    assert descendants == 20
    queries.assert_at_most(6)


def test_bulk_save_round_trips_json_booleans_and_dates(ln):
    features = [
        ln.Feature(name=f"f{i}", dtype="float", default_value={"a": [i, None]}, coerce=bool(i % 2))
        for i in range(3)
    ]
    ln.save(features)
    stored = {f.name: f for f in ln.Feature.filter()}
    assert stored["f1"].default_value == {"a": [1, None]}
    assert (stored["f0"].coerce, stored["f1"].coerce) == (False, True)
    assert stored["f2"].created_at == features[2].created_at


def test_bulk_save_ignore_conflicts_skips_existing_uids(ln):
    existing = ln.ULabel(name="x").save()
    twin = ln.ULabel(name="twin")
    twin.uid = existing.uid
    fresh = ln.ULabel(name="fresh")
    ln.save([twin, fresh], ignore_conflicts=True)
    assert sorted(ln.ULabel.filter().to_list("name")) == ["fresh", "x"]
    assert fresh.id == ln.ULabel.get(name="fresh").id


def test_records_read_back_have_python_values(ln):
    import datetime

    ln.Feature(name="f", dtype="float", default_value={"k": 1}, coerce=True).save()
    f = ln.Feature.filter().one()
    assert isinstance(f.created_at, datetime.datetime)
    assert f.coerce is True and f.default_value == {"k": 1}
    df = ln.Feature.to_dataframe()
    assert str(df["created_at"].dtype).startswith("datetime64")
    assert df["coerce"].tolist() == [True]


def test_save_batch_size_splits_the_inserts(ln):
    labels = [ln.ULabel(name=f"l{i}") for i in range(7)]
    with count_queries() as queries:
        ln.save(labels, batch_size=3)
    inserts = [sql for sql, _ in queries.statements if sql.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 3 and ln.ULabel.filter().count() == 7


@pytest.mark.parametrize("bad", [0, -1, 2.5, "10", True])
def test_save_batch_size_must_be_a_positive_int(ln, bad):
    with pytest.raises(ln.errors.InvalidArgument):
        ln.save([ln.ULabel(name="x")], batch_size=bad)
    assert ln.ULabel.filter().count() == 0

"""lookup() hands out records, built only when one is asked for."""

from __future__ import annotations

from tests.support.query_count import count_queries


def test_lookup_attribute_returns_the_record(ln):
    ln.save([ln.ULabel(name=n) for n in ["T cell", "B cell"]])
    label = ln.ULabel.lookup().t_cell
    assert isinstance(label, ln.ULabel) and label.name == "T cell"


def test_lookup_builds_no_record_until_one_is_used(ln):
    ln.save([ln.ULabel(name=f"label {i}") for i in range(300)])
    with count_queries() as building:
        labels = ln.ULabel.lookup()
    with count_queries() as using:
        first = labels.label_7
        again = labels["label 7"]
    assert building.count == 1 and using.count == 1
    assert first is again and first.name == "label 7"


def test_lookup_dict_resolves_every_record_in_one_query(ln):
    ln.save([ln.ULabel(name=f"label {i}") for i in range(50)])
    labels = ln.ULabel.lookup()
    with count_queries() as q:
        mapping = labels.dict()
    assert q.count == 1
    assert sorted(r.name for r in mapping.values()) == sorted(f"label {i}" for i in range(50))


def test_lookup_with_return_field_gives_values(ln):
    ln.ULabel(name="T cell", description="lymphocyte").save()
    assert ln.ULabel.lookup(return_field="description").t_cell == "lymphocyte"


def test_lookup_of_a_trash_filtered_set_resolves_trashed_records(ln):
    label = ln.ULabel(name="old").save()
    label.delete()
    assert ln.ULabel.filter(branch_id=-1).lookup().old.uid == label.uid


def test_lookup_keep_false_gives_every_duplicate(ln):
    ln.save([ln.ULabel(name="dup", description="a"), ln.ULabel(name="dup", description="b")])
    both = ln.ULabel.lookup(keep=False).dup
    assert sorted(r.description for r in both) == ["a", "b"]

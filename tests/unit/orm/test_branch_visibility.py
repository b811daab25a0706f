"""What a query sees on a branch, where new records go, and ``record.branch = ...``."""

from __future__ import annotations

import pytest


def _names(qs):
    return sorted(r.name for r in qs)


def test_records_made_on_a_branch_are_on_it(ln):
    ln.setup.switch("b", create=True)
    label = ln.ULabel(name="draft").save()
    assert (label.branch.name, label.created_on.name) == ("b", "b")


def test_a_branch_sees_its_records_and_main(ln):
    ln.ULabel(name="on main").save()
    ln.setup.switch("b", create=True)
    ln.ULabel(name="on b").save()
    assert _names(ln.ULabel.filter()) == ["on b", "on main"]


def test_main_does_not_see_a_branch_records_until_merged(ln):
    ln.setup.switch("b", create=True)
    ln.ULabel(name="on b").save()
    ln.setup.switch("main")
    assert ln.ULabel.filter(name="on b").count() == 0
    ln.setup.merge("b")
    assert ln.ULabel.filter(name="on b").count() == 1


def test_filter_on_the_branch_reaches_another_branch(ln):
    ln.setup.switch("b", create=True)
    ln.ULabel(name="on b").save()
    ln.setup.switch("main")
    b = ln.Branch.get(name="b")
    assert _names(ln.ULabel.filter(branch=b)) == _names(ln.ULabel.filter(branch__name="b"))
    assert _names(ln.ULabel.filter(branch=b)) == ["on b"]


def test_archived_records_are_hidden_from_queries_that_name_no_branch(ln):
    label = ln.ULabel(name="old").save()
    label.branch_id = 0
    label.save()
    assert (ln.ULabel.filter().count(), ln.ULabel.filter(branch_id=0).count()) == (0, 1)


def test_deleting_on_a_branch_moves_to_the_trash_and_restore_onto_main(ln):
    ln.setup.switch("b", create=True)
    label = ln.ULabel(name="x").save()
    label.delete()
    assert (ln.ULabel.filter().count(), ln.ULabel.filter(branch_id=-1).count()) == (0, 1)
    label.restore()
    assert ln.ULabel.get(name="x").branch_id == 1


def test_assigning_a_branch_moves_the_record(ln):
    other = ln.Branch(name="other").save()
    label = ln.ULabel(name="x").save()
    label.branch = other
    label.save()
    assert (
        ln.ULabel.filter(name="x").count(),
        ln.ULabel.get(name="x", branch=other).created_on_id,
    ) == (0, 1)


def test_assigning_a_branch_name_is_refused(ln):
    label = ln.ULabel(name="x").save()
    with pytest.raises(ln.errors.InvalidArgument, match="takes a saved Branch"):
        label.branch = "other"


def test_storage_locations_stay_on_main(ln, tmp_path):
    ln.setup.switch("b", create=True)
    assert ln.Storage(root=str(tmp_path / "more")).save().branch_id == 1


def test_a_new_version_on_a_branch_leaves_main_latest(ln):
    v1 = ln.Transform(key="t.py").save()
    ln.setup.switch("b", create=True)
    v2 = ln.Transform(key="t.py", revises=v1).save()
    assert (ln.Transform.get(v1.id).is_latest, v2.is_latest, v2.uid[-4:]) == (True, True, "0001")
    ln.setup.switch("main")
    assert [t.uid[-4:] for t in ln.Transform.filter(key="t.py", is_latest=True)] == ["0000"]


def test_merge_keeps_the_newest_version_latest(ln):
    v1 = ln.Transform(key="t.py").save()
    ln.setup.switch("b", create=True)
    ln.Transform(key="t.py", revises=v1).save()
    ln.setup.switch("main")
    ln.setup.merge("b")
    latest = ln.Transform.filter(key="t.py").order_by("uid").to_list("is_latest")
    assert latest == [False, True]


def test_a_filter_by_uid_finds_a_trashed_record(ln):
    label = ln.ULabel(name="x").save()
    label.delete()
    assert (ln.ULabel.filter(uid=label.uid).count(), ln.ULabel.get(label.uid).name) == (1, "x")


def test_a_filter_by_id_finds_a_record_on_another_branch(ln):
    ln.setup.switch("b", create=True)
    label = ln.ULabel(name="on b").save()
    ln.setup.switch("main")
    assert ln.ULabel.filter(id__in=[label.id]).count() == 1


def test_a_filter_by_uid_and_branch_keeps_the_branch_condition(ln):
    label = ln.ULabel(name="x").save()
    label.delete()
    assert ln.ULabel.filter(uid=label.uid, branch_id=1).count() == 0


def test_a_constructor_takes_a_branch_record(ln):
    other = ln.Branch(name="other").save()
    label = ln.ULabel(name="x", branch=other).save()
    assert (label.branch_id, label.created_on_id) == (other.id, other.id)


def test_a_constructor_refuses_a_branch_name(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="takes a saved Branch"):
        ln.ULabel(name="x", branch="other")

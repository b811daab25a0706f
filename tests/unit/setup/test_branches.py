"""``ln.setup.switch``, ``ln.setup.merge``, ``ln.setup.settings.branch`` and ``Branch`` itself."""

from __future__ import annotations

import pytest


def test_a_new_instance_works_on_main(ln):
    assert ln.setup.settings.branch.name == "main"


def test_switch_create_makes_a_new_branch_current(ln):
    ln.setup.switch("my_branch", create=True)
    branch = ln.setup.settings.branch
    assert (branch.name, branch.id, branch.status) == ("my_branch", 2, "standalone")


def test_switch_create_refuses_a_branch_that_exists(ln):
    ln.Branch(name="my_branch").save()
    with pytest.raises(ln.errors.BranchAlreadyExists, match="Omit -c/--create"):
        ln.setup.switch("my_branch", create=True)
    assert ln.setup.settings.branch.name == "main"


def test_switch_to_a_missing_branch_says_how_to_create_it(ln):
    with pytest.raises(ln.errors.DoesNotExist, match="create=True"):
        ln.setup.switch("nowhere")


def test_switch_takes_a_uid_or_a_branch(ln):
    branch = ln.Branch(name="b").save()
    ln.setup.switch(branch.uid)
    assert ln.setup.settings.branch.name == "b"
    ln.setup.switch(ln.Branch.get(name="main"))
    assert ln.setup.settings.branch.name == "main"


def test_settings_branch_assignment_switches(ln):
    ln.Branch(name="b").save()
    ln.setup.settings.branch = "b"
    assert ln.setup.settings.branch.name == "b"


def test_the_current_branch_stays_current_after_reconnecting(ln):
    ln.setup.switch("b", create=True)
    name = ln.setup.settings.instance.name
    ln.setup.disconnect()
    ln.setup.connect(name)
    assert ln.setup.settings.branch.name == "b"


def test_a_branch_marker_of_another_instance_falls_back_to_main(ln, tmp_path):
    ln.setup.switch("b", create=True)
    ln.setup.init(storage=tmp_path / "other", name=ln.setup.settings.instance.name + "-x")
    assert ln.setup.settings.branch.name == "main"
    from lamin_lab.settings import write_current_branch

    write_current_branch(ln.setup.settings.instance.name, "gone00000000", "gone")
    ln.setup.connect(ln.setup.settings.instance.name)
    assert ln.setup.settings.branch.name == "main"


def test_merge_moves_the_branch_records_onto_the_current_branch(ln):
    ln.setup.switch("b", create=True)
    label = ln.ULabel(name="new").save()
    ln.setup.switch("main")
    ln.setup.merge("b")
    assert ln.ULabel.get(name="new").branch_id == 1
    assert ln.ULabel.get(name="new").created_on_id == label.branch_id == 2


def test_merge_marks_the_branch_merged(ln):
    ln.setup.switch("b", create=True)
    ln.setup.switch("main")
    ln.setup.merge("b")
    assert ln.Branch.get(name="b").status == "merged"


def test_merge_into_the_same_branch_changes_nothing(ln):
    ln.setup.switch("b", create=True)
    ln.ULabel(name="new").save()
    ln.setup.merge("b")
    assert (ln.ULabel.get(name="new").branch_id, ln.Branch.get(name="b").status) == (
        2,
        "standalone",
    )


def test_merge_of_a_missing_branch_raises_does_not_exist(ln):
    with pytest.raises(ln.errors.DoesNotExist):
        ln.setup.merge("nowhere")


def test_merge_target_names_the_branch_to_merge_into(ln):
    ln.Branch(name="a").save()
    ln.setup.switch("b", create=True)
    ln.ULabel(name="new").save()
    ln.setup.merge("b", target="a")
    assert ln.ULabel.get(name="new", branch=None).branch.name == "a"


def test_branch_names_are_unique_ignoring_case(ln):
    ln.Branch(name="Feature").save()
    with pytest.raises(ln.errors.IntegrityError, match="exists already"):
        ln.Branch(name="feature").save()


def test_branch_status_is_set_by_name_and_filtered_by_name(ln):
    branch = ln.Branch(name="b").save()
    branch.status = "review"
    branch.save()
    assert (branch._status_code, ln.Branch.filter(status="review").one().name) == (2, "b")
    assert ln.Branch.filter(status__in=["draft", "review"]).count() == 1


def test_an_unknown_branch_status_is_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="'standalone', 'draft'"):
        ln.Branch(name="b").status = "done"


def test_switch_to_a_space_is_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="single space"):
        ln.setup.switch("all", space=True)


@pytest.mark.own_database  # changes the schema: never on the worker's shared database
def test_connecting_a_version_3_database_adds_the_branch_status(ln):
    from lamin_lab.orm.database import ensure_connected
    from lamin_lab.setup.schema import add_branch_status_column
    from tests.unit.setup.test_setup import _write_version

    name = ln.setup.settings.instance.name
    ln.Branch(name="b").save()
    db = ensure_connected()
    db.execute_sql('DROP INDEX "branch__status_code"')
    db.execute_sql('ALTER TABLE "branch" DROP COLUMN "_status_code"')
    _write_version(3)
    ln.setup.disconnect()
    ln.setup.connect(name)
    add_branch_status_column(ensure_connected())  # a second run changes nothing
    assert ln.Branch.get(name="b").status == "standalone"

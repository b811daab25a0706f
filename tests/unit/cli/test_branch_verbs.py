"""``lamin-lab switch [-c] BRANCH`` and ``lamin-lab merge BRANCH`` from the shell."""

from __future__ import annotations


def test_switch_c_creates_the_branch_and_later_processes_are_on_it(instance):
    out = instance("switch -c my_branch")
    assert "created branch: my_branch" in out.stderr and "switched to my_branch" in out.stderr
    assert (
        instance.python("import lamin_lab as ln; print(ln.setup.settings.branch.name)")
        == "my_branch"
    )


def test_switch_c_refuses_a_branch_that_exists(instance):
    instance("switch -c my_branch")
    out = instance("switch -c my_branch", ok=False)
    assert out.returncode == 1 and "already exists" in out.stderr


def test_switch_to_a_missing_branch_fails_with_one_line(instance):
    out = instance("switch nowhere", ok=False)
    assert out.returncode == 1 and out.stderr.strip().startswith("error: Branch 'nowhere'")


def test_merge_brings_a_branch_records_onto_main(instance):
    instance("switch -c my_branch")
    instance.python("import lamin_lab as ln; ln.ULabel(name='x').save()")
    instance("switch main")
    count = "import lamin_lab as ln; print(ln.ULabel.filter().count())"
    assert instance.python(count) == "0"
    assert "merged branch 'my_branch' into 'main'" in instance("merge my_branch").stderr
    assert instance.python(count) == "1"


def test_info_shows_the_current_branch(instance):
    instance("switch -c my_branch")
    assert " - branch: my_branch" in instance("info").stdout


def test_help_of_switch_and_merge_has_examples(shell):
    assert "lamin-lab switch -c my_branch" in shell("switch --help").stdout
    assert "lamin-lab merge my_branch" in shell("merge --help").stdout


def test_deleting_the_instance_forgets_its_current_branch(instance):
    instance("switch -c my_branch")
    instance("delete mydata --force")
    assert not (instance.home / "branches" / "mydata.json").exists()

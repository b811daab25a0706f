"""``lamin-lab switch [-c] BRANCH`` and ``lamin-lab merge BRANCH`` from the shell."""

from __future__ import annotations

import re


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


# --- list, create, update, get (LaminDB's `lamin list branch`, `lamin update branch --status`)


def test_list_branch_shows_the_built_in_branches_with_their_status(instance):
    out = instance("list branch").stdout
    lines = out.splitlines()
    assert "status" in lines[0]
    assert [line.split()[2] for line in lines[2:]] == ["main", "archive", "trash"]
    assert all(line.split()[3] == "standalone" for line in lines[2:])


def test_list_branch_shows_a_new_branch_first(instance):
    instance("switch -c my_branch")
    assert instance("list branch").stdout.splitlines()[2].split()[2] == "my_branch"


def test_list_space_shows_the_one_space(instance):
    assert instance("list space").stdout.splitlines()[2].split()[2] == "all"


def test_list_of_an_unknown_registry_is_a_usage_error(instance):
    out = instance("list artifact", ok=False)
    assert out.returncode == 2 and "invalid choice: 'artifact'" in out.stderr
    assert "Traceback" not in out.stderr


def test_create_branch_makes_it_without_switching(instance):
    assert "created branch: b2" in instance("create branch b2").stderr
    assert instance.python("import lamin_lab as ln; print(ln.setup.settings.branch.name)") == "main"
    assert (
        instance.python("import lamin_lab as ln; print(ln.Branch.get(name='b2').status)")
        == "standalone"
    )


def test_create_branch_refuses_an_existing_name(instance):
    out = instance("create branch main", ok=False)
    assert out.returncode == 1 and out.stderr.strip() == (
        "error: a branch named 'main' exists already: pick another name"
    )


def test_update_branch_status_sets_the_current_branch(instance):
    instance("switch -c my_branch")
    assert "status='draft'" in instance("update branch --status draft").stderr
    assert instance("get branch --status").stdout == "draft\n"


def test_update_branch_by_name_sets_that_branch(instance):
    instance("create branch my_branch")
    instance("update branch --name my_branch --status review")
    assert instance("get branch --name my_branch --status").stdout == "review\n"
    assert instance("get branch --status").stdout == "standalone\n"  # main is untouched


def test_update_of_an_unknown_branch_fails_with_one_line(instance):
    out = instance("update branch --name nope --status draft", ok=False)
    assert out.returncode == 1
    assert (
        out.stderr
        == "error: no branch named 'nope': list the branches with lamin-lab list branch\n"
    )


def test_update_with_an_unknown_status_is_a_usage_error(instance):
    out = instance("update branch --status bogus", ok=False)
    assert out.returncode == 2 and "invalid choice: 'bogus'" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_update_needs_status_or_description(instance):
    out = instance("update branch", ok=False)
    assert out.returncode == 1 and "pass one of --status or --description" in out.stderr


def test_update_status_of_an_artifact_is_refused(instance):
    out = instance("update artifact --key x.csv --status draft", ok=False)
    assert out.returncode == 1 and "--status is for branches only" in out.stderr


def test_update_and_get_a_project_description(instance):
    instance("create project p1")
    instance("update project --name p1 --description 'first project'")
    assert instance("get project --name p1 --description").stdout == "first project\n"


def test_merge_sets_the_status_merged(instance):
    instance("switch -c my_branch")
    instance("switch main")
    instance("merge my_branch")
    assert instance("get branch --name my_branch --status").stdout == "merged\n"


def test_help_of_the_branch_verbs_has_examples(shell):
    assert "lamin-lab list branch" in shell("list --help").stdout
    assert "lamin-lab update branch --status draft" in shell("update --help").stdout
    assert "lamin-lab get branch --status" in shell("get --help").stdout
    assert "lamin-lab create branch my_branch" in shell("create --help").stdout


# --- annotate branch --readme / --comment, describe branch [--include comments]


def test_annotate_branch_readme_becomes_its_notes(instance):
    (instance.cwd / "README.md").write_text("# My branch\n\nWhy this change.\n")
    out = instance("annotate branch --readme README.md")
    assert out.stderr == "→ annotated branch 'main' with a readme\n"
    notes = "import lamin_lab as ln; print(repr(ln.Branch.get(name='main').notes))"
    assert instance.python(notes) == repr("# My branch\n\nWhy this change.\n")


def test_annotate_branch_with_a_missing_readme_fails_and_writes_nothing(instance):
    out = instance("annotate branch --readme nothere.md", ok=False)
    assert out.returncode == 1
    assert (
        out.stderr == "error: --readme nothere.md: no such file; pass the path of a markdown file\n"
    )
    assert (
        instance.python("import lamin_lab as ln; print(ln.models.BranchBlock.filter().count())")
        == "0"
    )


def test_annotate_branch_comment_goes_to_the_current_branch(instance):
    instance("switch -c my_branch")
    instance("annotate branch --comment 'ready?'")
    code = (
        "import lamin_lab as ln; print(ln.Branch.get(name='my_branch').comments.to_list('content'))"
    )
    assert instance.python(code) == "['ready?']"


def test_annotate_an_unknown_branch_fails_with_one_line(instance):
    out = instance("annotate branch --name nope --comment hi", ok=False)
    assert out.returncode == 1 and out.stderr.startswith("error: no branch named 'nope'")
    assert len(out.stderr.strip().splitlines()) == 1


def test_annotate_branch_without_readme_or_comment_says_what_to_pass(instance):
    out = instance("annotate branch", ok=False)
    assert out.returncode == 1 and "pass --readme FILE or --comment TEXT" in out.stderr


def test_annotate_an_artifact_with_a_comment(instance):
    (instance.cwd / "t.csv").write_text("a\n1\n")
    instance("save t.csv --key t.csv")
    out = instance("annotate --key t.csv --comment 'check units'")
    assert out.stderr.endswith("0 ulabels, 0 projects, 0 features, a comment\n")
    code = "import lamin_lab as ln; print(ln.models.ArtifactBlock.filter().to_list('content'))"
    assert instance.python(code) == "['check units']"


def test_describe_branch_shows_the_current_branch_with_status_and_notes(instance):
    instance("switch -c my_branch")
    instance("update branch --status review")
    (instance.cwd / "README.md").write_text("# Plan\n")
    instance("annotate branch --readme README.md")
    out = instance("describe branch").stdout
    assert out.startswith("Branch  my_branch\n")
    assert re.search(r"\n│   ├── status +review\n", out)
    assert "readme  # Plan" in out


def test_describe_branch_shows_comments_only_when_included(instance):
    instance("annotate branch --comment 'I think we should revisit this, tomorrow, WDYT?'")
    assert "WDYT" not in instance("describe branch").stdout
    out = instance("describe branch --include comments").stdout
    assert "Comments  1" in out and "I think we should revisit this, tomorrow, WDYT?" in out


def test_describe_branch_by_name(instance):
    instance("create branch other")
    assert instance("describe branch --name other").stdout.startswith("Branch  other\n")


def test_describe_an_unknown_branch_fails_with_one_line(instance):
    out = instance("describe branch --name nope", ok=False)
    assert out.returncode == 1
    assert (
        out.stderr
        == "error: no branch named 'nope': list the branches with lamin-lab list branch\n"
    )


def test_describe_with_an_unknown_include_is_a_usage_error(instance):
    out = instance("describe branch --include everything", ok=False)
    assert out.returncode == 2 and "invalid choice: 'everything'" in out.stderr


def test_delete_branch_without_a_name_never_means_the_current_branch(instance):
    out = instance("delete branch", ok=False)
    assert out.returncode == 1 and "which record?" in out.stderr


def test_help_of_describe_and_annotate_show_the_branch_examples(shell):
    assert "lamin-lab describe branch --include comments" in shell("describe --help").stdout
    assert "lamin-lab annotate branch --readme README.md" in shell("annotate --help").stdout


def test_the_branch_commands_of_lamindbs_manage_changes_guide_run_in_order(instance):
    # the guide's bash cells with `lamin` -> `lamin-lab` (README.md written first: the guide assumes one)
    (instance.cwd / "README.md").write_text("# my_branch\n")
    for line in [
        "list branch",
        "switch -c my_branch",
        "update branch --status draft",
        "update branch --name my_branch --status review",
        "switch main",
        "merge my_branch",
        "info",
        "annotate branch --readme README.md",
        "annotate branch --comment 'I think we should revisit this, tomorrow, WDYT?'",
        "describe branch --include comments",
    ]:
        out = instance(line)
    assert "WDYT?" in out.stdout and "readme  # my_branch" in out.stdout
    assert instance("get branch --name my_branch --status").stdout == "merged\n"

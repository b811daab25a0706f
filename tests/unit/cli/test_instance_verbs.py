"""``lamin-lab`` instance verbs, run from the shell: init, connect, disconnect, info, settings, delete NAME."""

from __future__ import annotations

import json

import pytest

VERBS = [
    "init",
    "connect",
    "disconnect",
    "info",
    "settings",
    "save",
    "load",
    "describe",
    "annotate",
    "delete",
    "switch",
    "merge",
    "list",
    "create",
    "update",
    "get",
    "cache",
    "doctor",
    "demo",
]


def test_help_lists_every_verb(shell):
    out = shell("--help").stdout
    assert all(f"    {verb}" in out for verb in VERBS)


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_help_ends_with_an_example(shell, verb):
    out = shell(f"{verb} --help").stdout
    assert "example:\n  lamin-lab " + verb in out


def test_version_prints_the_package_version(shell):
    assert shell("--version").stdout.startswith("lamin_lab ")


def test_init_makes_the_instance_current_for_new_processes(shell):
    shell("init --storage ./mydata")
    assert json.loads((shell.home / "current.json").read_text()) == {"name": "mydata"}
    assert (
        shell.python("import lamin_lab as ln; print(ln.setup.settings.instance.name)") == "mydata"
    )


def test_init_takes_a_name(shell):
    shell("init --storage ./data --name lab1")
    assert "Instance: lab1" in shell("info").stdout


def test_init_rejects_a_db_that_is_not_postgres_in_one_line(shell):
    out = shell("init --storage ./d --db mysql://x", ok=False)
    assert out.returncode == 1
    assert out.stderr.startswith("error: db must be a PostgreSQL URL")
    assert "Traceback" not in out.stderr


def test_info_shows_instance_storage_user_and_counts(instance):
    instance.python("import lamin_lab as ln; ln.ULabel(name='a').save()")
    out = instance("info").stdout
    assert "Instance: mydata" in out
    assert f"storage: {instance.cwd / 'mydata'}" in out
    assert "1 ulabels" in out and "0 artifacts" in out
    assert "User: " in out


def test_connect_switches_the_current_instance(shell):
    shell("init --storage ./one")
    shell("init --storage ./two")
    shell("connect one")
    assert "Instance: one" in shell("info").stdout


def test_connect_unknown_instance_says_which_exist(instance):
    out = instance("connect nope", ok=False)
    assert out.returncode == 1
    assert "No instance named 'nope'" in out.stderr and "Known: mydata" in out.stderr


def test_disconnect_unsets_the_current_instance(instance):
    instance("disconnect")
    assert not (instance.home / "current.json").exists()
    assert "instance: None" in instance("settings").stdout


def test_settings_shows_and_sets_the_storage(instance):
    instance("settings set storage ./more")
    assert instance("settings get storage").stdout.strip() == str(instance.cwd / "more")
    assert (instance.cwd / "more").is_dir()


def test_settings_set_unknown_key_is_one_clear_line(instance):
    out = instance("settings set colour red", ok=False)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "KEY one of storage" in out.stderr


def test_delete_instance_needs_force(instance):
    out = instance("delete mydata", ok=False)
    assert out.returncode == 1 and "pass --force" in out.stderr
    assert (instance.home / "instances" / "mydata.json").exists()


def test_delete_instance_keeps_files_outside_dot_lamindb(instance):
    (instance.cwd / "mydata" / "notes.txt").write_text("mine")
    (instance.cwd / "t.csv").write_text("a\n1\n")
    instance("save t.csv --key t.csv")
    instance("delete mydata --force")
    assert (instance.cwd / "mydata" / "notes.txt").read_text() == "mine"
    assert not (instance.cwd / "mydata" / ".lamindb").exists()
    assert not (instance.cwd / "mydata" / "mydata.lndb").exists()
    assert not (instance.home / "instances" / "mydata.json").exists()


def test_delete_instance_with_storage_removes_the_folder(instance):
    instance("delete mydata --force --storage")
    assert not (instance.cwd / "mydata").exists()


def test_cache_where_and_clear(instance):
    cache = instance("cache where").stdout.strip()
    assert cache == str(instance.home / "cache")
    (instance.home / "cache" / "x.bin").write_text("x")
    instance("cache clear")
    assert list((instance.home / "cache").iterdir()) == []


def test_switch_main_is_fine(instance):
    assert instance("switch main").returncode == 0


def test_unknown_verb_exits_non_zero(shell):
    assert shell("frobnicate", ok=False).returncode == 2


def test_settings_in_laminDB_order(instance):
    assert instance("settings cache-dir get").stdout.strip() == str(instance.home / "cache")


def test_usage_errors_are_one_line(shell):
    out = shell("save", ok=False)
    assert out.returncode == 2
    assert out.stderr == (
        "error: lamin-lab save: the following arguments are required: path "
        "(see lamin-lab save --help)\n"
    )

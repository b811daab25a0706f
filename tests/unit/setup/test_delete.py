"""ln.setup.delete(name, force=True): what goes, what stays, and the settings afterwards (as LaminDB)."""

from __future__ import annotations

import json
import logging

import pytest


@pytest.fixture
def other(ln, tmp_path):
    """A second instance 'other' (set up, then the first one connected again)."""
    own = ln.setup.settings.instance.name
    ln.setup.init(storage=tmp_path / "other")
    ln.setup.connect(own)
    return tmp_path / "other"


def _home(ln):
    from lamin_lab.settings import home_dir

    return home_dir()


def test_an_empty_other_instance_goes_with_its_storage_folder(ln, other):
    assert ln.setup.delete("other", force=True) is None
    assert not other.exists()
    assert not (_home(ln) / "instances" / "other.json").exists()


def test_deleting_another_instance_keeps_the_current_one_working(ln, other):
    own = ln.setup.settings.instance.name
    ln.setup.delete("other", force=True)
    assert ln.setup.settings.instance.name == own and ln.Artifact.filter().count() == 0


def test_the_owner_name_form_is_accepted(ln, other):
    ln.setup.delete("anonymous/other", force=True)
    assert not other.exists()


def test_it_says_it_is_deleting_the_instance(ln, other, caplog):
    with caplog.at_level(logging.INFO, logger="lamin_lab"):
        ln.setup.delete("other", force=True)
    assert "deleting instance 'other'" in caplog.text


def test_content_in_dot_lamindb_refuses_and_keeps_everything(ln, other, tmp_path):
    (other / ".lamindb").mkdir(exist_ok=True)
    (other / ".lamindb" / "AbCdEfGhIjKlMnOp0000.csv").write_text("a\n1\n")
    with pytest.raises(ln.errors.StorageNotEmpty, match="AbCdEfGhIjKlMnOp0000.csv"):
        ln.setup.delete("other", force=True)
    assert (other / "other.lndb").exists() and (_home(ln) / "instances" / "other.json").exists()


def test_require_empty_false_deletes_the_content_too(ln, other):
    (other / ".lamindb").mkdir(exist_ok=True)
    (other / ".lamindb" / "AbCdEfGhIjKlMnOp0000.csv").write_text("a\n1\n")
    ln.setup.delete("other", force=True, require_empty=False)
    assert not other.exists()


def test_files_outside_dot_lamindb_are_kept_with_their_folder(ln, other, caplog):
    (other / "notes.txt").write_text("mine")
    with caplog.at_level(logging.WARNING, logger="lamin_lab"):
        ln.setup.delete("other", force=True)
    assert (other / "notes.txt").read_text() == "mine"
    assert not (other / "other.lndb").exists() and not (other / ".lamindb").exists()
    assert "kept the files outside .lamindb/" in caplog.text


def test_without_force_nothing_is_deleted(ln, other):
    with pytest.raises(ln.errors.InvalidArgument, match="force=True"):
        ln.setup.delete("other")
    assert (other / "other.lndb").exists()


def test_an_unknown_name_is_instance_not_found(ln):
    with pytest.raises(ln.errors.InstanceNotFoundError, match="no-such"):
        ln.setup.delete("no-such", force=True)


def test_the_other_instance_when_current_on_disk_leaves_no_current(ln, tmp_path):
    own = ln.setup.settings.instance.name
    ln.setup.init(storage=tmp_path / "other")  # the current one for new processes
    ln.setup.connect(own, make_current=False)
    ln.setup.delete("other", force=True)
    assert not (_home(ln) / "current.json").exists()


def test_deleting_the_current_instance_disconnects_and_unsets_it(ln):
    name = ln.setup.settings.instance.name
    root = ln.settings.storage.root
    ln.setup.delete(name, force=True)
    assert not (_home(ln) / "current.json").exists()
    assert not (_home(ln) / "instances" / f"{name}.json").exists()
    assert not root.exists()


def test_deleting_another_instance_keeps_the_current_setting(ln, other):
    ln.setup.delete("other", force=True)
    current = json.loads((_home(ln) / "current.json").read_text())["name"]
    assert current == ln.setup.settings.instance.name

"""Artifacts from paths inside a storage root: in place, under their real key or another (``_real_key``)."""

from __future__ import annotations

import pytest


def _in_root(ln, rel, text="a,b\n1,2\n"):
    path = ln.settings.storage.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_file_in_a_subfolder_is_registered_in_place_under_its_relative_path(ln):
    path = _in_root(ln, "sub/x.csv")
    a = ln.Artifact(path).save()
    assert (a.key, a._key_is_virtual, a.path) == ("sub/x.csv", False, path)
    assert not (ln.settings.storage.root / ".lamindb").exists()  # nothing copied


def test_file_in_root_given_as_a_string_keeps_its_relative_path(ln):
    path = _in_root(ln, "a/b/c.csv")
    a = ln.Artifact(str(path), description="c").save()
    assert (a.key, a._key_is_virtual) == ("a/b/c.csv", False)


def test_folder_in_root_is_registered_in_place(ln):
    _in_root(ln, "runs/r1/a.txt", "a")
    _in_root(ln, "runs/r1/b.txt", "b")
    a = ln.Artifact(ln.settings.storage.root / "runs" / "r1").save()
    assert (a.key, a._key_is_virtual, a.n_files) == ("runs/r1", False, 2)


def test_file_in_root_with_another_key_stays_in_place_under_its_real_key(ln):
    path = _in_root(ln, "sub/z.csv", "a,b\n3,4\n")
    a = ln.Artifact(path, key="other/z.csv").save()
    assert (a.key, a._real_key, a._key_is_virtual) == ("other/z.csv", "sub/z.csv", True)
    assert (a.path, a.cache(), a.load().to_dict()) == (path, path, {"a": {0: 3}, "b": {0: 4}})
    assert not (ln.settings.storage.root / ".lamindb").exists()  # nothing copied


def test_file_in_root_with_another_key_lands_in_the_containing_storage(ln):
    path = _in_root(ln, "sub/z.csv")
    a = ln.Artifact(path, key="other/z.csv").save()
    assert a.storage.root == ln.settings.storage.root_as_str


def test_file_in_place_under_another_key_is_kept_when_its_record_is_deleted(ln):
    path = _in_root(ln, "sub/d.csv")
    ln.Artifact(path, key="other/d.csv").save().delete(permanent=True)
    assert path.exists() and ln.Artifact.filter().count() == 0


def test_file_in_place_under_another_key_is_deleted_with_storage_true(ln):
    path = _in_root(ln, "sub/e.csv")
    ln.Artifact(path, key="other/e.csv").save().delete(permanent=True, storage=True)
    assert not path.exists()


def test_replace_with_a_new_suffix_moves_the_real_key_too(ln, tmp_path):
    path = _in_root(ln, "sub/r.csv")
    a = ln.Artifact(path, key="other/r.csv").save()
    new = tmp_path / "r.txt"
    new.write_text("text")
    a.replace(new)
    a.save()
    assert (a.key, a._real_key, a.path.read_text()) == ("other/r.txt", "sub/r.txt", "text")
    assert not path.exists()


def test_a_new_default_root_counts_before_anything_was_saved_there(ln, tmp_path):
    second = tmp_path / "second"
    second.mkdir()
    ln.settings.storage = second  # registered on first use only
    path = second / "s" / "x.csv"
    path.parent.mkdir()
    path.write_text("a\n1\n")
    a = ln.Artifact(path).save()
    assert (a.key, a._key_is_virtual, a.storage.root) == ("s/x.csv", False, str(second))


def test_a_file_in_a_root_that_is_no_longer_the_default_is_registered_there(ln, tmp_path):
    first = ln.settings.storage.root
    path = _in_root(ln, "old/x.csv")
    ln.settings.storage = tmp_path / "second"
    a = ln.Artifact(path).save()
    assert (a.key, a.storage.root) == ("old/x.csv", str(first))


def test_with_virtual_keys_off_a_copy_is_stored_under_its_key(ln, tmp_path, monkeypatch):
    path = tmp_path / "v.csv"
    path.write_text("a\n1\n")
    monkeypatch.setattr(ln.settings.creation, "_artifact_use_virtual_keys", False)
    a = ln.Artifact(path, key="raw/v.csv").save()
    assert (a._key_is_virtual, a.path) == (False, ln.settings.storage.root / "raw" / "v.csv")


def test_with_virtual_keys_off_an_artifact_without_key_is_stored_under_its_uid(
    ln, tmp_path, monkeypatch
):
    path = tmp_path / "w.csv"
    path.write_text("a\n2\n")
    monkeypatch.setattr(ln.settings.creation, "_artifact_use_virtual_keys", False)
    a = ln.Artifact(path, description="w").save()
    assert (a._key_is_virtual, a.path.parent.name) == (True, ".lamindb")


def test_virtual_keys_are_on_by_default(ln):
    assert ln.settings.creation._artifact_use_virtual_keys is True


def test_another_key_with_key_is_virtual_false_is_refused(ln):
    path = _in_root(ln, "sub/k.csv")
    with pytest.raises(ln.errors.InvalidArgument, match="leave key_is_virtual= out"):
        ln.Artifact(path, key="other/k.csv", key_is_virtual=False)


def test_from_dir_inside_root_with_a_key_keeps_each_place_as_real_key(ln):
    _in_root(ln, "imgs/a.txt", "a")
    _in_root(ln, "imgs/sub/b.txt", "b")
    arts = ln.Artifact.from_dir(ln.settings.storage.root / "imgs", key="pics")
    ln.save(arts)
    found = ln.Artifact.filter(key__startswith="pics/").order_by("key")
    assert [(a.key, a._real_key) for a in found] == [
        ("pics/a.txt", "imgs/a.txt"),
        ("pics/sub/b.txt", "imgs/sub/b.txt"),
    ]
    assert [a.cache().read_text() for a in found] == ["a", "b"]

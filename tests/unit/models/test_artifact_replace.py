"""artifact.replace(): the key follows a new suffix; folders, files and storage sources as LaminDB."""

from __future__ import annotations

import pandas as pd
import pytest


def _file(tmp_path, name, text="a,b\n1,2\n"):
    path = tmp_path / "outside" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _in_root(ln, rel, text="a,b\n1,2\n"):
    path = ln.settings.storage.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_new_suffix_renames_the_key(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "a.csv"), key="r/a.csv").save()
    a.replace(_file(tmp_path, "b.txt", "hello"))
    assert (a.key, a.suffix) == ("r/a.txt", ".txt")


def test_a_new_suffix_is_saved_and_the_old_content_removed(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "a.csv"), key="r/a.csv").save()
    old = a.path
    a.replace(_file(tmp_path, "b.txt", "hello")).save()
    fresh = ln.Artifact.get(a.uid)
    assert (fresh.key, fresh.path.read_text(), old.exists()) == ("r/a.txt", "hello", False)


def test_a_dataframe_replacing_a_csv_renames_the_key_to_parquet(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "c.csv"), key="r/c.csv").save()
    a.replace(pd.DataFrame({"x": [1, 2]})).save()
    assert (a.key, a.suffix, len(a.load())) == ("r/c.parquet", ".parquet", 2)


def test_an_artifact_without_key_keeps_no_key(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "d.csv"), description="d").save()
    a.replace(_file(tmp_path, "d.txt", "ddd")).save()
    assert (a.key, a.suffix) == (None, ".txt")


def test_a_folder_cannot_be_replaced_by_a_file(ln, tmp_path):
    _file(tmp_path, "fold/1.txt", "1")
    f = ln.Artifact(tmp_path / "outside" / "fold", key="folder1").save()
    with pytest.raises(
        ln.errors.InvalidArgument, match="is a folder: replace\\(\\) cannot put a file"
    ):
        f.replace(_file(tmp_path, "x.csv"))
    assert ln.Artifact.get(f.uid).n_files == 1


def test_a_file_cannot_be_replaced_by_a_folder(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "g.txt", "g"), key="g/g.txt").save()
    _file(tmp_path, "fold2/3.txt", "3")
    with pytest.raises(
        ln.errors.InvalidArgument, match="is a file: replace\\(\\) cannot put a folder"
    ):
        a.replace(tmp_path / "outside" / "fold2")
    assert (a.key, a.suffix) == ("g/g.txt", ".txt")


def test_a_source_inside_a_storage_root_is_refused(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "h.csv"), key="r/h.csv").save()
    src = _in_root(ln, "sub/new.csv", "a,b\n5,5\n")
    with pytest.raises(ln.errors.InvalidArgument, match="inside storage"):
        a.replace(src)
    assert ln.Artifact.get(a.uid).path.read_text() == "a,b\n1,2\n" and src.exists()


def test_an_in_place_artifact_gets_the_new_content_at_its_real_key(ln, tmp_path):
    path = _in_root(ln, "inpl/x.csv", "a,b\n0,0\n")
    a = ln.Artifact(path).save()
    a.replace(_file(tmp_path, "x2.csv", "a,b\n7,7\n")).save()
    assert (a.key, a._key_is_virtual, path.read_text()) == ("inpl/x.csv", False, "a,b\n7,7\n")


def test_an_in_place_artifact_with_a_new_suffix_moves_to_the_renamed_key(ln, tmp_path):
    path = _in_root(ln, "inpl/y.csv")
    a = ln.Artifact(path).save()
    a.replace(_file(tmp_path, "y.txt", "text")).save()
    new = ln.settings.storage.root / "inpl" / "y.txt"
    assert (ln.Artifact.get(a.uid).key, new.read_text(), path.exists()) == (
        "inpl/y.txt",
        "text",
        False,
    )


def test_replace_inside_a_run_takes_the_current_run(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "r.csv"), key="r.csv").save()
    ln.track(transform=ln.Transform(key="replacing.py", kind="script").save())
    try:
        a.replace(_file(tmp_path, "r2.csv", "a,b\n2,2\n")).save()
        assert a.run_id == ln.context.run.id
    finally:
        ln.finish()


def test_run_false_leaves_the_run_as_it_is(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "r.csv"), key="r.csv").save()
    ln.track(transform=ln.Transform(key="replacing.py", kind="script").save())
    try:
        a.replace(_file(tmp_path, "r2.csv", "a,b\n2,2\n"), run=False).save()
        assert a.run_id is None
    finally:
        ln.finish()

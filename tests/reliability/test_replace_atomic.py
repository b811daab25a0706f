"""replace() + save() is all or nothing, even when the process is killed (issue #13, 2).

Before the fix the new content was renamed over the old file before the commit: a kill
at the commit left the row with the old hash and the file with the new bytes.
"""

from __future__ import annotations

import pytest

from lamin_lab.storage import hash_file
from lamin_lab.storage.pending import PENDING_MARKER

from .killing import run_child, was_killed

REPLACE = """
a = ln.Artifact.get(uid={uid!r})
path = {new!r}
open(path, "w").write("new content, longer than the old")
a.replace(path)
a.save()
"""


@pytest.fixture
def saved(ln, tmp_path):
    path = tmp_path / "old.txt"
    path.write_text("old content")
    return ln.Artifact(path, key="notes.txt").save()


def _agrees(ln, uid: str) -> tuple[str, str]:
    a = ln.Artifact.get(uid=uid)
    return hash_file(a.path)[0], a.hash


def _leftovers(artifact) -> list[str]:
    return [p.name for p in artifact.path.parent.iterdir() if PENDING_MARKER in p.name]


def test_a_kill_at_the_commit_keeps_the_old_row_and_the_old_file(ln, saved, tmp_path):
    out = run_child(REPLACE.format(uid=saved.uid, new=str(tmp_path / "new.txt")), kill_at="commit")
    assert was_killed(out), out.stderr
    file_hash, row_hash = _agrees(ln, saved.uid)
    assert row_hash == saved.hash
    assert file_hash == row_hash


def test_a_kill_after_the_commit_is_finished_by_the_next_read(ln, saved, tmp_path):
    out = run_child(REPLACE.format(uid=saved.uid, new=str(tmp_path / "new.txt")), kill_at="swap")
    assert was_killed(out), out.stderr
    file_hash, row_hash = _agrees(ln, saved.uid)
    assert row_hash != saved.hash
    assert file_hash == row_hash
    # load() of a .txt gives its text (as lamindb): the new content, read from the swapped file
    assert ln.Artifact.get(uid=saved.uid).load() == "new content, longer than the old"


def test_the_next_save_removes_what_a_killed_replace_left(ln, saved, tmp_path):
    run_child(REPLACE.format(uid=saved.uid, new=str(tmp_path / "new.txt")), kill_at="commit")
    again = ln.Artifact.get(uid=saved.uid)
    (tmp_path / "third.txt").write_text("third")
    again.replace(tmp_path / "third.txt")
    again.save()
    assert _leftovers(again) == []
    assert again.path.read_text() == "third"


def test_a_failed_commit_leaves_the_old_file_and_save_can_be_retried(
    ln, saved, tmp_path, monkeypatch
):

    (tmp_path / "new.txt").write_text("new")
    saved.replace(tmp_path / "new.txt")

    def broken(*args, **kwargs):
        raise ln.errors.DatabaseError("simulated: the database went away")

    monkeypatch.setattr(saved, "_write_row", broken)
    with pytest.raises(ln.errors.DatabaseError):
        saved.save()
    assert saved.path.read_text() == "old content"
    assert _leftovers(saved) == []
    monkeypatch.undo()
    saved.save()
    assert saved.path.read_text() == "new"
    assert ln.Artifact.get(uid=saved.uid).hash == hash_file(saved.path)[0]


def test_replacing_an_in_memory_object_is_atomic_too(ln, tmp_path):
    import pandas as pd

    a = ln.Artifact.from_dataframe(pd.DataFrame({"x": [1, 2]}), key="t.parquet").save()
    out = run_child(
        f"""
import pandas as pd
a = ln.Artifact.get(uid={a.uid!r})
a.replace(pd.DataFrame({{"x": [3, 4, 5]}}))
a.save()
""",
        kill_at="commit",
    )
    assert was_killed(out), out.stderr
    again = ln.Artifact.get(uid=a.uid)
    assert again.load()["x"].tolist() == [1, 2]
    assert hash_file(again.path)[0] == again.hash


@pytest.fixture
def in_place(ln):
    """An artifact registered in place under its real key (issue #11: replace() writes there too)."""
    path = ln.settings.storage.root / "inpl" / "notes.txt"
    path.parent.mkdir(parents=True)
    path.write_text("old content")
    return ln.Artifact(path).save()


def test_in_place_a_kill_at_the_commit_keeps_the_old_row_and_the_old_file(ln, in_place, tmp_path):
    out = run_child(
        REPLACE.format(uid=in_place.uid, new=str(tmp_path / "new.txt")), kill_at="commit"
    )
    assert was_killed(out), out.stderr
    file_hash, row_hash = _agrees(ln, in_place.uid)
    assert row_hash == in_place.hash and file_hash == row_hash


def test_in_place_a_kill_after_the_commit_is_finished_by_the_next_read(ln, in_place, tmp_path):
    out = run_child(REPLACE.format(uid=in_place.uid, new=str(tmp_path / "new.txt")), kill_at="swap")
    assert was_killed(out), out.stderr
    file_hash, row_hash = _agrees(ln, in_place.uid)
    assert row_hash != in_place.hash and file_hash == row_hash
    assert _leftovers(ln.Artifact.get(uid=in_place.uid)) == []

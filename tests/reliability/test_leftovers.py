"""What killed saves leave behind is found and cleaned (issue #13, 10).

``lamin_lab.models.housekeeping`` is what ``lamin-lab doctor --fix`` (#10) calls; the next
``replace()`` + ``save()`` of an artifact also removes its own stale pending files
(test_replace_atomic.py).
"""

from __future__ import annotations

from lamin_lab.models.housekeeping import clean_leftovers, find_leftovers
from lamin_lab.storage import hash_file

from .killing import run_child, was_killed

REPLACE = """
a = ln.Artifact.get(uid={uid!r})
open({new!r}, "w").write("the new content")
a.replace({new!r})
a.save()
"""


def _saved(ln, tmp_path, text="content"):
    path = tmp_path / f"{text}.txt"
    path.write_text(text)
    return ln.Artifact(path, description=text).save()


def test_temporary_staging_and_unreferenced_files_are_found_and_removed(ln, tmp_path):
    a = _saved(ln, tmp_path)
    folder = a.path.parent
    tmp = folder / f".{a.path.name}.lamin-tmp-deadbeef"
    orphan = folder / "AAAAAAAAAAAAAAAAAAAA.txt"
    staging = ln.settings.cache_dir / ".staging" / "x1.parquet"
    unrelated = folder / "README"
    for p in (tmp, orphan, staging, unrelated):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("left behind")
    assert find_leftovers(older_than=0) == sorted([tmp, orphan, staging])
    clean_leftovers(older_than=0)
    assert find_leftovers(older_than=0) == []
    assert unrelated.exists() and a.path.read_text() == "content"


def test_young_files_are_left_alone_they_may_belong_to_a_running_save(ln, tmp_path):
    a = _saved(ln, tmp_path)
    tmp = a.path.parent / f".{a.path.name}.lamin-tmp-cafe"
    tmp.write_text("a save in progress")
    assert find_leftovers() == []
    clean_leftovers()
    assert tmp.exists()


def test_a_replace_killed_after_its_commit_is_finished_not_deleted(ln, tmp_path):
    a = _saved(ln, tmp_path)
    out = run_child(REPLACE.format(uid=a.uid, new=str(tmp_path / "new.txt")), kill_at="swap")
    assert was_killed(out), out.stderr
    clean_leftovers(older_than=0)
    row = ln.Artifact.get(uid=a.uid)
    raw = row.storage.root + "/.lamindb/" + row.uid + row.suffix
    assert open(raw).read() == "the new content"
    assert hash_file(raw)[0] == row.hash
    assert find_leftovers(older_than=0) == []


def test_a_replace_killed_before_its_commit_is_removed(ln, tmp_path):
    a = _saved(ln, tmp_path)
    out = run_child(REPLACE.format(uid=a.uid, new=str(tmp_path / "new.txt")), kill_at="commit")
    assert was_killed(out), out.stderr
    assert find_leftovers(older_than=0) != []
    clean_leftovers(older_than=0)
    assert find_leftovers(older_than=0) == []
    assert ln.Artifact.get(uid=a.uid).path.read_text() == "content"

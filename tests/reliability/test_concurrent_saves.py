"""Concurrent savers in separate processes (issue #13, 4 and 5).

Before the fix the same content saved by several processes at once made several
artifacts (``get(hash=...)`` then raised MultipleResultsFound), and several processes
making a new version of one key failed with ``IntegrityError ... artifact.uid``.
"""

from __future__ import annotations

import os


from .racing import race

N = 8 if os.environ.get("LAMIN_LAB_TEST_DB", "sqlite") == "sqlite" else 16

SAME_CONTENT = """
from pathlib import Path
path = Path(workdir) / f"copy{i}.csv"
path.write_text("a,b\\n1,2\\n" * 50)
print(ln.Artifact(path, description=f"copy {i}").save().uid)
"""

NEW_VERSION = """
from pathlib import Path
path = Path(workdir) / f"v{i}.txt"
path.write_text(f"version from child {i}")
print(ln.Artifact(path, key="shared/notes.txt").save().uid)
"""


def test_same_content_saved_at_once_makes_one_artifact_and_all_get_it(ln, tmp_path):
    uids = race(SAME_CONTENT, N, str(tmp_path))
    assert len(set(uids)) == 1
    assert ln.Artifact.filter().count() == 1
    winner = ln.Artifact.get(uids[0])
    assert ln.Artifact.get(hash=winner.hash) == winner
    assert winner.path.exists()


def test_no_file_is_left_by_the_savers_that_lost(ln, tmp_path):
    race(SAME_CONTENT, N, str(tmp_path))
    winner = ln.Artifact.filter().one()
    managed = [p.name for p in winner.path.parent.iterdir()]
    assert managed == [winner.path.name]


def test_new_versions_of_one_key_made_at_once_land_as_consecutive_versions(ln, tmp_path):
    (tmp_path / "v.txt").write_text("first")
    first = ln.Artifact(tmp_path / "v.txt", key="shared/notes.txt").save()
    uids = race(NEW_VERSION, N, str(tmp_path))
    family = ln.Artifact.filter(key="shared/notes.txt").order_by("uid").to_list()
    assert len(family) == N + 1
    assert sorted(uids) == [a.uid for a in family[1:]]
    assert {a.stem_uid for a in family} == {first.stem_uid}
    assert [a.uid[-4:] for a in family] == [a.uid[-4:] for a in sorted(family, key=lambda a: a.id)]
    assert sum(a.is_latest for a in family) == 1


def test_every_version_file_holds_its_own_content(ln, tmp_path):
    (tmp_path / "v.txt").write_text("first")
    ln.Artifact(tmp_path / "v.txt", key="shared/notes.txt").save()
    race(NEW_VERSION, N, str(tmp_path))
    from lamin_lab.storage import hash_file

    for a in ln.Artifact.filter(key="shared/notes.txt"):
        assert hash_file(a.path)[0] == a.hash
    managed = {p.name for p in a.path.parent.iterdir()}
    assert managed == {x.path.name for x in ln.Artifact.filter(key="shared/notes.txt")}

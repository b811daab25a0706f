"""``lamin-lab doctor`` finds each fault a test makes, and ``--fix`` repairs the safe ones."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture
def saved(instance):
    """An instance with one saved artifact ``t.csv``; returns (shell, uid, path of its content)."""
    (instance.cwd / "t.csv").write_text("a\n1\n")
    uid = instance("save t.csv --key t.csv").stdout.strip()
    return instance, uid, instance.cwd / "mydata" / ".lamindb" / f"{uid}.csv"


def _killed_save(sh, patch: str) -> None:
    # A save killed by the OS (os._exit: no cleanup runs) at the point `patch` names.
    (sh.cwd / "big.csv").write_text("a\n" + "1\n" * 1000)
    code = (
        "import os, lamin_lab as ln\n" + patch + "\nln.Artifact('big.csv', key='big.csv').save()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=sh.cwd, env=sh.env, capture_output=True, text=True
    )
    assert done.returncode == 9, done.stderr


def _age(*paths) -> None:
    # What a crash left yesterday: doctor leaves files younger than an hour alone.
    for p in paths:
        os.utime(p, (0, 0))


def test_a_healthy_instance_has_no_problems(saved):
    sh, _, _ = saved
    out = sh("doctor --hash")
    assert out.stdout == "no problems found\n"


def test_deleted_file_is_found_and_left_for_a_person(saved):
    sh, uid, path = saved
    path.unlink()
    out = sh("doctor --fix", ok=False)
    assert out.returncode == 1
    assert f"missing-file: Artifact('{uid}', key='t.csv')" in out.stdout
    assert f"needs a person: missing-file: Artifact('{uid}'" in out.stdout


def test_edited_file_is_found_by_the_full_hash_check_only(saved):
    sh, uid, path = saved
    path.write_text("a\n2\n")
    assert sh("doctor").stdout == "no problems found\n"
    out = sh("doctor --hash", ok=False)
    assert out.returncode == 1
    assert f"hash-mismatch: Artifact('{uid}', key='t.csv')" in out.stdout
    assert path.read_text() == "a\n2\n"  # --fix never touches data a row points to
    sh("doctor --hash --fix", ok=False)
    assert path.read_text() == "a\n2\n"


def test_stray_temp_file_is_removed_by_fix(saved):
    sh, _, path = saved
    stray = path.parent / f".{path.name}.lamin-tmp-abc123"
    stray.write_text("half")
    _age(stray)
    out = sh("doctor", ok=False)
    assert f"leftover-temp: {stray}" in out.stdout and "1 can be repaired" in out.stdout
    assert stray.exists()  # without --fix nothing changes
    assert sh("doctor --fix").stdout.endswith("fixed 1 of 1 problems\n")
    assert not stray.exists() and path.exists()
    assert sh("doctor").stdout == "no problems found\n"


def test_save_killed_while_copying_leaves_a_temp_file_that_fix_removes(instance):
    _killed_save(
        instance,
        "import lamin_lab.storage.atomic as a\na.move_into_place = lambda *x, **k: os._exit(9)",
    )
    managed = instance.cwd / "mydata" / ".lamindb"
    assert any(".lamin-tmp-" in p.name for p in managed.iterdir())
    _age(*managed.iterdir())
    out = instance("doctor --fix")
    assert "leftover-temp" in out.stdout
    assert list(managed.iterdir()) == []


def test_save_killed_before_the_row_is_written_leaves_a_file_that_fix_removes(instance):
    # The content is staged under a temporary name before the row is written.
    patch = (
        "import lamin_lab.models.artifact.save as s\nput = s.put\n"
        "def killed(*a, **k):\n    put(*a, **k); os._exit(9)\ns.put = killed"
    )
    _killed_save(instance, patch)
    managed = instance.cwd / "mydata" / ".lamindb"
    [orphan] = list(managed.iterdir())
    _age(orphan)
    out = instance("doctor", ok=False)
    assert f"leftover-temp: {orphan}" in out.stdout
    instance("doctor --fix")
    assert not orphan.exists()


def test_unreferenced_file_is_removed_by_fix(saved):
    sh, uid, path = saved
    orphan = path.parent / ("Z" * 16 + "0000.csv")
    orphan.write_text("a\n9\n")
    _age(orphan)
    out = sh("doctor", ok=False)
    assert f"unreferenced-file: {orphan}" in out.stdout
    sh("doctor --fix")
    assert not orphan.exists() and path.exists()


def test_a_leftover_younger_than_an_hour_is_reported_not_removed(saved):
    # It may be the staged content of a save running in another process right now.
    sh, _, path = saved
    staged = path.parent / f".{path.name}.lamin-pending-abc"
    staged.write_text("new")
    out = sh("doctor --fix", ok=False)
    assert (
        f"recent-leftover: {staged}" in out.stdout
        and "needs a person: recent-leftover" in out.stdout
    )
    assert staged.read_text() == "new"


def test_files_outside_dot_lamindb_are_never_touched(saved):
    sh, _, path = saved
    mine = sh.cwd / "mydata" / "my_notes.lamin-tmp-x.txt"
    mine.write_text("mine")
    (path.parent / ".x.lamin-tmp-1").write_text("")
    _age(path.parent / ".x.lamin-tmp-1")
    sh("doctor --fix")
    assert mine.read_text() == "mine"


def test_files_in_dot_lamindb_that_are_not_artifact_content_are_left_alone(saved):
    # e.g. the storage's storage_uid.txt: doctor and housekeeping classify leftovers in one place,
    # and only names of artifact content (<uid><suffix>) can be unreferenced content.
    sh, _, path = saved
    notes = path.parent / "storage_uid.txt.bak"
    notes.write_text("not ours")
    _age(notes, *path.parent.iterdir())
    assert sh("doctor --fix").stdout == "no problems found\n"
    assert notes.read_text() == "not ours"


def test_a_replace_killed_after_its_commit_is_swapped_in_by_fix_not_deleted(saved):
    # The row already holds the new content's hash: deleting the pending file would lose it
    # (doctor's file check reads the row, and reading settles it; --fix would too).
    sh, uid, path = saved
    code = (
        "import lamin_lab as ln\n"
        "from lamin_lab.storage import hash_file\n"
        "from lamin_lab.storage.pending import pending_path\n"
        f"a = ln.Artifact.get(uid={uid!r})\n"
        "probe = a.path.parent / 'probe'\n"
        "probe.write_text('a\\n2\\n')\n"
        "digest = hash_file(probe)[0]\n"
        "probe.rename(pending_path(a.path, digest))\n"
        "ln.Artifact.update(hash=digest).where(ln.Artifact.id == a.id).execute()\n"
        "print(pending_path(a.path, digest))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=sh.cwd, env=sh.env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    pending = done.stdout.strip().splitlines()[-1]
    _age(pending)
    sh("doctor --fix")
    assert path.read_text() == "a\n2\n" and not os.path.exists(pending)
    assert sh("doctor --hash").stdout == "no problems found\n"


def test_old_staging_files_are_reported_but_not_deleted(saved):
    # doctor deletes nothing outside .lamindb/; the cache's staging folder is outside.
    sh, _, _ = saved
    staging = sh.home / "cache" / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    old, fresh = staging / "old.parquet", staging / "fresh.parquet"
    old.write_text("x"), fresh.write_text("y")
    os.utime(old, (0, 0))
    out = sh("doctor --fix", ok=False)
    assert f"stale-staging: {old}" in out.stdout and str(fresh) not in out.stdout
    assert "lamin-lab cache clear removes it" in out.stdout
    assert old.exists() and fresh.exists()


def test_a_family_with_two_latest_versions_is_repaired(saved):
    sh, uid, _ = saved
    (sh.cwd / "t.csv").write_text("a\n2\n")
    second = sh("save t.csv --key t.csv").stdout.strip()
    sh.python(
        "import lamin_lab as ln; ln.setup.connect(); ln.Artifact.update(is_latest=True).execute()"
    )
    out = sh("doctor", ok=False)
    assert f"many-latest: Artifact family {uid[:16]}: 2 versions, 2 marked latest" in out.stdout
    sh("doctor --fix")
    code = "import lamin_lab as ln; print([a.uid for a in ln.Artifact.filter(is_latest=True)])"
    assert sh.python(code) == f"['{second}']"


def test_a_family_without_a_latest_version_is_repaired(saved):
    sh, uid, _ = saved
    sh.python(
        "import lamin_lab as ln; ln.setup.connect(); ln.Artifact.update(is_latest=False).execute()"
    )
    out = sh("doctor", ok=False)
    assert f"no-latest: Artifact family {uid[:16]}" in out.stdout
    sh("doctor --fix")
    assert sh.python(f"import lamin_lab as ln; print(ln.Artifact.get('{uid}').is_latest)") == "True"


def test_a_corrupt_database_is_reported_in_one_line(saved):
    sh, _, _ = saved
    db = sh.cwd / "mydata" / "mydata.lndb"
    sh.python(
        f"import sqlite3; c = sqlite3.connect('{db}'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()"
    )
    data = bytearray(db.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200  # scribble over a page
    db.write_bytes(bytes(data))
    out = sh("doctor", ok=False)
    assert out.returncode == 1
    assert out.stdout.startswith(f"integrity: {db}: SQLite reports: ")
    assert "Traceback" not in out.stderr

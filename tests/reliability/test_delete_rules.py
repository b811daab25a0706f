"""QuerySet.delete() refuses what record.delete() refuses, for every registry (issue #13, 1).

Before the fix, ``ln.Storage.filter(...).delete()`` removed a storage that held artifacts,
and the bulk form deleted the built-in branches and space: the instance did not connect
again. Each test asserts the refusal *and* that nothing was removed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.fixture
def saved(ln, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("hello")
    return ln.Artifact(path, key="a.txt").save()


def test_queryset_delete_of_a_storage_with_artifacts_refuses_like_the_record(ln, saved):
    with pytest.raises(ln.errors.StorageNotEmpty, match="delete them permanently first"):
        ln.Storage.filter().delete()
    assert ln.Storage.filter().count() == 1


def test_a_new_process_connects_after_the_refused_storage_delete(ln, saved):
    with pytest.raises(ln.errors.StorageNotEmpty):
        ln.Storage.filter().delete(permanent=True)
    code = "import lamin_lab as ln; print(ln.Artifact.filter().count())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_queryset_delete_of_the_instance_user_refuses(ln):
    with pytest.raises(ln.errors.IntegrityError, match="the user this instance runs as"):
        ln.User.filter().delete()
    assert ln.User.filter().count() == 1


@pytest.mark.parametrize("form", ["record", "queryset"])
def test_built_in_branches_cannot_be_deleted(ln, form):
    with pytest.raises(ln.errors.IntegrityError, match="built in"):
        if form == "record":
            ln.Branch.get(1).delete()
        else:
            ln.Branch.filter().delete()
    assert ln.Branch.filter().count() == 3


def test_queryset_delete_of_a_branch_in_use_refuses_and_deletes_none(ln):
    dev = ln.Branch(name="dev").save()
    empty = ln.Branch(name="empty").save()
    ln.ULabel(name="on dev", branch_id=dev.id).save()
    with pytest.raises(ln.errors.IntegrityError, match=r"still holds records \(1 ULabel\)"):
        ln.Branch.filter(name__in=["empty", "dev"]).delete()
    assert ln.Branch.filter(id=empty.id).count() == 1


def test_an_unused_branch_is_deleted_by_both_forms(ln):
    ln.Branch(name="a").save().delete()
    ln.Branch(name="b").save()
    ln.Branch.filter(name="b").delete()
    assert sorted(b.name for b in ln.Branch.filter()) == ["archive", "main", "trash"]


def test_the_built_in_space_cannot_be_deleted(ln):
    with pytest.raises(ln.errors.IntegrityError, match="built in"):
        ln.Space.filter().delete()
    assert ln.Space.filter().count() == 1


def test_an_empty_storage_is_deleted_by_the_queryset(ln, tmp_path):
    ln.Storage(root=str(tmp_path / "other"), type="local").save()
    ln.Storage.filter(root=str(tmp_path / "other")).delete()
    assert ln.Storage.filter(root=str(tmp_path / "other")).count() == 0

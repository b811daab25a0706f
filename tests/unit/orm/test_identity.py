"""Record identity, latest versions and new storage locations, as lamindb 2.12.1 has them.

Each behaviour is also a differential scenario in tests/compat/; these run on PostgreSQL too.
"""

from __future__ import annotations

import pytest


def test_a_second_ulabel_with_the_same_name_is_the_saved_one(ln):
    first = ln.ULabel(name="T cell").save()
    second = ln.ULabel(name="T cell").save()
    assert second == first and ln.ULabel.filter(name="T cell").count() == 1


def test_the_same_name_under_another_type_is_a_new_record(ln):
    untyped = ln.ULabel(name="T cell").save()
    tissue = ln.ULabel(name="Tissue", is_type=True).save()
    typed = ln.ULabel(name="T cell", type=tissue).save()
    assert typed.id != untyped.id and ln.ULabel.filter(name="T cell").count() == 2


def test_a_differing_description_updates_the_existing_record(ln):
    first = ln.ULabel(name="T cell").save()
    ln.ULabel(name="T cell", description="a lymphocyte").save()
    assert ln.ULabel.get(first.id).description == "a lymphocyte"


def test_search_names_off_makes_a_new_record(ln):
    ln.ULabel(name="T cell").save()
    ln.settings.creation.search_names = False
    try:
        assert ln.ULabel(name="T cell").id is None
    finally:
        ln.settings.creation.search_names = True


def test_a_feature_with_the_same_name_and_another_dtype_is_refused(ln):
    ln.Feature(name="n_genes", dtype=int).save()
    assert ln.Feature(name="n_genes", dtype=int).id is not None
    with pytest.raises(ln.errors.ValidationError, match="already exists with dtype int"):
        ln.Feature(name="n_genes", dtype=str)


def test_project_and_record_names_return_the_existing_record(ln):
    project = ln.Project(name="P1").save()
    record = ln.Record(name="R1").save()
    assert ln.Project(name="P1") == project and ln.Record(name="R1") == record


def test_a_trashed_record_is_not_returned_for_its_name(ln):
    ln.ULabel(name="old").save().delete()
    assert ln.ULabel(name="old").id is None


def _versions(ln, tmp_path, n: int):
    path = tmp_path / "f.txt"
    out = []
    for i in range(n):
        path.write_text(str(i))
        out.append(ln.Artifact(path, key="t/f.txt", description=f"v{i}").save())
    return out


def test_get_by_key_returns_the_latest_version(ln, tmp_path):
    _versions(ln, tmp_path, 3)
    assert ln.Artifact.get(key="t/f.txt").description == "v2"


def test_get_matching_two_families_is_still_ambiguous(ln, tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    ln.Artifact(tmp_path / "a.txt", key="a.txt").save()
    ln.Artifact(tmp_path / "b.txt", key="b.txt").save()
    with pytest.raises(ln.errors.MultipleObjectsReturned):
        ln.Artifact.get(key__endswith=".txt")


def test_deleting_the_latest_version_for_good_promotes_the_previous(ln, tmp_path):
    v0, v1, v2 = _versions(ln, tmp_path, 3)
    v2.delete(permanent=True)
    assert [
        (a.description, a.is_latest) for a in ln.Artifact.filter(key="t/f.txt").order_by("id")
    ] == [("v0", False), ("v1", True)]


def test_trashing_the_latest_version_promotes_the_previous(ln, tmp_path):
    v0, v1 = _versions(ln, tmp_path, 2)
    v1.delete()
    assert ln.Artifact.get(v0.id).is_latest
    assert not ln.Artifact.filter(id=v1.id, branch_id=-1).one().is_latest


def test_trashing_an_older_version_keeps_the_latest(ln, tmp_path):
    v0, v1 = _versions(ln, tmp_path, 2)
    v0.delete()
    assert ln.Artifact.get(v1.id).is_latest


def test_a_new_local_storage_gets_its_type_and_folder(ln, tmp_path):
    root = tmp_path / "shared"
    storage = ln.Storage(root=str(root), description="shared").save()
    assert storage.type == "local" and storage.root == str(root)
    assert (root / ".lamindb" / "storage_uid.txt").read_text() == storage.uid
    assert storage.instance_uid == ln.settings.instance.uid


def test_a_registered_root_is_that_storage(ln, tmp_path):
    storage = ln.Storage(root=f"file://{tmp_path}/shared/").save()
    assert ln.Storage(root=str(tmp_path / "shared")) == storage


@pytest.mark.parametrize("root", ["ftp://host/dir", 5, ""])
def test_a_storage_root_that_is_no_location_is_refused(ln, root):
    with pytest.raises(ln.errors.InvalidArgument, match="s3://bucket/prefix"):
        ln.Storage(root=root)

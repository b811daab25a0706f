"""IsVersioned: uid stems and counters, revises, is_latest, versions (Transform: 12 + 4)."""

from __future__ import annotations

import pytest


@pytest.fixture
def family(ln):
    v1 = ln.Transform(key="pipeline.py", kind="script").save()
    v2 = ln.Transform(key="pipeline.py", revises=v1).save()
    v3 = ln.Transform(revises=v2, version="3.0").save()
    ln.family = (v1, v2, v3)
    yield ln
    del ln.family


def test_first_version_ends_in_0000(ln):
    t = ln.Transform(key="a.py").save()
    assert len(t.uid) == 16 and t.uid.endswith("0000")
    assert t.stem_uid == t.uid[:12]


def test_revises_shares_the_stem_and_increments_the_counter(family):
    v1, v2, v3 = family.family
    assert v2.stem_uid == v1.stem_uid == v3.stem_uid
    assert [v.uid[12:] for v in (v1, v2, v3)] == ["0000", "0001", "0002"]


def test_version_is_the_tag_or_the_counter(family):
    v1, v2, v3 = family.family
    assert (v1.version, v2.version, v3.version) == ("0000", "0001", "3.0")
    assert v3.version_tag == "3.0"


def test_only_the_newest_version_is_latest(family):
    v1, v2, v3 = family.family
    latest = {t.uid: t.is_latest for t in family.Transform.filter()}
    assert latest == {v1.uid: False, v2.uid: False, v3.uid: True}


def test_revises_inherits_the_key(family):
    assert family.family[2].key == "pipeline.py"


def test_versions_lists_the_family_oldest_first(family):
    v1, v2, v3 = family.family
    assert v2.versions.to_list("uid") == [v1.uid, v2.uid, v3.uid]


def test_get_by_stem_returns_the_latest(family):
    v1, _, v3 = family.family
    assert family.Transform.get(v1.stem_uid).uid == v3.uid


def test_get_by_full_uid_returns_that_version(family):
    v1 = family.family[0]
    assert family.Transform.get(v1.uid).version == "0000"


def test_counter_continues_after_the_highest_suffix_in_python(ln):
    v1 = ln.Transform(key="a.py").save()
    # A family whose highest counter is 000z: base62 increments to 0010, not by SQL string order.
    ln.Transform(key="a.py", uid=v1.stem_uid + "000z", is_latest=False).save()
    nxt = ln.Transform(key="a.py", revises=v1).save()
    assert nxt.uid.endswith("0010")


def test_is_new_version_of_is_refused_for_revises(ln):
    v1 = ln.Transform(key="a.py", source_code="print(1)").save()
    with pytest.raises(ln.errors.FieldValidationError, match="revises="):
        ln.Transform(key="a.py", is_new_version_of=v1)


def test_revises_needs_a_saved_record(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="saved"):
        ln.Transform(key="a.py", revises=ln.Transform(key="a.py"))


def test_revises_needs_the_same_registry(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="takes a Transform"):
        ln.Transform(key="a.py", revises=ln.ULabel(name="x").save())


def test_artifact_new_content_under_the_same_key_is_a_new_version(ln, tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("one")
    a1 = ln.Artifact(path, key="data.txt").save()
    path.write_text("two")
    a2 = ln.Artifact(path, key="data.txt").save()
    assert (len(a2.uid), a2.stem_uid, a2.uid[16:]) == (20, a1.stem_uid, "0001")
    assert ln.Artifact.get(a1.stem_uid).uid == a2.uid
    assert ln.Artifact.filter(key="data.txt", is_latest=True).one().uid == a2.uid

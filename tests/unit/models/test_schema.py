"""Schema: features, rules, hash identity, optionals, composite slots."""

from __future__ import annotations

import pytest

from lamin_lab.errors import InvalidArgument


@pytest.fixture
def feats(ln):
    a = ln.Feature(name="a", dtype=float).save()
    b = ln.Feature(name="b", dtype=ln.ULabel).save()
    c = ln.Feature(name="c", dtype=str).save()
    return ln, a, b, c


def test_schema_fields_and_members(feats):
    ln, a, b, c = feats
    s = ln.Schema(
        name="s", features=[b, a], otype="DataFrame", maximal_set=True, coerce_dtype=True
    ).save()
    got = ln.Schema.get(name="s")
    assert [f.name for f in got.members] == ["b", "a"]
    assert (
        got.n,
        got.itype,
        got.otype,
        got.minimal_set,
        got.maximal_set,
        got.ordered_set,
        got.coerce_dtype,
    ) == (2, "Feature", "DataFrame", True, True, False, True)
    assert sorted(got.features.to_list("name")) == ["a", "b"]
    assert len(s.hash) == 22


def test_same_definition_returns_existing(feats):
    ln, a, b, _ = feats
    s1 = ln.Schema(name="s1", features=[a, b]).save()
    s2 = ln.Schema(name="s2", features=[b, a])
    assert s2.id == s1.id and s2.uid == s1.uid
    s2.save()
    assert ln.Schema.filter().count() == 1


def test_different_rules_different_hash(feats):
    ln, a, b, _ = feats
    h = {
        ln.Schema(features=[a, b]).hash,
        ln.Schema(features=[a, b], maximal_set=True).hash,
        ln.Schema(features=[a, b], ordered_set=True).hash,
        ln.Schema(features=[a, b], coerce_dtype=True).hash,
        ln.Schema(features=[a]).hash,
    }
    assert len(h) == 5


def test_ordered_schema_hash_depends_on_order(feats):
    ln, a, b, _ = feats
    assert (
        ln.Schema(features=[a, b], ordered_set=True).hash
        != ln.Schema(features=[b, a], ordered_set=True).hash
    )
    assert ln.Schema(features=[a, b]).hash == ln.Schema(features=[b, a]).hash


def test_unsaved_feature_refused(ln):
    with pytest.raises(InvalidArgument, match="Save feature 'x' before using it in a schema"):
        ln.Schema(features=[ln.Feature(name="x", dtype=int)])


def test_optionals(feats):
    ln, a, b, c = feats
    s = ln.Schema(name="s", features=[a, b, c]).save()
    before = s.hash
    s.optionals.set([a])
    assert s.optionals.get_uids() == [a.uid]
    s.optionals.add(c)
    assert sorted(s.optionals.get().to_list("name")) == ["a", "c"]
    s.optionals.remove(a)
    assert s.optionals.get().to_list("name") == ["c"]
    assert ln.Schema.get(s.id).optionals.get_uids() == [c.uid]
    assert s.hash != before


def test_optionals_must_be_members(feats):
    ln, a, b, c = feats
    s = ln.Schema(features=[a]).save()
    with pytest.raises(InvalidArgument, match="must belong to the schema"):
        s.optionals.add(b)


def test_optionals_in_constructor_change_identity(feats):
    ln, a, b, _ = feats
    s1 = ln.Schema(features=[a, b]).save()
    s2 = ln.Schema(features=[a, b], optionals=[a]).save()
    assert s1.id != s2.id
    assert s2.optionals.get_uids() == [a.uid]


def test_composite_slots(feats):
    ln, a, b, _ = feats
    obs = ln.Schema(name="obs", features=[a, b]).save()
    var = ln.Schema(name="var", itype="ULabel.name").save()
    composite = ln.Schema(name="adata", otype="AnnData", slots={"obs": obs, "var.T": var}).save()
    got = ln.Schema.get(name="adata")
    assert {k: v.name for k, v in got.slots.items()} == {"obs": "obs", "var.T": "var"}
    assert (
        ln.Schema(name="again", otype="AnnData", slots={"obs": obs, "var.T": var}).id
        == composite.id
    )


def test_itype_from_registry_and_field(ln):
    assert ln.Schema(itype=ln.Feature).itype == "Feature"
    assert ln.Schema(itype=ln.ULabel.name).itype == "ULabel.name"
    with pytest.raises(InvalidArgument, match="itype takes a registry"):
        ln.Schema(itype=3)


def test_filter_by_old_names(feats):
    ln, a, _, _ = feats
    ln.Schema(name="s", features=[a], coerce_dtype=True).save()
    assert ln.Schema.filter(coerce_dtype=True, n_members=1).to_list("name") == ["s"]

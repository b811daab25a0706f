"""HasType (is_type, type, query_types) and HasParents (parents, children, graphs)."""

from __future__ import annotations

import pytest


def test_a_record_under_a_type(ln):
    cell_type = ln.ULabel(name="CellType", is_type=True).save()
    t = ln.ULabel(name="T cell", type=cell_type).save()
    assert t.type.name == "CellType"
    assert cell_type.ulabels.to_list("name") == ["T cell"]


def test_typed_by_a_non_type_is_refused(ln):
    plain = ln.ULabel(name="plain").save()
    with pytest.raises(ln.errors.InvalidArgument, match="not a type.*is_type=True"):
        ln.ULabel(name="child", type=plain).save()


def test_query_types_walks_up_to_the_root(ln):
    top = ln.Record(name="Entity", is_type=True).save()
    mid = ln.Record(name="Sample", is_type=True, type=top).save()
    leaf = ln.Record(name="S1", type=mid).save()
    assert [r.name for r in leaf.query_types()] == ["Sample", "Entity"]


def test_filter_by_type_name(ln):
    sample = ln.Record(name="Sample", is_type=True).save()
    ln.Record(name="S1", type=sample).save()
    ln.Record(name="free").save()
    assert ln.Record.filter(type__name="Sample").to_list("name") == ["S1"]
    assert ln.Record.filter(is_type=True).to_list("name") == ["Sample"]


def test_feature_and_project_have_types_too(ln):
    group = ln.Feature(name="Measurements", is_type=True).save()
    f = ln.Feature(name="temperature", dtype=float, type=group).save()
    assert f.type.name == "Measurements"
    assert ln.Project(name="Grants", is_type=True).save().is_type is True


@pytest.fixture
def tree(ln):
    """immune cell → lymphocyte → T cell, B cell; T cell → CD8 T cell."""
    names = ["immune cell", "lymphocyte", "T cell", "B cell", "CD8 T cell"]
    r = {n: ln.ULabel(name=n).save() for n in names}
    r["lymphocyte"].parents.add(r["immune cell"])
    r["T cell"].parents.add(r["lymphocyte"])
    r["B cell"].parents.add(r["lymphocyte"])
    r["CD8 T cell"].parents.add(r["T cell"])
    ln.tree = r
    yield ln
    del ln.tree


def test_parents_and_children_are_two_sides_of_one_link(tree):
    r = tree.tree
    assert r["T cell"].parents.to_list("name") == ["lymphocyte"]
    assert sorted(r["lymphocyte"].children.to_list("name")) == ["B cell", "T cell"]


def test_query_parents_returns_all_ancestors(tree):
    assert sorted(tree.tree["CD8 T cell"].query_parents().to_list("name")) == [
        "T cell",
        "immune cell",
        "lymphocyte",
    ]


def test_query_children_returns_all_descendants(tree):
    assert sorted(tree.tree["lymphocyte"].query_children().to_list("name")) == [
        "B cell",
        "CD8 T cell",
        "T cell",
    ]


def test_filter_by_parents_and_children_names(tree):
    assert sorted(tree.ULabel.filter(parents__name="lymphocyte").to_list("name")) == [
        "B cell",
        "T cell",
    ]
    assert tree.ULabel.filter(children__name="CD8 T cell").to_list("name") == ["T cell"]


def test_view_parents_returns_dot_text(tree):
    graph = tree.tree["T cell"].view_parents()
    src = graph.source
    assert src.startswith("digraph")
    ids = {n: tree.tree[n].id for n in ("immune cell", "lymphocyte", "T cell")}
    assert f"n{ids['lymphocyte']} -> n{ids['T cell']};" in src
    assert f"n{ids['immune cell']} -> n{ids['lymphocyte']};" in src
    assert '"CD8 T cell"' not in src


def test_view_parents_with_children(tree):
    src = tree.tree["T cell"].view_parents(with_children=True).source
    assert '"CD8 T cell"' in src and '"immune cell"' in src


def test_view_children_returns_dot_text(tree):
    graph = tree.tree["lymphocyte"].view_children()
    assert sorted(graph.nodes.values()) == ["B cell", "CD8 T cell", "T cell", "lymphocyte"]
    assert '"immune cell"' not in graph.source


def test_view_parents_distance_limits_the_walk(tree):
    graph = tree.tree["CD8 T cell"].view_parents(distance=1)
    assert sorted(graph.nodes.values()) == ["CD8 T cell", "T cell"]


def test_dot_labels_are_quoted(ln):
    a = ln.ULabel(name='say "hi"').save()
    b = ln.ULabel(name="child").save()
    b.parents.add(a)
    assert '"say \\"hi\\""' in b.view_parents().source


def test_record_has_parents_too(ln):
    parent = ln.Record(name="batch").save()
    child = ln.Record(name="sample").save()
    child.parents.add(parent)
    assert parent.children.to_list("name") == ["sample"]

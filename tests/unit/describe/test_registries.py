"""``ln.view()`` and the field listing of a registry class."""

from __future__ import annotations

import pytest

from lamin_lab.describe.registries import describe_registry, registry_fields


def test_view_prints_the_registries_that_have_records(ln, capsys):
    ln.ULabel(name="T cell").save()
    ln.view()
    out = capsys.readouterr().out
    assert "ULabel" in out and "T cell" in out


def test_view_leaves_out_registries_without_records(ln, capsys):
    ln.view()
    assert "ULabel" not in capsys.readouterr().out


def test_view_shows_only_the_registries_named(ln, capsys):
    ln.ULabel(name="T cell").save()
    ln.view(registries=["Storage"])
    assert "T cell" not in capsys.readouterr().out


def test_view_limits_the_rows_per_registry(ln, capsys):
    ln.save([ln.ULabel(name=f"label {i}") for i in range(3)])
    ln.view(registries=["ULabel"], limit=1)
    out = capsys.readouterr().out
    assert "label 2" in out and "label 0" not in out


def test_view_returns_none(ln):
    assert ln.view() is None


def test_view_refuses_a_bad_limit(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="positive int"):
        ln.view(limit=0)


def test_registry_fields_puts_branch_and_space_among_the_relations(ln):
    simple, related = registry_fields(ln.Artifact)
    assert ("branch", "Branch") in related and "branch_id" not in dict(simple)


def test_registry_fields_leaves_out_private_fields(ln):
    simple, _ = registry_fields(ln.Artifact)
    assert not [name for name, _ in simple if name.startswith("_")]


def test_describe_registry_prints_when_no_string_is_asked(ln, capsys):
    assert describe_registry(ln.User) is None
    assert capsys.readouterr().out.startswith("User\n  Simple fields\n")

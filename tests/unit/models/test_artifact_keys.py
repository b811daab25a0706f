"""Artifact keys with a leading slash and suffixes recorded by LaminDB's rule."""

from __future__ import annotations

import pytest


def _file(tmp_path, name, text="x"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_leading_slash_key_is_kept_and_the_content_goes_under_the_uid(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "x.txt"), key="/raw/x.txt").save()
    assert (a.key, a._key_is_virtual, a.path.name) == ("/raw/x.txt", True, f"{a.uid}.txt")
    assert ln.Artifact.get(key="/raw/x.txt") == a


def test_a_leading_slash_key_gets_new_versions(ln, tmp_path):
    path = _file(tmp_path, "x.txt", "v1")
    first = ln.Artifact(path, key="/raw/x.txt").save()
    path.write_text("v2")
    second = ln.Artifact(path, key="/raw/x.txt").save()
    assert (second.stem_uid, second.cache().read_text()) == (first.stem_uid, "v2")


def test_a_leading_slash_key_stored_under_its_key_is_refused(ln, tmp_path):
    with pytest.raises(ln.errors.InvalidArgument, match="relative to the storage root"):
        ln.Artifact(_file(tmp_path, "y.txt"), key="/raw/y.txt", key_is_virtual=False)


def test_a_double_leading_slash_is_refused(ln, tmp_path):
    with pytest.raises(ln.errors.InvalidArgument, match="absolute"):
        ln.Artifact(_file(tmp_path, "z.txt"), key="//raw/z.txt")


def test_an_upper_case_suffix_is_recorded_lower_cased(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "scan.PNG"), key="img/scan.png").save()
    assert (a.suffix, a.key, a.path.name) == (".png", "img/scan.png", f"{a.uid}.png")


def test_an_unknown_suffix_is_not_recorded_but_must_match_the_key(ln, tmp_path):
    a = ln.Artifact(_file(tmp_path, "f.abcdef"), key="raw/f.abcdef").save()
    assert (a.suffix, a.path.name) == ("", a.uid)
    with pytest.raises(ln.errors.InvalidArgument, match="ends with no suffix"):
        ln.Artifact(_file(tmp_path, "g.abcdef", "g"), key="raw/g")

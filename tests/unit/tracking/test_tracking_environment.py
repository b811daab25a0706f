"""Environment capture: interpreter header and installed distributions."""

from __future__ import annotations

import importlib.metadata
import platform
import sys

from lamin_lab.tracking.environment import (
    canonical_name,
    capture_environment,
    environment_hash,
    installed_distributions,
)


def test_header_names_the_interpreter():
    first = capture_environment().splitlines()[0]
    implementation = platform.python_implementation()
    assert first == f"# python {platform.python_version()} ({implementation}) on {sys.platform}"


def test_lines_are_sorted_name_version_pairs():
    pairs = [line.split("==") for line in capture_environment().splitlines()[1:]]
    names = [pair[0] for pair in pairs]
    assert names == sorted(names)
    assert all(len(pair) == 2 and pair[1] for pair in pairs)


def test_versions_agree_with_importlib_metadata():
    expected = {}
    for dist in importlib.metadata.distributions():
        expected.setdefault(canonical_name(dist.metadata["Name"]), dist.version)
    assert installed_distributions() == expected


def test_known_packages_are_listed():
    text = capture_environment()
    assert f"\npytest=={importlib.metadata.version('pytest')}\n" in text
    assert f"\nnbformat=={importlib.metadata.version('nbformat')}\n" in text


def test_environment_hash_is_md5_b64():
    assert environment_hash("abc") == "kAFQmDzST7DWlj99KOF_cg"


def test_environment_hash_is_stable_for_same_environment():
    assert environment_hash(capture_environment()) == environment_hash(capture_environment())

"""Capture the Python environment a run used: interpreter and installed packages.

The text looks like a pip requirements file with a comment header::

    # python 3.11.7 (CPython) on linux
    anndata==0.12.2
    numpy==2.3.4
    ...

Speed: ``importlib.metadata.Distribution.version`` parses every METADATA file
with the ``email`` package (about 130 ms for 200 distributions here), so the
names and versions are read from the ``<name>-<version>.dist-info`` folder
names on ``sys.path`` instead, which is what the wheel standard guarantees.
Only a folder whose name carries no version (old ``.egg-info``) falls back to
``importlib.metadata``.
"""

from __future__ import annotations

import os
import platform
import re
import sys

from .source import _b64_md5

_DIST_FOLDER = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._]*?)-(?P<version>[0-9][^-]*?)"
    r"(?:-py[0-9.]+)?\.(?:dist|egg)-info$"
)


def canonical_name(name: str) -> str:
    """Normalise a distribution name as PEP 503 does (lower case, ``-`` separators).

    Examples
    --------
    >>> canonical_name("Typing_Extensions")
    'typing-extensions'
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def _metadata_fallback(folder: str) -> tuple[str, str] | None:
    from importlib.metadata import PathDistribution
    from pathlib import Path

    try:
        dist = PathDistribution(Path(folder))
        name, version = dist.metadata["Name"], dist.version
    except Exception:  # unreadable metadata: the distribution is left out
        return None
    return (name, version) if name and version else None


def installed_distributions() -> dict[str, str]:
    """Return ``{canonical name: version}`` of the distributions on ``sys.path``.

    The first one found for a name wins, as it would on import.

    Examples
    --------
    >>> "pytest" in installed_distributions()
    True
    """
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = sorted(e.name for e in os.scandir(entry or ".") if e.is_dir())
        except OSError:
            continue  # zip files and missing folders hold no dist-info folders
        for folder in names:
            if not folder.endswith((".dist-info", ".egg-info")):
                continue
            match = _DIST_FOLDER.match(folder)
            pair = (
                (match["name"], match["version"])
                if match
                else _metadata_fallback(os.path.join(entry or ".", folder))
            )
            if pair is not None:
                found.setdefault(canonical_name(pair[0]), pair[1])
    return found


def capture_environment() -> str:
    """Describe the running interpreter and its installed distributions as text.

    Examples
    --------
    >>> text = capture_environment()
    >>> text.splitlines()[0].startswith("# python ")
    True
    """
    header = (
        f"# python {platform.python_version()} "
        f"({platform.python_implementation()}) on {sys.platform}"
    )
    dists = installed_distributions()
    lines = [f"{name}=={dists[name]}" for name in sorted(dists)]
    return "\n".join([header, *lines]) + "\n"


def environment_hash(text: str) -> str:
    """Return the 22-character md5 hash of an environment text.

    Examples
    --------
    >>> environment_hash("a")
    'DMF1ucDxtqgxw5niaXcmYQ'
    """
    return _b64_md5(text.encode("utf-8"))

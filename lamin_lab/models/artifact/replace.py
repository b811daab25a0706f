"""``artifact.replace(data)``: new content under the same uid and key."""

from __future__ import annotations

from typing import Any

from ...errors import InvalidArgument
from .create import artifact_fields

_CONTENT_FIELDS = ("hash", "_hash_type", "size", "n_files", "suffix", "otype", "n_observations")


def replace_content(artifact: Any, data: Any, run: Any = None, format: str | None = None) -> None:
    """Stage new content on ``artifact``; ``save()`` puts it in place of the old one."""
    if artifact._pk is None:
        raise InvalidArgument(
            "replace() swaps the content of a saved artifact: save it first, or build a new one."
        )
    if not artifact._key_is_virtual:
        raise InvalidArgument(
            f"{artifact._short_repr()} is registered in place at {artifact.path}: overwrite that file directly, "
            "then register it again."
        )
    found = artifact_fields(
        data, key=None, description=None, kind=None, format=format, labelled=True
    )
    build = found.pop("_build")
    if found["hash"] == artifact.hash:
        return
    old_path = artifact.path
    for name in _CONTENT_FIELDS:
        setattr(artifact, name, found.get(name))
    if run is not None:
        artifact.run = run
    build["replaces"] = old_path
    artifact._build = build
    artifact._is_existing = False

"""Which transform a tracked file is: reuse one, make a new version, or a new family.

The rules (``ln.track()`` documents them for users):

- **No uid.** The transform's identity is its *key* (the file's path in the git
  project, else its name). A version with this key and the same source hash is
  reused; changed source makes a new version of the latest transform with this
  key (``revises=``), so ``is_latest`` moves to it; except while that transform is
  a *draft* (none of its runs finished: a notebook being written, a script that
  was killed), which is updated in place rather than piling up versions that
  never produced a complete run. A key never seen before starts
  a new family. A *renamed* file is such a new key: it starts a new family, even
  when its source is unchanged. Guessing a rename from equal source would merge
  unrelated files that happen to be identical (two empty templates), so instead
  the message names the transform with the same source and how to keep its
  history: ``ln.track("<its 12-character stem>")``.
- **A 12-character uid (stem)** pins the family across renames: a version with
  the same key and source is reused; otherwise a new version of the family's
  latest is made (carrying the new key after a rename). A stem no transform has
  yet starts the family with that stem (``<stem>0000``).
- **A 16-character uid** pins that exact version: it is reused while the source
  matches (and made with that uid when it does not exist yet). A changed source
  is an error, since continuing would record code under a version it does not
  belong to; the message says to pass the stem instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lamin_lab.errors import InvalidArgument
from lamin_lab.models import Run, Transform
from lamin_lab.orm.uid import base62

_UID = re.compile(r"^[0-9A-Za-z]+$")
STEM_LENGTH = Transform._versioned_stem_length
UID_LENGTH = Transform._uid_length


@dataclass(frozen=True)
class SourceSpec:
    """What the tracked file says about its transform.

    Examples
    --------
    >>> SourceSpec(key="a.py", kind="script", source="print(1)", hash="x", description=None).key
    'a.py'
    """

    key: str
    kind: str
    source: str
    hash: str
    description: str | None


@dataclass
class Resolution:
    """The transform to run, whether it was just made, and a note for the user."""

    transform: Any
    created: bool
    note: str = ""


def check_uid(uid: str) -> str:
    """Return ``uid`` if it is a transform stem (12) or a version uid (16).

    Raises
    ------
    InvalidArgument
        For anything else, with the two accepted forms.

    Examples
    --------
    >>> check_uid("a1B2c3D4e5F6")
    'a1B2c3D4e5F6'
    """
    if not isinstance(uid, str) or not _UID.match(uid) or len(uid) not in (STEM_LENGTH, UID_LENGTH):
        fresh = base62(STEM_LENGTH)
        raise InvalidArgument(
            f"ln.track() takes a transform uid: the 12-character stem of a family "
            f"(pins the family across renames) or a 16-character version uid (pins "
            f"that version), not {uid!r}. For a new family, pass a freshly generated "
            f'stem: ln.track("{fresh}"); or call ln.track() without it to let the '
            "file's key decide, then copy the stem it prints."
        )
    return uid


def _new(spec: SourceSpec, **extra: Any) -> Any:
    return Transform(
        key=spec.key,
        kind=spec.kind,
        source_code=spec.source,
        hash=spec.hash,
        description=spec.description,
        **extra,
    ).save()


def _newest(records: list[Any]) -> Any:
    latest = [r for r in records if r.is_latest]
    return max(latest or records, key=lambda r: r.id)


def _same_source(records: list[Any], spec: SourceSpec) -> Any | None:
    matches = [r for r in records if r.hash == spec.hash and r.key == spec.key]
    return max(matches, key=lambda r: r.id) if matches else None


def _refresh_description(transform: Any, spec: SourceSpec) -> None:
    # A new notebook title with the same code is the same transform, renamed in words.
    if spec.description and transform.description != spec.description:
        transform.description = spec.description
        transform.save()


def _has_finished_runs(transform: Any, excluding: Any = None) -> bool:
    runs = Run.filter(transform=transform.id, finished_at__isnull=False)
    if excluding is not None:
        runs = runs.exclude(id=excluding.id)
    return runs.exists()


def _update_source(transform: Any, spec: SourceSpec) -> Any:
    transform.source_code, transform.hash = spec.source, spec.hash
    if spec.description:
        transform.description = spec.description
    return transform.save()


def _next_version(latest: Any, spec: SourceSpec, why: str) -> Resolution:
    if latest.key == spec.key and not _has_finished_runs(latest):
        return Resolution(
            _update_source(latest, spec),
            created=False,
            note=f"updated the source of {latest.uid}: none of its runs finished",
        )
    return Resolution(
        _new(spec, revises=latest), created=True, note=f"{why} since version {latest.uid}"
    )


def _reuse(transform: Any, spec: SourceSpec) -> Resolution:
    _refresh_description(transform, spec)
    return Resolution(transform, created=False)


def _by_key(spec: SourceSpec) -> Resolution:
    records = Transform.filter(key=spec.key).to_list()
    if records:
        same = _same_source(records, spec)
        if same is not None:
            return _reuse(same, spec)
        return _next_version(_newest(records), spec, "the source changed")
    note = ""
    twin = Transform.filter(hash=spec.hash).order_by("-id").first()
    if twin is not None:
        note = (
            f"{twin.key!r} ({twin.uid}) has the same source: if this file was renamed "
            f"from it, call ln.track({twin.stem_uid!r}) to keep its version history"
        )
    return Resolution(_new(spec), created=True, note=note)


def _by_stem(spec: SourceSpec, stem: str) -> Resolution:
    records = [
        r for r in Transform.filter(uid__startswith=stem).to_list() if len(r.uid) == UID_LENGTH
    ]
    if not records:
        return Resolution(_new(spec, uid=stem), created=True)
    same = _same_source(records, spec)
    if same is not None:
        return _reuse(same, spec)
    latest = _newest(records)
    why = "the file was renamed" if latest.key != spec.key else "the source changed"
    return _next_version(latest, spec, why)


def _by_version(spec: SourceSpec, uid: str) -> Resolution:
    existing = Transform.filter(uid=uid).first()
    if existing is None:
        return Resolution(_new(spec, uid=uid), created=True)
    if existing.hash not in (None, spec.hash):
        raise InvalidArgument(
            f"The source of {spec.key!r} differs from transform version {uid}, which "
            f"ln.track({uid!r}) pins. To record it as a new version of the same "
            f"family, call ln.track({uid[:STEM_LENGTH]!r}) (the 12-character stem); "
            "to keep this version, restore its source."
        )
    if existing.hash is None:  # registered by hand, without source: adopt this one
        existing.hash, existing.source_code = spec.hash, spec.source
        existing.save()
    return _reuse(existing, spec)


def resolve_transform(spec: SourceSpec, uid: str | None = None) -> Resolution:
    """Find or make the transform for a tracked file (rules in the module docstring).

    Examples
    --------
    >>> spec = SourceSpec("a.py", "script", "print(1)", "h", None)
    >>> resolve_transform(spec).transform.key
    'a.py'
    """
    if uid is None:
        return _by_key(spec)
    if len(check_uid(uid)) == STEM_LENGTH:
        return _by_stem(spec, uid)
    return _by_version(spec, uid)


def revise_for_changed_source(transform: Any, spec: SourceSpec, run: Any) -> Any:
    """The transform a run should point to when its source changed after ``track()``.

    A notebook can be edited and saved between ``ln.track()`` and ``ln.finish()``.
    While no other run of the transform has finished, it is still a draft: its
    source is updated in place. Otherwise finished runs used the old source, so a
    new version is made and the run moves to it.

    Examples
    --------
    >>> revise_for_changed_source(transform, spec, run)  # doctest: +SKIP
    """
    if transform.hash == spec.hash:
        return transform
    if not _has_finished_runs(transform, excluding=run):
        return _update_source(transform, spec)
    return _new(spec, revises=transform)

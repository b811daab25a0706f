"""``doctor``: check an instance, say what is wrong, and (``--fix``) repair what is safe.

What it checks, and what ``--fix`` does about it:

============================  ======================================  ===================
finding                       meaning                                 ``--fix``
============================  ======================================  ===================
``missing-file``              a row whose file or folder is gone      needs a person
``hash-mismatch`` (--hash)    content no longer matches the hash      needs a person
``unreferenced-file``         a file in ``.lamindb/`` no row names    removed
``leftover-temp``             a ``.lamin-tmp-`` or ``.lamin-pending-``  removed
                              file of an interrupted save
``recent-leftover``           either of the two above, younger than   reported only
                              an hour (a save may be running now)
``stale-staging``             an old staging file in the cache        reported only
``no-latest`` / ``many-latest``  a version family with 0 / >1 latest  newest re-elected
``integrity``                 SQLite ``PRAGMA integrity_check``       needs a person
============================  ======================================  ===================

It never deletes anything outside ``<storage root>/.lamindb/``: stale staging files are in the
cache, so it names them and ``lamin-lab cache clear`` removes them.

Examples
--------
$ lamin-lab doctor
$ lamin-lab doctor --hash --fix
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Artifact, Collection, Storage, Transform
from ..settings import InstanceSettings, read_current_instance_name, settings
from ..storage.atomic import TMP_MARKER, remove_local
from ..storage.pending import PENDING_MARKER
from ..storage.hashing import hash_dir, hash_file
from ..storage.paths import is_cloud
from ._common import add_verb, say
from .instance import _current_or_fail

STAGING_MAX_AGE_S = 3600  # younger staging files may belong to a session that is still running
LEFTOVER_MIN_AGE_S = 3600  # younger files in .lamindb/ may belong to a save running now
SAFE_TO_FIX = {"unreferenced-file", "leftover-temp", "no-latest", "many-latest"}
ALL_BRANCHES = {"branch_id__in": [-1, 0, 1]}


@dataclass
class Finding:
    """One problem: its kind, what it concerns, and a sentence for a person."""

    kind: str
    subject: str
    detail: str
    target: Any = None  # a path to remove, or a family (model, stem) to re-elect

    @property
    def fixable(self) -> bool:
        """Whether ``doctor --fix`` repairs it without asking anyone.

        Examples
        --------
        >>> Finding("missing-file", "Artifact('x')", "gone").fixable
        False
        """
        return self.kind in SAFE_TO_FIX


def _artifacts() -> list[Any]:
    return list(Artifact.filter(**ALL_BRANCHES).order_by("id"))


def check_files(artifacts: list[Any], full_hash: bool) -> list[Finding]:
    """Rows whose content is missing or (``full_hash``) changed.

    Examples
    --------
    >>> check_files([], full_hash=False)
    []
    """
    findings, to_hash = [], []
    for artifact in artifacts:
        path = artifact.path
        label = f"Artifact('{artifact.uid}', key={artifact.key!r})"
        if not path.exists():
            findings.append(Finding("missing-file", label, f"its content {path} is gone: restore the file, "
                                    "or delete the row with lamin-lab delete artifact UID --permanent"))
        elif full_hash and not is_cloud(path) and artifact.hash:
            to_hash.append((artifact, Path(str(path)), label))
    if to_hash:
        from tqdm.auto import tqdm

        for artifact, path, label in tqdm(to_hash, desc="hashing", unit="artifact", disable=len(to_hash) < 20):
            digest = hash_dir(path, progress=False)[0] if path.is_dir() else hash_file(path, progress=True)[0]
            if digest != artifact.hash:
                findings.append(Finding("hash-mismatch", label, f"{path} was changed after it was saved "
                                        f"(hash {digest}, recorded {artifact.hash}): save it again as a new "
                                        "version, or restore the original"))
    return findings


def _local_roots() -> list[Path]:
    return [Path(s.root) for s in Storage.filter() if not is_cloud(s.root)]


def check_managed_folders(artifacts: list[Any]) -> list[Finding]:
    """Files in ``.lamindb/`` that no row points to, and temporary leftovers of failed saves.

    Examples
    --------
    >>> check_managed_folders(Artifact.filter())  # doctest: +SKIP
    [Finding(kind='leftover-temp', ...)]
    """
    referenced = {Path(str(a.path)) for a in artifacts if a._key_is_virtual and not is_cloud(a.path)}
    findings = []
    for root in _local_roots():
        managed = root / ".lamindb"
        if not managed.is_dir():
            continue
        cutoff = time.time() - LEFTOVER_MIN_AGE_S
        for entry in sorted(managed.iterdir()):
            if entry in referenced:
                continue
            if _modified_after(entry, cutoff):
                # A save or replace in another process stages its content here before it
                # commits: removing it would break that save.
                findings.append(Finding("recent-leftover", str(entry), "not referenced yet, but younger than "
                                        "an hour: it may belong to a save running now; run doctor again later"))
            elif TMP_MARKER in entry.name or PENDING_MARKER in entry.name:
                findings.append(Finding("leftover-temp", str(entry), "a temporary file of an interrupted save",
                                        entry))
            else:
                findings.append(Finding("unreferenced-file", str(entry), "no artifact points to this file", entry))
    return findings


def _modified_after(path: Path, cutoff: float) -> bool:
    try:
        return path.lstat().st_mtime > cutoff
    except OSError:  # removed meanwhile
        return False


def check_staging() -> list[Finding]:
    """Staging files (in-memory objects written for a save) older than an hour.

    Examples
    --------
    >>> check_staging()  # doctest: +SKIP
    []
    """
    staging = settings.cache_dir / ".staging"
    if not staging.is_dir():
        return []
    cutoff = time.time() - STAGING_MAX_AGE_S
    return [Finding("stale-staging", str(p), "a staging file left by a session that never saved it: "
                    "lamin-lab cache clear removes it", p)
            for p in sorted(staging.iterdir()) if p.stat().st_mtime < cutoff]


def check_versions() -> list[Finding]:
    """Version families (same stem uid, outside the trash) with zero or several latest versions.

    Examples
    --------
    >>> check_versions()  # doctest: +SKIP
    []
    """
    findings = []
    for model in (Artifact, Collection, Transform):
        stem_len = model._stem_length()
        families: dict[str, list[bool]] = {}
        rows = model.select(model.uid, model.is_latest).where(model.branch_id != -1).tuples()
        for uid, is_latest in rows:
            families.setdefault(uid[:stem_len], []).append(bool(is_latest))
        for stem, flags in sorted(families.items()):
            n = sum(flags)
            if n != 1:
                kind = "no-latest" if n == 0 else "many-latest"
                findings.append(Finding(kind, f"{model.__name__} family {stem}",
                                        f"{len(flags)} versions, {n} marked latest", (model, stem)))
    return findings


def check_database(inst: InstanceSettings) -> list[Finding]:
    """SQLite's own ``integrity_check``, before anything reads the database (PostgreSQL checks itself).

    Examples
    --------
    >>> check_database(InstanceSettings(name="x", db="postgresql://h/db", storage_root="/tmp/x"))
    []
    """
    if inst.dialect != "sqlite":
        return []
    try:
        con = sqlite3.connect(f"file:{inst.db}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        finally:
            con.close()
    except sqlite3.DatabaseError as error:
        rows = [str(error)]
    if rows == ["ok"]:
        return []
    return [Finding("integrity", inst.db, f"SQLite reports: {'; '.join(rows[:3])}: restore the database file "
                    "from a backup (doctor checks nothing else until then)")]


def _reelect(model: Any, stem: str) -> None:
    family = list(model.filter(uid__startswith=stem).order_by("created_at", "id"))
    newest = family[-1]
    model.update(is_latest=False).where(model.id.in_([r.id for r in family]), model.id != newest.id).execute()
    model.update(is_latest=True).where(model.id == newest.id).execute()


def fix(finding: Finding) -> None:
    """Repair one safe finding: remove a leftover file, or re-elect a family's latest version.

    Examples
    --------
    >>> fix(Finding("leftover-temp", "x", "a temp file", "/tmp/_lamin_lab_no_such_file"))
    """
    if finding.kind in ("no-latest", "many-latest"):
        _reelect(*finding.target)
    else:
        remove_local(finding.target)


def _doctor(args: argparse.Namespace) -> int:
    name = read_current_instance_name()
    inst = InstanceSettings.load(name) if name else None
    findings = check_database(inst) if inst is not None else []
    if not findings:  # a readable database: check the rows and the files
        inst = _current_or_fail()
        artifacts = _artifacts()
        say(f"→ checking instance {inst.name!r}: {len(artifacts)} artifacts"
            + (" (full hash check)" if args.hash else " (pass --hash to check content)"))
        findings = (check_files(artifacts, args.hash) + check_managed_folders(artifacts) + check_staging()
                    + check_versions())
    if not findings:
        print("no problems found")
        return 0
    for f in findings:
        print(f"{f.kind}: {f.subject}: {f.detail}")
    needs_person = [f for f in findings if not f.fixable]
    if args.fix:
        for f in findings:
            if f.fixable:
                fix(f)
        print(f"fixed {len(findings) - len(needs_person)} of {len(findings)} problems")
        for f in needs_person:
            print(f"needs a person: {f.kind}: {f.subject}")
        return 1 if needs_person else 0
    print(f"{len(findings)} problems; {len(findings) - len(needs_person)} can be repaired with lamin-lab doctor --fix")
    return 1


def register(sub: Any) -> None:
    """Add ``doctor`` to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(sub, "doctor", "check the current instance: missing or changed files, leftovers, versions",
                 "lamin-lab doctor\nlamin-lab doctor --hash --fix", _doctor)
    p.add_argument("--hash", action="store_true", help="re-hash every local file (slow for big data)")
    p.add_argument("--fix", action="store_true", help="repair what is safe; list what needs a person")

"""``doctor``: check an instance, say what is wrong, and (``--fix``) repair what is safe.

What it checks, and what ``--fix`` does about it:

============================  ======================================  ===================
finding                       meaning                                 ``--fix``
============================  ======================================  ===================
``missing-file``              a row whose file or folder is gone      needs a person
``hash-mismatch`` (--hash)    content no longer matches the hash      needs a person
``unreferenced-file``         a file in ``.lamindb/`` no row names    removed
``leftover-temp``             a ``.lamin-tmp-`` or ``.lamin-pending-``  removed (a replace
                              file of an interrupted save             that committed is
                                                                      swapped in)
``recent-leftover``           either of the two above, younger than   reported only
                              an hour (a save may be running now)
``stale-staging``             an old staging file in the cache        reported only
``no-latest`` / ``many-latest``  a version family with 0 / >1 latest  newest re-elected
``integrity``                 SQLite ``PRAGMA integrity_check``       needs a person
============================  ======================================  ===================

Leftovers are classified by ``lamin_lab.models.housekeeping.scan_leftovers``, the one place that
also cleans them for ``--fix``. It never deletes anything outside ``<storage root>/.lamindb/``:
stale staging files are in the cache, so it names them and ``lamin-lab cache clear`` removes them.

Examples
--------
$ lamin-lab doctor
$ lamin-lab doctor --hash --fix
"""

from __future__ import annotations

import argparse
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Artifact, Collection, Transform
from ..models.housekeeping import Leftover, clean, scan_leftovers
from ..settings import InstanceSettings, read_current_instance_name
from ..storage.atomic import remove_local
from ..storage.hashing import hash_dir, hash_file
from ..storage.paths import is_cloud
from ._common import add_verb, say
from .instance import _current_or_fail

LEFTOVER_MIN_AGE_S = 3600  # younger files may belong to a save running now in another process
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
            findings.append(
                Finding(
                    "missing-file",
                    label,
                    f"its content {path} is gone: restore the file, "
                    "or delete the row with lamin-lab delete artifact UID --permanent",
                )
            )
        elif full_hash and not is_cloud(path) and artifact.hash:
            to_hash.append((artifact, Path(str(path)), label))
    if to_hash:
        from tqdm.auto import tqdm

        for artifact, path, label in tqdm(
            to_hash, desc="hashing", unit="artifact", disable=len(to_hash) < 20
        ):
            digest = (
                hash_dir(path, progress=False)[0]
                if path.is_dir()
                else hash_file(path, progress=True)[0]
            )
            if digest != artifact.hash:
                findings.append(
                    Finding(
                        "hash-mismatch",
                        label,
                        f"{path} was changed after it was saved "
                        f"(hash {digest}, recorded {artifact.hash}): save it again as a new "
                        "version, or restore the original",
                    )
                )
    return findings


_FINDINGS = {  # housekeeping's kind -> (doctor's finding, the sentence for a person)
    "temporary": ("leftover-temp", "a temporary file of an interrupted save"),
    "pending": (
        "leftover-temp",
        "a replacement an interrupted replace left (--fix swaps it in when "
        "its save committed, else removes it)",
    ),
    "unreferenced": ("unreferenced-file", "no artifact points to this file"),
    "recent": (
        "recent-leftover",
        "not referenced yet, but younger than an hour: it may belong to a save "
        "running now; run doctor again later",
    ),
    "staging": (
        "stale-staging",
        "a staging file left by a session that never saved it: lamin-lab cache clear removes it",
    ),
}


def check_leftovers() -> list[Finding]:
    """What killed saves left in ``.lamindb/`` folders and the cache (classified by
    :func:`lamin_lab.models.housekeeping.scan_leftovers`, which ``--fix`` also uses to clean).

    Examples
    --------
    >>> check_leftovers()  # doctest: +SKIP
    [Finding(kind='leftover-temp', ...)]
    """
    findings = []
    for leftover in scan_leftovers(older_than=LEFTOVER_MIN_AGE_S):
        kind, detail = _FINDINGS[leftover.kind]
        findings.append(Finding(kind, str(leftover.path), detail, leftover))
    return findings


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
                findings.append(
                    Finding(
                        kind,
                        f"{model.__name__} family {stem}",
                        f"{len(flags)} versions, {n} marked latest",
                        (model, stem),
                    )
                )
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
    return [
        Finding(
            "integrity",
            inst.db,
            f"SQLite reports: {'; '.join(rows[:3])}: restore the database file "
            "from a backup (doctor checks nothing else until then)",
        )
    ]


def _reelect(model: Any, stem: str) -> None:
    family = list(model.filter(uid__startswith=stem).order_by("created_at", "id"))
    newest = family[-1]
    model.update(is_latest=False).where(
        model.id.in_([r.id for r in family]), model.id != newest.id
    ).execute()
    model.update(is_latest=True).where(model.id == newest.id).execute()


def fix(finding: Finding) -> None:
    """Repair one safe finding: remove a leftover file, or re-elect a family's latest version.

    Examples
    --------
    >>> fix(Finding("leftover-temp", "x", "a temp file", "/tmp/_lamin_lab_no_such_file"))
    """
    if finding.kind in ("no-latest", "many-latest"):
        _reelect(*finding.target)
    elif isinstance(finding.target, Leftover):
        clean(finding.target)
    else:
        remove_local(finding.target)


def _doctor(args: argparse.Namespace) -> int:
    name = read_current_instance_name()
    inst = InstanceSettings.load(name) if name else None
    findings = check_database(inst) if inst is not None else []
    if not findings:  # a readable database: check the rows and the files
        inst = _current_or_fail()
        artifacts = _artifacts()
        say(
            f"→ checking instance {inst.name!r}: {len(artifacts)} artifacts"
            + (" (full hash check)" if args.hash else " (pass --hash to check content)")
        )
        findings = check_files(artifacts, args.hash) + check_leftovers() + check_versions()
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
    print(
        f"{len(findings)} problems; {len(findings) - len(needs_person)} can be repaired with lamin-lab doctor --fix"
    )
    return 1


def register(sub: Any) -> None:
    """Add ``doctor`` to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(
        sub,
        "doctor",
        "check the current instance: missing or changed files, leftovers, versions",
        "lamin-lab doctor\nlamin-lab doctor --hash --fix",
        _doctor,
    )
    p.add_argument(
        "--hash", action="store_true", help="re-hash every local file (slow for big data)"
    )
    p.add_argument(
        "--fix", action="store_true", help="repair what is safe; list what needs a person"
    )

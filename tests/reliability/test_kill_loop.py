"""SIGKILL at random moments during mixed writes leaves a consistent instance (issue #13).

A child process loops over saves, bulk saves, replaces, permanent deletes and new
versions; the test kills it at random moments (seeded), starts it again, and afterwards
checks every invariant: each row's file exists and has the row's hash, each version
family has exactly one latest version, and once the leftovers are cleaned no file in the
storage is without its row.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time

from lamin_lab.models.housekeeping import clean_leftovers, find_leftovers
from lamin_lab.storage import hash_file

WORKLOAD = """
import random, sys
from pathlib import Path
import lamin_lab as ln
rng = random.Random(int(sys.argv[1]))
work = Path(sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    n += 1
    op = rng.choice(["save", "bulk", "replace", "delete", "version"])
    path = work / f"f{sys.argv[1]}_{n}.txt"
    path.write_text(f"{op} {sys.argv[1]} {n} " + "x" * rng.randrange(1000))
    if op == "save":
        ln.Artifact(path, description="loop").save()
    elif op == "bulk":
        others = []
        for k in range(3):
            p = work / f"b{sys.argv[1]}_{n}_{k}.txt"
            p.write_text(f"bulk {sys.argv[1]} {n} {k}")
            others.append(ln.Artifact(p, description="loop"))
        ln.save(others)
    elif op == "version":
        ln.Artifact(path, key=f"family{rng.randrange(3)}.txt").save()
    else:
        existing = ln.Artifact.filter(description="loop").to_list()
        if not existing:
            continue
        a = rng.choice(existing)
        if op == "replace":
            a.replace(path)
            a.save()
        else:
            a.delete(permanent=True)
"""

KILLS = 12


def _run_and_kill(seed: int, workdir, rng: random.Random) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", WORKLOAD, str(seed), str(workdir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    time.sleep(rng.uniform(0.05, 0.6))
    if child.poll() is not None:
        raise AssertionError(f"the workload died on its own: {child.stderr.read()}")
    child.kill()
    child.wait(timeout=30)


def test_random_kills_during_mixed_writes_leave_rows_and_files_in_agreement(ln, tmp_path):
    rng = random.Random(13)
    for seed in range(KILLS):
        _run_and_kill(seed, tmp_path, rng)
    artifacts = ln.Artifact.filter(branch_id__in=[-1, 0, 1]).to_list()
    assert len(artifacts) > KILLS  # the children did real work between the kills
    bad = [a.uid for a in artifacts if not a.path.exists() or hash_file(a.path)[0] != a.hash]
    assert bad == []
    for family in {a.stem_uid for a in artifacts}:
        versions = [a for a in artifacts if a.stem_uid == family]
        assert sum(a.is_latest for a in versions) == 1, [(a.uid, a.is_latest) for a in versions]
    clean_leftovers(older_than=0)
    assert find_leftovers(older_than=0) == []
    managed = {p.name for p in (tmp_path / "data" / ".lamindb").iterdir()}
    assert managed == {a.path.name for a in ln.Artifact.filter(branch_id__in=[-1, 0, 1])}

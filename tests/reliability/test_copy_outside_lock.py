"""A long file copy does not hold the database's write lock (issue #13, 6).

Before the fix the copy into the storage ran inside the save's write transaction: on
SQLite every other writer waited for it (a 1.5 GB save stalled another writer 5.9 s).
The child's copy is slowed down to 3 s; a write of the test must not wait for it.
"""

from __future__ import annotations

import subprocess
import sys
import time

SLOW_SAVE = """
import sys, time
import lamin_lab as ln
from lamin_lab.storage import atomic
copy = atomic._copy_file

def slow_copy(src, dst):
    print("copying", flush=True)
    time.sleep(3)
    copy(src, dst)

atomic._copy_file = slow_copy
print(ln.Artifact(sys.argv[1], key="big.csv").save().uid, flush=True)
"""


def test_another_writer_does_not_wait_for_a_save_that_is_copying(ln, tmp_path):
    src = tmp_path / "big.csv"
    src.write_text("a,b\n1,2\n")
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, str(src)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "copying", child.stderr.read()
    time.sleep(0.3)  # the child is inside its copy now
    started = time.monotonic()
    ln.ULabel(name="written meanwhile").save()
    waited = time.monotonic() - started
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert waited < 1.0
    saved = ln.Artifact.get(out.strip())
    assert saved.path.read_text() == "a,b\n1,2\n"

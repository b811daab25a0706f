"""Run lamin_lab code in a child process and SIGKILL it at a chosen point (fault injection).

The child connects to the instance of the test (it inherits ``LAMIN_LAB_HOME``), installs
the kill point and runs the snippet. A kill point names where the child dies:

``commit``
    the database's ``commit()`` of the save: everything before it is written, nothing after.
``swap``
    after the commit, before the pending content of a ``replace()`` is swapped in.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

PRELUDE = """
import os, signal
import lamin_lab as ln
from lamin_lab.models.artifact import save as artifact_save

def _die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def kill_at(point):
    if point == "commit":
        ln.Artifact.filter().count()  # connects: the database object exists from here on
        ln.Artifact._meta.database.obj.commit = _die
    elif point == "swap":
        artifact_save.swap_in = _die
"""


def run_child(
    code: str, *, kill_at: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run ``code`` after the prelude; with ``kill_at`` the child is killed at that point."""
    script = PRELUDE + (f"kill_at({kill_at!r})\n" if kill_at else "") + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout
    )


def was_killed(result: subprocess.CompletedProcess) -> bool:
    """Whether the child died of SIGKILL (and not of an error of its own)."""
    return result.returncode == -signal.SIGKILL

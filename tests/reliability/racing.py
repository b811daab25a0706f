"""Start several child processes that run the same lamin_lab snippet at the same moment.

Each child imports lamin_lab (it inherits ``LAMIN_LAB_HOME``, so it connects to the test's
instance), waits for a shared start time, then runs the snippet with ``i`` (its number)
and ``workdir`` defined; what it prints last is its answer.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

PRELUDE = """
import sys, time
i, workdir, start = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
import lamin_lab as ln
ln.Artifact.filter().count()  # connected before the start
time.sleep(max(0.0, start - time.time()))
"""


def race(code: str, n: int, workdir: str, *, lead: float = 3.0, timeout: float = 120) -> list[str]:
    """Run ``code`` in ``n`` children at once; return their last output lines (raises on a failure)."""
    start = time.time() + lead  # long enough for every child to import and connect
    script = PRELUDE + textwrap.dedent(code)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(i), workdir, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]
    answers, failures = [], []
    for child in children:
        out, err = child.communicate(timeout=timeout)
        if child.returncode != 0:
            failures.append(
                err.strip().splitlines()[-1] if err.strip() else f"exit {child.returncode}"
            )
        else:
            answers.append(out.strip().splitlines()[-1])
    if failures:
        raise AssertionError(f"{len(failures)} of {n} children failed: {failures}")
    return answers

"""The README's "A first session" runs as written (issue #12), in a fresh folder and home.

Its code blocks run in order in one new Python process, as a newcomer would paste them.
One line is the exception: the README shows ``curator.validate()`` failing on a typo on
purpose (its comment is the error), so that line runs inside ``try`` and the test checks
the error is the one the comment shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
SHOWN_TO_FAIL = "curator.validate()"


def first_session_code() -> str:
    text = README.read_text()
    section = text[text.index("## A first session") : text.index("## In JupyterLab")]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2, "the first session has two code blocks"
    lines = []
    for line in "\n".join(blocks).splitlines():
        if line.startswith(SHOWN_TO_FAIL):
            lines += [
                "try:",
                f"    {SHOWN_TO_FAIL}",
                "except ln.errors.ValidationError as error:",
                "    print('SHOWN-TO-FAIL', error)",
                "else:",
                "    raise SystemExit('validate() passed')",
            ]
        else:
            lines.append(line)
    return "\n".join(
        lines
        + [
            "print('ARTIFACTS', ln.Artifact.filter().count())",
            "print('LATEST', ln.Artifact.get(key='tables/cells.parquet').version)",
        ]
    )


def test_the_first_session_runs_as_written(tmp_path):
    env = dict(os.environ, LAMIN_LAB_HOME=str(tmp_path / "home"))
    env.pop("LAMIN_LAB_TEST_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", first_session_code()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert (
        "SHOWN-TO-FAIL 1 term not validated in 'perturbation': 'IFNJ' (did you mean 'IFNG'?)" in out
    )
    # two versions of the table, the collection's members are not new artifacts, the curated one
    assert "ARTIFACTS 3" in out
    assert "LATEST 0001" in out  # get(key=) gives the latest of the two versions

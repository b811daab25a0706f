"""Run ``lamin-lab`` as a person would: a subprocess in a fresh folder with a fresh ``LAMIN_LAB_HOME``."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


class Shell:
    """``shell("save t.csv --key k")`` runs ``lamin-lab save t.csv --key k`` in ``shell.cwd``."""

    def __init__(self, base: Path):
        self.cwd = base / "work"
        self.cwd.mkdir()
        self.home = base / "home"

    @property
    def env(self) -> dict[str, str]:
        """This process's environment at call time (fixtures may set AWS_* later), own home."""
        env = {**os.environ, "LAMIN_LAB_HOME": str(self.home)}
        env.pop("LAMIN_LAB_CACHE_DIR", None)
        return env

    def __call__(self, line: str | list[str], ok: bool = True) -> Result:
        import shlex

        args = shlex.split(line) if isinstance(line, str) else line
        if args and args[0] == "lamin-lab":
            args = args[1:]
        done = subprocess.run(
            [sys.executable, "-m", "lamin_lab.cli", *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        result = Result(done.returncode, done.stdout, done.stderr)
        if ok and done.returncode != 0:
            raise AssertionError(
                f"lamin-lab {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}"
            )
        return result

    def python(self, code: str) -> str:
        """Run Python in the same folder and home (to look at what the command did)."""
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip()


@pytest.fixture
def shell(tmp_path) -> Shell:
    return Shell(tmp_path)


@pytest.fixture
def instance(shell) -> Shell:
    """A shell with an instance ``mydata`` (storage ``./mydata``) set up."""
    shell("init --storage ./mydata")
    return shell

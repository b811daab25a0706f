"""A fresh clone stays clean after building the lab extension and running the demo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _clone(tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)], check=True)
    return clone


def _porcelain(clone: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout


def test_building_the_lab_extension_leaves_the_clone_clean(tmp_path):
    # What scripts/test.sh's step_labextension runs: `npm ci` must accept the committed lock
    # (it fails when the lock is out of date) and leave it byte for byte as it was.
    assert shutil.which("npm"), "npm is needed to build the lab extension: install node 20+"
    clone = _clone(tmp_path)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for cmd in (
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        ["npm", "run", "--silent", "build"],
    ):
        done = subprocess.run(
            cmd, cwd=clone / "labextension", env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-3000:]
    assert (clone / "lamin_lab" / "labextension" / "package.json").exists()
    assert _porcelain(clone) == ""


def test_the_headless_demo_leaves_the_clone_clean(tmp_path):
    clone = _clone(tmp_path)
    (tmp_path / "tmp").mkdir()  # the demo's copy of notebooks/ lands here, removed with tmp_path
    env = {
        **os.environ,
        "LAMIN_LAB_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(clone),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lamin_lab.cli",
            "demo",
            "--headless",
            "--notebook",
            "quickstart.ipynb",
        ],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "executed quickstart.ipynb" in done.stdout
    assert _porcelain(clone) == ""

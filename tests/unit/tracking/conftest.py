"""Fixtures for the tracking building blocks: notebooks on disk, a clean environment."""

from __future__ import annotations

import json
import os
from pathlib import Path
from collections.abc import Callable

import pytest
from tracking_helpers import DETECTION_VARS, VENV_BIN, notebook_json


@pytest.fixture
def write_notebook() -> Callable[..., Path]:
    """Write a notebook made of ``(cell_type, source)`` pairs to a path."""

    def write(path: Path, cells: list[tuple[str, str]], **metadata: object) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook_json(cells, **metadata), indent=1))
        return path

    return write


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """This process's environment without detection variables; also for children."""
    for name in DETECTION_VARS:
        monkeypatch.delenv(name, raising=False)
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env

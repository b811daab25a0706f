"""Helpers shared by the tracking tests (imported as a plain module)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent

# Variables that would let detection succeed for the wrong reason.
DETECTION_VARS = ("LAMIN_LAB_NOTEBOOK_PATH", "JPY_SESSION_NAME", "JPY_PARENT_PID")


def notebook_json(cells: list[tuple[str, str]], **metadata: object) -> dict:
    """An nbformat-4 notebook dict from ``(cell_type, source)`` pairs."""
    made = []
    for i, (cell_type, source) in enumerate(cells):
        cell = {"cell_type": cell_type, "id": f"c{i}", "metadata": {}, "source": source}
        if cell_type == "code":
            cell.update(execution_count=None, outputs=[])
        made.append(cell)
    meta = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        **metadata,
    }
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": made}


# A notebook cell that prints what detection found, or the error, as one JSON line.
DETECT_CELL = """\
import json
from lamin_lab.tracking.detect import detect_running
try:
    found = detect_running()
    print("RESULT " + json.dumps({"path": str(found.path), "kind": found.kind, "how": found.how}))
except Exception as error:
    print("RESULT " + json.dumps({"error": type(error).__name__, "message": str(error)}))
"""


def result_of(text: str) -> dict:
    """The JSON printed by DETECT_CELL in some output text."""
    for line in text.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise AssertionError(f"no RESULT line in output:\n{text}")


def stdout_of_notebook(path: Path) -> str:
    """All stream outputs of an executed notebook file, joined."""
    nb = json.loads(path.read_text())
    texts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = output["text"]
                texts.append("".join(text) if isinstance(text, list) else text)
    return "".join(texts)

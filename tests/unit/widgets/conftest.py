"""A small catalog for the panel tests (fresh instance per test via the ``ln`` fixture)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture
def catalog(ln, tmp_path):
    """Two artifacts made by one run (raw csv → run → clean parquet), labels, a feature."""
    import pandas as pd

    src = tmp_path / "src"
    src.mkdir()
    (src / "pbmc.csv").write_text("cell,count\nA,1\nB,2\n")
    (src / "notes.txt").write_text("line one\nline two\n")
    transform = ln.Transform(key="prep.py", kind="script", description="pbmc preprocessing").save()
    run = ln.Run(transform=transform).save()
    raw = ln.Artifact(str(src / "pbmc.csv"), key="raw/pbmc.csv", description="raw counts").save()
    clean = ln.Artifact.from_dataframe(
        pd.DataFrame({"x": [7, 8, 9]}), key="pbmc_clean.parquet", description="clean table", run=run
    ).save()
    run.input_artifacts.add(raw)
    notes = ln.Artifact(str(src / "notes.txt"), key="notes.txt", description="lab notes").save()
    labels = [
        ln.ULabel(name=name, description=desc).save()
        for name, desc in [
            ("T cell", "a lymphocyte"),
            ("T helper cell", None),
            ("B cell", "makes antibodies"),
        ]
    ]
    return SimpleNamespace(
        ln=ln, transform=transform, run=run, raw=raw, clean=clean, notes=notes, labels=labels
    )

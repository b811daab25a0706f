"""Two local instances: ``src`` (seeded with an annotated artifact) and the current one (empty)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


def seed(ln, folder):
    """A transform, a run, a label, two features and one annotated csv artifact made by the run."""
    transform = ln.Transform(key="make.py", kind="script").save()
    run = ln.Run(transform=transform).save()
    path = folder / "x.csv"
    path.write_text("a,b\n1,2\n")
    label = ln.ULabel(name="blue").save()
    ln.Feature(name="temp", dtype=float).save()
    ln.Feature(name="color", dtype=ln.ULabel).save()
    artifact = ln.Artifact(path, key="x.csv", description="made by make.py", run=run).save()
    artifact.ulabels.add(label)
    artifact.features.add_values({"temp": 3.5, "color": "blue"})
    return SimpleNamespace(
        artifact_uid=artifact.uid,
        hash=artifact.hash,
        path=str(artifact.path),
        label_uid=label.uid,
        run_uid=run.uid,
        transform_uid=transform.uid,
    )


@pytest.fixture
def source(ln, tmp_path):
    """Facts of the seeded instance ``src``; the test's own instance is current again afterwards."""
    from lamin_lab.setup.db import close_instances

    current = ln.setup.settings.instance.name
    ln.setup.init(storage=tmp_path / "src", name="src")
    facts = seed(ln, tmp_path)
    facts.root = ln.setup.settings.instance.storage_root
    facts.slug = f"{ln.setup.settings.user.handle}/src"
    ln.setup.connect(current)
    yield facts
    close_instances()

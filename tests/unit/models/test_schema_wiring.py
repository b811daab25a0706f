"""Schemas work from a plain ``import lamin_lab``: the curation layer loads when needed."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
import pandas as pd
import lamin_lab as ln

assert "lamin_lab.curation" not in sys.modules
ln.setup.init(storage="data")
ln.ULabel.from_values(["IFNG", "DMSO"], create=True).save()
schema = ln.Schema(name="p", features=[ln.Feature(name="perturbation", dtype=ln.ULabel).save()]).save()
df = pd.DataFrame({"perturbation": ["IFNG", "DMSO"]})
artifact = ln.Artifact.from_dataframe(df, key="p.parquet", schema=schema).save()
print("labels", sorted(artifact.ulabels.to_list("name")))
print("describe", "Dataset feature" in artifact.describe(return_str=True))
try:
    ln.Artifact.from_dataframe(pd.DataFrame({"perturbation": ["IFNJ"]}), key="q.parquet", schema=schema)
except ln.errors.ValidationError as e:
    print("refused", str(e).splitlines()[0])
print("artifacts", ln.Artifact.filter().count())
"""


def test_schema_validation_and_annotation_without_importing_curators(tmp_path):
    env = {**os.environ, "LAMIN_LAB_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.splitlines() == [
        "labels ['DMSO', 'IFNG']",
        "describe True",
        "refused 1 term not validated in 'perturbation': 'IFNJ' (did you mean 'IFNG'?)",
        "artifacts 1",
    ]

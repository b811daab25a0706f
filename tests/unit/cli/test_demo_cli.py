"""The demo catalog and the ``lamin-lab`` command (the README's main job)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_demo_catalog_has_lineage_and_a_collection(ln):
    from lamin_lab.cli.demo import build_demo_catalog

    records = build_demo_catalog()
    assert records["collection"].ordered_artifacts.to_list("key") == [
        "demo/batches/D1.parquet",
        "demo/batches/D2.parquet",
        "demo/batches/D3.parquet",
    ]
    processed = ln.Artifact.get(key="demo/processed/pbmc.h5ad")
    assert processed.run.transform.key == "demo/preprocess.py"
    assert sorted(processed.run.input_artifacts.to_list("key")) == [
        "demo/raw/pbmc_counts.parquet",
        "demo/raw/pbmc_obs.parquet",
    ]
    assert ln.ULabel.filter(type__name="CellType").count() == 6


def test_demo_catalog_is_built_once(ln):
    from lamin_lab.cli.demo import build_demo_catalog

    build_demo_catalog()
    n = ln.Artifact.filter().count()
    build_demo_catalog()
    assert ln.Artifact.filter().count() == n == 6


def test_cli_demo_headless_builds_the_default_instance(tmp_path):
    env = {**os.environ, "LAMIN_LAB_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "lamin_lab.cli",
            "demo",
            "--headless",
            "--notebook",
            "quickstart.ipynb",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "demo catalog ready in instance 'default'" in out.stdout
    assert "executed quickstart.ipynb" in out.stdout
    assert (tmp_path / "home" / "default-storage" / "default.lndb").exists()


def test_cli_info_names_the_current_instance(tmp_path):
    env = {**os.environ, "LAMIN_LAB_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-m", "lamin_lab.cli", "info"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Instance: default" in out.stdout  # the layout of LaminDB's `lamin info`

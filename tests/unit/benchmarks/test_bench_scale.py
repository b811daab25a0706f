"""``benchmarks/bench_scale.py`` at a tiny size: the JSON it writes and the PNG next to it.

Benchmarks are never timed in tests: this only checks that the script runs end to end
and that the catalog it builds answers as designed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
OPS = [
    "get_uid",
    "get_key",
    "count_startswith",
    "feature_filter",
    "search",
    "to_dataframe_100",
    "describe",
    "view_lineage",
    "save_new",
    "to_dataframe_all",
]


@pytest.fixture(scope="module")
def scale_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("scale") / "scale.json"
    env = {**os.environ, "PYTHONPATH": str(REPO), "LAMIN_LAB_HOME": str(out.parent / "home")}
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_scale.py"),
            "--sizes",
            "200,400",
            "--repeat",
            "1",
            "--out",
            str(out),
        ],
        check=True,
        env=env,
        cwd=out.parent,
        capture_output=True,
        timeout=300,
    )
    return out, json.loads(out.read_text())


def test_json_lists_the_sizes(scale_run):
    assert scale_run[1]["sizes"] == [200, 400]


def test_json_has_one_p50_per_size_for_each_call(scale_run):
    ops = scale_run[1]["ops"]
    assert (list(ops), [len(v) for v in ops.values()]) == (OPS, [2] * len(OPS))


def test_png_is_written_next_to_the_json(scale_run):
    assert scale_run[0].with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_catalog_answers_as_designed(scale_run):
    checks = scale_run[1]["checks"][1]
    assert (
        checks["count_startswith"],
        checks["feature_filter"],
        checks["search_first_is_probe"],
    ) == (400, 10, True)

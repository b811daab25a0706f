"""``benchmarks/mapped_peers.py``: how the issue's targets are judged from the medians.

Nothing is timed here; the rows are made up.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "benchmarks"))

import mapped_peers  # noqa: E402


def _row(lib, name, rate, bits=4.15):
    return {"lib": lib, "name": name, "samples_per_s": rate, "entropy_bits": bits}


ROWS = [
    _row("raw", "os.preadv per random row", 200_000, None),
    _row("lamin_lab", "dense random (shuffle=True)", 120_000),
    _row("lamin_lab", "dense block sampler 32x128", 150_000, 4.05),
    _row("lamin_lab", "dense block sampler 64x4", 400_000, 1.9),
    _row("lamin_lab", "sparse random, CSR out", 50_000, 3.9),
    _row("annbatch", "dense preshuffled, chunk 32 x 256 (recommended)", 60_000),
    _row("annbatch", "sparse preshuffled, chunk 32 x 256, CSR out", 55_000, 3.9),
    _row("scdataset", "dense BlockShuffling 32, fetch_factor 16", 500_000, 3.9),
    _row("scdataset", "dense BlockShuffling 16, fetch_factor 16", 100_000, 4.0),
]


def test_targets_compare_the_named_setups():
    got = {t["target"]: (round(t["ratio"], 2), t["met"]) for t in mapped_peers.targets(ROWS)}
    assert got == {
        "dense random >= 1.5x annbatch recommended": (2.0, True),
        "dense random >= 50% of raw preadv": (0.6, True),
        "sparse CSR >= annbatch sparse CSR": (0.91, False),
        "entropy >= 4.0 bits at >= 1.2x scdataset": (1.5, True),
    }


def test_entropy_target_ignores_settings_below_four_bits():
    (entropy,) = [t for t in mapped_peers.targets(ROWS) if t["target"].startswith("entropy")]
    assert entropy["ours"] == "dense block sampler 32x128"
    assert entropy["theirs"] == "scdataset: dense BlockShuffling 16, fetch_factor 16"


def test_a_target_without_its_peer_is_not_measured():
    rows = [r for r in ROWS if r["lib"] != "annbatch"]
    judged = {t["target"]: t["met"] for t in mapped_peers.targets(rows)}
    assert judged["dense random >= 1.5x annbatch recommended"] is None


def test_every_peer_setup_names_an_interpreter_and_code(tmp_path):
    setups = mapped_peers._setups(tmp_path)
    assert {s["lib"] for s in setups} == {"raw", "lamin_lab", "annbatch", "scdataset"}
    assert all(s["python"] and "result" in s["code"] for s in setups)

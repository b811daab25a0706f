"""Speed and memory of ``lamin_lab.mapped.MappedCollection`` next to LaminDB 2.12.1's.

Run: ``.venv/bin/python benchmarks/bench_mapped.py [--data-dir DIR] [--skip-lamindb]``;
``--peers [--repeats N]`` compares with annbatch and scdataset instead (see
``benchmarks/mapped_peers.py``: how to create their venvs; a missing one is skipped).

Data (generated once into ``--data-dir``, default ``/tmp/lamin_lab-bench-mapped``):

- dense: 4 h5ad files × 20,000 cells × 2,000 genes, float32 ``X`` (the anchor shape);
  ``obs["cell_type"]`` (20 types) comes in runs of similar cells, as in real files;
- sparse: 2 h5ad files × 20,000 cells × 20,000 genes, CSR with 1,000 values per row;
- index: 10 h5ad files × 1,000,000 cells (10 M) of simulated ``obs`` metadata
  (3 categorical columns) and an empty CSR ``X``.

Measured, each side in a fresh subprocess (LaminDB in ``.benchmarks-venv``, see
``benchmarks/lamindb_env.py``): random ``ds[i]`` samples/s; ``DataLoader(batch_size=256,
shuffle=True)`` samples/s with ``num_workers=0`` and ``2`` (and, lamin_lab only, with its
optional ``collate_fn``); the block-shuffling sampler
(its index order also fed to LaminDB as a plain sampler); sparse CSR samples/s; peak
RSS and time of building the index over 10 M cells. Batch label entropy (bits) of a plain
shuffle and of the block sampler is computed from the labels.

The files fit in the page cache, so the numbers measure the per-sample software cost,
not the disk. Output: a table and ``benchmarks/results/mapped.json`` (ratios > 1 mean
lamin_lab is faster or leaner).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lamindb_env import LAMINDB_PIN, run_in_lamindb, run_snippet  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "mapped.json"
DENSE = dict(files=4, cells=20_000, genes=2_000)
SPARSE = dict(files=2, cells=20_000, genes=20_000, nnz=1_000)
INDEX = dict(files=10, cells=1_000_000)
# (block_size, fetch_factor) of the block sampler: pools of 1 batch (whole blocks per
# batch, fewest reads) and of 4 batches (rows of a block spread over 4 batches).
BLOCKS = [(64, 4), (16, 16), (64, 16)]


# ------------------------------------------------------------------ data
def _write(adata, path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        adata.write_h5ad(path)


def _runs_of_labels(rng, n: int, n_labels: int, mean_run: int = 400) -> np.ndarray:
    lengths = rng.geometric(1 / mean_run, size=n // 10 + 10)
    labels = np.repeat(rng.integers(0, n_labels, size=len(lengths)), lengths)
    return labels[:n]


def make_dense(root: Path) -> list[str]:
    import anndata as ad
    import pandas as pd

    paths = []
    for f in range(DENSE["files"]):
        path = root / f"dense_{f}.h5ad"
        paths.append(str(path))
        if path.exists():
            continue
        rng = np.random.default_rng(f)
        n, g = DENSE["cells"], DENSE["genes"]
        labels = _runs_of_labels(rng, n, 20)
        obs = pd.DataFrame(
            {"cell_type": pd.Categorical([f"type_{i:02d}" for i in labels])},
            index=[f"c{f}_{i}" for i in range(n)],
        )
        var = pd.DataFrame(index=[f"gene_{i}" for i in range(g)])
        _write(ad.AnnData(rng.random((n, g), dtype=np.float32), obs=obs, var=var), path)
    return paths


def make_sparse(root: Path) -> list[str]:
    import anndata as ad
    import pandas as pd
    import scipy.sparse as sp

    paths = []
    n, g, k = SPARSE["cells"], SPARSE["genes"], SPARSE["nnz"]
    for f in range(SPARSE["files"]):
        path = root / f"sparse_{f}.h5ad"
        paths.append(str(path))
        if path.exists():
            continue
        rng = np.random.default_rng(100 + f)
        cols = np.empty((n, k), dtype=np.int32)
        for start in range(0, n, 500):  # k distinct genes per cell, in chunks
            keys = rng.random((min(500, n - start), g), dtype=np.float32)
            cols[start : start + 500] = np.sort(np.argpartition(keys, k, axis=1)[:, :k], axis=1)
        data = rng.random(n * k, dtype=np.float32) + 0.5
        X = sp.csr_matrix((data, cols.reshape(-1), np.arange(0, n * k + 1, k)), shape=(n, g))
        obs = pd.DataFrame(
            {"cell_type": pd.Categorical([f"type_{i:02d}" for i in _runs_of_labels(rng, n, 20)])},
            index=[f"s{f}_{i}" for i in range(n)],
        )
        var = pd.DataFrame(index=[f"gene_{i}" for i in range(g)])
        _write(ad.AnnData(X, obs=obs, var=var), path)
    return paths


def make_index(root: Path) -> list[str]:
    import anndata as ad
    import pandas as pd
    import scipy.sparse as sp

    paths = []
    n = INDEX["cells"]
    for f in range(INDEX["files"]):
        path = root / f"obs_{f}.h5ad"
        paths.append(str(path))
        if path.exists():
            continue
        rng = np.random.default_rng(200 + f)
        obs = pd.DataFrame(
            {
                "cell_type": pd.Categorical.from_codes(
                    _runs_of_labels(rng, n, 200), [f"type_{i:03d}" for i in range(200)]
                ),
                "donor": pd.Categorical.from_codes(
                    rng.integers(0, 50, n), [f"donor_{i}" for i in range(50)]
                ),
                "assay": pd.Categorical.from_codes(rng.integers(0, 5, n), list("ABCDE")),
            },
            index=pd.RangeIndex(n).astype(str),
        )
        X = sp.csr_matrix((n, 50), dtype=np.float32)
        _write(ad.AnnData(X, obs=obs, var=pd.DataFrame(index=[f"g{i}" for i in range(50)])), path)
    return paths


# ------------------------------------------------------------------ snippets
_IMPORTS = """
import json, os, resource, time
import numpy as np
if os.environ["IMPL"] == "lamin_lab":
    from lamin_lab.mapped import MappedCollection
else:
    from lamindb.core import MappedCollection
paths = json.loads(os.environ["PATHS"])
"""

_PRELUDE = (
    _IMPORTS
    + """
import torch
from torch.utils.data import DataLoader
torch.manual_seed(0)
rng = np.random.default_rng(0)

def loader_rate(ds, n_batches, **kwargs):
    n_batches = max(n_batches, 8)
    it = iter(DataLoader(ds, batch_size=256, **kwargs))
    next(it)  # warm-up: worker start, first opens
    t0 = time.perf_counter(); n = 0
    for _ in range(n_batches):
        batch = next(it)
        n += batch["X"].shape[0]
    return n / (time.perf_counter() - t0)

def single_rate(ds, n):
    n = max(n, 500)
    idx = rng.integers(0, len(ds), n).tolist()
    ds[idx[0]]
    t0 = time.perf_counter()
    for i in idx:
        ds[i]
    return n / (time.perf_counter() - t0)
"""
)

DENSE_CODE = (
    _PRELUDE
    + """
scale = float(os.environ["SCALE"])
t0 = time.perf_counter()
ds = MappedCollection(paths, obs_keys="cell_type")
result["build_s"] = time.perf_counter() - t0
result["single"] = single_rate(ds, int(20000 * scale))
result["loader_w0"] = loader_rate(ds, int(150 * scale), shuffle=True)
if os.environ["IMPL"] == "lamin_lab":
    from lamin_lab.mapped import collate_fn
    result["loader_w0_collate"] = loader_rate(ds, int(150 * scale), shuffle=True, collate_fn=collate_fn)
for name in os.environ["ORDERS"].split(","):
    order = np.load(os.path.join(os.environ["ORDER_DIR"], name + ".npy")).tolist()
    if os.environ["IMPL"] == "lamin_lab":
        from lamin_lab.mapped import BlockShuffleSampler
        b, f = (int(x) for x in name.split("_")[1:])
        sampler = BlockShuffleSampler(ds, block_size=b, fetch_factor=f, seed=0)
    else:
        sampler = order  # the same kind of order, as a plain list of indices
    result["loader_" + name] = loader_rate(ds, int(150 * scale), sampler=sampler)
ds.close()
ds = MappedCollection(paths, obs_keys="cell_type", parallel=True)
result["loader_w2"] = loader_rate(
    ds, int(300 * scale), shuffle=True, num_workers=2,
    worker_init_fn=MappedCollection.torch_worker_init_fn,
)
"""
)

SPARSE_CODE = (
    _PRELUDE
    + """
scale = float(os.environ["SCALE"])
ds = MappedCollection(paths, obs_keys="cell_type")
result["single"] = single_rate(ds, int(5000 * scale))
result["loader_w0"] = loader_rate(ds, int(60 * scale), shuffle=True)
"""
)

# No torch here: the two venvs ship different torch builds, which would skew the RSS.
INDEX_CODE = (
    _IMPORTS
    + """
import gc
gc.collect()
def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
base = rss_mb()
t0 = time.perf_counter()
ds = MappedCollection(paths, obs_keys=["cell_type", "donor", "assay"])
result["build_s"] = time.perf_counter() - t0
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result["base_rss_mb"] = base
result["held_mb"] = rss_mb() - base
result["growth_mb"] = result["peak_rss_mb"] - base
result["n_obs"] = len(ds)
"""
)


def warm(paths: list[str]) -> None:
    """Read the files once so both sides start from the page cache."""
    for path in paths:
        with open(path, "rb", buffering=0) as f:
            while f.read(8 << 20):
                pass


def _run(impl: str, code: str, paths: list[str], extra: dict | None = None) -> dict:
    warm(paths)
    env = {"IMPL": impl, "PATHS": json.dumps(paths), **(extra or {})}
    if impl == "lamindb":
        return run_in_lamindb(code, extra_env=env, timeout=3600)
    return run_snippet(code, extra_env=env, timeout=3600)


# ------------------------------------------------------------------ entropy
def entropies(labels: np.ndarray, order_dir: Path) -> dict[str, float]:
    from lamin_lab.mapped import BlockShuffleSampler, batch_label_entropy

    out = {
        "shuffle": batch_label_entropy(
            labels, np.random.default_rng(0).permutation(len(labels)), 256
        )
    }
    for block, fetch in BLOCKS:
        sampler = BlockShuffleSampler(len(labels), block_size=block, fetch_factor=fetch, seed=0)
        order = sampler.order()
        np.save(order_dir / f"block_{block}_{fetch}.npy", order)
        out[f"block_{block}_{fetch}"] = batch_label_entropy(labels, order, 256)
    return out


def dense_labels(paths: list[str]) -> np.ndarray:
    from lamin_lab.mapped import MappedCollection

    ds = MappedCollection(paths, obs_keys="cell_type")
    return ds._labels["cell_type"].codes.astype(np.int64)


# ------------------------------------------------------------------ report
def _row(name: str, unit: str, ours: float, theirs: float | None, higher_is_better: bool) -> dict:
    ratio = None
    if theirs:
        ratio = ours / theirs if higher_is_better else theirs / ours
    return {"metric": name, "unit": unit, "lamin_lab": ours, "lamindb": theirs, "ratio": ratio}


def build_rows(ours: dict, theirs: dict) -> list[dict]:
    t = lambda part, key: theirs.get(part, {}).get(key)  # noqa: E731
    o = lambda part, key: ours[part][key]  # noqa: E731
    rows = [
        _row("dense ds[i] random", "samples/s", o("dense", "single"), t("dense", "single"), True),
        _row(
            "dense DataLoader bs256 shuffle w0",
            "samples/s",
            o("dense", "loader_w0"),
            t("dense", "loader_w0"),
            True,
        ),
        _row(
            "dense DataLoader bs256 w0 + collate_fn",
            "samples/s",
            o("dense", "loader_w0_collate"),
            None,
            True,
        ),
        _row(
            "dense DataLoader bs256 shuffle w2",
            "samples/s",
            o("dense", "loader_w2"),
            t("dense", "loader_w2"),
            True,
        ),
    ]
    for block, fetch in BLOCKS:
        key = f"loader_block_{block}_{fetch}"
        rows.append(
            _row(
                f"dense block sampler {block}x{fetch} w0",
                "samples/s",
                o("dense", key),
                t("dense", key),
                True,
            )
        )
    rows += [
        _row(
            "sparse ds[i] random", "samples/s", o("sparse", "single"), t("sparse", "single"), True
        ),
        _row(
            "sparse DataLoader bs256 shuffle w0",
            "samples/s",
            o("sparse", "loader_w0"),
            t("sparse", "loader_w0"),
            True,
        ),
        _row(
            "index 10M cells peak RSS",
            "MB",
            o("index", "peak_rss_mb"),
            t("index", "peak_rss_mb"),
            False,
        ),
        _row(
            "index 10M cells peak RSS growth",
            "MB",
            o("index", "growth_mb"),
            t("index", "growth_mb"),
            False,
        ),
        _row("index 10M cells held RSS", "MB", o("index", "held_mb"), t("index", "held_mb"), False),
        _row(
            "index 10M cells build time", "s", o("index", "build_s"), t("index", "build_s"), False
        ),
    ]
    return rows


def print_table(rows: list[dict], entropy: dict[str, float]) -> None:
    print(f"\n{'metric':42} {'unit':10} {'lamin_lab':>12} {'lamindb':>12} {'ratio':>8}")
    for r in rows:
        theirs = "-" if r["lamindb"] is None else f"{r['lamindb']:12.1f}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:7.1f}x"
        print(f"{r['metric']:42} {r['unit']:10} {r['lamin_lab']:12.1f} {theirs:>12} {ratio:>8}")
    print("\nbatch label entropy (bits, batch 256, 20 cell types in runs):")
    for name, value in entropy.items():
        print(f"  {name:20} {value:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", default=os.environ.get("LAMIN_LAB_BENCH_DATA", "/tmp/lamin_lab-bench-mapped")
    )
    parser.add_argument("--skip-lamindb", action="store_true", help="measure lamin_lab only")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the number of samples read"
    )
    parser.add_argument("--peers", action="store_true", help="compare with annbatch and scdataset")
    parser.add_argument("--repeats", type=int, default=3, help="runs per peer setup (medians)")
    args = parser.parse_args()
    root = Path(args.data_dir)
    root.mkdir(parents=True, exist_ok=True)
    if args.peers:
        from mapped_peers import run_peers

        run_peers(root, make_dense(root), make_sparse(root), args.repeats, warm)
        return
    t0 = time.perf_counter()
    data = {"dense": make_dense(root), "sparse": make_sparse(root), "index": make_index(root)}
    print(f"data ready in {time.perf_counter() - t0:.0f} s under {root}", file=sys.stderr)
    entropy = entropies(dense_labels(data["dense"]), root)
    orders = ",".join(f"block_{b}_{f}" for b, f in BLOCKS)
    codes = {"dense": DENSE_CODE, "sparse": SPARSE_CODE, "index": INDEX_CODE}
    ours, theirs = {}, {}
    for part, code in codes.items():
        for impl, store, scale in (
            ("lamin_lab", ours, args.scale),
            ("lamindb", theirs, args.scale / 8),
        ):
            if impl == "lamindb" and args.skip_lamindb:
                continue
            extra = {"SCALE": str(scale), "ORDER_DIR": str(root), "ORDERS": orders}
            print(f"running {part} with {impl} ...", file=sys.stderr)
            store[part] = _run(impl, code, data[part], extra)
    rows = build_rows(ours, theirs)
    print_table(rows, entropy)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "compared_with": LAMINDB_PIN,
                "data": {"dense": DENSE, "sparse": SPARSE, "index": INDEX},
                "rows": rows,
                "batch_label_entropy_bits": entropy,
                "raw": {"lamin_lab": ours, "lamindb": theirs},
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwritten {RESULTS}")


if __name__ == "__main__":
    main()

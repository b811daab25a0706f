"""``MappedCollection`` next to its peers: annbatch 0.3.1 and scdataset 0.3.0 (samples/s).

Run: ``.venv/bin/python benchmarks/bench_mapped.py --peers [--repeats 5]``

Each peer runs in its own venv outside the repository; a peer whose venv is absent is
skipped (this is a benchmark, not a test). Create them with::

    /root/.pyenv/versions/3.12.1/bin/python -m venv /tmp/venv-annbatch   # annbatch needs 3.12+
    /tmp/venv-annbatch/bin/pip install annbatch==0.3.1 zarrs            # no torch; Rust codecs
    /root/.pyenv/versions/3.11.7/bin/python -m venv /tmp/venv-scdataset
    /tmp/venv-scdataset/bin/pip install torch==2.13.0 scdataset==0.3.0 h5py   # the local CPU wheel

(``LAMIN_LAB_ANNBATCH_PYTHON`` / ``LAMIN_LAB_SCDATASET_PYTHON`` point elsewhere.)

Data: the files of ``bench_mapped.py`` (4 x 20k x 2k dense float32, 2 x 20k x 20k CSR with
1,000 values per row; cell types in runs of ~400), read from the page cache; annbatch
reads its own preshuffled zarr collections made from them once (``DatasetCollection``,
its recommended layout) and an unshuffled one for fully random reads. Batch size 256,
no workers. Every setup runs ``--repeats`` times, each in a fresh process; the table
gives medians. Label entropy (bits) is measured on the batches each setup yields.
Output: a table and ``benchmarks/results/mapped_peers.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lamindb_env import LaminDBEnvError, run_snippet  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "mapped_peers.json"
PEERS = {
    "annbatch": os.environ.get("LAMIN_LAB_ANNBATCH_PYTHON", "/tmp/venv-annbatch/bin/python"),
    "scdataset": os.environ.get("LAMIN_LAB_SCDATASET_PYTHON", "/tmp/venv-scdataset/bin/python"),
}
# lamin_lab's block sampler (block_size, fetch_factor) and scdataset's BlockShuffling
# (block_size, fetch_factor): pools / fetches of the same sizes (256 * F rows).
LAMIN_BLOCKS = [(32, 128), (16, 256), (32, 256), (16, 512)]
SCD_BLOCKS = [(32, 16), (16, 16), (32, 32), (16, 32)]

_ENTROPY = """
import numpy as np
def entropy(labels):
    _, counts = np.unique(np.asarray(labels), return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())
def measure(batches, n_batches, x_of, y_of):
    import time
    next(batches)  # warm-up
    t0 = time.perf_counter(); n = 0; ents = []
    for _ in range(n_batches):
        b = next(batches)
        n += x_of(b).shape[0]
        ents.append(entropy(y_of(b)))
    return {"samples_per_s": n / (time.perf_counter() - t0), "entropy_bits": float(np.mean(ents))}
"""

LAMIN_CODE = (
    _ENTROPY
    + """
import json, os
from torch.utils.data import DataLoader
import lamin_lab
from lamin_lab.mapped import BlockShuffleSampler, MappedCollection
result["lamin_lab"] = lamin_lab.__file__
dense, sparse = json.loads(os.environ["DENSE"]), json.loads(os.environ["SPARSE"])
setup = os.environ["SETUP"]
x_of, y_of = (lambda b: b["X"]), (lambda b: b["cell_type"].numpy())
if setup == "raw_preadv":
    import time
    ds = MappedCollection(dense)
    reader = ds._readers["X"][0]
    fd, rb = reader.handle.fd, reader._row_bytes
    out = np.empty((256, reader.shape[1]), dtype=reader.dtype)
    view = memoryview(out).cast("B")
    bufs = [view[j * rb : (j + 1) * rb] for j in range(256)]
    rows = (reader._offset + np.random.default_rng(0).integers(0, reader.shape[0], 100_000) * rb).tolist()
    t0 = time.perf_counter()
    for j, pos in enumerate(rows):
        os.preadv(fd, [bufs[j & 255]], pos)
    result.update(samples_per_s=len(rows) / (time.perf_counter() - t0), entropy_bits=None)
elif setup.startswith("sparse"):
    ds = MappedCollection(sparse, obs_keys="cell_type", sparse=setup.split("_")[1])
    result.update(measure(iter(DataLoader(ds, batch_size=256, shuffle=True)), 150, x_of, y_of))
else:
    ds = MappedCollection(dense, obs_keys="cell_type", parallel=setup == "dense_random_w2")
    if setup.startswith("dense_block"):
        b, f = (int(v) for v in setup.split("_")[2:])
        loader = DataLoader(ds, batch_size=256, sampler=BlockShuffleSampler(ds, block_size=b, fetch_factor=f))
    elif setup == "dense_random_w2":
        loader = DataLoader(ds, batch_size=256, shuffle=True, num_workers=2,
                            worker_init_fn=MappedCollection.torch_worker_init_fn)
    else:
        loader = DataLoader(ds, batch_size=256, shuffle=True)
    result.update(measure(iter(loader), 300, x_of, y_of))
"""
)

ANNBATCH_PREP = """
import json, os, warnings
import numpy as np
warnings.simplefilter("ignore")
from annbatch import DatasetCollection
DatasetCollection(os.environ["OUT"]).add_adatas(
    json.loads(os.environ["PATHS"]), shuffle=os.environ["SHUFFLE"] == "1", rng=np.random.default_rng(0)
)
result["done"] = True
"""

ANNBATCH_CODE = (
    _ENTROPY
    + """
import os, warnings
warnings.simplefilter("ignore")
import zarr
try:
    import zarrs  # noqa: F401  - the Rust codec pipeline annbatch recommends
    zarr.config.set({"codec_pipeline.path": "zarrs.ZarrsCodecPipeline"})
    result["zarrs"] = True
except ImportError:
    result["zarrs"] = False
from annbatch import DatasetCollection, Loader
chunk, preload, n_batches = (int(v) for v in os.environ["ARGS"].split(","))
loader = Loader(batch_size=256, chunk_size=chunk, preload_nchunks=preload, shuffle=True, preload_to_gpu=False)
loader.use_collection(DatasetCollection(os.environ["STORE"], mode="r"))
result.update(measure(iter(loader), n_batches, lambda b: b["X"], lambda b: b["obs"]["cell_type"].cat.codes))
result["output"] = type(next(iter(loader))["X"]).__name__
"""
)

SCDATASET_CODE = (
    _ENTROPY
    + """
import json, os
import h5py
from scdataset import scDataset
from scdataset.strategy import BlockShuffling

class H5Rows:
    # What scdataset indexes: the dense h5ad files, read with h5py (sorted indices per fetch).
    def __init__(self, paths):
        self.X = [h5py.File(p, "r")["X"] for p in paths]
        self.offsets = np.concatenate(([0], np.cumsum([x.shape[0] for x in self.X])))
        self.labels = np.concatenate([x.file["obs/cell_type/codes"][...] for x in self.X]).astype(np.int64)
    def __len__(self):
        return int(self.offsets[-1])
    def __getitem__(self, idx):
        idx = np.asarray(idx)
        out = np.empty((len(idx), self.X[0].shape[1]), np.float32)
        store = np.searchsorted(self.offsets, idx, side="right") - 1
        for s in np.unique(store).tolist():
            sel = np.flatnonzero(store == s)
            out[sel] = self.X[s][idx[sel] - self.offsets[s]]
        return out, self.labels[idx]

b, f = (int(v) for v in os.environ["ARGS"].split(","))
ds = scDataset(H5Rows(json.loads(os.environ["DENSE"])), BlockShuffling(block_size=b), batch_size=256,
               fetch_factor=f, batch_callback=lambda d, i: (d[0][i], d[1][i]))
result.update(measure(iter(ds), 300, lambda b: b[0], lambda b: b[1]))
"""
)


def _setups(root: Path) -> list[dict]:
    """Every measured setup: library, name, interpreter, code and environment."""
    setups = [
        dict(lib="raw", name="os.preadv per random row", setup="raw_preadv"),
        dict(lib="lamin_lab", name="dense random (shuffle=True)", setup="dense_random"),
        dict(lib="lamin_lab", name="dense random, 2 workers", setup="dense_random_w2"),
    ]
    for b, f in LAMIN_BLOCKS:
        setups.append(
            dict(lib="lamin_lab", name=f"dense block sampler {b}x{f}", setup=f"dense_block_{b}_{f}")
        )
    setups += [
        dict(lib="lamin_lab", name="sparse random, CSR out", setup="sparse_csr"),
        dict(lib="lamin_lab", name="sparse random, dense out", setup="sparse_dense"),
    ]
    repo = str(
        Path(__file__).resolve().parents[1]
    )  # this checkout's lamin_lab, not an installed one
    for s in setups:
        s.update(
            python=sys.executable, code=LAMIN_CODE, env={"SETUP": s["setup"], "PYTHONPATH": repo}
        )
    ab = PEERS["annbatch"]
    setups += [
        dict(lib="annbatch", name="dense preshuffled, chunk 32 x 256 (recommended)", python=ab, code=ANNBATCH_CODE,
             env={"STORE": str(root / "annbatch_dense_shuffled.zarr"), "ARGS": "32,256,300"}),
        dict(lib="annbatch", name="dense fully random (chunk_size=1)", python=ab, code=ANNBATCH_CODE,
             env={"STORE": str(root / "annbatch_dense_plain.zarr"), "ARGS": "1,256,40"}),
        dict(lib="annbatch", name="sparse preshuffled, chunk 32 x 256, CSR out", python=ab, code=ANNBATCH_CODE,
             env={"STORE": str(root / "annbatch_sparse_shuffled.zarr"), "ARGS": "32,256,150"}),
    ]  # fmt: skip
    for b, f in SCD_BLOCKS:
        setups.append(
            dict(lib="scdataset", name=f"dense BlockShuffling {b}, fetch_factor {f}",
                 python=PEERS["scdataset"], code=SCDATASET_CODE, env={"ARGS": f"{b},{f}"})
        )  # fmt: skip
    return setups


def prepare_annbatch(root: Path, dense: list[str], sparse: list[str]) -> None:
    """Write annbatch's zarr collections once (preshuffled dense and sparse, plain dense)."""
    for name, paths, shuffle in (
        ("annbatch_dense_shuffled.zarr", dense, "1"),
        ("annbatch_dense_plain.zarr", dense, "0"),
        ("annbatch_sparse_shuffled.zarr", sparse, "1"),
    ):
        if not (root / name).exists():
            print(f"writing {name} with annbatch ...", file=sys.stderr)
            env = {"OUT": str(root / name), "PATHS": json.dumps(paths), "SHUFFLE": shuffle}
            run_snippet(ANNBATCH_PREP, python=PEERS["annbatch"], extra_env=env, timeout=3600)


def _median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def _best(rows: list[dict], lib: str, prefix: str, min_bits: float = 0.0) -> dict | None:
    found = [
        r
        for r in rows
        if r["lib"] == lib and r["name"].startswith(prefix) and (r["entropy_bits"] or 0) >= min_bits
    ]
    return max(found, key=lambda r: r["samples_per_s"]) if found else None


def targets(rows: list[dict]) -> list[dict]:
    """The issue's targets, met or missed, from the medians."""
    named = {(r["lib"], r["name"]): r for r in rows}
    ours = named.get(("lamin_lab", "dense random (shuffle=True)"))
    raw = named.get(("raw", "os.preadv per random row"))
    recommended = _best(rows, "annbatch", "dense preshuffled")
    checks = [
        ("dense random >= 1.5x annbatch recommended", ours, recommended, 1.5),
        ("dense random >= 50% of raw preadv", ours, raw, 0.5),
        ("sparse CSR >= annbatch sparse CSR", named.get(("lamin_lab", "sparse random, CSR out")),
         _best(rows, "annbatch", "sparse"), 1.0),
        ("entropy >= 4.0 bits at >= 1.2x scdataset", _best(rows, "lamin_lab", "dense block", 4.0),
         _best(rows, "scdataset", "dense", 4.0), 1.2),
    ]  # fmt: skip
    out = []
    for name, a, b, want in checks:
        ratio = a["samples_per_s"] / b["samples_per_s"] if a and b else None
        out.append(
            {
                "target": name,
                "ours": a and a["name"],
                "theirs": b and f"{b['lib']}: {b['name']}",
                "ratio": ratio,
                "wanted": want,
                "met": None if ratio is None else ratio >= want,
            }
        )
    return out


def run_peers(root: Path, dense: list[str], sparse: list[str], repeats: int, warm) -> dict:
    """Measure every setup ``repeats`` times; write and return the results."""
    if Path(PEERS["annbatch"]).exists():
        prepare_annbatch(root, dense, sparse)
    rows, skipped = [], []
    for setup in _setups(root):
        if not Path(setup["python"]).exists():
            skipped.append(setup["lib"])
            continue
        runs = []
        for _ in range(repeats):
            warm(dense + sparse)
            env = {"DENSE": json.dumps(dense), "SPARSE": json.dumps(sparse), **setup["env"]}
            print(f"running {setup['lib']}: {setup['name']} ...", file=sys.stderr)
            try:
                runs.append(
                    run_snippet(setup["code"], python=setup["python"], extra_env=env, timeout=1800)
                )
            except LaminDBEnvError as error:
                print(f"  failed: {str(error)[-500:]}", file=sys.stderr)
        if runs:
            rows.append(
                {
                    "lib": setup["lib"],
                    "name": setup["name"],
                    "samples_per_s": _median(runs, "samples_per_s"),
                    "entropy_bits": _median(runs, "entropy_bits"),
                    "runs": [round(r["samples_per_s"]) for r in runs],
                    **({"output": runs[0]["output"]} if "output" in runs[0] else {}),
                }
            )
    report = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load": os.getloadavg(),
        },
        "note": "medians of fresh-process runs; the machine was shared with other engineers (see load)",
        "batch_size": 256,
        "skipped": sorted(set(skipped)),
        "rows": rows,
        "targets": targets(rows),
    }
    print_table(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten {RESULTS}")
    return report


def print_table(report: dict) -> None:
    """The medians as a table, then the targets."""
    print(f"\n{'library':10} {'setup':52} {'samples/s':>10} {'entropy':>8}  runs")
    for r in report["rows"]:
        bits = "-" if r["entropy_bits"] is None else f"{r['entropy_bits']:.2f}"
        print(f"{r['lib']:10} {r['name']:52} {r['samples_per_s']:10.0f} {bits:>8}  {r['runs']}")
    print()
    for t in report["targets"]:
        ratio = "-" if t["ratio"] is None else f"{t['ratio']:.2f}x"
        verdict = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
        print(f"{t['target']:45} {ratio:>8} (want {t['wanted']}x)  {verdict}")

"""A local stand-in for the instance ``laminlabs/lamindata`` that LaminDB's guides read.

LaminDB's guides read example records from the public instance ``laminlabs/lamindata``
(``ln.DB("laminlabs/lamindata")``): the transfer guide copies the artifact
``example_datasets/mini_immuno/dataset1.h5ad`` and the records ``gL3TbX2qZQmCwTAU`` (the
record type "RNA-seq") and ``mNDJgWFrkWQVW3ox`` ("EXP-RNA-032"); the tables guide opens the
parquet artifacts under ``example_datasets/small`` and the collection
``sharded_parquet_collection``; the registries guide looks up "EXP-RNA-001"
(``HhKWgzjVW6cfnVep``), searches "iris", filters artifacts labeled with that record, by
suffix (``.csv``, ``.jpg``, ``.fastq.gz``), by the features ``perturbation`` (of the feature
type ``mini_immuno``) and ``temperature``, transforms by description and runs by
``params__learning_rate``. The machine is offline, so :func:`seed` makes a
LOCAL instance with that name (owner ``laminlabs``, name ``lamindata``) holding those records
with the uids the guides use, for one backend, under that backend's settings folder. The
same code (:data:`SEED`) fills it on both backends; nothing of bionty is used (labels are
ULabels, the organism a Record).

What cannot be reproduced: lamindb derives an instance's uid from its UUID (a hash), so
its copy of lamindata cannot have the real uid ``4XIuR0tvaiXM`` that the transfer guide
asserts in the transfer transform's key; lamin_lab's copy gets it (its instance uid is a
settings value). The SpatialData store ``visium_aligned_guide_min.zarr`` of the arrays
guide is not made (neither venv has spatialdata).

Run by ``bench_guides.py`` (``--seed-lamindata``, on by default) before a guide that names
``laminlabs/lamindata``; by hand::

    .venv/bin/python benchmarks/seed_lamindata.py --backend lamin_lab --folder /tmp/seed
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

OWNER, NAME = "laminlabs", "lamindata"
# the uid of the real laminlabs/lamindata (what LaminDB's transfer guide asserts)
INSTANCE_UID = "4XIuR0tvaiXM"
UIDS = {
    "rna_seq": "gL3TbX2qZQmCwTAU",
    "exp_rna_032": "mNDJgWFrkWQVW3ox",
    "exp_rna_001": "HhKWgzjVW6cfnVep",
}

# Runs in the backend's interpreter, connected to the new instance (cwd: a scratch folder).
SEED = """
import datetime
import numpy as np
import pandas as pd
import anndata as ad
import {module} as ln

if "{module}" == "lamindb":
    ln.setup.settings.instance._is_on_hub = False
UIDS = {uids!r}

transform = ln.Transform(key="seed_lamindata.py", kind="script",
                         description="Seed of laminlabs/lamindata").save()
run = ln.Run(transform).save()

# labels and features of the mini_immuno datasets (bionty's registries as ULabels)
for name in ("DMSO", "IFNG", "B cell", "T cell", "CD8-positive, alpha-beta T cell",
             "Experiment 1", "Experiment 2"):
    ln.ULabel(name=name).save()
mini_immuno = ln.Feature(name="mini_immuno", is_type=True).save()
obs_features = [
    ln.Feature(name="perturbation", dtype=ln.ULabel, type=mini_immuno).save(),
    ln.Feature(name="sample_note", dtype=str).save(),
    ln.Feature(name="cell_type_by_expert", dtype=ln.ULabel).save(),
    ln.Feature(name="cell_type_by_model", dtype=ln.ULabel).save(),
]
experiment = ln.Feature(name="experiment", dtype=ln.ULabel).save()
temperature = ln.Feature(name="temperature", dtype=float).save()
date_of_study = ln.Feature(name="date_of_study", dtype="date").save()
study_note = ln.Feature(name="study_note", dtype=str).save()
study_metadata = ln.Feature(name="study_metadata", dtype=dict).save()

obs_schema = ln.Schema(features=obs_features, name="mini_immuno obs").save()
var_schema = ln.Schema(itype=ln.Feature, name="mini_immuno var").save()
anndata_schema = ln.Schema(otype="AnnData", name="mini_immuno anndata",
                           slots={{"obs": obs_schema, "var.T": var_schema}}).save()
for name in ("CD8A", "CD4", "CD14"):
    ln.Feature(name=name, dtype=int).save()

def mini_immuno(n):
    obs = pd.DataFrame(
        {{
            "perturbation": pd.Categorical(["DMSO", "IFNG", "DMSO"][:n]),
            "sample_note": ["was ok", "looks naah", "pretty! 🤩"][:n],
            "cell_type_by_expert": pd.Categorical(["B cell", "T cell", "T cell"][:n]),
            "cell_type_by_model": pd.Categorical(["B cell", "T cell", "T cell"][:n]),
        }},
        index=[f"sample{{i}}" for i in range(1, n + 1)],
    )
    var = pd.DataFrame(index=["CD8A", "CD4", "CD14"])
    return ad.AnnData(X=np.arange(n * 3, dtype=np.int64).reshape(n, 3), obs=obs, var=var)

for i, n in ((1, 3), (2, 2)):
    artifact = ln.Artifact.from_anndata(
        mini_immuno(n), key=f"example_datasets/mini_immuno/dataset{{i}}.h5ad",
        schema=anndata_schema, run=run,
    ).save()
    artifact.features.add_values({{
        "experiment": f"Experiment {{i}}", "temperature": 21.6 + i,
        "date_of_study": datetime.date(2024, 12, i), "study_note": "seeded",
        "study_metadata": {{"detail1": "123", "detail2": i}},
    }})

# the tables guide: small parquet files and a sharded parquet collection with a disease column
for i in (1, 2):
    df = pd.DataFrame({{"sample": [f"s{{i}}{{j}}" for j in range(4)],
                        "disease": ["flu", None, "asthma", "flu"],
                        "value": np.arange(4, dtype=float) * i}})
    ln.Artifact.from_dataframe(df, key=f"example_datasets/small_dataset{{i}}.parquet", run=run).save()
shards = []
for i in range(3):
    df = pd.DataFrame({{"cell": [f"c{{i}}{{j}}" for j in range(5)],
                        "disease": ["flu", None, "covid", "flu", None],
                        "count": np.arange(5) + i}})
    shards.append(ln.Artifact.from_dataframe(df, key=f"sharded_parquet/shard{{i}}.parquet", run=run).save())
ln.Collection(shards, key="sharded_parquet_collection", run=run).save()

iris = pd.DataFrame({{"sepal_length": [5.1, 4.9, 6.3], "species": ["setosa", "setosa", "virginica"]}})
ln.Artifact.from_dataframe(iris, key="iris_studies/iris.parquet", description="iris", run=run).save()

# records: the record type "RNA-seq" with its experiments (the transfer and registries guides)
organism = ln.Record(name="Organism", is_type=True).save()
human = ln.Record(name="human", type=organism).save()
assay = ln.Record(name="Assay", is_type=True).save()
bulk = ln.Record(name="bulk RNA-seq", type=assay).save()
project = ln.Project(name="Project RNA").save()
rna_features = [
    ln.Feature(name="date_of_experiment", dtype="date").save(),
    ln.Feature(name="organism", dtype=organism).save(),
    ln.Feature(name="assay", dtype=assay).save(),
    ln.Feature(name="project", dtype=ln.Project).save(),
    ln.Feature(name="n_samples", dtype=int).save(),
    ln.Feature(name="notes", dtype=str).save(),
    ln.Feature(name="owner", dtype=str).save(),
]
rna_schema = ln.Schema(features=rna_features, name="RNA-seq").save()
def with_uid(record, uid):  # lamindb's Record() takes no uid=: set before the first save
    record.uid = uid
    return record.save()

rna_seq = with_uid(ln.Record(name="RNA-seq", is_type=True, schema=rna_schema), UIDS["rna_seq"])
for uid_key, name, n in (("exp_rna_001", "EXP-RNA-001", 6), ("exp_rna_032", "EXP-RNA-032", 12)):
    values = {{
        "date_of_experiment": datetime.date(2025, 3, n), "organism": "human",
        "assay": "bulk RNA-seq", "project": "Project RNA", "n_samples": n,
        "notes": f"{{n}} samples", "owner": "laminlabs",
    }}
    record = ln.Record(name=name, type=rna_seq, features=values,
                       description=f"bulk RNA-seq experiment {{name}}")
    with_uid(record, UIDS[uid_key])
# the registries guide: artifacts labeled with an experiment, other suffixes, a guide's run
exp_rna_001 = ln.Record.get(UIDS["exp_rna_001"])
open("meta.csv", "w").write("sample,well\\ns1,A1\\n")
meta = ln.Artifact("meta.csv", key="iris_studies/meta.csv", run=run).save()
meta.records.add(exp_rna_001)
ln.Artifact.get(key="example_datasets/mini_immuno/dataset2.h5ad").records.add(exp_rna_001)
open("image.jpg", "wb").write(bytes(range(256)) * 64)
ln.Artifact("image.jpg", key="images/image.jpg", run=run).save()
open("reads.fastq.gz", "wb").write(b"\\x1f\\x8b" + bytes(200))
ln.Artifact("reads.fastq.gz", key="raw/reads.fastq.gz", run=run).save()
guide = ln.Transform(key="registries.ipynb", kind="notebook",
                     description="Query & search registries").save()
guide_run = ln.Run(guide)
guide_run.params = {{"learning_rate": 0.02, "downsample": True}}
guide_run.save()
print("seeded", ln.Artifact.filter().count(), "artifacts", ln.Record.filter().count(), "records")
"""


def _run(command: list[str], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[:3])} failed:\n{(done.stderr or done.stdout)[-3000:]}"
        )
    return done.stdout


def seed(backend: str, python: Path, folder: Path, env: dict[str, str]) -> str:
    """Make the local ``laminlabs/lamindata`` of ``backend`` in ``folder`` (settings from ``env``).

    The instance is made current while it is filled; the guide's own ``lamin init``
    switches away from it afterwards. Returns the seed script's last line.

    Examples
    --------
    >>> seed("lamin_lab", Path(sys.executable), Path("/tmp/seed"), dict(os.environ))  # doctest: +SKIP
    'seeded 8 artifacts 7 records'
    """
    folder.mkdir(parents=True, exist_ok=True)
    root = (folder / NAME).resolve()
    scratch = folder / "seed-work"
    scratch.mkdir(exist_ok=True)
    if backend == "lamindb":
        lamin = str(python.with_name("lamin"))
        _run([lamin, "init", "--storage", str(root), "--name", NAME], env, scratch)
    else:
        # lamin_lab keeps the instance uid in its settings: pre-written, init keeps it
        home = Path(env["LAMIN_LAB_HOME"])
        (home / "instances").mkdir(parents=True, exist_ok=True)
        settings = {
            "name": NAME,
            "db": str(root / f"{NAME}.lndb"),
            "storage_root": root.as_posix(),
            "uid": INSTANCE_UID,
            "storage_roots": [root.as_posix()],
        }
        (home / "instances" / f"{NAME}.json").write_text(json.dumps(settings))
        _run(
            [
                str(python),
                "-c",
                f"import lamin_lab as ln; ln.setup.init(storage={str(root)!r}, name={NAME!r})",
            ],
            env,
            scratch,
        )
    script = scratch / "seed.py"
    script.write_text(SEED.format(module=backend, uids=UIDS))
    out = _run([str(python), str(script)], env, scratch)
    if backend == "lamindb":
        _rename_lamindb_owner(Path(env["LAMIN_SETTINGS_DIR"]))
    return out.strip().splitlines()[-1] if out.strip() else ""


def _rename_lamindb_owner(settings_dir: Path) -> None:
    """lamindb's offline user is ``anonymous``: the settings file is renamed to owner ``laminlabs``."""
    lamin = settings_dir / ".lamin"
    source = lamin / f"instance--anonymous--{NAME}.env"
    text = source.read_text().replace(
        "lamindb_instance_owner=anonymous", f"lamindb_instance_owner={OWNER}"
    )
    (lamin / f"instance--{OWNER}--{NAME}.env").write_text(text)
    source.unlink()
    current = lamin / "current_instance.env"
    if current.exists():
        current.unlink()  # the guide makes its own instance current


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("lamindb", "lamin_lab"), required=True)
    parser.add_argument("--folder", type=Path, required=True)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ)
    if args.backend == "lamindb":
        python = Path(
            os.environ.get("LAMIN_LAB_LAMINDB_PYTHON", "/work/main/.venv-lamindb/bin/python")
        )
        env.setdefault("LAMIN_SETTINGS_DIR", str(args.folder / "settings"))
        env.setdefault("LAMIN_CACHE_DIR", str(args.folder / "cache"))
    else:
        python = Path(sys.executable)
        env.setdefault("LAMIN_LAB_HOME", str(args.folder / "lamin-lab-home"))
        env["PYTHONPATH"] = str(root)
    print(seed(args.backend, python, args.folder, env))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""LaminDB's transfer guide between two local instances (the remote lamindata seeded locally).

``benchmarks/seed_lamindata.py`` makes a local ``laminlabs/lamindata`` for the guides; these
scenarios pin what the guides' cells rely on, on a small source instance made in a
subprocess of the same interpreter (its settings next to the scenario's instance, so
``ln.DB("<name>")`` finds it). Names differ per scenario: lamindb keeps a connection per
instance name for the whole process.
"""

import subprocess
import sys

_SEED = """
import datetime
import sys
import {module} as ln

ln.setup.init(storage=sys.argv[1])
ln.setup.settings.instance._is_on_hub = False
organism = ln.Record(name="Organism", is_type=True).save()
ln.Record(name="human", type=organism).save()
features = [
    ln.Feature(name="date_of_experiment", dtype="date").save(),
    ln.Feature(name="organism", dtype=organism).save(),
    ln.Feature(name="n_samples", dtype=int).save(),
    ln.Feature(name="notes", dtype=str).save(),
]
schema = ln.Schema(features=features, name="RNA-seq").save()
frame = ln.Record(name="RNA-seq", is_type=True, schema=schema)
frame.uid = "gL3TbX2qZQmCwTAU"
frame.save()
values = {{"date_of_experiment": datetime.date(2025, 3, 12), "organism": "human",
          "n_samples": 12, "notes": "12 samples"}}
record = ln.Record(name="EXP-RNA-032", type=frame, features=values)
record.uid = "mNDJgWFrkWQVW3ox"
record.save()
open("x.csv", "w").write("a,b\\n1,2\\n")
ln.Artifact("x.csv", key="example_datasets/x.csv").save()
import pandas as pd
df = pd.DataFrame({{"disease": ["flu", None], "n": [1, 2]}})
shards = [ln.Artifact.from_dataframe(df, key=f"shards/{{i}}.parquet").save() for i in "ab"]
ln.Collection(shards, key="sharded_parquet_collection").save()
"""

_FIRST_USE = """
import {module} as ln

db = ln.DB({name!r})
print(db.Artifact.filter().count(), db.Record.get("mNDJgWFrkWQVW3ox").name)
"""


_OPEN_COLLECTION = """
import {module} as ln

db = ln.DB({name!r})
collection = db.Collection.get(key="sharded_parquet_collection")
print(collection.open().to_table().num_rows, [a.key for a in collection.ordered_artifacts])
"""


def _run(ctx, name, code, *args):
    work = ctx.tmp / f"{name}-work"
    work.mkdir(exist_ok=True)
    script = work / "script.py"
    script.write_text(code)
    done = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=50,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-1500:])
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _source(ln, ctx, name):
    """Make and seed instance ``name`` under ``ctx.tmp``; return its name."""
    _run(ctx, name, _SEED.format(module=ln.__name__), str(ctx.tmp / name))
    return name


def scenario_db_is_the_first_use_of_a_process(ln, ctx):
    """A script whose first call is ln.DB(...) queries the other instance's registries."""
    name = _source(ln, ctx, "gtfirst")
    line = _run(ctx, "gtfirst-reader", _FIRST_USE.format(module=ln.__name__, name=name))
    return {"printed": line}


def scenario_collection_of_another_instance_opens_in_a_fresh_process(ln, ctx):
    """The tables guide: db.Collection.get(...).open() as the first calls of a script."""
    name = _source(ln, ctx, "gtcoll")
    line = _run(ctx, "gtcoll-reader", _OPEN_COLLECTION.format(module=ln.__name__, name=name))
    return {"printed": line}


def scenario_record_of_a_typed_frame_transfers_after_its_type(ln, ctx):
    """The guide's flow: the record type first, then the record with its feature values."""
    name = _source(ln, ctx, "gtframe")
    db = ln.DB(name)
    db.Record.get("gL3TbX2qZQmCwTAU").save(transfer="annotations")
    record = db.Record.get("mNDJgWFrkWQVW3ox")
    record.save(transfer="annotations")
    frame = ln.Record.get("gL3TbX2qZQmCwTAU")
    source_values = db.Record.get("mNDJgWFrkWQVW3ox").features.get_values()
    got = record.features.get_values()
    again = db.Record.get("mNDJgWFrkWQVW3ox").save(transfer="annotations")
    return {
        "frame_is_type": frame.is_type,
        "frame_state_db": frame._state.db,
        "record_state_db": record._state.db,
        "record_type": record.type.name,
        "same_keys": set(got) == set(source_values),
        "values": {key: str(value) for key, value in sorted(got.items())},
        "again_maps": again.id == record.id,
        "records_here": sorted(ln.Record.filter().to_list("name")),
    }


def scenario_transferred_artifact_keeps_its_key_and_storage(ln, ctx):
    """The guide's artifact.save(): same key and uid, zero-copy (path in the source storage)."""
    name = _source(ln, ctx, "gtart")
    db = ln.DB(name)
    source = db.Artifact.get(key="example_datasets/x.csv")
    source_path, uid = str(source.path), source.uid
    artifact = db.Artifact.get(key="example_datasets/x.csv")
    artifact.save()
    again = db.Artifact.get(key="example_datasets/x.csv").save()
    return {
        "key": artifact.key,
        "same_uid": artifact.uid == uid,
        "zero_copy": str(artifact.path) == source_path,
        "state_db": artifact._state.db,
        "transform_description": artifact.run.transform.description,
        "transform_kind": artifact.run.transform.kind,
        "again_maps": again.id == artifact.id,
        "artifacts_here": ln.Artifact.filter().count(),
    }


def scenario_polars_open_takes_use_fsspec(ln, ctx):
    """The tables guide's collection.open(engine="polars", use_fsspec=True) is no TypeError."""
    import pandas as pd

    df = pd.DataFrame({"disease": ["flu", None], "n": [1, 2]})
    first = ln.Artifact.from_dataframe(df, key="shards/a.parquet").save()
    second = ln.Artifact.from_dataframe(df.iloc[:1], key="shards/b.parquet").save()
    collection = ln.Collection([first, second], key="sharded").save()
    try:
        with collection.open(engine="polars", use_fsspec=True) as lazy_df:
            lazy_df.collect()
    except TypeError:
        return {"use_fsspec_refused": True}
    except ImportError:  # lamindb's venv has no polars: it gets as far as importing it
        pass
    return {"use_fsspec_refused": False}


def scenario_track_project_labels_what_the_run_saves(ln, ctx):
    """The track guide: ln.track(project=...) links the run's artifacts, labels and features."""
    project = ln.Project(name="My project").save()
    ln.track(project="My project")
    (ctx.tmp / "sample.fasta").write_text(">seq1\nACGT\n")
    artifact = ln.Artifact(str(ctx.tmp / "sample.fasta"), key="sample.fasta").save()
    label = ln.ULabel(name="tracked label").save()
    feature = ln.Feature(name="tracked_feature", dtype=str).save()
    record = ln.Record(name="tracked record").save()
    ln.finish()
    return {
        "artifacts": project.artifacts.exists(),
        "artifact_keys": sorted(a.key for a in project.artifacts.all()),
        "transforms": project.transforms.exists(),
        "runs": project.runs.exists(),
        "label": label.projects.count(),
        "feature": feature.projects.count(),
        "record": record.projects.count(),
    }


def scenario_order_by_a_feature_and_its_negation(ln, ctx):
    """The registries guide: order_by(temperature) and order_by(-temperature, "-created_at")."""
    import pandas as pd

    temperature = ln.Feature(name="temperature", dtype=float).save()
    for i, value in enumerate([22.5, None, 19.0, 30.0]):
        artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [i]}), key=f"t{i}.parquet")
        artifact.save()
        if value is not None:
            artifact.features.add_values({"temperature": value})
    rows = ln.Artifact.filter().order_by(temperature).to_dataframe(include="features")
    return {
        "up": [a.key for a in ln.Artifact.filter().order_by(temperature)],
        "down": [
            a.key
            for a in ln.Artifact.filter(temperature > 20).order_by(-temperature, "-created_at")
        ],
        "last": ln.Artifact.filter().order_by(temperature).last().key,
        "dataframe_keys": list(rows["key"]),
    }

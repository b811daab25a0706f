"""Other instances as LaminDB's transfer guide uses them: ``ln.DB``, ``Registry.connect``, ``save()``.

Each scenario makes a second local instance in a subprocess of the same interpreter (its
settings next to the scenario's instance, so ``ln.DB("<name>")`` finds it), seeded with an
annotated artifact; the scenario's own instance stays current. Names differ per scenario:
lamindb keeps a connection per instance name for the whole process.
"""

import subprocess
import sys

_SEED = """
import sys
import {module} as ln

ln.setup.init(storage=sys.argv[1])
ln.setup.settings.instance._is_on_hub = False
transform = ln.Transform(key="make.py", kind="script").save()
run = ln.Run(transform).save()
open("x.csv", "w").write("a,b\\n1,2\\n")
label = ln.ULabel(name="blue").save()
ln.Feature(name="temp", dtype=float).save()
ln.Feature(name="color", dtype=ln.ULabel).save()
artifact = ln.Artifact("x.csv", key="x.csv", description="made by make.py", run=run).save()
artifact.ulabels.add(label)
artifact.features.add_values({{"temp": 3.5, "color": "blue"}})
ln.Schema(features=[ln.Feature.get(name="temp")], name="measurements").save()
"""


def _source(ln, ctx, name):
    """Make and seed instance ``name`` under ``ctx.tmp``; return its name."""
    work = ctx.tmp / f"{name}-work"
    work.mkdir()
    script = work / "seed.py"
    script.write_text(_SEED.format(module=ln.__name__))
    done = subprocess.run(
        [sys.executable, str(script), str(ctx.tmp / name)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=50,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-1500:])
    return name


def _type_error(fn):
    try:
        fn()
    except TypeError:  # lamindb: TypeError; lamin_lab: InvalidArgumentType, a TypeError
        return "TypeError"
    return None


def scenario_db_reads_another_instance_without_switching(ln, ctx):
    """ln.DB("name") queries the other instance; its records know it; the current one is untouched."""
    name = _source(ln, ctx, "srcread")
    db = ln.DB(name)
    artifact = db.Artifact.get(key="x.csv")
    return {
        "repr": repr(db) == f"DB('{name}')",
        "keys": db.Artifact.filter(suffix=".csv").to_list("key"),
        "description": artifact.description,
        "state_db": artifact._state.db == name,
        "storage_state_db": artifact.storage._state.db == name,
        "storage_root": str(artifact.storage.root),
        "path": str(artifact.path),
        "labels": sorted({label.name for label in artifact.ulabels.all()}),
        "values": artifact.features.get_values(),
        "run_transform": artifact.run.transform.key,
        "search": db.ULabel.search("blu").to_list("name"),
        "features": sorted(db.Feature.filter().to_list("name")),
        "current_artifacts": ln.Artifact.filter().count(),
        "current_labels": ln.ULabel.filter().count(),
    }


def scenario_registry_connect_is_a_queryset_of_another_instance(ln, ctx):
    """Artifact.connect("name") is a QuerySet on the other instance; DB registries make no records."""
    name = _source(ln, ctx, "srcconnect")
    qs = ln.Artifact.connect(name)
    return {
        "class": type(qs).__name__,
        "count": qs.count(),
        "key": qs.filter(suffix=".csv").one().key,
        "create": _type_error(lambda: ln.DB(name).Artifact(key="x.csv")),
        "current_artifacts": ln.Artifact.filter().count(),
    }


def scenario_transfer_artifact_with_save(ln, ctx):
    """save() of an artifact of another instance copies it here: same hash and key, zero-copy, transfer run."""
    name = _source(ln, ctx, "srcsave")
    artifact = ln.DB(name).Artifact.get(key="x.csv")
    source_hash = artifact.hash
    out = artifact.save()
    transform = artifact.run.transform
    return {
        "returns_itself": out is artifact,
        "state_db": artifact._state.db,
        "same_hash": artifact.hash == source_hash,
        "key": artifact.key,
        "description": artifact.description,
        "path": str(artifact.path),
        "storages": sorted(str(s.root) for s in ln.Storage.filter()),
        "artifacts": ln.Artifact.filter().count(),
        "transform_key_prefix": transform.key.split("/")[0],
        "transform_uid_is_instance": transform.uid == artifact.storage.instance_uid + "0000",
        "transform_description": transform.description,
        "transform_kind": transform.kind,
        "initiated_by_run": artifact.run.initiated_by_run,
        "labels": ln.ULabel.filter().count(),
    }


def scenario_transfer_second_save_maps_to_the_copy(ln, ctx):
    """A second save() of the same artifact maps to the transferred record: nothing is duplicated."""
    name = _source(ln, ctx, "srctwice")
    first = ln.DB(name).Artifact.get(key="x.csv").save()
    second = ln.DB(name).Artifact.get(key="x.csv").save()
    return {
        "same_id": second.id == first.id,
        "artifacts": ln.Artifact.filter().count(),
        "storages": ln.Storage.filter().count(),
        "transforms": ln.Transform.filter().count(),
        "runs": ln.Run.filter().count(),
    }


def scenario_transfer_annotations_copies_labels_and_features(ln, ctx):
    """save(transfer="annotations") also copies the labels and the features they are linked under."""
    name = _source(ln, ctx, "srcannot")
    artifact = ln.DB(name).Artifact.get(key="x.csv").save(transfer="annotations")
    return {
        "state_db": artifact._state.db,
        "labels": sorted({label.name for label in artifact.ulabels.all()}),
        "ulabels_here": ln.ULabel.filter().to_list("name"),
        "color_feature": ln.Feature.filter(name="color").count(),
        "artifacts": ln.Artifact.filter().count(),
    }


def scenario_transfer_annotations_feature_values(ln, ctx):
    """The feature values of an artifact transferred with its annotations."""
    name = _source(ln, ctx, "srcvalues")
    artifact = ln.DB(name).Artifact.get(key="x.csv").save(transfer="annotations")
    return {
        "values": artifact.features.get_values(),
        "features": sorted(ln.Feature.filter().to_list("name")),
    }


def scenario_transfer_label_with_the_same_name_is_mapped(ln, ctx):
    """A label already here under the same name is mapped, not duplicated."""
    name = _source(ln, ctx, "srcsamename")
    ln.ULabel(name="blue").save()
    ln.DB(name).Artifact.get(key="x.csv").save(transfer="annotations")
    return {"blue": ln.ULabel.filter(name="blue").count()}


def scenario_transfer_a_label(ln, ctx):
    """save() of a label of another instance copies it here."""
    name = _source(ln, ctx, "srclabel")
    label = ln.DB(name).ULabel.get(name="blue")
    label.save()
    return {"state_db": label._state.db, "labels": ln.ULabel.filter().to_list("name")}


def scenario_core_sync_copies_a_record_by_uid(ln, ctx):
    """ln.core.sync(registry=, uid=, source_db=) is save() of the record read from the source."""
    name = _source(ln, ctx, "srcsync")
    uid = ln.DB(name).Artifact.get(key="x.csv").uid
    artifact = ln.core.sync(registry=ln.Artifact, uid=uid, source_db=name)
    return {
        "state_db": artifact._state.db,
        "same_uid": artifact.uid == uid,
        "artifacts": ln.Artifact.filter().count(),
    }


def scenario_transfer_schema_comes_with_its_features(ln, ctx):
    """A schema read from another instance is saved here with its features (its default transfer)."""
    name = _source(ln, ctx, "srcschema")
    schema = ln.DB(name).Schema.get(name="measurements")
    schema.save()
    return {
        "state_db": schema._state.db,
        "features": schema.features.to_list("name"),
        "features_here": ln.Feature.filter().to_list("name"),
    }

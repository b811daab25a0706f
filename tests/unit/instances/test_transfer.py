"""Saving a record read from another instance copies it into the current one (LaminDB's transfer)."""

from __future__ import annotations

from pathlib import Path

import pytest


def _artifact(ln, source):
    return ln.DB(source.slug).Artifact.get(key="x.csv")


def test_save_copies_the_artifact_with_its_uid_hash_and_key(ln, source):
    artifact = _artifact(ln, source)
    saved = artifact.save()
    assert saved is artifact
    here = ln.Artifact.get(key="x.csv")
    assert (here.uid, here.hash, here.key) == (source.artifact_uid, source.hash, "x.csv")
    assert here.description == "made by make.py"


def test_the_saved_record_belongs_to_the_current_instance(ln, source):
    artifact = _artifact(ln, source).save()
    assert artifact._state.db == "default"
    assert artifact.id == ln.Artifact.get(key="x.csv").id


def test_the_storage_location_is_registered_and_the_file_stays_where_it_is(ln, source):
    artifact = _artifact(ln, source).save()
    storage = ln.Storage.get(root=source.root)
    assert artifact.storage.uid == storage.uid
    assert str(artifact.path) == source.path
    assert not any(Path(ln.setup.settings.storage.root_as_str).rglob("*.csv"))  # zero-copy
    assert artifact.load()["a"].tolist() == [1]


def test_the_storage_location_remembers_the_source_instance(ln, source):
    _artifact(ln, source).save()
    uid = ln.DB(source.slug).Storage.get(root=source.root).instance_uid
    assert ln.Storage.get(root=source.root).instance_uid == uid


def test_the_run_of_the_copy_is_the_transfer_run_as_in_lamindb(ln, source):
    artifact = _artifact(ln, source).save()
    instance_uid = ln.DB(source.slug).Storage.get(root=source.root).instance_uid
    transform = artifact.run.transform
    assert transform.uid == f"{instance_uid}0000"
    assert transform.key == f"__lamindb_transfer__/{instance_uid}"
    assert transform.description == f"Transfer from `{source.slug}`"
    assert transform.kind == "function"
    assert artifact.run.initiated_by_run is None


def test_a_plain_save_copies_no_labels(ln, source):
    _artifact(ln, source).save()
    assert ln.ULabel.filter().count() == 0
    assert ln.Artifact.get(key="x.csv").features.get_values() == {}


def test_transfer_annotations_copies_labels_features_and_values(ln, source):
    artifact = _artifact(ln, source).save(transfer="annotations")
    assert artifact.features.get_values() == {"temp": 3.5, "color": "blue"}
    assert ln.ULabel.get(name="blue").uid == source.label_uid
    assert sorted(ln.Feature.filter().to_list("name")) == ["color", "temp"]


def test_a_second_save_maps_to_the_transferred_record(ln, source):
    first = _artifact(ln, source).save()
    second = _artifact(ln, source).save()
    assert second.id == first.id
    assert ln.Artifact.filter().count() == 1
    assert ln.Storage.filter(root=source.root).count() == 1
    assert ln.Run.filter().count() == 1  # one transfer run, reused


def test_annotations_of_a_later_save_are_added_to_the_mapped_record(ln, source):
    first = _artifact(ln, source).save()
    again = _artifact(ln, source).save(transfer="annotations")
    assert again.id == first.id
    assert again.features.get_values() == {"temp": 3.5, "color": "blue"}
    _artifact(ln, source).save(transfer="annotations")
    assert again.ulabels.count() == 1
    assert ln.ULabel.filter().count() == 1


def test_the_source_instance_is_not_changed_by_a_transfer(ln, source):
    _artifact(ln, source).save(transfer="annotations")
    db = ln.DB(source.slug)
    assert db.Run.filter().count() == 1
    assert db.Transform.filter().to_list("key") == ["make.py"]
    assert db.Storage.filter().count() == 1


def test_a_label_with_the_same_name_here_is_mapped_not_duplicated(ln, source):
    ln.ULabel(name="blue").save()
    _artifact(ln, source).save(transfer="annotations")
    assert ln.ULabel.filter(name="blue").count() == 1


def test_a_label_read_from_the_other_instance_is_copied_by_uid(ln, source):
    label = ln.DB(source.slug).ULabel.get(name="blue").save()
    assert label._state.db == "default"
    assert ln.ULabel.get(name="blue").uid == source.label_uid


def test_an_unknown_transfer_mode_is_refused(ln, source):
    with pytest.raises(ln.errors.InvalidArgument, match="transfer= takes one of"):
        _artifact(ln, source).save(transfer="everything")
    assert ln.Artifact.filter().count() == 0


def test_a_collection_is_copied_with_its_artifacts(ln, source, tmp_path):
    current = ln.setup.settings.instance.name
    ln.setup.connect("src")
    ln.Collection([ln.Artifact.get(key="x.csv")], key="batch").save()
    ln.setup.connect(current)
    collection = ln.DB(source.slug).Collection.get(key="batch").save()
    assert collection.artifacts.to_list("uid") == [source.artifact_uid]
    assert ln.Artifact.filter().count() == 1


def test_a_transfer_under_a_tracked_run_is_initiated_by_it(tracking, ln, source, tmp_path):
    script = tmp_path / "step.py"
    script.write_text("import lamin_lab as ln\n")
    run = tracking.track(path=str(script))
    artifact = _artifact(ln, source).save()
    assert artifact.run.initiated_by_run.uid == run.uid
    assert artifact.run.transform.description == f"Transfer from `{source.slug}`"


def test_loading_an_artifact_of_the_other_instance_in_a_run_copies_it_and_links_the_input(
    tracking, ln, source, tmp_path
):
    script = tmp_path / "step.py"
    script.write_text("import lamin_lab as ln\n")
    run = tracking.track(path=str(script))
    artifact = _artifact(ln, source)
    artifact.load()
    assert artifact._state.db == "default"
    assert run.input_artifacts.to_list("uid") == [source.artifact_uid]


def test_a_record_transfers_with_its_type_and_feature_values(ln, source):
    current = ln.setup.settings.instance.name
    ln.setup.connect("src")
    sample = ln.Record(name="Sample", is_type=True).save()
    ln.Record(name="s1", type=sample, features={"temp": 21.5, "color": "blue"}).save()
    ln.setup.connect(current)
    record = ln.DB(source.slug).Record.get(name="s1").save(transfer="annotations")
    assert record.type.name == "Sample"
    assert record.features.get_values() == {"temp": 21.5, "color": "blue"}
    again = ln.DB(source.slug).Record.get(name="s1").save(transfer="annotations")
    assert again.id == record.id
    assert again.features.get_values() == {"temp": 21.5, "color": "blue"}
    assert ln.Record.filter(name="Sample").count() == 1


def test_deleting_the_copy_never_deletes_the_file_of_the_source(ln, source):
    artifact = _artifact(ln, source).save()
    with pytest.raises(ln.errors.NoWriteAccess, match="managed by another instance"):
        artifact.delete(permanent=True)
    artifact.delete(permanent=True, storage=False)
    assert ln.Artifact.filter(branch_id=None).count() == 0
    assert Path(source.path).read_text() == "a,b\n1,2\n"
    assert ln.DB(source.slug).Artifact.filter().count() == 1


def test_core_sync_copies_one_record_by_uid(ln, source):
    artifact = ln.core.sync(registry=ln.Artifact, uid=source.artifact_uid, source_db=source.slug)
    assert artifact._state.db == "default"
    assert ln.Artifact.get(key="x.csv").uid == source.artifact_uid


def test_core_sync_refuses_depth_below_a_type(ln, source):
    with pytest.raises(ln.errors.InvalidArgument, match="depth > 0"):
        ln.core.sync(registry=ln.Record, uid="abc", source_db=source.slug, depth=1)


def test_a_schema_transfers_with_its_features_by_default(ln, source):
    current = ln.setup.settings.instance.name
    ln.setup.connect("src")
    ln.Schema(features=[ln.Feature.get(name="temp")], name="measurements").save()
    ln.setup.connect(current)
    schema = ln.DB(source.slug).Schema.get(name="measurements").save()
    assert schema.features.to_list("name") == ["temp"]


def test_the_schema_of_an_artifact_comes_with_its_features_under_annotations(ln, source):
    import pandas as pd

    current = ln.setup.settings.instance.name
    ln.setup.connect("src")
    schema = ln.Schema(features=[ln.Feature.get(name="temp")], name="measurements").save()
    frame = pd.DataFrame({"temp": [1.0, 2.0]})
    ln.Artifact.from_dataframe(frame, key="t.parquet", schema=schema).save()
    ln.setup.connect(current)
    plain = ln.DB(source.slug).Artifact.get(key="t.parquet").save()
    assert plain.schema.name == "measurements"
    assert plain.schema.features.count() == 0  # transfer="sqlrecord": the row only
    full = ln.DB(source.slug).Artifact.get(key="t.parquet").save(transfer="annotations")
    assert full.schema.features.to_list("name") == ["temp"]

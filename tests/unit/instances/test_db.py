"""``ln.DB("owner/name")`` and ``Registry.connect(...)``: another local instance, read without switching."""

from __future__ import annotations

import pytest


def test_db_filters_the_other_instance_into_a_dataframe(ln, source):
    df = ln.DB(source.slug).Artifact.filter(suffix=".csv").to_dataframe()
    assert df["uid"].tolist() == [source.artifact_uid]
    assert df["key"].tolist() == ["x.csv"]


def test_db_leaves_the_current_instance_current_and_empty(ln, source):
    current = ln.setup.settings.instance.name
    ln.DB(source.slug).Artifact.get(key="x.csv").describe(return_str=True)
    assert ln.setup.settings.instance.name == current
    assert ln.Artifact.filter().count() == 0
    assert ln.ULabel.filter().count() == 0


def test_db_takes_the_instance_name_alone(ln, source):
    assert ln.DB("src").Artifact.get(key="x.csv").uid == source.artifact_uid


def test_records_name_their_instance_as_the_caller_did(ln, source):
    assert ln.DB("src").Artifact.get(key="x.csv")._state.db == "src"  # as in LaminDB
    assert ln.DB(source.slug).Artifact.get(key="x.csv")._state.db == source.slug


def test_a_record_read_from_the_other_instance_names_it_in_state_db(ln, source):
    artifact = ln.DB(source.slug).Artifact.get(key="x.csv")
    assert artifact._state.db == source.slug
    assert artifact._state.adding is False


def test_records_of_the_current_instance_are_default_and_unsaved_ones_none(ln):
    label = ln.ULabel(name="here")
    assert label._state.db is None
    label.save()
    assert label._state.db == "default"


def test_a_foreign_key_is_read_from_the_record_s_instance(ln, source):
    artifact = ln.DB(source.slug).Artifact.get(key="x.csv")
    assert artifact.storage.root == source.root
    assert artifact.storage._state.db == source.slug
    assert artifact.run.uid == source.run_uid
    assert artifact.run.transform.uid == source.transform_uid


def test_the_path_of_an_artifact_of_the_other_instance_is_where_its_file_is(ln, source):
    assert str(ln.DB(source.slug).Artifact.get(key="x.csv").path) == source.path


def test_related_records_are_read_from_the_record_s_instance(ln, source):
    artifact = ln.DB(source.slug).Artifact.get(key="x.csv")
    labels = list(artifact.ulabels.all())
    assert [label.name for label in labels] == ["blue"]
    assert labels[0]._state.db == source.slug


def test_feature_values_are_read_from_the_record_s_instance(ln, source):
    artifact = ln.DB(source.slug).Artifact.get(key="x.csv")
    assert artifact.features.get_values() == {"temp": 3.5, "color": "blue"}


def test_describe_shows_the_labels_of_the_other_instance(ln, source):
    text = ln.DB(source.slug).Artifact.get(key="x.csv").describe(return_str=True)
    assert "blue" in text
    assert "make.py" in text


def test_search_ranks_records_of_the_other_instance(ln, source):
    ln.ULabel(name="blueberry").save()  # in the current instance: not a hit
    hits = ln.DB(source.slug).ULabel.search("blu").to_list("name")
    assert hits == ["blue"]


def test_lookup_and_to_list_read_the_other_instance(ln, source):
    db = ln.DB(source.slug)
    assert db.ULabel.lookup().blue.uid == source.label_uid
    assert db.Feature.filter().order_by("name").to_list("name") == ["color", "temp"]


def test_registry_connect_is_a_queryset_of_the_other_instance(ln, source):
    qs = ln.Artifact.connect(source.slug)
    assert type(qs).__name__ == "ArtifactQuerySet"  # as in LaminDB
    assert qs.filter(key="x.csv").one().uid == source.artifact_uid
    assert ln.Artifact.using("src").count() == 1


def test_a_record_cannot_be_created_through_db(ln, source):
    with pytest.raises(TypeError, match="Cannot create a Artifact through ln.DB"):
        ln.DB(source.slug).Artifact(key="x")


def test_deleting_a_record_of_the_other_instance_is_refused(ln, source):
    artifact = ln.DB(source.slug).Artifact.get(key="x.csv")
    with pytest.raises(ln.errors.NoWriteAccess, match="read from instance"):
        artifact.delete()
    assert ln.DB(source.slug).Artifact.filter().count() == 1


def test_deleting_a_queryset_of_the_other_instance_is_refused(ln, source):
    with pytest.raises(ln.errors.NoWriteAccess, match="open for reading only"):
        ln.DB(source.slug).ULabel.filter(name="blue").delete()
    assert ln.DB(source.slug).ULabel.filter(name="blue").count() == 1


def test_unlinking_related_records_of_the_other_instance_is_refused(ln, source):
    artifact = ln.DB(source.slug).Artifact.get(key="x.csv")
    with pytest.raises(ln.errors.NoWriteAccess):
        artifact.ulabels.clear()
    assert artifact.ulabels.count() == 1


def test_an_unknown_instance_is_refused_with_the_known_ones(ln, source):
    with pytest.raises(ln.errors.InstanceNotSetupError, match="Known: .*src"):
        ln.DB("someone/nowhere")


def test_an_identifier_with_too_many_parts_is_refused(ln):
    with pytest.raises(ln.errors.InvalidArgument, match="'owner/name'"):
        ln.DB("a/b/c")


def test_an_unknown_registry_is_an_attribute_error(ln, source):
    with pytest.raises(AttributeError, match="No registry 'Nope'"):
        _ = ln.DB(source.slug).Nope


def test_db_repr_names_the_instance(ln, source):
    assert repr(ln.DB(source.slug)) == f"DB('{source.slug}')"


def test_the_current_instance_works_between_reads_of_the_other(ln, source):
    db = ln.DB(source.slug)
    db.Artifact.get(key="x.csv")
    ln.ULabel(name="here").save()
    assert db.ULabel.filter().to_list("name") == ["blue"]
    assert ln.ULabel.filter().to_list("name") == ["here"]


def test_the_lineage_of_a_record_of_the_other_instance_is_read_there(ln, source):
    artifact = ln.DB(source.slug).Artifact.get(key="x.csv")
    graph = artifact.view_lineage(return_graph=True)
    assert len(graph.nodes) == 2  # the artifact and the run that made it, both from the source
    assert any("make.py" in str(vars(node)) for node in graph.nodes.values())


def test_dataframe_includes_and_features_are_read_from_the_other_instance(ln, source):
    df = (
        ln.DB(source.slug)
        .Artifact.filter()
        .to_dataframe(include=["ulabels__name", "created_by__handle"], features=True)
    )
    assert df["created_by__handle"].tolist() == [ln.setup.settings.user.handle]
    assert df["temp"].tolist() == [3.5]


def test_db_view_shows_the_newest_records_of_the_other_instance(ln, source, capsys):
    ln.ULabel(name="only-here").save()
    ln.DB(source.slug).view(registries=["ULabel"])
    shown = capsys.readouterr().out
    assert "blue" in shown
    assert "only-here" not in shown

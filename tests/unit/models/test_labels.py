"""LabelManager: artifact.labels / run.labels / record.labels."""

from __future__ import annotations

import pandas as pd
import pytest

from lamin_lab.errors import InvalidArgument, ValidationError


def _artifact(ln, n: int = 0):
    return ln.Artifact.from_dataframe(pd.DataFrame({"x": [n]}), key=f"l/{n}.parquet").save()


@pytest.fixture
def setup(ln):
    cell_type = ln.Feature(name="cell_type", dtype=ln.ULabel).save()
    labels = ln.ULabel.from_values(["T cell", "B cell"], create=True).save()
    return ln, cell_type, labels


def test_add_with_feature_and_get(setup):
    ln, cell_type, labels = setup
    a = _artifact(ln)
    a.labels.add(labels, feature=cell_type)
    assert a.labels.get(cell_type, flat_names=True) == ["B cell", "T cell"]
    assert sorted(a.labels.get("cell_type").to_list("name")) == ["B cell", "T cell"]
    assert {link.feature.name for link in ln.models.ArtifactULabel.filter(artifact=a)} == {
        "cell_type"
    }


def test_add_is_idempotent(setup):
    ln, cell_type, labels = setup
    a = _artifact(ln)
    a.labels.add(labels, feature=cell_type)
    a.labels.add(labels[0], feature=cell_type)
    assert ln.models.ArtifactULabel.filter(artifact=a).count() == 2


def test_add_without_feature(setup):
    ln, _, labels = setup
    a = _artifact(ln)
    a.labels.add(labels[0])
    assert a.ulabels.to_list("name") == [labels[0].name]
    assert ln.models.ArtifactULabel.get(artifact=a).feature is None


def test_projects_references_and_typed_records(ln):
    sample = ln.Record(name="Sample", is_type=True).save()
    s1 = ln.Record(name="S1", type=sample).save()
    project = ln.Project(name="atlas").save()
    ref = ln.Reference(name="paper").save()
    sample_f = ln.Feature(name="sample", dtype=sample).save()
    a = _artifact(ln)
    a.labels.add(s1, feature=sample_f)
    a.labels.add([project, ref])
    assert a.labels.get(sample_f, flat_names=True) == ["S1"]
    assert a.projects.to_list("name") == ["atlas"]
    assert a.references.to_list("name") == ["paper"]


def test_wrong_registry_for_feature(setup):
    ln, cell_type, _ = setup
    record = ln.Record(name="S1").save()
    a = _artifact(ln)
    with pytest.raises(
        ValidationError,
        match="Feature 'cell_type' takes ULabel records \\(dtype cat\\[ULabel\\]\\), not Record records.",
    ):
        a.labels.add(record, feature=cell_type)


def test_wrong_record_type_for_feature(ln):
    sample = ln.Record(name="Sample", is_type=True).save()
    donor = ln.Record(name="Donor", is_type=True).save()
    d1 = ln.Record(name="D1", type=donor).save()
    f = ln.Feature(name="sample", dtype=sample).save()
    a = _artifact(ln)
    with pytest.raises(ValidationError, match="of type 'Sample'"):
        a.labels.add(d1, feature=f)


def test_non_categorical_feature_refused(setup):
    ln, _, labels = setup
    temp = ln.Feature(name="temperature", dtype=float).save()
    a = _artifact(ln)
    with pytest.raises(ValidationError, match="not a categorical one"):
        a.labels.add(labels, feature=temp)


def test_unsaved_label_refused(setup):
    ln, cell_type, _ = setup
    a = _artifact(ln)
    with pytest.raises(InvalidArgument, match="before linking it"):
        a.labels.add(ln.ULabel(name="new"), feature=cell_type)


def test_add_from_copies_links_with_features(setup):
    ln, cell_type, labels = setup
    a, b = _artifact(ln, 1), _artifact(ln, 2)
    project = ln.Project(name="p").save()
    a.labels.add(labels, feature=cell_type)
    a.labels.add(project)
    b.labels.add_from(a)
    assert b.labels.get(cell_type, flat_names=True) == ["B cell", "T cell"]
    assert b.projects.to_list("name") == ["p"]


def test_add_from_collection_to_artifact(setup):
    ln, cell_type, labels = setup
    a, b = _artifact(ln, 1), _artifact(ln, 2)
    collection = ln.Collection([a], key="c").save()
    collection.ulabels.add(labels[0])
    b.labels.add_from(collection)
    assert b.ulabels.to_list("name") == [labels[0].name]


def test_remove(setup):
    ln, cell_type, labels = setup
    a = _artifact(ln)
    a.labels.add(labels, feature=cell_type)
    a.labels.remove(labels[0], feature=cell_type)
    assert a.labels.get(cell_type, flat_names=True) == [labels[1].name]


def test_describe(setup):
    ln, cell_type, labels = setup
    a = _artifact(ln)
    a.labels.add(labels, feature=cell_type)
    a.labels.add(ln.Project(name="p").save())
    assert a.labels.describe() == "Labels\n  cell_type: B cell, T cell\n  Project: p"


def test_run_and_record_labels(setup):
    ln, cell_type, labels = setup
    run = ln.Run(transform=ln.Transform(key="s.py").save()).save()
    run.labels.add(labels[0], feature=cell_type)
    assert run.labels.get(cell_type, flat_names=True) == [labels[0].name]
    record = ln.Record(name="S1").save()
    record.labels.add(labels, feature=cell_type)
    assert record.labels.get(cell_type, flat_names=True) == ["B cell", "T cell"]
    assert ln.models.RecordULabel.filter(record=record).count() == 2


def test_get_on_non_categorical_feature(setup):
    ln, _, _ = setup
    ln.Feature(name="temperature", dtype=float).save()
    a = _artifact(ln)
    with pytest.raises(ValidationError, match="has values, not labels"):
        a.labels.get("temperature")

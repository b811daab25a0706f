"""How many SQL statements linking labels and annotating with feature values send.

Each statement is a round trip on PostgreSQL (issue #15), and the counts are the same on
SQLite, so they are pinned here: a change that adds a query or a transaction to these
calls fails. Counted with :func:`lamin_lab.orm.statements.count_statements`.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lamin_lab.orm.statements import count_statements


@pytest.fixture
def annotated(ln):
    """Two features, a few labels and three saved artifacts (the first annotated once)."""
    ln.Feature(name="temperature", dtype=float).save()
    cell_type = ln.Feature(name="cell_type", dtype=ln.ULabel).save()
    labels = [ln.ULabel(name=n).save() for n in ("T cell", "B cell", "NK cell")]
    artifacts = [
        ln.Artifact.from_dataframe(pd.DataFrame({"x": [i]}), key=f"a/{i}.parquet").save()
        for i in range(3)
    ]
    artifacts[0].features.add_values({"temperature": 21.0, "cell_type": "T cell"})
    return ln, artifacts, labels, cell_type


def test_adding_one_label_sends_a_lookup_and_one_insert_without_a_transaction(annotated):
    ln, artifacts, labels, _ = annotated
    with count_statements() as log:
        artifacts[1].ulabels.add(labels[1])
    assert [q.split()[0] for q in log] == ["SELECT", "INSERT"], log
    assert artifacts[1].ulabels.to_list("name") == ["B cell"]


def test_adding_an_already_linked_label_sends_only_the_lookup(annotated):
    ln, artifacts, labels, _ = annotated
    artifacts[1].ulabels.add(labels[1])
    with count_statements() as log:
        artifacts[1].ulabels.add(labels[1])
    assert log.count == 1, log
    assert artifacts[1].ulabels.count() == 1


def test_adding_600_labels_is_one_transaction_of_two_inserts(annotated):
    ln, artifacts, _, _ = annotated
    many = [ln.ULabel(name=f"label {i}") for i in range(600)]
    ln.save(many)
    with count_statements() as log:
        artifacts[1].ulabels.add(*many)
    assert [q.split()[0] for q in log] == ["SELECT", "BEGIN", "INSERT", "INSERT", "COMMIT"]
    assert artifacts[1].ulabels.count() == 600


def test_labels_add_under_a_feature_sends_a_lookup_and_one_insert(annotated):
    ln, artifacts, labels, cell_type = annotated
    with count_statements() as log:
        artifacts[2].labels.add(labels[2], feature=cell_type)
    assert [q.split()[0] for q in log] == ["SELECT", "INSERT"], log
    assert artifacts[2].labels.get(cell_type, flat_names=True) == ["NK cell"]


def test_add_values_with_a_stored_value_sends_eight_statements(annotated):
    ln, artifacts, _, _ = annotated
    with count_statements() as log:
        artifacts[1].features.add_values({"temperature": 21.0, "cell_type": "T cell"})
    # the features, the labels, BEGIN, the stored values joined with this artifact's links,
    # the value link, the label links' look-up and INSERT, COMMIT
    assert log.count == 8, log
    assert artifacts[1].features.get_values() == {"temperature": 21.0, "cell_type": "T cell"}


def test_add_values_with_a_new_value_gets_its_id_from_the_insert(annotated):
    ln, artifacts, _, _ = annotated
    with count_statements() as log:
        artifacts[1].features.add_values({"temperature": 37.5, "cell_type": "T cell"})
    assert log.count == 9, log  # one INSERT ... RETURNING more, no read-back
    assert sum(q.startswith('INSERT INTO "jsonvalue"') for q in log) == 1
    assert artifacts[1].features.get_values()["temperature"] == 37.5


def test_add_values_twice_links_each_value_once(annotated):
    ln, artifacts, _, _ = annotated
    artifacts[1].features.add_values({"temperature": 37.5})
    with count_statements() as log:
        artifacts[1].features.add_values({"temperature": 37.5})
    assert not [q for q in log if q.startswith("INSERT")], log
    assert ln.Artifact.filter(temperature=37.5).count() == 1


def test_add_values_of_several_new_values_maps_each_returned_id(annotated):
    ln, artifacts, _, _ = annotated
    ln.Feature(name="donor", dtype=str).save()
    ln.Feature(name="count", dtype=int).save()
    values = {"temperature": 1.5, "donor": "D7", "count": 3}
    artifacts[2].features.add_values(values)
    assert artifacts[2].features.get_values() == values


def test_get_by_uid_and_by_key_send_one_statement_each(annotated):
    ln, artifacts, labels, _ = annotated
    with count_statements() as log:
        ln.ULabel.get(labels[0].uid)
        ln.Artifact.get(key="a/1.parquet")
        ln.ULabel.filter(name__startswith="T").count()
        ln.ULabel.to_dataframe(limit=None)
    assert log.count == 4, log


def test_a_feature_filter_sends_the_feature_lookup_and_the_query(annotated):
    ln, artifacts, _, _ = annotated
    with count_statements() as log:
        found = list(ln.Artifact.filter(temperature=21.0))
    assert log.count == 2, log
    assert [a.key for a in found] == ["a/0.parquet"]

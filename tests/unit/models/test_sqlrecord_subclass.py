"""Sub-classing SQLRecord creates a registry of one's own; its table exists on first use."""

from __future__ import annotations

import uuid

import pytest


def _experiment_class(ln):
    """A fresh registry class per test (unique name: the class registry is process-wide)."""
    from lamin_lab import SQLRecord, fields

    name = "Experiment" + uuid.uuid4().hex[:8]
    body = {
        "__module__": __name__,
        "name": fields.CharField(max_length=100, db_index=True),
        "score": fields.FloatField(null=True),
        "label": fields.ForeignKey(
            ln.ULabel, null=True, related_name="experiments_" + name.lower()
        ),
    }
    return type(name, (SQLRecord,), body)


def test_the_reference_example_works(ln):
    from lamin_lab import SQLRecord, fields

    class Experiment(SQLRecord):
        name: str = fields.CharField(max_length=100, db_index=True)

    experiment = Experiment(name="my experiment")
    experiment.save()
    df = Experiment.filter(name__startswith="my ").to_dataframe()
    assert list(df["name"]) == ["my experiment"]


def test_the_table_is_created_on_first_use(ln):
    from lamin_lab.orm.database import ensure_connected

    Experiment = _experiment_class(ln)
    db = ensure_connected()
    assert Experiment._meta.table_name not in db.get_tables()
    assert Experiment.filter().count() == 0
    assert Experiment._meta.table_name in db.get_tables()


def test_a_foreign_key_to_ulabel(ln):
    Experiment = _experiment_class(ln)
    label = ln.ULabel(name="treated").save()
    Experiment(name="e1", label=label, score=0.5).save()
    assert Experiment.filter(label__name="treated").one().score == 0.5
    assert Experiment.get(name="e1").label.name == "treated"


def test_the_reverse_accessor_on_ulabel(ln):
    Experiment = _experiment_class(ln)
    label = ln.ULabel(name="treated").save()
    Experiment(name="e1", label=label).save()
    reverse = getattr(label, "experiments_" + Experiment.__name__.lower())
    assert reverse.to_list("name") == ["e1"]


def test_a_new_registry_has_the_shared_api(ln):
    Experiment = _experiment_class(ln)
    ln.save([Experiment(name=f"e{i}") for i in range(3)])
    e = Experiment.get(name="e1")
    e.delete()
    assert Experiment.filter().count() == 2
    e.restore()
    assert sorted(Experiment.filter().to_list("name")) == ["e0", "e1", "e2"]
    assert Experiment.lookup().e2.name == "e2"
    assert Experiment.search("e0").first().name == "e0"
    assert "e1" in e.describe(return_str=True)


def test_unknown_fields_are_refused_in_a_new_registry(ln):
    Experiment = _experiment_class(ln)
    with pytest.raises(ln.errors.InvalidArgument, match="no field 'nme'"):
        Experiment(nme="x")


def test_a_registry_without_uid_is_got_by_id(ln):
    Experiment = _experiment_class(ln)
    e = Experiment(name="e").save()
    assert Experiment.get(e.id).name == "e"
    with pytest.raises(ln.errors.InvalidArgument, match="has no uid"):
        Experiment.get("abcd")


def test_a_registry_of_ones_own_has_lamindbs_column_order(ln):
    Experiment = _experiment_class(ln)
    Experiment(name="e").save()
    columns = list(Experiment.to_dataframe().columns)
    # own fields, then bookkeeping (is_locked), then branch, space and the foreign keys
    assert columns == [
        "name",
        "score",
        "is_locked",
        "branch_id",
        "created_on_id",
        "space_id",
        "label_id",
    ]

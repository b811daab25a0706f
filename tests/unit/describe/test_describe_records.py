"""describe() and _repr_html_ of records read from the database."""

from __future__ import annotations

import itertools

import pytest

from lamin_lab.orm.database import state
from lamin_lab.describe import Row, Section
from lamin_lab.describe import records as describe_records
from tests.support.query_count import count_queries

_counter = itertools.count()


@pytest.fixture
def db(ln):
    """A fresh instance (the shared ``ln`` fixture)."""
    return ln


def make_artifact(
    ln,
    key=None,
    run=None,
    *,
    description=None,
    stem=None,
    version="0000",
    is_latest=True,
    size=12345,
    version_tag=None,
):
    """Insert an artifact row directly (swap for ``ln.Artifact(...).save()`` later)."""
    n = next(_counter)
    stem = stem or f"S{n:015d}"
    ln.Artifact.insert(
        uid=stem + version,
        key=key,
        description=description,
        storage=ln.Storage.get(root=ln.settings.instance.storage_root),
        hash=f"h{n:021d}",
        size=size,
        suffix=".csv",
        _key_is_virtual=True,
        kind="dataset",
        otype="DataFrame",
        n_observations=42,
        is_latest=is_latest,
        run=run,
        created_by=state.user_id,
        version_tag=version_tag,
    ).execute()
    return ln.Artifact.get(uid=stem + version)


@pytest.fixture
def versioned(db):
    """Two versions of data/table.csv made by a run of clean.py; v1 is this one, v2 latest."""
    ln = db
    transform = ln.Transform(key="clean.py", kind="script").save()
    run = ln.Run(transform=transform, params={"lr": 0.1}).save()
    v1 = make_artifact(
        ln, "data/table.csv", run, stem="Vv1234567890abcd", version="0000", is_latest=False
    )
    v2 = make_artifact(ln, "data/table.csv", run, stem="Vv1234567890abcd", version="0001")
    return ln, v1, v2, run, transform


def test_artifact_text_has_exact_values(versioned):
    ln, v1, v2, run, transform = versioned
    text = v1.describe(return_str=True)
    lines = text.splitlines()
    assert lines[0] == "Artifact  data/table.csv · version 0000"
    assert "│   ├── uid             Vv1234567890abcd0000" in lines
    assert any(line.endswith("size            12.3 kB") for line in lines)
    assert any(line.endswith("n_observations  42") for line in lines)
    assert any(
        line.endswith("created_by      " + ln.User.get(state.user_id).handle) for line in lines
    )
    assert f".lamindb/{v1.uid}.csv" in text
    assert "transform  clean.py" in text
    assert f"run        {run.uid} · started " in text


def test_artifact_versions_mark_latest_and_this_one(versioned):
    ln, v1, v2, run, transform = versioned
    text = v1.describe(return_str=True)
    assert "Versions  2 versions" in text
    v1_line = next(line for line in text.splitlines() if "Vv1234567890abcd0000 ·" in line)
    v2_line = next(line for line in text.splitlines() if "Vv1234567890abcd0001 ·" in line)
    assert v1_line.endswith("(this one)") and v2_line.endswith("(latest)")
    assert v2.describe(return_str=True).count("(latest, this one)") == 1


def test_labels_grouped_by_feature(versioned):
    ln, v1, *_ = versioned
    feature = ln.Feature(name="cell_type", dtype="cat[ULabel]").save()
    t_cell = ln.ULabel(name="T cell").save()
    b_cell = ln.ULabel(name="B cell").save()
    plain = ln.ULabel(name="qc-passed").save()
    v1.ulabels.add(t_cell, b_cell, through_defaults={"feature": feature})
    v1.ulabels.add(plain)
    v1.projects.add(ln.Project(name="atlas").save())
    section = describe_records.describe_tree(v1).section("Labels")
    assert {r.label: r.text for r in section.rows} == {
        "cell_type": "B cell, T cell",
        "ulabels": "qc-passed",
        "projects": "atlas",
    }


def test_artifact_describe_uses_few_queries_whatever_the_labels(versioned, monkeypatch):
    ln, v1, *_ = versioned
    v1.describe(return_str=True)  # warm up: the path property may cache the storage
    with count_queries() as before:
        v1.describe(return_str=True)
    v1.ulabels.add(*[ln.ULabel(name=f"label {i}").save() for i in range(30)])
    with count_queries() as after:
        v1.describe(return_str=True)
    assert len(after) == len(before), str(after)  # feature sections included
    monkeypatch.setattr(describe_records, "feature_sections", lambda record: [])
    with count_queries() as core:
        v1.describe(return_str=True)
    assert len(core) <= 4, str(core)  # creator/storage/run/transform, path, versions, labels


def test_feature_sections_go_before_labels_and_keep_their_dtype(versioned, monkeypatch):
    ln, v1, *_ = versioned

    def provider(record):
        return [
            Section("Dataset features", [Row("cell_type", ["T cell"], "list", dtype="cat[ULabel]")])
        ]

    monkeypatch.setattr(describe_records, "feature_sections", provider)
    tree = describe_records.describe_tree(v1)
    names = [s.name for s in tree.sections]
    assert names.index("Dataset features") < names.index("Labels")
    assert tree.section("Dataset features").rows[0].dtype == "cat[ULabel]"
    assert tree.section("External features").is_empty


def test_html_escapes_script_in_key_and_description(db):
    ln = db
    artifact = make_artifact(ln, "<script>alert(1)</script>.csv", description="<script>x</script>")
    html = artifact._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.csv" in html.replace(
        "<wbr>", ""
    )  # <wbr>: wrap points
    assert html.startswith('<div class="lamin-lab-describe"')


def test_collection_lists_member_count_and_first_keys(db):
    ln = db
    parts = [make_artifact(ln, f"batch{i}.csv") for i in range(7)]
    meta = make_artifact(ln, "meta.json")
    ln.Collection.insert(
        uid="Cc1234567890abcd0000",
        key="batches",
        meta_artifact=meta,
        is_latest=True,
        created_by=state.user_id,
    ).execute()
    coll = ln.Collection.get(uid="Cc1234567890abcd0000")
    coll.artifacts.add(*parts)
    text = coll.describe(return_str=True)
    assert text.splitlines()[0] == "Collection  batches · version 0000"
    assert "artifacts      7 artifacts" in text
    assert "batch0.csv, batch1.csv, batch2.csv, batch3.csv, batch4.csv, … (+2 more)" in text
    assert "meta_artifact  meta.json" in text


def test_run_shows_transform_params_status_and_io_counts(versioned):
    ln, v1, v2, run, transform = versioned
    other = ln.Run(transform=transform).save()
    v1.input_of_runs.add(other)
    text = run.describe(return_str=True)
    assert text.splitlines()[0] == "Run  clean.py"
    assert "params      lr=0.1" in text
    assert "status      scheduled" in text  # ln.Run(transform).save(), as in LaminDB
    assert "transform       clean.py" in text
    assert "output artifacts    2" in text and "input artifacts     0" in text
    assert "input artifacts     1" in other.describe(return_str=True)


def test_transform_shows_runs_and_latest_run(versioned):
    ln, v1, v2, run, transform = versioned
    later = ln.Run(transform=transform).save()
    text = transform.describe(return_str=True)
    assert text.splitlines()[0] == f"Transform  clean.py · version {transform.uid[-4:]}"
    assert "runs        2" in text
    assert f"latest run  {later.uid} · scheduled · started 20" in text
    assert "kind        script" in text


def test_other_records_show_fields_and_foreign_keys_by_label(db):
    ln = db
    label = ln.ULabel(name="T cell", description="a lymphocyte").save()
    text = label.describe(return_str=True)
    assert text.splitlines()[0] == "ULabel  T cell"
    assert "description  a lymphocyte" in text
    assert f"created_by   {ln.User.get(state.user_id).handle}" in text


def test_repr_html_of_other_records_is_an_escaped_table_without_queries(db):
    ln = db
    label = ln.ULabel(name="<b>bold</b>").save()
    with count_queries() as log:
        html = label._repr_html_()
    assert len(log) == 0
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>" not in html
    assert html.startswith('<div class="lamin-lab-record"')


def test_describe_and_view_lineage_are_declared_by_the_mixins(db):
    from lamin_lab.models.mixins import HasLineage
    from lamin_lab.orm import describable

    assert db.Artifact.view_lineage is HasLineage.view_lineage
    assert db.ULabel.describe.func is describable.describe


def test_describe_on_a_registry_class_lists_its_fields(db):
    text = db.ULabel.describe(return_str=True)
    assert text.splitlines()[:3] == ["ULabel", "  Simple fields", "    .uid: CharField"]


def test_describe_on_a_registry_class_lists_its_relations(db):
    assert (
        "    .type: ULabel" in db.ULabel.describe(return_str=True).split("  Relational fields")[1]
    )


def test_describe_on_a_record_still_describes_the_record(db):
    label = db.ULabel(name="T cell").save()
    assert label.describe(return_str=True).startswith("ULabel")
    assert "Simple fields" not in label.describe(return_str=True)

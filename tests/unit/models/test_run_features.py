"""Run features: annotate runs, query them by feature, read and describe the values (issue #11)."""

from __future__ import annotations

import pytest


@pytest.fixture
def runs(ln):
    ln.Feature(name="learning_rate", dtype=float).save()
    ln.Feature(name="optimizer", dtype=str).save()
    ln.Feature(name="n_epochs", dtype=int).save()
    ln.Record(name="gpu").save()
    ln.Feature(name="device", dtype=ln.Record).save()
    transform = ln.Transform(key="train.py", kind="script").save()
    a = ln.Run(transform, name="a").save()
    b = ln.Run(transform, name="b").save()
    a.features.add_values(
        {"learning_rate": 0.01, "optimizer": "adam", "n_epochs": 5, "device": "gpu"}
    )
    b.features.add_values({"learning_rate": 0.1, "optimizer": "sgd", "n_epochs": 10})
    return a, b


def _names(queryset):
    return sorted(queryset.to_list("name"))


def test_get_values_returns_what_add_values_stored(runs):
    a, b = runs
    assert a.features.get_values() == {
        "learning_rate": 0.01,
        "optimizer": "adam",
        "n_epochs": 5,
        "device": "gpu",
    }
    assert b.features.get_values() == {"learning_rate": 0.1, "optimizer": "sgd", "n_epochs": 10}


def test_runs_are_filtered_by_a_feature_value(ln, runs):
    assert _names(ln.Run.filter(learning_rate=0.01)) == ["a"]
    assert _names(ln.Run.filter(optimizer="sgd")) == ["b"]


def test_runs_are_filtered_by_feature_comparisons(ln, runs):
    assert _names(ln.Run.filter(learning_rate__gt=0.05)) == ["b"]
    assert _names(ln.Run.filter(n_epochs__lt=7)) == ["a"]
    assert _names(ln.Run.filter(optimizer__in=["adam", "sgd"])) == ["a", "b"]


def test_runs_are_filtered_by_a_categorical_feature_and_its_absence(ln, runs):
    assert _names(ln.Run.filter(device="gpu")) == ["a"]
    assert _names(ln.Run.filter(device__isnull=True)) == ["b"]


def test_runs_are_filtered_by_a_feature_expression(ln, runs):
    assert _names(ln.Run.filter(ln.Feature.get(name="n_epochs") > 6)) == ["b"]


def test_a_features_prefix_is_refused_as_in_lamindb(ln, runs):
    with pytest.raises(
        ln.errors.InvalidArgument,
        match=r"without a features__ prefix: Run.filter\(learning_rate=...\)",
    ):
        ln.Run.filter(features__learning_rate=0.01).count()


def test_describe_lists_features_categorical_first_with_plain_dtypes(runs):
    assert runs[0].features.describe(return_str=True).splitlines() == [
        "Features",
        "  device         Record  gpu",
        "  learning_rate  float   0.01",
        "  n_epochs       int     5",
        "  optimizer      str     adam",
    ]


def test_the_repr_of_a_run_features_shows_the_values(runs):
    assert repr(runs[1].features).splitlines()[0] == "Features"
    assert "optimizer      str    sgd" in repr(runs[1].features)


def test_the_run_describe_has_a_features_section(runs):
    text = runs[0].describe(return_str=True)
    assert "── Features" in text and "External features" not in text


def test_to_dataframe_includes_a_column_per_feature(ln, runs):
    df = ln.Run.filter().order_by("name").to_dataframe(include="features")
    assert df["learning_rate"].tolist() == [0.01, 0.1]
    assert df["device"].tolist()[0] == "gpu"


def test_runs_annotated_by_track_are_found_by_feature(ln, tracking, tmp_path):
    ln.Feature(name="learning_rate", dtype=float).save()
    script = tmp_path / "train.py"
    script.write_text("import lamin_lab as ln\n")
    run = tracking.track(path=script, features={"learning_rate": 0.5})
    assert ln.Run.filter(learning_rate=0.5).to_list("id") == [run.id]
    assert run.features.get_values() == {"learning_rate": 0.5}


def test_remove_values_drops_the_value_of_one_run_only(runs):
    a, b = runs
    a.features.remove_values("optimizer")
    assert "optimizer" not in a.features.get_values()
    assert b.features.get_values()["optimizer"] == "sgd"


def test_get_values_lists_categorical_features_first_then_by_name(runs):
    assert list(runs[0].features.get_values()) == [
        "device",
        "learning_rate",
        "n_epochs",
        "optimizer",
    ]

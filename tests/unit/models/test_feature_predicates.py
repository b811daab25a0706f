"""Feature expressions in filters: ``filter(feature > v)``, ``filter(feature == v)``, ``.is_null()``."""

import pandas as pd
import pytest


@pytest.fixture
def n_cells(ln):
    f = ln.Feature(name="n_cells", dtype=int).save()
    df = pd.DataFrame({"a": [1, 2]})
    a = ln.Artifact.from_dataframe(df, key="a.parquet").save()
    a.features.add_values({"n_cells": 3})
    ln.Artifact.from_dataframe(df.assign(b=1), key="b.parquet").save()
    return f


def test_greater_than_matches_larger_values(ln, n_cells):
    assert ln.Artifact.filter(n_cells > 2).to_list("key") == ["a.parquet"]


def test_equal_matches_the_value_only(ln, n_cells):
    assert [ln.Artifact.filter(n_cells == 3).count(), ln.Artifact.filter(n_cells == 4).count()] == [
        1,
        0,
    ]


def test_not_equal_keeps_records_without_a_value(ln, n_cells):
    assert ln.Artifact.filter(n_cells != 3).to_list("key") == ["b.parquet"]


def test_is_null_matches_records_without_a_value(ln, n_cells):
    assert ln.Artifact.filter(n_cells.is_null()).to_list("key") == ["b.parquet"]


def test_is_null_false_matches_records_with_a_value(ln, n_cells):
    assert ln.Artifact.filter(n_cells.is_null(False)).to_list("key") == ["a.parquet"]


def test_expressions_combine_with_keywords(ln, n_cells):
    assert ln.Artifact.filter(n_cells >= 3, key="b.parquet").count() == 0


def test_exclude_takes_an_expression(ln, n_cells):
    assert ln.Artifact.filter().exclude(n_cells <= 3).to_list("key") == ["b.parquet"]


def test_an_expression_is_no_bool(ln, n_cells):
    with pytest.raises(ln.errors.InvalidArgument, match="filter"):
        bool(n_cells == 3)


def test_two_features_still_compare_as_records(ln, n_cells):
    assert (n_cells == ln.Feature.get(name="n_cells")) is True


def test_features_stay_hashable(ln, n_cells):
    assert len({n_cells, ln.Feature.get(name="n_cells")}) == 1


def test_categorical_feature_equals_a_label(ln):
    f = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    dmso = ln.ULabel(name="DMSO").save()
    a = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet").save()
    a.features.add_values({"perturbation": "DMSO"})
    assert ln.Artifact.filter(f == dmso).count() == 1


def test_a_registry_without_features_refuses_an_expression(ln, n_cells):
    with pytest.raises(ln.errors.InvalidArgument, match="no feature values"):
        ln.ULabel.filter(n_cells > 2).count()


def test_is_null_takes_a_bool(ln, n_cells):
    with pytest.raises(ln.errors.InvalidArgument):
        n_cells.is_null("yes")


def test_dict_feature_filters_by_a_key(ln):
    ln.Feature(name="study_metadata", dtype=dict).save()
    a = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet").save()
    a.features.add_values({"study_metadata": {"detail1": "x", "detail2": 2}})
    assert [
        ln.Artifact.filter(study_metadata__detail1="x").count(),
        ln.Artifact.filter(study_metadata__detail2__gt=2).count(),
    ] == [1, 0]


def test_an_expression_as_bool_is_a_type_error(ln, n_cells):
    with pytest.raises(TypeError):
        bool(n_cells > 1)

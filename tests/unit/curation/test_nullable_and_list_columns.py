"""Object columns with missing values, and list-valued columns of list[cat] features (issue #10)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lamin_lab.curation.categorical import unique_values
from lamin_lab.errors import ValidationError


@pytest.fixture
def ethnicity(ln):
    kind = ln.Record(name="Ethnicity", is_type=True).save()
    for name in ("Chinese", "Han Chinese"):
        ln.Record(name=name, type=kind).save()
    feature = ln.Feature(name="ethnicity", dtype=list[kind]).save()
    return ln.Schema(name="ethnicities", features=[feature]).save()


def test_nullable_str_feature_accepts_object_column_with_none(ln):
    import lamin_lab.curators as curators

    f = ln.Feature(name="donor", dtype=str, nullable=True).save()
    schema = ln.Schema(features=[f]).save()
    assert (
        curators.DataFrameCurator(pd.DataFrame({"donor": ["D1", "D2", None]}), schema).validate()
        is None
    )


def test_str_feature_still_refuses_numbers_among_none(ln):
    import lamin_lab.curators as curators

    f = ln.Feature(name="donor", dtype=str, nullable=True).save()
    schema = ln.Schema(features=[f]).save()
    with pytest.raises(
        ValidationError, match="Column 'donor' has dtype object, but feature 'donor' expects str"
    ):
        curators.DataFrameCurator(
            pd.DataFrame({"donor": ["D1", 2, None]}, dtype=object), schema
        ).validate()


def test_unique_values_flattens_list_cells():
    series = pd.Series([["a", "b"], ["a", "c"], None, [], ("d",)])
    assert unique_values(series) == ["a", "b", "c", "d"]


def test_list_column_validates_each_element(ethnicity):
    import lamin_lab.curators as curators

    df = pd.DataFrame({"ethnicity": [["Chinese", "Han Chinese"], ["Chinese"]]})
    assert curators.DataFrameCurator(df, ethnicity).validate() is None


def test_list_column_reports_the_unknown_element(ethnicity):
    import lamin_lab.curators as curators

    df = pd.DataFrame({"ethnicity": [["Chinese", "Hann Chinese"], ["Chinese"]]})
    curator = curators.DataFrameCurator(df, ethnicity)
    with pytest.raises(
        ValidationError, match=re.escape("1 term not validated in 'ethnicity': 'Hann Chinese'")
    ):
        curator.validate()
    assert curator.cat.non_validated == {"ethnicity": ["Hann Chinese"]}


def test_list_column_standardize_replaces_synonyms_inside_lists(ln, ethnicity):
    import lamin_lab.curators as curators

    ln.Record.get(name="Han Chinese").add_synonym("Han")
    df = pd.DataFrame({"ethnicity": [["Chinese", "Han"], ["Chinese"]]})
    curator = curators.DataFrameCurator(df, ethnicity)
    curator.cat.standardize("ethnicity")
    assert df["ethnicity"].tolist() == [["Chinese", "Han Chinese"], ["Chinese"]]

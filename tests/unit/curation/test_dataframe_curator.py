"""DataFrameCurator: columns, dtypes, categorical values, synonyms, suggestions, saving."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lamin_lab.errors import InvalidArgument, ValidationError
from tests.support.query_count import count_queries


@pytest.fixture
def env(ln):
    import lamin_lab.curators as curators

    pert = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    temp = ln.Feature(name="temperature", dtype=float).save()
    ln.ULabel.from_values(["IFNG", "DMSO"], create=True).save()
    schema = ln.Schema(name="perturbations", features=[pert, temp]).save()
    return ln, curators, schema


def _df(**overrides):
    data = {"perturbation": ["IFNG", "DMSO", "IFNG"], "temperature": [21.5, 22.0, 23.0]}
    data.update(overrides)
    return pd.DataFrame(data)


def test_valid_dataframe(env):
    ln, curators, schema = env
    curator = curators.DataFrameCurator(_df(), schema)
    assert curator.validate() is None
    assert curator.cat.non_validated == {}


def test_issue_error_text(env):
    ln, curators, schema = env
    curator = curators.DataFrameCurator(_df(perturbation=["IFNG", "IFNJ", "DMSO"]), schema)
    with pytest.raises(ValidationError) as e:
        curator.validate()
    assert f"{e.typename}: {e.value}".startswith(
        "ValidationError: 1 term not validated in 'perturbation': 'IFNJ' (did you mean 'IFNG'?)"
    )
    assert str(e.value).splitlines()[-1] == (
        "→ fix typos, or create the missing ULabel records: curator.cat.add_new_from('perturbation')"
    )
    assert curator.cat.non_validated == {"perturbation": ["IFNJ"]}


def test_several_terms_and_no_suggestion(env):
    ln, curators, schema = env
    curator = curators.DataFrameCurator(_df(perturbation=["IFNJ", "zzz", "IFNG"]), schema)
    with pytest.raises(
        ValidationError,
        match=re.escape(
            "2 terms not validated in 'perturbation': 'IFNJ' (did you mean 'IFNG'?), 'zzz'"
        ),
    ):
        curator.validate()


def test_add_new_from_then_valid(env):
    ln, curators, schema = env
    curator = curators.DataFrameCurator(_df(perturbation=["IFNG", "IFNJ", "DMSO"]), schema)
    with pytest.raises(ValidationError):
        curator.validate()
    curator.cat.add_new_from("perturbation")
    assert ln.ULabel.filter(name="IFNJ").count() == 1
    assert curator.cat.non_validated == {}
    curator.validate()


def test_synonyms_standardize(env):
    ln, curators, schema = env
    ln.ULabel.get(name="IFNG").add_synonym("interferon gamma")
    df = _df(perturbation=["interferon gamma", "DMSO", "IFNG"])
    curator = curators.DataFrameCurator(df, schema)
    with pytest.raises(ValidationError) as e:
        curator.validate()
    assert "'interferon gamma' (did you mean 'IFNG'?)" in str(e.value)
    assert "curator.cat.standardize('perturbation')" in str(e.value)
    curator.cat.standardize("perturbation")
    assert df["perturbation"].tolist() == ["IFNG", "DMSO", "IFNG"]
    curator.validate()


def test_standardize_categorical_column(env):
    ln, curators, schema = env
    ln.ULabel.get(name="DMSO").add_synonym("dimethyl sulfoxide")
    df = _df(perturbation=pd.Categorical(["dimethyl sulfoxide", "IFNG", "IFNG"]))
    curator = curators.DataFrameCurator(df, schema)
    curator.standardize()
    assert df["perturbation"].tolist() == ["DMSO", "IFNG", "IFNG"]
    curator.validate()


def test_categorical_dtype_uses_categories_in_use(env):
    ln, curators, schema = env
    cat = pd.Categorical(["IFNG", "DMSO", "IFNG"], categories=["IFNG", "DMSO", "unused"])
    curators.DataFrameCurator(_df(perturbation=cat), schema).validate()


def test_missing_column(env):
    ln, curators, schema = env
    curator = curators.DataFrameCurator(pd.DataFrame({"perturbation": ["IFNG"]}), schema)
    with pytest.raises(ValidationError) as e:
        curator.validate()
    assert str(e.value) == (
        "1 column is missing: 'temperature' (schema 'perturbations' requires it). Add the column, or make the "
        "feature optional: schema.optionals.add(ln.Feature.get(name='temperature'))."
    )


def test_optional_column_may_be_missing(env):
    ln, curators, schema = env
    schema.optionals.add(ln.Feature.get(name="temperature"))
    curators.DataFrameCurator(pd.DataFrame({"perturbation": ["IFNG"]}), schema).validate()


def test_extra_column_with_maximal_set(env):
    ln, curators, _ = env
    schema = ln.Schema(name="strict", features=list(ln.Feature.filter()), maximal_set=True).save()
    with pytest.raises(
        ValidationError, match=re.escape("1 column is not in schema 'strict': 'extra'")
    ):
        curators.DataFrameCurator(_df(extra=[1, 2, 3]), schema).validate()
    curators.DataFrameCurator(_df(), schema).validate()


def test_ordered_set(env):
    ln, curators, _ = env
    feats = [ln.Feature.get(name="perturbation"), ln.Feature.get(name="temperature")]
    schema = ln.Schema(name="ordered", features=feats, ordered_set=True).save()
    df = _df()[["temperature", "perturbation"]]
    with pytest.raises(ValidationError, match="Columns are out of order"):
        curators.DataFrameCurator(df, schema).validate()


def test_wrong_dtype_without_coercion(env):
    ln, curators, schema = env
    with pytest.raises(ValidationError) as e:
        curators.DataFrameCurator(_df(temperature=["21.5", "22", "x"]), schema).validate()
    assert str(e.value) == (
        "Column 'temperature' has dtype object, but feature 'temperature' expects float (e.g. '21.5'). "
        "Fix the values, or create the schema with coerce_dtype=True to convert them."
    )


def test_coercion(env):
    ln, curators, _ = env
    schema = ln.Schema(name="coerce", features=list(ln.Feature.filter()), coerce_dtype=True).save()
    df = _df(temperature=["21.5", "22", "23"])
    curators.DataFrameCurator(df, schema).validate()
    assert df["temperature"].tolist() == [21.5, 22.0, 23.0]
    assert str(df["temperature"].dtype) == "float64"


def test_coercion_failure_names_values(env):
    ln, curators, _ = env
    schema = ln.Schema(name="coerce", features=list(ln.Feature.filter()), coerce_dtype=True).save()
    with pytest.raises(
        ValidationError,
        match=re.escape("Column 'temperature' cannot be converted to float: 'warm' is no float."),
    ):
        curators.DataFrameCurator(_df(temperature=["21.5", "warm", "23"]), schema).validate()


def test_not_nullable(ln):
    import lamin_lab.curators as curators

    f = ln.Feature(name="n", dtype=int, nullable=False).save()
    schema = ln.Schema(features=[f]).save()
    with pytest.raises(
        ValidationError, match="Column 'n' has 1 missing value, but feature 'n' is not nullable."
    ):
        curators.DataFrameCurator(pd.DataFrame({"n": [1, None]}), schema).validate()


def test_int_and_str_and_bool_columns(ln):
    import lamin_lab.curators as curators

    feats = [
        ln.Feature(name="i", dtype=int).save(),
        ln.Feature(name="s", dtype=str).save(),
        ln.Feature(name="b", dtype=bool).save(),
    ]
    schema = ln.Schema(features=feats).save()
    curators.DataFrameCurator(
        pd.DataFrame({"i": [1, 2], "s": ["a", "b"], "b": [True, False]}), schema
    ).validate()
    with pytest.raises(
        ValidationError, match="Column 'i' has dtype float64, but feature 'i' expects int"
    ):
        curators.DataFrameCurator(
            pd.DataFrame({"i": [1.5, 2], "s": ["a", "b"], "b": [True, False]}), schema
        ).validate()


def test_record_type_column_add_new_from(ln):
    import lamin_lab.curators as curators

    sample = ln.Record(name="Sample", is_type=True).save()
    ln.Record(name="S1", type=sample).save()
    f = ln.Feature(name="sample", dtype=sample).save()
    schema = ln.Schema(features=[f]).save()
    curator = curators.DataFrameCurator(pd.DataFrame({"sample": ["S1", "S2"]}), schema)
    with pytest.raises(
        ValidationError, match=re.escape("create the missing Record[Sample] records")
    ):
        curator.validate()
    curator.cat.add_new_from("sample")
    assert ln.Record.get(name="S2").type.name == "Sample"
    curator.validate()


def test_flexible_schema_validates_feature_columns_only(env):
    ln, curators, _ = env
    schema = ln.Schema(name="any", itype=ln.Feature).save()
    df = _df(other=["x", "y", "z"])
    curator = curators.DataFrameCurator(df, schema)
    curator.validate()
    assert sorted(f.name for f in curator.features) == ["perturbation", "temperature"]
    artifact = curator.save_artifact(key="flex.parquet")
    slot_schema = artifact.features.slots["columns"]
    assert sorted(f.name for f in slot_schema.members) == ["perturbation", "temperature"]
    assert artifact.schema == schema


def test_save_artifact_links_schema_features_labels(env):
    ln, curators, schema = env
    curator = curators.DataFrameCurator(_df(), schema)
    artifact = curator.save_artifact(key="examples/p.parquet", description="curated")
    assert (artifact.key, artifact.description, artifact.schema_id) == (
        "examples/p.parquet",
        "curated",
        schema.id,
    )
    assert artifact.features.slots == {"columns": schema}
    assert artifact.features.get_values() == {"perturbation": ["DMSO", "IFNG"]}
    assert artifact.features.get_values(external_only=True) == {}
    assert artifact.labels.get("perturbation", flat_names=True) == ["DMSO", "IFNG"]
    assert ln.Artifact.filter(perturbation="DMSO").one() == artifact
    text = artifact.describe(return_str=True)
    assert "Dataset features" in text and re.search(
        r"perturbation\s+cat\[ULabel\]\s+DMSO, IFNG", text
    )


def test_save_artifact_validates_first(env):
    ln, curators, schema = env
    curator = curators.DataFrameCurator(_df(perturbation=["bad", "IFNG", "DMSO"]), schema)
    with pytest.raises(ValidationError, match="1 term not validated in 'perturbation': 'bad'"):
        curator.save_artifact(key="x.parquet")
    assert ln.Artifact.filter().count() == 0


def test_from_dataframe_with_schema_writes_nothing_when_invalid(env, tmp_path):
    ln, _, schema = env
    files_before = sorted(p.name for p in (tmp_path / "data").rglob("*") if p.is_file())
    with pytest.raises(
        ValidationError,
        match="1 term not validated in 'perturbation': 'IFNJ' \\(did you mean 'IFNG'\\?\\)",
    ):
        ln.Artifact.from_dataframe(
            _df(perturbation=["IFNJ", "IFNG", "DMSO"]), key="bad.parquet", schema=schema
        )
    assert ln.Artifact.filter().count() == 0
    assert sorted(p.name for p in (tmp_path / "data").rglob("*") if p.is_file()) == files_before
    staging = tmp_path / "cache" / ".staging"
    assert not staging.exists() or list(staging.iterdir()) == []


def test_from_dataframe_with_valid_schema(env):
    ln, _, schema = env
    artifact = ln.Artifact.from_dataframe(_df(), key="ok.parquet", schema=schema).save()
    assert artifact.schema == schema
    assert artifact.features.slots == {"columns": schema}


def test_validate_is_few_queries(env):
    ln, curators, schema = env
    df = pd.DataFrame({"perturbation": ["IFNG", "DMSO"] * 500, "temperature": [1.0] * 1000})
    curator = curators.DataFrameCurator(df, schema)
    with count_queries() as queries:
        curator.validate()
    assert len(queries) <= 3, queries


def test_wrong_inputs(env):
    ln, curators, schema = env
    with pytest.raises(InvalidArgument, match="takes a pandas DataFrame"):
        curators.DataFrameCurator([1, 2], schema)
    with pytest.raises(InvalidArgument, match="takes a Schema"):
        curators.DataFrameCurator(_df(), "schema")
    with pytest.raises(InvalidArgument, match="not a categorical key"):
        curators.DataFrameCurator(_df(), schema).cat.add_new_from("temperature")


def test_inspect_result(env):
    ln, curators, _ = env
    ln.ULabel.get(name="IFNG").add_synonym("IFN-gamma")
    result = ln.ULabel.inspect(["IFNG", "IFN-gamma", "nope", None])
    assert isinstance(result, curators.InspectResult)
    assert (result.validated, result.non_validated) == (["IFNG"], ["IFN-gamma", "nope"])
    assert result.synonyms_mapper == {"IFN-gamma": "IFNG"}
    assert (result.n_empty, result.n_unique, result.frac_validated) == (1, 3, 1 / 3)
    assert result.df["__validated__"].tolist() == [True, False, False, False]


def test_default_value_fills_missing_column(ln):
    import lamin_lab.curators as curators

    f = ln.Feature(name="batch", dtype=str, default_value="b1").save()
    g = ln.Feature(name="x", dtype=float).save()
    schema = ln.Schema(features=[f, g]).save()
    df = pd.DataFrame({"x": [1.0, 2.0]})
    curators.DataFrameCurator(df, schema).validate()
    assert df["batch"].tolist() == ["b1", "b1"]


def test_synonym_hint_grammar(env):
    ln, curators, schema = env
    ln.ULabel.get(name="IFNG").add_synonym("interferon gamma")
    with pytest.raises(
        ValidationError,
        match=re.escape(
            "→ 1 is a synonym: curator.cat.standardize('perturbation') replaces it by its standard name"
        ),
    ):
        curators.DataFrameCurator(
            _df(perturbation=["interferon gamma", "DMSO", "IFNG"]), schema
        ).validate()


def test_save_artifact_writes_nothing_when_linking_fails(ln, monkeypatch):
    import pandas as pd

    import lamin_lab.curation.save as save_module

    ln.ULabel.from_values(["IFNG"], create=True).save()
    schema = ln.Schema(
        name="s", features=[ln.Feature(name="perturbation", dtype=ln.ULabel).save()]
    ).save()
    curator = ln.curators.DataFrameCurator(pd.DataFrame({"perturbation": ["IFNG"]}), schema)

    def broken_annotate(artifact, curator):
        raise ln.errors.IntegrityError("simulated link failure")

    monkeypatch.setattr(save_module, "annotate", broken_annotate)
    monkeypatch.setattr("lamin_lab.curation.annotate", broken_annotate)
    with pytest.raises(ln.errors.IntegrityError):
        curator.save_artifact(key="curated/p.parquet")
    assert ln.Artifact.filter(branch_id__in=[-1, 0, 1]).count() == 0
    assert list((ln.settings.storage.root / ".lamindb").glob("*")) == []

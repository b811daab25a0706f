"""Features: dtypes, feature values on artifacts/runs/records, filters and feature columns."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import re

import pandas as pd
import pytest

from lamin_lab.errors import DoesNotExist, InvalidArgument, ValidationError
from lamin_lab.models.feature import dtype_to_str, parse_cat
from tests.support.query_count import count_queries


def _artifact(ln, n: int = 0, key: str | None = None):
    return ln.Artifact.from_dataframe(pd.DataFrame({"x": [n]}), key=key or f"t/{n}.parquet").save()


@pytest.fixture
def annotated(ln):
    ln.Feature(name="temperature", dtype=float).save()
    ln.Feature(name="cell_type", dtype=ln.ULabel).save()
    ln.Feature(name="day", dtype="date").save()
    ln.Feature(name="donor", dtype=str).save()
    for name in ("T cell", "B cell", "NK cell"):
        ln.ULabel(name=name).save()
    return ln


# ----------------------------------------------------------------- dtypes
@pytest.mark.parametrize(
    ("dtype", "text"),
    [
        (float, "float"),
        (int, "int"),
        (str, "str"),
        (bool, "bool"),
        (dict, "dict"),
        (dt.datetime, "datetime"),
        (dt.date, "date"),
        (list[str], "list[str]"),
        ("num", "num"),
        ("cat[ULabel]", "cat[ULabel]"),
        ("cat[Record[Sample]]", "cat[Record[Sample]]"),
    ],
)
def test_dtype_to_str(dtype, text):
    assert dtype_to_str(dtype) == text


def test_dtype_from_registry_and_record_type(ln):
    sample = ln.Record(name="Sample", is_type=True).save()
    assert ln.Feature(name="a", dtype=ln.ULabel).dtype == "cat[ULabel]"
    assert ln.Feature(name="b", dtype=sample).dtype == "cat[Record[Sample]]"
    assert ln.Feature(name="b", dtype=sample).dtype_as_str == "cat[Record[Sample]]"


def test_unknown_dtype_says_what_works():
    with pytest.raises(InvalidArgument, match="Unknown dtype 'floaty'.*'cat\\[ULabel\\]'"):
        dtype_to_str("floaty")


def test_parse_cat():
    assert parse_cat("cat[Record[Sample]]").type_name == "Sample"
    assert parse_cat("list[cat[ULabel]]").registry == "ULabel"
    assert parse_cat("cat").registry == "ULabel"
    assert parse_cat("float") is None


def test_feature_needs_dtype(ln):
    with pytest.raises(InvalidArgument, match="needs a dtype"):
        ln.Feature(name="x").save()


def test_feature_keeps_unit_description_synonyms(ln):
    f = ln.Feature(
        name="temperature", dtype=float, unit="°C", description="room", synonyms="temp"
    ).save()
    got = ln.Feature.get(name="temperature")
    assert (got.unit, got.description, got.synonyms, got.dtype) == ("°C", "room", "temp", "float")
    assert ln.Feature.standardize(["temp"]) == ["temperature"]
    assert f.is_categorical is False


# ----------------------------------------------------------------- add / get values
def test_add_and_get_values(annotated):
    ln = annotated
    a = _artifact(ln)
    a.features.add_values(
        {"temperature": 21, "cell_type": ["T cell", "B cell"], "day": "2024-01-02", "donor": "D1"}
    )
    assert a.features.get_values() == {
        "temperature": 21.0,
        "cell_type": ["B cell", "T cell"],
        "day": dt.date(2024, 1, 2),
        "donor": "D1",
    }
    assert a.features["temperature"] == 21.0
    assert sorted(a.features["cell_type"].to_list("name")) == ["B cell", "T cell"]


def test_none_values_are_skipped(annotated):
    a = _artifact(annotated)
    a.features.add_values({"temperature": None, "donor": "D1"})
    assert a.features.get_values() == {"donor": "D1"}


def test_json_values_are_deduplicated(annotated):
    ln = annotated
    a, b = _artifact(ln, 1), _artifact(ln, 2)
    a.features.add_values({"temperature": 21.5})
    b.features.add_values({"temperature": 21.5})
    a.features.add_values({"temperature": 21.5})
    assert ln.models.JsonValue.filter().count() == 1
    assert ln.models.ArtifactJsonValue.filter().count() == 2


def test_categorical_values_link_label_with_feature(annotated):
    ln = annotated
    a = _artifact(ln)
    a.features.add_values({"cell_type": "T cell"})
    link = ln.models.ArtifactULabel.get(artifact=a)
    assert (link.ulabel.name, link.feature.name) == ("T cell", "cell_type")


def test_record_instances_as_values(annotated):
    ln = annotated
    a = _artifact(ln)
    a.features.add_values({"cell_type": ln.ULabel.get(name="NK cell")})
    assert a.features.get_values() == {"cell_type": "NK cell"}


def test_unknown_feature_error_names_key_and_fix(annotated):
    a = _artifact(annotated)
    with pytest.raises(ValidationError) as e:
        a.features.add_values({"temp": 3.5, "temperature": 1.0})
    assert (
        str(e.value)
        == "1 key is not a feature: 'temp'. Create it first: ln.Feature(name='temp', dtype=float).save()"
    )
    assert a.features.get_values() == {}  # nothing written


def test_wrong_type_error(annotated):
    a = _artifact(annotated)
    with pytest.raises(ValidationError) as e:
        a.features.add_values({"temperature": "hot"})
    assert str(e.value) == (
        "Value 'hot' for feature 'temperature' has type str, but the feature's dtype is float: "
        "pass a number, or use a feature with dtype=str."
    )


def test_unknown_label_error_suggests_and_says_how_to_create(annotated):
    a = _artifact(annotated)
    with pytest.raises(ValidationError) as e:
        a.features.add_values({"cell_type": "B cel", "temperature": 3.0})
    assert str(e.value) == (
        "1 term not validated in 'cell_type': 'B cel' (did you mean 'B cell'?)\n"
        "→ fix the value, or create it: ln.ULabel(name='B cel').save()"
    )
    assert a.features.get_values() == {}


def test_record_type_label_hint(ln):
    sample = ln.Record(name="Sample", is_type=True).save()
    ln.Record(name="S1", type=sample).save()
    ln.Record(name="S2").save()  # not of the type: does not validate
    ln.Feature(name="sample", dtype=sample).save()
    a = _artifact(ln)
    with pytest.raises(
        ValidationError,
        match=re.escape(
            "create it: ln.Record(name='S2', type=ln.Record.get(name='Sample', is_type=True)).save()"
        ),
    ):
        a.features.add_values({"sample": "S2"})
    a.features.add_values({"sample": "S1"})
    assert a.features.get_values() == {"sample": "S1"}
    assert ln.models.ArtifactRecord.get(artifact=a).feature.name == "sample"


@pytest.mark.parametrize(
    ("dtype", "good", "stored", "bad"),
    [
        (int, 3, 3, 3.5),
        (bool, True, True, 1),
        (dict, {"a": 1}, {"a": 1}, [1]),
        (list[str], ["a", "b"], ["a", "b"], "a"),
        (dt.datetime, "2024-01-02T03:04:05", dt.datetime(2024, 1, 2, 3, 4, 5), "x"),
    ],
)
def test_dtypes_validate(ln, dtype, good, stored, bad):
    ln.Feature(name="f", dtype=dtype).save()
    a = _artifact(ln)
    a.features.add_values({"f": good})
    assert a.features.get_values() == {"f": stored}
    with pytest.raises(ValidationError, match="for feature 'f'"):
        a.features.add_values({"f": bad})


def test_add_values_is_a_few_queries(annotated):
    a = _artifact(annotated)
    values = {
        "temperature": 1.0,
        "cell_type": ["T cell", "B cell"],
        "day": "2024-01-01",
        "donor": "x",
    }
    with count_queries() as queries:
        a.features.add_values(values)
    assert len(queries) <= 10, queries


def test_remove_values(annotated):
    a = _artifact(annotated)
    a.features.add_values({"temperature": 1.0, "cell_type": ["T cell", "B cell"], "donor": "x"})
    a.features.remove_values("cell_type", value="T cell")
    assert a.features.get_values() == {"temperature": 1.0, "cell_type": "B cell", "donor": "x"}
    a.features.remove_values(["temperature", "cell_type"])
    assert a.features.get_values() == {"donor": "x"}
    a.features.remove_values()
    assert a.features.get_values() == {}


def test_remove_one_json_value(annotated):
    a = _artifact(annotated)
    a.features.add_values({"donor": "x"})
    a.features.add_values({"donor": "y"})
    assert a.features.get_values() == {"donor": ["x", "y"]}
    a.features.remove_values("donor", value="x")
    assert a.features.get_values() == {"donor": "y"}


def test_set_values_replaces(annotated):
    a = _artifact(annotated)
    a.features.add_values({"temperature": 1.0, "cell_type": "T cell"})
    a.features.set_values({"donor": "z"})
    assert a.features.get_values() == {"donor": "z"}


def test_set_values_invalid_keeps_old_values(annotated):
    a = _artifact(annotated)
    a.features.add_values({"temperature": 1.0})
    with pytest.raises(ValidationError):
        a.features.set_values({"temperature": "warm"})
    assert a.features.get_values() == {"temperature": 1.0}


def test_getitem_unknown(annotated):
    a = _artifact(annotated)
    with pytest.raises(DoesNotExist, match="No feature 'nope'"):
        a.features["nope"]
    with pytest.raises(DoesNotExist, match="has no value for feature 'donor'"):
        a.features["donor"]


def test_unsaved_host_is_refused(ln):
    a = ln.Artifact.from_dataframe(pd.DataFrame({"x": [1]}), key="u.parquet")
    with pytest.raises(InvalidArgument, match="Save this Artifact"):
        a.features.add_values({"x": 1})


def test_run_features(annotated):
    ln = annotated
    transform = ln.Transform(key="script.py").save()
    run = ln.Run(transform=transform).save()
    run.features.add_values({"temperature": 3.0, "cell_type": "T cell"})
    assert run.features.get_values() == {"temperature": 3.0, "cell_type": "T cell"}
    assert ln.Run.filter(temperature=3.0).count() == 1
    assert ln.models.RunJsonValue.filter().count() == 1


def test_record_features_live_in_recordjson(annotated):
    ln = annotated
    r = ln.Record(name="S1").save()
    r.features.set_values({"temperature": 3.0, "donor": "D", "cell_type": "B cell"})
    assert r.features.get_values() == {"temperature": 3.0, "cell_type": "B cell", "donor": "D"}
    assert ln.models.RecordJson.filter(record=r).count() == 2
    assert ln.models.JsonValue.filter().count() == 0
    assert ln.Record.filter(donor="D").to_list("name") == ["S1"]
    assert ln.Record.filter(temperature__gt=2).to_list("name") == ["S1"]
    r.features.remove_values("donor", value="other")
    assert r.features.get_values()["donor"] == "D"
    r.features.remove_values("donor", value="D")
    assert r.features.get_values() == {"temperature": 3.0, "cell_type": "B cell"}


def test_features_describe_text(annotated):
    a = _artifact(annotated)
    a.features.add_values({"temperature": 21.5, "cell_type": ["T cell", "B cell"]})
    text = a.features.describe(return_str=True)
    assert text.splitlines() == [  # as LaminDB: categorical first, then by name; no cat[...]
        "Features",
        "  cell_type    ULabel  B cell, T cell",
        "  temperature  float   21.5",
    ]


def test_describe_has_feature_sections(annotated):
    a = _artifact(annotated)
    a.features.add_values({"temperature": 21.5, "cell_type": "T cell"})
    text = a.describe(return_str=True)
    assert "Features" in text and "External features" not in text  # no dataset features
    assert re.search(r"temperature\s+float\s+21\.5", text)
    assert re.search(r"cell_type\s+ULabel\s+T cell", text)


# ----------------------------------------------------------------- filters
@pytest.fixture
def many(annotated):
    ln = annotated
    arts = [_artifact(ln, i) for i in range(4)]
    arts[0].features.add_values(
        {"temperature": 20.0, "cell_type": "T cell", "day": "2024-01-01", "donor": "alpha"}
    )
    arts[1].features.add_values(
        {"temperature": 21.5, "cell_type": ["T cell", "B cell"], "donor": "beta"}
    )
    arts[2].features.add_values({"temperature": 25.0, "cell_type": "NK cell", "day": "2024-03-01"})
    return ln, arts


def _keys(qs):
    return sorted(qs.to_list("key"))


def test_filter_equal(many):
    ln, arts = many
    assert _keys(ln.Artifact.filter(temperature=21.5)) == ["t/1.parquet"]
    assert _keys(ln.Artifact.filter(temperature=20)) == [
        "t/0.parquet"
    ]  # int matches the float feature


def test_filter_comparisons(many):
    ln, _ = many
    assert _keys(ln.Artifact.filter(temperature__gt=20)) == ["t/1.parquet", "t/2.parquet"]
    assert _keys(ln.Artifact.filter(temperature__lte=21.5)) == ["t/0.parquet", "t/1.parquet"]
    assert _keys(ln.Artifact.filter(temperature__range=(21, 26))) == ["t/1.parquet", "t/2.parquet"]
    assert _keys(ln.Artifact.filter(day__gte="2024-02-01")) == ["t/2.parquet"]
    assert _keys(ln.Artifact.filter(day__lt=dt.date(2024, 2, 1))) == ["t/0.parquet"]


def test_filter_in_and_isnull(many):
    ln, _ = many
    assert _keys(ln.Artifact.filter(temperature__in=[20, 25])) == ["t/0.parquet", "t/2.parquet"]
    assert _keys(ln.Artifact.filter(day__isnull=True)) == ["t/1.parquet", "t/3.parquet"]
    assert _keys(ln.Artifact.filter(cell_type__isnull=True)) == ["t/3.parquet"]


def test_filter_strings(many):
    ln, _ = many
    assert _keys(ln.Artifact.filter(donor="beta")) == ["t/1.parquet"]
    assert _keys(ln.Artifact.filter(donor__startswith="al")) == ["t/0.parquet"]
    assert _keys(ln.Artifact.filter(donor__endswith="ta")) == ["t/1.parquet"]
    assert _keys(ln.Artifact.filter(donor__icontains="LP")) == ["t/0.parquet"]


def test_filter_categorical(many):
    ln, _ = many
    assert _keys(ln.Artifact.filter(cell_type="T cell")) == ["t/0.parquet", "t/1.parquet"]
    assert _keys(ln.Artifact.filter(cell_type=ln.ULabel.get(name="NK cell"))) == ["t/2.parquet"]
    assert _keys(ln.Artifact.filter(cell_type__in=["B cell", "NK cell"])) == [
        "t/1.parquet",
        "t/2.parquet",
    ]
    assert _keys(ln.Artifact.filter(cell_type__name__startswith="NK")) == ["t/2.parquet"]
    assert _keys(ln.Artifact.filter(ulabels__name="B cell")) == ["t/1.parquet"]


def test_filter_several_at_once(many):
    ln, _ = many
    assert _keys(ln.Artifact.filter(cell_type="T cell", temperature__gt=20)) == ["t/1.parquet"]
    assert _keys(ln.Artifact.filter(ln.Q(temperature=20) | ln.Q(cell_type="NK cell"))) == [
        "t/0.parquet",
        "t/2.parquet",
    ]
    assert _keys(ln.Artifact.exclude(cell_type="T cell")) == ["t/2.parquet", "t/3.parquet"]


def test_filter_unknown_key_message(many):
    ln, _ = many
    with pytest.raises(InvalidArgument, match=re.escape("Artifact has no field or feature 'nope'")):
        ln.Artifact.filter(nope=1)
    with pytest.raises(InvalidArgument, match="ln.Feature\\(name='nope', dtype=...\\).save\\(\\)"):
        ln.Artifact.filter(nope=1)


def test_filter_wrong_value_type(many):
    ln, _ = many
    with pytest.raises(ValidationError, match="for feature 'temperature'"):
        ln.Artifact.filter(temperature="warm")


def test_to_dataframe_feature_columns(many):
    ln, _ = many
    df = ln.Artifact.to_dataframe(include="features", order_by="key")
    assert list(df["key"]) == ["t/0.parquet", "t/1.parquet", "t/2.parquet", "t/3.parquet"]
    assert df["temperature"].tolist()[:3] == [20.0, 21.5, 25.0]
    assert df["cell_type"].tolist() == ["T cell", ["B cell", "T cell"], "NK cell", None]
    assert df["day"].tolist()[0] == dt.date(2024, 1, 1)
    assert df["donor"].tolist() == ["alpha", "beta", None, None]


def test_to_dataframe_selected_features(many):
    ln, _ = many
    df = ln.Artifact.filter(cell_type="T cell").to_dataframe(
        features=["donor", "temperature"], order_by="key"
    )
    assert [c for c in df.columns if c in ("donor", "temperature", "cell_type", "day")] == [
        "donor",
        "temperature",
    ]
    assert df["donor"].tolist() == ["alpha", "beta"]


def test_feature_columns_do_not_query_per_row(annotated):
    ln = annotated
    arts = [_artifact(ln, i) for i in range(30)]
    for a in arts:
        a.features.add_values({"temperature": 1.0, "cell_type": "T cell"})
    with count_queries() as queries:
        df = ln.Artifact.to_dataframe(include="features", limit=None)
    assert len(df) == 30 and set(df["cell_type"]) == {"T cell"}
    # frame, categorical dtypes, JSON links + values, label links + names, feature names
    assert len(queries) <= 7, queries


def test_add_values_restricted_to_schema(annotated):
    ln = annotated
    schema = ln.Schema(
        name="only temperature", features=[ln.Feature.get(name="temperature")]
    ).save()
    a = _artifact(ln)
    with pytest.raises(
        ValidationError, match="Feature\\(s\\) 'donor' are not in schema 'only temperature'"
    ):
        a.features.add_values({"temperature": 1.0, "donor": "x"}, schema=schema)
    a.features.add_values({"temperature": 1.0}, schema=schema)
    assert a.features.get_values() == {"temperature": 1.0}


def test_typed_ulabel_feature(ln):
    perturbations = ln.ULabel(name="Perturbation", is_type=True).save()
    ln.ULabel(name="IFNG", type=perturbations).save()
    ln.ULabel(name="other").save()
    ln.Feature(name="perturbation", dtype="cat[ULabel[Perturbation]]").save()
    a = _artifact(ln)
    with pytest.raises(ValidationError, match="1 term not validated in 'perturbation': 'other'"):
        a.features.add_values({"perturbation": "other"})
    a.features.add_values({"perturbation": "IFNG"})
    assert ln.Artifact.filter(perturbation="IFNG").one() == a


def test_filter_sees_features_created_and_deleted_just_now(ln):
    _artifact(ln)
    with pytest.raises(InvalidArgument, match="no field or feature 'fresh'"):
        ln.Artifact.filter(fresh=1.0)
    f = ln.Feature(name="fresh", dtype=float).save()
    assert ln.Artifact.filter(fresh=1.0).count() == 0
    f.delete()
    with pytest.raises(InvalidArgument, match="no field or feature 'fresh'"):
        ln.Artifact.filter(fresh=1.0)


def test_filter_compiles_with_few_queries(many):
    ln, _ = many
    with count_queries() as queries:
        keys = ln.Artifact.filter(cell_type="T cell", temperature__gt=20).to_list("key")
    assert keys == ["t/1.parquet"]
    assert len(queries) <= 3, queries  # two feature lookups, one query


def test_record_add_values_refuses_to_one_features(annotated):
    ln = annotated
    r = ln.Record(name="S1").save()
    with pytest.raises(ln.errors.ValidationError, match="set_values"):
        r.features.add_values({"temperature": 3.0})
    assert r.features.get_values() == {}


def test_record_add_values_takes_to_many_features(annotated):
    ln = annotated
    ln.Feature(name="scores", dtype=list[float]).save()
    r = ln.Record(name="S1").save()
    r.features.add_values({"scores": [1.0, 2.0]})
    assert r.features.get_values() == {"scores": [1.0, 2.0]}


def test_update_values_replaces_only_the_given_features(annotated):
    ln = annotated
    r = ln.Record(name="S1").save()
    r.features.set_values({"temperature": 3.0, "donor": "D"})
    r.features.update_values({"temperature": 4.0})
    assert r.features.get_values() == {"temperature": 4.0, "donor": "D"}


def test_record_features_on_construction_are_set(annotated):
    ln = annotated
    r = ln.Record(name="S1", features={"temperature": 3.0}).save()
    assert r.features.get_values() == {"temperature": 3.0}


def test_describe_shows_features_without_loading_the_curation_layer(tmp_path):
    script = """
import sys
import lamin_lab as ln
ln.setup.init(storage=sys.argv[1])
ln.Feature(name="temperature", dtype=float).save()
path = ln.settings.storage.root / "x.txt"
open(path, "w").write("x")
artifact = ln.Artifact(str(path), key="x.txt").save()
artifact.features.add_values({"temperature": 21.5})
text = artifact.describe(return_str=True)
html = artifact._repr_html_()
assert "lamin_lab.curation" not in sys.modules, "describe loaded the curation layer"
assert "temperature" in html
print(text)
"""
    env = {**os.environ, "LAMIN_LAB_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert re.search(r"temperature\s+float\s+21\.5", out.stdout), out.stdout

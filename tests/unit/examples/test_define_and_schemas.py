"""mini_immuno.define_features_labels() and ln.examples.schemas, in a fresh instance."""

import pytest


def test_define_features_labels_makes_perturbation_labels(ln):
    ln.examples.datasets.mini_immuno.define_features_labels()
    assert sorted(ln.Record.filter(type__name="Perturbations").to_list("name")) == ["DMSO", "IFNG"]


def test_define_features_labels_uses_record_types_for_bionty_registries(ln):
    ln.examples.datasets.mini_immuno.define_features_labels()
    assert ln.Feature.get(name="cell_type_by_model").dtype == "cat[Record[CellType]]"
    assert ln.Feature.get(name="assay_oid").dtype == "cat[Record[ExperimentalFactor]]"
    assert ln.Feature.get(name="donor_ethnicity").dtype == "list[cat[Record[Ethnicity]]]"


def test_define_features_labels_covers_dataset1_values(ln):
    ln.examples.datasets.mini_immuno.define_features_labels()
    df = ln.examples.datasets.mini_immuno.get_dataset1()
    cell_types = set(ln.Record.filter(type__name="CellType").to_list("name"))
    assert set(df["cell_type_by_expert"]) | set(df["cell_type_by_model"]) <= cell_types
    assert set(df["assay_oid"]) <= set(
        ln.Record.filter(type__name="ExperimentalFactor").to_list("name")
    )


def test_define_features_labels_sets_nullable_and_coerce(ln):
    ln.examples.datasets.mini_immuno.define_features_labels()
    assert ln.Feature.get(name="treatment_time_h").coerce is True
    assert ln.Feature.get(name="treatment_time_h").dtype == "num"
    assert ln.Feature.get(name="donor").nullable is True


def test_define_features_labels_twice_creates_nothing_new(ln):
    ln.examples.datasets.mini_immuno.define_features_labels()
    counts = (ln.Record.filter().count(), ln.Feature.filter().count())
    ln.examples.datasets.mini_immuno.define_features_labels()
    assert (ln.Record.filter().count(), ln.Feature.filter().count()) == counts == (13, 9)


def test_valid_features_warns_deprecated_and_returns_one_schema(ln):
    with pytest.warns(DeprecationWarning, match="feature type"):
        first = ln.examples.schemas.valid_features()
    with pytest.warns(DeprecationWarning):
        second = ln.examples.schemas.valid_features()
    assert first == second
    assert ln.Schema.filter(name="valid_features").count() == 1


def test_valid_features_schema_accepts_any_registered_feature(ln):
    with pytest.warns(DeprecationWarning):
        schema = ln.examples.schemas.valid_features()
    assert (schema.itype, schema.n_members) == ("Feature", -1)


def test_anndata_gene_schema_says_bionty_is_needed_and_creates_nothing(ln):
    with pytest.raises(ln.errors.MissingDependency, match="bionty"):
        ln.examples.schemas.anndata_ensembl_gene_ids_and_valid_features_in_obs()
    assert ln.Schema.filter().count() == 0


def test_schema_flexible_is_the_mini_immuno_schema_of_its_feature_type(ln):
    schema = ln.examples.datasets.mini_immuno.define_mini_immuno_schema_flexible()
    samples = ln.Feature.get(name="ImmunoSamples", is_type=True)
    assert (schema.name, schema.n_members, schema.flexible) == ("mini_immuno", 3, True)
    assert schema.itype == f"Feature[{samples.uid}]"


def test_schema_flexible_validates_the_other_immuno_features_of_dataset1(ln):
    schema = ln.examples.datasets.mini_immuno.define_mini_immuno_schema_flexible()
    curator = ln.curators.DataFrameCurator(ln.examples.datasets.mini_immuno.get_dataset1(), schema)
    curator.validate()
    assert {"concentration", "donor", "treatment_time_h"} <= {f.name for f in curator.features}

"""Registries, link tables and their fields as in LaminDB's reference (``lamindb.models``)."""

from __future__ import annotations

import pytest

import lamin_lab as ln
from lamin_lab import models

# Link tables: the fields the reference lists in each class signature.
LINKS = {
    "ArtifactArtifact": "created_at created_by run artifact value feature",
    "ArtifactJsonValue": "created_at created_by run artifact jsonvalue",
    "ArtifactProject": "created_at created_by run artifact project feature",
    "ArtifactRecord": "created_at created_by run artifact record feature",
    "ArtifactReference": "created_at created_by run artifact reference feature",
    "ArtifactRun": "created_at created_by artifact run feature",
    "ArtifactSchema": "created_at created_by run artifact schema slot feature_ref_is_semantic",
    "ArtifactULabel": "created_at created_by run artifact ulabel feature",
    "ArtifactUser": "created_at created_by run artifact user feature",
    "CollectionArtifact": "created_at created_by run collection artifact",
    "CollectionULabel": "created_at created_by run collection ulabel feature",
    "CollectionRecord": "created_at created_by run collection record feature",
    "RunULabel": "run ulabel created_at created_by",
    "RunRecord": "run record feature created_at created_by",
    "TransformTransform": "successor predecessor config created_at created_by",
    "TransformULabel": "created_at created_by run transform ulabel",
    "ULabelProject": "created_at created_by run ulabel project",
    "SchemaFeature": "schema feature",
    "SchemaComponent": "created_at created_by run composite component slot",
    "ProjectRecord": "created_at created_by run project feature record",
    "RecordULabel": "record feature value",
    "RecordRecord": "record feature value",
    "RecordArtifact": "record feature value",
}

REGISTRIES = {
    "ULabel": "uid name description synonyms abbr reference reference_type is_type type created_at created_by run "
    "updated_at branch_id space_id",
    "Record": "uid name description is_type type schema created_at created_by run branch_id",
    "Feature": "uid name dtype unit description array_rank array_size array_shape synonyms default_value nullable "
    "coerce is_type type created_at created_by run",
    "Schema": "uid name description n itype otype dtype hash minimal_set ordered_set maximal_set is_type type",
    "Project": "uid name description abbr url start_date end_date is_type type",
    "Reference": "uid name description abbr url pubmed_id doi text date",
    "Transform": "uid key description kind source_code hash reference reference_type version_tag is_latest "
    "created_at created_by",
    "Run": "uid name transform entrypoint started_at finished_at params report environment cli_args "
    "initiated_by_run created_at created_by",
    "Storage": "uid root description type region instance_uid",
    "User": "uid handle name",
    "Artifact": "uid key description storage suffix kind otype size hash n_files n_observations schema run "
    "version_tag is_latest created_by",
    "Collection": "uid key description hash reference reference_type meta_artifact run version_tag is_latest",
}


def _names(model) -> set[str]:
    names = set(model._meta.fields)
    names |= {
        n
        for n in dir(model)
        if not n.startswith("_") and isinstance(getattr(model, n, None), property)
    }
    return names


@pytest.mark.parametrize("name", sorted(LINKS))
def test_link_table_fields(name):
    model = getattr(models, name)
    assert set(LINKS[name].split()) <= _names(model)


@pytest.mark.parametrize("name", sorted(REGISTRIES))
def test_registry_fields(name):
    assert set(REGISTRIES[name].split()) <= _names(getattr(ln, name))


@pytest.mark.parametrize(
    ("registry", "relation"),
    [
        ("Artifact", "ulabels"),
        ("Artifact", "input_of_runs"),
        ("Run", "input_artifacts"),
        ("Run", "output_artifacts"),
        ("ULabel", "parents"),
        ("ULabel", "children"),
        ("Record", "parents"),
        ("Schema", "features"),
        ("Transform", "runs"),
        ("Collection", "artifacts"),
        ("Artifact", "collections"),
        ("Feature", "schemas"),
    ],
)
def test_relations_exist(registry, relation):
    from lamin_lab.orm import relations

    assert relation in relations(getattr(ln, registry))


def test_mixins_are_where_the_reference_has_them():
    assert issubclass(ln.Transform, models.IsVersioned) and issubclass(
        ln.Artifact, models.IsVersioned
    )
    assert issubclass(ln.ULabel, models.HasType) and issubclass(ln.Record, models.HasType)
    assert issubclass(ln.ULabel, models.HasParents) and issubclass(ln.Record, models.HasParents)
    assert issubclass(ln.ULabel, models.CanCurate) and issubclass(ln.Feature, models.CanCurate)
    assert issubclass(ln.ULabel, models.TracksRun) and issubclass(ln.ULabel, models.TracksUpdates)

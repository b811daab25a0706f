"""Two "mini immuno" datasets: three samples, three genes, sample metadata.

The shapes, columns and values are those LaminDB documents for
``ln.examples.datasets.mini_immuno``; the tables are built here (pandas and
anndata are imported when a dataset is asked for, not on ``import lamin_lab``).

Examples
--------
>>> from lamin_lab.examples.datasets import mini_immuno
>>> df = mini_immuno.get_dataset1()
>>> df.attrs["experiment"]
'Experiment 1'
>>> mini_immuno.get_dataset1(otype="AnnData").shape
(3, 3)

``define_features_labels()`` registers the features and labels that validate them; where
LaminDB uses bionty registries (``CellType``, ``ExperimentalFactor``, ``Ethnicity``) it makes
Record types of those names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...errors import InvalidArgument
from ...models import Feature, Record, Schema
from ...orm.database import atomic

_OTYPES = ("DataFrame", "AnnData")


def _check_otype(otype: str) -> None:
    if otype not in _OTYPES:
        raise InvalidArgument(
            f"otype={otype!r} is not supported: pass otype='DataFrame' or otype='AnnData'."
        )


def _finish(df: Any, metadata: dict, otype: str, drop: tuple = ()) -> Any:
    """Return ``df`` with ``metadata`` in ``attrs``, or an AnnData (genes → X, the rest → obs, metadata → uns)."""
    if otype == "DataFrame":
        df.attrs.update(metadata)
        return df
    import anndata as ad

    df = df.drop(columns=list(drop))
    return ad.AnnData(df.iloc[:, :3], obs=df.iloc[:, 3:], uns=metadata)


def get_dataset1(
    otype: str = "DataFrame",
    gene_symbols_in_index: bool = False,
    with_typo: bool = False,
    with_cell_type_synonym: bool = False,
    with_cell_type_typo: bool = False,
    with_gene_typo: bool = False,
    with_outdated_gene: bool = False,
    with_wrong_subtype: bool = False,
    with_index_type_mismatch: bool = False,
    with_date_as_iso_string: bool = True,
) -> Any:
    """The first mini immuno dataset: expression of three genes and metadata for samples 1-3.

    Parameters
    ----------
    otype
        ``"DataFrame"`` (metadata in ``df.attrs``) or ``"AnnData"`` (genes in ``X``, metadata in ``uns``;
        the list-valued ``donor_ethnicity`` column is left out).
    gene_symbols_in_index
        Name the genes by symbol (``CD8A``, ``CD4``, ``CD14``) instead of Ensembl id.
    with_typo, with_cell_type_synonym, with_cell_type_typo, with_gene_typo, with_outdated_gene, \
    with_wrong_subtype, with_index_type_mismatch
        Introduce one kind of invalid value, to try validation on.
    with_date_as_iso_string
        ``date_of_study`` as ``"2024-12-01"`` (default) or as a ``datetime.date``.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import mini_immuno
    >>> mini_immuno.get_dataset1().columns[:3].tolist()
    ['ENSG00000153563', 'ENSG00000010610', 'ENSG00000170458']
    """
    _check_otype(otype)
    import pandas as pd

    if gene_symbols_in_index:
        genes = ["CD8A", "CD4", "GeneTypo" if with_gene_typo else "CD14"]
    else:
        third = "ENSG00000170458"
        if with_gene_typo:
            third = "ENSG00000278198" if with_outdated_gene else "GeneTypo"
        genes = ["ENSG00000153563", "ENSG00000010610", third]
    t_cell = (
        "CD8-pos alpha-beta T cell" if with_cell_type_typo else "CD8-positive, alpha-beta T cell"
    )
    columns = {
        genes[0]: [1, 2, 3],
        genes[1]: [3, 4, 5],
        genes[2]: [5, 6, 7],
        "perturbation": pd.Categorical(
            [
                "DMSO",
                "IFNJ" if with_typo else "IFNG",
                "ulabel_but_not_perturbation" if with_wrong_subtype else "DMSO",
            ]
        ),
        "sample_note": ["was ok", "looks naah", "pretty! 🤩"],
        "cell_type_by_expert": pd.Categorical(
            ["B-cell" if with_cell_type_synonym else "B cell", t_cell, t_cell]
        ),
        "cell_type_by_model": pd.Categorical(["B cell", "T cell", "T cell"]),
        "assay_oid": pd.Categorical(["EFO:0008913"] * 3),
        "concentration": ["0.1%", "200 nM", "0.1%"],
        "treatment_time_h": [24, 24, 6],
        "donor": ["D0001", "D0002", None],
        "donor_ethnicity": [
            ["Chinese", "Singaporean Chinese"],
            ["Chinese", "Han Chinese"],
            ["Chinese"],
        ],
    }
    index = (
        ["sample1", "sample2", 0] if with_index_type_mismatch else ["sample1", "sample2", "sample3"]
    )
    metadata = {
        "temperature": 21.6,
        "experiment": "Experiment 1",
        "date_of_study": "2024-12-01" if with_date_as_iso_string else date(2024, 12, 1),
        "study_note": "We had a great time performing this study and the results look compelling.",
    }
    return _finish(pd.DataFrame(columns, index=index), metadata, otype, drop=("donor_ethnicity",))


def get_dataset2(
    otype: str = "DataFrame",
    gene_symbols_in_index: bool = False,
    with_date_as_iso_string: bool = True,
) -> Any:
    """The second mini immuno dataset: the same kind of measurements for samples 4-6.

    Parameters
    ----------
    otype
        ``"DataFrame"`` (metadata in ``df.attrs``) or ``"AnnData"`` (genes in ``X``, metadata in ``uns``).
    gene_symbols_in_index
        Name the genes by symbol (``CD8A``, ``CD4``, ``CD38``) instead of Ensembl id.
    with_date_as_iso_string
        ``date_of_study`` as ``"2025-02-13"`` (default) or as a ``datetime.date``.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import mini_immuno
    >>> mini_immuno.get_dataset2()["donor"].tolist()
    ['D0003', 'D0003', 'D0004']
    """
    _check_otype(otype)
    import pandas as pd

    genes = (
        ["CD8A", "CD4", "CD38"]
        if gene_symbols_in_index
        else ["ENSG00000153563", "ENSG00000010610", "ENSG00000004468"]
    )
    columns = {
        genes[0]: [2, 3, 3],
        genes[1]: [3, 4, 5],
        genes[2]: [4, 2, 3],
        "perturbation": pd.Categorical(["DMSO", "IFNG", "IFNG"]),
        "cell_type_by_model": pd.Categorical(["B cell", "T cell", "T cell"]),
        "concentration": ["0.1%", "200 nM", "0.1%"],
        "treatment_time_h": [24, 24, 6],
        "donor": ["D0003", "D0003", "D0004"],
    }
    metadata = {
        "temperature": 22.6,
        "experiment": "Experiment 2",
        "date_of_study": "2025-02-13" if with_date_as_iso_string else date(2025, 2, 13),
    }
    return _finish(pd.DataFrame(columns, index=["sample4", "sample5", "sample6"]), metadata, otype)


# Labels LaminDB takes from bionty's public ontologies; here they are records of a Record type of
# the same name as the bionty registry.
_ONTOLOGY_LABELS = {
    "CellType": ("B cell", "T cell", "CD8-positive, alpha-beta T cell"),
    "ExperimentalFactor": ("EFO:0008913",),
    "Ethnicity": ("Chinese", "Singaporean Chinese", "Han Chinese"),
}


def _record_type(name: str, values: tuple[str, ...]) -> Any:
    record_type = (
        Record.filter(name=name, is_type=True).one_or_none()
        or Record(name=name, is_type=True).save()
    )
    existing = set(Record.filter(type=record_type, name__in=list(values)).to_list("name"))
    for value in values:
        if value not in existing:
            Record(name=value, type=record_type).save()
    return record_type


def _feature(name: str, dtype: Any, feature_type: Any, **kwargs: Any) -> None:
    if not Feature.filter(name=name, type=feature_type).exists():
        Feature(name=name, dtype=dtype, type=feature_type, **kwargs).save()


def define_features_labels() -> None:
    """Register the features and labels that validate the mini immuno datasets.

    Creates the Record type ``Perturbations`` (``DMSO``, ``IFNG``) and the Feature type
    ``ImmunoSamples`` with the features ``perturbation``, ``cell_type_by_expert``,
    ``cell_type_by_model``, ``concentration``, ``donor`` (nullable), ``assay_oid``,
    ``treatment_time_h`` (``"num"``, coerced) and ``donor_ethnicity`` (a list).

    LaminDB types the cell-type, assay and ethnicity features with bionty registries, whose
    labels come from public ontologies (a download). lamin_lab has no bionty: it makes Record
    types named ``CellType``, ``ExperimentalFactor`` and ``Ethnicity`` instead, holding the
    values the two datasets use (``B cell``, ``T cell``, ``EFO:0008913``, ``Chinese``, …).
    Calling it again creates nothing new; it runs in one transaction.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import mini_immuno
    >>> mini_immuno.define_features_labels()
    >>> ln.Feature.get(name="perturbation").dtype
    'cat[Record[Perturbations]]'
    >>> sorted(ln.Record.filter(type__name="CellType").to_list("name"))
    ['B cell', 'CD8-positive, alpha-beta T cell', 'T cell']
    """
    with atomic():
        perturbations = _record_type("Perturbations", ("DMSO", "IFNG"))
        types = {name: _record_type(name, values) for name, values in _ONTOLOGY_LABELS.items()}
        samples = Feature.filter(name="ImmunoSamples", is_type=True).one_or_none()
        samples = samples or Feature(name="ImmunoSamples", is_type=True).save()
        _feature("perturbation", perturbations, samples)
        _feature("cell_type_by_expert", types["CellType"], samples)
        _feature("cell_type_by_model", types["CellType"], samples)
        _feature("concentration", str, samples)
        _feature("donor", str, samples, nullable=True)
        _feature("assay_oid", types["ExperimentalFactor"], samples)
        _feature("treatment_time_h", "num", samples, coerce=True)
        ethnicity = types["Ethnicity"]
        _feature("donor_ethnicity", list[ethnicity], samples)


def define_mini_immuno_schema_flexible() -> Schema:
    """The flexible schema ``mini_immuno``: three required features, any other ``ImmunoSamples`` feature allowed.

    Calls :func:`define_features_labels`, then saves a schema requiring ``perturbation``,
    ``cell_type_by_model`` and ``assay_oid`` whose ``itype`` is the Feature type ``ImmunoSamples``:
    validation also checks and annotates any other column that is an ``ImmunoSamples`` feature.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import mini_immuno
    >>> schema = mini_immuno.define_mini_immuno_schema_flexible()  # doctest: +SKIP
    >>> schema.name  # doctest: +SKIP
    'mini_immuno'
    """
    with atomic():
        define_features_labels()
        required = [
            Feature.get(name=name) for name in ("perturbation", "cell_type_by_model", "assay_oid")
        ]
        samples = Feature.get(name="ImmunoSamples", is_type=True)
        existing = Schema.filter(name="mini_immuno").one_or_none()
        return (
            existing
            or Schema(name="mini_immuno", features=required, itype=samples, flexible=True).save()
        )


__all__ = [
    "define_features_labels",
    "define_mini_immuno_schema_flexible",
    "get_dataset1",
    "get_dataset2",
]

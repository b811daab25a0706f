"""``AnnDataCurator``: validate an AnnData against a composite schema, one curator per slot.

Slots: ``"obs"`` and ``"var"`` validate those DataFrames' columns; ``"var.T"`` (or
``"var_index"``) validates the variable names against the slot schema's ``itype``
(``"Feature"`` → feature names, ``"ULabel.name"`` → label names ...).

Examples
--------
>>> schema = ln.Schema(otype="AnnData", slots={"obs": obs_schema, "var.T": var_schema}).save()  # doctest: +SKIP
>>> curator = ln.curators.AnnDataCurator(adata, schema)  # doctest: +SKIP
>>> curator.validate()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument, ValidationError
from ..models.feature import CatTarget
from ..orm.relations import REGISTRY
from .categorical import CatColumn, CatManager
from .dataframe import DataFrameCurator, _check_schema
from .save import save_validated

_INDEX_SLOTS = ("var.T", "var_index")


def itype_target(itype: str | None) -> CatTarget:
    """The registry field an index validates against: ``"ULabel.name"`` → ULabel names.

    Examples
    --------
    >>> itype_target("Feature")
    CatTarget(registry='Feature', type_name=None, field='name')
    """
    if not itype or itype == "Feature":
        return CatTarget("Feature", None, "name")
    registry, _, field = itype.partition(".")
    if registry not in REGISTRY:
        raise InvalidArgument(
            f"Unknown itype {itype!r}: use 'Feature' or '<Registry>.<field>' like 'ULabel.name'."
        )
    return CatTarget(registry, None, field or REGISTRY[registry]._name_field)


class IndexCurator:
    """Validate the variable names of an AnnData (``var.index``) against a registry.

    Examples
    --------
    >>> IndexCurator(adata, var_schema, "var.T").validate()  # doctest: +SKIP
    """

    def __init__(self, adata: Any, schema: Any, slot: str):
        self._adata = adata
        self._schema = schema
        self._slot = slot
        self._cat = CatManager(self)
        self._cat._set_columns({slot: CatColumn(slot, itype_target(schema.itype))})
        self._is_validated = False

    @property
    def schema(self) -> Any:
        """The slot's schema."""
        return self._schema

    @property
    def cat(self) -> CatManager:
        """The index as one categorical key (named like the slot)."""
        return self._cat

    def _prepare(self) -> None:
        """Nothing to read: the key is the index."""

    def _values_of(self, key: str) -> Any:
        import pandas as pd

        return pd.Series(self._adata.var.index, dtype=object)

    def _replace_values(self, key: str, mapping: dict[str, str]) -> None:
        self._adata.var.index = [mapping.get(v, v) for v in self._adata.var.index]

    def _errors(self) -> list[str]:
        return (
            [] if self._cat._revalidate(self._slot) else [self._cat._columns[self._slot].message()]
        )

    def validate(self) -> None:
        """Raise ``ValidationError`` when variable names match no record.

        Examples
        --------
        >>> IndexCurator(adata, var_schema, "var.T").validate()  # doctest: +SKIP
        """
        errors = self._errors()
        self._is_validated = not errors
        if errors:
            raise ValidationError("\n".join(errors))

    def _annotations(self) -> list[tuple[Any, Any, list[int]]]:
        return []  # variables are described by the slot schema, not linked as labels


class AnnDataCurator:
    """Validate an AnnData's ``obs``, ``var`` and variable names against a composite schema.

    Examples
    --------
    >>> curator = ln.curators.AnnDataCurator(adata, schema)  # doctest: +SKIP
    >>> curator.validate()  # doctest: +SKIP
    >>> artifact = curator.save_artifact(key="examples/pbmc.h5ad")  # doctest: +SKIP
    """

    def __init__(self, dataset: Any, schema: Any):
        if type(dataset).__name__ != "AnnData":
            raise InvalidArgument(
                f"AnnDataCurator takes an AnnData object, not {type(dataset).__name__}."
            )
        _check_schema(schema)
        components = schema.slots
        if not components:
            raise InvalidArgument(
                "AnnDataCurator needs a composite schema: ln.Schema(otype='AnnData', "
                "slots={'obs': obs_schema, 'var.T': var_schema}).save()."
            )
        self._dataset = dataset
        self._schema = schema
        self._slots: dict[str, Any] = {}
        for slot, component in components.items():
            if slot == "obs":
                self._slots[slot] = DataFrameCurator(dataset.obs, component, slot="obs")
            elif slot == "var":
                self._slots[slot] = DataFrameCurator(dataset.var, component, slot="var")
            elif slot in _INDEX_SLOTS:
                self._slots[slot] = IndexCurator(dataset, component, slot)
            else:
                raise InvalidArgument(
                    f"Unknown AnnData slot {slot!r}: use 'obs', 'var' or 'var.T'."
                )
        self._is_validated = False

    @property
    def dataset(self) -> Any:
        """The AnnData being curated."""
        return self._dataset

    @property
    def schema(self) -> Any:
        """The composite schema."""
        return self._schema

    @property
    def slots(self) -> dict[str, Any]:
        """One curator per slot (``curator.slots["obs"].cat`` ...)."""
        return dict(self._slots)

    @property
    def cat(self) -> CatManager:
        """The categorical columns of ``obs`` (of the first slot when there is no ``obs``)."""
        first = self._slots.get("obs") or next(iter(self._slots.values()))
        return first.cat

    def validate(self) -> None:
        """Validate every slot; raise one ``ValidationError`` listing every problem.

        Examples
        --------
        >>> curator.validate()  # doctest: +SKIP
        """
        errors = []
        for curator in self._slots.values():
            found = curator._errors()
            curator._is_validated = not found
            errors.extend(found)
        self._is_validated = not errors
        if errors:
            raise ValidationError("\n".join(errors))

    def standardize(self) -> None:
        """Replace synonyms by standard names in every categorical key of every slot.

        Examples
        --------
        >>> curator.standardize()  # doctest: +SKIP
        """
        for curator in self._slots.values():
            curator.cat.standardize("all")

    def save_artifact(
        self,
        key: str | None = None,
        description: str | None = None,
        revises: Any = None,
        run: Any = None,
    ) -> Any:
        """Validate if needed, then save the AnnData as an artifact linked to its schemas and labels.

        Examples
        --------
        >>> artifact = curator.save_artifact(key="examples/pbmc.h5ad")  # doctest: +SKIP
        """
        return save_validated(
            self, "from_anndata", key=key, description=description, revises=revises, run=run
        )

    def __repr__(self) -> str:
        return f"<AnnDataCurator slots={list(self._slots)} validated={self._is_validated}>"

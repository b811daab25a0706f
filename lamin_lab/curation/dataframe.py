"""``DataFrameCurator``: validate a pandas DataFrame against a schema, fix it, save it.

Examples
--------
>>> curator = ln.curators.DataFrameCurator(df, schema)  # doctest: +SKIP
>>> curator.validate()  # doctest: +SKIP
ValidationError: 1 term not validated in 'perturbation': 'IFNJ' (did you mean 'IFNG'?)
>>> curator.cat.add_new_from("perturbation"); curator.validate()  # doctest: +SKIP
>>> artifact = curator.save_artifact(key="examples/perturbations.parquet")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument, ValidationError
from ..models.feature import parse_cat
from ..orm.relations import REGISTRY
from .categorical import CatColumn, CatManager
from .columns import check_columns, check_dtype
from .save import save_validated


def flexible_features(df: Any, schema: Any, members: list[Any]) -> list[Any]:
    """The features a flexible schema adds: other columns named as features of its ``itype``.

    ``itype="Feature[<uid>]"`` takes the features of that feature type and its sub-types only.

    Examples
    --------
    >>> flexible_features(df, ln.Schema(itype=ln.Feature).save(), [])  # doctest: +SKIP
    """
    taken = {f.name for f in members}
    columns = [str(c) for c in df.columns if str(c) not in taken]
    if not columns:
        return []
    Feature = REGISTRY["Feature"]
    query = Feature.filter(name__in=columns, is_type=False)
    itype = schema.itype or ""
    if itype.startswith("Feature[") and itype.endswith("]"):
        root = Feature.filter(uid=itype[len("Feature[") : -1], is_type=True).one_or_none()
        if root is None:
            raise InvalidArgument(
                f"The feature type {itype} of schema {schema.name!r} does not exist: restore it or "
                "define the schema again."
            )
        query = query.filter(type_id__in=root.subtype_ids())
    return list(query)


def _check_schema(schema: Any) -> None:
    if type(schema).__name__ != "Schema":
        raise InvalidArgument(
            f"A curator takes a Schema, not {type(schema).__name__}: ln.Schema(features=[...]).save()."
        )
    if schema._pk is None:
        raise InvalidArgument("Save the schema before curating with it: schema.save().")


class DataFrameCurator:
    """Validate a DataFrame's columns, dtypes and categorical values against a schema.

    Parameters
    ----------
    dataset
        A pandas DataFrame; standardisation and dtype coercion change it in place.
    schema
        A saved :class:`~lamin_lab.Schema`. A schema without features (``ln.Schema(itype=ln.Feature)``)
        validates the columns that are features and ignores the others.

    Examples
    --------
    >>> curator = ln.curators.DataFrameCurator(df, schema)  # doctest: +SKIP
    >>> curator.validate()  # doctest: +SKIP
    """

    def __init__(self, dataset: Any, schema: Any, slot: str | None = None):
        if type(dataset).__name__ != "DataFrame":
            raise InvalidArgument(
                f"DataFrameCurator takes a pandas DataFrame, not {type(dataset).__name__}."
            )
        _check_schema(schema)
        self._dataset = dataset
        self._schema = schema
        self._slot = slot
        self._features: list[Any] | None = None
        self._cat = CatManager(self)
        self._is_validated = False

    @property
    def dataset(self) -> Any:
        """The DataFrame being curated."""
        return self._dataset

    @property
    def schema(self) -> Any:
        """The schema validated against."""
        return self._schema

    @property
    def cat(self) -> CatManager:
        """The categorical columns: ``non_validated``, ``standardize``, ``add_new_from``."""
        self._prepare()
        return self._cat

    @property
    def features(self) -> list[Any]:
        """The features of the columns that are validated."""
        self._prepare()
        return list(self._features or [])

    # ------------------------------------------------------------ internals
    def _prepare(self) -> None:
        """Read the schema's features once (one query) and set up the categorical columns."""
        if self._features is not None:
            return
        schema = self._schema
        index_uid = (schema._aux or {}).get("index")
        members = schema.members
        self._index_feature = next((f for f in members if f.uid == index_uid), None)
        members = [f for f in members if f.uid != index_uid]
        self._fixed = bool(members)  # a schema with features checks presence, extras and order
        self._members = members
        if schema.flexible or (not members and schema.itype in (None, "Feature")):
            members = members + flexible_features(self._dataset, schema, members)
        self._features = members
        cat = {}
        for f in members:
            target = parse_cat(f.dtype)
            if target is not None:
                cat[f.name] = CatColumn(f.name, target, feature=f)
        self._cat._set_columns(cat)

    def _values_of(self, key: str) -> Any:
        return self._dataset[key]

    def _replace_values(self, key: str, mapping: dict[str, str]) -> None:
        import pandas as pd

        series = self._dataset[key]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)

        def in_list(cell: Any) -> Any:
            if isinstance(cell, (list, tuple)):
                return type(cell)(mapping.get(v, v) if isinstance(v, str) else v for v in cell)
            return cell

        self._dataset[key] = (
            series.replace(mapping).map(in_list)
            if series.dtype == object
            else series.replace(mapping)
        )

    def _errors(self) -> list[str]:
        self._prepare()
        df, schema = self._dataset, self._schema
        optional = set((schema._aux or {}).get("optionals", []))
        self._fill_defaults(optional)
        columns = [str(c) for c in df.columns]
        flexible = {f.name for f in self._features}
        errors = (
            check_columns(columns, self._members, optional, schema, flexible) if self._fixed else []
        )
        if self._index_feature is not None:
            errors += self._index_errors()
        for feature in self._features:
            if feature.name in df.columns:
                message = check_dtype(df, feature.name, feature, schema.coerce)
                if message:
                    errors.append(message)
        for key in self._cat.keys:
            if key in df.columns and not self._cat._revalidate(key):
                errors.append(self._cat._columns[key].message())
        return errors

    def _index_errors(self) -> list[str]:
        """The index checked as a column of the index feature's dtype."""
        import pandas as pd

        feature = self._index_feature
        index = self._dataset.index
        if (
            isinstance(index, pd.RangeIndex) and index.name is None
        ):  # pandas' default: no index given
            return [
                f"Index: schema {self._schema.name!r} validates the index with feature "
                f"{feature.name!r}, but the DataFrame has pandas' default index: set it with "
                f"df.set_index({feature.name!r})."
            ]
        frame = index.to_frame(index=False, name=feature.name)
        message = check_dtype(frame, feature.name, feature, self._schema.coerce)
        return [f"Index: {message}"] if message else []

    def _fill_defaults(self, optional: set[str]) -> None:
        """Add missing required columns whose feature has a ``default_value``, filled with it."""
        for feature in self._features:
            default = feature.default_value
            if (
                default is not None
                and feature.name not in self._dataset.columns
                and feature.uid not in optional
            ):
                self._dataset[feature.name] = [default] * len(self._dataset)

    # ------------------------------------------------------------ public API
    def validate(self) -> None:
        """Validate; raise ``ValidationError`` describing every problem and how to fix it.

        Examples
        --------
        >>> curator.validate()  # doctest: +SKIP
        """
        errors = self._errors()
        self._is_validated = not errors
        if errors:
            raise ValidationError("\n".join(errors))

    def standardize(self) -> None:
        """Replace synonyms by standard names in every categorical column.

        Examples
        --------
        >>> curator.standardize()  # doctest: +SKIP
        """
        self._prepare()
        for key in self._cat.keys:
            if key in self._dataset.columns:
                self._cat.standardize(key)

    def _annotations(self) -> list[tuple[Any, Any, list[int]]]:
        """(feature, target, validated record ids) of each categorical column."""
        out = []
        for key, column in self._cat._columns.items():
            if key in self._dataset.columns and column.validated:
                out.append((column.feature, column.target, sorted(set(column.validated.values()))))
        return out

    def save_artifact(
        self,
        key: str | None = None,
        description: str | None = None,
        revises: Any = None,
        run: Any = None,
    ) -> Any:
        """Validate if needed, then save the DataFrame as an artifact linked to the schema, features and labels.

        Examples
        --------
        >>> artifact = curator.save_artifact(key="examples/df.parquet")  # doctest: +SKIP
        """
        return save_validated(
            self, "from_dataframe", key=key, description=description, revises=revises, run=run
        )

    def __repr__(self) -> str:
        return f"<DataFrameCurator schema={self._schema.name!r} validated={self._is_validated}>"

"""Categorical columns: validate unique values against a registry, map synonyms, add new labels.

Only the distinct values of a column are looked at (categorical codes or
``pandas.unique``), and each column costs one query for its exact matches; synonyms
and suggestions are looked up only for columns with values that did not match.

Examples
--------
>>> curator.cat.non_validated  # doctest: +SKIP
{'perturbation': ['IFNJ']}
>>> curator.cat.add_new_from("perturbation")  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidArgument, ValidationError
from ..models.feature import CatTarget
from ..orm.bulk import save as save_records
from ..orm.identity import names_known_new
from .suggest import suggest

logger = logging.getLogger("lamin_lab")


def unique_values(series: Any) -> list[Any]:
    """Distinct non-empty values of a column (categories in use for categoricals; list cells flattened).

    Examples
    --------
    >>> unique_values(pd.Series(["a", "b", "a", None]))  # doctest: +SKIP
    ['a', 'b']
    """
    import numpy as np
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        used = np.unique(codes[codes >= 0])
        return list(series.cat.categories[used])
    values = (series if hasattr(series, "dropna") else pd.Series(series)).dropna()
    if (
        values.dtype == object
        and values.map(lambda v: isinstance(v, (list, tuple, set, np.ndarray))).any()
    ):
        values = (
            values.map(lambda v: list(v) if isinstance(v, (set, np.ndarray)) else v)
            .explode()
            .dropna()
        )
    return [v for v in pd.unique(values) if not (isinstance(v, str) and v == "")]


@dataclass
class CatColumn:
    """The validation state of one categorical key (a column, or an index)."""

    key: str
    target: CatTarget
    feature: Any = None
    values: list[Any] = field(default_factory=list)
    validated: dict[str, int] = field(default_factory=dict)  # value → record id
    non_validated: list[Any] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # non-validated value → standard name

    def _scope(self) -> Any:
        model = self.target.model
        return (
            model.filter(type__name=self.target.type_name)
            if self.target.type_name
            else model.filter()
        )

    def validate(self, values: list[Any]) -> bool:
        """Match the distinct values: one query (chunked for very many values)."""
        model, name = self.target.model, self.target.field_name
        self.values = [str(v) for v in values]
        found: dict[str, int] = {}
        scope = self._scope()
        for start in range(0, len(self.values), 5000):
            chunk = self.values[start : start + 5000]
            found.update(
                scope.filter(**{f"{name}__in": chunk})
                ._select(getattr(model, name), model.id)
                .tuples()
            )
        self.validated = found
        self.non_validated = [v for v in self.values if v not in found]
        self.synonyms = {}
        if self.non_validated and "synonyms" in model._meta.fields:
            table = model._synonym_map(name)
            self.synonyms = {v: table[v.lower()] for v in self.non_validated if v.lower() in table}
        return not self.non_validated

    def message(self) -> str:
        """``N term(s) not validated in 'key': 'a' (did you mean 'b'?)`` plus what to do."""
        model, name = self.target.model, self.target.field_name
        bad = self.non_validated
        hints: dict[str, str] = dict(self.synonyms)
        rest = [v for v in bad if v not in hints]
        if rest:
            known = [str(n) for n in self._scope().to_list(name) if n is not None]
            hints.update({v: s for v, s in suggest(rest, known).items()})
        shown = [f"{v!r} (did you mean {hints[v]!r}?)" if v in hints else repr(v) for v in bad[:20]]
        more = f", … (+{len(bad) - 20} more)" if len(bad) > 20 else ""
        n = len(bad)
        lines = [
            f"{n} term{'s' if n != 1 else ''} not validated in {self.key!r}: {', '.join(shown)}{more}"
        ]
        if self.synonyms:
            one = len(self.synonyms) == 1
            lines.append(
                f"→ {len(self.synonyms)} {'is a synonym' if one else 'are synonyms'}: "
                f"curator.cat.standardize({self.key!r}) replaces "
                f"{'it by its standard name' if one else 'them by their standard names'}"
            )
        where = (
            f"{model.__name__}{'[' + self.target.type_name + ']' if self.target.type_name else ''}"
        )
        lines.append(
            f"→ fix typos, or create the missing {where} records: curator.cat.add_new_from({self.key!r})"
        )
        return "\n".join(lines)


class CatManager:
    """The categorical keys of a curator: ``curator.cat``.

    Examples
    --------
    >>> curator.cat.non_validated  # doctest: +SKIP
    {'perturbation': ['IFNJ']}
    """

    def __init__(self, curator: Any):
        self._curator = curator
        self._columns: dict[str, CatColumn] = {}

    def _set_columns(self, columns: dict[str, CatColumn]) -> None:
        self._columns = columns

    @property
    def keys(self) -> list[str]:
        """The categorical keys (column names)."""
        return list(self._columns)

    @property
    def non_validated(self) -> dict[str, list[Any]]:
        """Values per key that match no record (after the last validation).

        Examples
        --------
        >>> curator.cat.non_validated  # doctest: +SKIP
        {'perturbation': ['IFNJ']}
        """
        return {k: list(c.non_validated) for k, c in self._columns.items() if c.non_validated}

    def _column(self, key: str) -> CatColumn:
        if key not in self._columns:
            self._curator._prepare()
        if key not in self._columns:
            raise InvalidArgument(
                f"{key!r} is not a categorical key of this curator; categorical keys: "
                f"{', '.join(self._columns) or 'none'}."
            )
        return self._columns[key]

    def validate(self) -> bool:
        """Validate every categorical key; True when all values match.

        Examples
        --------
        >>> curator.cat.validate()  # doctest: +SKIP
        False
        """
        self._curator._prepare()
        return all(self._revalidate(key) for key in self._columns)

    def _revalidate(self, key: str) -> bool:
        column = self._column(key)
        return column.validate(unique_values(self._curator._values_of(key)))

    def standardize(self, key: str) -> None:
        """Replace synonyms (and case variants) in the data by the registry's standard names.

        Examples
        --------
        >>> curator.cat.standardize("cell_type")  # doctest: +SKIP
        """
        keys = list(self._columns) if key == "all" else [key]
        for k in keys:
            column = self._column(k)
            if not column.values:
                self._revalidate(k)
            if column.synonyms:
                self._curator._replace_values(k, dict(column.synonyms))
            self._revalidate(k)

    def add_new_from(self, key: str, values: list[Any] | None = None, **kwargs: Any) -> None:
        """Create records for the values of ``key`` that match none (in the key's registry and type).

        ``values`` limits it to some of those values (the Curate panel creates one at a time).

        Examples
        --------
        >>> curator.cat.add_new_from("perturbation")  # doctest: +SKIP
        >>> curator.cat.add_new_from("perturbation", values=["aspirin"])  # doctest: +SKIP
        """
        keys = list(self._columns) if key == "all" else [key]
        for k in keys:
            column = self._column(k)
            self._revalidate(k)
            if not column.non_validated:
                continue
            target = column.target
            model = target.model
            extra = dict(kwargs)
            if target.type_name:
                type_record = model.filter(name=target.type_name, is_type=True).first()
                if type_record is None:
                    raise ValidationError(
                        f"There is no {model.__name__} type {target.type_name!r}: create it with "
                        f"ln.{model.__name__}(name={target.type_name!r}, is_type=True).save()."
                    )
                extra["type"] = type_record
            wanted = [v for v in column.non_validated if values is None or v in values]
            with names_known_new():  # the non-validated values have no record yet
                records = [model(**{target.field_name: v}, **extra) for v in wanted]
            save_records(records)
            logger.info(
                "created %d %s record(s) for %r: %s",
                len(records),
                model.__name__,
                k,
                ", ".join(map(repr, wanted[:10])),
            )
            self._revalidate(k)

    def lookup(self, key: str) -> Any:
        """Auto-complete over the registry values of ``key``.

        Examples
        --------
        >>> curator.cat.lookup("cell_type").t_cell  # doctest: +SKIP
        """
        column = self._column(key)
        return column._scope().lookup(field=column.target.field_name)

    def __repr__(self) -> str:
        return f"<CatManager keys={self.keys} non_validated={self.non_validated}>"

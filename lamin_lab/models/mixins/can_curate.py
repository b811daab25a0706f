"""``CanCurate``: validate values against a registry, map synonyms, create records in bulk.

Every method reads the registry with one query (chunked for very long inputs), never
one query per value.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from ...errors import InvalidArgument, ValidationError
from ...orm import BaseSQLRecord
from ...orm.bulk import SQLRecordList
from ...orm.identity import names_known_new

logger = logging.getLogger("lamin_lab")
_CHUNK = 5000


def _as_list(values: Any) -> list[Any]:
    if isinstance(values, str):
        return [values]
    if hasattr(values, "tolist"):
        return list(values.tolist())
    if isinstance(values, Iterable):
        return list(values)
    raise InvalidArgument(f"Expected a list of values, got {type(values).__name__}.")


def _is_empty(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, float) and v != v)


class InspectResult:
    """What :meth:`CanCurate.inspect` found.

    Examples
    --------
    >>> result = ln.ULabel.inspect(["T cell", "T-cell", "unknown"])  # doctest: +SKIP
    >>> result.validated, result.non_validated, result.synonyms_mapper  # doctest: +SKIP
    (['T cell'], ['T-cell', 'unknown'], {'T-cell': 'T cell'})
    """

    def __init__(
        self,
        values: list[Any],
        validated: list[Any],
        non_validated: list[Any],
        synonyms_mapper: dict[str, str],
    ):
        self._values = values
        self._validated = validated
        self._non_validated = non_validated
        self._synonyms_mapper = synonyms_mapper

    @property
    def validated(self) -> list[Any]:
        """Unique values that match exactly."""
        return self._validated

    @property
    def non_validated(self) -> list[Any]:
        """Unique values that do not match exactly (synonyms included)."""
        return self._non_validated

    @property
    def frac_validated(self) -> float:
        """Fraction of the non-empty input values that validated."""
        ok = set(self._validated)
        values = [v for v in self._values if not _is_empty(v)]
        return sum(v in ok for v in values) / len(values) if values else 1.0

    @property
    def n_empty(self) -> int:
        """Number of empty input values (None, '', NaN)."""
        return sum(_is_empty(v) for v in self._values)

    @property
    def n_unique(self) -> int:
        """Number of distinct non-empty input values."""
        return len({v for v in self._values if not _is_empty(v)})

    @property
    def synonyms_mapper(self) -> dict[str, str]:
        """Non-validated values that are synonyms, mapped to the standard name."""
        return self._synonyms_mapper

    @property
    def df(self) -> Any:
        """A DataFrame indexed by the values with a boolean ``__validated__`` column."""
        import pandas as pd

        ok = set(self._validated)
        return pd.DataFrame({"__validated__": [v in ok for v in self._values]}, index=self._values)

    def __repr__(self) -> str:
        return f"InspectResult(validated={len(self._validated)}, non_validated={self._non_validated[:5]!r})"


class CanCurate(BaseSQLRecord):
    """Validation and standardization against a registry's values.

    ``validate``, ``inspect`` and ``standardize`` work on the whole registry
    (``ln.ULabel.validate(...)``) or on a query (``ln.ULabel.filter(...).validate(...)``),
    which then only counts the records of the query.

    Examples
    --------
    >>> ln.ULabel.validate(["T cell", "x"])  # doctest: +SKIP
    array([ True, False])
    """

    class Meta:
        abstract = True

    @classmethod
    def _curate_field(cls, field: Any) -> str:
        name = getattr(field, "name", field) or cls._name_field
        if name not in cls._meta.fields:
            raise InvalidArgument(f"{cls.__name__} has no field {name!r} to validate against.")
        return name

    @classmethod
    def _source(cls, source: Any) -> Any:
        """The records to curate against: a query of this registry, or all of it."""
        return cls.filter() if source is None else source._clone(values=None)

    @classmethod
    def _existing(
        cls, field: str, values: list[Any], extra: tuple[str, ...] = (), source: Any = None
    ) -> list[tuple[Any, ...]]:
        """Rows (id, field, *extra) whose field is in values: one query per 5,000 values."""
        columns = [cls._meta.primary_key, getattr(cls, field)] + [getattr(cls, e) for e in extra]
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            out.extend(
                cls._source(source).filter(**{f"{field}__in": chunk})._select(*columns).tuples()
            )
        return out

    @classmethod
    def _synonym_map(
        cls, field: str, case_sensitive: bool = False, source: Any = None
    ) -> dict[str, str]:
        """synonym (or differently-cased name) → standard name, from one scan of the registry."""
        if "synonyms" not in cls._meta.fields:
            return {}
        mapping: dict[str, str] = {}
        rows = (
            cls._source(source)
            .filter(synonyms__isnull=False)
            ._select(getattr(cls, field), cls.synonyms)
            .tuples()
        )
        for name, synonyms in rows:
            for syn in (synonyms or "").split("|"):
                syn = syn.strip()
                if syn:
                    mapping.setdefault(syn if case_sensitive else syn.lower(), name)
        return mapping

    @classmethod
    def validate(cls, values: Any, field: Any = None, *, mute: bool = False, **kwargs: Any) -> Any:
        """A boolean array: which values exist exactly in the registry field.

        Examples
        --------
        >>> ln.ULabel.validate(["T cell", "unknown"])  # doctest: +SKIP
        array([ True, False])
        """
        return cls._validate_in(None, values, field, mute=mute)

    @classmethod
    def _validate_in(
        cls, source: Any, values: Any, field: Any = None, *, mute: bool = False, **kwargs: Any
    ) -> Any:
        """:meth:`validate` against the records of ``source`` (a query; None: the registry)."""
        import numpy as np

        name = cls._curate_field(field)
        values = _as_list(values)
        unique = list(dict.fromkeys(v for v in values if not _is_empty(v)))
        found = {row[1] for row in cls._existing(name, unique, source=source)}
        result = np.array([v in found for v in values], dtype=bool)
        if not mute:
            n_bad = int((~result).sum())
            if n_bad:
                logger.info(
                    "%d of %d values are not validated in %s.%s",
                    n_bad,
                    len(values),
                    cls.__name__,
                    name,
                )
        return result

    @classmethod
    def inspect(
        cls, values: Any, field: Any = None, *, mute: bool = False, **kwargs: Any
    ) -> InspectResult:
        """Which values validate, which don't, and which are synonyms of existing records.

        Examples
        --------
        >>> ln.ULabel.inspect(["T cell", "T-cell"]).synonyms_mapper  # doctest: +SKIP
        {'T-cell': 'T cell'}
        """
        return cls._inspect_in(None, values, field, mute=mute)

    @classmethod
    def _inspect_in(
        cls, source: Any, values: Any, field: Any = None, *, mute: bool = False, **kwargs: Any
    ) -> InspectResult:
        """:meth:`inspect` against the records of ``source`` (a query; None: the registry)."""
        name = cls._curate_field(field)
        values = _as_list(values)
        unique = list(dict.fromkeys(v for v in values if not _is_empty(v)))
        found = {row[1] for row in cls._existing(name, unique, source=source)}
        validated = [v for v in unique if v in found]
        non_validated = [v for v in unique if v not in found]
        synonyms = cls._synonym_map(name, source=source)
        mapper = {v: synonyms[str(v).lower()] for v in non_validated if str(v).lower() in synonyms}
        if not mute and non_validated:
            hint = f"; {len(mapper)} are synonyms: standardize() maps them" if mapper else ""
            logger.info(
                "%d value(s) not validated in %s.%s: %s%s",
                len(non_validated),
                cls.__name__,
                name,
                ", ".join(map(repr, non_validated[:10])),
                hint,
            )
        return InspectResult(values, validated, non_validated, mapper)

    @classmethod
    def standardize(
        cls,
        values: Any,
        field: Any = None,
        *,
        return_field: Any = None,
        return_mapper: bool = False,
        case_sensitive: bool = False,
        mute: bool = False,
        keep: Any = "first",
        synonyms_field: str = "synonyms",
        **kwargs: Any,
    ) -> Any:
        """Map synonyms (and case variants) to the registry's standard names.

        Values that match nothing are returned unchanged.

        Examples
        --------
        >>> ln.ULabel.standardize(["T-cell", "T cell", "x"])  # doctest: +SKIP
        ['T cell', 'T cell', 'x']
        """
        return cls._standardize_in(
            None,
            values,
            field,
            return_field=return_field,
            return_mapper=return_mapper,
            case_sensitive=case_sensitive,
            synonyms_field=synonyms_field,
        )

    @classmethod
    def _standardize_in(
        cls,
        source: Any,
        values: Any,
        field: Any = None,
        *,
        return_field: Any = None,
        return_mapper: bool = False,
        case_sensitive: bool = False,
        synonyms_field: str = "synonyms",
        **kwargs: Any,
    ) -> Any:
        """:meth:`standardize` against the records of ``source`` (a query; None: the registry)."""
        name = cls._curate_field(field)
        ret = cls._curate_field(return_field) if return_field is not None else name
        one_string = isinstance(values, str)
        values = _as_list(values)
        rows = list(cls._source(source)._select(getattr(cls, name), getattr(cls, ret)).tuples())
        to_return = {n: r for n, r in rows}
        exact = {n if case_sensitive else str(n).lower(): n for n, _ in rows if n is not None}
        synonyms = (
            cls._synonym_map(name, case_sensitive, source=source)
            if synonyms_field in cls._meta.fields
            else {}
        )
        mapper: dict[Any, Any] = {}
        for v in dict.fromkeys(values):
            if _is_empty(v):
                continue
            key = v if case_sensitive else str(v).lower()
            std = v if v in to_return else exact.get(key) or synonyms.get(key)
            if std is not None and std in to_return and (to_return[std] != v):
                mapper[v] = to_return[std]
        if return_mapper:
            return mapper
        result = [mapper.get(v, v) for v in values]
        return result[0] if one_string and len(result) == 1 else result

    @classmethod
    def from_values(
        cls,
        values: Any,
        field: Any = None,
        create: bool = False,
        *,
        standardize: bool = True,
        mute: bool = False,
        **kwargs: Any,
    ) -> SQLRecordList:
        """Records for the values: existing ones, plus new unsaved ones with ``create=True``.

        Examples
        --------
        >>> ln.ULabel.from_values(["a", "b"], create=True).save()  # doctest: +SKIP
        """
        name = cls._curate_field(field)
        values = [v for v in dict.fromkeys(_as_list(values)) if not _is_empty(v)]
        mapped = (
            cls.standardize(values, field=name, return_mapper=True, mute=True)
            if standardize
            else {}
        )
        wanted = list(dict.fromkeys(mapped.get(v, v) for v in values))
        existing = (
            {getattr(r, name): r for r in cls.filter(**{f"{name}__in": wanted})} if wanted else {}
        )
        out = SQLRecordList(existing[v] for v in wanted if v in existing)
        missing = [v for v in wanted if v not in existing]
        if missing and create:
            with names_known_new():  # just looked up: none of them exists
                out.extend(cls(**{name: v}) for v in missing)
        elif missing and not mute:
            logger.info(
                "%d value(s) have no %s record: %s — pass create=True to create them",
                len(missing),
                cls.__name__,
                ", ".join(map(repr, missing[:10])),
            )
        return out

    # ------------------------------------------------------------ synonyms
    def _synonym_list(self) -> list[str]:
        return [s for s in (self.__data__.get("synonyms") or "").split("|") if s]

    def add_synonym(self, synonym: Any, force: bool = False, save: bool | None = None) -> None:
        """Add one or several synonyms (``|``-joined in ``synonyms``).

        Raises ``ValidationError`` when another record has that synonym, unless ``force``.

        Examples
        --------
        >>> label.add_synonym(["T-cell", "T lymphocyte"])  # doctest: +SKIP
        """
        if "synonyms" not in self._meta.fields:
            raise InvalidArgument(f"{type(self).__name__} has no synonyms field.")
        new = [s.strip() for s in _as_list(synonym)]
        for s in new:
            if "|" in s or not s:
                raise InvalidArgument(f"A synonym may not be empty or contain '|': {s!r}.")
        if not force:
            taken = self._synonym_map(self._name_field)
            clash = [
                s
                for s in new
                if taken.get(s.lower()) not in (None, getattr(self, self._name_field))
            ]
            if clash:
                raise ValidationError(
                    f"Synonym(s) {clash} already belong to other {type(self).__name__} records; "
                    "pass force=True to add anyway."
                )
        merged = list(dict.fromkeys(self._synonym_list() + new))
        self.synonyms = "|".join(merged)
        if save or (save is None and self._pk is not None):
            self.save()

    def remove_synonym(self, synonym: Any) -> None:
        """Remove one or several synonyms.

        Examples
        --------
        >>> label.remove_synonym("T-cell")  # doctest: +SKIP
        """
        drop = set(_as_list(synonym))
        kept = [s for s in self._synonym_list() if s not in drop]
        self.synonyms = "|".join(kept) or None
        if self._pk is not None:
            self.save()

    def set_abbr(self, value: str) -> None:
        """Set the abbreviation and add it to the synonyms.

        Examples
        --------
        >>> label.set_abbr("TC")  # doctest: +SKIP
        """
        if "abbr" not in self._meta.fields:
            raise InvalidArgument(f"{type(self).__name__} has no abbr field.")
        self.abbr = value
        if "synonyms" in self._meta.fields and value not in self._synonym_list():
            self.synonyms = "|".join([value] + self._synonym_list())
        if self._pk is not None:
            self.save()

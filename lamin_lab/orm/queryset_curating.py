"""Curating the records of a QuerySet: ``validate``, ``inspect`` and ``standardize``.

Each asks the registry for its ``_<name>_in`` implementation (registries of names such as
ULabel, Record, Feature or User have one), so a set of any other registry says it cannot be
curated instead of failing on a missing attribute.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument


class CuratingMixin:
    """``validate``/``inspect``/``standardize`` restricted to the records of a set."""

    model: type

    def _curator(self, name: str) -> Any:
        method = getattr(self.model, f"_{name}_in", None)
        if method is None:
            raise InvalidArgument(
                f"{self.model.__name__} records cannot be curated: {name}() needs a registry "
                "of names such as ULabel, Record, Feature or User."
            )
        return method

    def validate(self, values: Any, field: Any = None, **kwargs: Any) -> Any:
        """Which values exist in a field among the records of this set (a boolean array).

        Examples
        --------
        >>> ln.ULabel.filter(type__name="CellType").validate(["T cell", "x"])  # doctest: +SKIP
        array([ True, False])
        """
        return self._curator("validate")(self, values, field, **kwargs)

    def inspect(self, values: Any, field: Any = None, **kwargs: Any) -> Any:
        """Which values validate among the records of this set, which don't, and which are synonyms.

        Examples
        --------
        >>> ln.ULabel.filter(type__name="CellType").inspect(["T cell", "x"]).non_validated  # doctest: +SKIP
        ['x']
        """
        return self._curator("inspect")(self, values, field, **kwargs)

    def standardize(self, values: Any, field: Any = None, **kwargs: Any) -> Any:
        """Map synonyms and case variants to the standard names of the records of this set.

        Examples
        --------
        >>> ln.Feature.filter(type__name="Measurements").standardize(["temp"])  # doctest: +SKIP
        ['temperature']
        """
        return self._curator("standardize")(self, values, field, **kwargs)

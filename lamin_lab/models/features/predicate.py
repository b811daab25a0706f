"""Feature expressions: ``ln.Artifact.filter(temperature > 20, cell_type == t_cell)``.

Comparing a saved :class:`~lamin_lab.models.Feature` with a value gives a
:class:`FeaturePredicate` instead of a bool, as in LaminDB. ``filter()`` and
``exclude()`` take predicates next to ``Q`` objects and keywords: the orm asks the
predicate for its condition on the registry being filtered (``_as_condition``), and
the predicate asks that registry (``_feature_condition``, given by ``HasFeatures``).

Two features still compare as records (``f1 == f2`` is a bool), and so does a feature
with a record that is no value of it; a predicate used as a bool is an error, so that
``if feature == 3:`` cannot silently pass.

Examples
--------
>>> n_cells = ln.Feature.get(name="n_cells")  # doctest: +SKIP
>>> ln.Artifact.filter(n_cells > 2).count()  # doctest: +SKIP
1
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee

from ...errors import FieldError, InvalidArgument, InvalidArgumentType
from ...orm.q import Q


@dataclass(frozen=True, eq=False)
class FeaturePredicate:
    """``feature <comparator> value``, to pass to ``filter()`` / ``exclude()``.

    ``lookup`` is a Django lookup name (``exact``, ``gt``, ``isnull`` ...) or ``ne``.

    Examples
    --------
    >>> predicate = n_cells >= 3  # doctest: +SKIP
    >>> predicate.lookup  # doctest: +SKIP
    'gte'
    """

    feature: Any
    lookup: str
    value: Any

    def __bool__(self) -> bool:
        raise InvalidArgumentType(
            f"A feature expression ({self!r}) is no True/False value: pass it to .filter(...) or .exclude(...)."
        )

    def __repr__(self) -> str:
        return f"FeaturePredicate({self.feature.name!r} {self.lookup} {self.value!r})"

    def _as_condition(self, model: type) -> peewee.Node:
        build = _feature_builder(model, "_feature_condition", self.feature, "filter")
        if self.lookup == "ne":  # records without this value, also those without any value
            return ~build(self.feature, [], self.value)
        return build(self.feature, [self.lookup], self.value)

    def __and__(self, other: Any) -> Q:
        return Q(self) & (other if isinstance(other, Q) else Q(other))

    def __or__(self, other: Any) -> Q:
        return Q(self) | (other if isinstance(other, Q) else Q(other))

    def __invert__(self) -> Q:
        return ~Q(self)


@dataclass(frozen=True, eq=False)
class FeatureOrdering:
    """``order_by(feature)`` / ``order_by(-feature)``: records by the feature's value.

    Examples
    --------
    >>> ln.Artifact.filter().order_by(-temperature)  # doctest: +SKIP
    """

    feature: Any
    descending: bool = False

    def _as_ordering(self, model: type) -> peewee.Node:
        build = _feature_builder(model, "_feature_ordering", self.feature, "order")
        return build(self.feature, self.descending)

    def _reversed(self) -> FeatureOrdering:
        return FeatureOrdering(self.feature, not self.descending)

    def _ordering_condition(self) -> FeaturePredicate:
        """Ordering by a feature keeps the records that have a value of it (as LaminDB)."""
        return FeaturePredicate(self.feature, "isnull", False)

    def __neg__(self) -> FeatureOrdering:
        return self._reversed()


class ComparesToValues:
    """``feature == value``, ``feature > value``, ``feature.is_null()`` build :class:`FeaturePredicate` objects.

    Examples
    --------
    >>> type(n_cells > 2).__name__  # doctest: +SKIP
    'FeaturePredicate'
    """

    # defining __eq__ would drop the inherited hash: records stay hashable by id
    __hash__ = peewee.Model.__hash__

    def _takes_as_value(self, other: Any) -> bool:
        """True when ``other`` is a value of this feature (not a record to compare with)."""
        if not isinstance(other, peewee.Model):
            return True
        target = getattr(self, "cat_target", None)
        return target is not None and isinstance(other, target.model)

    def __eq__(self, other: Any) -> Any:
        if isinstance(other, peewee.Model) and not self._takes_as_value(other):
            return peewee.Model.__eq__(self, other)
        return FeaturePredicate(self, "exact", other)

    def __ne__(self, other: Any) -> Any:
        if isinstance(other, peewee.Model) and not self._takes_as_value(other):
            return not peewee.Model.__eq__(self, other)
        return FeaturePredicate(self, "ne", other)

    def __gt__(self, value: Any) -> FeaturePredicate:
        return FeaturePredicate(self, "gt", value)

    def __ge__(self, value: Any) -> FeaturePredicate:
        return FeaturePredicate(self, "gte", value)

    def __lt__(self, value: Any) -> FeaturePredicate:
        return FeaturePredicate(self, "lt", value)

    def __le__(self, value: Any) -> FeaturePredicate:
        return FeaturePredicate(self, "lte", value)

    def __neg__(self) -> FeatureOrdering:
        return FeatureOrdering(self, descending=True)

    def _as_ordering(self, model: type) -> peewee.Node:
        return FeatureOrdering(self)._as_ordering(model)

    def _reversed(self) -> FeatureOrdering:
        return FeatureOrdering(self, descending=True)

    def _ordering_condition(self) -> FeaturePredicate:
        return FeaturePredicate(self, "isnull", False)

    def is_null(self, value: bool = True) -> FeaturePredicate:
        """Records without a value of this feature (``value=False``: with one).

        Examples
        --------
        >>> ln.Artifact.filter(n_cells.is_null(False)).count()  # doctest: +SKIP
        1
        """
        if not isinstance(value, bool):
            raise InvalidArgumentType(
                f"is_null() takes True or False, not {type(value).__name__} {value!r}."
            )
        return FeaturePredicate(self, "isnull", value)


def _feature_builder(model: type, name: str, feature: Any, verb: str) -> Any:
    """``model``'s method ``name`` that builds SQL from ``feature``, refusing what cannot work."""
    build = getattr(model, name, None)
    if build is None:
        raise FieldError(
            f"{model.__name__} records have no feature values: {verb} artifacts, runs or records by a feature."
        )
    if feature._pk is None:
        raise InvalidArgument(
            f"Feature {feature.name!r} is not saved yet: call .save() before {verb}ing by it."
        )
    return build

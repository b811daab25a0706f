"""``HasFeatures``: ``.features`` and ``.labels`` on artifacts, runs and records, plus feature queries.

The mixin gives a registry:

- ``record.features`` — a :class:`~lamin_lab.models.features.manager.FeatureManager`
- ``record.labels`` — a :class:`~lamin_lab.models.labels.LabelManager`
- ``Registry.filter(<feature>=...)`` through ``_filter_fallback``, and
  ``Registry.filter(feature > 1)`` through ``_feature_condition``
- ``to_dataframe(include="features")`` through ``_feature_columns``

Validation of a dataset against a schema lives in the curation layer, above the
models: the services ``validate_for_artifact`` and ``annotate`` of
:mod:`lamin_lab._services` reach it.
"""

from __future__ import annotations

from typing import Any

from ..._services import service
from ...errors import InvalidArgument
from ...orm import SQLRecord
from ..features.filters import (
    condition_on_feature,
    feature_columns,
    feature_condition,
    ordering_on_feature,
)
from ..features.manager import FeatureManager, plan_values
from ..labels import LabelManager
from ...orm.instances import bound_to_record


class HasFeatures(SQLRecord):
    """Feature values and labels of a record.

    Examples
    --------
    >>> artifact.features.add_values({"temperature": 21.5})  # doctest: +SKIP
    >>> ln.Artifact.filter(temperature__gt=20).to_dataframe(include="features")  # doctest: +SKIP
    """

    class Meta:
        abstract = True

    def __init__(self, *args: Any, **kwargs: Any):
        # LaminDB: Artifact(..., features={...}) / Record(..., features={...}) annotate on save.
        pending = kwargs.pop("features", None) if "__no_default__" not in kwargs else None
        super().__init__(*args, **kwargs)
        self._set_features_on_save(pending)

    def _set_features_on_save(self, pending: Any) -> None:
        if pending is not None and not isinstance(pending, dict):
            raise InvalidArgument(
                f"features= takes a dict of feature name to value, not {type(pending).__name__}."
            )
        if pending:
            self.__dict__["_features_on_save"] = dict(pending)

    def _check_features_on_save(self) -> None:
        pending = self.__dict__.get("_features_on_save")
        if pending:
            plan_values(pending)  # raises ValidationError for unknown features and bad values

    def save(self, *args: Any, **kwargs: Any) -> Any:
        """Save the record, then add the values passed as ``features=`` to the constructor.

        Examples
        --------
        >>> ln.Record(name="sample 1", features={"temperature": 21.5}).save()  # doctest: +SKIP
        """
        transferred = self._transfer_if_other(kwargs)  # read from another instance: copy it here
        if transferred is not None:
            return transferred
        self._check_features_on_save()  # unknown features or bad values: nothing is saved
        result = super().save(*args, **kwargs)
        self._add_features_on_save(result)
        return result

    def _add_features_on_save(self, saved: Any) -> None:
        pending = self.__dict__.pop("_features_on_save", None)
        if pending:
            manager = (saved if saved is not None else self).features
            # LaminDB sets a Record's features= (to-one features go through set_values there)
            (manager.set_values if type(self).__name__ == "Record" else manager.add_values)(pending)

    @property
    def features(self) -> FeatureManager:
        """Feature values: ``add_values``, ``get_values``, ``remove_values``, ``describe`` ..."""
        return bound_to_record(FeatureManager(self), self)

    @property
    def labels(self) -> LabelManager:
        """Labels grouped by feature: ``add``, ``get``, ``add_from``, ``describe``."""
        return bound_to_record(LabelManager(self), self)

    @classmethod
    def _filter_fallback(cls, model: type, key: str, value: Any) -> Any:
        return feature_condition(model, key, value)

    @classmethod
    def _feature_condition(cls, feature: Any, rest: list[str], value: Any) -> Any:
        """The condition of a feature expression (``feature > 1``) on this registry."""
        return condition_on_feature(cls, feature, rest, value)

    @classmethod
    def _feature_ordering(cls, feature: Any, descending: bool) -> Any:
        """The ``ORDER BY`` term of ``order_by(feature)`` / ``order_by(-feature)`` on this registry."""
        return ordering_on_feature(cls, feature, descending)

    @classmethod
    def _feature_columns(cls, df: Any, ids: list[int], features: Any) -> Any:
        return feature_columns(cls, df, ids, features)

    def _validate_with_schema(self, data: Any, schema: Any) -> None:
        """Validate in-memory data against ``schema`` before anything is written; keep the result for save."""
        self._schema_curator = service("validate_for_artifact")(data, schema)

    def _annotate_with_schema(self) -> None:
        """After the first save: link schema, dataset features and labels found by validation."""
        curator = getattr(self, "_schema_curator", None)
        if curator is not None:
            self._schema_curator = None
            service("annotate")(self, curator)

"""``HasFeatures``: ``.features`` and ``.labels`` on artifacts, runs and records, plus feature queries.

The mixin gives a registry:

- ``record.features`` — a :class:`~lamin_lab.models.features.FeatureManager`
- ``record.labels`` — a :class:`~lamin_lab.models.labels.LabelManager`
- ``Registry.filter(<feature>=...)`` through ``_filter_fallback``
- ``to_dataframe(include="features")`` through ``_feature_columns``

Validation of a dataset against a schema lives in the curation layer, above the
models; it registers itself in :data:`SCHEMA_HOOKS` when imported, and
:data:`CURATION_LOADER` (set by the package root) imports it on first need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import InvalidArgument
from ...orm import SQLRecord
from ..feature_filters import feature_columns, feature_condition
from ..features import FeatureManager
from ..labels import LabelManager

#: ``"validate"``: ``(data, schema) -> curator`` raising ``ValidationError``;
#: ``"annotate"``: ``(artifact, curator) -> None`` links schema, features and labels after save
SCHEMA_HOOKS: dict[str, Callable[..., Any]] = {}
#: imports the curation layer (which fills :data:`SCHEMA_HOOKS`); set by ``lamin_lab._wiring``
CURATION_LOADER: list[Callable[[], None]] = []


def schema_hook(name: str) -> Callable[..., Any]:
    """The registered curation hook ``name``, loading the curation layer on first use.

    Examples
    --------
    >>> schema_hook("validate")
    <function validate_for_artifact at ...>
    """
    if name not in SCHEMA_HOOKS:
        for load in CURATION_LOADER:
            load()
    if name not in SCHEMA_HOOKS:
        raise InvalidArgument(
            "Validating against a schema needs the curation layer: `import lamin_lab.curators` once, then retry."
        )
    return SCHEMA_HOOKS[name]


class HasFeatures(SQLRecord):
    """Feature values and labels of a record.

    Examples
    --------
    >>> artifact.features.add_values({"temperature": 21.5})  # doctest: +SKIP
    >>> ln.Artifact.filter(temperature__gt=20).to_dataframe(include="features")  # doctest: +SKIP
    """

    class Meta:
        abstract = True

    @property
    def features(self) -> FeatureManager:
        """Feature values: ``add_values``, ``get_values``, ``remove_values``, ``describe`` ..."""
        return FeatureManager(self)

    @property
    def labels(self) -> LabelManager:
        """Labels grouped by feature: ``add``, ``get``, ``add_from``, ``describe``."""
        return LabelManager(self)

    @classmethod
    def _filter_fallback(cls, model: type, key: str, value: Any) -> Any:
        return feature_condition(model, key, value)

    @classmethod
    def _feature_columns(cls, df: Any, ids: list[int], features: Any) -> Any:
        return feature_columns(cls, df, ids, features)

    def _validate_with_schema(self, data: Any, schema: Any) -> None:
        """Validate in-memory data against ``schema`` before anything is written; keep the result for save."""
        self._schema_curator = schema_hook("validate")(data, schema)

    def _annotate_with_schema(self) -> None:
        """After the first save: link schema, dataset features and labels found by validation."""
        curator = getattr(self, "_schema_curator", None)
        if curator is not None:
            self._schema_curator = None
            schema_hook("annotate")(self, curator)

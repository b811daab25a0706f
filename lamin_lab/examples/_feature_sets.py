"""Save a Feature type and its features in one go, creating only what is missing."""

from __future__ import annotations

from typing import Any

from ..models import Feature
from ..orm.database import atomic


def save_feature_type(type_name: str, features: tuple[tuple[str, Any], ...]) -> Any:
    """Save the Feature type ``type_name`` and ``(name, dtype)`` features under it; return the type.

    Examples
    --------
    >>> from lamin_lab.examples._feature_sets import save_feature_type
    >>> save_feature_type("Lab", (("lab_id", str),)).name
    'Lab'
    """
    with atomic():
        feature_type = Feature.filter(name=type_name, is_type=True).one_or_none()
        feature_type = feature_type or Feature(name=type_name, is_type=True).save()
        existing = set(Feature.filter(type=feature_type).to_list("name"))
        for name, dtype in features:
            if name not in existing:
                Feature(name=name, dtype=dtype, type=feature_type).save()
    return feature_type

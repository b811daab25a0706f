"""``JsonValue``: non-categorical feature values, deduplicated by hash."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from ..orm import BaseSQLRecord, fields
from .feature import Feature
from .mixins import current_user_id
from .user import User


def value_hash(value: Any) -> str:
    """A 22-character hash of a JSON value (stable across dict orderings).

    Examples
    --------
    >>> value_hash(1.5) == value_hash(1.5)
    True
    """
    text = json.dumps(value, sort_keys=True, default=str).encode()
    return base64.urlsafe_b64encode(hashlib.md5(text).digest()).decode()[:22]


class JsonValue(BaseSQLRecord):
    """A JSON value of a feature (numbers, strings, dicts ...).

    Examples
    --------
    >>> ln.models.JsonValue.get_or_create(feature, 21.5)  # doctest: +SKIP
    """

    _search_fields = ()

    value = fields.JSONField(null=True)
    hash = fields.CharField(max_length=22, index=True, null=True)
    feature = fields.ForeignKey(Feature, on_delete="CASCADE", null=True, related_name="json_values")
    created_at = fields.DateTimeField(auto_now_add=True)
    created_by = fields.ForeignKey(User, on_delete="PROTECT", null=True, default=current_user_id)

    class Meta:
        indexes = ((("feature", "hash"), False),)

    @classmethod
    def get_or_create(cls, feature: Any, value: Any) -> tuple[Any, bool]:
        """The stored value of ``feature`` equal to ``value``, created when missing.

        Examples
        --------
        >>> jv, created = ln.models.JsonValue.get_or_create(feature, 21.5)  # doctest: +SKIP
        """
        h = value_hash(value)
        found = cls.filter(feature=feature, hash=h).first()
        if found is not None:
            return found, False
        return cls(feature=feature, value=value, hash=h).save(), True

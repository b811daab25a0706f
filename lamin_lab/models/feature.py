"""``Feature``: a dimension of a dataset or an annotation, with a dtype."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import InvalidArgument
from ..orm import ManyToMany, fields
from ..orm.record import Registry
from .mixins import CanCurate, HasType, TracksRun, TracksUpdates

_SIMPLE_DTYPES = {float: "float", int: "int", str: "str", bool: "bool", dict: "dict", dt.datetime: "datetime", dt.date: "date"}
_DTYPE_STRINGS = {"float", "int", "num", "str", "bool", "dict", "datetime", "date", "cat", "path", "url", "object"}


def dtype_to_str(dtype: Any) -> str:
    """Turn a Python type, a registry or a dtype string into the stored dtype string.

    Examples
    --------
    >>> dtype_to_str(float), dtype_to_str(list[str])
    ('float', 'list[str]')
    """
    if isinstance(dtype, str):
        base = dtype[5:-1] if dtype.startswith("list[") and dtype.endswith("]") else dtype
        if base in _DTYPE_STRINGS or base.startswith("cat["):
            return dtype
        raise InvalidArgument(f"Unknown dtype {dtype!r}: use float, int, str, bool, dict, datetime, date, 'cat[ULabel]' or a registry.")
    if dtype in _SIMPLE_DTYPES:
        return _SIMPLE_DTYPES[dtype]
    if getattr(dtype, "__origin__", None) is list and len(getattr(dtype, "__args__", ())) == 1:
        return f"list[{dtype_to_str(dtype.__args__[0])}]"
    if isinstance(dtype, Registry):
        return f"cat[{dtype.__name__}]"
    if hasattr(dtype, "_meta") and getattr(dtype, "is_type", False):  # a Record type
        return f"cat[{type(dtype).__name__}[{dtype.name}]]"
    raise InvalidArgument(f"Cannot use {dtype!r} as a feature dtype: use float, int, str, bool, dict, datetime, date or a registry.")


class Feature(CanCurate, HasType, TracksRun, TracksUpdates):
    """A feature: a named, typed dimension.

    Examples
    --------
    >>> ln.Feature(name="temperature", dtype=float).save()  # doctest: +SKIP
    >>> ln.Feature(name="cell_type", dtype=ln.ULabel).save()  # doctest: +SKIP
    """

    _uid_length = 12
    _search_fields = ("name", "description", "synonyms")
    _init_aliases = {"dtype": "_dtype_str", "coerce_dtype": "coerce"}

    uid = fields.CharField(max_length=12, unique=True)
    name = fields.CharField(max_length=150, index=True, null=False)
    _dtype_str = fields.CharField(max_length=255, null=True, index=True)
    unit = fields.CharField(max_length=30, null=True)
    description = fields.CharField(max_length=1024, null=True)
    array_rank = fields.SmallIntegerField(default=0)
    array_size = fields.IntegerField(default=0)
    array_shape = fields.JSONField(null=True)
    proxy_dtype = fields.CharField(max_length=255, null=True)
    synonyms = fields.TextField(null=True)
    default_value = fields.JSONField(null=True)
    nullable = fields.BooleanField(default=True)
    coerce = fields.BooleanField(default=False)
    _expect_many = fields.BooleanField(default=True)
    type = fields.ForeignKey("self", on_delete="PROTECT", null=True, related_name="features")

    projects = ManyToMany("Project", through="FeatureProject", related_name="features")

    def __init__(self, *args: Any, **kwargs: Any):
        if "__no_default__" not in kwargs and "dtype" in kwargs:
            kwargs["dtype"] = dtype_to_str(kwargs["dtype"])
        super().__init__(*args, **kwargs)

    @property
    def dtype(self) -> str | None:
        """The dtype as a string (``float``, ``cat[ULabel]``, ``list[str]`` ...)."""
        return self._dtype_str

    @dtype.setter
    def dtype(self, value: Any) -> None:
        self._dtype_str = dtype_to_str(value)

    @property
    def dtype_as_str(self) -> str | None:
        """The dtype as a string."""
        return self._dtype_str

    def _before_save(self) -> None:
        if not self.name:
            raise InvalidArgument("A feature needs a name: ln.Feature(name=..., dtype=...).")
        if not self.is_type and self._dtype_str is None:
            raise InvalidArgument(f"Feature {self.name!r} needs a dtype, e.g. ln.Feature(name={self.name!r}, dtype=float).")
        self._check_type()

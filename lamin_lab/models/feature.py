"""``Feature``: a dimension of a dataset or an annotation, with a dtype."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgument, ValidationError
from ..orm import ManyToMany, fields
from ..orm.bulk import SQLRecordList
from ..orm.database import connection_serial
from ..orm.record import Registry
from .features.predicate import ComparesToValues
from .mixins import CanCurate, HasType, TracksRun, TracksUpdates
from ..orm.relations import REGISTRY

_SIMPLE_DTYPES = {
    float: "float",
    int: "int",
    str: "str",
    bool: "bool",
    dict: "dict",
    dt.datetime: "datetime",
    dt.date: "date",
}
_DTYPE_STRINGS = {
    "float",
    "int",
    "num",
    "str",
    "bool",
    "dict",
    "datetime",
    "date",
    "cat",
    "path",
    "url",
    "object",
}
# cat[Registry], cat[Registry[TypeName]], cat[Registry.field], cat[Registry[TypeName].field]
_CAT_PATTERN = re.compile(
    r"^cat\[(?P<registry>[A-Za-z_]\w*)(?:\[(?P<type>[^\]]+)\])?(?:\.(?P<field>\w+))?\]$"
)


@dataclass(frozen=True)
class CatTarget:
    """Where the values of a categorical feature live: a registry, optionally one type of it.

    Examples
    --------
    >>> parse_cat("cat[Record[Sample]]")
    CatTarget(registry='Record', type_name='Sample', field=None)
    """

    registry: str
    type_name: str | None = None
    field: str | None = None

    @property
    def model(self) -> Any:
        """The registry class (``ln.ULabel`` ...)."""

        model = REGISTRY.get(self.registry)
        if model is None:
            raise InvalidArgument(
                f"No registry {self.registry!r} for dtype 'cat[{self.registry}]': use ULabel, "
                "Record, Project or Reference."
            )
        return model

    @property
    def field_name(self) -> str:
        """The field holding the values (``name`` unless the dtype says otherwise)."""
        return self.field or self.model._name_field

    def creation_hint(self, value: Any) -> str:
        """The call that creates a missing value."""
        if self.type_name:
            return (
                f"ln.{self.registry}(name={value!r}, type=ln.{self.registry}.get(name={self.type_name!r}, "
                "is_type=True)).save()"
            )
        return f"ln.{self.registry}({self.field_name}={value!r}).save()"


def parse_cat(dtype: str | None) -> CatTarget | None:
    """The categorical target of a dtype string, None for non-categorical dtypes.

    Examples
    --------
    >>> parse_cat("cat[ULabel]").registry, parse_cat("float")
    ('ULabel', None)
    """
    if not dtype:
        return None
    if dtype.startswith("list[") and dtype.endswith("]"):
        dtype = dtype[5:-1]
    if dtype == "cat":
        return CatTarget("ULabel")
    match = _CAT_PATTERN.match(dtype)
    if match is None:
        return None
    return CatTarget(match["registry"], match["type"], match["field"])


def dtype_to_str(dtype: Any) -> str:
    """Turn a Python type, a registry, a type record or a dtype string into the stored dtype string.

    Examples
    --------
    >>> dtype_to_str(float), dtype_to_str(list[str]), dtype_to_str("cat[Record[Sample]]")
    ('float', 'list[str]', 'cat[Record[Sample]]')
    """
    if isinstance(dtype, str):
        base = dtype[5:-1] if dtype.startswith("list[") and dtype.endswith("]") else dtype
        if base in _DTYPE_STRINGS or _CAT_PATTERN.match(base):
            return dtype
        raise InvalidArgument(
            f"Unknown dtype {dtype!r}: use float, int, str, bool, dict, datetime, date, 'num', "
            "'cat[ULabel]', 'cat[Record[TypeName]]' or a registry like ln.ULabel."
        )
    if dtype in _SIMPLE_DTYPES:
        return _SIMPLE_DTYPES[dtype]
    if getattr(dtype, "__origin__", None) is list and len(getattr(dtype, "__args__", ())) == 1:
        return f"list[{dtype_to_str(dtype.__args__[0])}]"
    if isinstance(dtype, Registry):
        return f"cat[{dtype.__name__}]"
    if hasattr(dtype, "_meta") and getattr(
        dtype, "is_type", False
    ):  # a type record, e.g. a Record type
        return f"cat[{type(dtype).__name__}[{dtype.name}]]"
    raise InvalidArgument(
        f"Cannot use {dtype!r} as a feature dtype: use float, int, str, bool, dict, datetime, date or a registry."
    )


def infer_dtype(value: Any) -> str:
    """The dtype a feature would need to hold ``value`` (for hints in error messages).

    Examples
    --------
    >>> infer_dtype(1.5), infer_dtype(["a"]), infer_dtype(True)
    ('float', 'list[str]', 'bool')
    """
    if isinstance(value, (list, tuple, set)):
        inner = {infer_dtype(v) for v in value}
        return f"list[{inner.pop()}]" if len(inner) == 1 else "object"
    if hasattr(value, "_meta") and isinstance(type(value), Registry):
        return f"cat[{type(value).__name__}]"
    for py, name in (
        (bool, "bool"),
        (int, "int"),
        (float, "float"),
        (str, "str"),
        (dict, "dict"),
        (dt.datetime, "datetime"),
        (dt.date, "date"),
    ):
        if isinstance(value, py):
            return name
    if hasattr(value, "item"):  # numpy scalars
        return infer_dtype(value.item())
    return "object"


def _dtype_literal(dtype: str) -> str:
    """How a dtype is written in a hint: ``float`` for Python types, a quoted string otherwise."""
    return dtype if dtype in ("float", "int", "str", "bool", "dict") else repr(dtype)


def creation_hint(name: str, value: Any) -> str:
    """The call that creates a missing feature for ``value``.

    Examples
    --------
    >>> creation_hint("temperature", 21.5)
    "ln.Feature(name='temperature', dtype=float).save()"
    """
    return f"ln.Feature(name={name!r}, dtype={_dtype_literal(infer_dtype(value))}).save()"


def _scalar(value: Any) -> Any:
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


def _check_one(dtype: str, value: Any) -> Any:
    """A JSON-ready value of ``dtype``; raises ``TypeError`` with the expected kind otherwise."""
    value = _scalar(value)
    if dtype in ("float", "num"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise TypeError("a number")
    if dtype == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise TypeError("an integer")
    if dtype in ("str", "path", "url"):
        if isinstance(value, str):
            return value
        raise TypeError("a string")
    if dtype == "bool":
        if isinstance(value, bool):
            return value
        raise TypeError("True or False")
    if dtype == "dict":
        if isinstance(value, dict):
            return value
        raise TypeError("a dict")
    if dtype == "datetime":
        return _as_datetime(value).isoformat()
    if dtype == "date":
        return _as_date(value).isoformat()
    return value  # object


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime()
    raise TypeError("a datetime (or an ISO string like '2024-01-31T12:00:00')")


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise TypeError("a date (or an ISO string like '2024-01-31')")


def _filtered_dtype(dtype: Any, cat_filters: dict[str, Any]) -> Any:
    """The dtype that ``cat_filters={"type": <type record>}`` narrows ``dtype`` to.

    LaminDB's ``Feature(dtype=ln.Record, cat_filters={"type": sample_type})`` takes the values
    from one type of records, as ``dtype=sample_type`` does.
    """
    for key, value in cat_filters.items():
        if (
            value is None
            or (isinstance(value, str) and not value.strip())
            or (not isinstance(value, bool) and not value)
        ):
            raise ValidationError(
                f"Empty value in filter {key!r}: give each cat_filters entry a value, e.g. {{'type': sample_type}}."
            )
    if set(cat_filters) != {"type"}:
        raise InvalidArgument(
            "cat_filters takes the key 'type' only (e.g. cat_filters={'type': sample_type}), "
            f"not {sorted(cat_filters)}: "
            "values of a categorical feature come from one type of records."
        )
    kind = cat_filters["type"]
    if not getattr(kind, "is_type", False):
        raise ValidationError(
            f"cat_filters={{'type': ...}} takes a type record (made with is_type=True), not {kind!r}."
        )
    wanted = dtype_to_str(dtype) if dtype is not None else None
    registry = type(kind).__name__
    if wanted is not None and wanted not in (f"cat[{registry}]", dtype_to_str(kind)):
        raise ValidationError(
            f"cat_filters type {kind.name!r} is a {registry} type, but the dtype is {wanted}: "
            f"pass dtype=ln.{registry} with it."
        )
    return kind


def from_json(dtype: str | None, value: Any) -> Any:
    """A stored JSON value back as the feature's Python type (dates and datetimes).

    Examples
    --------
    >>> from_json("date", "2024-01-31")
    datetime.date(2024, 1, 31)
    """
    if value is None or dtype is None:
        return value
    if dtype == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if dtype == "datetime" and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if dtype in ("list[date]", "list[datetime]") and isinstance(value, list):
        return [from_json(dtype[5:-1], v) for v in value]
    return value


def _check_name_field(field: Any) -> None:
    if field is not None and getattr(field, "name", field) != "name":
        raise InvalidArgument("field takes ln.Feature.name only: features are created by name.")


def _column_dtype(series: Any) -> str:
    """The feature dtype of a pandas column, as LaminDB infers it."""
    import pandas as pd

    types = pd.api.types
    if isinstance(series.dtype, pd.CategoricalDtype):
        return "cat[ULabel]"
    if types.is_bool_dtype(series):
        return "bool"
    if types.is_integer_dtype(series):
        return "int"
    if types.is_float_dtype(series):
        return "float"
    if types.is_datetime64_any_dtype(series):
        return "datetime"
    kinds = {infer_dtype(v) for v in series.dropna().tolist()}
    return kinds.pop() if len(kinds) == 1 else "str" if not kinds else "object"


#: (database, name) → (monotonic time, feature or None); see :func:`lookup_feature`
_LOOKUPS: dict[tuple[int, str, str], tuple[float, Any]] = {}
#: how long a looked-up feature is reused without asking the database again (seconds)
LOOKUP_TTL = 1.0


def forget_features() -> None:
    """Drop the features remembered by :func:`lookup_feature` (after any feature changes)."""
    _LOOKUPS.clear()


def lookup_feature(name: str) -> Any:
    """The feature called ``name`` (not a type, not in the trash), or None: one light query.

    Filters call this for every feature key each time a query is compiled (a QuerySet
    compiles when it is built and again when it runs), so a result is reused for
    :data:`LOOKUP_TTL` seconds; saving or deleting a feature in this process forgets them all.

    Examples
    --------
    >>> lookup_feature("temperature").dtype  # doctest: +SKIP
    'float'
    """
    db = Feature._meta.database
    db = getattr(db, "obj", db)
    serial = connection_serial(db) if db is not None else 0  # unbound: the query below says so
    key = (serial, str(getattr(db, "database", "")), name)
    now = time.monotonic()
    hit = _LOOKUPS.get(key)
    if hit is not None and now - hit[0] < LOOKUP_TTL:
        return hit[1]
    query = (
        Feature.select(Feature.id, Feature.uid, Feature.name, Feature._dtype_str, Feature.coerce)
        .where((Feature.name == name) & (Feature.is_type == False) & (Feature.branch_id != -1))  # noqa: E712
        .order_by(Feature.id)
        .limit(1)
    )
    row = Feature._meta.database.execute(query).fetchone()
    feature = None
    if row is not None:
        feature = Feature(
            __no_default__=1,
            id=row[0],
            uid=row[1],
            name=row[2],
            _dtype_str=row[3],
            coerce=bool(row[4]),
        )
    if len(_LOOKUPS) > 1000:
        _LOOKUPS.clear()
    _LOOKUPS[key] = (now, feature)
    return feature


class Feature(ComparesToValues, CanCurate, HasType, TracksRun, TracksUpdates):
    """A feature: a named, typed dimension.

    Comparing a feature with a value (``feature > 20``, ``feature == "x"``,
    ``feature.is_null()``) gives an expression for ``filter()``.

    Examples
    --------
    >>> ln.Feature(name="temperature", dtype=float).save()  # doctest: +SKIP
    >>> ln.Feature(name="cell_type", dtype=ln.ULabel).save()  # doctest: +SKIP
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "name",
        "_dtype_str",
        "unit",
        "description",
        "array_rank",
        "array_size",
        "array_shape",
        "synonyms",
        "default_value",
        "nullable",
        "coerce",
        "is_locked",
        "is_type",
        "created_at",
        "branch_id",
        "created_on_id",
        "space_id",
        "created_by_id",
        "run_id",
        "type_id",
    )
    _returns_existing_name = True  # as in LaminDB: a new record whose name exists is that record
    _existing_must_match = ("_dtype_str",)  # the same name with another dtype is an error

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

    def __init__(self, *args: Any, cat_filters: dict[str, Any] | None = None, **kwargs: Any):
        if "__no_default__" not in kwargs:
            if cat_filters:
                kwargs["dtype"] = _filtered_dtype(kwargs.get("dtype"), cat_filters)
            if "dtype" in kwargs:
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

    @property
    def is_categorical(self) -> bool:
        """True when values are records of a registry (``cat[...]``)."""
        return parse_cat(self._dtype_str) is not None

    @property
    def cat_target(self) -> CatTarget | None:
        """Registry (and type) of a categorical feature's values; None otherwise."""
        return parse_cat(self._dtype_str)

    @property
    def is_list(self) -> bool:
        """True for ``list[...]`` dtypes."""
        return bool(self._dtype_str) and self._dtype_str.startswith("list[")

    def check_value(self, value: Any) -> Any:
        """The JSON-ready form of a non-categorical value; ``ValidationError`` if it has the wrong type.

        Examples
        --------
        >>> ln.Feature(name="temperature", dtype=float).check_value(21)
        21.0
        """
        dtype = self._dtype_str or "object"
        try:
            if self.is_list:
                if not isinstance(value, (list, tuple)) and not hasattr(value, "tolist"):
                    raise TypeError("a list")
                items = value.tolist() if hasattr(value, "tolist") else list(value)
                return [_check_one(dtype[5:-1], v) for v in items]
            return _check_one(dtype, value)
        except TypeError as e:
            got = type(value).__name__
            raise ValidationError(
                f"Value {value!r} for feature {self.name!r} has type {got}, but the feature's dtype is {dtype}: "
                f"pass {e.args[0]}, or use a feature with dtype={_dtype_literal(infer_dtype(value))}."
            ) from None

    def with_config(self, optional: bool | None = None) -> tuple[Feature, dict[str, bool]]:
        """The feature with its configuration in a schema, for ``ln.Schema(features=[...])``.

        Examples
        --------
        >>> ln.Feature(name="temperature", dtype=float).with_config(optional=True)[1]
        {'optional': True}
        """
        return self, ({} if optional is None else {"optional": optional})

    @classmethod
    def from_dataframe(cls, df: Any, field: Any = None, *, mute: bool = False) -> SQLRecordList:
        """One unsaved feature per column, its dtype from the column's (categoricals: ``cat[ULabel]``).

        Examples
        --------
        >>> import pandas as pd
        >>> [f.dtype for f in ln.Feature.from_dataframe(pd.DataFrame({"n": [1], "x": ["a"]}))]
        ['int', 'str']
        """
        _check_name_field(field)
        return SQLRecordList(
            cls(name=str(name), dtype=_column_dtype(column)) for name, column in df.items()
        )

    @classmethod
    def from_df(cls, df: Any, field: Any = None, *, mute: bool = False) -> SQLRecordList:
        """Alias of :meth:`from_dataframe`."""
        return cls.from_dataframe(df, field, mute=mute)

    @classmethod
    def from_dict(
        cls, dictionary: dict[str, Any], field: Any = None, *, type: Any = None, mute: bool = False
    ) -> SQLRecordList:
        """One unsaved feature per key, its dtype inferred from the value (strings: ``str``).

        Examples
        --------
        >>> [f.dtype for f in ln.Feature.from_dict({"n": 1, "tags": ["a"]})]
        ['int', 'list[str]']
        """
        _check_name_field(field)
        extra = {} if type is None else {"type": type}
        return SQLRecordList(
            cls(name=key, dtype=infer_dtype(value), **extra) for key, value in dictionary.items()
        )

    def _after_save(self, created: bool) -> None:
        forget_features()

    def _delete_record(self, permanent: bool | None = None) -> Any:
        forget_features()
        return super()._delete_record(permanent)

    def _before_save(self) -> None:
        if not self.name:
            raise InvalidArgument("A feature needs a name: ln.Feature(name=..., dtype=...).")
        if not self.is_type and self._dtype_str is None:
            raise InvalidArgument(
                f"Feature {self.name!r} needs a dtype, e.g. ln.Feature(name={self.name!r}, dtype=float)."
            )
        self._check_type()

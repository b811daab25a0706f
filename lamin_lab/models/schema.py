"""``Schema``: a set of features with rules (minimal, maximal, ordered), for validation.

A schema is identified by its definition: the same features, rules and components
give the same :attr:`Schema.hash`, and constructing an identical schema returns the
saved one. Composite schemas (an AnnData's ``obs`` and ``var``) hold component schemas
in named slots.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from typing import Any

import peewee

from ..errors import FieldValidationError, InvalidArgument
from ..orm import ManyToMany, fields
from ..orm.record import Registry
from ..orm.relations import REGISTRY
from .mixins import CanCurate, HasType, TracksRun, TracksUpdates

logger = logging.getLogger("lamin_lab")


def itype_to_str(itype: Any) -> str | None:
    """``ln.Feature`` → ``"Feature"``, ``ln.ULabel.name`` → ``"ULabel.name"``; strings pass through.

    Examples
    --------
    >>> itype_to_str("Feature")
    'Feature'
    """
    if itype is None or isinstance(itype, str):
        return itype
    if type(itype).__name__ == "Feature" and getattr(itype, "is_type", False):
        # LaminDB's "Feature[<uid>]": the features of one feature type (and its sub-types)
        if itype._pk is None:
            raise InvalidArgument(
                f"Save the feature type {itype.name!r} before using it as itype: call .save() first."
            )
        return f"Feature[{itype.uid}]"
    if isinstance(itype, Registry):
        return itype.__name__
    if isinstance(itype, peewee.Field):
        return f"{itype.model.__name__}.{itype.name}"
    raise InvalidArgument(
        f"itype takes a registry (ln.Feature) or a field (ln.ULabel.name), not {itype!r}."
    )


def split_configs(features: Any) -> tuple[list[Any], list[Any]]:
    """Features and the optional ones among them, from a list that may hold ``with_config`` pairs.

    Examples
    --------
    >>> split_configs([])
    ([], [])
    """
    plain, optional = [], []
    for item in list(features or []):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
            item, config = item
            if config.get("optional"):
                optional.append(item)
        plain.append(item)
    return plain, optional


_SUFFIX = re.compile(r"(\.[a-z0-9]+)+")


def check_suffix(suffix: str | None) -> str | None:
    """A schema's required artifact suffix, checked to be a canonical one like ``.parquet``.

    Examples
    --------
    >>> check_suffix(".csv")
    '.csv'
    """
    if suffix is not None and not (isinstance(suffix, str) and _SUFFIX.fullmatch(suffix)):
        raise FieldValidationError(
            f"Invalid suffix {suffix!r}: pass a canonical suffix with its dot, like '.csv', "
            "'.parquet' or '.zarr'."
        )
    return suffix


def _feature_list(features: Any) -> list[Any]:
    out = list(features or [])
    for f in out:
        if type(f).__name__ != "Feature":
            raise InvalidArgument(
                f"Schema(features=...) takes Feature records, not {type(f).__name__}: {f!r}."
            )
        if f._pk is None:
            raise InvalidArgument(
                f"Save feature {f.name!r} before using it in a schema: call .save() first."
            )
    return out


class SchemaOptionals:
    """The optional features of a schema: validation does not require them.

    Examples
    --------
    >>> schema.optionals.set([temperature])  # doctest: +SKIP
    >>> schema.optionals.get().to_list("name")  # doctest: +SKIP
    ['temperature']
    """

    def __init__(self, schema: Schema):
        self._schema = schema

    def get_uids(self) -> list[str]:
        """Uids of the optional features (no query).

        Examples
        --------
        >>> schema.optionals.get_uids()  # doctest: +SKIP
        ['a1B2c3D4e5F6']
        """
        return list((self._schema._aux or {}).get("optionals", []))

    def get(self) -> Any:
        """The optional features as a QuerySet.

        Examples
        --------
        >>> schema.optionals.get()  # doctest: +SKIP
        """
        return REGISTRY["Feature"].filter(uid__in=self.get_uids())

    def _store(self, uids: list[str]) -> None:
        members = {f.uid for f in self._schema.members}
        outside = [u for u in uids if u not in members]
        if outside:
            raise InvalidArgument(
                f"Optional features must belong to the schema; {outside} do not: add them to features= first."
            )
        aux = dict(self._schema._aux or {})
        aux["optionals"] = list(dict.fromkeys(uids))
        self._schema._aux = aux
        self._schema.hash = self._schema._definition_hash()
        if self._schema._pk is not None:
            self._schema.save()

    def set(self, features: Any) -> None:
        """Make exactly ``features`` optional.

        Examples
        --------
        >>> schema.optionals.set([temperature])  # doctest: +SKIP
        """
        self._store([f.uid for f in _feature_list(_as_list(features))])

    def add(self, features: Any) -> None:
        """Make ``features`` optional too.

        Examples
        --------
        >>> schema.optionals.add(temperature)  # doctest: +SKIP
        """
        self._store(self.get_uids() + [f.uid for f in _feature_list(_as_list(features))])

    def remove(self, features: Any) -> None:
        """Make ``features`` required again.

        Examples
        --------
        >>> schema.optionals.remove(temperature)  # doctest: +SKIP
        """
        drop = {f.uid for f in _feature_list(_as_list(features))}
        self._store([u for u in self.get_uids() if u not in drop])


def valid_features_schema() -> Schema:
    """The schema ``valid_features`` (any registered feature), saved on first use.

    What ``schema="valid_features"`` stands for in ``ln.Artifact.from_dataframe``.

    Examples
    --------
    >>> valid_features_schema().itype  # doctest: +SKIP
    'Feature'
    """
    existing = Schema.filter(name="valid_features", is_type=False).one_or_none()
    return existing or Schema(name="valid_features", itype="Feature").save()


def resolve_schema(schema: Any) -> Any:
    """``"valid_features"`` → its schema; a Schema or None passes through.

    Examples
    --------
    >>> resolve_schema(None) is None
    True
    """
    if isinstance(schema, str):
        if schema != "valid_features":
            raise InvalidArgument(
                f"schema={schema!r} is no built-in schema: pass 'valid_features' or a Schema record."
            )
        return valid_features_schema()
    return schema


def _as_list(features: Any) -> list[Any]:
    return (
        list(features)
        if isinstance(features, (list, tuple, set)) or hasattr(features, "_fetch")
        else [features]
    )


class Schema(CanCurate, HasType, TracksRun, TracksUpdates):
    """A schema: which features a dataset has, and the rules to validate it.

    Parameters
    ----------
    features
        Saved ``Feature`` records (the columns of a DataFrame, the ``obs`` of an AnnData).
    name
        A name.
    itype
        The registry the dataset's identifiers validate against (``ln.Feature`` by default),
        or a saved Feature type record: then only features of that type (stored as
        ``"Feature[<uid>]"``).
    otype
        The object type (``"DataFrame"``, ``"AnnData"``).
    minimal_set
        Every (non-optional) feature must be present.
    maximal_set
        No other column may be present.
    ordered_set
        Columns must come in the order of ``features``.
    coerce_dtype
        Convert columns to the feature dtype when possible instead of failing.
    optionals
        Features that may be missing.
    slots
        Component schemas of a composite schema: ``{"obs": obs_schema, "var": var_schema}``.
    index
        A saved feature that validates the DataFrame's index; it becomes the first member.
    flexible
        Also validate and annotate columns that are other features of the ``itype``
        (``itype=<Feature type record>`` narrows them to that type). Defaults to True
        without ``features``, False with them.
    suffix
        The suffix an artifact validated with the schema must have (``".csv"``).

    Features in ``features`` may be given as ``feature.with_config(optional=True)``.

    Examples
    --------
    >>> schema = ln.Schema(name="perturbations", features=[f1, f2], coerce_dtype=True).save()  # doctest: +SKIP
    >>> ln.Schema(name="again", features=[f1, f2], coerce_dtype=True) == schema  # same definition  # doctest: +SKIP
    True
    """

    # to_dataframe() columns in LaminDB's order (see orm.dataframe.frame_columns)
    _dataframe_columns = (
        "uid",
        "id",
        "name",
        "description",
        "n_members",
        "coerce",
        "flexible",
        "itype",
        "otype",
        "suffix",
        "hash",
        "minimal_set",
        "ordered_set",
        "maximal_set",
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
    _uid_length = 16
    _search_fields = ("name", "description")
    _field_aliases = {"coerce_dtype": "coerce", "n_members": "n"}
    _init_aliases = {"coerce_dtype": "coerce"}

    uid = fields.CharField(max_length=16, unique=True)
    name = fields.CharField(max_length=150, null=True, index=True)
    description = fields.CharField(max_length=1024, null=True)
    n = fields.IntegerField(default=-1)
    itype = fields.CharField(max_length=120, null=True, index=True)
    otype = fields.CharField(max_length=64, null=True, index=True)
    dtype = fields.CharField(max_length=64, null=True)
    hash = fields.CharField(max_length=22, null=True, index=True)
    minimal_set = fields.BooleanField(default=True)
    ordered_set = fields.BooleanField(default=False)
    maximal_set = fields.BooleanField(default=False)
    coerce = fields.BooleanField(default=False)
    flexible = fields.BooleanField(null=True)
    suffix = fields.CharField(max_length=30, null=True, index=True)
    _aux = fields.JSONField(null=True)
    type = fields.ForeignKey("self", on_delete="PROTECT", null=True, related_name="schemas")

    features = ManyToMany("Feature", through="SchemaFeature", related_name="schemas")
    components = ManyToMany(
        "self",
        through="SchemaComponent",
        through_fields=("composite", "component"),
        related_name="composites",
    )
    projects = ManyToMany("Project", through="SchemaProject", related_name="schemas")

    def __init__(self, *args: Any, **kwargs: Any):
        if "__no_default__" in kwargs:  # a row read from the database
            super().__init__(**kwargs)
            return
        if args:  # LaminDB's one positional: the list of features
            if len(args) > 1 or not isinstance(args[0], (list, tuple)) or "features" in kwargs:
                raise InvalidArgument(
                    "Schema() takes one positional argument, the list of features: "
                    "write ln.Schema([feature, ...]) or ln.Schema(features=[feature, ...])."
                )
            kwargs["features"], args = args[0], ()
        features, configured = split_configs(kwargs.pop("features", None))
        features = _feature_list(features)
        index = kwargs.pop("index", None)
        if index is not None:  # LaminDB: the index feature is the first member
            features = [*_feature_list([index]), *[f for f in features if f.uid != index.uid]]
        slots = kwargs.pop("slots", None) or kwargs.pop("components", None) or {}
        optionals = _feature_list(_as_list(kwargs.pop("optionals", None) or [])) or configured
        kwargs["suffix"] = check_suffix(kwargs.get("suffix"))
        kwargs["itype"] = itype_to_str(kwargs.get("itype")) or ("Feature" if features else None)
        if kwargs.get("flexible") is None:  # LaminDB: flexible unless the features are fixed
            kwargs["flexible"] = not features
        super().__init__(*args, **kwargs)
        for slot, component in slots.items():
            if not isinstance(component, Schema):
                raise InvalidArgument(
                    f"slots= takes Schema records; slot {slot!r} got {type(component).__name__}."
                )
        self._pending_features = features
        self._pending_slots = dict(slots)
        if features:
            self.n = len(features)
        if optionals:
            self._aux = {**(self._aux or {}), "optionals": [f.uid for f in optionals]}
        if index is not None:
            self._aux = {**(self._aux or {}), "index": index.uid}
        self.hash = self._definition_hash()
        existing = (
            type(self).filter(hash=self.hash, is_type=False).order_by("id").first()
            if not self.is_type
            else None
        )
        if existing is not None:
            logger.info(
                "returning the existing schema with the same definition: %s", existing._short_repr()
            )
            self.__data__ = dict(existing.__data__)
            self._dirty = set()
            self._pending_features, self._pending_slots = [], {}

    def _definition_hash(self) -> str:
        """Hash of what the schema means (features, rules, components), not of its name."""
        members = getattr(self, "_pending_features", None) or (
            self.members if self._pk is not None else []
        )
        uids = [f.uid for f in members]
        slots = getattr(self, "_pending_slots", None) or (
            self.slots if self._pk is not None else {}
        )
        d = self.__data__
        definition = {
            "features": uids if d.get("ordered_set") else sorted(uids),
            "optionals": sorted((d.get("_aux") or {}).get("optionals", [])),
            "slots": {k: v.hash or v.uid for k, v in sorted(slots.items())},
            **{
                k: d.get(k)
                for k in (
                    "itype",
                    "otype",
                    "dtype",
                    "minimal_set",
                    "maximal_set",
                    "ordered_set",
                    "coerce",
                )
            },
        }
        # added only when set, so the hashes of schemas saved before these existed stay the same
        aux = d.get("_aux") or {}
        if aux.get("index"):
            definition["index"] = aux["index"]
        if d.get("suffix"):
            definition["suffix"] = d["suffix"]
        if d.get("flexible") is not None and bool(d["flexible"]) != (not uids):
            definition["flexible"] = bool(d["flexible"])
        digest = hashlib.md5(json.dumps(definition, sort_keys=True).encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()[:22]

    @property
    def coerce_dtype(self) -> bool:
        """Whether validation converts columns to the feature dtypes."""
        return bool(self.coerce)

    @property
    def n_members(self) -> int:
        """Number of features (-1 when the schema accepts any feature of its itype)."""
        return self.n

    @property
    def index(self) -> Any:
        """The feature that validates a DataFrame's index (None when the schema has none).

        Examples
        --------
        >>> schema.index.name  # doctest: +SKIP
        'sample_id'
        """
        uid = (self._aux or {}).get("index")
        if uid is None:
            return None
        pending = [f for f in getattr(self, "_pending_features", []) if f.uid == uid]
        return pending[0] if pending else REGISTRY["Feature"].get(uid=uid)

    @property
    def members(self) -> list[Any]:
        """The features in schema order (one query).

        Examples
        --------
        >>> [f.name for f in schema.members]  # doctest: +SKIP
        ['perturbation', 'temperature']
        """
        if self._pk is None:
            return list(getattr(self, "_pending_features", []))
        Feature, SchemaFeature = REGISTRY["Feature"], REGISTRY["SchemaFeature"]
        return list(
            Feature.select()
            .join(SchemaFeature, on=SchemaFeature.feature == Feature.id)
            .where(SchemaFeature.schema == self._pk)
            .order_by(SchemaFeature.id)
        )

    @property
    def slots(self) -> dict[str, Schema]:
        """Component schemas by slot (``{"obs": ..., "var": ...}``); empty for plain schemas.

        Examples
        --------
        >>> schema.slots["obs"].name  # doctest: +SKIP
        'obs'
        """
        if self._pk is None:
            return dict(getattr(self, "_pending_slots", {}))
        SchemaComponent = REGISTRY["SchemaComponent"]
        rows = (
            SchemaComponent.select(SchemaComponent.slot, SchemaComponent.component)
            .where(SchemaComponent.composite == self._pk)
            .order_by(SchemaComponent.id)
            .tuples()
        )
        pairs = list(rows)
        by_id = {s.id: s for s in Schema.filter(id__in=[c for _, c in pairs])} if pairs else {}
        return {slot or str(cid): by_id[cid] for slot, cid in pairs if cid in by_id}

    @property
    def optionals(self) -> SchemaOptionals:
        """Manage the optional features.

        Examples
        --------
        >>> schema.optionals.get_uids()  # doctest: +SKIP
        []
        """
        return SchemaOptionals(self)

    def _before_save(self) -> None:
        self._check_type()
        for component in getattr(self, "_pending_slots", {}).values():
            if component._pk is None:
                component.save()

    def _after_save(self, created: bool) -> None:
        features = getattr(self, "_pending_features", None)
        slots = getattr(self, "_pending_slots", None)
        if features:
            link = REGISTRY["SchemaFeature"]
            link.insert_many([{"schema": self._pk, "feature": f._pk} for f in features]).execute()
        if slots:
            link = REGISTRY["SchemaComponent"]
            link.insert_many(
                [{"composite": self._pk, "component": c._pk, "slot": s} for s, c in slots.items()]
            ).execute()
        self._pending_features, self._pending_slots = [], {}

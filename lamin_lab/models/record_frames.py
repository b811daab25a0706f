"""Records as tables: ``Record.from_dataframe``, a type's ``to_dataframe`` and ``to_artifact``.

A record type with a schema is LaminDB's *record frame*: each data record is a row, each
schema feature a column. When the schema has an ``index`` feature, its values are the
records' names and the frame's index; otherwise the names come from a name column and an
export carries LaminDB's ``__lamindb_record_*__`` columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import InvalidArgument, ValidationError
from ..orm import SQLRecord
from ..orm.bulk import SQLRecordList, save
from ..orm.database import atomic, ensure_connected, ensure_table
from ..orm.identity import names_known_new
from ..orm.relations import REGISTRY
from .features.manager import resolve_labels
from .features.values import features_by_name
from .labels import link_specs
from .mixins import current_run_id
from .._services import service

#: the name column LaminDB writes on export and reads first on import
NAME_COLUMN = "__lamindb_record_name__"
UID_COLUMN = "__lamindb_record_uid__"
ID_COLUMN = "__lamindb_record_id__"


def _is_null(value: Any) -> bool:
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


class RecordBatch:
    """The rows of a DataFrame as records of one type, written by :meth:`save`.

    Examples
    --------
    >>> batch = ln.Record.from_dataframe(df, type=sample_type)  # doctest: +SKIP
    >>> len(batch), batch.save()  # doctest: +SKIP
    """

    def __init__(self, cls: type, df: Any, type_record: Any, name_field: str):
        self._cls, self._df, self._type, self._name_field = cls, df, type_record, name_field

    def __len__(self) -> int:
        return len(self._df)

    @property
    def type(self) -> Any:
        """The record type of every row."""
        return self._type

    def _split(self) -> tuple[list[Any], Any, Any]:
        """(names, feature frame, schema): names from the index feature or a name column."""
        schema = self._type.schema
        index = schema.index if schema is not None else None
        frame = self._df.copy()
        if index is not None and index.name in frame.columns:
            frame = frame.set_index(index.name)
        if index is not None and frame.index.name == index.name:
            names = [None if _is_null(v) else str(v) for v in frame.index]
            return names, frame, schema
        column = next((c for c in (self._name_field, "name") if c in frame.columns), None)
        names = [None] * len(frame) if column is None else frame.pop(column).tolist()
        return [None if _is_null(n) else n for n in names], frame, schema

    def save(self) -> SQLRecordList:
        """Validate the rows against the type's schema, then save the records and their values.

        Nothing is written when a row does not validate.

        Examples
        --------
        >>> records = ln.Record.from_dataframe(df, type=sample_type).save()  # doctest: +SKIP
        """
        names, frame, schema = self._split()
        if len(frame.columns) and schema is None:
            raise ValidationError(
                f"Record type {self._type.name!r} has no schema, so its records cannot take the feature "
                f"columns {[str(c) for c in frame.columns]}: give the type a schema "
                "(ln.Record(name=..., is_type=True, schema=ln.Schema(features=[...]).save())), "
                "or pass only a name column."
            )
        if schema is not None:
            curator = service("validate_for_artifact")(
                frame, schema
            )  # ValidationError naming every problem
            # LaminDB stores the validated features only; other columns are left out
            validated = {f.name for f in curator.features}
            frame = frame[[c for c in frame.columns if str(c) in validated]]
        ensure_connected()
        with atomic(), names_known_new():
            records = SQLRecordList(self._cls(name=n, type=self._type) for n in names)
            save(records)
            rows = [
                {k: v for k, v in row.items() if not _is_null(v)}
                for row in frame.to_dict(orient="records")
            ]
            write_values(records, rows)
        return records


def write_values(records: list[Any], rows: list[dict[str, Any]]) -> None:
    """Write the feature values of new records: a few statements for the whole batch.

    One query for the features, one per categorical feature for its labels, then multi-row
    inserts of the JSON values and of the label links (no statement per record).

    Examples
    --------
    >>> write_values(records, [{"age": 3}, {"age": 4}])  # doctest: +SKIP
    """
    names = list(dict.fromkeys(k for row in rows for k in row))
    features = features_by_name(names)
    unknown = [n for n in names if n not in features]
    if unknown:
        raise ValidationError(
            f"Columns {unknown} are no features: create them first "
            "(ln.Feature.from_dataframe(df[...]).save()) or drop the columns."
        )
    label_ids = {}
    for name in names:
        feature = features[name]
        if feature.cat_target is not None:
            cells = [row[name] for row in rows if name in row]
            wanted = list(dict.fromkeys(str(v) for c in cells for v in _as_items(c)))
            label_ids[name] = dict(zip(wanted, resolve_labels(feature, wanted), strict=True))
    json_rows, links = [], {}
    # a frame left without feature columns gives no rows at all: nothing to write then
    for record, row in zip(records, rows, strict=False):
        for name, value in row.items():
            feature = features[name]
            if name not in label_ids:
                json_rows.append(
                    {
                        "record": record._pk,
                        "feature": feature._pk,
                        "value": feature.check_value(value),
                    }
                )
                continue
            spec = link_specs(type(record))[feature.cat_target.registry]
            for item in dict.fromkeys(str(v) for v in _as_items(value)):
                row_ = {spec.host_column: record._pk, spec.target_column: label_ids[name][item]}
                links.setdefault(spec.target_name, (spec, []))[1].append(
                    {**row_, "feature": feature._pk}
                )
    _insert(REGISTRY["RecordJson"], json_rows)
    for spec, link_rows in links.values():
        _insert(spec.link, link_rows)


def _as_items(cell: Any) -> list[Any]:
    if isinstance(cell, (list, tuple, set)) or hasattr(cell, "tolist"):
        return list(cell.tolist() if hasattr(cell, "tolist") else cell)
    return [cell]


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    ensure_table(model)
    for start in range(0, len(rows), 500):
        model.insert_many(rows[start : start + 500]).execute()


#: LaminDB's fixed uids of the record type and the schema type that hold imported frames
IMPORTS_UID = "W3WdiFRZTvTJajNp"
SCHEMA_IMPORTS_UID = "DGZkj4yhGWMJE5fu"


def _fixed_type(model: type, uid: str) -> Any:
    found = model.filter(uid=uid).one_or_none()
    if found is None:
        found = model(name="Imports", is_type=True)
        found.uid = uid
        found = found.save()
    return found


def _import_type(cls: type, df: Any, name: str) -> Any:
    """A new record frame ``name`` under ``Imports``, its schema the columns that are features."""
    Schema, Feature = REGISTRY["Schema"], REGISTRY["Feature"]
    imports = _fixed_type(cls, IMPORTS_UID)
    if cls.filter(name=name, is_type=True, type=imports).one_or_none() is not None:
        raise InvalidArgument(
            f"type {name!r} already exists under 'Imports': pass it as a Record to reuse it, "
            f"type=ln.Record.get(name={name!r}, is_type=True)."
        )
    columns = [str(c) for c in df.columns]
    by_name = {f.name: f for f in Feature.filter(name__in=columns, is_type=False)}
    features = [by_name[c] for c in columns if c in by_name]
    if not features:
        raise InvalidArgument(
            "No column of the DataFrame is a feature, so no schema can be inferred: create the "
            "features first (ln.Feature.from_dataframe(df).save()) or pass a saved record type."
        )
    with atomic():
        schema_type = _fixed_type(Schema, SCHEMA_IMPORTS_UID)
        schema = Schema(features, name=name, otype="DataFrame", type=schema_type).save()
        return cls(name=name, is_type=True, type=imports, schema=schema).save()


class _ClassOrInstance:
    """``Record.to_dataframe()`` lists all records; ``record_type.to_dataframe()`` exports the type."""

    def __init__(self, on_instance: Any):
        self._on_instance = on_instance

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, obj: Any, owner: type) -> Any:
        if obj is not None:
            return self._on_instance.__get__(obj, owner)
        for klass in owner.__mro__:
            found = klass.__dict__.get(self._name)
            if found is not None and found is not self:
                return found.__get__(None, owner)
        raise AttributeError(self._name)


def _type_frame(self: Any, recurse: bool = False, **kwargs: Any) -> Any:
    """Export the records of this type: one row per record, the schema's features as columns.

    With a schema ``index`` feature, the index holds the names under that feature's name;
    otherwise LaminDB's ``__lamindb_record_uid__``/``__lamindb_record_name__`` columns follow
    the features and the record ids are the index (``__lamindb_record_id__``).

    Examples
    --------
    >>> sample_type.to_dataframe()  # doctest: +SKIP
    """
    if not self.is_type:
        raise InvalidArgument(
            f"to_dataframe() exports a record type; {self.name!r} is a data record: call it on its "
            "type (record.type.to_dataframe()) or use ln.Record.to_dataframe()."
        )
    query = self.query_records() if recurse else type(self).filter(type=self)
    frame = query.to_dataframe(include="features", limit=None, order_by="id")
    if len(frame):
        frame = frame.sort_index()
    schema = self.schema
    index = schema.index if schema is not None else None
    members = [f.name for f in schema.members] if schema is not None else []
    fixed = {"uid", "name", *(c for c in frame.columns if c in type(self)._meta.fields)}
    features = [m for m in members if index is None or m != index.name]
    features += [c for c in frame.columns if c not in fixed and c not in features]
    for name in features:
        if name not in frame.columns:
            frame[name] = None
    if index is not None:
        out = frame[features].set_index(frame["name"].rename(index.name))
        return out
    out = frame[features].copy()
    out[UID_COLUMN], out[NAME_COLUMN] = frame["uid"], frame["name"]
    out.index.name = ID_COLUMN
    return out


class RecordFrames(SQLRecord):
    """Tables of records: import rows, export a type, query the records under a type.

    Examples
    --------
    >>> ln.Record.from_dataframe(df, type=sample_type).save()  # doctest: +SKIP
    >>> sample_type.to_dataframe()  # doctest: +SKIP
    """

    class Meta:
        abstract = True

    @classmethod
    def from_dataframe(cls, df: Any, *, type: Any, name_field: str = NAME_COLUMN) -> RecordBatch:
        """A batch of records of ``type``, one per row; ``save()`` it.

        Names come from the schema's ``index`` feature (on ``df.index`` or as a column), else
        from the column ``name_field``, else from ``name``; the other columns are features of
        the type's schema, validated when the batch is saved.

        Examples
        --------
        >>> ln.Record.from_dataframe(df, type=sample_type).save()  # doctest: +SKIP
        """
        if builtin_type(df).__name__ != "DataFrame":
            raise InvalidArgument(
                f"from_dataframe() takes a pandas DataFrame, not {builtin_type(df).__name__}."
            )
        if isinstance(type, str):
            type = _import_type(cls, df, type)
        if not isinstance(type, cls) or not type.is_type:
            raise InvalidArgument(
                f"type= takes a record type (a Record saved with is_type=True), not {type!r}."
            )
        return RecordBatch(cls, df, type, name_field)

    to_dataframe = _ClassOrInstance(_type_frame)

    def query_records(self, depth: int | None = None) -> Any:
        """The records of this type and of its sub-types (``depth=1``: this type's only).

        Examples
        --------
        >>> sorted(project_type.query_records().to_list("name"))  # doctest: +SKIP
        """
        ids = self.subtype_ids(None if depth is None else depth - 1)
        return type(self).filter(type_id__in=ids)

    def to_artifact(self, key: str | None = None, suffix: str | None = None, **kwargs: Any) -> Any:
        """Save :meth:`to_dataframe` as a CSV artifact (key ``lamindb_record_exports/<name>.csv``).

        Examples
        --------
        >>> sample_type.to_artifact().key  # doctest: +SKIP
        'lamindb_record_exports/Sample.csv'
        """
        if key is not None and suffix is not None:
            raise InvalidArgument("Pass key= or suffix=, not both.")
        if key is None:
            key = f"lamindb_record_exports/{self.name}{suffix or '.csv'}"
        frame = self.to_dataframe(**kwargs)
        schema = self.schema
        if schema is None or schema.index is None:
            frame = frame.reset_index(drop=True)  # the ids are no content
        description = f": {self.description}" if self.description is not None else ""
        with atomic():
            run = _export_run()
            artifact = REGISTRY["Artifact"].from_dataframe(
                frame,
                key=key,
                description=f"Export of record type {self.uid}{description}",
                schema=schema,
                run=run,
            )
            artifact = artifact.save()
            run.finished_at, run._status_code = dt.datetime.now(dt.timezone.utc), 0  # completed
            run.save()
        return artifact


#: LaminDB's fixed uid of the transform whose runs export record types
EXPORT_TRANSFORM_UID = "v6KpQx9mRt2B0000"


def _export_run() -> Any:
    """A new run of the ``__lamindb_record_export__`` function, started by the tracked run if any."""
    Transform, Run = REGISTRY["Transform"], REGISTRY["Run"]
    transform = Transform.filter(uid=EXPORT_TRANSFORM_UID).one_or_none()
    if transform is None:
        transform = Transform(key="__lamindb_record_export__", kind="function")
        transform.uid = EXPORT_TRANSFORM_UID
        transform = transform.save()
    return Run(transform, initiated_by_run=current_run_id(), status="started").save()


builtin_type = type

"""What the Curate panel shows, read from a curator: column states, invalid values, ranked suggestions.

Read-only over the curation layer except :func:`replace_value` and :func:`create_label`,
which change one value the way ``standardize`` and ``add_new_from`` change many.
Imports the curation package (pandas, rapidfuzz lazily): only the Curate panel imports
this module.
"""

from __future__ import annotations

from typing import Any

from ..curation import AnnDataCurator, DataFrameCurator
from ..curation.categorical import unique_values
from ..curation.columns import check_dtype
from ..curation.save import curator_slots
from ..curation.suggest import MIN_SCORE
from ..errors import InvalidArgument
from ._records import to_text

#: how many suggestions a value offers at most
MAX_SUGGESTIONS = 3
STATES = ("valid", "invalid", "dtype", "missing", "extra")


def make_curator(dataset: Any, schema: Any = None) -> Any:
    """A curator for ``dataset``: a DataFrame or AnnData with a schema, or an existing curator.

    Examples
    --------
    >>> make_curator(df, schema)  # doctest: +SKIP
    <DataFrameCurator schema='perturbations' validated=False>
    """
    if isinstance(dataset, (DataFrameCurator, AnnDataCurator)):
        return dataset
    kind = type(dataset).__name__
    if schema is None:
        raise InvalidArgument(
            f"Curating a {kind} needs a schema: Curate(df, schema), with schema = ln.Schema(...).save()."
        )
    if kind == "DataFrame":
        return DataFrameCurator(dataset, schema)
    if kind == "AnnData":
        return AnnDataCurator(dataset, schema)
    raise InvalidArgument(f"Curate takes a pandas DataFrame, an AnnData or a curator, not {kind}.")


def slots_of(curator: Any) -> dict[str, Any]:
    """Slot name → slot curator; the slot of a DataFrame curator is ``""``.

    Examples
    --------
    >>> list(slots_of(DataFrameCurator(df, schema)))  # doctest: +SKIP
    ['']
    """
    return {(slot or ""): sub for slot, sub in curator_slots(curator).items()}


def slot_curator(curator: Any, slot: Any) -> Any:
    """The curator of one slot (``""`` for a DataFrame curator)."""
    slots = slots_of(curator)
    slot = str(slot or "")
    if slot not in slots:
        raise InvalidArgument(
            f"This dataset has no slot {slot!r}; slots: {', '.join(map(repr, slots))}."
        )
    return slots[slot]


def cat_column(sub: Any, key: Any) -> Any:
    """The categorical column ``key`` of a slot curator (its validation state)."""
    columns = sub.cat._columns
    if key not in columns:
        raise InvalidArgument(
            f"{key!r} is not a categorical column; categorical columns: {', '.join(columns) or 'none'}."
        )
    return columns[key]


def describe_dataset(curator: Any) -> dict[str, Any]:
    """Kind, shape and schema name of the curated dataset, for the panel's header."""
    data = curator.dataset
    shape = getattr(data, "shape", None)
    return {
        "kind": type(data).__name__,
        "rows": int(shape[0]) if shape else 0,
        "columns": int(shape[1]) if shape and len(shape) > 1 else 0,
        "schema": to_text(curator.schema.name or curator.schema.uid),
    }


def _row(slot: str, key: str, state: str, **extra: Any) -> dict[str, Any]:
    row = {
        "slot": slot,
        "key": key,
        "state": state,
        "dtype": "",
        "actual": "",
        "message": "",
        "categorical": False,
        "n_invalid": 0,
        "n_synonyms": 0,
        "n_values": 0,
        "blocking": state != "valid",
    }
    row.update(extra)
    return row


def _cat_state(sub: Any, slot: str, key: str, **extra: Any) -> dict[str, Any]:
    column = cat_column(sub, key)
    sub.cat._revalidate(key)  # one query: the exact matches of the column's distinct values
    bad = len(column.non_validated)
    return _row(
        slot,
        key,
        "invalid" if bad else "valid",
        categorical=True,
        n_invalid=bad,
        n_synonyms=len(column.synonyms),
        n_values=len(column.values),
        **extra,
    )


def _frame_states(sub: Any, slot: str) -> list[dict[str, Any]]:
    sub._prepare()
    df, schema, features = sub.dataset, sub.schema, sub.features
    fixed = getattr(sub, "_fixed", True)
    optional = set((schema._aux or {}).get("optionals", []))
    names = {f.name for f in features}
    rows = []
    for feature in features:
        name, dtype = feature.name, to_text(feature.dtype or "")
        if name not in df.columns:
            required = (
                schema.minimal_set and feature.uid not in optional and feature.default_value is None
            )
            note = (
                "optional"
                if not required and feature.default_value is None
                else "filled with its default value when validated"
                if not required
                else "required by the schema"
            )
            rows.append(
                _row(
                    slot,
                    name,
                    "missing",
                    dtype=dtype,
                    message=f"Column {name!r} is missing ({note}).",
                    blocking=required,
                )
            )
            continue
        actual = str(df[name].dtype)
        # A one-column copy: coercion in check_dtype must not change the data before validate() does.
        message = check_dtype(df[[name]].copy(), name, feature, schema.coerce)
        if message:
            rows.append(_row(slot, name, "dtype", dtype=dtype, actual=actual, message=message))
        elif name in sub.cat._columns:
            rows.append(_cat_state(sub, slot, name, dtype=dtype, actual=actual))
        else:
            rows.append(_row(slot, name, "valid", dtype=dtype, actual=actual))
    for column in df.columns:
        if str(column) in names:
            continue
        blocking = bool(fixed and schema.maximal_set)
        note = (
            "not allowed by the schema (maximal_set)"
            if blocking
            else "not in the schema; saved as is"
        )
        rows.append(
            _row(
                slot,
                str(column),
                "extra",
                actual=str(df[column].dtype),
                blocking=blocking,
                message=f"Column {str(column)!r} is {note}.",
            )
        )
    return rows


def column_states(curator: Any) -> list[dict[str, Any]]:
    """One row per column (or index) of every slot: its state and what is wrong with it.

    ``state`` is ``valid``, ``invalid`` (categorical values that match no record), ``dtype``,
    ``missing`` or ``extra``; ``blocking`` says whether it keeps the dataset from validating.

    Examples
    --------
    >>> [(r["key"], r["state"]) for r in column_states(curator)]  # doctest: +SKIP
    [('perturbation', 'invalid'), ('temperature', 'valid')]
    """
    rows: list[dict[str, Any]] = []
    for slot, sub in slots_of(curator).items():
        if hasattr(sub, "features"):
            rows.extend(_frame_states(sub, slot))
        else:  # the variable names of an AnnData: one categorical key named like the slot
            rows.extend(_cat_state(sub, slot, key) for key in sub.cat.keys)
    return rows


def known_names(column: Any) -> list[str]:
    """The names a categorical column's values can take (its registry, and type)."""
    return [str(n) for n in column._scope().to_list(column.target.field_name) if n is not None]


def ranked_suggestions(
    values: list[str], known: list[str], synonyms: dict[str, str]
) -> dict[str, list[dict]]:
    """Up to :data:`MAX_SUGGESTIONS` replacements per value: its synonym first, then the closest names.

    Examples
    --------
    >>> ranked_suggestions(["IFNJ"], ["IFNG", "DMSO"], {})
    {'IFNJ': [{'name': 'IFNG', 'kind': 'similar', 'score': 75}]}
    """
    from rapidfuzz import fuzz, process, utils

    out: dict[str, list[dict]] = {}
    for value in values:
        ranked: list[dict] = []
        if value in synonyms:
            ranked.append({"name": synonyms[value], "kind": "synonym", "score": 100})
        if known:
            matches = process.extract(
                value,
                known,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                score_cutoff=MIN_SCORE,
                limit=MAX_SUGGESTIONS + 1,
            )
            for name, score, _ in matches:
                if name != value and all(s["name"] != name for s in ranked):
                    ranked.append({"name": name, "kind": "similar", "score": round(score)})
        out[value] = ranked[:MAX_SUGGESTIONS]
    return out


def value_page(sub: Any, key: str, offset: int, limit: int) -> dict[str, Any]:
    """One page of a column's values that match no record, each with its suggestions.

    Examples
    --------
    >>> value_page(curator, "perturbation", 0, 20)["items"]  # doctest: +SKIP
    [{'value': 'IFNJ', 'suggestions': [{'name': 'IFNG', 'kind': 'similar', 'score': 75}]}]
    """
    column = cat_column(sub, key)
    if not column.values:
        sub.cat._revalidate(key)
    page = column.non_validated[offset : offset + limit]
    ranked = ranked_suggestions(
        [str(v) for v in page], known_names(column) if page else [], column.synonyms
    )
    items = [
        {"value": to_text(v), "raw": str(v), "suggestions": ranked.get(str(v), [])} for v in page
    ]
    target = column.target
    registry = target.model.__name__ + (f"[{target.type_name}]" if target.type_name else "")
    return {
        "key": key,
        "offset": offset,
        "total": len(column.non_validated),
        "items": items,
        "registry": registry,
        "n_synonyms": len(column.synonyms),
    }


def _require_invalid(column: Any, value: str) -> None:
    if value not in column.non_validated:
        raise InvalidArgument(
            f"{value!r} is not among the values of {column.key!r} that need fixing; refresh the panel."
        )


def replace_value(sub: Any, key: str, value: str, replacement: str) -> None:
    """Replace ``value`` by an existing name ``replacement`` in the dataset, then re-validate the column.

    Examples
    --------
    >>> replace_value(curator, "perturbation", "IFNJ", "IFNG")  # doctest: +SKIP
    """
    column = cat_column(sub, key)
    sub.cat._revalidate(key)
    _require_invalid(column, value)
    target = column.target
    if not column._scope().filter(**{target.field_name: replacement}).exists():
        raise InvalidArgument(
            f"{replacement!r} is not a {target.model.__name__} {target.field_name}; "
            "pick one of the suggestions, or create a label for the value."
        )
    # The data may hold the value as a number (validation compares text): replace it as it is stored.
    stored = [v for v in unique_values(sub._values_of(key)) if str(v) == value] or [value]
    sub._replace_values(key, {v: replacement for v in stored})
    sub.cat._revalidate(key)


def create_label(sub: Any, key: str, value: str) -> Any:
    """Create the record for one value of ``key`` (in the column's registry and type); return it.

    Examples
    --------
    >>> create_label(curator, "perturbation", "IFNJ").name  # doctest: +SKIP
    'IFNJ'
    """
    column = cat_column(sub, key)
    sub.cat._revalidate(key)
    _require_invalid(column, value)
    sub.cat.add_new_from(key, values=[value])
    target = column.target
    record = target.model.filter(**{target.field_name: value}).order_by("-id").first()
    sub.cat._revalidate(key)
    return record


def blocking_message(rows: list[dict[str, Any]], curator: Any) -> str:
    """Why the dataset cannot be saved yet, column by column, and what to click; ``""`` when nothing blocks.

    Examples
    --------
    >>> blocking_message(column_states(curator), curator)  # doctest: +SKIP
    "Not saved: 'perturbation' has 1 value that matches no ULabel: 'IFNJ'. ..."
    """
    lines = []
    for row in (r for r in rows if r["blocking"]):
        where = f"{row['slot']}:{row['key']}" if row["slot"] else row["key"]
        if row["state"] == "invalid":
            column = cat_column(slot_curator(curator, row["slot"]), row["key"])
            shown = ", ".join(repr(to_text(v)) for v in column.non_validated[:5])
            more = f" (+{row['n_invalid'] - 5} more)" if row["n_invalid"] > 5 else ""
            n = row["n_invalid"]
            lines.append(
                f"{where!r} has {n} value{'s' if n != 1 else ''} that match{'es' if n == 1 else ''} no "
                f"{column.target.model.__name__}: {shown}{more}."
            )
        else:
            lines.append(row["message"])
    if not lines:
        return ""
    return (
        "Not saved: "
        + " ".join(lines)
        + " Accept a suggestion or create labels for invalid values, "
        "fix the other columns in the data, then click Save again."
    )

"""Column checks of a DataFrame against a schema: presence, order and dtypes (with coercion).

Each check returns error messages instead of raising, so that one ``validate()``
reports every problem of a dataset at once.
"""

from __future__ import annotations

from typing import Any

_EXAMPLES = 3


def check_columns(
    columns: list[str],
    features: list[Any],
    optional_uids: set[str],
    schema: Any,
    also_allowed: set[str] | None = None,
) -> list[str]:
    """Missing, extra and out-of-order columns, as messages.

    Examples
    --------
    >>> check_columns(["a"], [feature_b], set(), schema)  # doctest: +SKIP
    ["Column 'b' is missing: schema 'x' requires it. ..."]
    """
    errors = []
    names = [f.name for f in features]
    label = f"schema {schema.name!r}" if schema.name else "the schema"
    if schema.minimal_set:
        missing = [f.name for f in features if f.name not in columns and f.uid not in optional_uids]
        if missing:
            n = len(missing)
            errors.append(
                f"{n} column{'s are' if n != 1 else ' is'} missing: {', '.join(map(repr, missing))} ({label} requires "
                f"{'them' if n != 1 else 'it'}). Add the column{'s' if n != 1 else ''}, or make the feature optional: "
                f"schema.optionals.add(ln.Feature.get(name={missing[0]!r}))."
            )
    if schema.maximal_set:
        # a flexible schema's other features of its itype are in the schema too
        extra = [c for c in columns if c not in names and c not in (also_allowed or set())]
        if extra:
            errors.append(
                f"{len(extra)} column{'s are' if len(extra) != 1 else ' is'} not in {label}: "
                f"{', '.join(map(repr, extra))}. "
                "Drop them, or use a schema with maximal_set=False."
            )
    if schema.ordered_set:
        present = [c for c in columns if c in names]
        expected = [n for n in names if n in columns]
        if present != expected:
            errors.append(
                f"Columns are out of order for {label}: expected {expected}, got {present}."
            )
    return errors


def _numeric(series: Any) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _bad_examples(original: Any, converted: Any) -> list[Any]:
    bad = original[converted.isna() & original.notna()]
    return list(dict.fromkeys(bad.tolist()))[:_EXAMPLES]


def _conform(series: Any, dtype: str) -> tuple[bool, Any]:
    """(already of dtype, converter to dtype or None) for a non-categorical dtype."""
    import pandas as pd

    types = pd.api.types
    if dtype in ("float", "num"):
        return _numeric(series), lambda s: pd.to_numeric(s, errors="coerce").astype(float)
    if dtype == "int":

        def to_int(s: Any) -> Any:
            num = pd.to_numeric(s, errors="coerce")
            return num.where(num.isna() | (num == num.round())).astype("Int64")

        return types.is_integer_dtype(series) and not types.is_bool_dtype(series), to_int
    if dtype in ("str", "path", "url"):
        # the dtype, not the values: pandas calls an object column with a None in it no string column
        ok = types.is_string_dtype(series.dtype) and types.infer_dtype(series, skipna=True) in (
            "string",
            "empty",
        )
        if isinstance(series.dtype, pd.CategoricalDtype):  # LaminDB: string categories are str
            ok = types.infer_dtype(series.cat.categories, skipna=True) in ("string", "empty")
        return ok, lambda s: s.where(s.isna(), s.astype(str))
    if dtype == "bool":
        return types.is_bool_dtype(series), lambda s: s.map(
            {True: True, False: False, "True": True, "False": False, "true": True, "false": False}
        )
    if dtype == "datetime":
        return types.is_datetime64_any_dtype(series), lambda s: pd.to_datetime(s, errors="coerce")
    if dtype == "date":
        ok = types.is_datetime64_any_dtype(series) or types.infer_dtype(series, skipna=True) in (
            "date",
            "empty",
        )
        return ok, lambda s: pd.to_datetime(s, errors="coerce").dt.date.where(s.notna(), None)
    return True, None  # dict, object, lists: anything goes


def check_dtype(df: Any, column: str, feature: Any, coerce: bool) -> str | None:
    """Check (and with ``coerce``, convert in place) one column; an error message or None.

    Examples
    --------
    >>> check_dtype(df, "temperature", temperature, coerce=True)  # doctest: +SKIP
    """
    series = df[column]
    dtype = feature.dtype or "object"
    if not feature.nullable and series.isna().any():
        n = int(series.isna().sum())
        return (
            f"Column {column!r} has {n} missing value{'s' if n != 1 else ''}, "
            f"but feature {feature.name!r} is not nullable."
        )
    if feature.cat_target is not None or dtype.startswith("list["):
        return None
    ok, convert = _conform(series, dtype)
    if ok:
        return None
    if not coerce and not feature.coerce:
        example = next((v for v in series.dropna().tolist()), None)
        return (
            f"Column {column!r} has dtype {series.dtype}, but feature {feature.name!r} expects {dtype} "
            f"(e.g. {example!r}). Fix the values, or create the schema with coerce_dtype=True to convert them."
        )
    converted = convert(series)
    bad = _bad_examples(series, converted)
    if bad:
        return (
            f"Column {column!r} cannot be converted to {dtype}: {', '.join(map(repr, bad))} "
            f"{'are' if len(bad) != 1 else 'is'} no {dtype}. Fix these values."
        )
    df[column] = converted
    return None

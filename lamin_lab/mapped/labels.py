"""Labels from ``.obs`` columns: merged categories, integer encoders, filters and weights.

Every ``.obs`` column is handled as categorical: each store contributes its categories,
the merged categories are their sorted union, and every observation gets the position
of its label among the merged categories (a "category index"). Missing values get the
extra position ``len(categories)``. Those indices live in one small numpy integer array
per column (1, 2 or 4 bytes per observation), never in lists of strings, so an index
over millions of cells stays lean.

Examples
--------
>>> column = build_label_column(handles, "cell_type", selections)  # doctest: +SKIP
>>> column.encoder(unknown="unknown")  # doctest: +SKIP
{'unknown': -1, 'B cell': 0, 'T cell': 1}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Sequence

import numpy as np

from lamin_lab.errors import InvalidArgument

from .stores import StoreHandle


def smallest_int_dtype(n_values: int) -> np.dtype:
    """The smallest signed integer dtype that holds ``0 .. n_values``.

    Examples
    --------
    >>> smallest_int_dtype(100)
    dtype('int8')
    """
    for dtype in (np.int8, np.int16, np.int32):
        if n_values <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


@dataclass
class LabelColumn:
    """One ``.obs`` column across all stores.

    Attributes
    ----------
    key
        The column name.
    categories
        Merged categories (sorted union over the stores), an object array.
    present
        Per store, whether it has the column (stores without it omit the key in items).
    luts
        Per store, local code → category index; the last entry is for missing (-1) codes.
    codes
        Category index per observation of the (filtered) index, or ``None`` when
        categories are not cached and codes are read from the stores on demand.
    """

    key: str
    categories: np.ndarray
    present: np.ndarray
    luts: list[np.ndarray | None]
    codes: np.ndarray | None = None
    local_codes: list[np.ndarray | None] = field(default_factory=list)
    output: np.ndarray | None = None

    @property
    def missing_index(self) -> int:
        """Category index used for missing values."""
        return len(self.categories)

    def encoder(self, unknown: str | None = None) -> dict:
        """Label → integer code; ``unknown`` (when given) maps to ``-1``.

        The codes number the merged categories in sorted order, skipping ``unknown``.
        """
        encoder: dict = {}
        known = [c for c in self.categories.tolist() if unknown is None or c != unknown]
        if unknown is not None and len(known) < len(self.categories):
            encoder[unknown] = -1
        encoder.update({label: code for code, label in enumerate(known)})
        return encoder

    def set_output(self, encoder: dict | None) -> None:
        """Prepare the table that turns category indices into item values.

        Encoded columns give integer codes (missing → ``-1``); other columns give the
        label itself (missing → ``nan``).
        """
        if encoder is None:
            table = np.empty(len(self.categories) + 1, dtype=object)
            table[:-1] = self.categories
            table[-1] = np.nan
        else:
            table = np.array([encoder[c] for c in self.categories.tolist()] + [-1], dtype=np.int64)
        self.output = table

    def indices_for(
        self, store: int, rows: np.ndarray, handle: StoreHandle, positions: np.ndarray | None
    ) -> np.ndarray:
        """Category indices of ``rows`` of one store (``positions`` = their index slots)."""
        if self.codes is not None and positions is not None:
            return self.codes[positions]
        local = self.local_codes[store] if self.local_codes else None
        local_codes = local[rows] if local is not None else handle.obs_codes(self.key, rows)
        return self.luts[store][local_codes]

    def labels(self, indices: np.ndarray) -> np.ndarray:
        """Category indices → labels (object array, ``nan`` for missing)."""
        table = np.empty(len(self.categories) + 1, dtype=object)
        table[:-1] = self.categories
        table[-1] = np.nan
        return table[indices]


def _merge_categories(per_store: Sequence[np.ndarray | None]) -> np.ndarray:
    merged: set = set()
    for cats in per_store:
        if cats is not None:
            merged.update(cats.tolist())
    try:
        ordered = sorted(merged)
    except TypeError:  # mixed types: order by their text, deterministically
        ordered = sorted(merged, key=str)
    out = np.empty(len(ordered), dtype=object)
    out[:] = ordered
    return out


def build_label_column(
    handles: Sequence[StoreHandle],
    key: str,
    selections: Sequence[np.ndarray | None],
    offsets: np.ndarray,
    cache: bool = True,
) -> LabelColumn:
    """Read one ``.obs`` column from every store into a :class:`LabelColumn`.

    Parameters
    ----------
    handles
        The stores.
    key
        Column name.
    selections
        Per store, the selected rows (``obs_filter``) or ``None`` for all rows.
    offsets
        Start of each store in the joint index (length ``n_stores + 1``).
    cache
        Keep category indices of every observation in memory (fast items). Without it
        only categorical columns can be read on demand; others are still kept.

    Examples
    --------
    >>> build_label_column(handles, "cell_type", [None, None], offsets)  # doctest: +SKIP
    """
    per_store_codes: list[np.ndarray | None] = []
    per_store_cats: list[np.ndarray | None] = []
    categorical: list[bool] = []
    for handle in handles:
        if not handle.has(f"obs/{key}"):
            per_store_codes.append(None)
            per_store_cats.append(None)
            categorical.append(False)
            continue
        codes, cats = handle.obs_column(key)
        per_store_codes.append(codes)
        per_store_cats.append(cats)
        categorical.append(handle.has(f"obs/{key}/codes"))
    categories = _merge_categories(per_store_cats)
    lookup = {label: i for i, label in enumerate(categories.tolist())}
    missing = len(categories)
    dtype = smallest_int_dtype(missing + 1)
    luts: list[np.ndarray | None] = []
    for cats in per_store_cats:
        if cats is None:
            luts.append(None)
            continue
        lut = [lookup[c] for c in cats.tolist()] + [missing]
        luts.append(np.asarray(lut, dtype=dtype))
    column = LabelColumn(
        key=key,
        categories=categories,
        present=np.array([c is not None for c in per_store_cats]),
        luts=luts,
    )
    if cache:
        column.codes = np.full(int(offsets[-1]), missing, dtype=dtype)
        for s, codes in enumerate(per_store_codes):
            if codes is None:
                continue
            rows = codes if selections[s] is None else codes[selections[s]]
            column.codes[offsets[s] : offsets[s + 1]] = luts[s][rows]
    else:
        column.local_codes = [
            None if is_cat else codes
            for codes, is_cat in zip(per_store_codes, categorical, strict=True)
        ]
    return column


def filter_mask(handle: StoreHandle, obs_filter: dict, n_obs: int) -> np.ndarray:
    """Rows of one store that match every ``column: value(s)`` of ``obs_filter``.

    A missing column matches nothing; ``None``/``nan`` among the values matches missing
    labels.

    Examples
    --------
    >>> filter_mask(handle, {"cell_type": ("B cell", "T cell")}, 1000).sum()  # doctest: +SKIP
    412
    """
    mask = np.ones(n_obs, dtype=bool)
    for column, wanted in obs_filter.items():
        if isinstance(wanted, (str, bytes)) or not isinstance(wanted, (list, tuple, set)):
            wanted = [wanted]
        wanted = list(wanted)
        if not handle.has(f"obs/{column}"):
            return np.zeros(n_obs, dtype=bool)
        codes, cats = handle.obs_column(column)
        present = [w for w in wanted if not _is_missing(w)]
        allowed = np.append(np.isin(cats, np.array(present, dtype=object)), False)
        allowed[-1] = any(_is_missing(w) for w in wanted)
        mask &= allowed[codes]
    return mask


def normalize_filter(obs_filter: Any) -> dict | None:
    """Accept a dict (or LaminDB's older ``(column, values)`` tuple) and check it."""
    if obs_filter is None:
        return None
    if isinstance(obs_filter, tuple) and len(obs_filter) == 2:
        obs_filter = {obs_filter[0]: obs_filter[1]}
    if not isinstance(obs_filter, dict):
        raise InvalidArgument("obs_filter must be a dict like {'cell_type': ('B cell', 'T cell')}.")
    return obs_filter


def label_weights(
    columns: Sequence[LabelColumn], scaler: float | None
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Per-observation weights ``1 / count`` (or ``scaler / (count + scaler)``).

    With several columns the label of an observation is the combination of its labels.

    Returns
    -------
    Weights per observation, the combined label names, and the weight of each name.
    """
    combined = np.zeros(len(columns[0].codes), dtype=np.int64)
    for column in columns:
        combined = combined * (column.missing_index + 1) + column.codes
    uniques, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
    per_label = 1.0 / counts if scaler is None else scaler / (counts + scaler)
    names = []
    for value in uniques.tolist():
        parts = []
        for column in reversed(columns):
            value, index = divmod(value, column.missing_index + 1)
            parts.append(str(column.labels(np.array([index]))[0]))
        names.append("__".join(reversed(parts)))
    return per_label[inverse.reshape(-1)], names, per_label

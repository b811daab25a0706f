"""Auto-complete objects: a registry's values as attributes (``labels.t_cell``).

:func:`build_lookup` turns values (e.g. every ``name`` of a registry) and the items they
stand for (records or another field) into a :class:`Lookup`. Attribute names come from
:func:`to_attr_name`; IPython/Jupyter tab completion lists them through ``__dir__``.

A plain class with ``__getattr__`` is used instead of LaminDB's namedtuple: creating a
namedtuple class with 10,000 fields costs far more than a dictionary and gains nothing.

Rules, all deterministic (input order decides):

- ``None`` and empty values are skipped.
- Repeated values, and distinct values that become the same attribute name (``"T cell"``
  and ``"T-cell"`` → ``t_cell``), follow ``keep``: ``"first"`` or ``"last"`` item, or with
  ``keep=False`` a tuple of all items (a single item stays a single item).
- Names that are Python keywords or the lookup's own attributes (``dict``) get a trailing
  underscore (``class_``, ``dict_``); the original value always works with ``lookup[...]``.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal

from ..errors import InvalidArgument

_NOT_IDENTIFIER = re.compile("[^0-9a-zA-Z_]+")
# Fast path for ASCII values (4x cheaper than the regex): one C-level byte translation maps
# identifier characters to themselves (upper → lower case) and everything else to a space.
_ASCII_TABLE = bytes(
    (c + 32 if 65 <= c <= 90 else c) if (c < 128 and (chr(c).isalnum() or c == 95)) else 32
    for c in range(256)
)
_OWN_NAMES = frozenset({"dict"})
Keep = Literal["first", "last", False]


def _collapse(spaced: str) -> str:
    """Replace each run of spaces by one ``_`` (same result as the regex on the original)."""
    if " " not in spaced:
        return spaced
    parts = spaced.split()
    if not parts:
        return "_"
    name = "_".join(parts)
    if spaced[0] == " ":
        name = "_" + name
    if spaced[-1] == " ":
        name += "_"
    return name


def to_attr_name(value: object) -> str:
    """Convert a value into an attribute name usable after a dot.

    Runs of characters other than ASCII letters, digits and ``_`` become one ``_``, the
    result is lower-cased and prefixed with ``ln_`` unless it starts with a letter.

    Examples
    --------
    >>> to_attr_name("CD4-positive, alpha-beta T cell")
    'cd4_positive_alpha_beta_t_cell'
    >>> to_attr_name("2nd stage")
    'ln_2nd_stage'
    """
    text = str(value)
    if text.isascii():
        name = _collapse(text.encode().translate(_ASCII_TABLE).decode())
    else:
        name = _NOT_IDENTIFIER.sub("_", text).lower()
    if not name[:1].isalpha():
        name = "ln_" + name
    return name


def _safe_name(name: str) -> str:
    if name in _OWN_NAMES or keyword.iskeyword(name):
        return name + "_"
    return name


def _merge(
    mapping: dict[Any, Any], groups: dict[Any, list], key: Any, item: Any, keep: Keep
) -> None:
    """Record ``item`` under ``key`` following ``keep`` (``groups`` collects all for keep=False)."""
    if key not in mapping:
        mapping[key] = item
        if keep is False:
            groups[key] = [item]
    elif keep == "last":
        mapping[key] = item
    elif keep is False:
        groups[key].append(item)
        mapping[key] = tuple(groups[key])


_MISSING = object()


class Lookup:
    """Values as attributes, plus a dictionary by original value.

    Build it with :func:`build_lookup`.

    Examples
    --------
    >>> labels = build_lookup(["T cell", "B cell"], [1, 2], name="ULabel")
    >>> labels.t_cell, labels["B cell"], labels.dict()
    (1, 2, {'T cell': 1, 'B cell': 2})
    """

    __slots__ = ("_attrs", "_by_value", "_name", "_resolve", "_cache")

    def __init__(
        self,
        attrs: dict[str, Any],
        by_value: dict[str, Any],
        name: str = "Lookup",
        resolve: Callable[[list[Any]], dict[Any, Any]] | None = None,
    ) -> None:
        self._attrs = attrs
        self._by_value = by_value
        self._name = name
        # With ``resolve``, items are keys (ids) turned into records only when asked for:
        # a lookup over 10,000 labels then never builds 10,000 records to show one.
        self._resolve = resolve
        self._cache: dict[Any, Any] = {}

    def _out(self, item: Any) -> Any:
        if self._resolve is None:
            return item
        keys = list(item) if isinstance(item, tuple) else [item]
        missing = [k for k in keys if k not in self._cache]
        if missing:
            self._cache.update(self._resolve(missing))
        return tuple(self._cache[k] for k in keys) if isinstance(item, tuple) else self._cache[item]

    def __getattr__(self, attr: str) -> Any:
        # Only called when normal attribute lookup fails, i.e. for value names.
        try:
            item = object.__getattribute__(self, "_attrs")[attr]
        except (KeyError, AttributeError):
            item = _MISSING
        if item is not _MISSING:
            return self._out(item)
        raise AttributeError(
            f"{object.__getattribute__(self, '_name')} lookup has no value named {attr!r}: "
            "press Tab to see the names, or use lookup['original value'] / lookup.dict()."
        )

    def __dir__(self) -> list[str]:
        return sorted(self._attrs) + ["dict"]

    def __getitem__(self, value: str) -> Any:
        if value in self._by_value:
            return self._out(self._by_value[value])
        if value in self._attrs:
            return self._out(self._attrs[value])
        raise KeyError(
            f"{value!r} is not a value of this {self._name} lookup: check the spelling or list .dict()."
        )

    def __contains__(self, value: object) -> bool:
        return value in self._by_value or value in self._attrs

    def __len__(self) -> int:
        return len(self._by_value)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.dict().values())

    def dict(self) -> dict[str, Any]:
        """A new dictionary from original values to items.

        Examples
        --------
        >>> build_lookup(["T cell"], ["t"]).dict()
        {'T cell': 't'}
        """
        if self._resolve is not None:
            keys = [
                k
                for item in self._by_value.values()
                for k in (item if isinstance(item, tuple) else (item,))
            ]
            missing = [k for k in dict.fromkeys(keys) if k not in self._cache]
            if missing:
                self._cache.update(self._resolve(missing))  # one query for all of them
        return {value: self._out(item) for value, item in self._by_value.items()}

    def __repr__(self) -> str:
        names = list(self._attrs)
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        return f"Lookup({self._name}: {len(names)} names: {shown}; use .<name> or .dict())"


def build_lookup(
    values: Iterable[object],
    items: Iterable[Any],
    *,
    keep: Keep = "first",
    name: str = "Lookup",
    resolve: Callable[[list[Any]], dict[Any, Any]] | None = None,
) -> Lookup:
    """Build a :class:`Lookup` from values and the items they stand for (paired by position).

    Parameters
    ----------
    values
        The looked-up values (e.g. names); ``None`` and empty values are skipped.
    items
        What each value returns (a record, or another field's value).
    keep
        For repeated values or colliding names: ``"first"``, ``"last"``, or ``False`` for a
        tuple of all items.
    name
        Shown in ``repr`` and messages (e.g. the registry name).
    resolve
        Turns a list of items (keys) into ``{key: object}``; items are then handed out
        resolved, and only when asked for.

    Examples
    --------
    >>> lk = build_lookup(["T cell", "T-cell", "2nd"], ["a", "b", "c"], keep=False)
    >>> lk.t_cell, lk.ln_2nd, lk["T-cell"]
    (('a', 'b'), 'c', 'b')
    """
    if keep not in ("first", "last", False):
        raise InvalidArgument(f"keep must be 'first', 'last' or False, got {keep!r}.")
    values, items = list(values), list(items)
    if len(values) != len(items):
        raise InvalidArgument(
            f"Got {len(values)} values but {len(items)} items: pass one item per value."
        )
    pairs = [(v, item) for v, item in zip(values, items, strict=True) if v is not None and v != ""]
    names = {value: _safe_name(to_attr_name(value)) for value, _ in pairs}
    if keep == "first":  # the default: a lean loop without the grouping bookkeeping
        first_values: dict[Any, Any] = {}
        first_attrs: dict[str, Any] = {}
        for value, item in pairs:
            first_values.setdefault(value, item)
            first_attrs.setdefault(names[value], item)
        return Lookup(first_attrs, first_values, name, resolve)
    by_value: dict[Any, Any] = {}
    attrs: dict[str, Any] = {}
    value_groups: dict[Any, list] = {}
    attr_groups: dict[str, list] = {}
    for value, item in pairs:
        _merge(by_value, value_groups, value, item, keep)
        _merge(attrs, attr_groups, names[value], item, keep)
    return Lookup(attrs, by_value, name, resolve)

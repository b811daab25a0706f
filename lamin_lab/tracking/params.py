"""A decorated function's arguments as ``run.params``: checked against annotations, secrets hidden.

Rules (those of LaminDB 2.12.1, so that the same call stores the same params):

- ``None`` and empty lists are left out (they mean "no value").
- An argument without annotation is kept when it is JSON-serialisable; a registry record
  is stored as ``"<Registry>[<uid>]"`` (a list of records as a list of those).
- An annotated argument is kept only when its value matches the annotation: ``int``
  (not ``bool``), ``float`` (a float, not an int), ``str``, ``bool``, ``dict``, ``list``,
  ``list[X]``, ``X | None``, ``Literal[...]``, ``Any`` and registries. A value that does
  not match, or an annotation outside this list (``Path``, a class of your own), is left
  out with a warning: params are for values that can be queried and compared.
- A key that names a secret (``password``, ``token``, ``api_key``, ...) or a PostgreSQL URL
  with a password is stored as ``"***REDACTED***"``.
"""

from __future__ import annotations

import json
import logging
import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

logger = logging.getLogger("lamin_lab")

REDACTED = "***REDACTED***"
_SECRET_KEY = re.compile(
    r"(^|[_\-.])(api[_-]?key|access[_-]?key|secret|token|password|passwd|private[_-]?key|client[_-]?secret)($|[_\-.])"
)
_POSTGRES_WITH_PASSWORD = re.compile(
    r"^postgres(?:ql)?://[^:@/\s]+:[^@/\s]+@[^/\s]+(?:/\S*)?$", re.IGNORECASE
)
_PLAIN = {
    bool: lambda v: isinstance(v, bool),
    int: lambda v: isinstance(v, int) and not isinstance(v, bool),
    float: lambda v: isinstance(v, float),
    str: lambda v: isinstance(v, str),
    dict: lambda v: isinstance(v, dict),
    list: lambda v: isinstance(v, list),
}
_MISSING = object()


def is_secret(key: str, value: Any) -> bool:
    """Whether a param's key names a secret or its value is a URL with a password.

    Examples
    --------
    >>> is_secret("apiKey", "x"), is_secret("depth", 3)
    (True, False)
    """
    snake = re.sub(
        r"([a-z0-9])([A-Z])", r"\1_\2", re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", key)
    ).lower()
    if _SECRET_KEY.search(snake):
        return True
    return isinstance(value, str) and _POSTGRES_WITH_PASSWORD.match(value.strip()) is not None


def _is_record(value: Any) -> bool:
    return hasattr(value, "_meta") and hasattr(value, "uid") and hasattr(type(value), "filter")


def _record_ref(value: Any) -> str:
    return f"{type(value).__name__}[{value.uid}]"


def _untyped(value: Any) -> Any:
    if _is_record(value):
        return _record_ref(value)
    if isinstance(value, (list, tuple)) and value and all(_is_record(v) for v in value):
        return [_record_ref(v) for v in value]
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return _MISSING
    return list(value) if isinstance(value, tuple) else value


def _mismatch(annotation: Any, value: Any) -> str | None:
    """Why ``value`` does not fit ``annotation``, or None when it does."""
    if annotation is Any:
        return None
    if annotation in (None, type(None)):
        return None if value is None else "expected None"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return (
            None
            if any(_mismatch(a, value) is None for a in args)
            else "no option of the union matches"
        )
    if origin is typing.Literal:
        return (
            None
            if any(value == a and type(value) is type(a) for a in args)
            else "not one of the literal values"
        )
    if origin in (list, set, frozenset, Iterable, Sequence):
        container = {list: list, set: set, frozenset: frozenset, Sequence: Sequence}.get(
            origin, Iterable
        )
        if not isinstance(value, container) or isinstance(value, (str, bytes, dict)):
            return f"expected {getattr(origin, '__name__', origin)}"
        item = args[0] if args else Any
        bad = next((m for m in (_mismatch(item, v) for v in value) if m is not None), None)
        return None if bad is None else f"an item does not match ({bad})"
    if origin in (dict, Mapping):
        if not isinstance(value, dict):
            return "expected a mapping"
        key_type, value_type = (args + (Any, Any))[:2] if args else (Any, Any)
        for k, v in value.items():
            if _mismatch(key_type, k) is not None or _mismatch(value_type, v) is not None:
                return "a key or value does not match"
        return None
    if origin is not None:
        return f"unsupported annotation {annotation!r}"
    if isinstance(annotation, type):
        if annotation in _PLAIN:
            return None if _PLAIN[annotation](value) else f"expected {annotation.__name__}"
        if hasattr(annotation, "_meta") and hasattr(annotation, "filter"):
            return None if isinstance(value, annotation) else f"expected {annotation.__name__}"
    return f"unsupported annotation {annotation!r}"


def annotations_of(func: Any) -> dict[str, Any]:
    """The parameter annotations of ``func``, resolved where they are strings.

    Examples
    --------
    >>> def f(n: int, m): ...
    >>> annotations_of(f)
    {'n': <class 'int'>}
    """
    raw = {k: v for k, v in getattr(func, "__annotations__", {}).items() if k != "return"}
    try:
        resolved = typing.get_type_hints(func)
    except Exception:  # an annotation naming something undefined: keep what resolves
        resolved = {}
    return {k: resolved.get(k, v) for k, v in raw.items()}


def params_to_json(
    params: dict[str, Any], annotations: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Keep the params that can be stored (rules in the module docstring).

    Examples
    --------
    >>> params_to_json({"n": "three", "ratio": 0.5, "note": None, "token": "abc"}, {"n": int})
    {'ratio': 0.5, 'token': '***REDACTED***'}
    """
    annotations = annotations or {}
    kept: dict[str, Any] = {}
    for key, value in params.items():
        if value is None or (isinstance(value, list) and not value):
            continue
        if key in annotations:
            why = _mismatch(annotations[key], value)
            if why is not None:
                logger.warning(
                    "skipping param %s: %r does not match its annotation %r (%s)",
                    key,
                    value,
                    annotations[key],
                    why,
                )
                continue
        stored = _untyped(value)
        if stored is _MISSING:
            logger.warning("skipping param %s: %r cannot be stored as JSON", key, value)
            continue
        kept[key] = REDACTED if is_secret(key, stored) else stored
    return kept

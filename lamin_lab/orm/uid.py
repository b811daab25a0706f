"""Random base62 uids and the base62 version counter of versioned records."""

from __future__ import annotations

import os
import string

from ..errors import InvalidArgument

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_INDEX = {c: i for i, c in enumerate(BASE62)}


def base62(n_char: int) -> str:
    """Return ``n_char`` random characters from ``0-9A-Za-z``.

    Examples
    --------
    >>> len(base62(12))
    12
    """
    # Rejection sampling on OS randomness: uniform over 62 symbols (248 = 4 * 62).
    out: list[str] = []
    while len(out) < n_char:
        out.extend(BASE62[b % 62] for b in os.urandom(2 * n_char) if b < 248)
    return "".join(out[:n_char])


def increment_base62(s: str) -> str:
    """Return the next base62 number of the same width (``"0000"`` → ``"0001"``).

    Examples
    --------
    >>> increment_base62("000z")
    '0010'
    """
    digits = [_INDEX[c] for c in s]
    i = len(digits) - 1
    while i >= 0:
        digits[i] += 1
        if digits[i] < 62:
            break
        digits[i] = 0
        i -= 1
    if i < 0:
        raise InvalidArgument(
            f"Version counter {s!r} overflowed: this family has too many versions."
        )
    return "".join(BASE62[d] for d in digits)


def is_base62(s: str) -> bool:
    """True when every character of ``s`` is in the base62 alphabet."""
    return bool(s) and all(c in _INDEX for c in s)

"""Suggestions for values that match nothing: the closest known name (rapidfuzz).

Examples
--------
>>> suggest(["IFNJ"], ["IFNG", "DMSO"])
{'IFNJ': 'IFNG'}
"""

from __future__ import annotations

#: minimum similarity (0–100) for a suggestion; "IFNJ" → "IFNG" scores 75
MIN_SCORE = 70.0


def suggest(values: list[str], known: list[str], min_score: float = MIN_SCORE) -> dict[str, str]:
    """The closest known name for each value, where one is close enough.

    Case is ignored when comparing; the suggestion keeps the known name's case.

    Examples
    --------
    >>> suggest(["t cel", "zzz"], ["T cell", "B cell"])
    {'t cel': 'T cell'}
    """
    if not values or not known:
        return {}
    from rapidfuzz import fuzz, process, utils

    out: dict[str, str] = {}
    for value in values:
        match = process.extractOne(
            str(value),
            known,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=min_score,
        )
        if match is not None and match[0] != value:
            out[value] = match[0]
    return out

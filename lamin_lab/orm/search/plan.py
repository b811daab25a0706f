"""FTS5 match strings that read few trigrams: the query planner of the SQLite search path.

A trigram phrase query (``"memory t cell of lung"``) makes FTS5 read the row list of every
trigram in it, and the common ones (``"ell"``, ``" of"``) hold most of the table: 20+ ms.
The candidates do not need to be exact (the Python ranking checks every row), only
selective. So we ask for rows holding the *rarest* few trigrams of the text, as an AND of
3-character strings: under a millisecond for the same query, nearly the same rows.

Rarity comes from the index's own statistics (an ``fts5vocab`` table next to the FTS
table), read once per table and refreshed at most every :data:`REFRESH_SECONDS` when the
data changed; stale numbers only cost speed, never results. Without statistics the text is
covered by non-overlapping trigrams instead (still fewer than the phrase).
"""

from __future__ import annotations

import time

import peewee

from .index import cache_key, database_of, execute, quote, table_version, vocab_name

MAX_TERMS = 6  # rarest trigrams per text: more adds reading, fewer adds false candidates
COMMON_SHARE = 0.2  # trigrams in more rows than this share are skipped (unless nothing else)
REFRESH_SECONDS = 600.0
_stats: dict[tuple, tuple[float, tuple, dict[str, int], int]] = {}


def _load(db: peewee.Database, model: type[peewee.Model]) -> tuple[dict[str, int], int]:
    name = vocab_name(model)
    if not execute(db, "SELECT 1 FROM sqlite_master WHERE name = ?", [name]):
        return {}, 0
    freq = dict(execute(db, f"SELECT term, doc FROM {quote(name)}"))
    total = execute(db, f"SELECT count(*) FROM {quote(model._meta.table_name)}")[0][0]
    return freq, total


def trigram_stats(model: type[peewee.Model]) -> tuple[dict[str, int], int]:
    """``({trigram: number of rows holding it}, number of rows)``; empty without statistics.

    Examples
    --------
    >>> freq, total = trigram_stats(Label)  # doctest: +SKIP
    """
    db = database_of(model)
    key = cache_key(db, model)
    cached = _stats.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < REFRESH_SECONDS:
        return cached[2], cached[3]
    version = table_version(model)
    if cached is not None and cached[1] == version:
        _stats[key] = (now, version, cached[2], cached[3])
        return cached[2], cached[3]
    freq, total = _load(db, model)
    _stats[key] = (now, version, freq, total)
    return freq, total


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def rare_terms(text: str, freq: dict[str, int], total: int) -> list[str]:
    """The trigrams of ``text`` to ask the index for (see the module docstring).

    Examples
    --------
    >>> rare_terms("hepatocyte", {}, 0)
    ['hep', 'ato', 'cyt', 'yte']
    >>> rare_terms("t cell", {"t c": 10, " ce": 50, "cel": 90, "ell": 90}, 100)
    ['t c']
    """
    text = text.lower()
    if not freq:
        terms = [text[i : i + 3] for i in range(0, len(text) - 2, 3)]
        if len(text) % 3:
            terms.append(text[-3:])
        return terms
    grams = sorted(
        {text[i : i + 3] for i in range(len(text) - 2)}, key=lambda g: (freq.get(g, 0), g)
    )
    chosen = [g for g in grams[:MAX_TERMS] if freq.get(g, 0) <= COMMON_SHARE * total]
    return chosen or grams[:1]


def match_all(text: str, freq: dict[str, int], total: int) -> str:
    """An FTS5 expression for rows that may contain ``text`` (needs ≥ 3 characters).

    Examples
    --------
    >>> match_all("abcdef", {}, 0)
    '("abc" AND "def")'
    """
    return "(" + " AND ".join(_quoted(t) for t in rare_terms(text, freq, total)) + ")"

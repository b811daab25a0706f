"""Typo tolerance for search: word corrections first, whole-value similarity last.

Both steps work on a per-table *corpus* (every value of the searched columns, the distinct
words in them) that is read once and cached per ``(table, columns, data version)``; the
version comes from :func:`~lamin_lab.orm.search_index.table_version` (a trigger-maintained
counter), so a user typing does not re-read the table on every keystroke.

1. :func:`corrected_phrases`: each query word that is not a word (or the start of a word)
   of the corpus is replaced by its closest corpus word (rapidfuzz ``ratio`` ≥ 70), e.g.
   ``"T cdll"`` → ``"t cell"``; the caller runs the exact search again with it.
2. :func:`similar_values`: when that still finds too little, rapidfuzz ``partial_ratio``
   of the whole query against every distinct value (≥ 80), e.g. ``"tcell"`` → ``"T cell"``.

rapidfuzz is imported lazily, inside these functions.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass

import peewee

from .search_index import cache_key, database_of, execute, quote, table_ref, table_version

WORD_CUTOFF = 70.0
VALUE_CUTOFF = 80.0
_SPLIT = re.compile(r"[\s|.,;:\-/()\[\]_]+")
_lock = threading.Lock()
_corpora: dict[tuple, tuple[tuple, Corpus]] = {}


@dataclass
class Corpus:
    """The lower-cased values of some columns of a table, for fuzzy matching.

    Attributes
    ----------
    values
        Distinct lower-cased values (of any searched column).
    ids
        For each entry of ``values``, the primary keys of the rows holding it.
    words
        Sorted distinct words of all values.
    """

    values: list[str]
    ids: list[list[int]]
    words: list[str]


def _build_corpus(rows: list[tuple]) -> Corpus:
    positions: dict[str, int] = {}
    values: list[str] = []
    ids: list[list[int]] = []
    for row in rows:
        for value in row[1:]:
            if value is None:
                continue
            text = str(value).lower()
            index = positions.get(text)
            if index is None:
                index = positions[text] = len(values)
                values.append(text)
                ids.append([])
            ids[index].append(row[0])
    words = sorted({w for text in values for w in _SPLIT.split(text) if w})
    return Corpus(values, ids, words)


def corpus(model: type[peewee.Model], columns: list[str]) -> Corpus:
    """The cached corpus of ``columns``, re-read only when the table changed.

    Examples
    --------
    >>> corpus(Label, ["name"]).words[:3]  # doctest: +SKIP
    ['b', 'cell', 't']
    """
    db = database_of(model)
    key = cache_key(db, model) + tuple(columns)
    version = table_version(model)
    cached = _corpora.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        pk = quote(model._meta.primary_key.column_name)
        select = ", ".join([pk] + [quote(c) for c in columns])
        built = _build_corpus(execute(db, f"SELECT {select} FROM {table_ref(model)}"))
        _corpora[key] = (version, built)
        return built


def _is_known(word: str, words: list[str]) -> bool:
    """True when ``word`` is a corpus word or the beginning of one (the user is still typing)."""
    i = bisect.bisect_left(words, word)
    return i < len(words) and words[i].startswith(word)


def corrected_phrases(phrase: str, data: Corpus) -> list[tuple[str, float]]:
    """Spelling-corrected versions of ``phrase`` with their similarity in (0, 1].

    Examples
    --------
    >>> corrected_phrases("t cdll", Corpus([], [], ["cell", "t"]))
    [('t cell', 0.75)]
    """
    from rapidfuzz import fuzz, process

    words = [w for w in _SPLIT.split(phrase.lower()) if w]
    fixed, similarity, changed = [], 1.0, False
    for word in words:
        if len(word) < 3 or _is_known(word, data.words):
            fixed.append(word)
            continue
        best = process.extractOne(word, data.words, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF)
        if best is None:
            fixed.append(word)
            continue
        fixed.append(best[0])
        similarity *= best[1] / 100.0
        changed = True
    return [(" ".join(fixed), similarity)] if changed else []


def similar_values(phrase: str, data: Corpus, limit: int) -> list[tuple[int, float]]:
    """Ids whose values resemble ``phrase`` as a whole, with similarity in (0, 1].

    Examples
    --------
    >>> similar_values("tcell", Corpus(["t cell"], [[7]], ["cell", "t"]), 5)
    [(7, 0.8888888888888888)]
    """
    from rapidfuzz import fuzz, process

    matches = process.extract(
        phrase.lower(), data.values, scorer=fuzz.partial_ratio, score_cutoff=VALUE_CUTOFF, limit=max(limit, 1) * 5
    )
    best: dict[int, float] = {}
    for _value, score, index in matches:
        for pk in data.ids[index]:
            best[pk] = max(best.get(pk, 0.0), score / 100.0)
    return sorted(best.items(), key=lambda item: (-item[1], -item[0]))


def restrict_ids(model: type[peewee.Model], ids: list[int], restrict_sql: str, restrict_params: list) -> set[int]:
    """The subset of ``ids`` that the caller's ``base_query`` (as SQL) admits."""
    if not restrict_sql or not ids:
        return set(ids)
    db = database_of(model)
    param = "%s" if isinstance(db, peewee.PostgresqlDatabase) else "?"
    pk = quote(model._meta.primary_key.column_name)
    allowed: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join([param] * len(chunk))
        sql = f"SELECT _s.{pk} FROM {table_ref(model)} AS _s WHERE _s.{pk} IN ({marks}) AND _s.{pk} IN ({restrict_sql})"
        allowed.update(row[0] for row in execute(db, sql, chunk + restrict_params))
    return allowed

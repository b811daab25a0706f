"""Typo tolerance for search: word corrections first, whole-value similarity last.

Both steps work on a per-table *corpus* (every value of the searched columns, the distinct
words in them) that is read once and cached per ``(table, columns, data version)``; the
version comes from :func:`~lamin_lab.orm.search.index.table_version` (a trigger-maintained
counter), so a user typing does not re-read the table on every keystroke.

1. :func:`corrected_phrases`: each query word that is not a word (or the start of a word)
   of the corpus is replaced by its closest corpus word (rapidfuzz ``ratio`` ≥ 70), e.g.
   ``"T cdll"`` → ``"t cell"``; an unknown word may also be two corpus words run together
   (``"tcell"`` → ``"t cell"``, matched against adjacent word pairs). The caller runs the
   exact search again with each corrected phrase. Vocabularies are small (thousands of
   words), so this costs about a millisecond.
2. :func:`similar_values`: when that still finds too little *and the table is small*
   (≤ :data:`MAX_VALUES_SCANNED` distinct values), rapidfuzz ``partial_ratio`` of the whole
   query against every value. On big tables it is skipped: it would cost tens of ms.

rapidfuzz is imported lazily, inside these functions.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from dataclasses import dataclass

import peewee

from .index import cache_key, database_of, execute, quote, table_ref, table_version

WORD_CUTOFF = 70.0
PAIR_CUTOFF = 85.0
VALUE_CUTOFF = 80.0
MAX_VALUES_SCANNED = 5000
_SPLIT = re.compile(r"[\s|.,;:\-/()\[\]_]+")
REFRESH_SECONDS = 600.0
_TO_SPACE = str.maketrans({c: " " for c in "|.,;:-/()[]_"})
_lock = threading.Lock()
_corpora: dict[tuple, _Cached] = {}


@dataclass
class Corpus:
    """The lower-cased values of some columns of a table, for fuzzy matching.

    Attributes
    ----------
    values
        Distinct lower-cased values (of any searched column); only kept for small tables
        (see :func:`similar_values`), empty otherwise.
    ids
        For each entry of ``values``, the primary keys of the rows holding it.
    words
        Sorted distinct words of all values.
    pairs
        Adjacent word pairs written together, mapped to the pair with a space
        (``"tcell"`` → ``"t cell"``).
    """

    values: list[str]
    ids: list[list[int]]
    words: list[str]
    pairs: dict[str, str]


@dataclass
class _Cached:
    version: tuple
    data: Corpus
    max_pk: object
    built_at: float
    rows: int


def _distinct_values(rows: list[tuple]) -> tuple[list[str], list[list[int]]]:
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
    return values, ids


def _words_and_pairs(rows: list[tuple]) -> tuple[set[str], dict[str, str]]:
    # One joined text, separators translated to spaces, split and zipped: C-level passes
    # instead of a Python loop over every value. "\x01" marks value boundaries so that
    # pairs never span two values.
    text = "\n".join(str(v) for row in rows for v in row[1:] if v is not None).lower()
    tokens = text.translate(_TO_SPACE).replace("\n", " \x01 ").split()
    words = set(tokens)
    words.discard("\x01")
    pairs = {
        a + b: f"{a} {b}"
        for a, b in set(zip(tokens, tokens[1:], strict=False))  # neighbours: one pair fewer
        if a != "\x01"
        and b != "\x01"
        and not b.isdigit()  # "cell 412" pairs would only bloat the list
    }
    return words, pairs


def _build_corpus(rows: list[tuple]) -> Corpus:
    words, pairs = _words_and_pairs(rows)
    values, ids = _distinct_values(rows) if len(rows) <= MAX_VALUES_SCANNED else ([], [])
    return Corpus(values, ids, sorted(words), pairs)


def _select(model: type[peewee.Model], columns: list[str], after: object = None) -> list[tuple]:
    db = database_of(model)
    pk = quote(model._meta.primary_key.column_name)
    sql = f"SELECT {', '.join([pk] + [quote(c) for c in columns])} FROM {table_ref(model)}"
    if after is None:
        return execute(db, sql)
    param = "%s" if isinstance(db, peewee.PostgresqlDatabase) else "?"
    return execute(db, f"{sql} WHERE {pk} > {param}", [after])


def _extend(data: Corpus, rows: list[tuple]) -> Corpus:
    words, pairs = _words_and_pairs(rows)
    return Corpus([], [], sorted(set(data.words) | words), {**pairs, **data.pairs})


def corpus(model: type[peewee.Model], columns: list[str]) -> Corpus:
    """The cached corpus of ``columns``, brought up to date when the table changed.

    Small tables are re-read whole. Big ones only read rows added since (higher keys) and
    are re-read whole at most every :data:`REFRESH_SECONDS`: words of updated or deleted
    rows linger until then, which is harmless, because every correction is checked by an
    exact search against the table.

    Examples
    --------
    >>> corpus(Label, ["name"]).words[:3]  # doctest: +SKIP
    ['b', 'cell', 't']
    """
    key = cache_key(database_of(model), model) + tuple(columns)
    version = table_version(model)
    cached = _corpora.get(key)
    if cached is not None and cached.version == version:
        return cached.data
    with _lock:
        now = time.monotonic()
        big = cached is not None and cached.rows > MAX_VALUES_SCANNED
        if big and now - cached.built_at < REFRESH_SECONDS:
            rows = _select(model, columns, after=cached.max_pk)
            data = _extend(cached.data, rows)
            max_pk = max([cached.max_pk] + [r[0] for r in rows])
            _corpora[key] = _Cached(version, data, max_pk, cached.built_at, cached.rows + len(rows))
            return data
        rows = _select(model, columns)
        data = _build_corpus(rows)
        max_pk = max((r[0] for r in rows), default=0)
        _corpora[key] = _Cached(version, data, max_pk, now, len(rows))
        return data


def _is_known(word: str, words: list[str], *, last: bool) -> bool:
    """True when ``word`` is a corpus word, or the beginning of one if it is the last word typed."""
    i = bisect.bisect_left(words, word)
    if i == len(words):
        return False
    return words[i] == word or (last and words[i].startswith(word))


def corrected_phrases(phrase: str, data: Corpus) -> list[tuple[str, float]]:
    """Spelling-corrected versions of ``phrase`` with their similarity in (0, 1].

    Examples
    --------
    >>> corrected_phrases("t cdll", Corpus([], [], ["cell", "t"], {"tcell": "t cell"}))
    [('t cell', 0.75)]
    >>> corrected_phrases("tcell", Corpus([], [], ["cell", "t"], {"tcell": "t cell"}))
    [('t cell', 1.0), ('cell', 0.8888888888888888)]
    """
    from rapidfuzz import fuzz, process

    words = [w for w in _SPLIT.split(phrase.lower()) if w]
    last = len(words) - 1
    unknown = [
        i
        for i, w in enumerate(words)
        if len(w) >= 3 and not _is_known(w, data.words, last=i == last)
    ]
    if not unknown:
        return []
    fixed, merged, similarity, merged_similarity = list(words), list(words), 1.0, 1.0
    for i in unknown:
        best = process.extractOne(words[i], data.words, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF)
        if best is not None:
            fixed[i] = best[0]
            similarity *= best[1] / 100.0
        pair = process.extractOne(
            words[i], data.pairs.keys(), scorer=fuzz.ratio, score_cutoff=PAIR_CUTOFF
        )
        if pair is not None:
            merged[i] = data.pairs[pair[0]]
            merged_similarity *= pair[1] / 100.0
    found = []
    for candidate, score in ((fixed, similarity), (merged, merged_similarity)):
        text = " ".join(candidate)
        if candidate != words and text not in (f[0] for f in found):
            found.append((text, score))
    return sorted(found, key=lambda item: -item[1])


def similar_values(phrase: str, data: Corpus, limit: int) -> list[tuple[int, float]]:
    """Ids whose values resemble ``phrase`` as a whole, with similarity in (0, 1].

    Examples
    --------
    >>> similar_values("tcell", Corpus(["t cell"], [[7]], ["cell", "t"], {}), 5)
    [(7, 0.8888888888888888)]
    """
    from rapidfuzz import fuzz, process

    if len(data.values) > MAX_VALUES_SCANNED:
        return []
    matches = process.extract(
        phrase.lower(),
        data.values,
        scorer=fuzz.partial_ratio,
        score_cutoff=VALUE_CUTOFF,
        limit=max(limit, 1) * 5,
    )
    best: dict[int, float] = {}
    for _value, score, index in matches:
        for pk in data.ids[index]:
            best[pk] = max(best.get(pk, 0.0), score / 100.0)
    return sorted(best.items(), key=lambda item: (-item[1], -item[0]))


def restrict_ids(
    model: type[peewee.Model], ids: list[int], restrict_sql: str, restrict_params: list
) -> set[int]:
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

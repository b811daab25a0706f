"""Pure-Python ranking of search candidates (LaminDB's weights, plus multi-word queries).

The database only narrows the table down to *candidates* (rows that contain the query
somewhere); this module decides how well each candidate matches. Keeping the ranking in
Python makes it identical on SQLite and PostgreSQL and easy to test without a database.

Weights per field (summed over all searched fields, as LaminDB does):

========================  ======  ==================================================
rule                      weight  meaning
========================  ======  ==================================================
exact                     200     the whole value equals the query
synonym exact             200     one ``|``-separated synonym equals the query
whole word                10      the query occurs bounded by separators on both sides
token prefix              8       a ``|``-token starts with the query and only one
                                  word is left unfinished (``"T cel"`` → ``"T cell"``)
word prefix               2       the query occurs right after a separator or at start
word suffix               2       the query occurs right before a separator or at end
contains                  1       the query occurs anywhere
========================  ======  ==================================================

Multi-word queries (our addition): the whole phrase is scored with the table above
(summed over fields), and every query word adds the points of its best field under the
same rules *except* the two ×200 rules (one word equal to a whole value, e.g. ``"cell"``
for the query ``"T cell"``, must not outrank the phrase). Best field, not the sum: short
words such as ``"t"`` occur in many fields and would otherwise reward rows for having
long descriptions. A value made of exactly the query's words in another order (``"T
cell"`` for ``"cell T"``) adds ×100, so it ranks right below a true exact match. A row
matches when it contains the phrase or every word (in any field, any order); rows
containing the phrase score higher than rows that only hold the words, because they
collect both kinds of points.

Ties are broken by the shorter value of the first searched field (the query then covers
more of it, so it is the more specific hit: ``"T cell"`` before ``"T cell of lung 12"``),
then by the newer record (higher id first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# LaminDB bounds words with " |.,;:"; we add hyphens, slashes, brackets and underscores so
# that "positive" is a whole word of "CD4-positive" and "beta" of "alpha/beta".
SEPARATORS = frozenset(" \t\n|.,;:-/()[]_")
EXACT, WORD, TOKEN_PREFIX, WORD_PREFIX, WORD_SUFFIX, CONTAINS = 200, 10, 8, 2, 2, 1
ANY_ORDER_EXACT = 100
_WHITESPACE = re.compile(r"\s+")
_SEPARATOR_RUN = re.compile("[" + re.escape("".join(sorted(SEPARATORS))) + "]+")


@dataclass(frozen=True)
class ParsedQuery:
    """A normalized search string.

    Attributes
    ----------
    phrase
        The query with collapsed whitespace (lower-cased unless case sensitive).
    words
        The distinct words of a multi-word query; empty for single-word queries.
    case_sensitive
        Whether values are compared without lower-casing.

    Examples
    --------
    >>> parse_query("  T   Cell ", case_sensitive=False)
    ParsedQuery(phrase='t cell', words=('t', 'cell'), case_sensitive=False)
    """

    phrase: str
    words: tuple[str, ...]
    case_sensitive: bool

    def fold(self, value: str) -> str:
        """Return ``value`` normalized the way the query was (lower-cased or not)."""
        return value if self.case_sensitive else value.lower()


def parse_query(string: str, *, case_sensitive: bool = False) -> ParsedQuery:
    """Normalize a search string into a :class:`ParsedQuery`.

    Examples
    --------
    >>> parse_query("B cell").words
    ('b', 'cell')
    >>> parse_query("neuron").words
    ()
    """
    phrase = _WHITESPACE.sub(" ", string).strip()
    if not case_sensitive:
        phrase = phrase.lower()
    words = tuple(dict.fromkeys(phrase.split(" "))) if " " in phrase else ()
    return ParsedQuery(
        phrase=phrase, words=words if len(words) > 1 else (), case_sensitive=case_sensitive
    )


def _boundaries(query: str, value: str) -> tuple[bool, bool, bool] | None:
    """``(starts a word, ends a word, is a whole word)`` over all occurrences, None if absent."""
    pos = value.find(query)
    if pos < 0:
        return None
    n, end = len(query), len(value)
    left = right = False
    while pos >= 0:
        lb = pos == 0 or value[pos - 1] in SEPARATORS
        rb = pos + n == end or value[pos + n] in SEPARATORS
        if lb and rb:
            return True, True, True
        left, right = left or lb, right or rb
        pos = value.find(query, pos + 1)
    return left, right, False


def _token_prefix(query: str, value: str) -> bool:
    """True when a ``|``-token starts with the query and its rest has no space."""
    n = len(query)
    if "|" not in value:  # the common case, without building a token list
        return value.startswith(query) and " " not in value[n:]
    for token in value.split("|"):
        token = token.strip()
        if token.startswith(query) and " " not in token[n:]:
            return True
    return False


def _is_exact(query: str, value: str, is_synonyms: bool) -> bool:
    if value == query or (value[0] == " " or value[-1] == " ") and value.strip() == query:
        return True
    return is_synonyms and "|" in value and any(s.strip() == query for s in value.split("|"))


def value_score(
    query: str, value: str, *, is_synonyms: bool = False, allow_exact: bool = True
) -> int:
    """Score one (already folded) value against one (already folded) query.

    Examples
    --------
    >>> value_score("t cell", "t cell")
    223
    >>> value_score("cell", "t cell")
    15
    >>> value_score("t cel", "t cell")
    11
    """
    flags = _boundaries(query, value)
    if flags is None:
        return 0
    left, right, word = flags
    score = CONTAINS + WORD * word + WORD_PREFIX * left + WORD_SUFFIX * right
    if _token_prefix(query, value):
        score += TOKEN_PREFIX
    if allow_exact and _is_exact(query, value, is_synonyms):
        score += EXACT
    return score


def _fold_all(query: ParsedQuery, values: Sequence[object]) -> list[str]:
    if query.case_sensitive:
        return [v if v.__class__ is str else ("" if v is None else str(v)) for v in values]
    return [
        v.lower() if v.__class__ is str else ("" if v is None else str(v).lower()) for v in values
    ]


def row_score(
    query: ParsedQuery, values: Sequence[object], synonyms_index: int | None = None
) -> int:
    """Total score of a row (0 when it does not match).

    Parameters
    ----------
    query
        The parsed query.
    values
        The row's values of the searched fields, in field order (None allowed).
    synonyms_index
        Position of the synonyms field in ``values``, if any.

    Examples
    --------
    >>> q = parse_query("cell t")
    >>> row_score(q, ["T cell", None]) > 0
    True
    """
    folded = _fold_all(query, values)
    phrase = query.phrase
    total = 0
    for i, value in enumerate(folded):
        if phrase in value:  # cheap test first: most fields of a candidate do not contain it
            total += value_score(phrase, value, is_synonyms=i == synonyms_index)
    if not query.words:
        return total
    words_total = 0
    for word in query.words:
        best = 0
        for value in folded:
            if word in value:
                best = max(best, value_score(word, value, allow_exact=False))
        if not best and not total:
            return 0
        words_total += best
    return total + words_total + _any_order_bonus(query, folded)


def _any_order_bonus(query: ParsedQuery, folded: list[str]) -> int:
    """×100 when one value consists of exactly the query's words, in whatever order."""
    wanted = set(query.words)
    for value in folded:
        if value and len(value) <= len(query.phrase) + len(wanted):
            if {w for w in _SEPARATOR_RUN.split(value) if w} == wanted:
                return ANY_ORDER_EXACT
    return 0


def _length(value: object) -> int:
    return len(value) if isinstance(value, str) else (1 << 30 if value is None else len(str(value)))


def rank_rows(
    query: ParsedQuery,
    rows: Iterable[Sequence[object]],
    *,
    synonyms_index: int | None = None,
    limit: int | None = None,
) -> list[tuple[int, float]]:
    """Score rows ``(id, value, value, ...)`` and return ``(id, score)`` pairs, best first.

    Examples
    --------
    >>> q = parse_query("t cell")
    >>> rank_rows(q, [(1, "CD4 T cell"), (2, "T cell"), (3, "neuron")])
    [(2, 353.0), (1, 45.0)]
    """
    scored = []
    for row in rows:
        score = row_score(query, row[1:], synonyms_index)
        if score:
            scored.append((-score, _length(row[1]) if len(row) > 1 else 0, -row[0], row[0]))
    scored.sort()
    if limit is not None:
        scored = scored[:limit]
    return [(item[3], float(-item[0])) for item in scored]

"""Search over registries: fast candidates from an index, LaminDB's ranking, typo tolerance.

The QuerySet calls two functions:

- :func:`ensure_search_index` once per registry and field set (idempotent, cheap after
  the first call): an FTS5 trigram table kept in sync by triggers on SQLite, pg_trgm GIN
  indexes on PostgreSQL, nothing (plain scans) where neither is available.
- :func:`search_scores` per query: ``(id, score)`` pairs, best first.

How a query runs:

1. candidates from the database (:mod:`.search_candidates`): the trigram index for
   queries of 3+ characters (asking for the rarest trigrams only, :mod:`.search_plan`), a
   limited ``LIKE`` scan otherwise, always inside the caller's ``base_query``; at most
   :data:`MIN_CANDIDATES` (or 5 × limit) rows plus exact and prefix hits, so very common
   queries stay fast;
2. ranking in Python (:mod:`.search_scoring`): LaminDB's weights (exact or synonym ×200,
   whole word ×10, token prefix ×8, word prefix / suffix ×2, contains ×1, summed over the
   fields), plus per-word points and an any-order bonus for multi-word queries; ties →
   shorter value of the first field, then newer (higher id);
3. when fewer than :data:`FEW_RESULTS` rows match exactly, a fuzzy pass
   (:mod:`.search_fuzzy`): corrected spellings of the words (or words run together), run
   through steps 1–2 again; on small tables also whole-value similarity. Fuzzy scores lie
   in (0, 1), below every exact score (≥ 1).
"""

from __future__ import annotations

import peewee

from ...errors import InvalidArgument
from ..instances import active_instance
from .candidates import Target, candidate_rows, make_target
from .fuzzy import corpus, corrected_phrases, restrict_ids, similar_values
from .index import ensure_index
from .scoring import ParsedQuery, parse_query, rank_rows

FEW_RESULTS = 3  # below this many exact hits, typo-tolerant matching kicks in
MIN_CANDIDATES = 200  # rows scored in Python before a common query switches to sampling

__all__ = ["FEW_RESULTS", "ensure_search_index", "search_scores"]


def ensure_search_index(model: type[peewee.Model], fields: list[str]) -> None:
    """Create the search index of ``model`` over ``fields`` if it does not exist yet.

    SQLite (3.34+): an external-content FTS5 table with the ``trigram`` tokenizer, back-filled
    once and kept in sync by insert/update/delete triggers, plus ``lower(field)`` indexes.
    PostgreSQL: ``pg_trgm`` and GIN indexes on ``lower(field)``. Without support (old SQLite,
    no right to create the extension) nothing is created and searches scan the table.
    Calling it again with the same or fewer fields does nothing; with new fields, the SQLite
    index is rebuilt over the union.

    Parameters
    ----------
    model
        A peewee model bound (directly or via a ``DatabaseProxy``) to SQLite or PostgreSQL.
    fields
        Names of the text fields to index.

    Examples
    --------
    >>> ensure_search_index(Label, ["name", "description", "synonyms"])  # doctest: +SKIP
    """
    if active_instance() is not None:  # another instance (ln.DB) is read, never indexed from here
        return
    ensure_index(model, list(fields))


def _check_arguments(string: object, limit: object) -> None:
    if not isinstance(string, str):
        raise InvalidArgument(
            f"search expects a string, got {type(string).__name__}: pass e.g. 'T cell'."
        )
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        raise InvalidArgument(f"limit must be a non-negative integer or None, got {limit!r}.")


def _exact(
    target: Target, query: ParsedQuery, limit: int | None, synonyms_index: int | None
) -> list[tuple[int, float]]:
    cap = None if limit is None else max(MIN_CANDIDATES, 5 * limit)
    synonyms = None if synonyms_index is None else target.columns[synonyms_index]
    rows = candidate_rows(target, query, cap, best=limit or 20, synonyms_column=synonyms)
    return rank_rows(query, rows, synonyms_index=synonyms_index, limit=limit)


def _fuzzy(
    target: Target,
    query: ParsedQuery,
    limit: int | None,
    synonyms_index: int | None,
    found: set[int],
) -> list[tuple[int, float]]:
    """Typo-tolerant hits not in ``found``, scored in (0, 1)."""
    data = corpus(target.model, target.columns)
    wanted = 20 if limit is None else limit
    hits: dict[int, float] = {}
    for phrase, similarity in corrected_phrases(query.phrase, data):
        if len(hits) + len(found) >= FEW_RESULTS:
            break  # the better correction found enough: skip the others
        fixed = parse_query(phrase, case_sensitive=False)
        for pk, score in _exact(target, fixed, limit, synonyms_index):
            # score / (score + 1) keeps the exact ranking's order and stays below 1.
            hits.setdefault(pk, similarity * score / (score + 1.0))
    if len(hits) + len(found) < FEW_RESULTS:
        candidates = similar_values(query.phrase, data, wanted)
        allowed = restrict_ids(
            target.model, [pk for pk, _ in candidates], target.restrict_sql, target.restrict_params
        )
        for pk, similarity in candidates:
            if pk in allowed:
                hits.setdefault(
                    pk, 0.5 * similarity
                )  # whole-value guesses rank below word corrections
    ordered = sorted(
        ((pk, s) for pk, s in hits.items() if pk not in found),
        key=lambda item: (-item[1], -item[0]),
    )
    return ordered if limit is None else ordered[:limit]


def search_scores(
    model: type[peewee.Model],
    string: str,
    *,
    fields: list[str],
    limit: int | None = 20,
    case_sensitive: bool = False,
    base_query: peewee.Select | None = None,
    synonyms_field: str | None = None,
) -> list[tuple[int, float]]:
    """Search ``fields`` of ``model`` for ``string``; return ``(primary key, score)``, best first.

    Parameters
    ----------
    model
        The peewee model (registry) to search.
    string
        What the user typed. Empty or blank strings match nothing.
    fields
        Text fields to search; scores are summed over them.
    limit
        Maximum number of results; None for all matches.
    case_sensitive
        Compare case-sensitively (the fuzzy fallback always ignores case).
    base_query
        A peewee ``Select`` of ``model`` restricting where to search (the caller's filters).
    synonyms_field
        A field holding ``|``-separated synonyms; an exact synonym scores like an exact value.
        It is searched too (added to ``fields`` when missing).

    Returns
    -------
    ``(id, score)`` pairs: exact matches score ≥ 1 (see :mod:`.search_scoring`), fuzzy ones
    lie in (0, 1). Ties: shorter value of the first field first, then higher id.

    Examples
    --------
    >>> search_scores(Label, "T cell", fields=["name"], limit=3)  # doctest: +SKIP
    [(12, 223.0), (40, 15.0), (7, 13.0)]
    """
    _check_arguments(string, limit)
    query = parse_query(string, case_sensitive=case_sensitive)
    if not query.phrase or limit == 0:
        return []
    fields = list(fields)
    if synonyms_field is not None and synonyms_field not in fields:
        fields.append(synonyms_field)
    synonyms_index = fields.index(synonyms_field) if synonyms_field is not None else None
    target = make_target(model, fields, base_query)
    results = _exact(target, query, limit, synonyms_index)
    if len(results) < FEW_RESULTS and (limit is None or len(results) < limit):
        found = {pk for pk, _ in results}
        more = _fuzzy(
            target, query, None if limit is None else limit - len(results), synonyms_index, found
        )
        results += more
    return results

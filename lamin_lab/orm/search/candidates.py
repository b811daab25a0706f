"""Candidate retrieval for search: the SQL side, kept small and index-friendly.

Every statement returns rows ``(pk, value, value, ...)`` of the searched columns. User text
only ever reaches the database as a bound parameter: FTS5 match strings are built from
double-quoted 3-character strings (FTS operators such as ``OR``, ``NEAR(`` or ``*`` inside
quotes are plain text; quotes are doubled), LIKE patterns escape ``%``, ``_`` and ``\\``.
Candidates may include rows that do not match: the ranking scores those 0 and drops them.

Strategy (see :func:`candidate_rows`):

1. Queries of 3+ characters on an FTS5-indexed SQLite table (index covering all searched
   columns): rows holding the rarest trigrams of the phrase (:mod:`.search_plan`; both word
   orders for two-word queries), newest rows first, at most ``cap + 1`` rows. When the phrase
   does not fill a page, multi-word queries add rows holding every word of 3+ characters, in
   any order (the ranking checks the shorter words). Rows with the phrase outrank rows with only the words, so the
   second statement is not needed when the first fills the page.
2. Otherwise (short queries, PostgreSQL, no index): one ``LIKE '%q%'`` statement over
   ``lower(column)`` (pg_trgm's GIN index answers it on PostgreSQL), limited; newest first
   on SQLite, in the planner's order on PostgreSQL (see :func:`_scan`).
3. When step 1 or 2 hit the cap, the query is very common: add the rows whose value equals
   the query or starts with it (``lower(column)`` indexes) and rows with it as a synonym,
   so the best hits are never lost in the bounded sample. Ranking within the rest of such
   a sample favours newer rows (SQLite) or follows the planner's order (PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import peewee

from ...errors import InvalidArgument
from .index import (
    IndexInfo,
    column_names,
    database_of,
    execute,
    fts_name,
    index_info,
    is_postgres,
    quote,
    table_ref,
)
from .plan import match_all, trigram_stats
from .scoring import ParsedQuery

MIN_FTS_CHARS = 3  # the trigram tokenizer cannot match substrings shorter than this


@dataclass
class Target:
    """A table, the columns to search and the caller's restriction, resolved once per search."""

    model: type[peewee.Model]
    db: peewee.Database
    columns: list[str]
    info: IndexInfo
    restrict_sql: str = ""
    restrict_params: list = field(default_factory=list)

    @property
    def param(self) -> str:
        return "%s" if is_postgres(self.db) else "?"

    @property
    def pk(self) -> str:
        return "_s." + quote(self.model._meta.primary_key.column_name)

    def select_list(self) -> str:
        return ", ".join([self.pk] + [f"_s.{quote(c)}" for c in self.columns])


def make_target(
    model: type[peewee.Model], fields: list[str], base_query: peewee.Select | None
) -> Target:
    """Resolve model, columns, index and the optional ``base_query`` restriction.

    Examples
    --------
    >>> make_target(Label, ["name"], None).columns  # doctest: +SKIP
    ['name']
    """
    db = database_of(model)
    target = Target(model, db, column_names(model, fields), index_info(model))
    if base_query is not None:
        try:
            # Re-select only the key so that any caller query works as an IN (...) subquery.
            sub = (
                base_query.select(model._meta.primary_key)
                if isinstance(base_query, peewee.ModelSelect)
                else base_query
            )
            target.restrict_sql, params = sub.sql()
        except Exception as e:  # noqa: BLE001 - any failure means the argument is not a usable query
            raise InvalidArgument(
                f"base_query must be a peewee Select of {model.__name__} (e.g. Model.select().where(...)): {e}"
            ) from e
        target.restrict_params = list(params)
    return target


def escape_like(text: str) -> str:
    r"""Escape LIKE wildcards so user text matches literally (used with ``ESCAPE '\'``).

    Examples
    --------
    >>> escape_like("50%_a\\b")
    '50\\%\\_a\\\\b'
    """
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_phrase(text: str) -> str:
    """Quote text as one FTS5 phrase: inside double quotes everything is literal.

    Examples
    --------
    >>> fts_phrase('say "hi" OR *')
    '"say ""hi"" OR *"'
    """
    return '"' + text.replace('"', '""') + '"'


def _run(
    target: Target,
    where: str,
    params: list,
    *,
    order: str | None,
    limit: int | None,
    join: str = "",
) -> list[tuple]:
    source = join or f"{table_ref(target.model)} AS _s"
    sql = f"SELECT {target.select_list()} FROM {source}"
    if target.restrict_sql:
        where = f"({where}) AND {target.pk} IN ({target.restrict_sql})"
        params = params + target.restrict_params
    sql += f" WHERE {where}"
    if order:
        sql += f" ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return execute(target.db, sql, params)


def _fts(
    target: Target, match: str, limit: int | None, columns: list[str] | None = None
) -> list[tuple]:
    fts = quote(fts_name(target.model))
    columns = columns or target.columns
    if set(columns) != set(target.info.columns):
        match = "{" + " ".join(fts_phrase(c) for c in columns) + "} : (" + match + ")"
    join = f"{fts} JOIN {table_ref(target.model)} AS _s ON {target.pk} = {fts}.rowid"
    return _run(
        target,
        f"{fts} MATCH {target.param}",
        [match],
        order=f"{fts}.rowid DESC",
        limit=limit,
        join=join,
    )


def _like_condition(target: Target, text: str) -> tuple[str, list]:
    cond = " OR ".join(
        f"lower(_s.{quote(c)}) LIKE {target.param} ESCAPE '\\'" for c in target.columns
    )
    return f"({cond})", ["%" + escape_like(text.lower()) + "%"] * len(target.columns)


def _scan(target: Target, query: ParsedQuery, limit: int | None) -> list[tuple]:
    where, params = _like_condition(target, query.phrase)
    if query.words:
        parts = [_like_condition(target, w) for w in query.words]
        where = f"{where} OR (" + " AND ".join(p[0] for p in parts) + ")"
        params = params + [v for p in parts for v in p[1]]
    # SQLite walks the table backwards cheaply (newest rows first). On PostgreSQL an ORDER BY
    # with LIMIT lures the planner into a backward key scan that filters row by row (17 ms vs
    # 1 ms with the trigram bitmap): there the sample is in the planner's order.
    order = None if is_postgres(target.db) else f"{target.pk} DESC"
    return _run(target, where, params, order=order, limit=limit)


def _exact_and_prefix(target: Target, phrases: list[str], best: int) -> list[tuple]:
    """Rows whose value equals one of ``phrases`` (any column) or whose first column starts
    with the first phrase; both served by ``lower(column)`` indexes."""
    marks = ", ".join([target.param] * len(phrases))
    where = " OR ".join(f"lower(_s.{quote(c)}) IN ({marks})" for c in target.columns)
    rows = _run(target, where, phrases * len(target.columns), order=None, limit=best)
    text, expr = phrases[0], f"lower(_s.{quote(target.columns[0])})"
    if is_postgres(target.db):
        where, params = f"{expr} LIKE {target.param} ESCAPE '\\'", [escape_like(text) + "%"]
    else:  # a range instead of LIKE: SQLite's LIKE cannot use an expression index
        where, params = f"{expr} >= ? AND {expr} < ?", [text, text[:-1] + chr(ord(text[-1]) + 1)]
    return rows + _run(target, where, params, order=f"{expr}, {target.pk} DESC", limit=best)


def _orderings(query: ParsedQuery) -> list[str]:
    """The phrase, plus the swapped order for two-word queries ("cell T" → "t cell")."""
    if len(query.words) != 2:
        return [query.phrase]
    return [query.phrase, f"{query.words[1]} {query.words[0]}"]


def _holding(rows: list[tuple], text: str) -> int:
    return sum(1 for row in rows if any(v is not None and text in str(v).lower() for v in row[1:]))


def _fts_rows(target: Target, query: ParsedQuery, limit: int | None, best: int) -> list[tuple]:
    """FTS candidates: the phrase (either order for two words), then, if fewer than a page of
    rows really hold it, rows holding every word of 3+ characters (the ranking checks the
    shorter words). Match strings name the rarest trigrams only (:mod:`.search_plan`)."""
    freq, total = trigram_stats(target.model)
    rows = _fts(target, " OR ".join(match_all(p, freq, total) for p in _orderings(query)), limit)
    long_words = [w for w in query.words if len(w) >= MIN_FTS_CHARS]
    if long_words and (limit is None or _holding(rows, query.phrase.lower()) < best):
        rows += _fts(target, " AND ".join(match_all(w, freq, total) for w in long_words), limit)
    return rows


def _synonym_rows(target: Target, text: str, column: str, best: int, indexed: bool) -> list[tuple]:
    """Rows where ``text`` is one ``|``-separated synonym, or a candidate for it: ``|text``
    or ``text|`` occurs (whole-value equality is covered by :func:`_exact_and_prefix`).
    One-character queries skip this: no trigram index can serve ``|t`` (a scan would cost
    more than the whole search)."""
    if len(text) < MIN_FTS_CHARS - 1:
        return []
    if indexed:
        freq, total = trigram_stats(target.model)
        match = f"{match_all('|' + text, freq, total)} OR {match_all(text + '|', freq, total)}"
        return _fts(target, match, best, columns=[column])
    expr = f"lower(_s.{quote(column)})"
    where = f"{expr} LIKE {target.param} ESCAPE '\\' OR {expr} LIKE {target.param} ESCAPE '\\'"
    params = ["%|" + escape_like(text) + "%", "%" + escape_like(text) + "|%"]
    return _run(target, where, params, order=None, limit=best)


def candidate_rows(
    target: Target,
    query: ParsedQuery,
    cap: int | None,
    best: int = 20,
    synonyms_column: str | None = None,
) -> list[tuple]:
    """Rows that may match ``query``: all of them when fewer than ``cap``, else a good sample.

    The sample holds the ``cap`` newest matches plus up to ``best`` rows whose value equals
    the query (any column), ``best`` whose first column starts with it and ``best`` whose
    synonyms hold it (LaminDB's ×200 rules never miss a row because a query is common).

    Examples
    --------
    >>> rows = candidate_rows(make_target(Label, ["name"], None), parse_query("cell"), 1000)  # doctest: +SKIP
    """
    limit = None if cap is None else cap + 1
    # Columns the index does not cover would be invisible to it: then scan (correct, slower).
    indexed = target.info.kind == "fts5" and set(target.columns) <= set(target.info.columns)
    use_fts = indexed and len(query.phrase) >= MIN_FTS_CHARS
    if use_fts:
        rows = _fts_rows(target, query, limit, best)
    else:
        rows = _scan(target, query, limit)
    unique = {row[0]: row for row in rows}
    if cap is not None and len(unique) > cap:
        extra = _exact_and_prefix(target, [p.lower() for p in _orderings(query)], best)
        if synonyms_column is not None:
            extra += _synonym_rows(target, query.phrase.lower(), synonyms_column, best, indexed)
        unique = {row[0]: row for row in list(unique.values())[:cap] + extra}
    return list(unique.values())

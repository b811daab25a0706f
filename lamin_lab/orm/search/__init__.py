"""``QuerySet.search()``: ranked search over a registry's text fields.

- ``api``: the entry point: candidates from the index, LaminDB's ranking, typo tolerance
- ``plan``: FTS5 match strings that read few trigrams (the SQLite path)
- ``index``: the full-text index (SQLite FTS5 trigram, PostgreSQL pg_trgm), built on first use
- ``candidates``: the SQL that fetches candidate rows for a query
- ``scoring``: parsing the query and ranking rows as LaminDB does
- ``fuzzy``: typo-tolerant fallback (rapidfuzz) when nothing matches
"""

"""Search machinery (lamin_lab.orm.search.api) on SQLite and PostgreSQL.

Each test gets a fresh table (its own model class with a unique table name): a fresh
SQLite file in tmp_path, or a table in this module's throwaway PostgreSQL database.
"""

from __future__ import annotations

import itertools
import uuid

import peewee
import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.orm.search import api as search
from lamin_lab.orm.search import fuzzy as search_fuzzy
from lamin_lab.orm.search import index as search_index
from lamin_lab.orm.search import plan as search_plan
from lamin_lab.orm._peewee import PostgresqlDatabase
from lamin_lab.orm.search.api import ensure_search_index, search_scores
from lamin_lab.orm.search.scoring import parse_query, value_score
from tests.support.postgres import create_database, drop_database

_counter = itertools.count()
FIELDS = ["name", "description"]


@pytest.fixture(scope="module")
def pg_name():
    name = f"lamin_lab_search_{uuid.uuid4().hex[:10]}"
    url = create_database(name)
    yield url
    drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    if request.param == "sqlite":
        database = peewee.SqliteDatabase(str(tmp_path / "search.db"))
    else:
        # the server scripts/test.sh found or started (LAMIN_LAB_TEST_PG_URL), not a fixed port
        # lamin_lab imports peewee without its PostgreSQL driver: its own class brings it
        database = PostgresqlDatabase(request.getfixturevalue("pg_name"))
    yield database
    database.close()


def make_model(db):
    proxy = peewee.DatabaseProxy()
    proxy.initialize(db)

    class Label(peewee.Model):
        name = peewee.CharField()
        description = peewee.TextField(null=True)
        synonyms = peewee.TextField(null=True)

        class Meta:
            database = proxy
            table_name = f"label_{next(_counter)}_{uuid.uuid4().hex[:6]}"

    db.create_tables([Label])
    return Label


@pytest.fixture
def Label(db):
    return make_model(db)


@pytest.fixture
def SqliteLabel(tmp_path):
    db = peewee.SqliteDatabase(str(tmp_path / "fts.db"))
    yield make_model(db)
    db.close()


def add(model, *names, **fields):
    return [model.create(name=n, **fields).id for n in names]


def found(model, results):
    by_id = {r.id: r.name for r in model.select()}
    return [by_id[pk] for pk, _ in results]


def run(model, string, **kwargs):
    kwargs.setdefault("fields", FIELDS)
    kwargs.setdefault("synonyms_field", "synonyms")
    return search_scores(model, string, **kwargs)


# ---------------------------------------------------------------- ranking rules (pure)
def test_value_score_weights_follow_lamindb():
    assert value_score("cell", "cell") == 200 + 10 + 8 + 2 + 2 + 1
    assert value_score("cell", "b cell") == 10 + 2 + 2 + 1
    assert value_score("t cel", "t cell") == 8 + 2 + 1
    assert value_score("cel", "b cell x") == 2 + 1
    assert value_score("ell", "b cell") == 2 + 1
    assert value_score("el", "b cell") == 1
    assert value_score("x", "b cell") == 0


def test_value_score_synonym_exact_counts_200():
    assert value_score("t-cell", "t lymphocyte|t-cell", is_synonyms=True) >= 200
    assert value_score("t-cell", "t lymphocyte|t-cell", is_synonyms=False) < 200


def test_parse_query_collapses_whitespace_and_splits_words():
    query = parse_query("  CD4   T cell ")
    assert (query.phrase, query.words) == ("cd4 t cell", ("cd4", "t", "cell"))


# ---------------------------------------------------------------- database behaviour
def test_ranking_exact_then_word_then_prefix_then_contains(Label):
    add(Label, "xcellx", "cellular", "B cell", "cell", "bcell")
    ensure_search_index(Label, FIELDS)
    assert found(Label, run(Label, "cell")) == ["cell", "B cell", "cellular", "bcell", "xcellx"]


def test_scores_are_sums_over_fields(Label):
    (pk,) = add(Label, "B cell", description="a B cell")
    ensure_search_index(Label, FIELDS)
    assert run(Label, "cell") == [(pk, 30.0)]


def test_synonym_exact_match_ranks_first(Label):
    add(Label, "T lymphocyte precursor")
    add(Label, "T cell", synonyms="T lymphocyte|T-cell")
    ensure_search_index(Label, FIELDS + ["synonyms"])
    results = run(Label, "t lymphocyte")
    assert found(Label, results) == ["T cell", "T lymphocyte precursor"]
    assert results[0][1] >= 200


def test_case_sensitive_search_distinguishes_case(Label):
    add(Label, "T cell", "t cell")
    ensure_search_index(Label, FIELDS)
    insensitive = run(Label, "T cell")
    assert all(score >= 200 for _, score in insensitive)
    sensitive = run(Label, "T cell", case_sensitive=True)
    assert found(Label, sensitive)[0] == "T cell"
    assert [score for _, score in sensitive if score >= 1] == [sensitive[0][1]]


def test_base_query_restricts_results(Label):
    add(Label, "T cell", "CD4 T cell", description="keep")
    add(Label, "T cell", "CD8 T cell", description="drop")
    ensure_search_index(Label, FIELDS)
    base = Label.select(Label.id).where(Label.description == "keep")
    assert found(Label, run(Label, "t cell", fields=["name"], base_query=base)) == [
        "T cell",
        "CD4 T cell",
    ]


def test_base_query_restricts_fuzzy_results(Label):
    add(Label, "hepatocyte", description="drop")
    add(Label, "hepatocyte", description="keep")
    ensure_search_index(Label, FIELDS)
    base = Label.select().where(Label.description == "keep")
    results = run(Label, "hepatocite", fields=["name"], base_query=base)
    assert [Label.get_by_id(pk).description for pk, _ in results] == ["keep"]


def test_triggers_index_inserts_after_ensure(Label):
    ensure_search_index(Label, FIELDS)
    add(Label, "oligodendrocyte")
    assert found(Label, run(Label, "oligodendro")) == ["oligodendrocyte"]


def test_triggers_follow_updates(Label):
    (pk,) = add(Label, "astrocyte")
    ensure_search_index(Label, FIELDS)
    Label.update(name="pericyte").where(Label.id == pk).execute()
    assert run(Label, "astrocyte") == []
    assert found(Label, run(Label, "pericyte")) == ["pericyte"]


def test_triggers_follow_deletes(Label):
    add(Label, "podocyte", "podocyte precursor")
    ensure_search_index(Label, FIELDS)
    Label.delete().where(Label.name == "podocyte").execute()
    assert found(Label, run(Label, "podocyte")) == ["podocyte precursor"]


def test_sqlite_fts_table_follows_model_table(SqliteLabel):
    Label = SqliteLabel
    add(Label, "neuron", "glia")
    ensure_search_index(Label, FIELDS)
    add(Label, "motor neuron")
    Label.delete().where(Label.name == "neuron").execute()
    fts = search_index.quote(search_index.fts_name(Label))
    rows = Label._meta.database.execute_sql(
        f"SELECT rowid FROM {fts} WHERE {fts} MATCH ?", ['"neuron"']
    ).fetchall()
    assert [r[0] for r in rows] == [Label.get(name="motor neuron").id]
    assert search_index.index_info(Label).kind == "fts5"


def test_ensure_creates_the_dialects_index(Label):
    db = search_index.database_of(Label)
    ensure_search_index(Label, FIELDS)
    info = search_index.index_info(Label)
    assert info.kind == ("pg_trgm" if search_index.is_postgres(db) else "fts5")
    assert set(FIELDS) <= set(info.columns)


def test_ensure_is_idempotent_and_backfills(Label):
    add(Label, "neuron", "motor neuron")
    ensure_search_index(Label, FIELDS)
    ensure_search_index(Label, FIELDS)
    ensure_search_index(Label, ["name"])
    assert found(Label, run(Label, "neuron")) == ["neuron", "motor neuron"]


def test_ensure_with_new_field_extends_index(Label):
    add(Label, "T cell", synonyms="thymocyte-derived")
    ensure_search_index(Label, ["name"])
    ensure_search_index(Label, ["name", "synonyms"])
    assert set(search_index.index_info(Label).columns) >= {"name", "synonyms"}
    assert found(
        Label, run(Label, "thymocyte", fields=["name", "synonyms"], synonyms_field=None)
    ) == ["T cell"]


def test_search_without_index_scans(Label):
    add(Label, "macrophage", "alveolar macrophage")
    assert found(Label, run(Label, "macrophage")) == ["macrophage", "alveolar macrophage"]


def test_without_index_support_search_scans(Label, monkeypatch):
    db = search_index.database_of(Label)
    if search_index.is_postgres(db):
        real = db.execute_sql

        def refuse_extension(sql, params=None, *args, **kwargs):
            if sql.startswith("CREATE EXTENSION"):
                raise peewee.ProgrammingError('permission denied to create extension "pg_trgm"')
            return real(sql, params, *args, **kwargs)

        monkeypatch.setattr(db, "execute_sql", refuse_extension)
    else:
        monkeypatch.setattr(search_index, "sqlite_supports_trigram", lambda: False)
    add(Label, "keratinocyte")
    ensure_search_index(Label, FIELDS)
    assert search_index.index_info(Label).kind == "none"
    assert found(Label, run(Label, "keratino")) == ["keratinocyte"]


def test_fuzzy_fallback_finds_a_typo(Label):
    add(Label, "T cell", "neuron", "B cell")
    ensure_search_index(Label, FIELDS)
    results = run(Label, "T cdll")
    assert found(Label, results)[0] == "T cell"
    assert all(0 < score < 1 for _, score in results)


def test_prefix_query_finds_without_fuzzy(Label):
    add(Label, "T cell", "neuron")
    ensure_search_index(Label, FIELDS)
    results = run(Label, "t cel")
    assert found(Label, results)[0] == "T cell" and results[0][1] >= 1


def test_fuzzy_scores_stay_below_exact_scores(Label):
    add(Label, "hepatocyte")
    add(Label, "hepatocite")  # a misspelled record: exact hit for the query
    ensure_search_index(Label, FIELDS)
    results = run(Label, "hepatocite")
    assert found(Label, results) == ["hepatocite", "hepatocyte"]
    assert results[0][1] >= 200 and results[1][1] < 1


def test_fuzzy_cache_sees_new_rows(Label):
    add(Label, "neuron")
    ensure_search_index(Label, FIELDS)
    assert found(Label, run(Label, "fibroblst")) == []
    add(Label, "fibroblast")
    assert found(Label, run(Label, "fibroblst")) == ["fibroblast"]


@pytest.mark.parametrize(
    "evil",
    ['"', '""', "*", "OR", "NEAR(", "a OR b", "'; DROP TABLE x; --", "%", "_", "\\", "{name}: x"],
)
def test_injection_strings_are_plain_text(Label, evil):
    add(Label, "T cell", "neuron")
    ensure_search_index(Label, FIELDS)
    assert [s for _, s in run(Label, evil) if s >= 1] == []
    assert Label.select().count() == 2


def test_special_characters_are_found_literally(Label):
    add(Label, 'say "hi" now', "100% pure", "a_b", "NEAR(x)")
    ensure_search_index(Label, FIELDS)
    assert found(Label, run(Label, '"hi"'))[0] == 'say "hi" now'
    assert found(Label, run(Label, "0%"))[0] == "100% pure"
    assert found(Label, run(Label, "a_b"))[0] == "a_b"
    assert found(Label, run(Label, "NEAR("))[0] == "NEAR(x)"


def test_limit_caps_results(Label):
    add(Label, *[f"cell type {i}" for i in range(30)])
    ensure_search_index(Label, FIELDS)
    assert len(run(Label, "cell", limit=5)) == 5
    assert len(run(Label, "cell", limit=None)) == 30
    assert run(Label, "cell", limit=0) == []


def test_multi_word_query_matches_words_in_any_order(Label):
    add(Label, "cell of type T", "T cell", "neuron")
    ensure_search_index(Label, FIELDS)
    assert found(Label, run(Label, "T cell")) == ["T cell", "cell of type T"]
    assert found(Label, run(Label, "cell T"))[:2] == ["T cell", "cell of type T"]


def test_short_query_uses_prefix_scan(Label):
    add(Label, "kidney", "neuron", "renal neuron")
    ensure_search_index(Label, FIELDS)
    assert found(Label, run(Label, "ne")) == ["neuron", "renal neuron", "kidney"]


def test_ties_prefer_shorter_values_then_newer(Label):
    first, second = add(Label, "B cell", "T cell")
    (longer,) = add(Label, "mast cell")
    ensure_search_index(Label, FIELDS)
    results = run(Label, "cell")
    assert [pk for pk, _ in results] == [second, first, longer]
    assert len({s for _, s in results}) == 1


def test_very_common_query_keeps_exact_match_first(Label, monkeypatch):
    monkeypatch.setattr(search, "MIN_CANDIDATES", 5)
    add(Label, "cell")
    add(Label, *[f"cell type {i}" for i in range(40)])
    ensure_search_index(Label, FIELDS)
    results = run(Label, "cell", limit=1)
    assert found(Label, results) == ["cell"] and results[0][1] >= 200


def test_empty_query_returns_nothing(Label):
    add(Label, "T cell")
    assert run(Label, "   ") == []


def test_unknown_field_is_rejected(Label):
    with pytest.raises(InvalidArgument, match="no field 'nme'"):
        run(Label, "x", fields=["nme"])


def test_non_string_query_is_rejected(Label):
    with pytest.raises(InvalidArgument, match="expects a string"):
        run(Label, 42)


# ---------------------------------------------------------------- query planning and fuzzy details
def test_rare_terms_prefer_rare_trigrams():
    freq = {"t c": 10, " ce": 50, "cel": 90, "ell": 90}
    assert search_plan.rare_terms("T cell", freq, 100) == ["t c"]


def test_rare_terms_without_statistics_cover_the_text():
    assert search_plan.rare_terms("hepatocyte", {}, 0) == ["hep", "ato", "cyt", "yte"]


def test_match_all_quotes_fts_syntax():
    assert search_plan.match_all('a"b OR', {}, 0) == '("a""b" AND " or")'


def test_sqlite_index_has_trigram_statistics(SqliteLabel):
    add(SqliteLabel, "neuron", "motor neuron")
    ensure_search_index(SqliteLabel, FIELDS)
    freq, total = search_plan.trigram_stats(SqliteLabel)
    assert (freq["neu"], total) == (2, 2)


def test_two_words_in_any_order_rank_like_a_near_exact_match(Label):
    add(Label, "cell of type T", "T cell")
    ensure_search_index(Label, FIELDS)
    results = run(Label, "cell T")
    assert found(Label, results)[0] == "T cell"
    assert 100 <= results[0][1] < 200


def test_fuzzy_splits_words_run_together(Label, monkeypatch):
    monkeypatch.setattr(search_fuzzy, "MAX_VALUES_SCANNED", 0)  # as on a big table: word pairs only
    add(Label, "T cell", "neuron", "B cell")
    ensure_search_index(Label, FIELDS)
    results = run(Label, "tcell")
    assert found(Label, results)[0] == "T cell"


def test_fuzzy_cache_of_big_tables_adds_new_rows_incrementally(Label, monkeypatch):
    monkeypatch.setattr(search_fuzzy, "MAX_VALUES_SCANNED", 1)  # treat the table as big
    add(Label, "neuron", "glia")
    ensure_search_index(Label, FIELDS)
    assert found(Label, run(Label, "fibroblst")) == []
    add(Label, "fibroblast")
    assert found(Label, run(Label, "fibroblst")) == ["fibroblast"]
    assert "fibroblast" in search_fuzzy.corpus(Label, ["name", "description", "synonyms"]).words


def test_very_common_query_keeps_synonym_match_first(Label, monkeypatch):
    monkeypatch.setattr(search, "MIN_CANDIDATES", 5)
    add(Label, "liver cell", synonyms="hepatocyte|liver parenchymal cell")
    add(Label, *[f"hepatocyte {i}" for i in range(40)])
    ensure_search_index(Label, FIELDS + ["synonyms"])
    results = run(Label, "hepatocyte", limit=1)
    assert found(Label, results) == ["liver cell"] and results[0][1] >= 200


def test_a_new_connection_does_not_trust_what_was_cached_for_a_closed_one(tmp_path):
    # What a disconnect, a file restored from a copy and a reconnect do: the new connection
    # object often gets the old one's address, yet the index the old one built is gone.
    path = tmp_path / "search.db"
    first = peewee.SqliteDatabase(str(path))
    Label = make_model(first)
    add(Label, "T cell")
    first.close()
    before_index = path.read_bytes()
    first.connect()
    ensure_search_index(Label, FIELDS)
    assert search_index.index_info(Label).kind == "fts5"
    assert found(Label, run(Label, "t cell")) == ["T cell"]
    first.close()
    old_address = id(first)
    Label._meta.database.initialize(None)
    del first
    path.write_bytes(before_index)
    kept = []  # kept alive, so each try takes another free address until the old one comes up
    for _ in range(10_000):
        second = peewee.SqliteDatabase(str(path))
        if id(second) == old_address:
            break
        kept.append(second)
    Label._meta.database.initialize(second)
    assert found(Label, run(Label, "t cell")) == ["T cell"]
    assert search_index.index_info(Label).kind == "none"  # seen as it is, not as it was

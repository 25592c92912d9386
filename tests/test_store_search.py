"""Full-text search over stored articles (migration 0007_search): PostgreSQL tsvector + GIN, SQLite FTS5."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

import rashomon
from rashomon.ingestion import ingest
from rashomon.storage import Store, schema
from rashomon.storage import stories as story_db
from rashomon.stories import update_stories

from .wordvectors import WordHashEncoder

ARTICLES = [
    ("Harbour master resigns", "The harbour master of Port Ellis resigned on Monday after a row over dredging "
     "contracts, council officials said, and the port board will name a successor next week."),
    ("Lighthouse keepers return", "Lighthouse keepers are back. The lighthouse at Cape Morrow, the oldest "
     "lighthouse on the coast, reopened with lighthouse tours and a lighthouse museum, the trust said."),
    ("Budget passes", "Council approves a 50% budget_rise for roads; O'Brien said the lighthouse repairs "
     "can wait until spring and that schools come first in the city budget this year."),
    ("Ferry strike ends", "The ferry strike ended after nine days when crews accepted a pay offer, the union "
     "said, and sailings to the islands resume on Thursday morning from the harbour terminal."),
]


def _ingest(tmp_path, url):
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps({"title": t, "text": x, "outlet": "Coast Post", "date": f"2024-05-0{n + 1}"})
                            + "\n" for n, (t, x) in enumerate(ARTICLES)), encoding="utf-8")
    report = rashomon.ingest([path], db=url)
    assert report.new == len(ARTICLES)
    return dict(zip((t for t, _ in ARTICLES), report.article_ids))


def _literal(query: str) -> set[str]:
    q = query.lower()
    return {t for t, x in ARTICLES if q in t.lower() or q in x.lower()}


def test_search_is_literal_safe_and_uses_the_index(store_url, tmp_path):
    ids = _ingest(tmp_path, store_url)
    titles = {v: k for k, v in ids.items()}
    with Store(store_url) as store:
        def found(query, **kw):
            return {titles[r["id"]] for r in store.articles(search=query, **kw)}

        # Searches starting at a word give what the substring scan gave, search syntax included.
        for query in ["harbour", "HARBOUR", "harbour master", "Harbour master resigns", "lighthouse",
                      "harb", "light", "50%", "%", "_", "budget_rise", "budget rise", "O'Brien", "o'brien",
                      '"', '"harbour', 'harbour"', "AND (", "harbour AND (", "-harbour", "harbour OR ferry",
                      "NEAR(harbour ferry)", "harbour*", "*", "ferry: strike", "<script>", "port ellis",
                      "\\", "'", "ferry strike ended after nine", "nothing like this at all"]:
            assert found(query) == _literal(query), query
        assert found("harbour", limit=1) <= _literal("harbour")
        # Ranked: the article that is all about lighthouses comes first.
        assert [r["title"] for r in store.articles(search="lighthouse")][0] == "Lighthouse keepers return"
        # The index is a word index: a search starting inside a word finds nothing.
        assert found("ighthouse") == set()

        # Story search goes through the index too, every word required.
        update_stories(store, encoder=WordHashEncoder())
        total, rows = story_db.find_stories(store, words=["ferry", "thursday"])
        assert total == 1 and rows[0]["title"] == "Ferry strike ends"
        assert story_db.find_stories(store, words=["AND", "("])[0] == 0
        listed = story_db.list_stories(store, search="ferry str")
        assert [r["title"] for r in listed] == ["Ferry strike ends"]
        assert [r["id"] for r in story_db.list_stories(store, search=listed[0]["id"])] == [listed[0]["id"]]
        assert story_db.list_stories(store, search="strike ends") == listed          # title, not text
        assert story_db.list_stories(store, search="crews accepted") == []
        assert story_db.list_stories(store, search='"AND (') == []

        with store.begin() as conn:
            if store.dialect == "sqlite":
                plan = " ".join(str(r) for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'harbour'"))
                assert "VIRTUAL TABLE INDEX" in plan
                # Emptying the index empties results: the search really goes through it.
                conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
            else:
                conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
                plan = " ".join(r[0] for r in conn.exec_driver_sql(
                    "EXPLAIN SELECT id FROM articles WHERE to_tsvector('simple'::regconfig, translate(left("
                    "coalesce(articles.title, '') || ' ' || articles.text, 200000), '<>', '  ')) "
                    "@@ 'harbour'::tsquery"))
                assert "ix_articles_search" in plan
        if store.dialect == "sqlite":
            assert found("harbour") == set() and found("%") == _literal("%")  # no word: substring scan


def test_the_index_follows_changes_and_is_built_for_existing_rows(store_url, tmp_path, settings):
    ids = _ingest(tmp_path, store_url)
    a = schema.articles
    with Store(store_url) as store:
        with store.begin() as conn:
            conn.execute(a.update().where(a.c.id == ids["Budget passes"]).values(title="Mayor unveils tramway"))
        assert {r["id"] for r in store.articles(search="tramway")} == {ids["Budget passes"]}
        assert {r["id"] for r in store.articles(search="budget passes")} == set()
        # A store made before 0007_search: drop the index, forget the migration, add a row unindexed.
        with store.begin() as conn:
            if store.dialect == "sqlite":
                for trigger in ("insert", "delete", "update"):
                    conn.exec_driver_sql(f"DROP TRIGGER articles_fts_{trigger}")
                conn.exec_driver_sql("DROP TABLE articles_fts")
            else:
                conn.exec_driver_sql("DROP INDEX ix_articles_search")
            conn.execute(text("DELETE FROM schema_migrations WHERE name = '0007_search'"))
        ingest([_one(tmp_path, "Tramway opens", "The new tramway opened to riders on Sunday with free rides all "
                              "day, the transport authority said in a statement.")], store=store, settings=settings)
    with Store(store_url) as store:
        assert store.migrations_applied == ["0007_search"]
        assert {r["title"] for r in store.articles(search="tramway")} == {"Mayor unveils tramway", "Tramway opens"}
        assert [r["title"] for r in store.articles(search="harbour master")] == ["Harbour master resigns"]


def _one(tmp_path, title, body):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"title": title, "text": body, "outlet": "Coast Post"}) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_lists_everything(sqlite_url, tmp_path, query):
    _ingest(tmp_path, sqlite_url)
    with Store(sqlite_url) as store:
        assert len(store.articles(search=query)) == (len(ARTICLES) if not query else len(_literal(query)))

"""Full-text search over articles: a PostgreSQL GIN index on a tsvector expression, SQLite FTS5.

The index only finds and ranks candidates. What the user typed stays literal: it is searched as one
phrase (its last word may be the start of a word, so results come while typing), no search syntax
is interpreted (a quote, ``AND (`` or ``-x`` are just characters), and the callers keep the substring
test they had before the index, so the index narrows results, never widens them. A search with no
word in it (``%``, ``"``) cannot use the index: the callers fall back to the substring test alone.
Created by migration ``0007_search`` (:func:`create_search`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, String, bindparam, cast, column, func, literal_column, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql.elements import ColumnElement

__all__ = ["ArticleMatch", "article_match", "create_search", "PG_DOCUMENT", "TEXT_LIMIT"]

# Characters of an article indexed. A tsvector holds at most 1 MB; a longer article is searched by its
# first TEXT_LIMIT characters (its title included).
TEXT_LIMIT = 200_000
# The default PostgreSQL parser reads ``<...>`` as an XML tag and drops it with the words around it
# ("a <b> c-d" loses "c-d"), so angle brackets become spaces on both the indexed and the query side.
PG_DOCUMENT = ("to_tsvector('simple'::regconfig, translate(left(coalesce(articles.title, '') || ' ' || "
               f"articles.text, {TEXT_LIMIT}), '<>', '  '))")
_WORD = re.compile(r"[^\W_]+")   # what FTS5's unicode61 tokenizer keeps as a token: letters and digits


@dataclass(frozen=True)
class ArticleMatch:
    """A search the index can answer: ``condition`` holds for articles it matches."""
    dialect: str
    query: str                                 # an FTS5 MATCH string, or a tsquery in text form

    def condition(self) -> ColumnElement[Any]:
        """True for the ``articles`` rows the index matches (usable inside any query on ``articles``)."""
        if self.dialect == "postgresql":
            return literal_column(PG_DOCUMENT).bool_op("@@")(self._tsquery())
        hits = text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts_query").bindparams(
            fts_query=self.query).columns(column("rowid"))
        return literal_column("articles.rowid").in_(hits.scalar_subquery())

    def _tsquery(self) -> ColumnElement[Any]:
        return cast(bindparam("fts_query", self.query, type_=String, unique=True), TSQUERY)

    def apply(self, query):
        """``query`` (a select over ``articles``) narrowed to matches, and the ORDER BY term, best first."""
        if self.dialect == "postgresql":
            rank = func.ts_rank(literal_column(PG_DOCUMENT), self._tsquery())
            return query.where(self.condition()), rank.desc()
        hits = (text("SELECT rowid AS hit, bm25(articles_fts) AS score FROM articles_fts "
                     "WHERE articles_fts MATCH :fts_query").bindparams(fts_query=self.query)
                .columns(column("hit"), column("score")).subquery("fts"))
        return query.join(hits, hits.c.hit == literal_column("articles.rowid")), hits.c.score.asc()


def article_match(store, search: str) -> ArticleMatch | None:
    """The index query for ``search``, or None when the index cannot answer it (no word in it, or
    the store has no index: SQLite built without FTS5)."""
    prefix = bool(search) and (search[-1].isalnum())
    if store.dialect == "postgresql":
        phrase = '"' + search.replace('"', " ").replace("<", " ").replace(">", " ") + '"'
        with store.begin() as conn:
            tsquery = conn.execute(text("SELECT websearch_to_tsquery('simple', :q)::text"), {"q": phrase}).scalar()
        if not tsquery:
            return None
        if prefix and tsquery.endswith("'"):
            tsquery += ":*"
        return ArticleMatch("postgresql", tsquery)
    if not _WORD.search(search) or not _has_fts(store):
        return None
    return ArticleMatch("sqlite", '"' + search.replace('"', '""') + '"' + (" *" if prefix else ""))


def _has_fts(store) -> bool:
    ready = getattr(store, "_fts_ready", None)
    if ready is None:
        with store.begin() as conn:
            ready = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'")).first() is not None
        store._fts_ready = ready
    return ready


def create_search(conn: Connection) -> None:
    """The full-text index over articles' title and text, filled for the articles already stored."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin ({PG_DOCUMENT})")
        return
    if not _fts5_available(conn):
        return  # searches keep the plain substring scan
    # External content: the index stores no second copy of the text. Triggers keep it in step with
    # every insert, delete and change of title or text; 'rebuild' indexes what is there already.
    conn.exec_driver_sql("CREATE VIRTUAL TABLE articles_fts USING fts5("
                         "title, text, content='articles', content_rowid='rowid')")
    conn.exec_driver_sql("CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
                         "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END")
    conn.exec_driver_sql("CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
                         "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                         "VALUES ('delete', old.rowid, old.title, old.text); END")
    conn.exec_driver_sql("CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
                         "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                         "VALUES ('delete', old.rowid, old.title, old.text); "
                         "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END")
    conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def _fts5_available(conn: Connection) -> bool:
    options = {row[0] for row in conn.exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options or _try_fts5(conn)


def _try_fts5(conn: Connection) -> bool:
    # Some builds load FTS5 without announcing it in compile_options.
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
            conn.exec_driver_sql("DROP TABLE temp._fts5_probe")
        return True
    except Exception:  # noqa: BLE001 - any failure here means "no FTS5"
        return False

"""The one SQLAlchemy schema, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary,
                        MetaData, PrimaryKeyConstraint, String, Table, Text)

__all__ = ["metadata", "articles", "origins", "rejections", "lsh_bands", "article_analysis",
           "article_embeddings", "stories", "story_members", "story_stats", "story_analysis", "migrations_table",
           "feed_state", "story_changes"]

metadata = MetaData()

migrations_table = Table(
    "schema_migrations", metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", String(16), primary_key=True),          # first 16 hex of text_hash
    Column("text_hash", String(64), nullable=False),
    Column("title", Text),
    Column("source", Text),
    Column("url", Text),
    Column("path", Text),
    Column("author", Text),
    Column("published", String(40)),                     # ISO 8601; NULL when unknown
    Column("published_precision", String(8)),
    Column("published_note", Text),
    Column("language", String(8), nullable=False),
    Column("language_score", Float, nullable=False),
    Column("word_count", Integer, nullable=False),
    Column("raw_hash", String(64)),
    Column("syndication_group", String(16), index=True),
    Column("duplicate_of", String(16)),
    Column("text", Text, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

origins = Table(
    "origins", metadata,
    Column("key", String(16), primary_key=True),          # hash of (article, input, locator)
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False, index=True),
    Column("input", Text, nullable=False),
    Column("locator", Text),
    Column("format", String(16), nullable=False),
    Column("path", Text),
    Column("url", Text),
    Column("source", Text),
    Column("external_id", Text),
    Column("raw_hash", String(64)),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

rejections = Table(
    "rejections", metadata,
    Column("key", String(16), primary_key=True),          # hash of (input, locator, reason)
    Column("input", Text, nullable=False),
    Column("locator", Text),
    Column("kind", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

lsh_bands = Table(
    "lsh_bands", metadata,
    Column("band_key", BigInteger, nullable=False),
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    PrimaryKeyConstraint("band_key", "article_id"),
)

Index("ix_origins_input", origins.c.input)

# The per-article reading (nlp/): recomputed when its version changes.
article_analysis = Table(
    "article_analysis", metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("version", String(16), nullable=False),
    Column("data", JSON, nullable=False),
    Column("analysed_at", DateTime(timezone=True), nullable=False),
)

# Stories (stories/): kept between runs so new articles join existing stories and ids stay put.
article_embeddings = Table(
    "article_embeddings", metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("model", String(64), nullable=False),          # embeddings of another model are recomputed
    Column("vector", LargeBinary, nullable=False),       # float32, little-endian
)

stories = Table(
    "stories", metadata,
    Column("id", String(16), primary_key=True),          # "s" + hash of the first member: stable
    Column("title", Text),
    Column("size", Integer, nullable=False),
    Column("first_day", Integer, index=True),            # days since 1970-01-01 of the earliest dated member
    Column("last_day", Integer, index=True),
    Column("emb_sum", LargeBinary, nullable=False),      # sum of member embeddings (float32)
    Column("terms", LargeBinary, nullable=False),        # hashed term ids (int32) then weights (float32)
    Column("names", JSON, nullable=False),               # proper name -> count
    Column("seq", BigInteger, nullable=False, index=True),  # order of creation (recent undated stories)
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

story_members = Table(
    "story_members", metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("story_id", String(16), ForeignKey("stories.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),          # order of joining within the story
    Column("score", Float),                               # the join score; NULL for the founding member
    Column("joined_at", DateTime(timezone=True), nullable=False),
)

story_stats = Table(
    "story_stats", metadata,
    Column("name", String(32), primary_key=True),
    Column("n", BigInteger, nullable=False),              # articles clustered
    Column("df_terms", LargeBinary, nullable=False),      # zlib(int32[DIM]) document frequencies
    Column("df_names", LargeBinary, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# A story's judged claims and framing (output/story.py), valid while its members and the versions of the
# stages that made it stay the same: ``key`` hashes both.
story_analysis = Table(
    "story_analysis", metadata,
    Column("story_id", String(16), ForeignKey("stories.id"), primary_key=True),
    Column("key", String(40), nullable=False),
    Column("data", JSON, nullable=False),
    Column("analysed_at", DateTime(timezone=True), nullable=False),
)

# Feeds watched by ``rashomon watch`` (watch/): what a restarted watch needs to poll politely.
feed_state = Table(
    "feed_state", metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_status", Integer),                       # HTTP status of the last poll; NULL if it never answered
    Column("last_polled_at", DateTime(timezone=True)),
    Column("next_poll_at", DateTime(timezone=True)),
    Column("failures", Integer, nullable=False),           # consecutive failed polls (the backoff exponent)
    Column("last_error", Text),
    Column("items_seen", Integer, nullable=False),         # entries or pages taken from the feed, all time
    Column("seen_keys", JSON, nullable=False),             # the most recent entry ids/links, newest last
)

# What a watch changed in a story, for "what changed since your last visit".
story_changes = Table(
    "story_changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(16), ForeignKey("stories.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("kind", String(16), nullable=False),            # new_article | new_conflict | new_story
    Column("ref", Text, nullable=False),                   # an article id, or a conflict key
    Column("summary", Text, nullable=False),
)

# Partitions of `rashomon batch` (engine/): a rerun skips those done. ``key`` hashes the input's name, size and
# modification time with the versions of the reading and the embedding model, so a changed input or a new
# model is processed again.
batch_partitions = Table(
    "batch_partitions", metadata,
    Column("key", String(40), primary_key=True),
    Column("input", Text, nullable=False),
    Column("status", String(8), nullable=False),          # done | failed
    Column("articles", Integer, nullable=False),          # articles the partition held (new or not)
    Column("new", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("worker", Text),                               # host:pid that did it
    Column("error", Text),
    Column("finished_at", DateTime(timezone=True), nullable=False),
)

"""The one SQLAlchemy schema, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Column, DateTime, Float, ForeignKey, Index, Integer, MetaData,
                        PrimaryKeyConstraint, String, Table, Text)

__all__ = ["metadata", "articles", "origins", "rejections", "lsh_bands", "article_analysis",
           "migrations_table"]

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

"""The records that flow between stages."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RawDocument", "Article", "Origin", "Rejection", "IngestReport"]


@dataclass
class RawDocument:
    """What a source reader yields: text plus whatever metadata the input carried."""

    input: str                      # file path or URL as the user gave it
    format: str                     # txt, html, feed, warc, jsonl, csv, json, url
    text: str
    locator: str | None = None      # position inside the input: "line 17", "entry 3"
    title: str | None = None
    source: str | None = None       # outlet / site name
    url: str | None = None
    path: str | None = None         # the file it came from, when it came from a file
    author: str | None = None
    published: Any = None           # raw value; parsed and checked by articles.dates
    language: str | None = None     # declared by the input, if any
    external_id: str | None = None  # the input's own id (JSONL "id", WARC-Record-ID)
    raw_hash: str | None = None     # sha256 of the raw bytes (HTML page, record)
    notes: list[str] = field(default_factory=list)  # e.g. "decoded as cp1252"
    extra: dict[str, Any] = field(default_factory=dict)  # leaning, cluster_id, ...


@dataclass
class Article:
    id: str                         # content hash of the normalised text
    text: str
    title: str | None
    source: str | None
    url: str | None
    path: str | None
    author: str | None
    published: str | None           # ISO 8601, or None when unknown
    published_precision: str | None  # day | month | year | None
    published_note: str | None      # why the date is unknown, when it is
    language: str
    language_score: float
    word_count: int
    text_hash: str
    raw_hash: str | None = None
    syndication_group: str | None = None
    duplicate_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Origin:
    """One place an article was found; an exact duplicate has several."""

    article_id: str
    input: str
    locator: str | None
    format: str
    path: str | None
    url: str | None
    source: str | None
    external_id: str | None
    raw_hash: str | None

    @property
    def key(self) -> str:
        from .articles.ids import short_hash

        return short_hash("\x1f".join([self.article_id, self.input, self.locator or ""]))


@dataclass
class Rejection:
    input: str
    reason: str
    kind: str = "input"
    locator: str | None = None

    @property
    def where(self) -> str:
        return f"{self.input}:{self.locator}" if self.locator else self.input


@dataclass
class IngestReport:
    article_ids: list[str] = field(default_factory=list)   # every article seen, in input order
    new: int = 0
    duplicates: int = 0        # exact copies of an article already stored (new origin recorded)
    unchanged: int = 0         # the same article from the same place: nothing to do
    syndicated: int = 0        # new articles linked to a syndication group
    rejected: list[Rejection] = field(default_factory=list)
    inputs: int = 0

    @property
    def seen(self) -> int:
        return self.new + self.duplicates + self.unchanged

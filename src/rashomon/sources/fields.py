"""Field names that records (JSONL, CSV, JSON, manifests, front matter) use for article metadata."""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import ConfigError

__all__ = ["FIELDS", "FIELD_ALIASES", "parse_field_map", "resolve_fields"]

# First match wins; a user mapping (--field text=body) overrides these.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "uid", "doc_id", "article_id", "guid"),
    "title": ("title", "headline", "heading", "name"),
    "text": ("text", "body", "content", "maintext", "article", "full_text", "fulltext", "story"),
    "url": ("url", "link", "href", "source_url", "canonical_url"),
    "source": ("source", "outlet", "publisher", "site_name", "sitename", "source_domain", "domain", "media"),
    "published": ("published", "date", "date_publish", "published_at", "publish_date", "pubdate",
                  "pub_date", "datetime", "dct", "timestamp"),
    "author": ("author", "authors", "byline", "creator"),
    "language": ("language", "lang"),
    "file": ("file", "filename", "path"),
}
FIELDS = tuple(FIELD_ALIASES)


def parse_field_map(pairs: list[str] | Mapping[str, str] | None) -> dict[str, str]:
    """``["text=body", "published=date_publish"]`` → ``{"text": "body", ...}``, checked."""
    if not pairs:
        return {}
    items = pairs.items() if isinstance(pairs, Mapping) else (_split(p) for p in pairs)
    mapping = {}
    for ours, theirs in items:
        if ours not in FIELD_ALIASES:
            raise ConfigError(f"unknown field {ours!r} in field mapping; valid: {', '.join(FIELDS)}")
        if not theirs:
            raise ConfigError(f"field mapping for {ours!r} names no input key; write {ours}=KEY")
        mapping[ours] = theirs
    return mapping


def _split(pair: str) -> tuple[str, str]:
    if "=" not in pair:
        raise ConfigError(f"field mapping {pair!r} must look like FIELD=KEY, e.g. text=body")
    ours, theirs = pair.split("=", 1)
    return ours.strip(), theirs.strip()


def resolve_fields(record: Mapping[str, Any], field_map: Mapping[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a record into (known fields, extra keys). Keys are matched case-insensitively."""
    lower = {str(k).strip().lower(): k for k in record}
    known: dict[str, Any] = {}
    used = set()
    for field, aliases in FIELD_ALIASES.items():
        names = (field_map[field],) if field_map and field in field_map else aliases
        for name in names:
            key = lower.get(name.lower())
            if key is not None and record[key] not in (None, ""):
                known[field] = record[key]
                used.add(key)
                break
    extra = {k: v for k, v in record.items() if k not in used}
    return known, extra

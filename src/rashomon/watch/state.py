"""Feed state and story changes in the store (tables ``feed_state`` and ``story_changes``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import func, insert, select, update

from ..storage import Store, schema

__all__ = ["FeedState", "Change", "load_feed_states", "save_feed_state", "save_changes", "utc"]

# Entry keys remembered per feed: a feed shows its latest tens of entries, so a few thousand is ample,
# and the list must not grow for ever on a busy feed.
SEEN_KEYS_KEPT = 2000


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives back naive ones)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    last_polled_at: dt.datetime | None = None
    next_poll_at: dt.datetime | None = None   # None: never polled, due now
    failures: int = 0                          # consecutive failures
    last_error: str | None = None
    items_seen: int = 0
    seen_keys: list[str] = field(default_factory=list)

    def due(self) -> float:
        """Epoch seconds when the feed is due (0 when it was never polled)."""
        return self.next_poll_at.timestamp() if self.next_poll_at else 0.0

    def remember(self, keys: Iterable[str]) -> None:
        seen = set(self.seen_keys)
        fresh = [k for k in dict.fromkeys(keys) if k not in seen]
        self.items_seen += len(fresh)
        self.seen_keys = (self.seen_keys + fresh)[-SEEN_KEYS_KEPT:]

    def row(self) -> dict[str, Any]:
        return {"url": self.url, "etag": self.etag, "last_modified": self.last_modified,
                "last_status": self.last_status, "last_polled_at": self.last_polled_at,
                "next_poll_at": self.next_poll_at, "failures": self.failures, "last_error": self.last_error,
                "items_seen": self.items_seen, "seen_keys": list(self.seen_keys)}


@dataclass
class Change:
    story_id: str
    at: dt.datetime
    kind: str        # new_article | new_conflict | new_story
    ref: str         # article id, or conflict key
    summary: str


def load_feed_states(store: Store, urls: Iterable[str]) -> list[FeedState]:
    """The stored state of each URL, in the order given; a fresh state for a URL never watched."""
    t = schema.feed_state
    urls = list(dict.fromkeys(urls))
    found: dict[str, FeedState] = {}
    with store.begin() as conn:
        for start in range(0, len(urls), 500):
            for r in conn.execute(select(t).where(t.c.url.in_(urls[start:start + 500]))).mappings():
                found[r["url"]] = FeedState(
                    url=r["url"], etag=r["etag"], last_modified=r["last_modified"], last_status=r["last_status"],
                    last_polled_at=utc(r["last_polled_at"]), next_poll_at=utc(r["next_poll_at"]),
                    failures=r["failures"], last_error=r["last_error"], items_seen=r["items_seen"],
                    seen_keys=list(r["seen_keys"] or []))
    return [found.get(u) or FeedState(u) for u in urls]


def save_feed_state(store: Store, state: FeedState) -> None:
    t = schema.feed_state
    row = state.row()
    with store.begin() as conn:
        exists = conn.execute(select(func.count()).select_from(t).where(t.c.url == state.url)).scalar_one()
        if exists:
            conn.execute(update(t).where(t.c.url == state.url).values(**row))
        else:
            conn.execute(insert(t).values(**row))


def save_changes(store: Store, changes: list[Change]) -> None:
    if not changes:
        return
    with store.begin() as conn:
        conn.execute(insert(schema.story_changes), [
            {"story_id": c.story_id, "at": c.at, "kind": c.kind, "ref": c.ref, "summary": c.summary[:500]}
            for c in changes])

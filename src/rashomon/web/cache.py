"""Rendered story pages kept in memory, valid while the story's stored state stays the same.

Building a story's document costs a few hundred milliseconds even when its judged blocks are stored
(quality flags, framing and the schema check run per call), and rendering it costs about a hundred more;
50 requests a second would not fit. So each story's document and everything rendered from it are kept
under a *stamp*: a hash of what the document is made of — the story row, its members and their order,
each member's copies, origins and reading, the stored blocks — read with two indexed queries per request.
Anything that changes the document changes the stamp, and the next request builds it again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import bindparam, func, select

from ..storage import Store, schema

__all__ = ["story_stamp", "file_stamp", "StoryEntry", "DocumentCache", "RecentAnswers"]


def _stamp_queries():
    """The two queries behind a stamp, built once: constructing SQLAlchemy statements per request cost
    more than running them."""
    s, sa = schema.stories, schema.story_analysis
    m, a, aa, o = schema.story_members, schema.articles, schema.article_analysis, schema.origins
    story = bindparam("story_id")
    origins = (select(o.c.article_id, func.count().label("n"), func.max(o.c.ingested_at).label("last"))
               .where(o.c.article_id.in_(select(m.c.article_id).where(m.c.story_id == story)))
               .group_by(o.c.article_id).subquery())
    head = (select(s.c.size, s.c.title, s.c.updated_at, sa.c.key, sa.c.analysed_at)
            .select_from(s.outerjoin(sa, sa.c.story_id == s.c.id)).where(s.c.id == story))
    members = (select(m.c.article_id, a.c.syndication_group, a.c.duplicate_of, aa.c.version, aa.c.analysed_at,
                      origins.c.n, origins.c.last)
               .select_from(m.join(a, a.c.id == m.c.article_id)
                            .outerjoin(aa, aa.c.article_id == m.c.article_id)
                            .outerjoin(origins, origins.c.article_id == m.c.article_id))
               .where(m.c.story_id == story).order_by(m.c.position))
    return head, members


_HEAD, _MEMBERS = _stamp_queries()


def story_stamp(store: Store, story_id: str, extra: str = "") -> str | None:
    """A hash of the stored state one story's document is built from; None when there is no such story."""
    with store.begin() as conn:
        head = conn.execute(_HEAD, {"story_id": story_id}).first()
        if head is None:
            return None
        members = conn.execute(_MEMBERS, {"story_id": story_id}).all()
    raw = repr((tuple(head), [tuple(r) for r in members], extra))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def file_stamp(path: str) -> str:
    """Size and modification time of a settings file the document reads (the outlets file)."""
    if not path:
        return ""
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return f"{st.st_size}:{st.st_mtime_ns}"


@dataclass
class StoryEntry:
    """One story's document and what has been rendered from it, under the stamp it was built at."""

    stamp: str
    doc: dict[str, Any]
    rendered: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def render(self, name: str, make: Callable[[dict[str, Any]], bytes]) -> bytes:
        """``make(doc)`` once per name; concurrent requests for the same page wait for the first."""
        found = self.rendered.get(name)
        if found is not None:
            return found
        with self.lock:
            if name not in self.rendered:
                self.rendered[name] = make(self.doc)
            return self.rendered[name]


class DocumentCache:
    """At most ``size`` stories, least recently used dropped first.

    ``get(story_id, stamp, build)`` returns the entry when its stamp matches, else calls ``build()`` —
    under one lock, since builds are CPU-bound and may write the store (readings, blocks) — which returns
    ``(stamp, doc)``, the stamp read *after* building (building may store the story's blocks).
    """

    def __init__(self, size: int = 32):
        if size < 1:
            raise ValueError(f"cache size must be at least 1, got {size}")
        self.size = size
        self._entries: OrderedDict[str, StoryEntry] = OrderedDict()
        self._guard = threading.Lock()
        self._build_lock = threading.Lock()
        self.builds = 0

    def _lookup(self, story_id: str, stamp: str) -> StoryEntry | None:
        with self._guard:
            entry = self._entries.get(story_id)
            if entry is not None and entry.stamp == stamp:
                self._entries.move_to_end(story_id)
                return entry
            return None

    def get(self, story_id: str, stamp: str,
            build: Callable[[], tuple[str, dict[str, Any]]]) -> StoryEntry:
        entry = self._lookup(story_id, stamp)
        if entry is not None:
            return entry
        with self._build_lock:
            entry = self._lookup(story_id, stamp)  # another request may have built it meanwhile
            if entry is not None:
                return entry
            new_stamp, doc = build()
            self.builds += 1
            entry = StoryEntry(new_stamp, doc)
            with self._guard:
                self._entries[story_id] = entry
                self._entries.move_to_end(story_id)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            return entry

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()


class RecentAnswers:
    """Answers kept for ``ttl`` seconds, at most ``size`` of them (oldest dropped first).

    For the story list: its query reads every story's row and filters, so there is no cheap stamp to check
    it against; a list a couple of seconds old is harmless, and a busy list page then costs one query per
    ``ttl`` instead of one per request. ``ttl`` 0 turns it off.
    """

    def __init__(self, ttl: float, size: int = 256, clock: Callable[[], float] | None = None):
        import time

        self.ttl = ttl
        self.size = size
        self._clock = clock or time.monotonic
        self._answers: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._guard = threading.Lock()
        self._making = threading.Lock()

    def _fresh(self, key: Any) -> tuple[bool, Any]:
        with self._guard:
            hit = self._answers.get(key)
            if hit is not None and self._clock() - hit[0] < self.ttl:
                return True, hit[1]
        return False, None

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        if self.ttl <= 0:
            return make()
        found, value = self._fresh(key)
        if found:
            return value
        # One maker at a time: when an answer expires under load, the requests queued behind the first
        # take its answer instead of all running the query at once.
        with self._making:
            found, value = self._fresh(key)
            if found:
                return value
            made_at = self._clock()
            value = make()
            with self._guard:
                self._answers[key] = (made_at, value)
                self._answers.move_to_end(key)
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
            return value

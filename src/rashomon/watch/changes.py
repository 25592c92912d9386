"""What changed in which story, and when: the keys, summaries and queries behind "since your last visit"."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from typing import Any, Iterable, Mapping

from sqlalchemy import func, select

from ..storage import Store, schema
from .state import utc

__all__ = ["CHANGE_KINDS", "conflict_key", "conflict_summary", "changes_since", "change_counts",
           "describe_counts"]

CHANGE_KINDS = ("new_story", "new_article", "new_conflict")


def _side_value(side: Mapping[str, Any]) -> str:
    value = side.get("normalized")
    return str(value if value not in (None, "") else side.get("value", "")).strip().lower()


def conflict_key(conflict: Mapping[str, Any]) -> str:
    """A key for a conflict that survives its story growing.

    The document's conflict id hashes the claim ids it rests on, so it changes whenever an article joins
    the claim; what a reader means by "the same dispute" is the same kind over the same set of values.
    A new value in a dispute therefore makes a new key: that is news too.
    """
    values = sorted({_side_value(s) for s in conflict.get("sides", [])})
    raw = "\x1f".join([str(conflict.get("kind", "other")), *values])
    return str(conflict.get("kind", "other")) + ":" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def conflict_summary(conflict: Mapping[str, Any]) -> str:
    values = " vs ".join(f"“{s.get('value', '')}”" for s in conflict.get("sides", []))
    topic = " ".join(str(conflict.get("topic", "")).split())
    if len(topic) > 160:
        topic = topic[:157] + "…"
    return f"{conflict.get('kind', 'other')} disputed: {values} — {topic}"


def changes_since(store: Store, since: dt.datetime, *, story_ids: Iterable[str] | None = None,
                  limit: int = 1000) -> list[dict[str, Any]]:
    """Changes recorded after ``since`` (oldest first, at most ``limit``): story_id, story_title, at (ISO,
    UTC), kind, ref, summary."""
    c, s = schema.story_changes, schema.stories
    query = (select(c.c.story_id, s.c.title.label("story_title"), c.c.at, c.c.kind, c.c.ref, c.c.summary)
             .select_from(c.outerjoin(s, s.c.id == c.c.story_id)).where(c.c.at > utc(since)))
    if story_ids is not None:
        ids = list(dict.fromkeys(story_ids))
        if not ids:
            return []
        query = query.where(c.c.story_id.in_(ids[:1000]))
    query = query.order_by(c.c.at, c.c.id).limit(limit)
    with store.begin() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["at"] = utc(r["at"]).isoformat().replace("+00:00", "Z")
    return rows


def change_counts(store: Store, since: dt.datetime) -> dict[str, dict[str, int]]:
    """story id -> {kind: count} of the changes after ``since``."""
    c = schema.story_changes
    out: dict[str, dict[str, int]] = defaultdict(dict)
    with store.begin() as conn:
        for sid, kind, n in conn.execute(select(c.c.story_id, c.c.kind, func.count())
                                         .where(c.c.at > utc(since)).group_by(c.c.story_id, c.c.kind)):
            out[sid][kind] = n
    return dict(out)


def describe_counts(counts: Mapping[str, int]) -> str:
    """``{"new_article": 3, "new_conflict": 1}`` -> "3 new articles, 1 new conflict"."""
    parts = []
    if counts.get("new_story"):
        parts.append("new story")
    for kind, one, many in (("new_article", "new article", "new articles"),
                            ("new_conflict", "new conflict", "new conflicts")):
        n = counts.get(kind, 0)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)

"""Features for a batch of articles and the streaming run over them."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..articles.ids import short_hash
from ..embed import get_embedder
from .cluster import ClusterParams, OnlineClusterer
from .features import ArticleFeatures, key_terms, lead_text, parse_day, term_vector

__all__ = ["build_features", "cluster_records", "group_articles"]


def build_features(records: Iterable[dict[str, Any]], encoder=None) -> list[ArticleFeatures]:
    """records: dicts with id, title, text, date (ISO or None)."""
    records = list(records)
    encoder = encoder or get_embedder()
    vectors = encoder.encode([lead_text(r.get("title"), r["text"]) for r in records])
    out = []
    for r, vec in zip(records, vectors):
        full = f"{r.get('title') or ''}\n{r['text']}"
        out.append(ArticleFeatures(id=r["id"], title=r.get("title") or "", embedding=vec,
                                   terms=term_vector(full), names=key_terms(full), day=parse_day(r.get("date"))))
    return out


def cluster_records(records: Iterable[dict[str, Any]], params: ClusterParams | None = None,
                    encoder=None) -> list[int]:
    """Story index per record, streaming them in the order given (callers sort by date)."""
    feats = build_features(records, encoder)
    clusterer = OnlineClusterer(params)
    return [clusterer.add(f) for f in feats]


def group_articles(rows: Iterable[dict[str, Any]], params: ClusterParams | None = None,
                   encoder=None) -> list[dict[str, Any]]:
    """Stories over stored article rows, streamed by publication date (undated last).

    A story's id comes from its earliest member, so it does not change when later articles join.
    Its title is the member headline closest to the story's centroid.
    """
    rows = sorted(rows, key=lambda r: (r.get("published") is None, r.get("published") or "", r["id"]))
    if not rows:
        return []
    records = [{"id": r["id"], "title": r.get("title"), "text": r["text"], "date": r.get("published")}
               for r in rows]
    feats = build_features(records, encoder)
    clusterer = OnlineClusterer(params)
    for f in feats:
        clusterer.add(f)
    by_id = {f.id: f for f in feats}
    stories = []
    for story in clusterer.stories:
        members = [by_id[m] for m in story.members]
        centroid = np.mean([m.embedding for m in members], axis=0)
        titled = [m for m in members if m.title]
        title = max(titled, key=lambda m: float(m.embedding @ centroid)).title if titled else None
        stories.append({"id": "s" + short_hash(story.members[0], 15), "title": title,
                        "article_ids": list(story.members)})
    return stories

"""Features for a batch of articles and the streaming run over them."""

from __future__ import annotations

from typing import Any, Iterable

from ..embed import get_embedder
from .cluster import ClusterParams, OnlineClusterer
from .features import ArticleFeatures, key_terms, lead_text, parse_day, term_vector

__all__ = ["build_features", "cluster_records"]


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

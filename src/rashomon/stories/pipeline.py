"""Features for a batch of articles and the streaming run over them."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..embed import get_embedder
from .cluster import ClusterParams, OnlineClusterer
from .features import ArticleFeatures, date_marks, key_terms, lead_text, parse_day, term_vector

__all__ = ["build_features", "text_features", "cluster_records"]


def build_features(records: Iterable[dict[str, Any]], encoder=None) -> list[ArticleFeatures]:
    """records: dicts with id, title, text, date (ISO or None)."""
    records = list(records)
    encoder = encoder or get_embedder()
    vectors = encoder.encode([lead_text(r.get("title"), r["text"]) for r in records])
    out = []
    for r, vec in zip(records, vectors):
        out.append(text_features(r, vec))
    return out


def text_features(record: dict[str, Any], embedding: np.ndarray) -> ArticleFeatures:
    """Everything but the embedding comes from the text itself, cheaply."""
    full = f"{record.get('title') or ''}\n{record['text']}"
    idx, val = term_vector(full)
    return ArticleFeatures(id=record["id"], title=record.get("title") or "", embedding=embedding,
                           term_idx=idx, term_val=val, names=key_terms(full) + date_marks(full),
                           day=parse_day(record.get("date")))


def cluster_records(records: Iterable[dict[str, Any]], params: ClusterParams | None = None,
                    encoder=None) -> list[int]:
    """Story index per record, streaming them in the order given (callers sort by date)."""
    feats = build_features(records, encoder)
    clusterer = OnlineClusterer(params)
    for f in feats:
        clusterer.add(f)
    by_id = {f.id: f for f in feats}

    def members(ids: list[str]) -> list[ArticleFeatures]:
        return [by_id[i] for i in ids]

    clusterer.revisit(clusterer.stories, members)
    return [clusterer.assignment[f.id] for f in feats]

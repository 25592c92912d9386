"""Stage 3: reading each article — sentences, entities and actors, dates, quantities, attributions."""

from __future__ import annotations

import logging
import time
from typing import Any, Iterable

from .reader import ReadItem, read_articles
from .types import ANALYSIS_VERSION, ArticleAnalysis

__all__ = ["ANALYSIS_VERSION", "ArticleAnalysis", "ReadItem", "read_articles", "ensure_analyses"]


def ensure_analyses(store, rows: Iterable[dict[str, Any]], *, n_process: int = 1) -> dict[str, dict[str, Any]]:
    """Stored analyses for ``rows`` (article rows from the store), computing and saving what is missing."""
    rows = list(rows)
    have = store.analyses([r["id"] for r in rows], ANALYSIS_VERSION)
    todo = [ReadItem(r["id"], r["text"], r["language"], r["published"], r["published_precision"])
            for r in rows if r["id"] not in have]
    if todo:
        started = time.perf_counter()
        fresh = {aid: a.to_json() for aid, a in read_articles(todo, n_process=n_process).items()}
        store.save_analyses(fresh, ANALYSIS_VERSION)
        have.update(fresh)
        logging.getLogger(__name__).info(
            "read %d article(s), %d already read (%.1f s)", len(todo), len(rows) - len(todo),
            time.perf_counter() - started, extra={"articles": len(todo), "cached": len(rows) - len(todo),
                                                  "seconds": round(time.perf_counter() - started, 3)})
    return have

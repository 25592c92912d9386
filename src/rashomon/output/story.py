"""A story's blocks of the analysis document — judged claims, the framing of its actors, the brief, places and
relations — kept in the store.

Judging a story parses its articles again and aligns every claim, which costs about a second for five
articles: ``story_blocks`` keeps the result in ``story_analysis`` under a key that hashes the member ids
and the versions of the stages that made it, so a story is judged again only when an article joins it
or a stage changes, and ``analyze``, ``rashomon story`` and the web app share one copy.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any, Mapping, Sequence

from ..nlp.types import ANALYSIS_VERSION
from ..storage import Store

__all__ = ["BLOCKS_VERSION", "story_blocks", "blocks_key"]

log = logging.getLogger(__name__)

# Bump when claims, alignment or framing change what they put in a story.
BLOCKS_VERSION = "16"
TIMELINE_ENTRIES = 25
EMPTY = {"claims": [], "conflicts": [], "updates": [], "coverage": [], "actors": [], "brief": [], "timeline": [],
         "places": [], "relations": []}


def blocks_key(article_ids: Sequence[str]) -> str:
    raw = "\x1f".join([BLOCKS_VERSION, ANALYSIS_VERSION, *sorted(article_ids)])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def story_blocks(store: Store, story_id: str, rows: Sequence[Mapping[str, Any]],
                 analyses: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """``claims``, ``conflicts``, ``updates``, ``coverage`` and ``actors`` of one story over ``rows``
    (its member articles as the store returns them), from the store when up to date."""
    members = [r for r in rows if analyses.get(r["id"]) and not analyses[r["id"]].get("note")]
    if not members:
        return {k: list(v) for k, v in EMPTY.items()}
    key = blocks_key([r["id"] for r in members])
    cached = store.story_analysis(story_id, key)
    if cached is not None:
        return cached
    started = time.perf_counter()
    from ..alignment import judge_story, story_inputs
    from ..brief import compose_brief, story_places, story_relations, story_timeline
    from ..embed import get_embedder
    from ..framing import LabelInput, story_framing

    articles, claims, kinds = story_inputs(members, analyses)
    blocks = dict(judge_story(articles, claims, get_embedder(), kinds))
    blocks["actors"] = story_framing([LabelInput(r["id"], r["text"], analyses[r["id"]]) for r in members])
    blocks["brief_rejected"] = []
    blocks["brief"] = compose_brief(blocks, {r["id"]: r for r in members}, rejected=blocks["brief_rejected"])
    blocks["timeline"] = story_timeline(members, analyses, blocks, max_entries=TIMELINE_ENTRIES)
    blocks["places"] = story_places({r["id"]: analyses[r["id"]] for r in members})
    blocks["relations"] = story_relations(claims, blocks["actors"])
    store.save_story_analysis(story_id, key, blocks)
    log.info("judged story %s: %d articles, %d claims, %d conflicts (%.1f s)", story_id, len(members),
             len(blocks.get("claims", [])), len(blocks.get("conflicts", [])), time.perf_counter() - started,
             extra={"story_id": story_id, "articles": len(members), "claims": len(blocks.get("claims", [])),
                    "conflicts": len(blocks.get("conflicts", [])),
                    "seconds": round(time.perf_counter() - started, 3)})
    return blocks

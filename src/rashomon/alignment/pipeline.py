"""From stored articles to a story's ``claims``, ``conflicts``, ``updates`` and ``coverage``."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..claims import Claim, ClaimInput, extract_claims_many
from .align import AlignParams
from .story import StoryArticle, judge_story

__all__ = ["story_inputs", "story_claims", "place_key"]


def place_key(place: Mapping[str, Any]) -> str:
    """A place mention's kind with its country code where known: "city:SY", "country"."""
    return f"{place['kind']}:{place['country']}" if place.get("country") else place["kind"]


def story_inputs(rows: Sequence[Mapping[str, Any]], analyses: Mapping[str, dict[str, Any]]
                 ) -> tuple[list[StoryArticle], dict[str, list[Claim]], dict[tuple[str, int], str]]:
    """What :func:`judge_story` takes: the articles, their claims, and the kind of each place mention.

    ``rows`` are article rows as the store returns them (id, source, published, syndication_group,
    text); ``analyses`` their stored readings by id. Articles without a usable reading take no part."""
    rows = [r for r in rows if analyses.get(r["id"]) and not analyses[r["id"]].get("note")]
    articles = [StoryArticle(r["id"], r.get("source"), r.get("published"), r.get("syndication_group"), r["text"])
                for r in rows]
    claims = extract_claims_many([ClaimInput(r["id"], r["text"], analyses[r["id"]], r.get("published"))
                                  for r in rows])
    # the place comparison tells a city from its country ("in Aleppo" vs "in Syria" is no conflict)
    # and cities of two countries apart (see alignment.compare.Context)
    kinds = {(r["id"], m["start"]): place_key(m["place"]) for r in rows
             for m in analyses[r["id"]].get("mentions", []) if m.get("place")}
    return articles, claims, kinds


def story_claims(rows: Sequence[Mapping[str, Any]], analyses: Mapping[str, dict[str, Any]], *, encoder=None,
                 params: AlignParams | None = None) -> dict[str, Any]:
    """Judge one story (see :func:`story_inputs` for the arguments)."""
    articles, claims, kinds = story_inputs(rows, analyses)
    if encoder is None:
        from ..embed import get_embedder

        encoder = get_embedder()
    return judge_story(articles, claims, encoder, kinds, params)

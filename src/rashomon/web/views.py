"""What the templates show, built from an analysis document with the static report's own view functions.

The story page holds the same sections as ``rashomon analyze --html``, and, like it, an anchor on every
cited span of the article text, so each citation links to the words it rests on.
"""

from __future__ import annotations

from typing import Any

from ..output.html import actor_tables, article_marks, cite_anchor as _anchor, claims_view, story_citations
from ..articles.naming import source_name
from ..output.highlight import cited_paragraphs
from ..output.graphsvg import relation_graph
from ..output.mapsvg import place_map

__all__ = ["story_view", "article_view", "story_citations"]


def story_view(doc: dict[str, Any]) -> dict[str, Any]:
    """Everything the story page needs: the story, its facts and tables as the report builds them, and
    each article's text as paragraphs of tokens with marks and citation anchors."""
    (story,) = doc["stories"]
    articles = {a["id"]: a for a in doc["articles"]}
    cites = story_citations(story)
    actors = story.get("actors") or []
    paragraphs = {a["id"]: cited_paragraphs(a["text"], article_marks(a, actors), cites.get(a["id"], ()))
                  for a in doc["articles"]}
    return {"doc": doc, "story": story, "claims": claims_view(story, articles),
            "table": actor_tables(doc)[story["id"]], "paragraphs": paragraphs, "anchor": _anchor,
            "map": place_map(story.get("places") or []), "graph": relation_graph(story.get("relations") or []),
            "names": {i: source_name(a) for i, a in articles.items()}}


def article_view(doc: dict[str, Any], article_id: str) -> dict[str, Any]:
    """One article of ``doc`` with its highlights, and the claims of its story that cite it."""
    article = next(a for a in doc["articles"] if a["id"] == article_id)
    story = doc["stories"][0] if doc["stories"] else None
    actors = (story or {}).get("actors") or []
    cites = story_citations(story).get(article_id, set()) if story else set()
    cited_by = []
    for claim in (story or {}).get("claims") or []:
        quotes = [q for q in claim.get("sources", []) if q["article_id"] == article_id]
        if quotes:
            cited_by.append({"claim": claim, "quotes": quotes})
    return {"doc": doc, "story": story, "article": article, "cited_by": cited_by, "anchor": _anchor,
            "paragraphs": {article_id: cited_paragraphs(article["text"], article_marks(article, actors), cites)}}

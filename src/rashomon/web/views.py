"""What the templates show, built from an analysis document with the static report's own view functions.

The story page holds the same sections as ``rashomon analyze --html``; it adds an anchor on every cited
span of the article text, so each citation in the facts lists links to the words it rests on.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..output.html import _claims_view, _marks, _tables
from ..output.markdown import source_name
from .highlight import Citation, anchor_id, cited_paragraphs

__all__ = ["story_view", "article_view", "story_citations"]


def _evidence(story: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Every quote the story cites: claim sources and the evidence of conflict and update sides."""
    for claim in story.get("claims") or []:
        yield from claim.get("sources", [])
    for item in [*(story.get("conflicts") or []), *(story.get("updates") or [])]:
        for side in item.get("sides", []):
            yield from side.get("evidence", [])


def story_citations(story: dict[str, Any]) -> dict[str, set[Citation]]:
    """article id -> the spans of its text the story cites."""
    out: dict[str, set[Citation]] = {}
    for q in _evidence(story):
        if isinstance(q.get("start"), int) and isinstance(q.get("end"), int):
            out.setdefault(q["article_id"], set()).add(Citation(q["article_id"], q["start"], q["end"]))
    return out


def _anchor(q: dict[str, Any]) -> str:
    """The fragment a citation links to: its span when it has one, else the article card."""
    if isinstance(q.get("start"), int) and isinstance(q.get("end"), int):
        return anchor_id(q["article_id"], q["start"], q["end"])
    return f"article-{q['article_id']}"


def story_view(doc: dict[str, Any]) -> dict[str, Any]:
    """Everything the story page needs: the story, its facts and tables as the report builds them, and
    each article's text as paragraphs of tokens with marks and citation anchors."""
    (story,) = doc["stories"]
    articles = {a["id"]: a for a in doc["articles"]}
    cites = story_citations(story)
    actors = story.get("actors") or []
    paragraphs = {a["id"]: cited_paragraphs(a["text"], _marks(a, actors), cites.get(a["id"], ()))
                  for a in doc["articles"]}
    return {"doc": doc, "story": story, "claims": _claims_view(story, articles),
            "table": _tables(doc)[story["id"]], "paragraphs": paragraphs, "anchor": _anchor,
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
            "paragraphs": {article_id: cited_paragraphs(article["text"], _marks(article, actors), cites)}}

"""Self-contained HTML report: one file, inline CSS, no scripts, no network."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..articles.naming import source_name
from .highlight import Citation, anchor_id, cited_paragraphs
from .graphsvg import relation_graph
from .mapsvg import place_map
from .markdown import (CELL_LABELS, COVERAGE_MARK, LIST_CLAIMS, MATRIX_CLAIMS, status_counts,
                       stance_word, table_actors)

__all__ = ["render_html", "story_citations", "cite_anchor", "claims_view", "article_marks", "actor_tables"]

_env = Environment(loader=PackageLoader("rashomon.output", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def _evidence(story: dict[str, Any]):
    """Every span the story cites: the brief's citations, claim sources, conflict and update evidence."""
    for sentence in story.get("brief") or []:
        yield from sentence.get("citations", [])
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


def cite_anchor(q: dict[str, Any]) -> str:
    """The fragment a citation links to: its span when it has one, else the article card."""
    if isinstance(q.get("start"), int) and isinstance(q.get("end"), int):
        return anchor_id(q["article_id"], q["start"], q["end"])
    return f"article-{q['article_id']}"


def article_marks(article: dict[str, Any], actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    marks = []
    for s in (article.get("framing") or {}).get("loaded", []):
        who = "inside a quotation" if s["in_quote"] else "the outlet's own words"
        marks.append({"start": s["start"], "end": s["end"], "cls": "loaded-q" if s["in_quote"] else "loaded",
                      "title": f"loaded: {s['category']} ({who})"})
    for a in actors:
        for r in a.get("references", []):
            if r["article_id"] == article["id"] and r["kind"] != "name":
                marks.append({"start": r["start"], "end": r["end"], "cls": "label",
                              "title": f"{r['kind']} of {a['name']}"})
    return marks


def actor_tables(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    articles = {a["id"]: a for a in doc["articles"]}
    out = {}
    for story in doc["stories"]:
        ids = [i for i in story["article_ids"] if i in articles]
        rows = []
        for a in table_actors(story):
            cells = []
            for i in ids:
                stance = a.get("stance", {}).get(i)
                word = stance_word(stance["score"]) if stance else ""
                cells.append({"labels": a.get("labels", {}).get(i, [])[:CELL_LABELS],
                              "stance": word if word != "neutral" else "",
                              "score": stance["score"] if stance else None, "tone": a.get("tone", {}).get(i)})
            rows.append({"name": a["name"], "type": a["type"], "cells": cells})
        out[story["id"]] = {"heads": [(i, source_name(articles[i])) for i in ids], "rows": rows,
                            "names": {i: source_name(a) for i, a in articles.items()}}
    return out


def claims_view(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    claims = story.get("claims") or []
    name = {i: source_name(a) for i, a in articles.items()}
    coverage = {c["claim_id"]: c["articles"] for c in story.get("coverage", [])}
    ids = [i for i in story["article_ids"] if i in articles]
    shared = [c for c in claims if c["id"] in coverage and c["status"] != "single_source"][:MATRIX_CLAIMS]
    return {
        "count": status_counts(claims),
        "total": len(claims),
        "lists": [(status, [c for c in claims if c["status"] == status][:LIST_CLAIMS],
                   max(0, sum(1 for c in claims if c["status"] == status) - LIST_CLAIMS))
                  for status in ("corroborated", "single_source")],
        "matrix_heads": [(i, name[i]) for i in ids],
        "matrix": [{"claim": c, "marks": [(coverage[c["id"]].get(i, "omits"),
                                           COVERAGE_MARK.get(coverage[c["id"]].get(i, "omits"), "·")) for i in ids]}
                   for c in shared],
        "name": name,
    }


def render_html(doc: dict[str, Any]) -> str:
    actors_of = {}
    for story in doc["stories"]:
        for i in story["article_ids"]:
            actors_of[i] = story.get("actors", [])
    cites: dict[str, set[Citation]] = {}
    for story in doc["stories"]:
        for aid, spans in story_citations(story).items():
            cites.setdefault(aid, set()).update(spans)
    paragraphs = {a["id"]: cited_paragraphs(a["text"], article_marks(a, actors_of.get(a["id"], [])),
                                            cites.get(a["id"], ()))
                  for a in doc["articles"]}
    articles = {a["id"]: a for a in doc["articles"]}
    claims = {story["id"]: claims_view(story, articles) for story in doc["stories"]}
    maps = {story["id"]: place_map(story.get("places") or []) for story in doc["stories"]}
    graphs = {story["id"]: relation_graph(story.get("relations") or []) for story in doc["stories"]}
    return _env.get_template("report.html.j2").render(doc=doc, tables=actor_tables(doc), paragraphs=paragraphs,
                                                      claims=claims, maps=maps, graphs=graphs,
                                                      anchor=cite_anchor)

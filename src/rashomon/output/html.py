"""Self-contained HTML report: one file, inline CSS, no scripts, no network."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .markdown import (CELL_LABELS, COVERAGE_MARK, LIST_CLAIMS, MATRIX_CLAIMS, STATUS_ORDER, source_name,
                       stance_word, table_actors)

__all__ = ["render_html", "highlighted_paragraphs"]

_env = Environment(loader=PackageLoader("rashomon.output", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def highlighted_paragraphs(text: str, marks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """``text`` cut into paragraphs of pieces ``{"text", "cls", "title"}``; ``marks`` are spans
    ``{"start", "end", "cls", "title"}``, earlier ones winning where they overlap. The template escapes
    every piece: article text is untrusted."""
    chosen: list[dict[str, Any]] = []
    for m in marks:
        if 0 <= m["start"] < m["end"] <= len(text) and all(m["end"] <= c["start"] or m["start"] >= c["end"]
                                                           for c in chosen):
            chosen.append(m)
    chosen.sort(key=lambda m: m["start"])
    pieces: list[dict[str, Any]] = []
    pos = 0
    for m in chosen:
        if m["start"] > pos:
            pieces.append({"text": text[pos:m["start"]], "cls": None, "title": None})
        pieces.append({"text": text[m["start"]:m["end"]], "cls": m["cls"], "title": m.get("title")})
        pos = m["end"]
    if pos < len(text):
        pieces.append({"text": text[pos:], "cls": None, "title": None})
    paragraphs: list[list[dict[str, Any]]] = [[]]
    for piece in pieces:
        parts = piece["text"].split("\n")
        for n, part in enumerate(parts):
            if n:
                paragraphs.append([])
            if part:
                paragraphs[-1].append({**piece, "text": part})
    return [p for p in paragraphs if any(x["text"].strip() for x in p)]


def _marks(article: dict[str, Any], actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def _tables(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
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
        out[story["id"]] = {"heads": [(i, source_name(articles[i])) for i in ids], "rows": rows}
    return out


def _claims_view(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    claims = story.get("claims") or []
    name = {i: source_name(a) for i, a in articles.items()}
    coverage = {c["claim_id"]: c["articles"] for c in story.get("coverage", [])}
    ids = [i for i in story["article_ids"] if i in articles]
    shared = [c for c in claims if c["id"] in coverage and c["status"] != "single_source"][:MATRIX_CLAIMS]
    return {
        "count": {k: sum(1 for c in claims if c["status"] == k) for k in STATUS_ORDER},
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
    paragraphs = {a["id"]: highlighted_paragraphs(a["text"], _marks(a, actors_of.get(a["id"], [])))
                  for a in doc["articles"]}
    articles = {a["id"]: a for a in doc["articles"]}
    claims = {story["id"]: _claims_view(story, articles) for story in doc["stories"]}
    return _env.get_template("report.html.j2").render(doc=doc, tables=_tables(doc), paragraphs=paragraphs,
                                                      claims=claims)

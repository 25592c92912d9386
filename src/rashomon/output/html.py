"""Self-contained HTML report: one file, inline CSS, no scripts, no network."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .mapsvg import place_map
from .markdown import (CELL_LABELS, COVERAGE_MARK, LIST_CLAIMS, MATRIX_CLAIMS, STATUS_ORDER, source_name,
                       stance_word, table_actors)

__all__ = ["render_html", "highlighted_paragraphs", "citation_id"]

_env = Environment(loader=PackageLoader("rashomon.output", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def highlighted_paragraphs(text: str, marks: list[dict[str, Any]],
                           regions: list[tuple[int, int, str]] | None = None) -> list[list[dict[str, Any]]]:
    """``text`` cut into paragraphs of pieces ``{"text", "cls", "title", "region", "anchor"}``.

    ``marks`` are spans ``{"start", "end", "cls", "title"}``, earlier ones winning where they overlap.
    ``regions`` are cited spans ``(start, end, id)``: every piece inside one carries its id in ``region``
    and the first piece also in ``anchor``, so a citation link can land on it. The template escapes
    every piece: article text is untrusted."""
    chosen: list[dict[str, Any]] = []
    for m in marks:
        if 0 <= m["start"] < m["end"] <= len(text) and all(m["end"] <= c["start"] or m["start"] >= c["end"]
                                                           for c in chosen):
            chosen.append(m)
    chosen.sort(key=lambda m: m["start"])
    cuts = {0, len(text)}
    for m in chosen:
        cuts |= {m["start"], m["end"]}
    kept_regions = []
    for a, b, rid in sorted(regions or []):
        if 0 <= a < b <= len(text) and all(b <= x or a >= y for x, y, _ in kept_regions):
            kept_regions.append((a, b, rid))
            cuts |= {a, b}
    cuts |= {i + 1 for i, ch in enumerate(text) if ch == "\n"} | {i for i, ch in enumerate(text) if ch == "\n"}
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    mark_at = {m["start"]: m for m in chosen}
    paragraphs: list[list[dict[str, Any]]] = [[]]
    current = None
    seen_regions: set[str] = set()
    for a, b in zip(points, points[1:]):
        if a in mark_at:
            current = mark_at[a]
        if current is not None and a >= current["end"]:
            current = None
        piece_text = text[a:b]
        if piece_text == "\n":
            paragraphs.append([])
            continue
        region = next((rid for x, y, rid in kept_regions if x <= a < y), None)
        anchor = region if region is not None and region not in seen_regions else None
        if region is not None:
            seen_regions.add(region)
        paragraphs[-1].append({"text": piece_text, "cls": current["cls"] if current else None,
                               "title": current.get("title") if current else None,
                               "region": region, "anchor": anchor})
    return [p for p in paragraphs if any(x["text"].strip() for x in p)]


def citation_id(article_id: str, start: int) -> str:
    return f"c-{article_id}-{start}"


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
        out[story["id"]] = {"heads": [(i, source_name(articles[i])) for i in ids], "rows": rows,
                            "names": {i: source_name(a) for i, a in articles.items()}}
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
    cited: dict[str, list[tuple[int, int, str]]] = {}
    for story in doc["stories"]:
        for sentence in story.get("brief") or []:
            for c in sentence["citations"]:
                cited.setdefault(c["article_id"], []).append(
                    (c["start"], c["end"], citation_id(c["article_id"], c["start"])))
    paragraphs = {a["id"]: highlighted_paragraphs(a["text"], _marks(a, actors_of.get(a["id"], [])),
                                                  cited.get(a["id"]))
                  for a in doc["articles"]}
    articles = {a["id"]: a for a in doc["articles"]}
    claims = {story["id"]: _claims_view(story, articles) for story in doc["stories"]}
    maps = {story["id"]: place_map(story.get("places") or []) for story in doc["stories"]}
    return _env.get_template("report.html.j2").render(doc=doc, tables=_tables(doc), paragraphs=paragraphs,
                                                      claims=claims, maps=maps)

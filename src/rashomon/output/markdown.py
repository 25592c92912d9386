"""Markdown rendering of the analysis document."""

from __future__ import annotations

from typing import Any

__all__ = ["render_markdown"]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Article text is untrusted: Markdown renders raw HTML, so angle brackets are escaped.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return " ".join(text.split())


def _title(article: dict[str, Any]) -> str:
    if article["title"]:
        return article["title"]
    words = article.get("text", "").split()
    return "“" + " ".join(words[:10]) + ("…”" if len(words) > 10 else "”")


def render_markdown(doc: dict[str, Any]) -> str:
    s = doc.get("summary", {})
    out = ["# Rashomon analysis", "",
           f"{s.get('articles', len(doc['articles']))} article(s) from {s.get('inputs', '?')} input(s); "
           f"{s.get('duplicates', 0)} exact duplicate(s), {s.get('syndicated', 0)} syndicated copy(ies), "
           f"{len(doc['rejected'])} rejected. Generated {doc.get('generated_at', '')}.", ""]
    for story in doc["stories"]:
        out += [f"## Story: {_cell(story['title'])}", "", f"{len(story['article_ids'])} article(s).", ""]
    out += ["## Articles", "",
            "| # | id | source | title | published | lang | words | flags |",
            "|---|---|---|---|---|---|---|---|"]
    for n, a in enumerate(doc["articles"], 1):
        published = a["published"] or f"unknown ({a.get('published_note') or 'no date'})"
        flags = ", ".join(f["kind"] for f in a["quality"]["flags"])
        out.append(f"| {n} | `{a['id']}` | {_cell(a['source'] or '—')} | {_cell(_title(a))} | "
                   f"{_cell(published)} | {a['language']} | {a.get('word_count', '')} | {_cell(flags)} |")
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in doc["articles"]:
        if a.get("syndication_group"):
            groups.setdefault(a["syndication_group"], []).append(a)
    if groups:
        out += ["", "## Syndicated copies", "",
                "Near-identical texts: they count as one source when claims are compared.", ""]
        for gid, members in groups.items():
            out.append(f"- group `{gid}`: " + ", ".join(f"`{m['id']}` ({_cell(m['source'] or m['path'] or '?')})"
                                                       for m in members))
    multi = [a for a in doc["articles"] if len(a.get("origins", [])) > 1]
    if multi:
        out += ["", "## Exact duplicates", ""]
        for a in multi:
            out.append(f"- `{a['id']}` found at: " + "; ".join(_cell(o["input"] + (f" ({o['locator']})" if o["locator"] else ""))
                                                             for o in a["origins"]))
    if doc["rejected"]:
        out += ["", "## Rejected inputs", "", "| input | reason |", "|---|---|"]
        out += [f"| {_cell(r['input'])} | {_cell(r['reason'])} |" for r in doc["rejected"]]
    return "\n".join(out) + "\n"

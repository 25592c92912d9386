"""Markdown rendering of the analysis document."""

from __future__ import annotations

from typing import Any

from ..articles.naming import source_name

__all__ = ["render_markdown", "table_actors", "stance_word", "status_counts", "STATUS_ORDER", "COVERAGE_MARK",
           "LIST_CLAIMS", "MATRIX_CLAIMS"]


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


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def _article_quality(n: int, a: dict[str, Any]) -> list[str]:
    """One article's card: flags with their evidence, the attribution profile, the user's outlet data."""
    q = a["quality"]
    out = [f"### {n}. {_cell(_title(a))} — {_cell(a['source'] or '—')}", ""]
    if o := a.get("outlet"):
        facts = [f"{k}: {_cell(o[k])}" for k in ("country", "owner", "leaning", "notes") if o.get(k)]
        out.append(f"- Outlet (your data): {_cell(o.get('name') or o.get('domain'))}"
                   + (f" — {'; '.join(facts)}" if facts else ""))
    if p := q.get("attribution"):
        names = ", ".join(f"{_cell(s['name'])} ({s['count']}{', relayed' if s.get('relay') else ''})"
                          for s in p["named_sources"][:8]) or "none"
        out.append(f"- Attribution over {p['sentences']} sentence(s): {_pct(p['named'])} named, "
                   f"{_pct(p['vague'])} vague, {_pct(p['none'])} unattributed; {_pct(p['relayed'])} relayed "
                   f"second-hand, {_pct(p['hedged'])} hedged, {_pct(p['quoted'])} quoted. Named sources: {names}")
    if line := _loaded_line(a):
        out.append(line)
    for f in q["flags"]:
        where = f" (chars {f['start']}–{f['end']})" if f.get("start") is not None else ""
        note = f" — {_cell(f['note'])}" if f.get("note") else ""
        out.append(f"- **{f['kind']}**{where}: “{_cell(f['evidence'])}”{note}")
    return out + [""]


# How many actors the actor × source table shows, and how many phrases per cell.
TABLE_ACTORS = 14
CELL_LABELS = 3


def table_actors(story: dict[str, Any]) -> list[dict[str, Any]]:
    """The actors worth a row: described by some source, or named by at least two."""
    rows = [a for a in story.get("actors", [])
            if any(r["kind"] != "name" for r in a.get("references", []))
            or len({r["article_id"] for r in a.get("references", [])}) >= 2]
    return rows[:TABLE_ACTORS]


def stance_word(score: float | None) -> str:
    if score is None:
        return ""
    if score <= -0.25:
        return "hostile"
    if score >= 0.25:
        return "sympathetic"
    return "neutral"


def _actor_table(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> list[str]:
    actors = table_actors(story)
    if not actors:
        return []
    ids = [i for i in story["article_ids"] if i in articles]
    heads = [_cell(source_name(articles[i])) for i in ids]
    out = ["### How each source names the actors", "",
           "Phrases each source uses for each actor (descriptions first). In brackets: the stance of its "
           "descriptions when they lean one way (mean polarity of their evaluative words) and the tone of the "
           "clauses about the actor, from −1 hostile to +1 sympathetic.", "",
           "| actor | " + " | ".join(heads) + " |", "|---|" + "---|" * len(ids)]
    for a in actors:
        labels, stance, tone = a.get("labels", {}), a.get("stance", {}), a.get("tone", {})
        cells = []
        for i in ids:
            phrases = labels.get(i, [])[:CELL_LABELS]
            cell = "; ".join(_cell(p) for p in phrases) or "—"
            marks = []
            if i in stance and stance_word(stance[i]["score"]) != "neutral":
                marks.append(f"{stance_word(stance[i]['score'])} {stance[i]['score']:+.2f}")
            if i in tone and phrases:
                marks.append(f"tone {tone[i]:+.2f}")
            cells.append(cell + (f" ({', '.join(marks)})" if marks else ""))
        out.append(f"| **{_cell(a['name'])}** ({a['type']}) | " + " | ".join(cells) + " |")
    return out + [""]


# How many claims each list of the Markdown report shows before it says "and N more".
LIST_CLAIMS = 12
MATRIX_CLAIMS = 15
STATUS_ORDER = ("contradicted", "evolving", "corroborated", "single_source")
COVERAGE_MARK = {"reports": "✓", "omits": "·", "contradicts": "✗"}


def status_counts(claims: list[dict[str, Any]]) -> dict[str, int]:
    """How many of a story's facts have each status (every status present, in STATUS_ORDER)."""
    return {k: sum(1 for c in claims if c["status"] == k) for k in STATUS_ORDER}


def _sides(conflict: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    parts = []
    for side in conflict["sides"]:
        who = ", ".join(_cell(source_name(articles[i])) if i in articles else f"`{i}`" for i in side["article_ids"])
        parts.append(f"{who}: “{_cell(side['value'])}”")
    return "; ".join(parts)


BRIEF_SECTIONS = (("established", "Established by independent sources"), ("disputed", "Disputed"),
                  ("updates", "Updates"), ("single_source", "Single source"))


def _brief(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> list[str]:
    brief = story.get("brief") or []
    if not brief:
        return []
    out = ["### Brief", "", "Each sentence is copied from the spans it cites ([article, characters]); loaded words "
           "were left out, and a verifier checked every number, date, name and quotation against the cited spans.", ""]
    for section, head in BRIEF_SECTIONS:
        items = [b for b in brief if b["section"] == section]
        if not items:
            continue
        out += [f"**{head}**", ""]
        for b in items:
            cites = " ".join(f"[{_cell(source_name(articles[c['article_id']])) if c['article_id'] in articles else c['article_id']}"
                             f" {c['start']}–{c['end']}]" for c in b["citations"][:4])
            more = f" +{len(b['citations']) - 4}" if len(b["citations"]) > 4 else ""
            out.append(f"- {_cell(b['text'])} {cites}{more}")
        out.append("")
    return out


TIMELINE_ROWS = 20
ATLAS_ROWS = 12


def _timeline(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> list[str]:
    rows = story.get("timeline") or []
    if not rows:
        return []
    out = ["### Timeline", "", "| date | precision | what | sources |", "|---|---|---|---|"]
    for t in rows[:TIMELINE_ROWS]:
        marks = " **(disputed)**" if t.get("disputed") else (" (background)" if t.get("background") else "")
        text = t["text"] if len(t["text"]) <= 140 else t["text"][:139] + "…"
        who = ", ".join(_cell(source_name(articles[i])) for i in t["article_ids"] if i in articles)
        out.append(f"| {t['date']}{marks} | {t['precision']} | {_cell(text)} | {who} |")
    return out + [""]


def _atlas(story: dict[str, Any]) -> list[str]:
    out = []
    if places := story.get("places"):
        out += ["### Places", "", "| place | kind | lat, lon | articles |", "|---|---|---|---|"]
        out += [f"| {_cell(p['name'])} | {p.get('kind', '')} | {p['lat']:.3f}, {p['lon']:.3f} | {len(p['article_ids'])} |"
                for p in places[:ATLAS_ROWS]]
        out.append("")
    if relations := story.get("relations"):
        out += ["### Who does what to whom", ""]
        out += [f"- {_cell(r['subject'])} — *{_cell(r['predicate'])}* → {_cell(r['object'])} "
                f"({len(r['article_ids'])} article(s))" for r in relations[:ATLAS_ROWS]]
        out.append("")
    return out


def _claims_section(story: dict[str, Any], articles: dict[str, dict[str, Any]]) -> list[str]:
    claims = story.get("claims") or []
    if not claims:
        return []
    count = status_counts(claims)
    out = ["### What the sources say", "",
           f"{len(claims)} fact(s) across the articles: {count['corroborated']} corroborated by independent "
           f"sources, {count['contradicted']} disputed, {count['evolving']} changing over time, "
           f"{count['single_source']} from a single source.", ""]
    if story.get("conflicts"):
        out += ["#### Disputed", ""]
        for x in story["conflicts"]:
            out.append(f"- **{x['kind']}** — {_sides(x, articles)}. For “{_cell(x['topic'])}”")
        out.append("")
    if story.get("updates"):
        out += ["#### Updates (a moving story, not a contradiction)", ""]
        for x in story["updates"]:
            out.append(f"- **{x['kind']}** — {_sides(x, articles)}. For “{_cell(x['topic'])}”")
        out.append("")
    for status, head in (("corroborated", "Established by independent sources"),
                         ("single_source", "Single source")):
        rows = [c for c in claims if c["status"] == status]
        if not rows:
            continue
        out += [f"#### {head}", ""]
        for c in rows[:LIST_CLAIMS]:
            where = ", ".join(dict.fromkeys(_cell(source_name(articles[s["article_id"]]))
                                            for s in c["sources"] if s["article_id"] in articles))
            extra = " (background)" if c.get("background") else ""
            extra += " (hedged)" if c.get("hedged") else ""
            count = (f"{c['independent_sources']} independent source(s) in {c.get('raw_sources', len(c['sources']))} "
                     f"article(s): " if status == "corroborated" else "")
            out.append(f"- {_cell(c['text'])}{extra} — {count}{where}")
        if len(rows) > LIST_CLAIMS:
            out.append(f"- … and {len(rows) - LIST_CLAIMS} more in the JSON")
        out.append("")
    coverage = {c["claim_id"]: c["articles"] for c in story.get("coverage", [])}
    shown = [c for c in claims if c["id"] in coverage and c["status"] != "single_source"][:MATRIX_CLAIMS]
    if shown:
        ids = [i for i in story["article_ids"] if i in articles]
        out += ["#### Coverage: which article reports (✓), omits (·) or contradicts (✗) each shared fact", "",
                "| fact | status | " + " | ".join(_cell(source_name(articles[i])) for i in ids) + " |",
                "|---|---|" + "---|" * len(ids)]
        for c in shown:
            text = c["text"] if len(c["text"]) <= 90 else c["text"][:89] + "…"
            marks = [COVERAGE_MARK.get(coverage[c["id"]].get(i, "omits"), "·") for i in ids]
            out.append(f"| {_cell(text)} | {c['status']} | " + " | ".join(marks) + " |")
        out.append("")
    return out


def _loaded_line(a: dict[str, Any]) -> str | None:
    f = a.get("framing")
    if not f:
        return None
    own = [s for s in f["loaded"] if not s["in_quote"]]
    quoted = len(f["loaded"]) - len(own)
    words = ", ".join(f"“{_cell(s['text'])}” ({s['category']})" for s in own[:12]) or "none"
    more = f" and {len(own) - 12} more" if len(own) > 12 else ""
    return (f"- Loaded language in the outlet's own voice: {words}{more}; {quoted} more inside quotations. "
            f"{f['loaded_sentences']} of {f['sentences']} sentence(s) loaded; mean tone {f['tone']:+.2f}.")


def render_markdown(doc: dict[str, Any]) -> str:
    s = doc.get("summary", {})
    out = ["# Rashomon analysis", "",
           f"{s.get('articles', len(doc['articles']))} article(s) from {s.get('inputs', '?')} input(s); "
           f"{s.get('duplicates', 0)} exact duplicate(s), {s.get('syndicated', 0)} syndicated copy(ies), "
           f"{len(doc['rejected'])} rejected. Generated {doc.get('generated_at', '')}.", ""]
    articles = {a["id"]: a for a in doc["articles"]}
    for story in doc["stories"]:
        out += [f"## Story: {_cell(story['title'])}", "", f"{len(story['article_ids'])} article(s).", ""]
        out += _brief(story, articles)
        out += _claims_section(story, articles)
        out += _actor_table(story, articles)
        out += _timeline(story, articles)
        out += _atlas(story)
    out += ["## Articles", "",
            "| # | id | source | title | published | lang | words | flags |",
            "|---|---|---|---|---|---|---|---|"]
    for n, a in enumerate(doc["articles"], 1):
        published = a["published"] or f"unknown ({a.get('published_note') or 'no date'})"
        flags = ", ".join(f["kind"] for f in a["quality"]["flags"])
        out.append(f"| {n} | `{a['id']}` | {_cell(a['source'] or '—')} | {_cell(_title(a))} | "
                   f"{_cell(published)} | {a['language']} | {a.get('word_count', '')} | {_cell(flags)} |")
    cards = [_article_quality(n, a) for n, a in enumerate(doc["articles"], 1)
             if a["quality"]["flags"] or a["quality"].get("attribution") or a.get("outlet") or a.get("framing")]
    if cards:
        out += ["", "## Quality and sourcing per article", ""]
        for card in cards:
            out += card
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

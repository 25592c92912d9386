"""Attribution profile of one article: who the report leans on, and how much it leans on nobody.

From the per-article reading (``ArticleAnalysis.to_json()``): the share of sentences attributed to
a named source, to a vague one ("military sources", "officials", passive "it was reported"), or
to nothing; the share relayed second-hand from another outlet ("Associated Press reports",
"according to Militarnyi"); the hedged and quoted shares; and the named sources with counts.

A named source is counted under the actor it resolves to when the reading linked its span to one
("Dareen Khalifa of the International Crisis Group" and "Khalifa" are one source), else under its
phrase without a leading article ("the Syrian Observatory" and "The Syrian Observatory" are one).
Sentences inside boilerplate spans (credits, inserts, AI disclosures) are left out when the text
is given, so a "READ MORE" headline does not count as a sourced sentence.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

__all__ = ["attribution_profile"]

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def _share(n: int, total: int) -> float:
    return round(n / total, 3) if total else 0.0


def _source_key(attr: Mapping[str, Any], actors_at: list[tuple[int, int, str, str]]) -> str:
    a, b = attr.get("start"), attr.get("end")
    if a is not None and b is not None:
        inside = [m for m in actors_at if a <= m[0] and m[1] <= b]
        # the speaker of "Dareen Khalifa of the International Crisis Group" is the person; in
        # "the Britain-based Syrian Observatory" the longest name is the source, not "Britain"
        people = [m for m in inside if m[3] == "PERSON"]
        if people:
            return people[0][2]
        if inside:
            return max(inside, key=lambda m: m[1] - m[0])[2]
    return _ARTICLE.sub("", (attr.get("source") or "").strip())


def attribution_profile(analysis_json: Mapping[str, Any] | None, text: str | None = None) -> dict[str, Any]:
    """The attribution profile as a plain dict (shares are fractions of the counted sentences, 3 decimals).

    Returns ``{"sentences", "named", "vague", "none", "relayed", "hedged", "quoted",
    "named_sources": [{"name", "count", "relay"}], "vague_sources": [{"name", "count"}]}``;
    all zeros and empty lists when there is no reading (non-English, or reading turned off).
    """
    empty = {"sentences": 0, "named": 0.0, "vague": 0.0, "none": 0.0, "relayed": 0.0, "hedged": 0.0,
             "quoted": 0.0, "named_sources": [], "vague_sources": []}
    if not analysis_json or analysis_json.get("note"):
        return empty
    skip: list[tuple[int, int]] = []
    if text is not None:
        from .quality import boilerplate_spans

        skip = [(a, b) for a, b, _ in boilerplate_spans(text)]
    actor_names = {a["id"]: a["name"] for a in analysis_json.get("actors", [])}
    actors_at = sorted((m["start"], m["end"], actor_names[m["actor"]], m.get("label", ""))
                       for m in analysis_json.get("mentions", []) if m.get("actor") in actor_names)
    quotes = [(q["start"], q["end"]) for q in analysis_json.get("quotes", [])]

    counts = {"named": 0, "vague": 0, "none": 0}
    relayed = hedged = quoted = 0
    named: dict[str, dict[str, Any]] = {}
    vague: dict[str, int] = {}
    sentences = [s for s in analysis_json.get("sentences", [])
                 if not any(a <= s["start"] and s["end"] <= b for a, b in skip)]
    for s in sentences:
        attr = s.get("attribution") or {}
        kind = attr.get("kind", "none")
        counts[kind if kind in counts else "none"] += 1
        if attr.get("relay"):
            relayed += 1
        if s.get("hedges"):
            hedged += 1
        if any(a < s["end"] and s["start"] < b for a, b in quotes):
            quoted += 1
        if kind == "named":
            key = _source_key(attr, actors_at)
            entry = named.setdefault(key.casefold(), {"name": key, "count": 0, "relay": False})
            entry["count"] += 1
            entry["relay"] = entry["relay"] or bool(attr.get("relay"))
        elif kind == "vague":
            key = _ARTICLE.sub("", (attr.get("source") or "(unnamed: passive or pronoun)").strip())
            vague[key] = vague.get(key, 0) + 1
    total = len(sentences)
    return {
        "sentences": total,
        "named": _share(counts["named"], total), "vague": _share(counts["vague"], total),
        "none": _share(counts["none"], total), "relayed": _share(relayed, total),
        "hedged": _share(hedged, total), "quoted": _share(quoted, total),
        "named_sources": sorted(named.values(), key=lambda e: (-e["count"], e["name"].casefold())),
        "vague_sources": [{"name": k, "count": v} for k, v in sorted(vague.items(), key=lambda kv: (-kv[1], kv[0]))],
    }

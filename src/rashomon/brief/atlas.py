"""The story's places (for the map) and the relations between its actors (for the graph).

``story_places`` gathers the geocoded place mentions of the articles' readings (GeoNames, offline):
one entry per place with its coordinates, kind and the articles naming it, most named first.

``story_relations`` reads the relations off the claims: a claim whose subject and object are both
actors gives ``subject —predicate→ object`` ("Turkey —back→ Syrian opposition groups"; negated
predicates read "not back"). Names are the story's actors (:mod:`rashomon.framing.labels`), so
"HTS" in one article and "Hayat Tahrir al-Sham" in another are one node; each edge lists its
articles and the claims it comes from.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Mapping, Sequence

from ..claims import Claim

__all__ = ["story_places", "story_relations"]


def story_places(analyses: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[Any, dict[str, Any]] = {}
    for aid, analysis in analyses.items():
        for m in analysis.get("mentions", []):
            p = m.get("place")
            if not p:
                continue
            key = p.get("geonames_id") or (p["name"], round(p["lat"], 2), round(p["lon"], 2))
            entry = found.setdefault(key, {"name": p["name"], "lat": p["lat"], "lon": p["lon"], "kind": p["kind"],
                                           "country": p.get("country"), "article_ids": [], "mentions": 0})
            entry["mentions"] += 1
            if aid not in entry["article_ids"]:
                entry["article_ids"].append(aid)
    return sorted(found.values(), key=lambda e: (-len(e["article_ids"]), -e["mentions"], e["name"]))


def _alias_index(actors: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for a in actors:
        for form in [a["name"], *a.get("aliases", [])]:
            index.setdefault(form.lower(), a["name"])
    return index


def story_relations(claims: Mapping[str, Sequence[Claim]], actors: Iterable[Mapping[str, Any]]
                    ) -> list[dict[str, Any]]:
    names = _alias_index(actors)
    edges: dict[tuple[str, str, str], dict[str, Any]] = defaultdict(lambda: {"article_ids": [], "claim_ids": []})
    for aid, items in claims.items():
        for c in items:
            if not c.predicate or c.background:
                continue
            subjects = {names.get(a.name.lower(), names.get(a.text.lower(), a.name))
                        for a in c.actors if a.role == "subject"}
            objects = {names.get(a.name.lower(), names.get(a.text.lower(), a.name))
                       for a in c.actors if a.role == "object"}
            predicate = ("not " if c.negated else "") + c.predicate
            for s in subjects:
                for o in objects - {s}:
                    e = edges[(s, predicate, o)]
                    if aid not in e["article_ids"]:
                        e["article_ids"].append(aid)
                    e["claim_ids"].append(c.id)
    out = [{"subject": s, "predicate": p, "object": o, **e} for (s, p, o), e in edges.items()]
    return sorted(out, key=lambda r: (-len(r["article_ids"]), r["subject"], r["predicate"], r["object"]))

"""A story's claims, aligned and judged: the ``claims``, ``conflicts``, ``updates`` and ``coverage``
blocks of the analysis document.

Status of each aligned group (one fact):

* ``contradicted`` — two of its articles give incompatible values for one slot (typed conflict);
* ``evolving`` — values differ the way a moving story changes (a later, higher count; "near" then
  "in" a place), and nothing contradicts;
* ``corroborated`` — at least two *independent* sources carry it;
* ``single_source`` — otherwise.

Disputes come from linked claim pairs (:func:`~rashomon.alignment.align.align_and_link`), compared
slot by slot (:mod:`.compare`); a pair that disagrees on two of when, where and how many is taken
for two facts of a kind (two strikes, two quakes), not for one fact in dispute. Updates read in
publication order when every side's date is known; otherwise the explanation says the order is
unknown.

Independence: syndicated copies (one syndication group) count once, several articles of one
outlet count once, and claims relayed from one named upstream ("according to the Syrian
Observatory", "AP reports") count once whoever relays them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ..claims import Claim
from .align import AlignParams, ClaimGroup, Link, align_and_link
from .compare import Context, Difference, compare_claims, counts_apart

__all__ = ["StoryArticle", "judge_story", "independence_key"]


@dataclass
class StoryArticle:
    id: str
    source: str | None
    published: str | None          # ISO; None when unknown
    syndication_group: str | None
    text: str


def _hid(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _norm_source(name: str) -> str:
    name = re.sub(r"^(the|a|an)\s+", "", name.strip().lower())
    return re.sub(r"[^a-z0-9 ]+", "", name)


def independence_key(claim: Claim, article: StoryArticle) -> str:
    """Claims with the same key are one source, however many articles carry them."""
    att = claim.attribution
    if att.source and (att.relay or att.kind == "named"):
        return "upstream:" + _norm_source(att.source)
    if article.syndication_group:
        return "copy:" + article.syndication_group
    return "outlet:" + _norm_source(article.source) if article.source else "article:" + article.id


def _later(a: StoryArticle, b: StoryArticle) -> int:
    if not a.published or not b.published or a.published[:16] == b.published[:16]:
        return 0
    return 1 if b.published > a.published else -1


def _source_quote(c: Claim) -> dict[str, Any]:
    return {"article_id": c.article_id, "quote": c.text, "start": c.start, "end": c.end}


def _label(article: StoryArticle) -> str:
    who = article.source or article.id
    return f"{who} ({article.published[:10]})" if article.published else who


def judge_story(articles: list[StoryArticle], claims: dict[str, list[Claim]], encoder,
                kinds: dict[tuple[str, int], str] | None = None,
                params: AlignParams | None = None) -> dict[str, Any]:
    """``{"claims", "conflicts", "updates", "coverage"}`` for one story."""
    by_id = {a.id: a for a in articles}
    flat = [c for a in articles for c in claims.get(a.id, [])]
    groups, links = align_and_link(flat, encoder, params)
    ctx = Context({a.id: a.text for a in articles}, kinds or {})
    diffs_of = _differences(groups, links, by_id, ctx)
    out_claims, conflicts, updates, coverage = [], [], [], []
    for gi, group in enumerate(groups):
        gid = _hid("k", *sorted(c.id for c in group.claims))
        diffs = diffs_of.get(gi, [])
        contra = [(x, y, d) for x, y, d in diffs if not d.evolving]
        moving = [(x, y, d) for x, y, d in diffs if d.evolving]
        keys = {independence_key(c, by_id[c.article_id]) for c in group.claims}
        if contra:
            status = "contradicted"
        elif moving:
            status = "evolving"
        else:
            status = "corroborated" if len(keys) >= 2 else "single_source"
        rep = _representative(group)
        conflict_ids = []
        for kind, sides, pairs in _typed_sides(contra, by_id):
            cid = _hid("x", gid, kind)
            conflict_ids.append(cid)
            conflicts.append({"id": cid, "kind": kind, "topic": rep.text, "claim_id": gid, "sides": sides,
                              "explanation": _explain(kind, sides, by_id, rep)})
        for kind, sides, _ in _typed_sides(moving, by_id, by_time=True):
            updates.append({"id": _hid("u", gid, kind), "kind": kind, "topic": rep.text, "claim_id": gid,
                            "sides": sides, "explanation": _explain(kind, sides, by_id, rep, update=True)})
        entry = {"id": gid, "text": rep.text, "status": status, "independent_sources": len(keys),
                 "raw_sources": len(group.article_ids), "background": rep.background,
                 "hedged": any(c.hedged for c in group.claims),
                 "attributed_to": sorted({c.attribution.source for c in group.claims if c.attribution.source}),
                 "sources": [_source_quote(c) for c in group.claims], "cohesion": round(group.cohesion, 3),
                 "conflict_ids": conflict_ids,
                 "explanation": _status_line(status, keys, group, conflicts[-1]["explanation"] if contra else None)}
        out_claims.append(entry)
        contradicting = {aid for x in conflicts if x["claim_id"] == gid for side in x["sides"][1:]
                         for aid in side["article_ids"]}
        coverage.append({"claim_id": gid, "articles": {
            a.id: ("contradicts" if a.id in contradicting else
                   "reports" if a.id in group.article_ids else "omits") for a in articles}})
    order = {"contradicted": 0, "evolving": 1, "corroborated": 2, "single_source": 3}
    out_claims.sort(key=lambda c: (order[c["status"]], -c["independent_sources"], c["id"]))
    return {"claims": out_claims, "conflicts": conflicts, "updates": updates, "coverage": coverage}


def _representative(group: ClaimGroup) -> Claim:
    # The shortest full statement reads best as the fact's name; ties by text order.
    return min(group.claims, key=lambda c: (c.background, len(c.text), c.article_id, c.start))


_WHERE_WHEN_HOW_MANY = {"date", "place", "number"}


def _differences(groups: list[ClaimGroup], links: list[Link], by_id, ctx
                 ) -> dict[int, list[tuple[Claim, Claim, Difference]]]:
    """Slot differences of linked claim pairs, by the index of the group they belong to.

    Only linked pairs are compared (close in meaning and about one event or actor): two members
    of a large group may be far apart, and an article may state the fact's date in one clause
    and its place in another, so a linked pair across two groups counts too. It goes to the
    group holding both claims, else to the larger of their two groups.
    """
    where = {c.id: gi for gi, g in enumerate(groups) for c in g.claims}
    out: dict[int, list[tuple[Claim, Claim, Difference]]] = {}
    seen: set[tuple[str, str]] = set()
    for link in links:
        a, b = sorted((link.a, link.b), key=lambda c: (c.article_id, c.start))
        if a.article_id == b.article_id or (a.id, b.id) in seen:
            continue
        seen.add((a.id, b.id))
        found = compare_claims(a, b, _later(by_id[a.article_id], by_id[b.article_id]), ctx)
        if link.negation_only:
            found = [d for d in found if d.kind == "negation"]
        differ = {d.kind for d in found if not d.evolving} & _WHERE_WHEN_HOW_MANY
        if "date" in differ and counts_apart(a, b):
            differ.add("number")     # "nearly $10 million in 2013", "approximately $30 million in 2014"
        if len(differ) > 1:
            # Claims that disagree on two of when, where and how many are two facts of one kind
            # (a story's several strikes or quakes), not one fact in dispute.
            found = [d for d in found if d.evolving or d.kind not in _WHERE_WHEN_HOW_MANY]
        if not found:
            continue
        ga, gb = where[a.id], where[b.id]
        gi = ga if len(groups[ga].article_ids) >= len(groups[gb].article_ids) else gb
        out.setdefault(gi, []).extend((a, b, d) for d in found)
    return out


def _typed_sides(diffs, by_id, by_time: bool = False):
    """Group pairwise differences by kind into sides: one side per normalised value."""
    kinds: dict[str, dict[str, dict[str, Any]]] = {}
    for a, b, d in diffs:
        sides = kinds.setdefault(d.kind, {})
        for c, value, norm in ((a, d.a_value, d.a_norm), (b, d.b_value, d.b_norm)):
            # "quotes" are the plain texts (the contract); "evidence" adds where each one sits
            side = sides.setdefault(norm, {"value": value, "normalized": norm, "article_ids": [], "quotes": [],
                                           "evidence": []})
            if c.article_id not in side["article_ids"]:
                side["article_ids"].append(c.article_id)
                side["quotes"].append(c.text)
                side["evidence"].append({"article_id": c.article_id, "quote": c.text, "start": c.start, "end": c.end})
    for kind, sides in kinds.items():
        ordered = list(sides.values())
        if by_time:
            ordered.sort(key=lambda s: min(by_id[a].published or "~" for a in s["article_ids"]))
        else:
            ordered.sort(key=lambda s: (-len(s["article_ids"]), s["normalized"]))
        yield kind, ordered, None


def _who(side, by_id) -> str:
    return ", ".join(_label(by_id[a]) for a in side["article_ids"])


def _explain(kind: str, sides, by_id, rep: Claim, update: bool = False) -> str:
    said = "; ".join(f"{_who(s, by_id)} says {s['value']!r}" for s in sides)
    topic = rep.text if len(rep.text) <= 90 else rep.text[:87] + "…"
    if update:
        firsts = [min(by_id[a].published or "" for a in s["article_ids"]) for s in sides]
        if not all(firsts):
            order = "publication dates unknown, so which came first cannot be told"
        elif len({f[:16] for f in firsts}) < len(firsts):
            order = "published at the same time, so which came first cannot be told"
        else:
            order = "read in publication order"
        return f"update ({kind}): {said} — {order}, for “{topic}”"
    return f"{kind} conflict: {said} — for “{topic}”"


def _status_line(status: str, keys: set[str], group: ClaimGroup, conflict: str | None) -> str:
    n = len(group.article_ids)
    if status == "contradicted":
        return conflict or "sources disagree"
    if status == "evolving":
        return f"reported by {n} article(s) with values that change over time"
    relayed = sorted(k.split(":", 1)[1] for k in keys if k.startswith("upstream:"))
    via = f" (relaying: {', '.join(relayed)})" if relayed else ""
    if status == "corroborated":
        return f"{len(keys)} independent sources in {n} article(s){via}"
    if n > 1:
        return f"{n} articles, but one source{via}: not independent confirmation"
    return "reported by one article only"

"""Align claims across a story's articles: one group = one fact as several sources report it.

Two claims from different articles are linked by a score mixing the meaning of their text
(MiniLM cosine) with agreement of their slots (same predicate, shared actors, shared places,
the same counted noun). Groups grow greedily from the best-scoring pairs, average link, and never
hold two claims of one article: an article states a fact once, and a second, similar sentence of
the same article is more often a related fact than a repetition.

The slot bonuses are what let "the offensive began on November 25" and "the assault started on
Wednesday" meet although their words differ, while different facts about the same actors
("rebels seized the airport", "rebels shelled the airport") stay apart on meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..claims import Claim

__all__ = ["AlignParams", "ClaimGroup", "align_claims", "pair_scores"]


@dataclass(frozen=True)
class AlignParams:
    threshold: float = 0.68        # average link score needed to join a group
    w_predicate: float = 0.08      # same content verb
    w_actor: float = 0.06          # per shared actor, at most two
    w_place: float = 0.04          # a shared place
    w_noun: float = 0.04           # quantities counting the same thing
    background_gap: float = 0.10   # taken off when one claim is background and the other news
    min_words: int = 4             # claims shorter than this are too vague to align


@dataclass
class ClaimGroup:
    claims: list[Claim] = field(default_factory=list)
    cohesion: float = 1.0          # mean pair score inside the group

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(c.article_id for c in self.claims))


def _names(c: Claim) -> set[str]:
    return {(a.name or a.text).lower() for a in c.actors}


def _places(c: Claim) -> set[str]:
    return {p.name.lower() for p in c.places}


def _nouns(c: Claim) -> set[str]:
    return {q.noun.lower().rstrip("s") for q in c.quantities if q.noun}


def pair_scores(claims: list[Claim], vectors: np.ndarray, p: AlignParams) -> np.ndarray:
    """Symmetric score matrix; pairs within one article are -inf (never aligned)."""
    sims = vectors @ vectors.T
    n = len(claims)
    names = [_names(c) for c in claims]
    places = [_places(c) for c in claims]
    nouns = [_nouns(c) for c in claims]
    art = np.array([hash(c.article_id) for c in claims])
    bonus = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(i + 1, n):
            if art[i] == art[j]:
                continue
            b = 0.0
            if claims[i].predicate and claims[i].predicate == claims[j].predicate:
                b += p.w_predicate
            b += p.w_actor * min(2, len(names[i] & names[j]))
            if places[i] & places[j] and not (places[i] & places[j]) <= (names[i] & names[j]):
                b += p.w_place    # a place already counted as a shared actor counts once
            if nouns[i] & nouns[j]:
                b += p.w_noun
            if claims[i].background != claims[j].background:
                b -= p.background_gap
            bonus[i, j] = bonus[j, i] = b
    scores = sims + bonus
    scores[art[:, None] == art[None, :]] = -np.inf
    return scores


def align_claims(claims: list[Claim], encoder, params: AlignParams | None = None) -> list[ClaimGroup]:
    """Group ``claims`` (of one story) into facts; every claim ends in exactly one group."""
    p = params or AlignParams()
    if not claims:
        return []
    usable = [i for i, c in enumerate(claims) if len(c.text.split()) >= p.min_words]
    groups: list[list[int]] = []
    if usable:
        sub = [claims[i] for i in usable]
        vectors = np.asarray(encoder.encode([c.text for c in sub]), dtype=np.float32)
        scores = pair_scores(sub, vectors, p)
        groups = _agglomerate(sub, scores, p.threshold)
        groups = [[usable[i] for i in g] for g in groups]
        cohesion = {tuple(g): _cohesion(scores, [usable.index(i) for i in g]) for g in groups}
    placed = {i for g in groups for i in g}
    groups += [[i] for i in range(len(claims)) if i not in placed]
    out = [ClaimGroup([claims[i] for i in sorted(g, key=lambda i: (claims[i].article_id, claims[i].start))],
                      cohesion.get(tuple(g), 1.0) if usable else 1.0) for g in groups]
    return sorted(out, key=lambda g: (-len(g.article_ids), g.claims[0].article_id, g.claims[0].start))


def _cohesion(scores: np.ndarray, members: list[int]) -> float:
    if len(members) < 2:
        return 1.0
    block = scores[np.ix_(members, members)]
    finite = block[np.isfinite(block) & ~np.eye(len(members), dtype=bool)]
    return float(finite.mean()) if finite.size else 1.0


def _agglomerate(claims: list[Claim], scores: np.ndarray, threshold: float) -> list[list[int]]:
    n = len(claims)
    member: list[list[int]] = [[i] for i in range(n)]
    arts: list[set[str]] = [{c.article_id} for c in claims]
    owner = list(range(n))
    iu, ju = np.triu_indices(n, k=1)
    vals = scores[iu, ju]
    order = np.argsort(-vals, kind="stable")
    for k in order:
        if vals[k] < threshold:
            break
        a, b = owner[iu[k]], owner[ju[k]]
        if a == b or arts[a] & arts[b]:
            continue
        block = scores[np.ix_(member[a], member[b])]
        if float(block.mean()) < threshold:
            continue
        member[a] += member[b]
        arts[a] |= arts[b]
        for i in member[b]:
            owner[i] = a
        member[b], arts[b] = [], set()
    return [m for m in member if m]

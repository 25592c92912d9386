"""Align claims across a story's articles: one group = one fact as several sources report it.

Two claims from different articles are linked by a score mixing the meaning of their text
(MiniLM cosine) with agreement of their slots: the same kind of event (:func:`event_class`: the
verb, or its class — "seized" and "captured", "lost" as the converse of "took", "launched an
offensive" as an attack), shared named actors (places count as places), a shared place, the same
counted noun, day dates at most a week apart; a background claim and a news claim are kept apart.
Groups grow greedily from the best-scoring pairs, average link, and never hold two claims of one
article: an article states a fact once, and a second, similar sentence of the same article is
more often a related fact than a repetition.

Groups say what is corroborated; disputes are found on :class:`Link` pairs (:func:`align_and_link`):
pairs at ``compare_threshold`` or above, one the other's best match in its article, and anchored
by the same kind of event, or by a shared actor with close meaning (``actor_cosine``, also tried
on the texts with their dates, counts and places blanked, since those are what is compared).
Pairs that are each the other's best match are held to less: ``mutual_threshold`` for one kind
of event, the grouping ``threshold`` for a shared actor. Claims with one content verb that place
its act by the same words ("filed ... in federal district court in X"), each the only such claim
of its article for the other, are linked whatever their score (:func:`_framed`). A link may cross
two groups: an article can give a fact's date in one clause and its place in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ..claims import Claim

__all__ = ["AlignParams", "ClaimGroup", "Link", "align_claims", "align_and_link", "pair_scores", "event_class",
           "noun_event", "same_event", "masked_text", "affirmed_text", "LIGHT_VERBS"]

# Verbs that name no event by themselves ("is", "has"): a shared one says nothing about the fact.
LIGHT_VERBS = frozenset({"be", "have", "do", "get", "make", "become", "seem", "appear", "remain", "go"})

# Event classes: verbs that report one kind of event, so "seized" and "captured" (and "lost" from
# the other side: the city one side took is the city the other lost) name the same fact.
_CLASSES = {
    "attack": "attack strike assault raid bomb shell storm ambush bombard invade hit",
    "capture": "capture seize take retake recapture overrun conquer occupy win gain",
    "lose": "lose cede surrender relinquish abandon",
    "kill": "kill slay murder execute die",
    "arrest": "arrest detain apprehend",
    "charge": "charge indict accuse",
    "elect": "elect reelect re-elect choose appoint name pick select nominate",
    "announce": "announce unveil introduce reveal release",
    "buy": "buy acquire purchase",
    "sign": "sign enact",
    "oust": "fire dismiss sack oust remove eject expel",
    "start": "start begin launch open initiate mount stage",
    "finish": "end finish conclude complete close",
    "rise": "rise increase climb grow jump surge soar",
    "fall": "fall decrease drop decline plunge sink",
    "visit": "visit travel tour",
    "reject": "reject refuse decline spurn rebuff",
}
_CLASS_OF = {verb: name for name, verbs in _CLASSES.items() for verb in verbs.split()}
# Nouns a light verb makes an event of ("made a visit", "made the trip") with no verb of their own
# in a class; a noun that is also a class verb ("visit", "attack", "arrest") names that class.
_NOUN_EVENTS = {"trip": "visit", "journey": "visit"}
_CONVERSE = {("capture", "lose"), ("lose", "capture")}
# "launched an offensive", "the assault began": an inception verb names the event its noun names.
_EVENT_NOUNS = re.compile(r"\b(?:offensive|attack|assault|strike|raid|operation|invasion|bombardment|"
                          r"incursion|push|advance|campaign)s?\b", re.I)

# "dismissed a challenge" rejects it; "dismissed the director" ousts him.
_PLEAS = re.compile(r"\b(?:challenge|case|suit|lawsuit|appeal|claim|charge|complaint|petition|motion|"
                    r"request|bid|allegation|accusation|argument|objection|proposal|offer)s?\b", re.I)


@dataclass(frozen=True)
class AlignParams:
    threshold: float = 0.72        # average link score needed to join a group
    w_predicate: float = 0.08      # same content verb, or verbs of one event class (:func:`event_class`)
    w_actor: float = 0.06          # per shared named actor (places count as places), at most two
    w_place: float = 0.04          # a shared place
    w_noun: float = 0.04           # quantities counting the same thing
    w_when: float = 0.05           # day dates at most a week apart (the same event, told twice)
    background_gap: float = 0.10   # taken off when one claim is background and the other news
    min_words: int = 4             # claims shorter than this are too vague to align
    compare_threshold: float = 0.62  # link score at which two anchored claims are compared slot by slot
    actor_cosine: float = 0.72     # meaning needed when a shared actor, not the event, anchors a link
    mutual_threshold: float = 0.57   # link score enough for one event told by two claims each the other's best


@dataclass
class ClaimGroup:
    claims: list[Claim] = field(default_factory=list)
    cohesion: float = 1.0          # mean pair score inside the group

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(c.article_id for c in self.claims))


def event_class(c: Claim) -> str | None:
    """The kind of event the claim's verb reports, or the verb itself; None for light verbs."""
    verb = c.predicate
    if not verb or verb in LIGHT_VERBS:
        return None
    name = _CLASS_OF.get(verb)
    if name == "start" and _EVENT_NOUNS.search(f"{c.object or ''} {c.subject or ''}"):
        return "attack"
    if verb == "dismiss" and _PLEAS.search(c.object or ""):
        return "reject"
    return name or verb


def noun_event(noun: str | None) -> str | None:
    """The event class a noun names as a light verb's object ("made a trip" → visit), or None."""
    return _NOUN_EVENTS.get(noun or "") or _CLASS_OF.get(noun or "")


def same_event(a: Claim, b: Claim) -> bool:
    """Both claims report one kind of event (:func:`event_class`), or converse ones."""
    ea, eb = event_class(a), event_class(b)
    return bool(ea and eb and (ea == eb or (ea, eb) in _CONVERSE))


# "Nov. 27", "July 16th", "27 November", "the 13th of July"
_MONTH_DAY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
                        r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                        r"[a-z]*\b", re.I)
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of the first day-and-month written in ``text``, whatever the year."""
    m = _MONTH_DAY.search(text)
    return None if m is None else (_MONTHS.index((m[1] or m[4])[:3].lower()) + 1, int(m[2] or m[3]))


def _days(c: Claim) -> list[int]:
    """Day dates of the claim as day-of-year (leap years ignored): enough to tell one week from another."""
    out = []
    for t in c.time:
        if t.status == "resolved" and t.precision == "day" and t.value and len(t.value) == 10:
            month, day = int(t.value[5:7]), int(t.value[8:10])
        elif (md := month_day(t.text)):
            month, day = md
        else:
            continue
        out.append(month * 31 + day)
    return out


def _names(c: Claim) -> set[str]:
    places = {p.name.lower() for p in c.places} | {p.text.lower() for p in c.places}
    return {(a.name or a.text).lower() for a in c.actors} - places


def _places(c: Claim) -> set[str]:
    return {p.name.lower() for p in c.places}


def _nouns(c: Claim) -> set[str]:
    return {q.noun.lower().rstrip("s") for q in c.quantities if q.noun}


def _incidence(sets: list, n: int, vocab: dict | None = None) -> sparse.csr_matrix:
    """Rows: claims; columns: items (numbered in ``vocab``, which grows); 1 where the claim holds the item."""
    vocab = {} if vocab is None else vocab
    rows, cols = [], []
    for i, items in enumerate(sets):
        for item in items:
            rows.append(i)
            cols.append(vocab.setdefault(item, len(vocab)))
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(1, len(vocab))))


def _shared(sets: list, n: int) -> np.ndarray:
    """How many items each pair of claims has in common (dense n × n)."""
    m = _incidence(sets, n)
    return (m @ m.T).toarray()


def _within_week(days: list[list[int]], n: int) -> np.ndarray:
    """Pairs of claims with a day each at most 7 days apart: one's days widened by a week meet the other's."""
    vocab: dict = {}
    near = _incidence([{d + k for d in ds for k in range(-7, 8)} for ds in days], n, vocab)
    exact = _incidence([set(ds) for ds in days], n, vocab)   # every day is already in vocab
    return (near @ exact.T).toarray() > 0


def pair_scores(claims: list[Claim], vectors: np.ndarray, p: AlignParams) -> np.ndarray:
    """Symmetric score matrix; pairs within one article are -inf (never aligned)."""
    sims = vectors @ vectors.T
    n = len(claims)
    # Each signal is a matrix product of incidence matrices: a 50-article story has ~3,000
    # claims, ~4.5 million pairs, too many for a Python loop per pair.
    events = [event_class(c) for c in claims]
    kinds = {e: k for k, e in enumerate(sorted({e for e in events if e}))}
    same = np.eye(len(kinds) + 1, dtype=bool)   # one class each; the last row/column: no event class
    same[-1, -1] = False
    for ex, ey in _CONVERSE:
        if ex in kinds and ey in kinds:
            same[kinds[ex], kinds[ey]] = True
    code = np.array([kinds.get(e, len(kinds)) if e else len(kinds) for e in events])
    # Summed in float64 in the order a per-pair sum would take, then rounded once: scores agree to
    # the bit with adding the bonuses pair by pair.
    bonus = np.where(same[code[:, None], code[None, :]], p.w_predicate, 0.0)
    bonus += p.w_actor * np.minimum(2.0, _shared([_names(c) for c in claims], n))
    bonus += p.w_place * (_shared([_places(c) for c in claims], n) > 0)
    bonus += p.w_noun * (_shared([_nouns(c) for c in claims], n) > 0)
    bonus += p.w_when * _within_week([_days(c) for c in claims], n)
    background = np.array([c.background for c in claims])
    bonus -= p.background_gap * (background[:, None] != background[None, :])
    art = np.array([hash(c.article_id) for c in claims])
    scores = sims + bonus.astype(np.float32)
    scores[art[:, None] == art[None, :]] = -np.inf
    return scores


@dataclass(frozen=True)
class Link:
    """Two claims of different articles close enough, and anchored, to be compared slot by slot,
    whether or not the grouping put them together."""
    a: Claim
    b: Claim
    score: float
    # Linked by a shared light verb only ("will be making our voices heard"): such a pair may
    # assert and deny one thing, but its counts and dates can date or count anything.
    negation_only: bool = False


def align_claims(claims: list[Claim], encoder, params: AlignParams | None = None) -> list[ClaimGroup]:
    """Group ``claims`` (of one story) into facts; every claim ends in exactly one group."""
    return align_and_link(claims, encoder, params)[0]


def align_and_link(claims: list[Claim], encoder, params: AlignParams | None = None
                   ) -> tuple[list[ClaimGroup], list[Link]]:
    """The groups of :func:`align_claims` and the :class:`Link` pairs, strongest first."""
    p = params or AlignParams()
    if not claims:
        return [], []
    usable = [i for i, c in enumerate(claims) if len(c.text.split()) >= p.min_words]
    groups: list[list[int]] = []
    links: list[Link] = []
    if usable:
        sub = [claims[i] for i in usable]
        vectors = np.asarray(encoder.encode([affirmed_text(c) for c in sub]), dtype=np.float32)
        scores = pair_scores(sub, vectors, p)
        groups = _agglomerate(sub, scores, p.threshold)
        groups = [[usable[i] for i in g] for g in groups]
        cohesion = {tuple(g): _cohesion(scores, [usable.index(i) for i in g]) for g in groups}
        links = _links(sub, encoder, vectors, scores, p)
    placed = {i for g in groups for i in g}
    groups += [[i] for i in range(len(claims)) if i not in placed]
    out = [ClaimGroup([claims[i] for i in sorted(g, key=lambda i: (claims[i].article_id, claims[i].start))],
                      cohesion.get(tuple(g), 1.0) if usable else 1.0) for g in groups]
    return sorted(out, key=lambda g: (-len(g.article_ids), g.claims[0].article_id, g.claims[0].start)), links


# A verb's negation as written, and what is left of the verb without it.
_NEGATORS = ((re.compile(r"\bwon[’']t\b", re.I), "will"), (re.compile(r"\bcan(?:not|[’']t)\b", re.I), "can"),
             (re.compile(r"n[’']t\b", re.I), ""), (re.compile(r"\s*\b(?:not|never|no longer)\b\s*", re.I), " "))


def affirmed_text(c: Claim) -> str:
    """The claim's words with its verb's negation taken out: what it is about, whether it asserts or
    denies it. A denial embeds far from the assertion it denies ("Police have not arrested a
    suspect" and "A male suspect was arrested" fall under the link threshold), yet it is that
    pair that must be compared."""
    if not c.negated:
        return c.text
    text = c.text
    for pattern, repl in _NEGATORS:
        text = pattern.sub(repl, text)
    return text.strip()


def masked_text(c: Claim) -> str:
    """The claim's words with its dates, counts and places blanked ("…"): what it says apart from
    the values sources dispute, so that "in Aleppo on Nov. 25" and "in Idlib on Nov. 27" do not
    make two tellings of one fact look like two facts."""
    spans = sorted((max(x.start, c.start), min(x.end, c.end)) for x in [*c.time, *c.quantities, *c.places])
    out, pos = [], c.start
    for s, e in spans:
        if s < pos or s >= e:
            continue
        out += [c.text[pos - c.start:s - c.start], "…"]
        pos = e
    out.append(c.text[pos - c.start:])
    return "".join(out)


def _links(claims: list[Claim], encoder, vectors: np.ndarray, scores: np.ndarray, p: AlignParams) -> list[Link]:
    """Pairs to compare slot by slot: linked at ``compare_threshold``, each the other's best match
    in its article (one side at least), and anchored — the same kind of event, or a shared actor
    and close meaning, a story's main actors being in most of its claims. The meaning is also
    taken on the slot-blanked texts (:func:`masked_text`), so that a changed place or date, the
    very thing compared, does not by itself pull two tellings of one fact apart. Two claims that
    are each the other's best match (both ways) need only ``mutual_threshold`` when they report
    one kind of event, and a shared actor with the grouping ``threshold`` instead of close meaning."""
    one_way = _best_in_article(claims, scores)
    best, strict_best = one_way | one_way.T, one_way & one_way.T
    iu, ju = np.nonzero(np.triu(((scores >= p.compare_threshold) & best)
                                | ((scores >= p.mutual_threshold) & strict_best), k=1))
    pairs = [(i, j) for i, j in zip(iu, ju)
             if scores[i, j] >= p.compare_threshold or same_event(claims[i], claims[j])]
    actor_only = [(i, j) for i, j in pairs if not same_event(claims[i], claims[j])
                  and _names(claims[i]) & _names(claims[j])]
    # Each the other's best match in its article, grouped-close and naming one actor: one fact,
    # however differently worded (a place changed is most of what such a pair differs in).
    close = {(i, j) for i, j in actor_only if float(vectors[i] @ vectors[j]) >= p.actor_cosine
             or (strict_best[i, j] and scores[i, j] >= p.threshold)}
    rest = sorted({k for pair in actor_only if pair not in close for k in pair})
    if rest:
        masked = dict(zip(rest, np.asarray(encoder.encode([masked_text(claims[k]) for k in rest]), dtype=np.float32)))
        close |= {(i, j) for i, j in actor_only if (i, j) not in close and float(masked[i] @ masked[j]) >= p.actor_cosine}
    linked = {(i, j) for i, j in pairs if same_event(claims[i], claims[j]) or (i, j) in close}
    links = [Link(claims[i], claims[j], float(scores[i, j])) for i, j in pairs if (i, j) in linked]
    # A light verb names no event, but the same one in two claims each the other's best match and
    # grouped-close states one thing, which one may assert and the other deny
    # (:func:`compare._negation` then asks the same subject and words of them).
    links += [Link(claims[i], claims[j], float(scores[i, j]), negation_only=True) for i, j in pairs
              if (i, j) not in linked and strict_best[i, j] and scores[i, j] >= p.threshold
              and claims[i].predicate and claims[i].predicate == claims[j].predicate]
    paired = set(pairs)
    links += [Link(claims[i], claims[j], float(scores[i, j])) for i, j in _framed(claims) if (i, j) not in paired]
    return sorted(links, key=lambda k: -k.score)


_WORD = re.compile(r"[A-Za-z][\w'-]*")
# Words that carry no frame by themselves: "in the", "at a".
_FRAME_STOP = frozenset("a an the in at on of to from into near by for with and or its their his her".split())
#: A place frame needs this many words that are not function words ("federal district court in").
_FRAME_WORDS = 2


def _frames(c: Claim) -> set[str]:
    """The words just before each place the claim names ("district court in" in "filed in federal
    district court in Manhattan"), when they hold enough content words to say what is placed."""
    out = set()
    for p in c.places:
        if not c.start <= p.start <= c.end:
            continue
        words = [w.lower() for w in _WORD.findall(c.text[:p.start - c.start])][-4:]
        if len([w for w in words if w not in _FRAME_STOP]) >= _FRAME_WORDS:
            out.add(" ".join(words))
    return out


def _framed(claims: list[Claim]) -> list[tuple[int, int]]:
    """Pairs of claims with the same content verb that put its act in a place by the same words
    ("filed ... in federal district court in X"), each the only such claim of its article for the
    other: one fact, however far their wordings drift once the place itself differs (a city name
    weighs much in a short claim's meaning)."""
    keyed: dict[tuple[str, str], list[int]] = {}
    for k, c in enumerate(claims):
        if c.predicate and c.predicate not in LIGHT_VERBS:
            for f in _frames(c):
                keyed.setdefault((c.predicate, f), []).append(k)
    partners: dict[tuple[int, str], set[int]] = {}
    for members in keyed.values():
        for x in members:
            for y in members:
                if claims[x].article_id != claims[y].article_id:
                    partners.setdefault((x, claims[y].article_id), set()).add(y)
    # unique both ways: no other claim of y's article is framed like x, and none of x's like y
    return sorted({(min(x, y), max(x, y)) for (x, _), ys in partners.items() if len(ys) == 1
                   for y in ys if partners[(y, claims[x].article_id)] == {x}})


def _best_in_article(claims: list[Claim], scores: np.ndarray) -> np.ndarray:
    """[i, j] when claim j is claim i's best match among the claims of j's article: an article
    states a fact once, so its other claims near the same words are other facts (a second strike,
    an earlier toll) and are not compared with this one. ``| .T``: one of a pair is the other's
    best; ``& .T``: each is."""
    arts = np.array([c.article_id for c in claims])
    best = np.zeros(scores.shape, dtype=bool)
    for art in np.unique(arts):
        cols = np.nonzero(arts == art)[0]
        block = scores[:, cols]
        top = cols[np.argmax(block, axis=1)]
        ok = np.isfinite(block.max(axis=1))
        best[np.nonzero(ok)[0], top[ok]] = True
    return best


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

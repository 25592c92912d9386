"""Atomic claims of an article, from its stored analysis and a dependency parse of its sentences.

The analysis (``rashomon.nlp``) already holds the sentences, entity mentions and actors, dates,
quantities, attributions, hedges and quotes with their offsets; this stage parses those
sentences (not the article again: its sentence split is kept), cuts each into clause units
(:mod:`.clauses`) and hands every analysed span to the one claim that owns its first token.

``extract_claims_many`` pipes the sentences of all the articles through spaCy in one stream, so
a batch of articles costs one pass of the parser; ``extract_claims`` is the one-article form.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..errors import ClaimError
from ..memo import Memo, digest
from ..nlp.model import load_pipeline
from ..nlp.types import ArticleAnalysis
from .attach import attach, predicate_chain
from .background import background, reference_date
from .clauses import Clause, is_bare_report, is_reporting, split_sentence
from .guards import boilerplate_spans, skip_reason
from .lemmas import lemma
from .types import (Claim, ClaimActor, ClaimAttribution, ClaimPlace, ClaimQuantity, ClaimTime,
                    claim_id)

__all__ = ["ClaimInput", "extract_claims", "extract_claims_many"]

# Cues that name a source without a reporting verb of their own in the sentence.
_NON_VERBAL_CUES = {"according to", "per", "as per", "citing", "quoting", "in the words of", ":"}
#: Subjects that name no one by themselves.
PRONOUNS = frozenset({"it", "this", "that", "they", "he", "she", "we", "i", "you", "there"})
_SOURCE_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
# Web text is full of no-break and thin spaces, which the parser reads as words ("its\xa0merits
# brief" → "merits" the object); one space for one keeps every offset.
_SPACES = str.maketrans({c: " " for c in "\u00a0\u2002\u2003\u2007\u2009\u200a\u202f"})
_LOCATIVE = {"in", "at", "near", "into", "across", "from", "to", "toward", "towards", "around", "outside",
             "inside", "within", "on", "through", "throughout", "along", "beyond", "between", "among", "onto",
             "via", "out", "off", "over", "under", "nearby"}
_PARTS = {"much", "most", "part", "parts", "area", "areas", "rest", "all", "half", "region", "regions",
          "north", "south", "east", "west", "center", "centre", "outskirts", "border", "side", "province",
          "provinces", "city", "cities", "town", "towns", "capital", "streets", "countryside", "corner"}
_MODIFIER_DEPS = {"compound", "poss", "conj", "cc", "nmod", "amod", "case", "punct", "appos"}


@dataclass(frozen=True)
class ClaimInput:
    article_id: str
    text: str
    analysis: Any                 # ArticleAnalysis or its JSON form
    published: Any = None         # ISO date string (or date); anchors the background test


@dataclass
class _Article:
    item: ClaimInput
    analysis: ArticleAnalysis
    ref: Any
    actor_names: dict[str, str]
    by_sentence: dict[str, list[list]] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)


def _load(item: ClaimInput) -> ArticleAnalysis:
    data = item.analysis
    if isinstance(data, ArticleAnalysis):
        return data
    if not isinstance(data, dict):
        raise ClaimError(f"article {item.article_id!r}: the analysis is a {type(data).__name__}, expected the "
                         "dict that ArticleAnalysis.to_json() gives or an ArticleAnalysis")
    try:
        return ArticleAnalysis.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ClaimError(f"article {item.article_id!r}: the analysis is malformed ({type(exc).__name__}: {exc}); "
                         "recompute it with rashomon.nlp.read_articles") from exc


def _check(item: ClaimInput, analysis: ArticleAnalysis) -> None:
    n = len(item.text)
    for i, s in enumerate(analysis.sentences):
        if not 0 <= s.start < s.end <= n:
            raise ClaimError(f"article {item.article_id!r}: analysis sentence {i} spans [{s.start}, {s.end}) but the "
                             f"text has {n} characters; the analysis belongs to another text — recompute it "
                             "with rashomon.nlp.read_articles")
    for span in [*analysis.mentions, *analysis.dates, *analysis.quantities]:
        if item.text[span.start:span.end] != span.text:
            raise ClaimError(f"article {item.article_id!r}: the analysis has {span.text!r} at [{span.start}, "
                             f"{span.end}) but the text has {item.text[span.start:span.end]!r} there; the "
                             "analysis belongs to another text — recompute it with rashomon.nlp.read_articles")


def _bucket(analysis: ArticleAnalysis) -> dict[str, list[list]]:
    """Mentions, dates and quantities per sentence index, by their start offset."""
    starts = [s.start for s in analysis.sentences]
    out = {"mentions": [[] for _ in starts], "dates": [[] for _ in starts], "quantities": [[] for _ in starts]}
    for key in out:
        for span in getattr(analysis, key):
            si = bisect_right(starts, span.start) - 1
            if si >= 0 and span.start < analysis.sentences[si].end:
                out[key][si].append(span)
    return out


def _prepare(item: ClaimInput) -> tuple[_Article, list[tuple[int, str]]]:
    analysis = _load(item)
    _check(item, analysis)
    art = _Article(item, analysis, reference_date(item.published, analysis.dates),
                   {a.id: a.name for a in analysis.actors}, _bucket(analysis))
    if analysis.note:
        return art, []
    furniture = boilerplate_spans(item.text)
    jobs = []
    for si, s in enumerate(analysis.sentences):
        if skip_reason(item.text, s.start, s.end, furniture) is None:
            jobs.append((si, item.text[s.start:s.end].translate(_SPACES)))
    return art, jobs


# An article's claims depend on nothing but the article: a story judged again after one article
# joins parses only that one. Claims handed out from here are shared: callers treat them as read-only.
_MEMO: Memo[list[Claim]] = Memo(256)   # articles; 50 long ones (3,279 claims) hold ~7 MB


def _memo_key(item: ClaimInput) -> bytes:
    data = item.analysis.to_json() if isinstance(item.analysis, ArticleAnalysis) else item.analysis
    return digest(item.article_id, item.text, json.dumps(data, sort_keys=True, default=str), str(item.published))


def extract_claims_many(items: Iterable[ClaimInput], *, batch_size: int = 256) -> dict[str, list[Claim]]:
    """Claims of each article, keyed by article id, in text order."""
    out: dict[str, list[Claim]] = {}
    arts: list[_Article] = []
    keys: list[bytes] = []
    jobs: list[tuple[int, int, str]] = []
    for item in items:
        key = _memo_key(item)
        known = _MEMO.get(key)
        if known is not None:
            out[item.article_id] = list(known)
            continue
        art, sents = _prepare(item)
        jobs.extend((len(arts), si, body) for si, body in sents)
        arts.append(art)
        keys.append(key)
        out[item.article_id] = art.claims
    if jobs:
        nlp = load_pipeline(with_parser=True)
        docs = nlp.pipe((body for _, _, body in jobs), batch_size=batch_size, disable=["ner"])
        for (ai, si, _), doc in zip(jobs, docs):
            arts[ai].claims.extend(_sentence_claims(arts[ai], si, doc))
    for art, key in zip(arts, keys):
        _MEMO.put(key, list(art.claims))
    return out


def extract_claims(article_id: str, text: str, analysis_json, published=None) -> list[Claim]:
    """Atomic claims of one article; ``analysis_json`` is its stored analysis (``ArticleAnalysis.to_json()``)."""
    return extract_claims_many([ClaimInput(article_id, text, analysis_json, published)])[article_id]


class _Sentence:
    """A parsed analysis sentence: token ↔ article offset lookups."""

    def __init__(self, art: _Article, si: int, doc):
        self.art, self.si, self.doc = art, si, doc
        self.base = art.analysis.sentences[si].start
        self.tok_starts = [t.idx for t in doc]

    def token(self, offset: int) -> int:
        return max(0, bisect_right(self.tok_starts, offset - self.base) - 1)

    def span(self, tokens: list) -> tuple[int, int]:
        return self.base + tokens[0].idx, self.base + tokens[-1].idx + len(tokens[-1].text)

    def text_of(self, tokens: list) -> str | None:
        if not tokens:
            return None
        a, b = self.span(tokens)
        return self.art.item.text[a:b]


def _is_claim(c: Clause) -> bool:
    if sum(not t.is_punct for t in c.tokens) < 2:
        return False
    if is_bare_report(c.verb) and not c.object:
        return False     # "she said." with its content elsewhere
    if is_reporting(c.verb) and len(c.object) == 1 and c.object[0].tag_ in ("WP", "WDT", "PRP"):
        return False     # "What they're saying:", "he said it"
    if c.subject or any(k.dep_ == "expl" for k in c.head.children):
        return True
    return bool(c.object) and (c.passive or c.split == "relative")   # not "were administered" alone


def _sentence_claims(art: _Article, si: int, doc) -> list[Claim]:
    sent = _Sentence(art, si, doc)
    mentions = art.by_sentence["mentions"][si]
    dates = art.by_sentence["dates"][si]
    quantities = art.by_sentence["quantities"][si]
    anchors = {sent.token(x.start) for x in [*dates, *quantities]}
    anchors |= {sent.token(m.start) for m in mentions if m.place is not None}
    date_tokens = {k for d in dates for k in range(sent.token(d.start), sent.token(d.end - 1) + 1)}
    clauses = [c for c in split_sentence(doc, anchors, date_tokens) if _is_claim(c)]
    owner = {t.i: ci for ci, c in enumerate(clauses) for t in c.tokens}
    claims: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    framed = any(c.frame is not None for c in clauses)
    for ci, c in enumerate(clauses):
        start, end = sent.span(c.tokens)
        if (start, end) in seen:
            continue
        seen.add((start, end))
        mine = lambda x: owner.get(sent.token(x.start)) == ci   # noqa: E731
        subject_ids = {t.i for t in c.subject}
        object_ids = {t.i for t in c.object}
        claim = Claim(
            id=claim_id(art.item.article_id, start, end), article_id=art.item.article_id, sentence=si,
            start=start, end=end, text=art.item.text[start:end], predicate=lemma(c.verb),
            negated=c.negated, subject=sent.text_of(c.subject), object=sent.text_of(c.object),
            passive=c.passive, split=c.split)
        claim.actors = _actors(art, sent, mentions, mine, subject_ids, object_ids)
        claim.places = [ClaimPlace(m.place.name, m.place.lat, m.place.lon, m.text, m.start, m.end)
                        for m in mentions
                        if m.place is not None and _placed(m, sent, doc, mine, subject_ids, object_ids)]
        owned_dates = [d for d in dates if mine(d)]
        chain = predicate_chain(c.head, c.verb)
        claim.time = []
        for d in owned_dates:
            at = attach(_tokens_of(sent, d), chain, is_date=True)
            claim.time.append(ClaimTime(d.value, d.precision, d.status, d.text, d.start, d.end,
                                        at.head, at.of_predicate, at.head_kind, at.governor, at.own_subject))
        claim.quantities = []
        for q in quantities:
            if mine(q):
                at = attach(_tokens_of(sent, q), chain)
                claim.quantities.append(ClaimQuantity(q.low, q.high, q.noun, q.text, q.approximate, q.start, q.end,
                                                      at.head, at.of_predicate, at.role, at.cumulative))
        claim.attribution = _attribution(art, si, c, sent, mentions, framed)
        claim.quoted = any(q.start <= start and end <= q.end for q in art.analysis.quotes)
        claim.background, claim.background_cue = background(
            c, [(d, doc[sent.token(d.start)]) for d in owned_dates], art.ref)
        if c.frame_negated:
            claim.hedges.append(f"not {c.frame.lower_}")
        claims.append(claim)
    _hedges(art, si, claims)
    return claims


def _tokens_of(sent: _Sentence, span) -> list:
    """The parsed tokens a date or quantity span covers."""
    return list(sent.doc[sent.token(span.start):sent.token(span.end - 1) + 1])


def _placed(m, sent, doc, mine, subject_ids, object_ids) -> bool:
    """Owned and not the acting subject, or the object the claim shares with its host ("Aleppo, which
    the opposition lost in 2017": Aleppo is where, though it stands outside the relative clause)."""
    k = sent.token(m.start)
    if k in object_ids:
        return _located(m, doc[k])
    return mine(m) and k not in subject_ids and _located(m, doc[k])


def _located(mention, tok) -> bool:
    """Whether a place mention says where: a city or region always; a country only inside a
    locative phrase ("in Syria", "Syria's countryside"), not as an actor ("its allies Russia and Iran")."""
    if mention.place.kind != "country":
        return True
    for _ in range(8):
        while tok.dep_ in _MODIFIER_DEPS and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ != "pobj":
            return False
        prep = tok.head
        if prep.lower_ in _LOCATIVE:
            return True
        # "across much of South Africa", "in parts of Syria": through the partitive to its preposition
        if prep.lower_ != "of" or prep.head.lower_ not in _PARTS:
            return False
        tok = prep.head
    return False


def _actors(art, sent, mentions, mine, subject_ids, object_ids) -> list[ClaimActor]:
    out, seen = [], set()
    for m in mentions:
        k = sent.token(m.start)
        role = "subject" if k in subject_ids else "object" if k in object_ids else "other" if mine(m) else None
        if role is None:
            continue
        key = (m.actor or m.text, role)
        if key in seen:
            continue
        seen.add(key)
        out.append(ClaimActor(m.actor, art.actor_names.get(m.actor, m.text), role, m.text, m.start, m.end,
                              m.label))
    return out


def _attribution(art, si, clause: Clause, sent, mentions, framed: bool) -> ClaimAttribution:
    sa = art.analysis.sentences[si].attribution
    given = ClaimAttribution(sa.source, sa.kind, sa.relay, sa.cue)
    if clause.frame is not None:
        if sa.kind != "none" and (sa.source is not None or not clause.frame_subject):
            return given
        return _from_frame(clause, sent, mentions)   # the analysis found no source, or only "it was said"
    if sa.kind != "none" and framed and (sa.cue or "").lower() not in _NON_VERBAL_CUES:
        return ClaimAttribution(None, "none")   # the sentence's speaker reports another clause
    if sa.kind != "none" and _embedded_cue(sa, clause, sent):
        return ClaimAttribution(None, "none")   # "..., after Pfizer announced it was ...": not this claim's source
    return given


def _embedded_cue(sa, clause: Clause, sent) -> bool:
    """The sentence's speaker is the subject of a reporting verb buried inside this claim."""
    if sa.start is None or not sent.base <= sa.start < sent.base + len(sent.doc.text):
        return False
    tok = sent.doc[sent.token(sa.start)]
    owned = {t.i for t in clause.tokens}
    for _ in range(4):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") and is_reporting(tok):
            return tok.i in owned and tok.i not in (clause.verb.i, clause.head.i)
    return False


def _from_frame(clause: Clause, sent, mentions) -> ClaimAttribution:
    """The analysis found no source; the reporting verb's own subject stands in."""
    cue = clause.frame.lower_
    toks = clause.frame_subject
    if not toks or (len(toks) == 1 and toks[0].lower_ in PRONOUNS):
        return ClaimAttribution(None, "vague", cue=cue)
    a, b = sent.span(toks)
    named = any(a <= m.start < b and m.label in _SOURCE_LABELS for m in mentions) or \
        any(t.pos_ == "PROPN" for t in toks)
    return ClaimAttribution(sent.text_of(toks), "named" if named else "vague", cue=cue)


def _hedges(art, si, claims: list[Claim]) -> None:
    """A hedge word inside a claim's span hedges that claim; one in the frame hedges what it frames."""
    text = art.item.text
    s = art.analysis.sentences[si]
    for h in art.analysis.sentences[si].hedges:
        for m in re.finditer(r"(?<!\w)" + re.escape(h).replace(r"\ ", r"\s+") + r"(?!\w)", text[s.start:s.end],
                             re.IGNORECASE):
            at = s.start + m.start()
            inside = [c for c in claims if c.start <= at < c.end]
            if inside:   # a relative clause sits inside its host's span: the innermost owns the word
                inside = [min(inside, key=lambda c: c.end - c.start)]
            else:
                reported = [c for c in claims if c.split == "reported" or c.attribution.kind != "none"]
                inside = reported or claims
            for c in inside:
                if h not in c.hedges:
                    c.hedges.append(h)
    for c in claims:
        c.hedged = bool(c.hedges)

"""Tone toward actors: is each resolved actor of an article written about favourably or not?

``actor_tone(text, analysis_json)`` gives, for every actor of the analysis, a score in [-1, 1]:

* **Clauses.** Every sentence that mentions the actor is cut into clauses at ``; : — –`` and at
  contrastive conjunctions (but, while, whereas, although, though, however), and the clause holding
  the mention is scored VADER-style: each word's valence from the VADER lexicon (Hutto & Gilbert
  2014, MIT licence, read from the installed ``vaderSentiment`` package) or, for our loaded
  lexicon's words, ``polarity × weight × 3``; a negator in the three words before flips and damps
  it (× -0.74), a booster ("extremely") before it adds .293 in its direction; the sum ``x`` is
  squashed to ``x / sqrt(x² + 15)``. Words of named-entity mentions carry no valence (the Syrian
  Observatory for Human *Rights* is not praise). VADER words count half as much as ours: most of
  its strong entries in news are the events themselves ("killed", "war", "attack"), which colour
  every actor of a war story alike.
* **Labels.** A loaded label or charged adjective attached to a mention — right before it ("the
  regime of tyrant Bashar al-Assad", "radical Al-Qaeda"), right after it ("Assad's dictatorship",
  "the Assad regime"), in an appositive ("HTS, a jihadist alliance") or before "led by" ("jihadist
  rebels, led by HTS") — is the outlet's verdict on that actor: it counts ``LABEL_WEIGHT`` times
  as much as one clause, with value ``polarity × weight``, and is left out of every clause score.
* The score is the weighted mean of those values over the actor's own-voice evidence; evidence
  inside quotations (someone else's words) is averaged apart into ``quoted_score``.

Each actor gets ``{"score", "n_mentions", "evidence": [[start, end], ...], "labels": [...],
"quoted_score", "n_quoted"}``; evidence lists the sentences that moved the score, strongest first.
``article_tone`` is the mean sentence score (whole sentences, quotations left out) over the article.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import ConfigError
from .loaded import loaded_spans, quote_spans, sentence_bounds

__all__ = ["actor_tone", "article_tone", "vader_lexicon", "LABEL_WEIGHT", "VADER_DAMP"]

LABEL_WEIGHT = 3.0
VADER_DAMP = 0.5
LEXICON_SCALE = 3.0       # our weights are in (0, 1]; VADER's valences run to ±4
_ALPHA = 15.0             # VADER's normalisation constant
_NEGATION_WINDOW = 3
_LABEL_CATEGORIES = ("label", "charged_adjective", "distancing")
_POST_CATEGORIES = ("label",)

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_CLAUSE_BREAK = re.compile(r"\s*[;:—–]\s*|\s+-\s+|,?\s+\b(?:but|while|whereas|although|though|however)\b",
                           re.IGNORECASE)
# Gap words that end a noun phrase: a label on the far side of one describes someone else.
_GAP_STOP = {"against", "by", "with", "and", "or", "but", "to", "from", "for", "on", "in", "at", "as", "than",
             "that", "which", "who", "whom", "is", "are", "was", "were", "be", "been", "has", "have", "had",
             "said", "says", "after", "before", "into", "over", "under", "near", "while", "when", "not", "it",
             "he", "she", "they", "his", "her", "their", "its", "this", "these", "those"}
# VADER entries that are function words or idioms in news prose, not judgements.
_VADER_SKIP = {"like", "no", "yes", "please", "kind", "well", "pretty", "sure", "ok", "okay", "lol", "joke",
               "cut", "join", "joined", "matter", "spirit", "party", "share", "shares", "support", "supported",
               "backed", "backing", "top", "clear", "fire", "hand", "true", "want", "wants", "free"}


@dataclass(frozen=True)
class _Vader:
    lexicon: dict[str, float]
    negators: frozenset[str]
    boosters: dict[str, float]
    n_scalar: float


@lru_cache(maxsize=1)
def vader_lexicon() -> _Vader:
    """VADER's word valences, negators and boosters, from the installed vaderSentiment package."""
    try:
        from vaderSentiment import vaderSentiment as vs
        raw = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError):
        raise ConfigError("tone scoring needs the VADER lexicon: pip install 'vaderSentiment>=3.3.2,<4'") from None
    lexicon: dict[str, float] = {}
    for line in raw.splitlines():
        cells = line.split("\t")
        if len(cells) >= 2 and cells[0] and not cells[0][0].isdigit():
            try:
                lexicon[cells[0].lower()] = float(cells[1])
            except ValueError:
                continue
    # "despite" introduces a concession in news prose; it does not negate the next word.
    negators = frozenset(w for w in vs.NEGATE if w != "despite") | {"no", "never"}
    return _Vader(lexicon, negators, dict(vs.BOOSTER_DICT), vs.N_SCALAR)


def _squash(x: float) -> float:
    return x / math.sqrt(x * x + _ALPHA)


class _Reader:
    """One article's tokens with their valence, ready for span sums."""

    def __init__(self, text: str, analysis: dict[str, Any], spans: list[dict[str, Any]]):
        self.text = text
        self.analysis = analysis
        self.spans = spans
        vader = vader_lexicon()
        self.bounds = sentence_bounds(text, analysis)
        self.sent_starts = [a for a, _ in self.bounds]
        self.speech, self.scare = quote_spans(text, analysis, self.bounds)
        mentions = sorted((m["start"], m["end"]) for m in analysis.get("mentions", []))
        self.tokens: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group().lower().replace("’", "'"))
                                                   for m in _TOKEN.finditer(text)]
        self.token_starts = [t[0] for t in self.tokens]
        n = len(self.tokens)
        base = [0.0] * n
        booster = [0.0] * n
        lex_of = [None] * n          # index of the loaded span a token belongs to
        for si, s in enumerate(spans):
            if s["category"] == "scare_quote":
                continue
            for k in self._token_range(s["start"], s["end"]):
                lex_of[k] = si
        in_mention = [False] * n
        mi = 0
        for k, (a, b, _) in enumerate(self.tokens):
            while mi < len(mentions) and mentions[mi][1] <= a:
                mi += 1
            in_mention[k] = mi < len(mentions) and mentions[mi][0] <= a
        for k, (a, b, w) in enumerate(self.tokens):
            if in_mention[k]:
                continue
            si = lex_of[k]
            if si is not None:
                s = spans[si]
                first = k == 0 or lex_of[k - 1] != si
                if s["category"] == "intensifier":
                    booster[k] = 0.293 * s["weight"] / 0.6
                elif first and s["polarity"]:
                    base[k] = s["polarity"] * s["weight"] * LEXICON_SCALE
                continue
            if w in vader.boosters:
                booster[k] = abs(vader.boosters[w])
            elif w in vader.lexicon and w not in _VADER_SKIP:
                base[k] = vader.lexicon[w] * VADER_DAMP
        self.valence = [0.0] * n
        for k in range(n):
            v = base[k]
            if not v:
                continue
            for d in range(1, _NEGATION_WINDOW + 1):
                j = k - d
                if j < 0:
                    break
                if booster[j]:
                    v += math.copysign(booster[j] * (1 - 0.05 * (d - 1)), v)
                if self.tokens[j][2] in vader.negators or self.tokens[j][2].endswith("n't"):
                    v *= vader.n_scalar
                    break
            self.valence[k] = v

    def _token_range(self, a: int, b: int) -> range:
        i = bisect_right(self.token_starts, a - 1)
        j = bisect_right(self.token_starts, b - 1)
        return range(i, j)

    def sentence_index(self, pos: int) -> int | None:
        i = bisect_right(self.sent_starts, pos) - 1
        if i >= 0 and pos < self.bounds[i][1]:
            return i
        return None

    def clause(self, sentence: tuple[int, int], a: int, b: int) -> tuple[int, int]:
        s0, s1 = sentence
        lo, hi = s0, s1
        for m in _CLAUSE_BREAK.finditer(self.text, s0, s1):
            if m.end() <= a:
                lo = max(lo, m.end())
            elif m.start() >= b:
                hi = min(hi, m.start())
                break
        return lo, hi

    def score(self, a: int, b: int, exclude: set[int]) -> float:
        return _squash(sum(self.valence[k] for k in self._token_range(a, b) if k not in exclude))

    def in_speech(self, a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in self.speech)


def _gap_words(gap: str) -> list[str] | None:
    """Words between a label and a mention, or None when punctuation separates them."""
    if re.search(r"[^\w\s'’-]", gap):
        return None
    return gap.split()


def _attached(text: str, span: dict[str, Any], m0: int, m1: int) -> bool:
    """Is this loaded span a label on the mention at (m0, m1)?"""
    cat = span["category"]
    if cat not in _LABEL_CATEGORIES or not span["polarity"]:
        return False
    a, b = span["start"], span["end"]
    if b <= m0:
        gap = text[b:m0]
        words = _gap_words(gap)
        if words is not None and len(words) <= 2 and not any(w.lower() in _GAP_STOP for w in words):
            return True
        # "jihadist rebels, led by HTS"
        led = re.fullmatch(r"(?:\s+[\w'’-]+){0,2}\s*,?\s+led\s+by\s+(?:the\s+)?", gap)
        return led is not None
    if a < m1:
        return False
    gap = text[m1:a]
    if cat in _POST_CATEGORIES and re.fullmatch(r"(?:['’]s)?(?:\s+[\w-]+)?\s+", gap):
        # "Assad's regime", "the Assad regime": the label must end the noun phrase, not modify
        # a further noun ("Syria's radical Al-Qaeda linked insurgents" labels the insurgents).
        words = gap.replace("’s", " ").replace("'s", " ").split()
        nxt = re.match(r"\s*([\w'’-]+)", text[b:b + 40])
        ends_np = nxt is None or nxt.group(1).lower() in _GAP_STOP or not (
            nxt.group(1)[0].isupper() or re.search(r"-(?:linked|backed|led|affiliated|allied)$", nxt.group(1)))
        return ends_np and not any(w.lower() in _GAP_STOP for w in words)
    # Appositive: "HTS, a jihadist alliance" (up to five words in), but not the subject that
    # follows an attribution: "according to the Observatory, the militants attacked".
    limit = 4 if cat in _POST_CATEGORIES else 3
    appos = re.fullmatch(r"\)?,\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,%d}" % limit, gap, re.IGNORECASE)
    if appos is None:
        return False
    return not re.search(r"\b(?:according to|said|says|told|per)\b[^,.;]*$", text[max(0, m0 - 80):m0],
                         re.IGNORECASE)


def _actor_mentions(analysis: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, set[tuple[int, int]]] = {a["id"]: {tuple(x) for x in a.get("mentions", [])}
                                            for a in analysis.get("actors", [])}
    for m in analysis.get("mentions", []):
        if m.get("actor") in out:
            out[m["actor"]].add((m["start"], m["end"]))
    return {k: sorted(v) for k, v in out.items()}


def _weighted(items: list[tuple[float, float]]) -> float | None:
    total = sum(w for w, _ in items)
    return round(sum(w * v for w, v in items) / total, 4) if total else None


def actor_tone(text: str, analysis_json: dict[str, Any], *,
               spans: list[dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """``{actor_id: {"score", "n_mentions", "evidence", "labels", "quoted_score", "n_quoted"}}``."""
    if not isinstance(analysis_json, dict) or "sentences" not in analysis_json:
        raise TypeError("actor_tone needs an analysis as produced by ArticleAnalysis.to_json() "
                        "(a dict with 'sentences', 'mentions', 'actors')")
    spans = spans if spans is not None else loaded_spans(text, analysis_json)
    reader = _Reader(text, analysis_json, spans)
    by_actor = _actor_mentions(analysis_json)
    candidates = [(i, s) for i, s in enumerate(spans) if s["category"] in _LABEL_CATEGORIES and s["polarity"]]
    attached: dict[str, list[int]] = {}
    for actor_id, mentions in by_actor.items():
        for m0, m1 in mentions:
            for i, s in candidates:
                if abs(s["start"] - m0) < 120 and _attached(text, s, m0, m1):
                    attached.setdefault(actor_id, []).append(i)
    label_tokens: set[int] = set()
    for ids in attached.values():
        for i in ids:
            label_tokens.update(reader._token_range(spans[i]["start"], spans[i]["end"]))

    result: dict[str, dict[str, Any]] = {}
    for actor_id, mentions in by_actor.items():
        own: list[tuple[float, float]] = []
        quoted: list[tuple[float, float]] = []
        moved: dict[tuple[int, int], float] = {}
        seen_clauses: set[tuple[int, int]] = set()
        for m0, m1 in mentions:
            si = reader.sentence_index(m0)
            if si is None:
                continue
            sentence = reader.bounds[si]
            clause = reader.clause(sentence, m0, m1)
            if clause in seen_clauses:
                continue
            seen_clauses.add(clause)
            value = reader.score(clause[0], clause[1], label_tokens)
            (quoted if reader.in_speech(m0, m1) else own).append((1.0, value))
            if value:
                moved[sentence] = moved.get(sentence, 0.0) + abs(value)
        labels = []
        for i in sorted(set(attached.get(actor_id, []))):
            s = spans[i]
            value = s["polarity"] * s["weight"]
            (quoted if s["in_quote"] else own).append((LABEL_WEIGHT, value))
            labels.append(s["text"])
            si = reader.sentence_index(s["start"])
            if si is not None:
                sentence = reader.bounds[si]
                moved[sentence] = moved.get(sentence, 0.0) + abs(value) * LABEL_WEIGHT
        score = _weighted(own)
        result[actor_id] = {
            "score": 0.0 if score is None else score,
            "n_mentions": len(mentions),
            "evidence": [list(s) for s, _ in sorted(moved.items(), key=lambda kv: (-kv[1], kv[0]))],
            "labels": labels,
            "quoted_score": _weighted(quoted),
            "n_quoted": len(quoted),
        }
    return result


def article_tone(text: str, analysis_json: dict[str, Any], *,
                 spans: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """``{"score", "n_sentences"}``: the mean tone of the outlet's own sentences (quotations left out)."""
    spans = spans if spans is not None else loaded_spans(text, analysis_json)
    reader = _Reader(text, analysis_json, spans)
    quoted = {k for a, b in reader.speech for k in reader._token_range(a, b)}
    scores = [reader.score(a, b, quoted) for a, b in reader.bounds]
    return {"score": round(sum(scores) / len(scores), 4) if scores else 0.0, "n_sentences": len(scores)}

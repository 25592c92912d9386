"""Is a claim about the news event or about the past that explains it?

Decided per clause, in this order:

1. a date that modifies the verb itself (not a date inside a noun phrase: "the first time since
   2016" is news, "was retaken in 2016" is context) ending more than :data:`BACKGROUND_DAYS` before
   the reference date → background; a verb-level date near the reference date → news, whatever the
   tense. "since <date>" counts only with a lasting verb ("has held the city since 2016", "had
   been under control since 2016"), not with an event ("struck Aleppo, a first since 2016");
2. a verb-level "once", "previously", "formerly", "originally", "N years ago", or "long" with a
   perfect ("has long fought") → background;
3. the past perfect ("had seized") outside reported speech, where it is only a backshift → background.

The reference date is the publication date; without one, the latest day, week or month the article
mentions (a year alone is too coarse to say what is recent).
"""

from __future__ import annotations

import datetime as dt

from ..nlp.dates import date_range, parse_anchor
from .lemmas import lemma

__all__ = ["reference_date", "background", "BACKGROUND_DAYS"]

BACKGROUND_DAYS = 60
_ADJUNCT_PATH = {"pobj", "prep", "npadvmod", "advmod", "nummod", "compound", "amod", "det", "quantmod",
                 "pcomp", "nmod", "conj", "cc", "case", "punct"}
_PAST_CUES = {"once", "previously", "formerly", "originally"}
_STATES = {"be", "remain", "stay", "control", "hold", "rule", "live", "exist", "keep", "own", "occupy",
           "govern", "run", "lead", "dominate", "support", "back"}
_LONG_UNITS = {"year", "years", "decade", "decades", "century", "centuries"}


def reference_date(published, dates) -> dt.date | None:
    """First day of the publication date; else the last day of the latest resolved date mentioned."""
    if published is not None and hasattr(published, "isoformat"):
        published = published.isoformat()
    anchor = parse_anchor(published)
    if anchor.precision == "day":
        return anchor.day
    if anchor.precision == "month":
        return dt.date(anchor.year, anchor.month, 1)
    if anchor.precision == "year":
        return dt.date(anchor.year, 1, 1)
    # A year alone says too little of "now": an article whose latest date is "2016" may be
    # telling background only, and "since 2016" would then pass for recent news.
    ends = [r[1] for r in (date_range(d.value, d.precision) for d in dates if d.precision in ("day", "week", "month"))
            if r]
    return max(ends) if ends else None


def _verb_level(tok, verbs: set[int]) -> tuple[bool, str | None]:
    """Whether ``tok`` hangs from the clause's own verbs through adjuncts only; and its preposition."""
    prep = None
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            return False, None
        if t.dep_ not in _ADJUNCT_PATH:
            return False, None
        if t.dep_ == "prep" and prep is None:
            prep = t.lower_
        t = t.head
        if t.i in verbs:
            return True, prep
    return False, None


def _perfect(verb) -> bool:
    return verb.tag_ in ("VBN", "VBG") and any(
        c.dep_ == "aux" and c.lower_ in ("has", "have", "had", "'s", "’s", "'ve", "’ve", "'d", "’d")
        for c in verb.children)


def _lasting(clause) -> bool:
    """A state or a continuing action, the reading under which "since 2016" describes the past."""
    verb = clause.verb
    return _perfect(verb) or lemma(verb) in _STATES or verb.tag_ == "VBG"


def background(clause, dated: list, ref: dt.date | None) -> tuple[bool, str | None]:
    """``dated``: (DateExpr, token) pairs owned by the clause. Returns (background, cue)."""
    verbs = {clause.head.i}
    t = clause.verb
    while t.i != clause.head.i and t.head.i != t.i:   # "managed to capture": the whole chain
        verbs.add(t.i)
        t = t.head
    recent = False
    for date, tok in dated:
        level, prep = _verb_level(tok, verbs)
        span = date_range(date.value, date.precision)
        if not level or span is None or ref is None:
            continue
        if prep == "since" and not _lasting(clause):
            continue   # "the first strikes since 2016": news measured against the past
        if span[1] < ref - dt.timedelta(days=BACKGROUND_DAYS):
            return True, f"{'since ' if prep == 'since' else ''}{date.text}"
        recent = True
    if recent:
        return False, None
    verbs = [clause.head] if clause.verb.i == clause.head.i else [clause.head, clause.verb]
    for v in verbs:
        for c in v.children:
            if c.dep_ == "advmod" and c.lower_ in _PAST_CUES:
                return True, c.lower_
            if c.dep_ == "advmod" and c.lower_ == "long" and _perfect(v):
                return True, "long"
            if c.dep_ == "advmod" and c.lower_ == "ago" and any(
                    g.lower_ in _LONG_UNITS for g in c.subtree):
                return True, " ".join(g.text for g in c.subtree)
    if clause.frame is None:
        verb = clause.verb
        if verb.tag_ in ("VBN", "VBG") and any(c.lower_ in ("had", "'d", "’d") and c.dep_ == "aux"
                                               for c in verb.children):
            return True, "past perfect"
    return False, None

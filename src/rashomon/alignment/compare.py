"""Compare the slots of linked claims: agreement, contradiction (typed) or an update over time.

Each comparison takes two claims from different articles and returns the slots on which they
differ. The rules keep to what the slots can prove:

* **date** — compared at the coarser of two precisions ("2016" vs "2017-05" differ on the year;
  "November" vs "2024-11-27" agree); a claim may carry up to three dates, and two claims conflict
  when some pair of their dates differs and no pair agrees on the part (year, month, day) that
  differs. A day and month whose year the text does not write ("Jan. 6") is compared on day and
  month only. An unresolved date ("on Wednesday" with no known publication date) never conflicts;
  years more than three apart are two events of a kind, not one date in dispute. Two dates are set
  against each other only when they date the same thing (:func:`_same_dated`): both the claims'
  own verbs, or one word ("Monday's summit", a verb nested in both), not the summit someone urged
  to cancel against the urging, nor the day a measure was announced against the day it was taken;
  any pair that agrees still ties the claims to one time.
* **number** — the one count of a noun in each claim, ranges widened by the rounding their wording
  admits ("$43 million" is 42–44 million) and doubled for words of magnitude ("thousands"); a
  remainder ("four other people", "two of the bombs"), an address ("the 1500 block") or a number
  the text split ("$1, 199") is not compared, nor an attribute count ("27-year-old", "17-inch")
  unless both describe the same next word or both are ages in the same role; several counts of
  one noun are paired by the words around them, and none is compared when one pair agrees; counts
  more than ten times apart measure two things; a running length ("12 days of the offensive")
  grows as it is told. A running total ("has so far lost", "in all") and one incident's count,
  a part ("including three civilians") and a whole, or counts in different roles of the claims'
  verbs (:func:`_alike`) are not compared; a bare number set off after a count ("five soldiers
  died, four from friendly fire") is a share of it, which may agree with a count but never disputes
  one. When the later publication gives the higher count it is an *update*, not a contradiction.
* **place** — the city each claim puts its fact in ("in", "at", "of", "from", "in the provincial
  capital" ...; the first when it names several), a country or region never contradicting a city
  in it, a city the other claim names too never in dispute; two bearings ("near X", "13 miles
  east of Y") do not contradict; "near X" then "in X" is an update; cities under 15 km apart (a
  camp and its city) or surely in two countries do not contradict.
* **negation** — the same verb asserted by one and denied ("not", "never", "no longer") by the
  other, about the same subject and object as far as both say them (a complement of place or
  circumstance is no object; a name and a description are not told apart by words); not for
  reporting verbs; an object is its head ("Trump's son" is not "Trump"; "a 3.2 megapixel camera"
  may be an item of the other's list), a compound subject its head ("the lawsuit", "the suit"); a
  light verb with no object is compared on the rest of the claim; a possibility ("could issue")
  is not contradicted by a denial.
* **actor** — the same (not light) verb and object with subjects that cannot be one actor under
  two names, neither named in the other claim.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, replace
from typing import Any, Callable

from ..claims import Claim
from ..claims.clauses import REPORT_LEMMAS
from ..claims.extract import PRONOUNS
from ..nlp.quantities import CURRENCY_NOUNS
from ..nlp.wordnet import get_nouns
from .align import LIGHT_VERBS, month_day, noun_event, same_event
from .scope import market_session, other_places, place_level, subset_scope

__all__ = ["Difference", "Context", "compare_claims", "counts_apart", "KINDS"]

KINDS = ("date", "number", "place", "actor", "negation", "other")
_PREC_LEN = {"year": 4, "month": 7, "day": 10}
_MAX_DATES = 3                 # a claim with more dates than this is a list, not one dated fact
_MAX_YEARS = 3                 # sources misdate an event by a year or two, not by a decade
_NEAR = re.compile(r"(?:near|outside|outskirts of|approach(?:es|ing)? to|(?:kilometers?|kilometres?|km|miles?)"
                   r"(?:\s+(?:\w+-)?(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?)?"
                   r"\s+(?:from|of)|(?:north|south|east|west)(?:east|west)?\s+of|close to|edge of|gates of)"
                   r"\s+(?:the\s+)?(?:city\s+of\s+)?$", re.I)
_IN = re.compile(r"\b(?:in|at|into|inside|within|across|throughout|to|toward|towards|from|on|over|around|of)"
                 r"\s+(?:the\s+)?(?:(?:city|town|village|capital|port|streets|center|centre)\s+of\s+"
                 r"|(?:(?:provincial|regional|state|national|coastal|border|northern|southern|eastern|western)\s+)?"
                 r"(?:capital|city|town|port)\s*,?\s+)?"
                 r"(?:(?:downtown|central|greater|northern|southern|eastern|western|old)\s+)?$", re.I)


@dataclass
class Difference:
    kind: str                  # one of KINDS
    evolving: bool             # an update over time rather than a contradiction
    a_value: str               # as written in claim a
    a_norm: str                # normalised
    b_value: str
    b_norm: str
    note: str = ""


_YEAR_WRITTEN = re.compile(r"\b\d{4}\b|'\d\d\b")


def _date_keys(c: Claim) -> list[tuple[str, str, Any]]:
    """(as written, normalised, the ClaimTime) for each date of the claim: ISO when resolved, "--MM-DD" for a day
    and month whose year is not written (it still disagrees with another day of the same month,
    but a year the resolver guessed is not evidence)."""
    found = []
    for t in c.time:
        md = month_day(t.text)
        resolved = t.status == "resolved" and t.value and t.precision in _PREC_LEN
        # "Jan. 6" resolved to a year the text does not state: the year is the resolver's guess
        if resolved and not (md and not _YEAR_WRITTEN.search(t.text)):
            found.append((t.text, t.value, t))
        elif md:
            found.append((t.text, f"--{md[0]:02d}-{md[1]:02d}", t))
    return found


def _same_word(x: str | None, y: str | None) -> bool:
    """One word, spelling variants included ("practise", "practice"): six letters in common at the start."""
    if not x or not y:
        return False
    if x == y:
        return True
    n = len(os.path.commonprefix([x, y]))
    return n >= 6 and abs(len(x) - len(y)) <= 2


# Verbs of telling: announcing a measure and taking it are two acts, each with its own date ("announced
# the tariffs on March 8", "imposed the tariffs on March 23").
_TELLING = frozenset("announce unveil reveal declare say state propose promise pledge vow threaten plan warn "
                     "confirm report".split())


def _dates_act(t, c: Claim) -> bool:
    """The date is the claim's act's: on its verb, or a year on a noun the verb takes as an argument
    ("the 2004 tsunami was triggered" dates the triggering)."""
    return t.of_predicate or (t.head_kind == "noun" and t.precision == "year" and bool(c.predicate)
                              and (t.governor or "").startswith(f"{c.predicate}:"))


def _same_dated(ta, tb, a: Claim, b: Claim) -> bool:
    """Whether two dates date the same thing: both the claims' own acts (unless one act is the
    telling of the other, :data:`_TELLING`, or two days date acts of two kinds), the same word (a
    noun, "Monday's summit" and "the summit on Friday", or a verb nested in both), two nouns in the
    same place of one verb or two years on nouns (one thing is named in many ways: "the 2005
    treaty", "the 2005 peace deal"), or a noun that names the other claim's act ("the attack on
    Monday", "attacked on Tuesday"). What is left out is a date of the act against a date of
    something else inside the other claim: the date of the summit someone urged to cancel is not
    the date of the urging."""
    if _dates_act(ta, a) and _dates_act(tb, b):
        if _other_party(a, b, _object_actors):
            # "endorsed Romney in 2008", "endorsed Perry on Tuesday": two acts. Descriptions are not
            # compared: "the first new medication" and "Biogen's Alzheimer's drug" are one thing.
            return False
        if a.predicate != b.predicate and a.predicate not in LIGHT_VERBS and b.predicate not in LIGHT_VERBS \
                and not same_event(a, b) and "year" not in (ta.precision, tb.precision):
            # two acts of different kinds ("dismissed ... on Saturday", "tried to clarify on Sunday")
            # are two days' acts; a year, though, spans both as a rule ("found guilty" and "convicted"
            # in "the 2012 shooting")
            return False
        return (a.predicate in _TELLING) == (b.predicate in _TELLING)
    if _same_word(ta.head, tb.head):
        return True
    if ta.governor is not None and ta.governor == tb.governor:
        return True             # "investigate the Jan. 6 attack" / "investigate the Jan. 7 insurrection"
    if (not ta.of_predicate and not tb.of_predicate and ta.head_kind == tb.head_kind == "noun"
            and ta.precision == tb.precision == "year"):
        return True             # "the 2005 treaty" / "the 2005 peace deal": a year names what it dates
    if (ta.of_predicate and tb.head == a.predicate) or (tb.of_predicate and ta.head == b.predicate):
        return True
    # A year against a year, one of them on a verb nested in the clause: whether "during the 2016
    # election" hangs on "accused" or on "hacking" is a toss of the parser, and a year spans
    # both acts as a rule; a day does not ("called Friday" / "after ... were indicted Monday"),
    # nor does a nested verb with a subject of its own ("as Tennant will not leave until 2009").
    nested = ta if tb.of_predicate else tb
    return ta.precision == tb.precision == "year" and (ta.of_predicate or tb.of_predicate) and \
        nested.head_kind == "verb" and not nested.own_subject


def _comparable(x: str, y: str) -> tuple[str, str]:
    """Both values cut to what both of them know: a year-less "--MM-DD" meets a date's month-day."""
    if x.startswith("--") or y.startswith("--"):
        x, y = ("--" + x[5:10] if len(x) == 10 else x), ("--" + y[5:10] if len(y) == 10 else y)
        if not (x.startswith("--") and y.startswith("--")):
            return x, x                # "--11-27" against a year or month: nothing to compare
        return x, y
    n = min(len(x), len(y))
    return x[:n], y[:n]


def _relate(x: str, y: str) -> str | None:
    """"agree" or "differ" at the precision both values have; None when they share none
    ("--11-27" against a bare year)."""
    if x.startswith("--") != y.startswith("--") and len(x if y.startswith("--") else y) < 10:
        return None
    cx, cy = _comparable(x, y)
    return "agree" if cx == cy else "differ"


def _years_apart(x: str, y: str) -> int:
    if x.startswith("--") or y.startswith("--"):
        return 0
    return abs(int(x[:4]) - int(y[:4]))


def _ymd(x: str) -> tuple[str | None, str | None, str | None]:
    """(year, month, day) of an ISO value or a year-less "--MM-DD", None for what it does not say."""
    if x.startswith("--"):
        return None, x[2:4], x[5:7]
    return x[:4], (x[5:7] or None), (x[8:10] or None)


def _parts(x: str, y: str) -> set[str]:
    """Which of year, month and day both values state: "--01-31" and "2008-01-31" share month
    and day, not the year; "2008" and "2008-01-27" share only the year."""
    return {name for name, u, v in zip(("year", "month", "day"), _ymd(x), _ymd(y)) if u and v}


def _first_differing(x: str, y: str) -> str | None:
    for name, u, v in zip(("year", "month", "day"), _ymd(x), _ymd(y)):
        if u and v and u != v:
            return name
    return None


# One act of a series: "in their latest attempt", "met again", "the last message he received". Two
# reports of a series may date two of its acts.
_SERIES = re.compile(r"\b(?:latest|again|once more|renewed)\b|\bthe\s+(?:last|final|previous|next|second|third)\s+"
                     r"(?!(?:week|month|year|day|night|weekend|quarter|decade)s?\b)[a-z]+", re.I)


def _dates(a: Claim, b: Claim) -> Difference | None:
    """A claim may carry a few dates ("convicted Nov. 12 ... just before Christmas 2002"): two
    claims conflict when some pair of their dates differs and no pair agrees on the part that
    differs. Agreement only on what the differing pair does not compare settles nothing: the
    quarter "which ends January 31" agrees with "Jan. 31, 2008" on the day, not on the year "2006"
    the same claim gives, and a bare "2008" agrees with "Jan. 27, 2008" on the year, not the day.
    The finest differing pair is the one reported."""
    da, db = _date_keys(a), _date_keys(b)
    if not da or not db or len(da) > _MAX_DATES or len(db) > _MAX_DATES:
        return None
    if _SERIES.search(a.text) or _SERIES.search(b.text):
        return None
    differ, agree = [], []
    for ta in da:
        for tb in db:
            rel = _relate(ta[1], tb[1])
            if rel == "agree":
                # any two dates that agree tie the claims to one time, whatever they date
                agree.append(_parts(ta[1], tb[1]))
            elif not _same_dated(ta[2], tb[2], a, b):
                continue         # the date of the summit against the date of the urging
            elif rel == "differ" and _years_apart(ta[1], tb[1]) > _MAX_YEARS:
                continue         # a quake in 2004 and one in 2012: two events of a kind, not one date disputed
            elif rel == "differ":
                differ.append((min(len(ta[1].lstrip("-")), len(tb[1].lstrip("-"))), ta, tb))
    differ = [d for d in differ if not any(_first_differing(d[1][1], d[2][1]) in parts for parts in agree)]
    if not differ:
        return None
    _, ta, tb = max(differ, key=lambda d: d[0])
    return Difference("date", False, ta[0], ta[1], tb[0], tb[1])


def counts_apart(a: Claim, b: Claim) -> bool:
    """The claims count one noun and no two of those counts overlap as written (with the rounding
    of their digits, not the slack of "nearly" and "approximately"): "nearly $10 million" and
    "approximately $30 million", which :func:`compare_claims` lets pass as one rough figure, are
    still two sums. The twin of :func:`_other_occasions`, which sets aside counts of two periods."""
    nouns: dict[str, list[bool]] = {}
    for qa in a.quantities:
        for qb in b.quantities:
            # attributes ("the 32-year-old Peterson", "his 23-year-old wife") describe who, not how many
            if qa.noun and qb.noun and _norm_noun(qa.noun) == _norm_noun(qb.noun) and not (
                    _ATTRIBUTE.search(qa.text) or _ATTRIBUTE.search(qb.text)):
                nouns.setdefault(_norm_noun(qa.noun), []).append(_meet(*_bounds(qa), *_bounds(qb)))
    return any(not any(met) for met in nouns.values())


def _singular(word: str, shortest: int = 0) -> str:
    """"mortars" -> "mortar" (not "glass"); words of ``shortest`` letters or fewer kept as they are."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > shortest else word


def _words(text: str) -> list[str]:
    """The lower-case words of ``text`` that are not stop words, in order."""
    return [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in _STOP]


def _norm_noun(noun: str | None) -> str | None:
    return _singular(noun.lower().split()[-1]) if noun else None


def _meet(lo1, hi1, lo2, hi2) -> bool:
    lo1 = float("-inf") if lo1 is None else lo1
    lo2 = float("-inf") if lo2 is None else lo2
    hi1 = float("inf") if hi1 is None else hi1
    hi2 = float("inf") if hi2 is None else hi2
    return lo1 <= hi2 and lo2 <= hi1


def _fmt(low, high) -> str:
    if low is not None and high is not None:
        return f"{low:g}" if low == high else f"{low:g}–{high:g}"
    return f"≥{low:g}" if low is not None else (f"≤{high:g}" if high is not None else "?")


_SCALE = re.compile(r"(\d+(?:\.(\d+))?)\s*(thousand|million|billion|trillion|bn|m|k)\b", re.I)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_BROKEN_AFTER = re.compile(r"^\s?[,.:]\s?\d|^-(?:million|billion|trillion)\b", re.I)
_BROKEN_BEFORE = re.compile(r"\d\s?[,.:]\s?$")
_ATTRIBUTE = re.compile(r"\d\s*-\s*[a-z]|\b[a-z]+\s*-\s*(?:year|month|week|day|hour|minute|inch|foot|mile|"
                        r"kilometre|kilometer|meter|metre|story|storey|member|point|page)s?\b", re.I)
_VAGUE = re.compile(r"\b(?:dozens|tens|scores|hundreds|thousands|millions|billions|several|few|couple|handful|"
                    r"many|numerous)\b", re.I)


def _bounds(q) -> tuple[float | None, float | None]:
    """The count's range, widened by the rounding its wording admits: "$43 million" is any
    amount from 42 to 44 million, "5.4 billion" from 5.3 to 5.5 billion."""
    lo, hi = q.low, q.high
    m = _SCALE.search(q.text)
    if m:
        unit = _SCALES[m[3].lower()] * 10.0 ** -len(m[2] or "")
        lo = None if lo is None else lo - unit
        hi = None if hi is None else hi + unit
    return lo, hi


def _vague(q) -> bool:
    """A count in words of magnitude only: "dozens", "thousands of", "several"."""
    return not re.search(r"\d", q.text) and bool(_VAGUE.search(q.text))


# "four other people", "another four", "two of the bombs": a part of some whole, not the whole.
_REMAINDER = re.compile(r"\w\s+(?:other|more)\b|\banother\b|\b\w+\s+of\s+(?:the|these|those|them|its|their)\b", re.I)
_ADDRESS = re.compile(r"^\s*block\b", re.I)


_TENS_BEFORE = re.compile(r"\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\s*-\s*$", re.I)
_RUNNING = re.compile(r".*\b(?:days?|weeks?|months?|years?|hours?)$", re.I)
_RUNNING_AFTER = re.compile(r"\s+(?:of|into)\b", re.I)


def _readable(q, text: str | None) -> bool:
    """Whether the count can be taken as read: not a number split by the text's tokenisation ("$1,
    199", "6. 1")."""
    if text is None:
        return True
    if _ADDRESS.match(q.noun or "") or _ADDRESS.match(text[q.end:q.end + 8]):
        return False            # "the 1500 block of Pennsylvania Avenue" is an address
    if _TENS_BEFORE.search(text[max(0, q.start - 12):q.start]):
        return False            # "seventy - five miles" tokenised apart: "five miles" is not the count
    if _RUNNING.match(q.text) and _RUNNING_AFTER.match(text[q.end:q.end + 8]):
        return False            # "12 days of the offensive", "13 days into the war": a length that grows as it is told
    return not (_BROKEN_AFTER.search(text[q.end:q.end + 12]) or _BROKEN_BEFORE.search(text[max(0, q.start - 4):q.start]))


def _following(q, text: str | None) -> set[str]:
    """The first content word after a count: what an attribute count ("27-year-old", "17-inch") describes."""
    if not text:
        return set()
    words = _words(text[q.end:q.end + 40])
    return set(words[:1])


_AGE = re.compile(r"^\d+\s*-?\s*(?:year|month|week)s?\s*-?\s*old\b", re.I)
#: Counts further apart than this factor are two measures (a part and the whole, a day's toll and
#: the war's, a price and a revenue), not one figure misreported. Not lower: real disputes run to
#: several times (crowd sizes by the police and by the organisers); 5 judged no better than 10.
_MAX_RATIO = 10.0
_MAX_COUNTS = 3                # a claim with more counts of one noun than this is a list


_OWNER_AGE = re.compile(r"\s*-?\s*olds?\s*['’]s?\b", re.I)


def _age_role(q, c: Claim, text: str | None) -> str | None:
    """For an age ("a 15-year-old"), the role phrase it sits in: one person's age in the subject
    (or object) of two linked claims is that person's age."""
    if not text or not _AGE.match(text[q.start:q.end + 12]):
        return None
    if _OWNER_AGE.match(text[q.end:q.end + 14]):
        return None             # "the father of the 15-year-old's child": the owner's age, not the father's
    for role in ("subject", "object"):
        if q.text in (getattr(c, role) or ""):
            return role
    return None


def _around(q, text: str | None) -> set[str]:
    """Content words just before and after a count ("about 14 miles northeast of Healdsburg" vs
    "a depth of 12 miles"): what tells two counts of one noun apart."""
    if not text:
        return set()
    noun = _norm_noun(q.noun)
    before, after = _words(text[max(0, q.start - 50):q.start]), _words(text[q.end:q.end + 50])
    return {w for w in before[-3:] + after[:3] if len(w) > 2 and _norm_noun(w) != noun}


# ", four from friendly fire", ", over 170,000 of them in Aceh": a bare number set off after a count
# of a noun counts part of the same things. Not ", of which four exploded": a relative clause
# counts what its own verb says (exploded, of the bombs dropped).
_SET_OFF = re.compile(r"^[^.;:]{0,40},\s*(?!(?:of\s+|among\s+)?(?:which|whom|who)\b)(?:\w+\s+){0,2}$", re.I)
_BARE_NUMBER = re.compile(r"^(?:about|some|over|more than|at least|nearly|almost|around)?\s*[\d,.]+$|^[a-z]+$", re.I)


def _counts(c: Claim, text: str | None) -> tuple[list, set[int]]:
    """The claim's counts, each bare number set off after a count of a noun ("five soldiers died,
    four from friendly fire") taken as a share of the same things; and the ids of those shares.
    A share takes part in pairing counts: it may agree with the other claim's count (the claims
    then agree on that noun), and it makes the pairing ambiguous when the other count could answer
    the whole or the share; it never disputes a count itself, its noun being inferred."""
    out, shares = list(c.quantities), set()
    if text is None:
        return out, shares
    for q in c.quantities:
        if q.noun or not _BARE_NUMBER.match(q.text.strip()):
            continue
        before = [p for p in c.quantities if p.noun and p.end <= q.start and _SET_OFF.match(text[p.end:q.start])]
        if before:
            share = replace(q, noun=before[-1].noun)
            out.append(share)
            shares.add(id(share))
    return out, shares


def _count_pairs(qas: list, qbs: list, ta: str | None, tb: str | None) -> list[tuple[Any, Any]]:
    """Which count of a noun in one claim answers which in the other: the only one of each when
    both give one; else pairs whose surrounding words match each other's and no other's ("$281m
    in cash and $53m in stock" against "$334 million" finds none: which of them matches is unknown)."""
    if len(qas) == 1 and len(qbs) == 1:
        return [(qas[0], qbs[0])]
    # A whole against a whole and its parts ("for $334 million, including $281 million in cash"):
    # the parts answer nothing the single whole says, when the two wholes stand in one role of
    # their claims' own verbs, or of one verb however deep ("signed an agreement to acquire
    # SeaMicro for $334 million"), not "for $334 million" against a revenue "of around $50 million".
    wa, wb = [q for q in qas if not _part(q, ta)], [q for q in qbs if not _part(q, tb)]
    if (len(qas) == 1 or len(qbs) == 1) and len(wa) == 1 and len(wb) == 1 and \
            _measure_role(wa[0]) == _measure_role(wb[0]) and \
            ((wa[0].of_predicate and wb[0].of_predicate) or (wa[0].head and wa[0].head == wb[0].head)):
        return [(wa[0], wb[0])]
    if len(qas) > _MAX_COUNTS or len(qbs) > _MAX_COUNTS:
        return []
    if any(_meet(*_bounds(x), *_bounds(y)) for x in qas for y in qbs):
        return []               # one of the counts agrees: the rest count other things ("13-inch" and "15-inch")
    # "Romney leads with 21 percent, followed by Trump at 17 percent": the count after the
    # comparison is a rival's; the subject's is the other one
    oa, ob = [q for q in qas if not _rival(q, qas, ta)], [q for q in qbs if not _rival(q, qbs, tb)]
    if len(oa) == 1 and len(ob) == 1 and (len(oa) < len(qas) or len(ob) < len(qbs)):
        return [(oa[0], ob[0])]
    # What a count is of follows it ("50 percent on steel and 10 percent on aluminum"), so the words
    # up to the next count decide first; the words on both sides where those tie nothing.
    return _unique_matches(qas, qbs, [_after(q, qas, ta) for q in qas], [_after(q, qbs, tb) for q in qbs]) or \
        _unique_matches(qas, qbs, [_around(q, ta) for q in qas], [_around(q, tb) for q in qbs])


_RIVAL = re.compile(r"\b(?:followed\s+by|trailed\s+by|trailing|ahead\s+of|behind|compared\s+(?:with|to)|"
                    r"than\s+(?:the|a|an|its|his|her|their|last)|versus|vs\.?)\b", re.I)


def _rival(q, counts: list, text: str | None) -> bool:
    """A count set after a comparison with the one before it ("21 percent, followed by Trump at 17
    percent"): it belongs to the rival named there, not to what the claim is about."""
    if not text:
        return False
    before = [p.end for p in counts if p.end <= q.start]
    return bool(before) and _RIVAL.search(text[max(before):q.start]) is not None


def _unique_matches(qas: list, qbs: list, wa: list[set[str]], wb: list[set[str]]) -> list[tuple[Any, Any]]:
    """Pairs of counts whose words (``wa``, ``wb``) meet each other's and no other's."""
    out = []
    for i, qa in enumerate(qas):
        hits = [j for j in range(len(qbs)) if wa[i] & wb[j]]
        if len(hits) == 1 and [k for k in range(len(qas)) if wa[k] & wb[hits[0]]] == [i]:
            out.append((qa, qbs[hits[0]]))
    return out


_CLAUSE_BREAK = re.compile(r"[,;:.()\n]")


def _after(q, counts: list, text: str | None) -> set[str]:
    """Content words after a count, up to the next of ``counts`` or a clause break (at most three)."""
    if not text:
        return set()
    stop = min((p.start for p in counts if p.start >= q.end), default=q.end + 50)
    span = text[q.end:min(stop, q.end + 50)]
    cut = _CLAUSE_BREAK.search(span)
    noun = _norm_noun(q.noun)
    return {w for w in _words(span[:cut.start()] if cut else span)[:3] if len(w) > 2 and _norm_noun(w) != noun}


_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute"}
# "$281 million in cash" ("... will be paid in cash") is a part; "$334 million in cash and stock"
# the whole again.
_COMPONENT_AFTER = re.compile(r"\s+(?:(?:will\s+be|is|are|was|were|to\s+be)\s+)?(?:paid\s+|payable\s+)?"
                              r"in\s+(cash|stock|shares|equity|debt|loans|grants|bonds|bonuses)\b"
                              r"(?!\s+(?:and|or|&)\s+(?:cash|stock|shares|equity|debt)\b)", re.I)


def _one_measure(qa, qb) -> bool:
    """An attribute count and a plain one of the same unit ("a 7.3-magnitude tremor", "a 7.3
    magnitude"): one measure written two ways. Not for time units: "a 27-year-old" is an age,
    "27 years" a duration."""
    na, nb = _norm_noun(qa.noun), _norm_noun(qb.noun)
    return bool(na) and na == nb and na not in _TIME_UNITS and \
        bool(_ATTRIBUTE.search(qa.text)) != bool(_ATTRIBUTE.search(qb.text))


_BEARING_AFTER = re.compile(r"\s+(?:due\s+)?((?:north|south|east|west)(?:east|west)?"
                            r"(?:\s*-\s*(?:north|south|east|west)(?:east|west)?)?)\b", re.I)
_POINTS = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
           "southwest": 225.0, "west": 270.0, "northwest": 315.0}
#: Bearings further apart than this are two fixes; "north-northeast" and "northeast" (22.5) are one.
_MAX_BEARING_GAP = 30.0


def _bearing(q, text: str | None) -> float | None:
    """The compass bearing in degrees a distance is measured in ("14 miles north-northeast of": 22.5)."""
    m = _BEARING_AFTER.match(text[q.end:q.end + 40]) if text else None
    if not m:
        return None
    angles = [math.radians(_POINTS[w]) for w in re.findall(r"[a-z]+", m[1].lower()) if w in _POINTS]
    if not angles:
        return None
    return math.degrees(math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))) % 360.0


def _two_bearings(qa, qb, ta: str | None, tb: str | None) -> bool:
    ba, bb = _bearing(qa, ta), _bearing(qb, tb)
    return ba is not None and bb is not None and min(abs(ba - bb), 360.0 - abs(ba - bb)) > _MAX_BEARING_GAP


def _part(q, text: str | None) -> bool:
    """A count read as a part of another: "including three civilians", "$281 million in cash"."""
    return q.role == "part" or _component(q, text) is not None


def _component(q, text: str | None) -> str | None:
    """What part of a sum a count is ("$281 million in cash"), or None for the whole."""
    m = _COMPONENT_AFTER.match(text[q.end:q.end + 30]) if text else None
    return m[1].lower() if m else None


def _far_apart(la, ha, lb, hb) -> bool:
    """Ranges whose nearest ends are more than :data:`_MAX_RATIO` apart."""
    for lo, hi in ((la, hb), (lb, ha)):
        if lo is not None and hi is not None and hi > 0 and lo > hi and lo / hi > _MAX_RATIO:
            return True
    return False


_CORE_ROLES = {"subject", "object"}


def _known_role(role: str | None) -> bool:
    return role in ("subject", "object", "part") or (role or "").startswith("prep:")


def _alike(qa, qb, a: Claim, b: Claim) -> bool:
    """Whether two counts of one noun stand alike in their claims: a running total ("has so far
    lost seven soldiers") and one incident's count are two figures, and so are a part ("three of
    the four soldiers", "including three civilians") and a whole, or counts hung on different words
    (the counts of a nested event). Counts on the claims' own verbs compare in the same role when
    the verb is the same ("lost seven soldiers" is not "five soldiers lost their lives"), and as
    subject or object alike across two verbs ("were killed", "died"), not a core role against a
    complement ("values the deal at $13.9 billion", "had $39 billion in revenue"). Older claims
    without roles compare as before."""
    if qa.cumulative != qb.cumulative:
        return False
    if not (_known_role(qa.role) and _known_role(qb.role)) or _ATTRIBUTE.search(qa.text) or \
            _ATTRIBUTE.search(qb.text):
        # a role the parse left odd ("root", "ccomp") tells nothing; an attribute count ("a
        # 55-year-old actor") has rules of its own
        return True
    if "part" in (qa.role, qb.role):
        return qa.role == qb.role and qa.head == qb.head
    ra, rb = _measure_role(qa), _measure_role(qb)
    if qa.of_predicate and qb.of_predicate:
        if a.predicate == b.predicate or ra == rb:
            return ra == rb
        return ra in _CORE_ROLES and rb in _CORE_ROLES
    # hung on a noun or a nested verb: the parse varies too much between two wordings of one
    # fact ("paying $5.4 billion", "a $5.4 billion deal") to tell two facts apart
    return True


# Verbs of a sale, whose "for" sum is the price: "acquire SeaMicro for $334 million" says what
# "pay $334 million for SeaMicro" says.
_SALE_VERBS = {"acquire", "buy", "purchase", "sell", "lease", "rent", "auction", "trade"}


def _measure_role(q) -> str | None:
    """A count's role, a length "for seven hours" standing as "seven hours" does (its object), a
    price "bought for $5 million" as the sum of "paid $5 million", and a score "leads at 21
    percent" or "with 21 percent" as "has 21 percent"."""
    noun = _norm_noun(q.noun)
    if q.role == "prep:for" and noun and (noun in _TIME_UNITS or (
            q.noun.lower().split()[-1] in CURRENCY_NOUNS and q.head in _SALE_VERBS)):
        return "object"
    if q.role in ("prep:at", "prep:with") and noun == "percent":
        return "object"
    return q.role


_ANOTHER_BEFORE = re.compile(r"\b(?:another|other)\s+$", re.I)


def _remainder(q, text: str | None) -> bool:
    """A count of a remainder: "four other people", "two of the bombs", "another four people"."""
    if _REMAINDER.search(q.text):
        return True
    return bool(text) and _ANOTHER_BEFORE.search(text[max(0, q.start - 9):q.start]) is not None


# "half of the 300 homes"; "a fraction of Trump's originally proposed figure of $5.7 billion"
_WHOLE_OF_BEFORE = re.compile(r"\b(?:none|fraction|part|portion|share|half|most|some|much)\s+of\s+"
                              r"(?:(?:the\s+|its\s+|their\s+|that\s+)?"
                              r"|[^.;,]{0,50}?\b(?:figure|amount|sum|total|request|demand)\s+of\s+)$", re.I)


def _whole_of(q, text: str | None) -> bool:
    """A count named as the whole that the claim takes a part of, or none of: "included none of
    the $5.7 billion", "half of the 300 homes"; what the claim gives is the part, not this count."""
    return bool(text) and _WHOLE_OF_BEFORE.search(text[max(0, q.start - 80):q.start]) is not None


_ENUMERATION_AFTER = re.compile(r"\b(?:another|the other|a second)\b", re.I)


def _enumerated(q, c: Claim, text: str | None) -> bool:
    """"One bomb hit a schoolhouse ..., another bomb hit the marketplace": the first item of an
    enumeration in the claim, not a count of one."""
    return bool(text) and q.low == 1 and q.high == 1 and \
        _ENUMERATION_AFTER.search(text[q.end:max(q.end, c.end)]) is not None


# "over the eight year span", "during the past decade", "in the first quarter": a total over a period.
_SPAN = re.compile(r"\b(?:over|during|across|throughout|within|in)\s+(?:the\s+|a\s+|that\s+|its\s+)?"
                   r"(?:past\s+|last\s+|previous\s+|next\s+|first\s+|same\s+)?(?:[\w-]+[\s-])?"
                   r"(?:years?|months?|weeks?|decades?|quarters?|span|period|term)\b", re.I)


def _occasion(c: Claim) -> tuple[list, str | None]:
    """When the claim's counts were counted: its dates and any period it names."""
    span = _SPAN.search(c.text)
    return [d[1] for d in _date_keys(c)], (span[0].lower() if span else None)


def _other_occasions(a: Claim, b: Claim) -> bool:
    """Both claims say when, and not the same when: no date of one agrees with a date of the
    other; two periods (two dates or more on each side) whose dates do not all agree ("between
    2011 and 2014" / "in 2014 and the first four months of 2015"; "from 2007 to 2014" against
    "since 2007" is one date that agrees); or a named period against dates or another period
    ("over the eight year span" / "between 2011 and 2014"). Their counts are two periods' or two
    days' figures; a dispute of the date itself is the date comparison's."""
    (da, sa), (db, sb) = _occasion(a), _occasion(b)
    if (sa or sb) and (da or sa) and (db or sb):
        return sa != sb
    if not da or not db:
        return False
    a_in_b = [any(_relate(x, y) == "agree" for y in db) for x in da]
    b_in_a = [any(_relate(x, y) == "agree" for x in da) for y in db]
    if len(da) > 1 and len(db) > 1:
        return not (all(a_in_b) and all(b_in_a))
    return not any(a_in_b)


def _sessions(c: Claim) -> set[str]:
    return {d[1] for d in _date_keys(c) if d[2].precision == "day"} | \
        {t.text.lower() for t in c.time if t.status != "resolved"}     # "Tuesday" with no date to resolve it by


def _same_session(a: Claim, b: Claim) -> bool:
    """Both claims name one day: a market figure of one session can be compared with another's."""
    return bool(_sessions(a) & _sessions(b))


def _scoped_apart(qa, qb, a: Claim, b: Claim, ta: str | None, tb: str | None, ctx: "Context") -> bool:
    """Two counts of one noun scoped to different sets (see :mod:`.scope`): two days' market
    moves, a subset the article named before against a whole, a town against its district, two
    periods or two days."""
    if market_session(a) and market_session(b) and not _same_session(a, b):
        return True
    if subset_scope(qa, a, ta) != subset_scope(qb, b, tb):
        return True
    if other_places(place_level(qa, a, ta, ctx.place_kind), place_level(qb, b, tb, ctx.place_kind)):
        return True
    return _other_occasions(a, b)


def _numbers(a: Claim, b: Claim, later: int, ctx: "Context | None" = None) -> Difference | None:
    """Counts of one noun conflict when they do not meet. A claim giving two counts of that noun
    ("$281m in cash and $53m in stock") is compared on it only where the words around a count tie
    it to one count of the other (:func:`_count_pairs`); counts more than :data:`_MAX_RATIO` apart
    measure two things.

    An attribute count ("a 27-year-old", "the 17-inch model") is compared only where both describe
    the same words after it, or both are ages in the same role (the subject's age), since a story
    has people of many ages and things of many sizes; a count in words of magnitude ("thousands")
    only disagrees at twice its range or more.
    """
    ta = ctx.texts.get(a.article_id) if ctx else None
    tb = ctx.texts.get(b.article_id) if ctx else None
    counts_a, shares_a = _counts(a, ta)
    counts_b, shares_b = _counts(b, tb)
    pairs = []
    for noun in dict.fromkeys(_norm_noun(q.noun) for q in counts_a):
        if noun is None:
            continue
        qas = [q for q in counts_a if _norm_noun(q.noun) == noun]
        qbs = [q for q in counts_b if _norm_noun(q.noun) == noun]
        if qbs:
            pairs += _count_pairs(qas, qbs, ta, tb)
    for qa, qb in pairs:
        if id(qa) in shares_a or id(qb) in shares_b:
            continue            # a share, its noun inferred, may agree with a count, not dispute it
        if not _readable(qa, ta) or not _readable(qb, tb):
            continue
        if not _alike(qa, qb, a, b):
            continue
        if _remainder(qa, ta) != _remainder(qb, tb):
            continue            # "four other people" counts a remainder, not the whole "12 people"
        if _enumerated(qa, a, ta) or _enumerated(qb, b, tb) or _whole_of(qa, ta) or _whole_of(qb, tb):
            continue
        if (_ATTRIBUTE.search(qa.text) or _ATTRIBUTE.search(qb.text)) and not (
                _following(qa, ta) & _following(qb, tb)) and not (
                (role := _age_role(qa, a, ta)) and role == _age_role(qb, b, tb)) and not _one_measure(qa, qb):
            continue
        if _component(qa, ta) != _component(qb, tb):
            continue            # "$281 million in cash" is a part of the "$334 million" price
        if _two_bearings(qa, qb, ta, tb):
            continue            # "3 miles southwest of Cobb", "four miles west of Cobb": two points or two fixes
        if _scoped_apart(qa, qb, a, b, ta, tb, ctx or Context({}, {})):
            continue
        (la, ha), (lb, hb) = _bounds(qa), _bounds(qb)
        if _vague(qa) or _vague(qb):
            la, lb = (None if x is None else x / 2 for x in (la, lb))
            ha, hb = (None if x is None else x * 2 for x in (ha, hb))
        if _meet(la, ha, lb, hb) or _far_apart(la, ha, lb, hb):
            continue
        rising = (qb.low or 0) > (qa.high if qa.high is not None else float("inf"))
        evolving = (later > 0 and rising) or (later < 0 and not rising)
        return Difference("number", evolving, qa.text, _fmt(qa.low, qa.high), qb.text, _fmt(qb.low, qb.high),
                          note="the later report gives the higher count" if evolving else "")
    return None


def _relation(text: str | None, start: int) -> str:
    """How the place stands in its sentence: "near" (an approach, a distance or bearing from it),
    "in" (a locative preposition) or "other" (a name, an owner, a modifier: "Washington said",
    "Pyongyang's programme", "a Baytown teen"), which says nothing about where."""
    before = (text or "")[max(0, start - 40):start] if text else ""
    if _NEAR.search(before):
        return "near"
    return "in" if _IN.search(before) else "other"


def _located(c: Claim, ctx: "Context") -> list[tuple[Any, str]]:
    """The claim's cities with their relation, "in" or "near" (countries and regions contain
    cities, so they never contradict one)."""
    return [(p, r) for p in c.places if ctx.place_kind(c.article_id, p.start) == "city"
            and (r := _relation(ctx.texts.get(c.article_id), p.start)) != "other"]


def _where(c: Claim, ctx: "Context") -> list[tuple[Any, str]]:
    """The city the claim puts its fact in: the first "in" city ("of Aventura, just north of
    Miami" is in Aventura; "ran into the streets in Banda Aceh ..., and in Medan" puts the fact
    first where the verb does, and a city the other claim names is no dispute, see
    :func:`_places`), else the cities it is near. One city named twice is one place."""
    located, seen = [], set()
    for p, rel in _located(c, ctx):
        if (p.name, rel) not in seen:
            seen.add((p.name, rel))
            located.append((p, rel))
    inside = [x for x in located if x[1] == "in"]
    return inside[:1] if inside else located


#: Cities closer than this are one area named at two scales ("in Jabaliya camp", "in Gaza City").
_NEIGHBOURS_KM = 15.0


def _km(x, y) -> float:
    """Great-circle distance between two places, in kilometres."""
    la1, lo1, la2, lo2 = map(math.radians, (x.lat, x.lon, y.lat, y.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _two_countries(x, cx: str | None, y, cy: str | None) -> bool:
    """Whether two cities lie in two countries for sure: resolved so, and neither name also a city
    of the other's country (each article resolves homonyms by its own context: "Geneva" is
    Geneva, New York in an article that names the U.S.)."""
    if not cx or not cy or cx == cy:
        return False
    from ..nlp.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    for place, other in ((x, cy), (y, cx)):
        hit = gaz.lookup(place.text, context=[other], fuzzy=False, kinds=["city"])
        if hit is not None and hit.country == other:
            return False
    return True


# "the Bishop of Bountiful", "the University of Chicago": a place inside a title or an institution's name
_TITLE_OF = re.compile(r"[A-Z][\w.'’-]*\s+of\s+(?:the\s+)?$")


def _names_place(text: str, *names: str) -> bool:
    """Whether ``text`` names one of ``names`` other than inside a title ("Bishop of Bountiful")."""
    for name in {n for n in names if n}:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.I):
            if not _TITLE_OF.search(text[max(0, m.start() - 40):m.start()]):
                return True
    return False


def _places(a: Claim, b: Claim, ctx: "Context") -> Difference | None:
    pa, pb = _where(a, ctx), _where(b, ctx)
    if len(pa) != 1 or len(pb) != 1:
        return None
    (x, ra), (y, rb) = pa[0], pb[0]
    if x.name == y.name:
        if ra != rb:
            return Difference("place", True, f"{ra} {x.text}", f"{ra} {x.name}", f"{rb} {y.text}", f"{rb} {y.name}",
                              note="'near' then 'in' the same place reads as an advance, not a contradiction")
        return None
    # Two places both given as "near" or "N miles east of" are bearings from different
    # landmarks, not two claims about where; a city the other claim names too is no dispute.
    if ra == rb == "near":
        return None
    if _names_place(b.text, x.name, x.text) or _names_place(a.text, y.name, y.text):
        return None
    if _km(x, y) < _NEIGHBOURS_KM:
        return None             # a camp, suburb or district and the city beside it: one place at two scales
    if _two_countries(x, ctx.place_country(a.article_id, x.start), y, ctx.place_country(b.article_id, y.start)):
        return None             # "in Qana" (Lebanon) and "in Gaza": two events in two countries, not one misplaced
    return Difference("place", False, x.text, x.name, y.text, y.name)


# Function words: what a phrase shares with another through them says nothing about the fact.
_STOP = frozenset("""a an the this that these those its it's his her hers their theirs our ours your my mine
they them he him she we us you i me who whom whose which what where when why how all any both each few more
most other some such no nor not only own same so than too very can will just should now and but or if because
as until while of at by for with about against between into through during before after above below to from up
down in out on off over under again further then once here there also been being have has had having do does
did doing is are was were be would could may might must shall its any many much one new old last first""".split())


def _content(text: str | None) -> set[str]:
    return {w for w in _words(text or "") if len(w) > 2}


def _share(x: set[str], y: set[str]) -> float:
    return len(x & y) / max(1, min(len(x), len(y)))


def _heads(phrase: str, mention: str) -> bool:
    """Whether a name mentioned in a noun phrase is what the phrase names ("President Trump", "Trump
    and Pelosi", "his son-in-law, Jared Kushner"), not a word modifying it ("an increase in COVID-19
    cases", "AMD's technology", "a Medicare benefit")."""
    phrase, mention = phrase.strip(" .,;:"), mention.strip(" .,;:")   # "Trump Jr." at a phrase's end
    return bool(mention) and re.search(r"(?:^|[\s,])" + re.escape(mention) + r"(?=\s*,|\s+and\b|\s+or\b|$)",
                                       phrase) is not None


def _subject_actors(c: Claim) -> list:
    """The named actors the claim's subject is (see :func:`_heads`); all subject actors when the
    claim kept no subject text."""
    mine = [x for x in c.actors if x.role == "subject"]
    return [x for x in mine if _heads(c.subject, x.text)] if c.subject else mine


_PROPER = re.compile(r"^(?:[A-Z][\w.'’-]*\s*)+$")


def _named_subject(c: Claim) -> bool:
    """The subject is a name: an actor the reader found, or capitalised words the reader missed
    ("Obama" in "Obama is not nominating ..."), not a description ("The president", or "Hackers"
    capitalised only as the sentence's first word: a common noun)."""
    if _subject_actors(c):
        return True
    subject = (c.subject or "").strip()
    if not _PROPER.match(subject) or _DETERMINER.match(subject) or subject.lower() in PRONOUNS:
        return False
    nouns = get_nouns()
    return not all(nouns.lemma(w) for w in re.findall(r"[a-z]+", subject.lower()))


def _other_party(a: Claim, b: Claim, named: Callable[[Claim], list] = _subject_actors) -> bool:
    """Both subjects (or, with ``named=_object_actors``, both objects) are named actors, and not
    the same one under two names."""
    xa, xb = named(a), named(b)
    if not xa or not xb:
        return False
    if a.article_id == b.article_id and {x.actor_id for x in xa if x.actor_id} & {x.actor_id for x in xb
                                                                                 if x.actor_id}:
        return False
    return not any(_same_party(f, g) for x in xa for y in xb for f in (x.name, x.text) for g in (y.name, y.text))


_COMPLEMENT = re.compile(r"\b(?:of|in|on|at|for|from|to|with|by|about|against|over|near)\b", re.I)


def _object_actors(c: Claim) -> list:
    """The people and organisations the claim's object is ("endorsed Mitt Romney", "fired
    Commissioner Andrew Saul"), not an owner, a modifier or a complement ("the commissioner of
    Social Security", "the attacks on the consulate in Benghazi")."""
    head = _object_head(c.object)
    return [m for m in c.actors if m.role == "object" and m.label in ("PERSON", "ORG") and not _owned(c, m)
            and _heads(head, m.text) and not _COMPLEMENT.search(head[:max(0, head.find(m.text))])]


def _stem(words: set[str]) -> set[str]:
    """Plural and singular as one word ("mortars", "mortar shells")."""
    return {_singular(w, 3) for w in words}


# "amid the pomp", "in a more casual setting": a complement of place, time or circumstance says
# where or when, not what the verb acts on, so two of them do not tell two objects apart
# ("responded to an email" and "to the controversy" do differ in what).
_CIRCUMSTANCE = re.compile(r"^(?:in|at|amid|amidst|during|near|around|inside|outside|throughout|within)\b", re.I)
# ... unless the word opens a count: "at least 12 people", "around 100 people" are what was acted on
_ROUGH_COUNT = re.compile(r"^(?:at\s+(?:least|most)|near|around)\s+(?:[$€£]?\d+|one|two|three|four|five|six|seven|"
                          r"eight|nine|ten|a\s+dozen|dozens|hundreds|thousands)\b", re.I)


# An owner opening the object ("Trump's son", "the company's new chief"), not one inside a complement.
_POSSESSOR = re.compile(r"^(?:\S+\s+){0,2}?[\w.-]+(?:'s|’s|s'|s’)\s+", re.I)
# A complement of source, purpose or time after the object's words ("$716 billion from Medicare");
# not "to", "in" or "on", which as often belong to the object ("up to 16GB", "troops in Sudan").
_OBJECT_TAIL = re.compile(r"\s+(?:from|into|for|against|after|before|during)\s.*$", re.I)


def _object_head(text: str | None) -> str:
    """An object's own words: without an owner before it ("Trump's son") or a complement after
    its first words ("$716 billion from Medicare")."""
    if not text:
        return ""
    head = _OBJECT_TAIL.sub("", text.strip())
    return _POSSESSOR.sub("", head) or head


def _owned(c: Claim, m) -> bool:
    """Whether an actor mention is a person as an owner ("Trump's son"), not the thing itself (a
    country's region is still in the country)."""
    after = c.text[m.end - c.start:m.end - c.start + 3]
    return m.label == "PERSON" and re.match(r"(?:'s|’s|'|’)(?:\s|$)", after) is not None


def _role_agrees(a: Claim, b: Claim, role: str) -> bool | None:
    """Whether the two claims' subjects (or objects) are the same, by a word in common or by an
    actor one names there and the other names anywhere ("two Bountiful residents, Winston
    Blackmore ..." and "Winston Blackmore ... were arrested"); None when either does not say."""
    if role == "object":
        if any(_CIRCUMSTANCE.match(c.object or "") and not _ROUGH_COUNT.match(c.object or "") for c in (a, b)):
            return None
        # what is named is the head, not its owner or a complement: "Trump's son" is not "Trump",
        # "$716 billion from Medicare" not "a Medicare benefit"
        ca, cb = _content(_object_head(a.object)), _content(_object_head(b.object))
    else:
        ca, cb = _content(a.subject), _content(b.subject)
    if not ca or not cb:
        return None
    if _generation(getattr(a, role) or "") != _generation(getattr(b, role) or "") \
            and not _resolved_names(a, role) & _resolved_names(b, role):
        # "Donald Trump Jr." is not "Trump", unless the article resolved its "Mr. Trump" to him
        return False
    if _stem(ca) & _stem(cb):
        return True
    if any(min(len(u), len(v)) >= 4 and (u.endswith(v) or v.endswith(u)) for u in _stem(ca) for v in _stem(cb)):
        return True              # a compound and its head: "the lawsuit" and "the suit"
    for x, y in ((a, b), (b, a)):
        # an object's name counts where it is the object ("cut Medicare"), not a word modifying it
        # ("a Medicare benefit") or its owner ("Trump's son")
        mine = [m for m in x.actors if m.role == role and not (role == "object" and (
            _owned(x, m) or (m.text in (x.object or "") and not _heads(_object_head(x.object), m.text))))]
        for m in mine:
            for n in (n for n in y.actors if not (role == "object" and _owned(y, n))):
                if (m.actor_id and x.article_id == y.article_id and m.actor_id == n.actor_id) \
                        or _same_party(m.name, n.name):
                    return True
    if role == "object" and (_listed(a.object, b) or _listed(b.object, a)):
        return True
    ha, hb = _head_noun(a, getattr(a, role)), _head_noun(b, getattr(b, role))
    return bool(ha and hb) and get_nouns().kin(ha, hb)   # "the tremor", "the quakes"


# Where a noun phrase's head ends: a preposition, a relative or a participle after it, a comma.
_HEAD_END = re.compile(r"\s+(?:of|who|whom|which|that|in|on|at|for|from|with|by|to|as|about|against|"
                       r"suspected|accused|including|led|based|known|said|claiming)\b|[,;:(—–]", re.I)
_LEADING_PREPOSITION = re.compile(r"^(?:on|in|at|to|for|against|about|with|from|into|over)\s+", re.I)


def _head_noun(c: Claim, phrase: str | None) -> str | None:
    """The common noun heading a description ("One 7.3-magnitude tremor" → tremor, "the
    would-be group of contenders" → group, "against the newspaper's story" → story); None when
    the phrase is headed by a name or a pronoun."""
    text = _POSSESSOR.sub("", _LEADING_PREPOSITION.sub("", (phrase or "").strip()))
    words = re.findall(r"[A-Za-z][A-Za-z-]*", _HEAD_END.split(text, 1)[0])
    if not words or words[-1].lower() in PRONOUNS or words[-1].lower() in _STOP:
        return None
    head = words[-1]
    if any(head in m.text.split() for m in c.actors):
        return None             # a name ("the ransomware group REvil"), which names tell apart
    return head.lower()


_DETERMINERS = r"(?:a|an|the|its|their|his|her|our|some|any|several|many|more|new)"
_DETERMINER = re.compile(r"^" + _DETERMINERS + r"\s+", re.I)


def _listed(obj: str | None, other: Claim) -> bool:
    """An object of two content words or more written out as an item of a list in the other claim,
    which gives only the list's first item as its object ("does not feature a 3.2 megapixel
    camera" against "will feature built-in GPS, WiFi and a 3.2 megapixel camera"); not the same
    words elsewhere ("use negotiations ..., never intending to abandon his nuclear weapons")."""
    head = _DETERMINER.sub("", _object_head(obj).strip())
    if not other.object or len(_content(head)) < 2:
        return False
    item = r"(?:,|\band\b|\bor\b)\s+(?:" + _DETERMINERS + r"\s+)?"
    return re.search(item + re.escape(head.lower()) + r"(?!\w)", other.text.lower()) is not None


def _same_named(a: Claim, b: Claim) -> bool:
    """Both claims name one actor (in any role)."""
    return any(_same_party(x.name, y.name) for x in a.actors for y in b.actors)


# A modal of possibility (lower case: "May" is a month): what it governs may or may not happen.
_POSSIBLE = r"\b(?:could|might|may)\s+(?:\w+\s+){0,2}?"


_CANNOT = re.compile(r"\b(?:cannot|can't|can not|can’t)\b", re.I)
_CAN = re.compile(r"\bcan\b", re.I)
_CONDITION = re.compile(r"\b(?:if|unless|without|provided|as long as|only when)\b", re.I)


def _possible(c: Claim) -> bool:
    """Whether the claim's own verb is under a modal of possibility ("could issue", "might not be
    issued"), not some other verb of the claim ("ruled that they may not stay")."""
    stem = (c.predicate or "")[:max(3, len(c.predicate or "") - 1)]
    return bool(stem) and re.search(_POSSIBLE + re.escape(stem), c.text) is not None


_TO_VERB = re.compile(r"\bto\s+(?:better\s+|not\s+)?([a-z]+)\b", re.I)
# Verbs whose fact is the act of the infinitive they take: "allowed to use" and "allowed to
# address" grant two things.
_CONTROL = frozenset("""allow permit enable want plan try hope agree decide expect refuse seek intend need promise
threaten aim vow pledge attempt fail manage choose prefer wish""".split())


def _two_infinitives(a: Claim, b: Claim) -> bool:
    """The shared verb takes an infinitive ("is not allowed to use", "allows AMD to address") and
    the two claims' infinitives differ: the verb negated governs two different acts."""
    if a.predicate not in _CONTROL:
        return False
    va = {w.lower() for w in _TO_VERB.findall(a.text)} - _STOP
    vb = {w.lower() for w in _TO_VERB.findall(b.text)} - _STOP
    return bool(va and vb) and not va & vb


# "did not respond to a message seeking comment", "did not immediately return a request for comment":
# what one outlet's request met, not a fact another outlet's report of an answer denies.
_NO_COMMENT = re.compile(r"\b(?:not|n't|never)\s+(?:\w+\s+){0,2}?(?:respond|reply|return|answer)\w*\s+"
                         r"(?:to\s+)?(?:\w+\s+){0,3}?(?:requests?|messages?|e-?mails?|calls?|inquir\w+|queries)\b",
                         re.I)


# "did occasionally respond", "often visits": a habit, which one occasion without the act does
# not deny ("Mr. Trump did not respond" to one message); "never" denies the habit itself.
_HABIT = re.compile(r"\b(?:occasionally|sometimes|at times|often|frequently|repeatedly|regularly|"
                    r"usually|routinely|rarely|seldom)\b", re.I)
_NEVER = re.compile(r"\bnever\b", re.I)


def _negation(a: Claim, b: Claim) -> Difference | None:
    """The same statement asserted by one and denied by the other: one verb, not two named
    subjects, and the same object where both give one (a light verb, "is" or "has", needs the
    same subject and object words)."""
    if not a.predicate or a.predicate != b.predicate or a.negated == b.negated:
        return None
    if a.predicate in REPORT_LEMMAS:
        return None             # "did not say" is about the speaker, not the fact
    if _NO_COMMENT.search((a if a.negated else b).text):
        return None
    if _HABIT.search((b if a.negated else a).text) and not _NEVER.search((a if a.negated else b).text):
        return None
    if _CANNOT.search((a if a.negated else b).text) and not _CAN.search((b if a.negated else a).text):
        # "you cannot end it with an executive order" denies a means or a right, not that "it
        # will be ended one way or the other"
        return None
    if _possible(b if a.negated else a) and (not _possible(a if a.negated else b)
                                             or _CONDITION.search(a.text) or _CONDITION.search(b.text)):
        # "could issue more subpoenas" states a possibility, which no denial contradicts; "might not
        # affect" does, unless a condition is set ("could issue ... if witnesses fail to cooperate",
        # "could not be issued without Republican support": two conditions, both possibly true)
        return None
    oa, ob = _content(a.object), _content(b.object)
    if a.predicate in LIGHT_VERBS:
        if not (_content(a.subject) & _content(b.subject)):
            return None
        if oa or ob:
            # "made the trip" and "made a top-secret visit": a light verb's objects that name one
            # kind of event state one act, however few words they share
            event = noun_event(_head_noun(a, a.object))
            if _share(oa, ob) <= 0.5 and not (event and event == noun_event(_head_noun(b, b.object))):
                return None
        elif _share(_content(a.text) - _content(a.subject), _content(b.text) - _content(b.subject)) <= 0.5:
            # "will not be making our voices heard": with no object to compare, what the light verb
            # states is the rest of the claim
            return None
    else:
        subj, obj = _role_agrees(a, b, "subject"), _role_agrees(a, b, "object")
        if _other_party(a, b) or obj is False or (
                subj is False and _named_subject(a) == _named_subject(b)):
            # A name and a description ("Obama", "the president on Wednesday") share no word however
            # often they are one actor: words tell two subjects apart only when both are names or
            # both descriptions ("the police", "the army").
            return None
        if not (subj or obj or _same_named(a, b)):
            return None         # "it did not explode": nothing says it is the thing the other saw explode
        if not obj and any((c.subject or "").strip().lower() in PRONOUNS for c in (a, b)):
            return None         # "he did not repeat": who "he" is, the claim does not say; a name elsewhere in it is no answer
        if _two_infinitives(a, b):
            return None         # "is not allowed to use" and "allows it to address" deny and grant two things

    def say(c):
        return ("not " if c.negated else "") + c.predicate
    return Difference("negation", False, a.text, say(a), b.text, say(b))


def _subjects(c: Claim) -> set[str]:
    # Names, not actor ids: ids are numbered per article, so "a1" in two articles are two actors.
    return {x.name.lower() for x in c.actors if x.role == "subject"}


def _stems(names: set[str]) -> set[str]:
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for n in names for w in re.findall(r"[a-z]+", n)
            if w not in ("the", "and", "mr", "mrs", "ms", "dr")}


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[a-z]+", name.lower()))


# "Jr.", "Sr.", "III": a generation marks another person of the same name.
_GENERATION = re.compile(r"\b(?:Jr|Sr|JR|SR|II|III|IV)\b")


def _generation(name: str) -> set[str]:
    return {g.lower() for g in _GENERATION.findall(name)}


def _resolved_names(c: Claim, role: str) -> set[str]:
    """The full names the claim's article resolved the mentions filling ``role`` to."""
    return {m.name for m in c.actors if m.role == role and m.name}


def _same_party(x: str, y: str) -> bool:
    """Names that may be one actor: a word in common ("Rod Rosenstein", "Rod J. Rosenstein") or
    one the acronym of the other ("AMD", "Advanced Micro Devices"); not a name against the same
    name with a generation ("Donald Trump", "Donald Trump Jr.": father and son)."""
    if _generation(x) != _generation(y):
        return False
    if _stem(_content(x)) & _stem(_content(y)):
        return True             # "the Clintons" and "Bill Clinton" too
    cx, cy = re.sub(r"[^a-z]", "", x.lower()), re.sub(r"[^a-z]", "", y.lower())
    if cx and cx == cy:
        return True             # a short name ("UN", "EU") has no word long enough to share
    return (len(cx) >= 2 and cx == _initials(y)) or (len(cy) >= 2 and cy == _initials(x))


def _actors(a: Claim, b: Claim) -> Difference | None:
    """One act credited to different actors. Strict, as names vary more than facts: the same
    (not light) verb and object, subjects whose names share no word and are not acronyms of each
    other, and neither subject named anywhere in the other claim ("X lashed out at Y" and "Y
    lashed out at X" are two facts)."""
    if not a.predicate or a.predicate != b.predicate or a.negated != b.negated:
        return None
    if a.predicate in LIGHT_VERBS or a.predicate in REPORT_LEMMAS:
        return None
    sa, sb = _subjects(a), _subjects(b)
    if not sa or not sb or sa & sb:
        return None
    subj_a = [x for x in a.actors if x.role == "subject"]
    subj_b = [x for x in b.actors if x.role == "subject"]
    # Two people or two organisations, named as such on both sides. A country, a group or a mix of kinds
    # goes by many names ("the Biden administration" / "the US", "Mr. Kim" / "North Korea", "the FDA" /
    # "U.S. health regulators"): every such pair judged was one actor under two names.
    labels = {x.label for x in subj_a + subj_b}
    if len(labels) != 1 or labels.pop() not in ("PERSON", "ORG"):
        return None
    names_a = {x.name.lower() for x in subj_a}
    names_b = {x.name.lower() for x in subj_b}
    if names_a & names_b or _stems(names_a) & _stems(names_b):   # "the Clintons" / "Bill Clinton"
        return None
    forms_a = [f for x in subj_a for f in (x.name, x.text)]
    forms_b = [f for x in subj_b for f in (x.name, x.text)]
    if any(_same_party(x, y) for x in forms_a for y in forms_b):
        return None
    if any(f.lower() in b.text.lower() for f in forms_a) or any(f.lower() in a.text.lower() for f in forms_b):
        return None
    if not a.object or not b.object or _share(_content(a.object), _content(b.object)) < 0.5:
        return None
    return Difference("actor", False, a.subject or ", ".join(sorted(names_a)), ", ".join(sorted(names_a)),
                      b.subject or ", ".join(sorted(names_b)), ", ".join(sorted(names_b)))


@dataclass
class Context:
    """What the comparison needs beyond the claims: article texts and the kind of each place
    mention, with its country code after a colon where known ("city:SY", "country", "region:US")."""
    texts: dict[str, str]
    kinds: dict[tuple[str, int], str]      # (article id, mention start) -> country | city | region [":CC"]

    def place_kind(self, article_id: str, start: int) -> str | None:
        kind = self.kinds.get((article_id, start))
        return kind.split(":", 1)[0] if kind else None

    def place_country(self, article_id: str, start: int) -> str | None:
        kind = self.kinds.get((article_id, start)) or ""
        return kind.split(":", 1)[1] or None if ":" in kind else None


def compare_claims(a: Claim, b: Claim, later: int = 0, ctx: Context | None = None) -> list[Difference]:
    """Every slot on which ``a`` and ``b`` differ, most telling first.

    ``later``: +1 when b was published after a, -1 before, 0 when unknown.
    """
    ctx = ctx or Context({}, {})
    found = []
    for diff in (_negation(a, b), _dates(a, b), _numbers(a, b, later, ctx), _places(a, b, ctx), _actors(a, b)):
        if diff is not None:
            found.append(diff)
    return found

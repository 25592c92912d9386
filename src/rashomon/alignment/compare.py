"""Compare the slots of aligned claims: agreement, contradiction (typed) or an update over time.

Each comparison takes two claims of one group, from different articles, and returns a
:class:`Difference` or None. The rules keep to what the slots can prove:

* **date** — both claims carry exactly one resolved date; compared at the coarser of the two
  precisions ("2016" vs "2017-05" differ on the year; "November" vs "2024-11-27" agree). An
  unresolved date ("on Wednesday" with no known publication date) never conflicts.
* **number** — quantities counting the same noun whose ranges do not meet ("at least 300" and
  "327" meet; "15" and "30" do not). When the later publication gives the higher count, or both
  carry the count of a moving event, it is an *update*, not a contradiction.
* **place** — the same event put in different cities (a city inside a named country agrees with
  it); "near X" then "in X" is an update.
* **negation** — the same predicate asserted by one and denied by the other.
* **actor** — the same predicate and object with disjoint subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..claims import Claim

__all__ = ["Difference", "Context", "compare_claims", "KINDS"]

KINDS = ("date", "number", "place", "actor", "negation", "other")
_PREC_LEN = {"year": 4, "month": 7, "day": 10}
_NEAR = re.compile(r"(?:near|outside|outskirts of|approach(?:es|ing)? to|kilometers? (?:from|of)|"
                   r"km (?:from|of)|miles? (?:from|of)|close to|edge of|gates of)\s+(?:the\s+)?$", re.I)


@dataclass
class Difference:
    kind: str                  # one of KINDS
    evolving: bool             # an update over time rather than a contradiction
    a_value: str               # as written in claim a
    a_norm: str                # normalised
    b_value: str
    b_norm: str
    note: str = ""


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH_DAY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})\b"
                        r"|\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


def _one_date(c: Claim) -> tuple[str, str] | None:
    """(as written, normalised) for the claim's single date: ISO when resolved, "--MM-DD" for a
    day and month whose year is unknown (it still disagrees with another day of the same month)."""
    found = []
    for t in c.time:
        if t.status == "resolved" and t.value and t.precision in _PREC_LEN:
            found.append((t.text, t.value))
        elif (m := _MONTH_DAY.search(t.text)):
            month = _MONTHS[(m[1] or m[4])[:3].lower()]
            found.append((t.text, f"--{month:02d}-{int(m[2] or m[3]):02d}"))
    return found[0] if len(found) == 1 else None


def _comparable(x: str, y: str) -> tuple[str, str]:
    """Both values cut to what both of them know: a year-less "--MM-DD" meets a date's month-day."""
    if x.startswith("--") or y.startswith("--"):
        x, y = ("--" + x[5:10] if len(x) == 10 else x), ("--" + y[5:10] if len(y) == 10 else y)
        if not (x.startswith("--") and y.startswith("--")):
            return x, x                # "--11-27" against a year or month: nothing to compare
        return x, y
    n = min(len(x), len(y))
    return x[:n], y[:n]


def _dates(a: Claim, b: Claim) -> Difference | None:
    ta, tb = _one_date(a), _one_date(b)
    if not ta or not tb:
        return None
    x, y = _comparable(ta[1], tb[1])
    if x == y:
        return None
    return Difference("date", False, ta[0], ta[1], tb[0], tb[1])


def _norm_noun(noun: str | None) -> str | None:
    if not noun:
        return None
    noun = noun.lower().split()[-1]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


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


def _numbers(a: Claim, b: Claim, later: int) -> Difference | None:
    for qa in a.quantities:
        for qb in b.quantities:
            noun = _norm_noun(qa.noun)
            if noun is None or noun != _norm_noun(qb.noun):
                continue
            if _meet(qa.low, qa.high, qb.low, qb.high):
                return None            # one matching count that agrees settles it
            rising = (qb.low or 0) > (qa.high if qa.high is not None else float("inf"))
            evolving = (later > 0 and rising) or (later < 0 and not rising)
            return Difference("number", evolving, qa.text, _fmt(qa.low, qa.high), qb.text, _fmt(qb.low, qb.high),
                              note="the later report gives the higher count" if evolving else "")
    return None


def _relation(text: str | None, start: int) -> str:
    before = (text or "")[max(0, start - 40):start] if text else ""
    return "near" if _NEAR.search(before) else "in"


def _places(a: Claim, b: Claim, ctx: "Context") -> Difference | None:
    pa = [p for p in a.places]
    pb = [p for p in b.places]
    if len(pa) != 1 or len(pb) != 1:
        return None
    x, y = pa[0], pb[0]
    if x.name == y.name:
        ra = _relation(ctx.texts.get(a.article_id), x.start)
        rb = _relation(ctx.texts.get(b.article_id), y.start)
        if ra != rb:
            return Difference("place", True, f"{ra} {x.text}", f"{ra} {x.name}", f"{rb} {y.text}", f"{rb} {y.name}",
                              note="'near' then 'in' the same place reads as an advance, not a contradiction")
        return None
    # Only two cities contradict: a city agrees with its country or region, and kinds we do not
    # know are given the benefit of the doubt.
    if ctx.place_kind(a.article_id, x.start) != "city" or ctx.place_kind(b.article_id, y.start) != "city":
        return None
    return Difference("place", False, x.text, x.name, y.text, y.name)


def _negation(a: Claim, b: Claim) -> Difference | None:
    if a.predicate and a.predicate == b.predicate and a.negated != b.negated:
        def say(c):
            return ("not " if c.negated else "") + c.predicate
        return Difference("negation", False, a.text, say(a), b.text, say(b))
    return None


def _subjects(c: Claim) -> set[str]:
    return {(x.actor_id or x.name).lower() for x in c.actors if x.role == "subject"}


def _actors(a: Claim, b: Claim) -> Difference | None:
    if not a.predicate or a.predicate != b.predicate or a.negated != b.negated:
        return None
    sa, sb = _subjects(a), _subjects(b)
    if not sa or not sb or sa & sb:
        return None
    names_a = {x.name.lower() for x in a.actors if x.role == "subject"}
    names_b = {x.name.lower() for x in b.actors if x.role == "subject"}
    if names_a & names_b:
        return None
    if not a.object or not b.object or _overlap(a.object, b.object) < 0.5:
        return None
    return Difference("actor", False, a.subject or ", ".join(sorted(names_a)), ", ".join(sorted(names_a)),
                      b.subject or ", ".join(sorted(names_b)), ", ".join(sorted(names_b)))


def _overlap(x: str, y: str) -> float:
    wx, wy = set(x.lower().split()), set(y.lower().split())
    return len(wx & wy) / max(1, min(len(wx), len(wy)))


@dataclass
class Context:
    """What the comparison needs beyond the claims: article texts and the kind of each place mention."""
    texts: dict[str, str]
    kinds: dict[tuple[str, int], str]      # (article id, mention start) -> country | city | region

    def place_kind(self, article_id: str, start: int) -> str | None:
        return self.kinds.get((article_id, start))


def compare_claims(a: Claim, b: Claim, later: int = 0, ctx: Context | None = None) -> list[Difference]:
    """Every slot on which ``a`` and ``b`` differ, most telling first.

    ``later``: +1 when b was published after a, -1 before, 0 when unknown.
    """
    ctx = ctx or Context({}, {})
    found = []
    for diff in (_negation(a, b), _dates(a, b), _numbers(a, b, later), _places(a, b, ctx), _actors(a, b)):
        if diff is not None:
            found.append(diff)
    return found

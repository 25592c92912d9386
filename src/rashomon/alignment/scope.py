"""What a count is a count of, beyond its noun: the set it is scoped to. Two counts of one noun in
aligned claims still measure different things when they are scoped differently, and then their
difference is no conflict:

- a market figure is a trading session's ("HP shares dropped $2.49" one day, "sagged $2.56
  Tuesday" the next): it compares only with a figure of the same stated day;
- a count over a set the article defined before ("seven were killed in those bombings") is of
  that subset, not of the whole toll another outlet gives;
- a count for a town is not the count for its district ("10 houses in Takengon", "22 houses in
  the district").

Counts of two periods or two days are the fourth case; that rule lives beside the date
comparison it borrows from (``compare._other_occasions``).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..claims import Claim

__all__ = ["market_session", "subset_scope", "place_level", "other_places"]

_MARKET = re.compile(r"\b(?:shares?|stocks?|stock\s+price|index|indices|futures|yields?|dow|nasdaq|s&p|ftse|"
                     r"nikkei|dax|hang\s+seng|(?:share|oil|gold|bond|stock)\s+prices?)\b", re.I)


def market_session(c: Claim) -> bool:
    """Whether the claim's subject is a traded measure (a share price, an index, a yield), whose
    figures move from one session to the next."""
    return bool(c.subject) and _MARKET.search(c.subject) is not None


# "in those bombings", "from these attacks", "in both blasts": a set the article named before.
# Not "of those who got a shot": a set its relative clause defines, not one named before.
_SUBSET = re.compile(r"\b(?:in|from|during|by|of|at)\s+(those|these|both)\s+(?!who\b|that\b|which\b|whose\b)([a-z]+)",
                     re.I)


def subset_scope(q, c: Claim, text: str | None) -> str | None:
    """The noun of a subset the count is scoped to after it ("killed in those bombings": "bombing"),
    or None."""
    if not text:
        return None
    m = _SUBSET.search(text[q.end:max(q.end, c.end)])
    return m[2].lower().rstrip("s") if m else None


_LEVELS = {**dict.fromkeys("village town city suburb neighborhood neighbourhood".split(), "city"),
           **dict.fromkeys("district county regency municipality province state region prefecture governorate "
                           "area".split(), "region"),
           **dict.fromkeys("country nation".split(), "country")}
# "in Takengon", "in the district", "across the province": where the counted things are.
_WHERE = re.compile(r"\b(?:in|across|throughout)\s+(?:the\s+)?([A-Z][\w-]*|[a-z]+)")


def place_level(q, c: Claim, text: str | None, kind_at: Callable[[str, int], Any]) -> tuple[str, str] | None:
    """Where the count's things are, as (level, word): a name's level from the place resolver
    ("city", "region", "country"; "name" when it does not know the name), a generic place noun's
    from the noun ("the district": "region"), with "generic:" before it. None when the claim
    says no place after the count."""
    if not text:
        return None
    end = max(q.end, c.end)
    m = _WHERE.search(text, q.end, end)
    if m is None:
        return None
    word = m[1]
    if word[0].isupper():
        return kind_at(c.article_id, m.start(1)) or "name", word.lower()
    level = _LEVELS.get(word)
    return ("generic:" + level, word) if level else None


def other_places(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    """A count for a named place against one for a generic place of another level: a town
    against "the district" (its wider area). Not "in Aleppo" against "in the city" (one city
    named two ways), nor two names: "arrested in Canada" and "leaders in Bountiful" may well
    count the same people, the place hanging on a different word."""
    if a is None or b is None or a[0].startswith("generic:") == b[0].startswith("generic:"):
        return False
    named, generic = (a[0], b[0]) if b[0].startswith("generic:") else (b[0], a[0])
    level = generic.split(":", 1)[1]
    if named == "name":
        # a name the resolver does not know: only a wider generic unit is known to be another place
        return level in ("region", "country")
    return named != level

"""Date expressions in an article, normalised against its publication date — never a guessed day.

``extract_dates(doc, published, published_precision, sentences)`` finds the date expressions of a
parsed article with a small grammar of regular expressions run over ``doc.text`` (spaCy's DATE
entities confirm the ambiguous ones: a bare "2016", a bare "May"), and normalises each one.

Values and precisions (``DateExpr.value`` / ``DateExpr.precision``):

=========  ==============  ==================================================================
precision  value           written as
=========  ==============  ==================================================================
day        ``2024-11-27``  "Nov. 27", "Wednesday", "yesterday", "two days after the strike"
week       ``2024-W47``    "last week", "this week", "three weeks ago" (ISO 8601 week)
month      ``2024-11``     "March 2010", "in March", "last month", "earlier this month"
quarter    ``2010-Q2``     "the second quarter of 2010", "last quarter"
season     ``2010-SU``     "summer 2010", "last winter" (SP SU FA WI, northern hemisphere;
                           the year is the one the season starts in: ``2009-WI`` = Dec 2009–Feb 2010)
year       ``2016``        "in 2016", "last year", "three years ago"
decade     ``1990s``       "the 1990s", "the '90s", "the nineties"
=========  ==============  ==================================================================

``date_range(value, precision)`` turns any of them into its first and last day, so "Wednesday"
and "Nov. 27" compare equal and "last week" contains both.

How expressions are found: a grammar of regular expressions over ``doc.text`` (each pattern runs
only in windows around the words it needs — a month name, a digit, "ago", "week" — so an article
costs a few milliseconds). spaCy's analysis decides the ambiguous cases: a bare four-digit number
is a year inside a DATE entity, or after "in/since/by/…" and not before a plural noun ("in 2000
cases"); a bare "May"/"March" must be tagged a proper noun; a weekday or "Today" inside an ORG,
PERSON or WORK_OF_ART entity is a name. The DATE entities this grammar does not cover are
durations, ages and vague periods (checked on Timeline17) and are left out on purpose.

The rules:

* **Absolute** dates carry their own year ("Nov. 27, 2024", "25 April 2009", "2024-11-27",
  "Thu Apr 22 , 2010"). A day and month without a year ("Nov. 27") take the year from the
  publication date: the candidate (publication year or a neighbour) nearest the publication day
  wins; when that candidate is more than a month away, the tense of the sentence decides instead
  (a past-tense "on December 28" in a June article is last December; a future-tense "on January
  5" in a December article is next January). A weekday written with the date that fits only one
  candidate year decides it. Ambiguous numeric dates (``03/04/2010``) stay unresolved.
* **Weekdays** ("on Wednesday", "Wednesday night", "late on Thursday") resolve to the most recent
  such weekday on or before the publication day — news reports the past — unless the nearest
  tense marker in the sentence is future ("will meet on Friday", "is due to … on Friday", "could
  start on Tuesday"), which takes the next such weekday on or after it. "last Wednesday" is
  strictly before the publication day, "next Wednesday" strictly after. Tense comes from the
  nearest marker on either side (will/modals, "due/set/plans to", past-tense verbs, "has/was +
  participle"), with a penalty for each clause break crossed; present tense decides nothing.
* **Relative to publication**: "today", "tonight", "this morning" = the publication day;
  "yesterday", "last night" = the day before; "tomorrow" = the day after; "N days/weeks/months/
  years ago" (day/week/month/year; "a decade ago" as a year, noted approximate); "N hours ago"
  only with a publication time. "this/last/next week" and "the weekend" have precision **week**
  (ISO week: a week is what was said, not a day or a month); "…month" month; "…year" year;
  "earlier/later/the end of" keep the value; "the end of the year" is the publication year.
  A relative expression needs the publication date at least as fine as its unit (a day for
  "yesterday", a month for "last month", a year for "last year"), otherwise it is unresolved.
  Inside a quotation, "today", "yesterday", "this afternoon" and the like count from the day
  the words were said, which the article does not give (a statement released the day before
  the report): they stay unresolved.
* **Anchored on an event**: "two days after <event>", "a week before <event>", "the day after
  <event>" resolve against a date written in the event phrase ("two days after Nov. 27", "days
  before the April 20 blast"), else against the dated expression whose nearby words (eight tokens
  either side, in its sentence) share the event's content words ("launched a strike on Nov. 27 …
  two days after launching"); words found all over the article count half, report dates ("said
  on Sunday") and "today" are not events. "two days later", "the next day", "that year", "the
  previous week", "June of that year" resolve against the nearest preceding resolved date in the
  same or the two previous sentences. An anchored date that would fall after publication in a
  sentence that is not future tense is rejected. Exact counts of days/weeks give a day, of months
  a month, of years a year; approximate counts ("nearly three weeks after") a week at best.
  No anchor → ``unresolved`` (anchor ``event``), never a guess.
* **Years, months, decades, seasons, holidays**: "in 2016" → ``2016``; "1918-19" → two years;
  "in March 2010" → ``2010-03``; "in March" → the March nearest the publication month, last
  year's when the sentence is past tense and March is still to come; "the 1990s", "the '90s", "the
  nineties" → ``1990s``; "last summer", "summer 2009" → season; "the second quarter of 2010" →
  quarter; "Christmas Day", "Easter", "Thanksgiving" → the day, its year chosen like a day-month.
* **Not dates**: durations ("for 13 years", "four years", "the past two weeks", "over the next
  year", "it may be months before"), ages ("13 years old"), rates ("barrels a day"), clock times
  alone ("1930 GMT"), vague spans ("recent years"), and names that contain a date word (the
  "Sunday Times", "Black Friday", the "Today" programme). They produce nothing. Vague counts
  ("several years ago", "a few days later") produce an unresolved expression.
* Without a publication date, everything that needs one is ``unresolved`` with ``value=None`` and
  a note; absolute dates, years, months with a year, decades and dates anchored on them resolve.

Offsets are exact: ``doc.text[d.start:d.end] == d.text``.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable

from .attribution import find_quotes
from .sentences import SentenceIndex
from .types import DateExpr

__all__ = ["extract_dates", "date_range", "PRECISIONS", "parse_anchor", "Anchor"]

PRECISIONS = ("day", "week", "month", "quarter", "season", "year", "decade")
_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "season": 3, "year": 4, "decade": 5}

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_MONTH_NUM = {m: i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_NUM.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                   "sept": 9, "oct": 10, "nov": 11, "dec": 12})
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_NUM = {w: i for i, w in enumerate(_WEEKDAYS)}
_WEEKDAY_NUM.update({"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                     "fri": 4, "sat": 5, "sun": 6})
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
            "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
            "sixty": 60, "a couple of": 2, "a dozen": 12}
_VAGUE_NUMBERS = ("a few", "few", "several", "some", "many", "a number of", "a couple", "couple of")
_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
                 "seventies": 70, "eighties": 80, "nineties": 90}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def _cased(words) -> str:
    """Title-case and upper-case forms only: "May" and "MAY" are months, "may" is not."""
    forms = []
    for w in sorted(words, key=len, reverse=True):
        forms += [w.title(), w.upper()]
    return "(?:" + "|".join(forms) + ")"


_MON_FULL = _cased(_MONTHS)
_MON_ABBR = _cased(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec"])
_MON = rf"(?P<mon>{_MON_FULL}|{_MON_ABBR}\.?)"
_WD_FULL = _cased(_WEEKDAYS)
_WD_ABBR = _cased(["mon", "tues", "tue", "wed", "thurs", "thur", "thu", "fri", "sat", "sun"])
_WD_PREFIX = rf"(?:(?P<wd>{_WD_FULL}|{_WD_ABBR}\.?)\s*,?\s+(?:the\s+)?)?"
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])(?!\s*,\d{3})(?!\.\d)"
_YEAR_TAIL = r"(?:\s*,?\s*(?:of\s+)?(?P<year>1[5-9]\d\d|20\d\d)(?![\d,.%]\d|\d))?"
_B = r"(?<![\w'])"     # left word boundary that also refuses "'s"-style joins
_E = r"(?![\w])"
_COUNT = (r"(?P<n>\d{1,3}|(?i:a\s+couple\s+of|a\s+dozen|a\s+few|a\s+number\s+of|several|some|few|many|"
          r"an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
          r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty))")
_APPROX = (r"(?:(?P<approx>(?i:about|around|roughly|nearly|almost|some|more\s+than|over|less\s+than|just|only|barely|"
           r"exactly|precisely))\s+)?")
_UNIT = r"(?P<unit>(?i:days?|weeks?|fortnights?|months?|years?|decades?|hours?|hrs?|minutes?|mins?))"

_TOD = r"(?:\s+(?P<tod>(?i:morning|afternoon|evening|night|noon|midday|lunchtime)))?"

_HOLIDAYS = {
    "christmas day": (12, 25), "christmas eve": (12, 24), "christmas": (12, 25),
    "boxing day": (12, 26), "new year's day": (1, 1), "new year 's day": (1, 1),
    "new year's eve": (12, 31), "new year 's eve": (12, 31), "halloween": (10, 31),
    "valentine's day": (2, 14), "valentine 's day": (2, 14), "independence day": (7, 4),
    "the fourth of july": (7, 4), "guy fawkes night": (11, 5), "bonfire night": (11, 5),
    "easter sunday": "easter", "easter": "easter", "easter monday": "easter+1",
    "good friday": "easter-2", "thanksgiving day": "thanksgiving", "thanksgiving": "thanksgiving",
    "memorial day": "memorial", "labor day": "labor",
}

# Words before a bare four-digit number that make it a year (when spaCy has not said DATE).
_YEAR_CUES = {"in", "since", "until", "till", "during", "circa", "early", "late", "mid", "before", "after",
              "by", "year", "fiscal", "spring", "summer", "autumn", "fall", "winter", "around", "throughout",
              "of", "to", "and", "or", "from", "between", "through", "-", "–"}
_DURATION_BEFORE = {"for", "than", "of", "be", "is", "are", "was", "were", "been", "being", "'s", "'re", "take",
                    "takes", "took", "taking", "taken", "within", "to", "least", "most", "wait", "waited", "waiting",
                    "lasted", "last", "lasts", "spend", "spent", "needs", "need", "needed"}
_REPORT_VERBS = {"said", "says", "say", "told", "tells", "reported", "reports", "announced", "added", "stated",
                 "confirmed", "wrote", "tweeted", "commented", "noted", "explained", "insisted", "warned",
                 "briefing", "statement", "interview", "interviews", "testified", "declined", "speaking"}
_CLOCK_WORDS = {"gmt", "utc", "bst", "cet", "cest", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "et",
                "pt", "ct", "hours", "hrs", "hr", "h", "local", "z", "zulu", "jst", "ist", "aest", "msk"}
_NON_DATE_ENTS = {"ORG", "PERSON", "WORK_OF_ART", "FAC", "PRODUCT", "LAW", "EVENT", "GPE", "LOC", "NORP",
                  "LANGUAGE"}
_NUMBER_ENTS = {"MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"}
_NAME_BEFORE_WEEKDAY = {"black", "good", "super", "easter", "ash", "bloody", "cyber", "holy", "palm",
                        "shrove", "maundy", "whit", "blue", "manic", "giving", "small"}
_NAME_AFTER_WEEKDAY = {"times", "telegraph", "herald", "mail", "express", "post", "mirror", "people",
                       "star", "sport", "night football", "club", "league", "school", "prayers",
                       "service", "market", "magazine", "review", "edition", "papers", "paper",
                       "programme", "show", "supplement"}

# ---------------------------------------------------------------------------------------------
# The publication date
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """The publication date as far as it is known: ``precision`` day | month | year | None."""
    precision: str | None
    year: int | None = None
    month: int | None = None
    day: dt.date | None = None
    time: dt.time | None = None
    note: str | None = None

    def describe(self) -> str:
        if self.precision == "day":
            return self.day.isoformat()
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if self.precision == "year":
            return f"{self.year:04d}"
        return "unknown"


_ISO_PUB = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ](\d{1,2}):(\d{2}))?")


def parse_anchor(published: str | None, published_precision: str | None = None) -> Anchor:
    """The publication date of an article as an Anchor; an unknown or unreadable one is precision None."""
    if published is None or not str(published).strip():
        return Anchor(None, note="no publication date")
    m = _ISO_PUB.match(str(published))
    if not m:
        return Anchor(None, note=f"unreadable publication date {str(published)[:40]!r}")
    year = int(m.group(1))
    if not 1000 <= year <= 9000:
        return Anchor(None, note=f"implausible publication year {year}")
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    precision = "day" if day else "month" if month else "year"
    if published_precision in ("year", "month", "day") and _RANK[published_precision] > _RANK[precision]:
        precision = published_precision          # "2024-01-01" given as a year stays a year
    try:
        if precision == "day":
            clock = None
            if m.group(4):
                clock = dt.time(int(m.group(4)) % 24, int(m.group(5)) % 60)
            return Anchor("day", year, month, dt.date(year, month, day), clock)
        if precision == "month":
            if not 1 <= month <= 12:
                raise ValueError(month)
            return Anchor("month", year, month)
        return Anchor("year", year)
    except (ValueError, TypeError):
        return Anchor(None, note=f"impossible publication date {str(published)[:40]!r}")


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic on (value, precision)
# ---------------------------------------------------------------------------------------------

def _fmt(precision: str, x) -> str:
    if precision == "day":
        return x.isoformat()
    if precision == "week":
        y, w, _ = x.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if precision == "month":
        return f"{x[0]:04d}-{x[1]:02d}"
    if precision == "quarter":
        return f"{x[0]:04d}-Q{x[1]}"
    if precision == "season":
        return f"{x[0]:04d}-{x[1]}"
    if precision == "year":
        return f"{x:04d}"
    if precision == "decade":
        return f"{x:04d}s"
    raise ValueError(precision)


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def _last_day(year: int, month: int) -> dt.date:
    y, m = _add_months(year, month, 1)
    return dt.date(y, m, 1) - dt.timedelta(days=1)


def date_range(value: str | None, precision: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by a normalised value, None for an unresolved one.

    >>> date_range("2024-W48", "week")
    (datetime.date(2024, 11, 25), datetime.date(2024, 12, 1))
    """
    if not value or not precision:
        return None
    try:
        if precision == "day":
            d = dt.date.fromisoformat(value)
            return d, d
        if precision == "week":
            y, w = value.split("-W")
            first = dt.date.fromisocalendar(int(y), int(w), 1)
            return first, first + dt.timedelta(days=6)
        if precision == "month":
            y, m = map(int, value.split("-"))
            return dt.date(y, m, 1), _last_day(y, m)
        if precision == "quarter":
            y, q = value.split("-Q")
            m = (int(q) - 1) * 3 + 1
            return dt.date(int(y), m, 1), _last_day(int(y), m + 2)
        if precision == "season":
            y, s = value.split("-")
            first_m, last_m = _SEASON_MONTHS[s]
            last_y = int(y) + 1 if s == "WI" else int(y)
            return dt.date(int(y), first_m, 1), _last_day(last_y, last_m)
        if precision == "year":
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if precision == "decade":
            y = int(value.rstrip("s"))
            return dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
    except (ValueError, KeyError):
        return None
    return None


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _holiday(key, year: int) -> dt.date:
    if isinstance(key, tuple):
        return dt.date(year, *key)
    if key.startswith("easter"):
        return _easter(year) + dt.timedelta(days=int(key[6:] or 0))
    if key == "thanksgiving":   # fourth Thursday of November
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    if key == "memorial":       # last Monday of May
        last = dt.date(year, 5, 31)
        return last - dt.timedelta(days=last.weekday())
    if key == "labor":          # first Monday of September
        first = dt.date(year, 9, 1)
        return first + dt.timedelta(days=(7 - first.weekday()) % 7)
    raise ValueError(key)


# ---------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------

@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    groups: dict
    priority: int = 0
    # filled by resolution
    value: str | None = None
    precision: str | None = None
    status: str = "unresolved"
    anchor: str = "none"
    note: str | None = None
    point: object = None            # dt.date (day), (y, m) month, int year … for anchoring others
    text: str = ""
    drop: bool = False


@dataclass
class _Pattern:
    kind: str
    regex: re.Pattern
    priority: int = 0


def _p(kind: str, pattern: str, priority: int = 0) -> _Pattern:
    return _Pattern(kind, re.compile(pattern), priority)


_YEAR4 = r"1[5-9]\d\d|20\d\d"
_PART_OF = r"the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of"
_SPAN_OF = (r"the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+rest\s+of|"
            r"the\s+remainder\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of")
_DECADE_MORE = re.compile(r"\s*(?:and|or|to|-|–)\s*(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?"
                          r"(?P<d2>'?(?P<n2>[0-9]0)s)(?![\w])")

_PATTERNS: list[_Pattern] = [
    _p("iso", r"(?<![\d\-/.])(?P<year>1[5-9]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d\-])",
       9),
    _p("numeric", r"(?<![\d/.\-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)"
       r"(?P<y>(?:19|20)\d\d|(?<=/)\d\d)(?![\d/.]\d|\d)", 8),
    _p("mdy", _B + _WD_PREFIX + _MON + r"\s+(?:the\s+)?" + _DAY + _YEAR_TAIL + _E, 7),
    _p("dmy", _B + _WD_PREFIX + r"(?:the\s+)?" + _DAY + r"\s+(?:(?i:of)\s+)?" + _MON + _YEAR_TAIL + _E, 7),
    _p("my", _B + r"(?:(?P<part>(?i:early|mid|late|" + _PART_OF + r"))[\s-]+)?"
       + _MON + r"\s*,?\s+(?:(?i:of)\s+)?(?P<year>" + _YEAR4 + r")(?![\d,.%]\d|\d)", 6),
    _p("monthrel", _B + r"(?:(?P<day1>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+(?:(?i:of)\s+)?)?" + _MON
       + r"(?:\s+(?P<day2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?)?\s*,?\s+(?:(?i:of)\s+)?"
       r"(?P<dir>(?i:that|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+preceding|last|this|next))"
       r"\s+(?i:year)" + _E, 8),
    _p("holiday", _B + r"(?:(?P<mod>(?i:last|next|this))\s+)?"
       r"(?P<hol>(?:Christmas|CHRISTMAS)(?:\s+(?:Day|Eve))?|Boxing\s+Day|"
       r"New\s+Year\s*'s\s+(?:Day|Eve)|Halloween|Valentine\s*'s\s+Day|Independence\s+Day|[Tt]he\s+Fourth\s+of\s+July|"
       r"Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday|Thanksgiving(?:\s+Day)?|Memorial\s+Day|Labor\s+Day|"
       r"Guy\s+Fawkes\s+Night|Bonfire\s+Night)"
       r"(?:\s*,?\s*(?:(?i:in|of)\s+)?(?P<year>" + _YEAR4 + r")(?!\d))?" + _E, 6),
    _p("decade", _B + r"(?:(?i:the)\s+)?(?:(?P<part>(?i:early|mid|late))[\s-]+)?(?P<dec>1[0-9]\d0|20\d0)'?s" + _E, 6),
    _p("decade2", r"(?<![\w])(?:(?i:the)\s+)?(?:(?P<part>(?i:early|mid|late))[\s-]+)?(?:'|`|’)\s?(?P<d2>[0-9]0)s"
       + _E, 5),
    _p("decade_word", _B + r"(?i:the)\s+(?:(?P<part>(?i:early|mid|late))[\s-]+)?"
       r"(?P<dw>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|noughties))" + _E, 5),
    _p("season", _B + r"(?:(?P<mod>(?i:last|next|this|early|late|mid|the))[\s-]+)?"
       r"(?P<season>(?i:spring|summer|autumn|winter))"
       r"(?:\s+(?i:of\s+)?(?P<year>" + _YEAR4 + r")(?!\d))?" + _E, 4),
    _p("quarter", _B + r"(?:(?i:the)\s+)?(?P<ord>(?i:first|second|third|fourth|final))[\s-]+(?i:quarter)\s+(?i:of\s+)?"
       r"(?:(?i:the\s+)?(?P<fy>(?i:fiscal|financial)\s+)?(?i:year\s+)?)?(?P<year>" + _YEAR4 + r")(?!\d)" + _E, 4),
    _p("quarter_q", _B + r"(?P<ord>Q[1-4])\s*(?P<year>20\d\d|'?\d\d)?" + _E, 4),
    _p("month", _B + r"(?:(?P<mod>(?i:last|next|this|early|late|mid|" + _PART_OF + r"))[\s-]+)?"
       + rf"(?P<mon>{_MON_FULL}|Sept\.|Sept" + r")" + _E, 3),
    _p("weekday", _B + r"(?:(?P<mod>(?i:last|next|this|past|coming|early|late)(?:\s+(?i:on))?)\s+)?"
       r"(?P<wd>" + _WD_FULL + r")(?!s\b)(?![\w])" + _TOD, 4),
    _p("relday", _B + r"(?:(?P<pre>(?i:earlier|later|late|early))\s+)?"
       r"(?P<w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
       r"today|tonight|yesterday|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening|lunchtime)))(?!\w)"
       + _TOD, 5),
    _p("relunit", _B + r"(?:(?P<pre>(?i:earlier|later|early|late|so\s+far|" + _SPAN_OF + r"))\s+)?"
       r"(?P<dir>(?i:this|last|next|the\s+previous|the\s+following|the\s+next|the\s+preceding|that|the\s+same|"
       r"the\s+past|the\s+coming))\s+"
       r"(?P<unit>(?i:week|weekend|month|year|quarter|decade|day|morning|afternoon|evening|night))" + _E, 5),
    _p("theyear", _B + r"(?P<pre>(?i:" + _SPAN_OF + r"))\s+(?P<unit>(?i:the\s+(?:year|month|week)))" + _E, 5),
    _p("ago", _B + _APPROX + _COUNT + r"\s+" + _UNIT + r"\s+(?P<rel>(?i:ago|from\s+now))" + _E, 6),
    _p("offset", _B + _APPROX + _COUNT + r"[\s-]+" + _UNIT
       + r"\s+(?P<rel>(?i:later|earlier|before|after|previously|prior\s+to|on))(?=\W|$)", 5),
    _p("dayrel", _B + r"(?P<w>(?i:the\s+day\s+before|the\s+day\s+after|the\s+eve\s+of|that\s+same\s+day|"
       r"later\s+that\s+day|earlier\s+that\s+day))" + _E, 4),
    _p("timeago", _B + _APPROX + _COUNT + r"\s+(?P<unit>(?i:hours?|hrs?|minutes?|mins?))\s+(?P<rel>(?i:ago))" + _E, 6),
    _p("year", r"(?<![\w$£€#.,/'\-])(?:(?P<part>(?i:early|mid|late))-)?(?P<year>1[0-9]\d\d|20\d\d)"
       r"(?![\w%/]|[.,]\d|\s*-\s*\d)", 2),
    _p("yearrange", r"(?<![\w$£€#.,/'\-])(?P<y1>" + _YEAR4 + r")\s*(?P<dash>-|–|/|\\/)\s*"
       r"(?P<y2>1[5-9]\d\d|20\d\d|\d\d|\d)(?![\w%/]|[.,]\d)", 3),
    _p("weekend", _B + r"(?:(?P<pre>(?i:over|at|during|on|through|throughout|by|until|after|before|since))\s+)"
       r"(?P<w>(?i:the\s+weekend))" + _E, 3),
]


# ---------------------------------------------------------------------------------------------
# Per-article context: tokens, entities, tense
# ---------------------------------------------------------------------------------------------

_FUTURE_AUX = {"will", "wo", "'ll", "ll", "shall"}
_FUTURE_TO = {"due", "set", "expected", "scheduled", "slated", "poised", "planned", "plans", "plan",
              "planning", "going", "intends", "intend", "aims", "aim", "hopes", "hope", "wants", "want"}
_CLAUSE_BREAKS = {",", ";", ":", "--", "-", "and", "but", "while", "whereas", "although", "though", "because",
                  "``", "''", '"', "who", "which", "when"}
_HAVE = {"has", "have", "had", "'s", "'ve", "'d"}
_HAVE_BE_PAST = _HAVE | {"was", "were"}


_STRINGS: dict[int, str] = {}


class _Context:
    """The parsed article as flat arrays (token starts, tags, lower-case forms, entities).

    Reading attributes through spaCy Token objects costs about a microsecond per token; one
    ``Doc.to_array`` call gives them all at once.
    """

    def __init__(self, doc, sentences: SentenceIndex):
        self.doc = doc
        self.text = doc.text
        self.sentences = sentences
        self._arrays = None
        self._ents: list[tuple[int, int, str]] | None = None
        self._ent_starts: list[int] | None = None
        self._spread: dict[str, int] | None = None
        self.window_cache: dict[int, tuple[int, int, set[str]]] = {}
        self.quotes: list[tuple[int, int]] | None = None    # found on first need

    def _load(self):
        from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LENGTH, LOWER, TAG

        arr = self.doc.to_array([IDX, LENGTH, TAG, LOWER, ENT_IOB, ENT_TYPE])
        self._arrays = [col.tolist() for col in arr.T] if len(arr) else [[], [], [], [], [], []]
        return self._arrays

    def _string(self, key: int) -> str:
        value = _STRINGS.get(key)
        if value is None:
            value = _STRINGS[key] = self.doc.vocab.strings[key] if key else ""
        return value

    # tokens -----------------------------------------------------------------------------
    @property
    def tok_starts(self) -> list[int]:
        return (self._arrays or self._load())[0]

    def __len__(self) -> int:
        return len(self.tok_starts)

    def tok_end(self, i: int) -> int:
        arrays = self._arrays or self._load()
        return arrays[0][i] + arrays[1][i]

    def tag(self, i: int) -> str:
        return self._string((self._arrays or self._load())[2][i])

    def low(self, i: int) -> str:
        return self._string((self._arrays or self._load())[3][i])

    def token_at(self, offset: int) -> int:
        """Index of the token that contains (or starts before) a character offset."""
        return max(0, bisect_right(self.tok_starts, offset) - 1)

    def tokens_between(self, start: int, end: int) -> range:
        return range(self.token_at(start), max(self.token_at(start), bisect_left(self.tok_starts, end)))

    # entities ----------------------------------------------------------------------------
    @property
    def ents(self) -> list[tuple[int, int, str]]:
        if self._ents is None:
            starts, lengths, _, _, iob, types = self._arrays or self._load()
            ents = []
            n = len(iob)
            i = 0
            while i < n:
                if iob[i] == 3:                          # B
                    j = i + 1
                    while j < n and iob[j] == 1:         # I
                        j += 1
                    ents.append((starts[i], starts[j - 1] + lengths[j - 1], self._string(types[i])))
                    i = j
                else:
                    i += 1
            self._ents = ents
            self._ent_starts = [e[0] for e in ents]
        return self._ents

    def ent_labels(self, start: int, end: int) -> set[str]:
        """Labels of the entities overlapping [start, end)."""
        ents = self.ents
        i = bisect_right(self._ent_starts, end) - 1
        out = set()
        while 0 <= i < len(ents):
            s, e, label = ents[i]
            if e <= start:
                break                                   # entities do not nest
            if s < end:
                out.add(label)
            i -= 1
        return out

    def in_date_entity(self, start: int, end: int) -> bool:
        return bool({"DATE", "TIME"} & self.ent_labels(start, end))

    def in_name(self, start: int, end: int) -> bool:
        return bool(_NON_DATE_ENTS & self.ent_labels(start, end)) and not self.in_date_entity(start, end)

    # words around -------------------------------------------------------------------------
    def word_before(self, offset: int) -> str:
        m = re.search(r"([\w'’\-–]+)\W*$", self.text[max(0, offset - 40):offset])
        return m.group(1).lower() if m else ""

    def words_after(self, offset: int, n: int = 2) -> str:
        return " ".join(re.findall(r"[\w'’]+", self.text[offset:offset + 60])[:n]).lower()

    def stem_spread(self) -> dict[str, int]:
        """In how many sentences each content-word stem occurs (computed once, on demand)."""
        if self._spread is None:
            spread: dict[str, int] = {}
            for sent in self.sentences.sentences:
                for st in _content_stems(self, sent.start, sent.end):
                    spread[st] = spread.get(st, 0) + 1
            self._spread = spread
        return self._spread

    # tense ---------------------------------------------------------------------------------
    def tense(self, start: int, end: int) -> str | None:
        """'past', 'future' or None, from the nearest tense marker on either side in the sentence.

        Markers: will/shall and modals (future; "could have", "would not" past), "is due/set/
        expected/going to" (future), past-tense verbs and "has/was + participle" (past), present
        tense (no decision). Distance counts tokens plus a penalty for each clause break crossed
        (comma, "and", "but"…), and a marker after the expression counts slightly farther.
        """
        si = self.sentences.of(start)
        if si < 0:
            lo_char, hi_char = 0, len(self.text)
        else:
            sent = self.sentences.sentences[si]
            lo_char, hi_char = sent.start, sent.end
        lo = self.token_at(lo_char)
        hi = min(len(self), bisect_left(self.tok_starts, hi_char))
        first = self.token_at(start)
        last = max(first, bisect_left(self.tok_starts, end) - 1)
        best: tuple[float, str] | None = None
        j = first - 1
        while j > lo and self.low(j) in ("on", "late", "early", "since", "from", "until", "by"):
            j -= 1
        if lo <= j < first and self.tag(j) in ("VBN", "VBD") and not (
                j > lo and (self.low(j - 1) in ("be", "being") or self.tag(j - 1) == "MD")):
            return "past"                               # "launched on Wednesday"; not "could be sealed by"
        for step in (-1, 1):
            i = first - 1 if step < 0 else last + 1
            cost = 0.0 if step < 0 else 0.5
            while lo <= i < hi and cost <= 15:
                cost += 1
                if self.low(i) in _CLAUSE_BREAKS or self.tag(i) == "CC":
                    cost += 5
                mark = self._mark(i, lo, hi)
                if mark is not None:
                    if best is None or cost < best[0]:
                        best = (cost, mark)
                    break
                i += step
        if best is None or best[0] > 15 or best[1] == "present":
            return None
        return best[1]

    def _mark(self, i: int, lo: int, hi: int) -> str | None:
        tag, low = self.tag(i), self.low(i)
        if tag == "MD":
            nxt = [self.low(j) for j in range(i + 1, min(hi, i + 3))]
            if "have" in nxt:
                return "past"                           # "could have gone"
            if nxt[:1] in (["not"], ["n't"]) and low in ("could", "would"):
                return "past"                           # "could n't fly", "would not say"
            return "future"                             # "will meet", "could start", "would be deployed"
        if low in _FUTURE_TO and tag != "VBD" and i + 1 < hi and self.low(i + 1) == "to":
            return "future"                             # "is due to", "plans to"; not "expected to" (past)
        if tag == "VBD":
            return "past"
        if tag == "VBN" and i > lo and (self.low(i - 1) in _HAVE_BE_PAST or
                                         (i > lo + 1 and self.low(i - 2) in _HAVE_BE_PAST)):
            return "past"                               # "has said", "was mounted"
        if tag in ("VBZ", "VBP"):
            if low in _HAVE_BE_PAST and i + 1 < hi and self.tag(i + 1) in ("VBN", "RB", "VBG"):
                return None                             # "has said": the participle decides
            return "present"
        return None


# ---------------------------------------------------------------------------------------------
# Finding
# ---------------------------------------------------------------------------------------------

# Each pattern runs only near the words it cannot match without (a month name, a digit, "ago"…):
# one pass over the words of the text, then the patterns on windows around the hits.
_WORDS = re.compile(r"[A-Za-z]+|\d+(?:'?s(?![A-Za-z]))?")
_NUMDATE = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d\d")
_TRIGGER_WORDS: dict[str, str] = {}
for _w in ("day days week weeks fortnight fortnights month months year years decade decades hour hours hr hrs "
           "minute minutes min mins").split():
    _TRIGGER_WORDS[_w] = "UNIT"
for _w in "today tonight yesterday tomorrow night morning afternoon evening lunchtime weekend eve".split():
    _TRIGGER_WORDS[_w] = "REL"
for _w in "spring summer autumn winter".split():
    _TRIGGER_WORDS[_w] = "SEASON"
for _w in "christmas boxing halloween valentine independence fourth easter thanksgiving memorial labor fawkes " \
          "bonfire".split():
    _TRIGGER_WORDS[_w] = "HOL"
for _w in "twenties thirties forties fifties sixties seventies eighties nineties noughties".split():
    _TRIGGER_WORDS[_w] = "DECWORD"
_TRIGGER_WORDS["quarter"] = "QUARTER"
_CASED_TRIGGERS = {**{m: "MON" for m in _MONTH_NUM}, **{w: "WD" for w in _WEEKDAY_NUM}}


def _trigger_hits(text: str) -> dict[str, list[tuple[int, int]]]:
    """Where the words that some pattern needs occur, by kind of word (one cheap pass over the words)."""
    hits: dict[str, list[tuple[int, int]]] = {}
    get, cased = _TRIGGER_WORDS.get, _CASED_TRIGGERS.get
    for m in _WORDS.finditer(text):
        w = m.group()
        if w[0].isdigit():
            if w[-1] == "s":
                group = "DEC"
            elif len(w) == 4:
                group = "NUM4"
            elif len(w) <= 2 and _NUMDATE.match(text, m.start()):
                group = "NUMDATE"
            else:
                continue
        else:
            low = w.lower()
            group = get(low)
            if group is None:
                group = cased(low) if w[0].isupper() else None
                if group is None:
                    if w in ("Q", "q") and text[m.end():m.end() + 1].isdigit():
                        group = "QUARTER"
                    else:
                        continue
        hits.setdefault(group, []).append(m.span())
    return hits


_NEEDS = {
    "iso": ("NUM4",), "numeric": ("NUMDATE",), "mdy": ("MON",), "dmy": ("MON",), "my": ("MON",),
    "monthrel": ("MON",), "holiday": ("HOL", "WD", "UNIT"), "decade": ("DEC",), "decade2": ("DEC",),
    "decade_word": ("DECWORD",), "season": ("SEASON",), "quarter": ("QUARTER",), "quarter_q": ("QUARTER",),
    "month": ("MON",), "weekday": ("WD",), "relday": ("REL",), "relunit": ("UNIT", "REL"), "theyear": ("UNIT",),
    "ago": ("UNIT",), "offset": ("UNIT",), "dayrel": ("UNIT", "REL"), "timeago": ("UNIT",), "year": ("NUM4",),
    "yearrange": ("NUM4",), "weekend": ("REL",),
}
_REACH = 64          # no pattern reaches further than this from its trigger


def _windows(hits: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(hits):
        lo, hi = max(0, s - _REACH), min(size, e + _REACH)
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def _find(ctx: _Context) -> list[_Cand]:
    text = ctx.text
    hits = _trigger_hits(text)
    found: list[_Cand] = []
    for pat in _PATTERNS:
        spans = [h for group in _NEEDS[pat.kind] for h in hits.get(group, ())]
        if not spans:
            continue
        for lo, hi in _windows(spans, len(text)):
            for m in pat.regex.finditer(text, lo, hi):
                made = _accept(pat.kind, m, ctx)
                if made:
                    for c in made:
                        c.priority = pat.priority
                    found.extend(made)
    # Longest first, then priority: a full date wins over the year or weekday inside it.
    found.sort(key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    taken = bytearray(len(text) + 1)
    chosen: list[_Cand] = []
    for c in found:
        if taken.find(1, c.start, c.end) != -1:
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\r\n,":
        end -= 1
    return start, end


# One side of a size or resolution, "1920 x 1200", "1680x1050": a measure, not a year.
_DIMENSION_AFTER = re.compile(r"\s*[x×]\s*\d")
_DIMENSION_BEFORE = re.compile(r"\d\s*[x×]\s*$")


def _accept(kind: str, m: re.Match, ctx: _Context) -> list[_Cand]:
    g = m.groupdict()
    start, end = _trim(ctx.text, m.start(), m.end())
    if start >= end:
        return []
    if kind in ("mdy", "dmy"):
        # a month with a day number is a date even where NER calls it a name ("Thu Jun 3" as PERSON)
        year = g.get("year")
        if not year and kind == "dmy" and ctx.word_before(m.start()) in ("of", "than") and \
                not ctx.in_date_entity(m.start("mon"), m.end("mon")):
            return []
    if kind == "month":
        mon = g["mon"]
        s, e = m.start("mon"), m.end("mon")
        if ctx.in_name(s, e):
            return []
        if ctx.tag(ctx.token_at(s)) not in ("NNP", "NNPS") and not ctx.in_date_entity(s, e):
            return []                                   # "March" the verb, "May" the modal
        prev = ctx.word_before(m.start())
        if not g.get("mod") and not ctx.in_date_entity(s, e) and prev not in (
                "in", "since", "by", "until", "till", "from", "through", "throughout", "during", "of",
                "before", "after", "between", "and", "to", "or", "early", "late", "mid", "around",
                "last", "next", "this", "that", "on", "for", "as"):
            return []
        if mon.lower() == "may" and not g.get("mod") and prev in ("and", "or", "to", "as"):
            return []
    if kind == "weekday":
        s, e = m.start("wd"), m.end("wd")
        if ctx.in_name(s, e):
            return []
        prev = ctx.word_before(m.start())
        after = ctx.words_after(e, 2)
        if prev in _NAME_BEFORE_WEEKDAY and not g.get("mod"):
            return []
        if any(after == a or after.startswith(a + " ") for a in _NAME_AFTER_WEEKDAY):
            return []
        if after.startswith("'s ") and ctx.words_after(e, 3).split()[-1:] in (["paper"], ["edition"]):
            return []
    if kind == "relday":
        if ctx.in_name(m.start("w"), m.end("w")):
            return []                                   # BBC Radio 4's Today programme
        if g["w"].lower() == "today" and ctx.words_after(m.end("w"), 1) in ("programme", "show"):
            return []
    if kind == "year":
        s, e = m.start("year"), m.end("year")
        if _DIMENSION_AFTER.match(ctx.text, e) or _DIMENSION_BEFORE.search(ctx.text[max(0, s - 8):s]):
            return []                                   # "a 1920 x 1200 display"
        labels = ctx.ent_labels(s, e)
        if "TIME" in labels or ctx.words_after(e, 1) in _CLOCK_WORDS:
            return []                                   # "1521 GMT", "at 0330 hours"
        if "DATE" not in labels:
            if labels & (_NUMBER_ENTS | _NON_DATE_ENTS):
                return []                               # "2010 barrels", "Windows 2000"
            y = int(g["year"])
            if not (1800 <= y <= 2100):
                return []
            following = ctx.text[e:e + 4]
            possessive = following.startswith("'s") or following.startswith(" 's")
            if not (g.get("part") or possessive or ctx.word_before(m.start()) in _YEAR_CUES):
                return []
            i = ctx.token_at(s) + 1
            if not possessive and i < len(ctx) and ctx.tag(i) == "NNS":
                return []                               # "in 2000 cases", "to 1500 troops"
    if kind == "yearrange":
        y1, raw2 = int(g["y1"]), g["y2"]
        y2 = int(raw2) if len(raw2) == 4 else (y1 // 10 ** len(raw2)) * 10 ** len(raw2) + int(raw2)
        if not (0 < y2 - y1 <= 60) or ctx.in_name(m.start(), m.end()):
            return []
        labels = ctx.ent_labels(m.start(), m.end())
        if "DATE" not in labels and (labels & (_NUMBER_ENTS | _NON_DATE_ENTS) or
                                     ctx.word_before(m.start()) not in _YEAR_CUES | {"the", "a"}):
            return []
        return [_Cand(m.start("y1"), m.end("y1"), "year", {"year": g["y1"]}),
                _Cand(m.start("y2"), m.end("y2"), "year", {"year": str(y2)})]
    if kind == "decade":
        first = _Cand(start, end, "decade", g)
        more = _DECADE_MORE.match(ctx.text, m.end())
        if more:
            return [first, _Cand(more.start("d2"), more.end("d2"), "decade2",
                                 {"d2": more.group("n2"), "century": int(g["dec"]) // 100})]
        return [first]
    if kind == "decade_word":
        if ctx.word_before(m.start()) in ("his", "her", "their", "its", "my", "your", "our"):
            return []
    if kind == "decade2":
        if ctx.word_before(m.start()) in ("his", "her", "their", "its", "my", "your", "our"):
            return []
    if kind == "season":
        if ctx.in_name(m.start("season"), m.end("season")):
            return []
        nxt = ctx.words_after(m.end(), 1)
        if not g.get("year") and nxt in ("session", "term", "school", "camp", "olympics", "games", "collection",
                                         "schedule", "semester", "months", "weather", "solstice"):
            return []
    if kind == "holiday":
        bare = g["hol"].split()[0].lower() in ("christmas", "easter", "thanksgiving", "halloween") and \
            len(g["hol"].split()) == 1
        if bare and not g.get("mod") and not g.get("year") and ctx.word_before(m.start()) not in (
                "at", "on", "by", "before", "after", "until", "till", "since", "over", "for", "during", "around",
                "from", "to", "and", "or", "of", "till", "last", "next", "this"):
            return []
        if bare and ctx.words_after(m.end("hol"), 1) in (
                "tree", "trees", "card", "cards", "island", "present", "presents", "party", "egg", "eggs",
                "shopping", "lights", "market", "markets", "dinner", "carol", "carols", "spirit", "message",
                "rising", "bunny", "turkey", "sales", "film", "number", "song", "songs", "single"):
            return []
    if kind == "relunit":
        d = g["dir"].lower().split()[-1]
        unit = g["unit"].lower()
        prev = ctx.word_before(m.start())
        if d in ("past", "coming"):
            return []                                   # "the past week": a duration, not a date
        if d == "next" and g["dir"].lower().startswith("the") and prev in (
                "over", "for", "within", "during", "throughout", "in", "of", "through"):
            return []
        if d == "last" and prev in ("the",):
            return []
        if g["dir"].lower() in ("last", "next", "this") and unit in ("morning", "afternoon", "evening", "day"):
            return []                                   # "this morning" is relday; "last day" is not a date
        if d in ("last",) and prev in ("over", "for", "during", "within", "throughout", "in") and \
                unit in ("decade",):
            return []
    if kind in ("offset", "ago"):
        unit = g["unit"].lower()
        rel = g["rel"].lower()
        prev = ctx.word_before(m.start())
        if kind == "offset" and rel == "on" and not re.match(r"\s*(?:,|from\b|\.|$)", ctx.text[m.end():m.end() + 8]):
            return []                                   # "two years on" is a date only as a narrative step
        if kind == "offset" and (prev in _DURATION_BEFORE or ctx.text[max(0, m.start() - 9):m.start()].lower().strip()
                                 in ("at least", "at most")):
            return []                                   # "for two years after", "it may be months before"
        if unit.startswith(("hour", "hr", "minute", "min")):
            return []
        if g["n"].lower() in ("a", "an") and not g.get("approx"):
            i = ctx.token_at(m.start("n")) - 1
            if i >= 0 and (ctx.tag(i) in ("NN", "NNS", "CD", "NNP") or ctx.low(i) == "per"):
                return []                               # "25,000 barrels a day before the cap": a rate
    if kind == "weekend":
        start = m.start("w")
    return [_Cand(start, end, kind, g)]


# ---------------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------------

def _count(g: dict) -> int | None:
    raw = re.sub(r"\s+", " ", (g.get("n") or "").lower())
    if raw.isdigit():
        return int(raw)
    if raw in _VAGUE_NUMBERS:
        return None
    return _NUMBERS.get(raw)


def _unit(raw: str) -> str:
    u = raw.lower()
    for name in ("day", "week", "fortnight", "month", "year", "decade", "hour", "hr", "minute", "min"):
        if u.startswith(name):
            return name
    return u


def _deictic_day(c: _Cand) -> bool:
    """A day counted from the moment of speaking: "today", "yesterday", "this afternoon"."""
    return c.status == "resolved" and c.precision == "day" and (
        c.kind == "relday" or (c.kind == "relunit" and c.groups["unit"].lower() in ("morning", "afternoon",
                                                                                   "evening", "night")))


def _quoted(c: _Cand, ctx: _Context) -> bool:
    if ctx.quotes is None:
        ctx.quotes = find_quotes(ctx.text)
    k = bisect_right(ctx.quotes, (c.start, float("inf"))) - 1
    return k >= 0 and ctx.quotes[k][0] <= c.start and c.end <= ctx.quotes[k][1]


def _set(c: _Cand, precision: str, point, anchor: str, note: str | None = None) -> None:
    c.precision, c.point = precision, point
    c.value = _fmt(precision, point)
    c.status, c.anchor = "resolved", anchor
    c.note = note


def _unresolved(c: _Cand, note: str, anchor: str = "none") -> None:
    c.value = c.precision = None
    c.status, c.anchor, c.note = "unresolved", anchor, note


def _needs(c: _Cand, pub: Anchor, unit: str) -> bool:
    """True when the publication date is fine enough for a relative expression in ``unit``."""
    need = {"day": "day", "week": "day", "month": "month", "quarter": "month", "season": "month",
            "year": "year", "decade": "year"}[unit]
    if pub.precision is None:
        _unresolved(c, f"relative date without a publication date ({pub.note})")
        return False
    if _RANK[pub.precision] > _RANK[need]:
        _unresolved(c, f"needs the publication {need}; the publication date is only known to the "
                       f"{pub.precision} ({pub.describe()})")
        return False
    return True


def _pick_year(month: int, day: int | None, pub: Anchor, tense: str | None,
               weekday: int | None = None, make: Callable[[int], dt.date] | None = None) -> tuple[int | None, str]:
    """Year for a day-month (or a month) written without one.

    The candidate nearest the publication date wins (publication year or a neighbour), except:
    a day-month more than a month away from publication follows the tense of its sentence (a
    past-tense "on December 28" in a June article is last December); a bare month after the
    publication month in a past-tense sentence is last year's. A weekday written with the date
    that fits a single candidate decides. ``make(year)`` gives the day for dates that move
    (holidays: Easter, Thanksgiving).
    """
    if pub.precision == "year":
        return pub.year, f"year taken from the publication year {pub.year}"
    ref = pub.day if pub.precision == "day" else dt.date(pub.year, pub.month, 15)
    options = []
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            d = make(y) if make else dt.date(y, month, day or 15)
        except ValueError:
            continue                                  # 29 February
        if weekday is not None and day and d.weekday() != weekday:
            continue
        options.append((d, y))
    if not options:
        return None, "no year fits the weekday given with it"
    if len(options) == 1 and weekday is not None:
        return options[0][1], "year chosen by the weekday written with it"
    nearest = min(options, key=lambda o: abs((o[0] - ref).days))
    if day or make:
        if abs((nearest[0] - ref).days) > 31:
            before = [o for o in options if o[0] <= ref]
            after = [o for o in options if o[0] >= ref]
            if tense == "past" and nearest[0] > ref and before:
                return max(before)[1], "year from the publication date (past tense: the last such date before it)"
            if tense == "future" and nearest[0] < ref and after:
                return min(after)[1], "year from the publication date (future tense: the next such date after it)"
    elif tense == "past" and (nearest[1], month) > (ref.year, ref.month):
        return nearest[1] - 1, "year from the publication date (past tense: the last such month)"
    return nearest[1], "year from the publication date (nearest)"


def _resolve_absolute(c: _Cand, ctx: _Context, pub: Anchor) -> None:
    g = c.groups
    kind = c.kind
    if kind == "iso":
        try:
            _set(c, "day", dt.date(int(g["year"]), int(g["m"]), int(g["d"])), "absolute")
        except ValueError:
            c.drop = True
        return
    if kind == "numeric":
        a, b, y = int(g["a"]), int(g["b"]), g["y"]
        year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 70 else 1900 + int(y))
        if g["sep"] == ".":
            day, month = a, b                          # dotted dates are day-first everywhere
        elif a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        elif a == b:
            day = month = a
        else:
            if not (1 <= a <= 12 and 1 <= b <= 12):
                c.drop = True
                return
            _unresolved(c, "ambiguous numeric date: day/month order unknown")
            return
        try:
            _set(c, "day", dt.date(year, month, day), "absolute")
        except ValueError:
            c.drop = True
        return
    if kind in ("mdy", "dmy"):
        month = _MONTH_NUM[g["mon"].rstrip(".").lower()]
        day = int(g["day"])
        wd = _WEEKDAY_NUM.get(g["wd"].rstrip(".").lower()) if g.get("wd") else None
        if g.get("year"):
            try:
                d = dt.date(int(g["year"]), month, day)
            except ValueError:
                c.drop = True
                return
            _set(c, "day", d, "absolute")
            if wd is not None and d.weekday() != wd:
                c.note = f"the weekday written ({g['wd']}) does not match {d.isoformat()}"
            return
        if pub.precision is None:
            _unresolved(c, f"day and month without a year, and no publication date ({pub.note})")
            return
        try:
            dt.date(2000, month, day)                  # 2000 is a leap year: 29 February exists
        except ValueError:
            c.drop = True
            return
        year, note = _pick_year(month, day, pub, ctx.tense(c.start, c.end), wd)
        if year is None:
            _unresolved(c, note, "published")
            return
        try:
            _set(c, "day", dt.date(year, month, day), "published", note)
        except ValueError:
            _unresolved(c, f"{day} {g['mon']} does not exist in {year}", "published")
        return
    if kind == "my":
        _set(c, "month", (int(g["year"]), _MONTH_NUM[g["mon"].rstrip(".").lower()]), "absolute")
        return
    if kind == "year":
        _set(c, "year", int(g["year"]), "absolute")
        return
    if kind == "decade":
        _set(c, "decade", int(g["dec"]), "absolute")
        return
    if kind == "decade2":
        century = g.get("century") or 19
        _set(c, "decade", century * 100 + int(g["d2"]), "absolute",
             None if g.get("century") else "two-digit decade read as the 20th century")
        return
    if kind == "decade_word":
        w = g["dw"].lower()
        if w == "noughties":
            _set(c, "decade", 2000, "absolute")
        else:
            _set(c, "decade", 1900 + _DECADE_WORDS[w], "absolute", "decade word read as the 20th century")
        return
    if kind == "month":
        month = _MONTH_NUM[g["mon"].rstrip(".").lower()]
        mod = (g.get("mod") or "").lower()
        if pub.precision is None:
            _unresolved(c, f"month without a year, and no publication date ({pub.note})")
            return
        if pub.precision == "year":
            if mod in ("last", "next"):
                _unresolved(c, f"'{mod} {g['mon']}' needs the publication month; only the year is known")
                return
            _set(c, "month", (pub.year, month), "published", f"year taken from the publication year {pub.year}")
            return
        pm = pub.year * 12 + pub.month - 1
        if mod == "last":
            k = pm - ((pm % 12) - (month - 1)) % 12
            if k == pm:
                k -= 12
            _set(c, "month", (k // 12, k % 12 + 1), "published", "last such month before publication")
            return
        if mod == "next":
            k = pm + ((month - 1) - (pm % 12)) % 12
            if k == pm:
                k += 12
            _set(c, "month", (k // 12, k % 12 + 1), "published", "next such month after publication")
            return
        if mod == "this":
            _set(c, "month", (pub.year, month), "published", "month in the publication year")
            return
        year, note = _pick_year(month, None, pub, ctx.tense(c.start, c.end))
        _set(c, "month", (year, month), "published", note)
        return
    if kind == "holiday":
        name = re.sub(r"\s+", " ", g["hol"].lower())
        key = _HOLIDAYS.get(name)
        if key is None:
            c.drop = True
            return
        if g.get("year"):
            _set(c, "day", _holiday(key, int(g["year"])), "absolute")
            return
        if not _needs(c, pub, "day" if pub.precision != "year" else "year"):
            return
        if pub.precision != "day":
            _unresolved(c, "holiday without a year needs the publication day")
            return
        mod = (g.get("mod") or "").lower()
        if mod == "last":
            d = max(x for x in (_holiday(key, y) for y in (pub.year - 1, pub.year)) if x < pub.day)
        elif mod == "next":
            d = min(x for x in (_holiday(key, y) for y in (pub.year, pub.year + 1)) if x > pub.day)
        elif mod == "this":
            d = _holiday(key, pub.year)
        else:
            year, _ = _pick_year(0, None, pub, ctx.tense(c.start, c.end), make=lambda y: _holiday(key, y))
            d = _holiday(key, year)
        _set(c, "day", d, "published", "holiday resolved against the publication date")
        return
    raise KeyError(kind)


def _resolve_published(c: _Cand, ctx: _Context, pub: Anchor) -> None:
    """Expressions whose only anchor is the publication date."""
    g = c.groups
    kind = c.kind
    if kind == "weekday":
        if not _needs(c, pub, "day"):
            return
        wd = _WEEKDAY_NUM[g["wd"].lower()]
        mod = (g.get("mod") or "").lower().split()
        mod = mod[0] if mod else ""
        back = (pub.day.weekday() - wd) % 7
        fwd = (wd - pub.day.weekday()) % 7
        if mod in ("last", "past"):
            d = pub.day - dt.timedelta(days=back or 7)
            note = "last such weekday before publication"
        elif mod in ("next", "coming"):
            d = pub.day + dt.timedelta(days=fwd or 7)
            note = "next such weekday after publication"
        else:
            tense = ctx.tense(c.start, c.end)
            if tense == "future":
                d = pub.day + dt.timedelta(days=fwd)
                note = "future tense: next such weekday on or after publication"
            else:
                d = pub.day - dt.timedelta(days=back)
                note = ("past tense: most recent such weekday on or before publication" if tense == "past"
                        else "most recent such weekday on or before publication (news reports the past)")
        _set(c, "day", d, "published", note)
        return
    if kind == "relday":
        w = re.sub(r"\s+", " ", g["w"].lower())
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1,
                 "the day before yesterday": -2, "the day after tomorrow": 2}.get(w, 0)
        if not _needs(c, pub, "day"):
            return
        _set(c, "day", pub.day + dt.timedelta(days=shift), "published")
        return
    if kind == "relunit":
        d = g["dir"].lower().split()[-1]
        unit = g["unit"].lower()
        if d in ("previous", "following", "next", "preceding", "that", "same") and \
                (d != "next" or g["dir"].lower().startswith("the")):
            c.kind = "narrative"
            return
        step = {"this": 0, "last": -1, "next": 1}[d]
        if unit in ("morning", "afternoon", "evening", "night"):
            if _needs(c, pub, "day"):                   # "next morning", "this night"
                _set(c, "day", pub.day + dt.timedelta(days=step), "published")
            return
        note = None
        if unit in ("week", "weekend"):
            if not _needs(c, pub, "day"):
                return
            base = pub.day + dt.timedelta(days=7 * step)
            if unit == "weekend":
                # the Saturday of that week (ISO weeks run Monday–Sunday)
                base = base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=5)
                note = "weekend given as its ISO week"
            _set(c, "week", base, "published", note)
        elif unit == "month":
            if not _needs(c, pub, "month"):
                return
            _set(c, "month", _add_months(pub.year, pub.month, step), "published")
        elif unit == "quarter":
            if not _needs(c, pub, "month"):
                return
            q = (pub.year * 4 + (pub.month - 1) // 3) + step
            _set(c, "quarter", (q // 4, q % 4 + 1), "published")
        elif unit == "year":
            if not _needs(c, pub, "year"):
                return
            _set(c, "year", pub.year + step, "published")
        elif unit == "decade":
            if not _needs(c, pub, "year"):
                return
            _set(c, "decade", (pub.year // 10 + step) * 10, "published")
        else:
            c.drop = True
        return
    if kind == "theyear":
        unit = g["unit"].lower().split()[-1]
        if not _needs(c, pub, {"year": "year", "month": "month", "week": "day"}[unit]):
            return
        if unit == "year":
            _set(c, "year", pub.year, "published", "'the year' read as the publication year")
        elif unit == "month":
            _set(c, "month", (pub.year, pub.month), "published", "'the month' read as the publication month")
        else:
            _set(c, "week", pub.day, "published", "'the week' read as the publication week")
        return
    if kind == "ago":
        n = _count(g)
        unit = _unit(g["unit"])
        if n is None:
            _unresolved(c, f"vague count ({g['n']}) of {unit}s")
            return
        sign = 1 if g["rel"].lower().startswith("from") else -1
        approx = " (approximate)" if g.get("approx") else None
        if unit == "fortnight":
            unit, n = "week", 2 * n
        if unit == "decade":
            unit, n = "year", 10 * n
            approx = "decades counted as years (approximate)"
        if not _needs(c, pub, unit):
            return
        if unit == "day":
            _set(c, "day", pub.day + dt.timedelta(days=sign * n), "published", approx)
        elif unit == "week":
            _set(c, "week", pub.day + dt.timedelta(days=sign * 7 * n), "published", approx)
        elif unit == "month":
            _set(c, "month", _add_months(pub.year, pub.month, sign * n), "published", approx)
        elif unit == "year":
            _set(c, "year", pub.year + sign * n, "published", approx)
        return
    if kind == "monthrel":
        month = _MONTH_NUM[g["mon"].rstrip(".").lower()]
        day = g.get("day1") or g.get("day2")
        d = g["dir"].lower().split()[-1]
        if d not in ("this", "last", "next"):
            c.kind = "monthrel_n"                      # "June of that year": the story's year
            return
        if not _needs(c, pub, "year"):
            return
        _set_month_day(c, pub.year + {"this": 0, "last": -1, "next": 1}[d], month, day, "published")
        return
    if kind == "weekend":
        if not _needs(c, pub, "day"):
            return
        tense = ctx.tense(c.start, c.end)
        wd = pub.day.weekday()
        if wd >= 5:
            sat = pub.day - dt.timedelta(days=wd - 5)            # published at the weekend: that one
        elif tense == "future":
            sat = pub.day + dt.timedelta(days=5 - wd)
        else:
            sat = pub.day - dt.timedelta(days=wd + 2)
        _set(c, "week", sat, "published", "the weekend nearest publication in the tense of the sentence "
                                          "(ISO week of its Saturday)")
        return
    if kind == "timeago":
        n = _count(g)
        if not _needs(c, pub, "day"):
            return
        if n is None:
            _unresolved(c, f"vague count ({g['n']})")
            return
        if pub.time is None:
            _unresolved(c, "hours before publication: the day needs the publication time", "published")
            return
        minutes = n * (60 if _unit(g["unit"]) in ("hour", "hr") else 1)
        when = dt.datetime.combine(pub.day, pub.time) - dt.timedelta(minutes=minutes)
        _set(c, "day", when.date(), "published", "from the publication time")
        return
    if kind == "season":
        season = _SEASONS[g["season"].lower()]
        mod = (g.get("mod") or "").lower()
        if g.get("year"):
            _set(c, "season", (int(g["year"]), season), "absolute")
            return
        if mod not in ("last", "next", "this"):
            c.drop = True                               # "in the summer", "early spring": no anchor of its own
            return
        if not _needs(c, pub, "season"):
            return
        _set(c, "season", _season_relative(pub, season, mod), "published",
             "northern-hemisphere season")
        return
    if kind in ("quarter", "quarter_q"):
        ordinal = g["ord"].lower()
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}.get(ordinal)
        if ordinal.startswith("q"):
            q = int(ordinal[1])
        year = g.get("year")
        if year:
            y = int(year.lstrip("'"))
            y = y if y > 100 else 2000 + y
            _set(c, "quarter", (y, q), "absolute",
                 "fiscal year quarter (calendar quarters assumed)" if g.get("fy") else None)
            return
        c.drop = True                                   # "the fourth quarter" alone: sport as often as a date
        return
    raise KeyError(kind)


def _set_month_day(c: _Cand, year: int, month: int, day: str | None, anchor: str, note: str | None = None) -> None:
    if day:
        try:
            _set(c, "day", dt.date(year, month, int(day)), anchor, note)
        except ValueError:
            c.drop = True
    else:
        _set(c, "month", (year, month), anchor, note)


def _year_of(c: _Cand) -> int | None:
    p, pt = c.precision, c.point
    if p in ("day", "week"):
        return pt.year
    if p in ("month", "quarter", "season"):
        return pt[0]
    if p == "year":
        return pt
    return None


def _season_relative(pub: Anchor, season: str, mod: str) -> tuple[int, str]:
    """'this/last/next summer' against the publication month (winter Y runs Dec Y – Feb Y+1)."""
    order = ["SP", "SU", "FA", "WI"]
    month = pub.month
    now = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(month, "FA")
    now_year = pub.year - 1 if month in (1, 2) else pub.year
    k_now = now_year * 4 + order.index(now)
    base = now_year * 4 + order.index(season)
    ks = [base - 4, base, base + 4]
    if mod == "last":
        k = max(x for x in ks if x < k_now)
    elif mod == "next":
        k = min(x for x in ks if x > k_now)
    else:                                            # "this summer": the one of the publication year
        return (now_year if season == "WI" and month in (1, 2, 12) else pub.year), season
    return k // 4, order[k % 4]


# ---------------------------------------------------------------------------------------------
# Anchoring on events and on the narrative
# ---------------------------------------------------------------------------------------------

_STOP = set("""a an the of to in on at by for with from and or but as is was were be been being are has have had
it its this that these those he she they them his her their we our you your i me my after before later earlier
than then there here which who whom whose what when where while about into over under up down out off again
further once said says say told tells according also not no nor only own same so too very can will just should
would could may might must shall do does did doing day days week weeks month months year years ago since until
more most some such other another any each few both all many much one two three four five six seven eight nine
ten first second last next""".split())


def _stem(word: str) -> str:
    w = word.lower()
    return w[:5] if len(w) > 5 else w


def _content_stems(ctx: _Context, start: int, end: int, exclude: tuple[int, int] | None = None) -> set[str]:
    out = set()
    starts = ctx.tok_starts
    for i in ctx.tokens_between(start, end):
        if exclude and exclude[0] <= starts[i] < exclude[1]:
            continue
        low = ctx.low(i)
        if len(low) < 3 or low in _STOP or not low.isalpha():
            continue
        if ctx.tag(i)[:2] in ("NN", "VB", "JJ"):
            out.add(_stem(low))
    return out


def _shift(anchor: _Cand, unit: str, n: int, approx: bool = False) -> tuple[str, object] | None:
    """The anchor moved by n units, at the precision that keeps it honest; None if too coarse.

    Exact counts of days or weeks from a day give a day; of months, a month; of years, a year.
    An approximate count ("nearly three weeks") gives the week (days, weeks) at best.
    """
    p = anchor.precision
    pt = anchor.point
    if unit == "fortnight":
        unit, n = "week", 2 * n
    if unit == "decade":
        unit, n = "year", 10 * n
    if unit in ("day", "week"):
        if p == "day":
            moved = pt + dt.timedelta(days=n * (7 if unit == "week" else 1))
            return ("week" if approx or (unit == "week" and n == 0) else "day"), moved
        if p == "week" and unit == "week":
            return "week", pt + dt.timedelta(days=7 * n)
        return None
    if unit == "month":
        if p == "day":
            return "month", _add_months(pt.year, pt.month, n)
        if p == "month":
            return "month", _add_months(pt[0], pt[1], n)
        return None
    if unit == "year":
        if p == "day":
            return "year", pt.year + n
        if p in ("month", "quarter", "season"):
            return "year", pt[0] + n
        if p == "year":
            return "year", pt + n
        return None
    return None


_APPROXIMATE = {"about", "around", "roughly", "nearly", "almost", "some", "more than", "over", "less than", "barely"}


def _plausible(c: _Cand, ctx: _Context, pub: Anchor, precision: str, point, slack: int = 0) -> bool:
    """An anchored date after publication is only plausible in a future-tense sentence."""
    if pub.precision != "day":
        return True
    rng = date_range(_fmt(precision, point), precision)
    if rng is None or rng[0] <= pub.day + dt.timedelta(days=slack):
        return True
    return ctx.tense(c.start, c.end) == "future"


def _try_anchors(c: _Cand, ctx: _Context, pub: Anchor, anchors, unit: str, n: int, approx: bool) -> bool:
    """Resolve ``c`` on the first anchor giving a plausible date; False (and a note) if none does."""
    reason = None
    for anchor, how in anchors:
        moved = _shift(anchor, unit, n, approx)
        if moved is None:
            reason = reason or f"anchor '{anchor.text}' is only known to the {anchor.precision}"
            continue
        if not _plausible(c, ctx, pub, *moved, slack=7 if approx else 0):
            reason = reason or f"anchored on '{anchor.text}' it would fall after publication"
            continue
        if n:
            count = f"{'about ' if approx else ''}{abs(n)} {unit}{'s' if abs(n) != 1 else ''} " \
                    f"{'after' if n > 0 else 'before'}"
        else:
            count = f"same {unit} as"
        _set(c, moved[0], moved[1], "event", f"{count} {how}'{anchor.text}'")
        return True
    if reason:
        _unresolved(c, reason, "event")
    return False


def _resolve_offset(c: _Cand, ctx: _Context, resolved: list[_Cand], pub: Anchor) -> None:
    g = c.groups
    n = _count(g)
    unit = _unit(g["unit"])
    rel = g["rel"].lower()
    if n is None:
        _unresolved(c, f"vague count ({g['n']}) of {unit}s")
        return
    approx = re.sub(r"\s+", " ", (g.get("approx") or "").lower()) in _APPROXIMATE
    sign = -1 if rel in ("earlier", "before", "previously") or rel.startswith("prior") else 1
    text = ctx.text
    if rel in ("after", "before") or rel.startswith("prior"):
        _anchor_on_event(c, ctx, pub, resolved, _clause_end(text, c.end), unit, sign * n, approx)
        return
    # "two days later", "a year earlier": the narrative's last date
    prior = _narrative_anchor(ctx, c, resolved)
    if prior is None:
        _unresolved(c, "relative to an earlier event, and no date precedes it nearby", "event")
        return
    _try_anchors(c, ctx, pub, [(prior, "")], unit, sign * n, approx)


_CLAUSE_END = re.compile(r"[,;:!?()\"“”]|\.(?=\s+[A-Z\"“`']|\s*$)|\s-\s|\s--\s|''|``")


def _clause_end(text: str, start: int) -> int:
    """End of the clause that starts at ``start`` (a full stop ends it; "Nov." and "U.S." do not)."""
    m = _CLAUSE_END.search(text, start, min(len(text), start + 120))
    return m.start() if m else min(len(text), start + 120)


def _token_window(ctx: _Context, r: _Cand, exclude: _Cand | None, width: int = 8) -> tuple[int, int]:
    """Characters of the ``width`` tokens either side of ``r`` in its sentence, not reaching into ``exclude``."""
    si = ctx.sentences.of(r.start)
    sent_lo, sent_hi = (ctx.sentences.sentences[si].start, ctx.sentences.sentences[si].end) if si >= 0 \
        else (0, len(ctx.text))
    starts = ctx.tok_starts
    first = ctx.token_at(r.start)
    last = max(first, bisect_left(starts, r.end) - 1)
    lo = starts[max(0, first - width)]
    hi_tok = min(len(starts) - 1, last + width)
    hi = ctx.tok_end(hi_tok)
    lo, hi = max(lo, sent_lo), min(hi, sent_hi)
    if exclude is None:
        return lo, hi
    if r.start < exclude.start:
        hi = min(hi, exclude.start)
    else:
        lo = max(lo, exclude.end)
    return lo, hi


def _window_stems(ctx: _Context, r: _Cand, c: _Cand) -> set[str]:
    """Content stems near ``r`` (cached per expression unless ``c`` itself falls in the window)."""
    cached = ctx.window_cache.get(id(r))
    if cached is None:
        lo, hi = _token_window(ctx, r, None)
        cached = ctx.window_cache[id(r)] = (lo, hi, _content_stems(ctx, lo, hi, (r.start, r.end)))
    lo, hi, stems = cached
    if c.start < hi and lo < c.end:
        lo, hi = _token_window(ctx, r, c)
        return _content_stems(ctx, lo, hi, (r.start, r.end))
    return stems


def _reported_on(ctx: _Context, r: _Cand) -> bool:
    """True for the date of a report rather than of an event: "said on Sunday", "told reporters Monday"."""
    words = re.findall(r"[\w']+", ctx.text[max(0, r.start - 40):r.start].lower())[-3:]
    while words and words[-1] in ("on", "late", "early", "reporters", "journalists", "the", "bbc", "cnn"):
        words.pop()
    return bool(words) and words[-1] in _REPORT_VERBS


def _best_events(ctx: _Context, c: _Cand, stems: set[str], resolved: list[_Cand]) -> list[_Cand]:
    """Dated expressions, best first, whose nearby words best match the event words.

    A match needs an event word within eight tokens of the date, in its sentence. Words that occur
    all over the article ("oil" in a story about a spill) count half; the total must reach 1.
    """
    if not stems:
        return []
    spread = ctx.stem_spread()
    weights = {st: (1.0 if spread.get(st, 0) <= 3 else 0.5) for st in stems}
    ranked = []
    for r in resolved:
        if r is c or r.status != "resolved" or r.anchor == "event" or r.precision == "decade":
            continue
        if _reported_on(ctx, r) or r.kind == "relday":
            continue                                    # the day of a report, or "today": not an event's date
        shared = stems & _window_stems(ctx, r, c)
        score = sum(weights[st] for st in shared)
        if score < 1:
            continue
        ranked.append(((score, r.anchor == "absolute", r.start < c.start, -abs(r.start - c.start)), r.start, r))
    ranked.sort(key=lambda x: x[:2], reverse=True)
    return [r for _, _, r in ranked]



def _anchor_on_event(c, ctx, pub, resolved, event_end: int, unit: str, shift: int, approx: bool) -> None:
    """Resolve "N units after/before <event>" on a date written in the event phrase ("two days after
    Nov. 27", "days before the April 20 blast"), else on a dated mention of the same event elsewhere."""
    inside = [(r, "") for r in resolved if c.end <= r.start < event_end][:1]
    if inside and inside[0][0].status != "resolved":
        _unresolved(c, f"anchored on '{inside[0][0].text}', which is itself unresolved", "event")
        return
    events = [(r, "the event dated by ") for r in
              _best_events(ctx, c, _content_stems(ctx, c.end, event_end), resolved)]
    if not _try_anchors(c, ctx, pub, inside + events, unit, shift, approx) and c.note is None:
        _unresolved(c, f"anchor event '{ctx.text[c.end:event_end].strip()[:60]}' has no date in the article",
                    "event")


def _narrative_anchor(ctx: _Context, c: _Cand, resolved: list[_Cand]) -> _Cand | None:
    si = ctx.sentences.of(c.start)
    for r in reversed(resolved):
        if r.start >= c.start or r.status != "resolved":
            continue
        if si - ctx.sentences.of(r.start) > 2:
            return None
        if r.precision == "decade":
            continue
        return r
    return None


def _resolve_month_of_that_year(c: _Cand, ctx: _Context, resolved: list[_Cand]) -> None:
    g = c.groups
    prior = _narrative_anchor(ctx, c, resolved)
    year = _year_of(prior) if prior is not None else None
    if year is None:
        _unresolved(c, "month of a year named earlier in the story, and none precedes it nearby", "event")
        return
    d = g["dir"].lower().split()[-1]
    shift = {"following": 1, "next": 1, "previous": -1, "preceding": -1}.get(d, 0)
    _set_month_day(c, year + shift, _MONTH_NUM[g["mon"].rstrip(".").lower()], g.get("day1") or g.get("day2"),
                   "event", f"year from '{prior.text}'")


def _resolve_narrative(c: _Cand, ctx: _Context, resolved: list[_Cand], pub: Anchor) -> None:
    """ "the day after <event>", "the next day", "that year", "the previous week" … """
    g = c.groups
    if g.get("w"):                                       # dayrel
        w = re.sub(r"\s+", " ", g["w"].lower())
        unit, n = "day", {"the day before": -1, "the day after": 1, "the eve of": -1}.get(w, 0)
    else:
        d = g["dir"].lower().split()[-1]
        unit = g["unit"].lower()
        n = {"previous": -1, "preceding": -1, "following": 1, "next": 1, "that": 0, "same": 0}[d]
        if unit in ("morning", "afternoon", "evening", "night"):
            unit = "day"
        if unit == "weekend":
            unit = "week"
    if unit in ("quarter", "decade"):
        _unresolved(c, f"'{c.text}': a {unit} relative to an earlier date is not shifted", "event")
        return
    if c.kind == "dayrel" and n != 0 and re.match(r"\s*[\w$£€]", ctx.text[c.end:c.end + 3]):
        # "the day after the attack": the event follows and must be dated somewhere
        _anchor_on_event(c, ctx, pub, resolved, _clause_end(ctx.text, c.end), unit, n, False)
        return
    prior = _narrative_anchor(ctx, c, resolved)
    if prior is None:
        _unresolved(c, "relative to an earlier date in the story, and none precedes it nearby", "event")
        return
    _try_anchors(c, ctx, pub, [(prior, "")], unit, n, unit == "week")


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------

_ABSOLUTE_KINDS = {"iso", "numeric", "mdy", "dmy", "my", "year", "decade", "decade2", "decade_word", "month",
                   "holiday"}
_PUBLISHED_KINDS = {"monthrel", "weekend", "weekday", "relday", "relunit", "theyear", "ago", "timeago", "season",
                    "quarter", "quarter_q"}
_ANCHORED_KINDS = {"offset", "dayrel", "narrative", "monthrel_n"}


def extract_dates(doc, published: str | None, published_precision: str | None,
                  sentences: SentenceIndex) -> list[DateExpr]:
    """Every date expression of a parsed article, normalised against its publication date.

    ``published``: ISO date or datetime ("2024-11-29", "2021-07-31T09:45:00-07:00"), "2024-11" or
    "2024" (with ``published_precision`` month / year), or None. See the module docstring for
    the rules.
    """
    pub = parse_anchor(published, published_precision)
    ctx = _Context(doc, sentences)
    cands = _find(ctx)
    for c in cands:
        c.text = ctx.text[c.start:c.end]
        try:
            if c.kind in _ABSOLUTE_KINDS:
                _resolve_absolute(c, ctx, pub)
            elif c.kind in _PUBLISHED_KINDS:
                _resolve_published(c, ctx, pub)
                if _deictic_day(c) and _quoted(c, ctx):
                    _unresolved(c, "said inside a quotation: it counts from the day it was said, "
                                   "which the article does not give", "published")
        except OverflowError:
            _unresolved(c, "outside the calendar Python can represent (years 1–9999)")
    # Second pass, in reading order: expressions anchored on other dates of the article.
    done: list[_Cand] = [c for c in cands if c.kind not in _ANCHORED_KINDS and not c.drop]
    done_sorted = sorted(done, key=lambda c: c.start)
    for c in cands:
        if c.drop or c.kind not in _ANCHORED_KINDS:
            continue
        try:
            if c.kind == "offset":
                _resolve_offset(c, ctx, done_sorted, pub)
            elif c.kind == "monthrel_n":
                _resolve_month_of_that_year(c, ctx, done_sorted)
            else:
                _resolve_narrative(c, ctx, done_sorted, pub)
        except OverflowError:
            _unresolved(c, "outside the calendar Python can represent (years 1–9999)", "event")
        # later anchored expressions may chain on this one ("the next day ... two days later")
        done_sorted.append(c)
        done_sorted.sort(key=lambda x: x.start)
    out = []
    for c in cands:
        if c.drop:
            continue
        out.append(DateExpr(start=c.start, end=c.end, text=c.text, value=c.value, precision=c.precision,
                            status=c.status, anchor=c.anchor, sentence=sentences.of(c.start), note=c.note))
    return out

"""Quantities in an article: counts, amounts, percentages, money and measures, with their bounds.

``extract_quantities(doc, sentences)`` scans the tagged tokens once (no parser, no dateparser) and
returns one :class:`Quantity` per expression. Every value becomes an inclusive interval
``[low, high]`` (``None`` = unbounded) so that reports from different sources can be compared.

The rules, and the choices behind them:

Numbers
    Digits ("327", "1,000", "3.5", "1.5bn", "10–20"), digits with a scale word ("2.5 million",
    "40 thousand"; "m"/"k"/"b" only after a currency sign, since "5 m" is also five metres) and
    number words ("two", "seventy-five", "two hundred and fifty", "a dozen", "half a million").
    "one" counts only when it directly counts a noun ("one soldier"), not in "one of", "no one",
    "the one".

Vague amounts (approximate=True)
    dozens [24, 99] · tens [20, 99] · scores [40, 199] · hundreds [200, 999] ·
    thousands [2000, 9999] · millions / billions likewise; "X of Y" multiplies
    ("tens of thousands" [20000, 99999], "hundreds of thousands" [200000, 999999]).
    a couple (of) [2, 3] · a few [2, 5] · a handful (of) [2, 6] · several [3, 9];
    with a scale word they multiply ("several hundred" [300, 900], "a few dozen" [24, 60]).

Modifiers (N is the number; "count" = a whole number of things, "measure" = a percentage,
money, a unit of length/weight/volume/area/time or any non-integer value)
    at least / no fewer than / no less than / a minimum of / upwards of ....... [N, None]
    more than / over / above / in excess of / exceeding / greater than ..........
        counts: [N+1, None] (inclusive integer rule: "more than 100 people" = at least 101);
        measures: [N, None] (an open bound cannot be written inclusively; the error is below
        the unit's resolution)
    fewer than / less than / under / below ...... counts [None, N-1]; measures [None, N]
    up to / as many as / as much as / at most / no more than / a maximum of ..... [None, N]
    nearly / almost / close to / just under / approaching (below, approximate) .. [0.9N, N-1]
        (measures: [0.9N, N])
    about / around / some / approximately / roughly / an estimated / circa / or so (± 10 %,
    approximate) .............................................................. [0.9N, 1.1N]
        (whole numbers are rounded to whole bounds)
    just over / slightly more than (approximate) ............................. [N+1, 1.1N]
    N or more / N+ / N-plus ................................................... [N, None]
    N or fewer / N or less ..................................................... [None, N]
    between A and B / from A to B / A to B / A-B / A–B / A or B ............... [A, B]
    On a vague amount a bound keeps the vague range's own end: "more than a dozen" is [13, None]
    (a dozen is exact), "at least hundreds" [200, None], "up to thousands" [None, 9999].

Counted noun
    The first noun after the number, skipping adjectives, participles, hyphens and adverbs
    ("over 15 villages", "5 Israeli soldiers", "13-year"); in a compound the first plural noun
    is the head ("3 police officers" → "officers"); "of (the)" is crossed when no noun follows
    directly ("dozens of towns and villages" → "towns", "two of the hostages" → "hostages").
    Percentages take "percent", money the currency ("dollars", "euros", ...), measures the unit
    ("100 kilometers" → "kilometers"). A singular proper noun is not a counted noun. The span
    ``text`` runs from the modifier (or currency sign) to the noun.

Not quantities
    Years and calendar dates (a number inside a spaCy DATE entity that names a month, weekday,
    year or decade, or "... ago"; a number next to a month name; a year-like 1800–2100 without
    a comma unless it counts a plural noun and is not introduced by "in"/"since"/"the"/...),
    ordinals ("first", "27th"), clock times ("10:30", "3 pm"), phone-like digit groups, numbers
    inside URLs, votes and scores ("voted 60-48": a falling A-B), ratios ("one in five"),
    identifiers ("F-16",
    "COVID-19", "Resolution 2254", "phase 2", "No. 10"). A number with no counted noun is still
    a quantity (noun None: "killed 5", "Pedro Rosales, 47,"), except a bare "one" or a vague
    quantifier ("several said").
    Durations are kept: "13-year", "eight years", "more than 13 months" are quantities whose noun
    is the time unit (they are DATE entities to spaCy, but sources dispute them like counts).
"""

from __future__ import annotations

import re

from .types import Quantity

__all__ = ["extract_quantities", "CURRENCY_NOUNS"]

# ---------------------------------------------------------------------------------------------
# Vocabularies

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_DOZEN = {"dozen": 12}
# Scale suffixes glued to digits or standing after them ("1.5bn", "5 m").
_SUFFIX_SCALES = {"bn": 1e9, "b": 1e9, "billion": 1e9, "mn": 1e6, "m": 1e6, "mln": 1e6,
                  "million": 1e6, "k": 1e3, "thousand": 1e3, "tn": 1e12, "trn": 1e12,
                  "trillion": 1e12, "hundred": 100}
_AMBIGUOUS_SUFFIX = {"m", "b", "k"}   # only a scale after a currency sign

# Plural vague words: (low multiplier, high multiplier, scale) → [low*scale, high].
_VAGUE_PLURALS = {
    "dozens": (24, 99), "tens": (20, 99), "scores": (40, 199), "hundreds": (200, 999),
    "thousands": (2_000, 9_999), "millions": (2_000_000, 999_999_999),
    "billions": (2_000_000_000, 999_999_999_999),
}
_VAGUE_CHAIN = {"thousands": 1_000, "millions": 1_000_000, "billions": 1_000_000_000}
# Vague quantifiers: (tokens, low, high); a following scale word multiplies both ends.
_VAGUE_QUANTIFIERS = [
    (("a", "couple", "of"), 2, 3), (("a", "couple"), 2, 3), (("a", "few"), 2, 5),
    (("a", "handful", "of"), 2, 6), (("a", "handful"), 2, 6), (("several",), 3, 9),
]

_CURRENCY_SIGNS = {"$": "dollars", "us$": "dollars", "c$": "dollars", "a$": "dollars",
                   "€": "euros", "£": "pounds", "¥": "yen", "₹": "rupees", "₴": "hryvnias",
                   "₽": "roubles", "₺": "lira", "₪": "shekels", "usd": "dollars", "eur": "euros",
                   "gbp": "pounds"}
_CURRENCY_WORDS = {"dollar", "dollars", "euro", "euros", "pound", "pounds", "yen", "yuan",
                   "rupee", "rupees", "rouble", "roubles", "ruble", "rubles", "lira", "liras",
                   "shekel", "shekels", "hryvnia", "hryvnias", "riyal", "riyals", "dinar",
                   "dinars", "francs", "pesos", "rand"}
#: The nouns a sum of money is counted in.
CURRENCY_NOUNS = frozenset(_CURRENCY_WORDS)
_MEASURE_WORDS = {
    "percent", "per", "%", "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres",
    "mile", "miles", "meter", "meters", "metre", "metres", "m", "cm", "mm", "ft", "feet", "foot",
    "inch", "inches", "yard", "yards", "kg", "kilogram", "kilograms", "kilogramme", "tonne",
    "tonnes", "ton", "tons", "gram", "grams", "g", "lb", "lbs", "litre", "litres", "liter",
    "liters", "gallon", "gallons", "hectare", "hectares", "acre", "acres", "sq", "square",
    "degree", "degrees", "celsius", "fahrenheit", "mph", "kph", "knots",
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "decade", "decades", "century", "centuries",
} | _CURRENCY_WORDS
_DURATION_UNITS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days",
                   "week", "weeks", "month", "months", "year", "years", "decade", "decades",
                   "century", "centuries", "night", "nights", "year-old", "years-old"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
           "sep", "sept", "oct", "nov", "dec"}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_CLOCK_AFTER = {"am", "pm", "a.m.", "p.m.", "a.m", "p.m", "o'clock", "gmt", "utc", "bst", "est",
                "edt", "cet", "cest", "pst", "pdt", "hrs", "local"}
_YEAR_INTRO = {"in", "since", "by", "until", "till", "from", "of", "during", "before", "after",
               "early", "late", "mid", "the", "'s", "’s", "circa", "around", "through", "to",
               "spring", "summer", "autumn", "fall", "winter", "year", "fiscal"}
_ID_BEFORE = {"no", "no.", "nos", "number", "#", "page", "pages", "chapter", "section", "article",
              "paragraph", "clause", "rule", "level", "phase", "stage", "grade", "round",
              "episode", "season", "version", "v", "route", "highway", "flight", "room",
              "platform", "gate", "unit", "ward", "district", "zone", "line", "resolution",
              "category", "class", "step", "part", "volume", "vol", "item", "figure", "table",
              "week", "day", "game", "match", "tier", "model", "type", "channel", "apartment"}
_ONE_BLOCKERS = {"a", "the", "this", "that", "no", "any", "every", "each", "which", "another", "some",
                 "someone", "anyone", "only", "one"}
_OF_DETERMINERS = {"the", "these", "those", "its", "their", "his", "her", "our", "your", "them",
                   "us", "whom", "which"}

# Modifier phrases before the number → kind. Longest matches are tried first.
_PREFIXES: dict[tuple[str, ...], str] = {}
for _kind, _phrases in {
    "atleast": ["at least", "no fewer than", "no less than", "not less than", "a minimum of",
                "minimum of", "upwards of", "upward of", "at a minimum"],
    "morethan": ["more than", "over", "above", "in excess of", "exceeding", "greater than",
                 "well over", "far more than", "much more than", "well above"],
    "justover": ["just over", "slightly more than", "a little over", "a little more than",
                 "just above", "slightly over"],
    "lessthan": ["less than", "fewer than", "under", "below"],
    "upto": ["up to", "as many as", "as much as", "at most", "no more than", "not more than",
             "a maximum of", "maximum of", "as high as", "as few as"],
    "nearly": ["nearly", "almost", "close to", "approaching", "not quite", "just shy of",
               "nearing", "just under", "just below", "slightly less than", "slightly fewer than",
               "a little under", "a little less than"],
    "about": ["about", "around", "some", "approximately", "roughly", "an estimated",
              "estimated", "circa", "c.", "approx.", "approx", "~", "an approximate",
              "in the region of", "on the order of", "something like", "give or take",
              "round about", "more or less"],
    "between": ["between", "from"],
}.items():
    for _p in _phrases:
        _PREFIXES[tuple(_p.split())] = _kind
_PREFIX_KEYS = sorted(_PREFIXES, key=len, reverse=True)

_NUM_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NUM_SUFFIX_RE = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(bn|mn|mln|m|k|tn|trn|b)$", re.I)
_RANGE_RE = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)[-–—]((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$")
_YEARLIKE_RE = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")
# Phone-like: 7+ digits in 3+ groups joined by - . ( ) or a leading +, or a bare 3-4 group.
_PHONE_RE = re.compile(r"(?<![\w.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?|\d{2,5}[.-])"
                       r"\d{2,5}(?:[.-]\d{2,5})+(?![\w])|(?<![\w.,-])\d{3}-\d{4}(?![\w-])"
                       r"|\+\d{1,3}[\s]\d{2,5}(?:\s\d{2,5}){1,3}(?![\w])")

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*")
_NOUN_TAGS = {"NN", "NNS", "NNP", "NNPS"}
_SKIP_TAGS = {"JJ", "JJR", "JJS", "HYPH", "VBN", "VBG", "RB", "RBR", "NFP"}


def _to_float(text: str) -> float:
    return float(text.replace(",", ""))


def _clean(v: float) -> float | int:
    """Whole floats as ints, so bounds read as 327, not 327.0."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return round(v, 6)     # 3.5 * 1.1 = 3.8500000000000005 → 3.85


def _is_whole(v: float) -> bool:
    return float(v).is_integer()


class _Core:
    """A bare number or range before modifiers: token span [i, j) and its value interval."""

    __slots__ = ("i", "j", "low", "high", "exact", "currency", "unit")

    def __init__(self, i, j, low, high, exact, currency=None, unit=None):
        self.i, self.j, self.low, self.high, self.exact = i, j, low, high, exact
        self.currency, self.unit = currency, unit


class _Scanner:
    def __init__(self, doc):
        self.doc = doc
        self.text = doc.text      # Doc.text is rebuilt from the tokens on every access
        self.toks = list(doc)
        self.n = len(self.toks)
        self.low = [t.text.lower() for t in self.toks]
        self.tags = [t.tag_ for t in self.toks]
        self.phone = [(m.start(), m.end()) for m in _PHONE_RE.finditer(self.text)
                      if sum(c.isdigit() for c in m.group()) >= 7]
        self.phone += [(m.start(), m.end()) for m in _URL_RE.finditer(self.text)]
        # DATE entity per token → (entity start, end) for the date rules.
        self.date_ent = {}
        for ent in doc.ents:
            if ent.label_ == "DATE":
                for k in range(ent.start, ent.end):
                    self.date_ent[k] = ent

    # ---- token helpers ---------------------------------------------------------------------
    def word(self, k: int) -> str:
        return self.low[k] if 0 <= k < self.n else ""

    def glued(self, a: int, b: int) -> bool:
        """Tokens a and b (b == a + 1) touch, with no whitespace between."""
        return 0 <= a < self.n and 0 <= b < self.n and not self.toks[a].whitespace_

    def in_phone(self, k: int) -> bool:
        c = self.toks[k].idx
        return any(s <= c < e for s, e in self.phone)

    # ---- numbers ---------------------------------------------------------------------------
    def words_number(self, i: int):
        """Number words from token i: (value, end) or None. Handles "a hundred", "half a million"."""
        k, total, current, seen, last = i, 0, 0, False, None
        if self.word(k) == "half" and self.word(k + 1) == "a" and self.word(k + 2) in _SCALES:
            return _SCALES[self.word(k + 2)] / 2, k + 3
        if self.word(k) in ("a", "an") and self.word(k + 1) in (set(_SCALES) | set(_DOZEN)):
            w = self.word(k + 1)
            # "a dozen", "a hundred", "a thousand" (then possibly "and five": rare, ignored)
            return (_DOZEN.get(w) or _SCALES[w]), k + 2
        while k < self.n:
            w = self.word(k)
            if w in _UNITS and last not in ("unit", "teen"):
                if last == "tens" or last is None or last in ("scale", "hundred"):
                    current += _UNITS[w]
                    last = "unit" if _UNITS[w] < 10 else "teen"
                else:
                    break
            elif w in _TENS and last in (None, "scale", "hundred"):
                current += _TENS[w]
                last = "tens"
            elif w in _DOZEN and seen and last in ("unit", "teen", "tens"):
                current *= 12
                last = "scale"
            elif w == "hundred" and seen and last in ("unit", "teen", "tens"):
                current *= 100
                last = "hundred"
            elif w in _SCALES and w != "hundred" and seen and last in ("unit", "teen", "tens",
                                                                       "hundred"):
                total += current * _SCALES[w]
                current = 0
                last = "scale"
            elif w in ("-", "–") and last == "tens" and self.word(k + 1) in _UNITS \
                    and self.glued(k - 1, k) and self.glued(k, k + 1):
                k += 1
                continue
            elif w == "and" and last in ("hundred", "scale") and \
                    (self.word(k + 1) in _UNITS or self.word(k + 1) in _TENS):
                k += 1
                continue
            else:
                break
            seen = True
            k += 1
        if not seen:
            return None
        return total + current, k

    def digits(self, i: int):
        """Digits at token i, with a glued or following scale word: (value, end, unit) or None."""
        t = self.toks[i].text
        m = _NUM_SUFFIX_RE.match(t)
        if _NUM_RE.match(t):
            v, k = _to_float(t), i + 1
            w = self.word(k)
            if w in _SUFFIX_SCALES and (w not in _AMBIGUOUS_SUFFIX or self.currency_before(i)):
                if w not in _AMBIGUOUS_SUFFIX or self.glued(i, k) or self.tags[k] == "CD":
                    return v * _SUFFIX_SCALES[w], k + 1, None
            return v, k, None
        if m:
            suffix = m.group(2).lower()
            if suffix in _AMBIGUOUS_SUFFIX and not self.currency_before(i):
                return _to_float(m.group(1)), i + 1, suffix  # "5m" = five metres
            return _to_float(m.group(1)) * _SUFFIX_SCALES[suffix], i + 1, None
        return None

    def currency_before(self, i: int) -> str | None:
        """The currency named by a sign right before token i ("$", "US$", "€"), or None."""
        return _CURRENCY_SIGNS.get(self.word(i - 1))

    def before_currency(self, i: int) -> int:
        """Token index of the currency sign before token i ("US" "$" counts as one), else i."""
        k = i
        if self.word(k - 1) in _CURRENCY_SIGNS:
            k -= 1
            if self.word(k - 1) in ("us", "a", "c") and self.glued(k - 1, k):
                k -= 1
        return k

    def number(self, i: int):
        """A single exact number starting at token i: (value, end, unit) or None."""
        if i >= self.n:
            return None
        d = self.digits(i)
        if d:
            return d
        w = self.words_number(i)
        if w:
            return w[0], w[1], None
        return None

    def vague(self, i: int):
        """A vague amount at token i: _Core or None."""
        w = self.word(i)
        if w in _VAGUE_PLURALS:
            lo, hi = _VAGUE_PLURALS[w]
            j = i + 1
            # "tens of thousands", "hundreds of millions"
            if self.word(j) == "of" and self.word(j + 1) in _VAGUE_CHAIN:
                s = _VAGUE_CHAIN[self.word(j + 1)]
                lo, hi, j = lo * s, (hi + 1) * s - 1, j + 2
            return _Core(i, j, lo, hi, False)
        for phrase, lo, hi in _VAGUE_QUANTIFIERS:
            if tuple(self.low[i:i + len(phrase)]) == phrase:
                j = i + len(phrase)
                nxt = self.word(j)
                if nxt in _DOZEN or nxt in _SCALES:      # "several hundred", "a few dozen"
                    s = _DOZEN.get(nxt) or _SCALES[nxt]
                    return _Core(i, j + 1, lo * s, hi * s, False)
                return _Core(i, j, lo, hi, False)
        return None

    def core(self, i: int):
        """Number, range or vague amount starting at token i: _Core or None."""
        m = _RANGE_RE.match(self.toks[i].text)
        if m:                                             # "10-20", "10–20" as one token
            a, b = _to_float(m.group(1)), _to_float(m.group(2))
            return _Core(i, i + 1, a, b, True) if b > a else None
        vg = self.vague(i)
        if vg:
            return vg
        num = self.number(i)
        if not num:
            return None
        v, j, unit = num
        c = _Core(i, j, v, v, True, unit=unit)
        if self.word(j) == "in" and self.number(j + 1):      # a ratio: "one in five", "1 in 3"
            return _Core(i, self.number(j + 1)[1], None, None, True)
        # Ranges: A-B, A–B, A to B, A or B ("two or three"), A and B after "between"
        sep = self.word(j)
        if sep in ("-", "–", "—", "to", "or") or (sep == "and" and self.prefix(i)[0] == "between"):
            if sep == "or" and self.word(j + 1) in ("more", "so", "fewer", "less", "greater", "over"):
                return c
            k = j + 1
            if self.word(k) in _CURRENCY_SIGNS:
                k += 1
            other = self.number(k) if k < self.n else None
            if other and sep in ("-", "–") and other[0] < v and self.glued(j - 1, j) and self.glued(j, k):
                return _Core(i, other[1], None, None, True)   # a vote or score ("voted 60-48")
            if other and other[0] > v and not self.in_phone(k):
                c.j, c.high = other[1], other[0]
                c.unit = other[2] or unit
        return c

    def prefix(self, i: int):
        """(kind, start token) of the modifier before the number at token i (past a currency
        sign); kind None and the number's own start when there is none."""
        k = self.before_currency(i)
        for key in _PREFIX_KEYS:
            if k - len(key) >= 0 and tuple(self.low[k - len(key):k]) == key:
                return _PREFIXES[key], k - len(key)
        return None, k

    # ---- exclusions ------------------------------------------------------------------------
    def yearlike(self, c: _Core) -> bool:
        """Every number of the core reads as a year (1800–2100, four digits, no comma)."""
        if not c.exact:
            return False
        texts = [self.toks[k].text for k in range(c.i, c.j) if self.toks[k].text[:1].isdigit()]
        if not texts or any("," in t for t in texts):
            return False
        return all(_YEARLIKE_RE.match(str(int(v))) for v in (c.low, c.high)
                   if _is_whole(v)) and _is_whole(c.low) and _is_whole(c.high)

    def is_calendar(self, c: _Core, after: int) -> bool:
        """A day or date, not an amount: inside a DATE entity naming a month, weekday, year or
        decade, "... ago", or next to a month name. Durations ("13-year") are not calendar."""
        i = c.i
        nxt = self.word(after)
        duration = nxt in _DURATION_UNITS or (nxt in ("-", "–") and self.word(after + 1) in _DURATION_UNITS)
        if duration and self.word(after + 1 + (nxt in ("-", "–"))) == "ago":
            return True
        ent = self.date_ent.get(i)
        if ent is not None:
            words = [w.lower_.rstrip(".") for w in ent]
            if "ago" in words or self.word(ent.end) == "ago":
                return True
            own = {self.low[k] for k in range(c.i, c.j)}
            if not duration and any(
                    w in _MONTHS or w in _WEEKDAYS or w in ("today", "yesterday", "tomorrow")
                    or re.match(r"^\d{2,4}s$", w) or (_YEARLIKE_RE.match(w) and w not in own)
                    for w in words):
                return True
        for k in (i - 1, c.j):                            # "Nov. 27", "27 November"
            w = self.word(k).rstrip(".")
            if w in _MONTHS and w not in ("may", "mar") or (w == "may" and self.tags[k] == "NNP"):
                return True
        return False

    def year_is_count(self, c: _Core, kind, noun_tok) -> bool:
        """A year-like number counts things only when it counts a plural noun ("2000 troops")."""
        if noun_tok is None or self.tags[noun_tok] not in ("NNS", "NNPS"):
            return False
        if self.low[noun_tok] in _DURATION_UNITS:
            return False
        if kind is None and self.word(c.i - 1) in _YEAR_INTRO:
            return False
        return True

    def is_clock(self, c: _Core) -> bool:
        return self.word(c.j) in _CLOCK_AFTER

    def is_identifier(self, c: _Core, has_noun: bool) -> bool:
        """Model names, codes and numbered things: "F-16", "COVID-19", "No. 10", "phase 2",
        "Resolution 2254"."""
        i = c.i
        prev = self.word(i - 1)
        if prev in ("-", "–") and self.glued(i - 1, i) and i >= 2 and self.glued(i - 2, i - 1) \
                and self.toks[i - 2].text[-1:].isalpha():
            return True                                   # "Su-24" split into three tokens
        if self.toks[i].text[:1].isdigit() and i >= 1 and self.glued(i - 1, i) \
                and self.toks[i - 1].text[-1:].isalpha():
            return True                                   # "M5", "G20" split
        if prev == "." and self.word(i - 2) == "no" and self.glued(i - 2, i - 1):
            return True                                   # "No. 10"
        if prev in _ID_BEFORE and self.word(i - 2) not in ("a", "an", "per", "each", "every"):
            if prev not in ("day", "week") or not has_noun:
                return True
        if i >= 1 and self.tags[i - 1] in ("NNP", "NNPS") and not has_noun \
                and self.toks[i - 1].text[:1].isupper() and prev.rstrip(".") not in _MONTHS:
            return True                                   # "Resolution 2254", "Apollo 11"
        return False

    # ---- counted noun ----------------------------------------------------------------------
    def noun_after(self, j: int):
        """(noun token index, span end) of the counted noun from token j, or (None, j)."""
        k, skipped, crossed_of = j, 0, False
        while k < self.n and skipped < 5:
            tag, w = self.tags[k], self.low[k]
            if tag in _NOUN_TAGS and w not in _MONTHS and w not in _WEEKDAYS and \
                    w.replace("-", "").replace(".", "").isalpha():
                # noun run: stop at the first plural (the compound's head) or at its end
                head = m = k
                while m < self.n and self.tags[m] in _NOUN_TAGS and self.low[m].replace("-", "").isalpha():
                    head = m
                    if self.tags[m] in ("NNS", "NNPS"):
                        break
                    if m + 1 < self.n and self.tags[m + 1] in ("NNP", "NNPS") and self.tags[m] == "NN":
                        break   # do not run from a common noun into a proper noun
                    m += 1
                if self.tags[head] == "NNP":
                    return None, j        # a singular proper noun is not counted ("one Lieberman")
                return head, head + 1
            if tag == "HYPH" or (w in ("-", "–") and self.glued(k - 1, k)):
                if k == j and self.glued(k, k + 1) and self.tags[k + 1 if k + 1 < self.n else k] in ("NN", "NNS"):
                    return k + 1, k + 2   # glued unit: "13-year", "6.1-magnitude quake"
                k += 1
                continue
            if tag in _SKIP_TAGS and w not in ("ago", "later", "earlier", "before", "after", "more",
                                               "less", "so", "too", "only", "just", "again"):
                # adverbs only before an adjective or participle ("heavily armed")
                if tag in ("RB", "RBR") and self.tags[k + 1 if k + 1 < self.n else k] not in (
                        "JJ", "VBN", "VBG", "JJR"):
                    break
                k += 1
                skipped += 1
                continue
            if w == "of" and not crossed_of:              # "dozens of towns", "two of the hostages"
                k2 = k + 1
                if self.word(k2) in _OF_DETERMINERS:
                    if self.word(k2) in ("them", "us", "whom", "which"):
                        break
                    k2 += 1
                crossed_of = True
                k = k2
                continue
            break
        return None, j


def _bound(kind, core: _Core, measure: bool):
    """Inclusive (low, high, approximate) for a modifier kind applied to a core."""
    lo, hi = core.low, core.high
    whole = _is_whole(lo) and _is_whole(hi) and not measure
    if not core.exact:      # vague amount: a bound keeps the vague range's own end
        if kind in ("atleast", "morethan", "justover"):
            return lo, None, True
        if kind in ("upto", "lessthan", "nearly"):
            return None, hi, True
        return lo, hi, True
    if kind == "atleast":
        return lo, None, False
    if kind == "morethan":
        return (hi + 1 if whole else hi), None, False
    if kind == "justover":
        base = hi + 1 if whole else hi
        return base, (max(base, round(hi * 1.1)) if whole else hi * 1.1), True
    if kind == "lessthan":
        return None, (lo - 1 if whole else lo), False
    if kind == "upto":
        return None, hi, False
    if kind == "nearly":
        top = hi - 1 if whole and hi >= 1 else hi
        return (round(lo * 0.9) if _is_whole(lo) else lo * 0.9), top, True
    if kind == "about":
        a, b = lo * 0.9, hi * 1.1
        if _is_whole(lo) and _is_whole(hi):
            a, b = round(a), round(b)
        return a, b, True
    return lo, hi, False


_WORD_STARTS = set(_UNITS) | set(_TENS) | set(_VAGUE_PLURALS) | {"a", "an", "several", "half"}


def extract_quantities(doc, sentences) -> list[Quantity]:
    """Quantities in ``doc`` (a spaCy Doc with tags and entities), in text order."""
    sc = _Scanner(doc)
    text = sc.text
    out: list[Quantity] = []
    i = 0
    while i < sc.n:
        first = sc.toks[i].text[:1]
        if not (first.isdigit() or sc.low[i] in _WORD_STARTS):
            i += 1
            continue
        core = sc.core(i)
        if core is None:
            i += 1
            continue
        q = _finish(sc, core, text)
        if q is not None:
            q.sentence = sentences.of(q.start)
            out.append(q)
        i = max(core.j, i + 1)
    return out


def _finish(sc: _Scanner, core: _Core, text: str):
    """Modifiers, unit and noun around a core; None when the number is not a quantity."""
    i = core.i
    if core.low is None or sc.in_phone(i) or sc.is_clock(core):   # votes, ratios
        return None
    kind, start_tok = sc.prefix(i)
    if kind == "between" and core.low == core.high:
        kind, start_tok = None, sc.before_currency(i)     # "from 10": not a range
    if kind == "about" and not core.exact and sc.low[start_tok] == "some":
        kind, start_tok = None, sc.before_currency(i)     # "some dozens": a determiner
    # "one" only when it directly counts a noun: not "one of", "no one", "the one"
    if core.exact and sc.low[i] == "one" and core.j == i + 1 and (
            sc.word(i - 1) in _ONE_BLOCKERS or sc.word(i + 1) in ("of", "another", "or", "-")):
        return None
    # suffixes: percent, "or more", "+", "-plus", "or so"
    unit, post, j = core.unit, None, core.j
    if sc.word(j) in ("%", "percent", "pct"):
        unit, j = "percent", j + 1
    elif sc.word(j) == "per" and sc.word(j + 1) == "cent":
        unit, j = "percent", j + 2
    elif sc.word(j) == "percentage" and sc.word(j + 1) in ("point", "points"):
        unit, j = "percentage points", j + 2
    nxt, nxt2 = sc.word(j), sc.word(j + 1)
    if nxt == "or" and nxt2 in ("more", "greater", "over", "above"):
        post, j = "atleast", j + 2
    elif nxt == "or" and nxt2 in ("fewer", "less", "under", "below"):
        post, j = "upto", j + 2
    elif nxt == "or" and nxt2 == "so":
        post, j = "about", j + 2
    elif nxt == "+" and sc.glued(j - 1, j):
        post, j = "atleast", j + 1
    elif nxt in ("-", "–") and nxt2 == "plus" and sc.glued(j - 1, j):
        post, j = "atleast", j + 2
    if sc.is_calendar(core, j):
        return None
    currency = sc.currency_before(i)
    noun_tok, end_tok = None, j
    if unit in ("percent", "percentage points"):
        noun = unit
    elif currency:
        noun = currency
        if sc.low[j] in _CURRENCY_WORDS if j < sc.n else False:
            end_tok = j + 1                               # "$5 dollars" is rare; keep the span whole
    else:
        noun_tok, nend = sc.noun_after(j)
        noun = sc.toks[noun_tok].text if noun_tok is not None else unit
        if noun_tok is not None:
            end_tok = nend
    if sc.yearlike(core) and not sc.year_is_count(core, kind, noun_tok):
        return None
    if core.exact and sc.low[i] == "one" and core.j == i + 1 and noun_tok is None:
        return None
    if sc.is_identifier(core, noun_tok is not None):
        return None
    # a vague quantifier with nothing counted is no amount ("several said", "a few")
    if not core.exact and noun_tok is None and unit is None and sc.low[i] in ("a", "several"):
        return None
    measure = (unit is not None or currency is not None or (noun or "").lower() in _MEASURE_WORDS
               or not (_is_whole(core.low) and _is_whole(core.high)))
    eff = post or (None if kind == "between" else kind)
    low, high, approx = _bound(eff, core, measure)
    if kind == "about" or not core.exact:
        approx = True
    if kind is None:
        start_tok = sc.before_currency(i)
    last = sc.toks[end_tok - 1]
    start, end = sc.toks[start_tok].idx, last.idx + len(last.text)
    return Quantity(start=start, end=end, text=text[start:end],
                    low=_clean(low) if low is not None else None,
                    high=_clean(high) if high is not None else None,
                    noun=noun, approximate=approx)

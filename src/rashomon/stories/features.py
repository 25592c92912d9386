"""What the story stage compares: a title+lead embedding, hashed term weights, proper names, a date."""

from __future__ import annotations

import datetime as dt
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

__all__ = ["ArticleFeatures", "DIM", "lead_text", "key_terms", "date_marks", "term_vector", "hash_term",
           "parse_day"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+|\d[\d,.]*")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’\-]+(?:\s+(?:[A-Z][a-zA-Z'’\-]+|al-|bin|de|van|von))*")
_STOP = frozenset("""a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has have
having he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
once only or other our out over own said same says she should so some such than that the their them then there
these they this those through to too under until up very was we were what when where which while who whom why
will with would you your yes new news one two also year years week day days time told report reported
according mr mrs ms""".split())
_NAME_STOP = frozenset("""The A An In On At For But And Or If When While After Before As This That These Those
It He She They We I His Her Their Our Its There Here What Who Why How Mr Mrs Ms Dr Monday Tuesday Wednesday
Thursday Friday Saturday Sunday January February March April May June July August September October November
December Read More Image Photo Click Subscribe According However Also Still Meanwhile""".split())
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_MONTH_DAY = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: How much of an article's start is read for the dates it gives its event.
LEAD_CHARS = 800
#: Terms and names are hashed into this many buckets (document frequencies stay a fixed-size array).
DIM = 1 << 18


@dataclass
class ArticleFeatures:
    id: str
    title: str
    embedding: np.ndarray                  # unit vector of title + lead
    term_idx: np.ndarray                   # hashed term ids (int32, sorted, unique)
    term_val: np.ndarray                   # their weights (float32), unit length
    names: Counter = field(default_factory=Counter)   # proper names, lower-cased, and date marks
    day: int | None = None                 # days since 1970-01-01; None when unknown


def lead_text(title: str | None, text: str, words: int = 80) -> str:
    head = " ".join(text.split()[:words])
    return f"{title}. {head}" if title else head


def key_terms(text: str) -> Counter:
    names = Counter()
    for match in _NAME.finditer(text):
        name = match.group(0)
        first = name.split()[0]
        if first in _NAME_STOP:
            name = name[len(first):].strip()
        if len(name) > 2:
            names[name.lower()] += 1
    return names


def date_marks(text: str) -> Counter:
    """The weekdays, month-days and years named in the start of ``text``, as name-like keys ("@sunday",
    "@mar14", "@2013").

    Two events of one kind (two quakes in one county, two castings of one role) are told in the same
    words; the days they happened on differ, and an article says its event's day near the top.
    """
    lead = text[:LEAD_CHARS]
    marks = Counter("@" + m.group(1).lower() for m in _WEEKDAY.finditer(lead))
    marks.update(f"@{m.group(1).lower()}{int(m.group(2))}" for m in _MONTH_DAY.finditer(lead))
    marks.update("@" + m.group(1) for m in _YEAR.finditer(lead))
    return marks


def term_vector(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear term frequencies of the content words, hashed and L2-normalised."""
    # Counted as found, filtered per distinct word: a text's words are mostly repeats, and this runs
    # on every article a store places (a bulk run's largest single cost).
    counts = Counter(w.lower() for w in _WORD.findall(text))
    weights: dict[int, float] = {}
    for term, c in counts.items():
        if len(term) <= 2 or term in _STOP:
            continue
        h = hash_term(term)
        weights[h] = weights.get(h, 0.0) + 1.0 + math.log(c)
    idx = np.fromiter(sorted(weights), dtype=np.int32, count=len(weights))
    val = np.array([weights[i] for i in idx], dtype=np.float32)
    norm = float(np.linalg.norm(val)) or 1.0
    return idx, val / norm


def hash_term(term: str) -> int:
    return zlib.crc32(term.encode()) % DIM


def parse_day(value: str | None) -> int | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return (day - dt.date(1970, 1, 1)).days

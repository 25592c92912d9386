"""Conflict injection on real multi-outlet stories: recall of injected conflicts, precision of flagged ones.

Data: ``stories/*.jsonl`` (``*.roundups.jsonl`` skipped), one article a line with ``cluster_id``
(the gold story), ``outlet``, ``date``, ``text``. A story takes part when it has at least two
articles from different outlets (an article without an outlet counts as an outlet of its own, as
in ECB+ and GVC); ``stories`` of them are drawn per file with a seeded generator.

Every article is read (``rashomon.nlp.read_articles``), cut into claims
(``rashomon.claims.extract_claims_many``) and the story is judged as the pipeline judges it
(``rashomon.alignment.judge_story``). Then:

**Recall (injection).** A *target* is a pair of claims A and B from articles of two different
outlets that report the same fact with the same value of one slot. Whether they report the same
fact is decided here, apart from the aligner being measured: the MiniLM cosine of the two claim
texts is at least :data:`FACT_COSINE` (and below :data:`COPY_COSINE`, so that word-for-word
copies, which any aligner pairs, do not count), both have :data:`MIN_WORDS` words or more, they
share the content verb (not "be", "have", "do"), or a named actor that is not a place with a
cosine of at least :data:`ACTOR_COSINE` (:func:`anchored`), and the slot agrees:

* ``date`` — a date of A with a resolved value (or a day and month) equal to a date of B at the
  coarser of their precisions; rewritten by shifting its day of month, else its month, else its
  year, else its weekday (a weekday only when it resolved against a publication date);
* ``number`` — a count of A and a count of B of the same noun whose ranges meet; the number is
  multiplied or divided by 2 or 3 (whichever leaves B's range), downwards when A's article is
  the later one, so that a rising count cannot pass for an update; fractions, ranges, numbers in
  names or models ("Curve 8900", "4G") and numbers the text split ("6. 1") are left alone;
* ``place`` — a city of A, after a locative preposition, that B names too; swapped for another
  city of the same country from the gazetteer, one the story never names, :data:`MIN_SWAP_KM` or
  more away;
* ``negation`` — the same content verb (not a reporting or light verb) asserted by both, with a
  subject word or an object word in common; A's verb is negated ("has not taken", "did not
  attack", "is not").

The rewritten words lie inside claim A. Up to ``per_story`` targets of each kind are drawn per
story (seeded), each on a different claim.

The rewrite is made in the article TEXT, the article is read again, and the story judged again
with that article's new claims. The injection is *found* when a conflict of the injected kind
has one side holding A's article with a quote that covers the rewritten words and another side
holding B's article. Each miss keeps its reason: the slot was not read back, the claims were not
aligned, they were aligned without a difference, labelled an update, or found as another kind.

Not every target is a contradiction once rewritten: two claims can share a verb and be close in
meaning yet tell two facts ("held an Oval Office meeting with Macron" / "held Macron's hands"), and
then no aligner should flag the pair. Each target has a key (:func:`target_key`) and may be judged
in ``judged_targets`` (JSON lines ``{"key", "kind", "label"}``, label ``valid`` or ``invalid``):
recall is reported over every target and, where judged, over the valid ones.

**Precision (judged).** Every conflict flagged on the *unmodified* stories; per kind a seeded
sample of :data:`JUDGE_SAMPLE` is written (``judge_out``) with its sides and quotes for a person
to judge, and scored against the judgements file (``judged``): JSON lines
``{"key", "kind", "label"}`` with label ``real`` or ``not`` (ids only: no article text). The key
is :func:`conflict_key`, stable while the claims' spans and the conflict's membership are.

Run: ``rashomon eval conflicts DATA [--json] [--stories N] [--seed S]``.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from ..errors import EvaluationError

__all__ = [
    "INJECTED_KINDS", "FACT_COSINE", "ACTOR_COSINE", "COPY_COSINE", "JUDGE_SAMPLE", "MIN_SWAP_KM", "DEFAULT_JUDGED",
    "DEFAULT_JUDGED_TARGETS", "target_key",
    "Story", "Target", "story_files", "load_stories", "shift_date", "scale_count", "written_number",
    "rewrite_count", "other_city", "negate_verb", "apply_edit", "anchored", "draw_targets", "conflict_key", "detect",
    "load_judgements", "seed_story", "evaluate",
]

INJECTED_KINDS = ("date", "number", "place", "negation")
#: Claims this close in meaning, with one slot value in common, report the same fact.
FACT_COSINE = 0.60
#: Cosine needed when a shared actor, not a shared verb, makes two claims one fact.
ACTOR_COSINE = 0.75
#: At or above this the two claims are copies of one wording: too easy to count.
COPY_COSINE = 0.97
#: Flagged conflicts per kind written out for judgement.
JUDGE_SAMPLE = 50
DEFAULT_DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "stories"
DEFAULT_JUDGED = Path(__file__).resolve().parents[3] / "benchmarks" / "judged" / "conflicts.jsonl"
DEFAULT_JUDGED_TARGETS = Path(__file__).resolve().parents[3] / "benchmarks" / "judged" / "targets.jsonl"
DEFAULT_EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "aleppo-2024"
SEED_PUBLISHED = None   # the seed files carry no date: the story is judged with dates unknown

# Verbs too light to name a fact on their own ("is ready", "have a plan"): no negation targets.
_LIGHT_VERBS = {"be", "have", "do", "quote"}
#: Claims shorter than this (words) are too vague to be a target.
MIN_WORDS = 4


# ------------------------------------------------------------------------------------------ data

@dataclass
class Story:
    file: str
    cluster: str
    articles: list[dict[str, Any]]       # id, source, outlet_key, published, text

    @property
    def key(self) -> str:
        return f"{self.file}:{self.cluster}"


def _outlet_key(row: dict) -> str:
    outlet = (row.get("outlet") or "").strip().lower()
    return outlet or "article:" + str(row["id"])


def _read_file(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(f"{path}:{n}: not JSON ({exc.msg}); expected one article object a line") from None
            if not isinstance(row, dict) or "cluster_id" not in row or "id" not in row:
                raise EvaluationError(f"{path}:{n}: an article needs 'id' and 'cluster_id' (the gold story)")
            rows.append({**row, "_line": n})
    return rows


def story_files(data: str | Path) -> list[Path]:
    """The story files ``data`` names, as the clustering evaluation reads them."""
    from .clustering import eval_files

    return eval_files(data)


def load_stories(data: str | Path, *, stories: int = 20, seed: int = 0) -> list[Story]:
    """Up to ``stories`` stories per file with articles from two outlets or more, drawn with ``seed``."""
    if stories < 1:
        raise EvaluationError(f"stories per file must be at least 1, got {stories}")
    out = []
    ids: set[str] = set()
    for path in story_files(data):
        by_story: dict[str, list[dict]] = defaultdict(list)
        for row in _read_file(path):
            text = row.get("text")
            if isinstance(text, str) and text.strip():
                aid = str(row["id"])
                if aid in ids:      # BASIL has four articles called "empty": the line tells them apart
                    aid = f"{aid}@{path.stem}:{row['_line']}"
                ids.add(aid)
                by_story[str(row["cluster_id"])].append({**row, "id": aid})
        eligible = []
        for cluster in sorted(by_story):
            seen, arts = set(), []
            for row in by_story[cluster]:
                if row["text"] in seen:
                    continue           # a file that holds one text twice: one article
                seen.add(row["text"])
                arts.append({"id": str(row["id"]), "source": row.get("outlet"), "outlet_key": _outlet_key(row),
                             "published": row.get("date") or None, "text": row["text"]})
            if len({a["outlet_key"] for a in arts}) >= 2:
                eligible.append(Story(path.stem, cluster, arts))
        rng = random.Random(f"{seed}:{path.name}")
        out.extend(rng.sample(eligible, min(stories, len(eligible))))
    return out


# ----------------------------------------------------------------------------- rewriting: dates

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]
_MONTH_RE = (r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
             r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?P<dot>\.?)")
_MONTH_DAY = re.compile(r"\b" + _MONTH_RE + r"\s+(?P<day>\d{1,2})(?P<suf>st|nd|rd|th)?\b")
_DAY_MONTH = re.compile(r"\b(?P<day>\d{1,2})(?P<suf>st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"(?![a-z])")
_ISO_DAY = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})\b")
_MONTH_ONLY = re.compile(r"\b" + _MONTH_RE + r"(?![a-z])")
_YEAR = re.compile(r"(?<![\d,.])(?P<year>1[89]\d\d|20\d\d)(?![\d])")
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY = re.compile(r"\b(?P<wd>Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?P<rest>day)?\b\.?")


def _month_index(word: str) -> int:
    return [m[:3].lower() for m in _MONTH_NAMES].index(word[:3].lower())


def _suffix(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _month_word(written: str, dot: str, index: int) -> str:
    """The month ``index`` (0-11) in the style of ``written`` ("Nov." → "Jan.", "April" → "June")."""
    full = _MONTH_NAMES[index]
    if len(written) <= 4 and written not in ("May", "June", "July"):
        return full if len(full) <= 4 else full[:3] + dot
    return full


def _new_day(day: int) -> int:
    return day + 3 if day <= 25 else day - 4


def shift_date(text: str, *, weekday_resolved: bool = True) -> tuple[str, str] | None:
    """``text`` (a date expression as written) with its date moved, and what moved, or None.

    The day of month moves first ("Nov. 27" → "Nov. 30"), else the month ("April 2008" → "June
    2008"), else the year ("in 2016" → "in 2014"), else the weekday ("Wednesday" → "Friday", only
    when ``weekday_resolved``: an unanchored weekday says no date to contradict).
    """
    for rx in (_MONTH_DAY, _DAY_MONTH, _ISO_DAY):
        m = rx.search(text)
        if m:
            day = int(m["day"])
            if not 1 <= day <= 31:
                return None
            new = _new_day(day)
            s, e = m.span("day")
            rep = f"{new:02d}" if rx is _ISO_DAY else str(new)
            if m.groupdict().get("suf"):
                e = m.end("suf")
                rep += _suffix(new)
            return text[:s] + rep + text[e:], "day"
    m = _MONTH_ONLY.search(text)
    if m:
        return text[:m.start()] + _month_word(m["month"], m["dot"], (_month_index(m["month"]) + 2) % 12) \
            + text[m.end():], "month"
    m = _YEAR.search(text)
    if m:
        return text[:m.start()] + str(int(m["year"]) - 2) + text[m.end():], "year"
    m = _WEEKDAY.search(text)
    if m and weekday_resolved:
        idx = [w[:3].lower() for w in _WEEKDAYS].index(m["wd"][:3].lower())
        return text[:m.start()] + _WEEKDAYS[(idx + 2) % 7] + text[m.end():], "weekday"
    return None


# --------------------------------------------------------------------------- rewriting: numbers

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                      "ninety": 90})
_WORD_OF = {v: k for k, v in _NUMBER_WORDS.items()}
_DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d,]\d)")
_WORD_NUM = re.compile(r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
                       r"(?:-(one|two|three|four|five|six|seven|eight|nine))?\b", re.I)


def scale_count(low: float | None, high: float | None, value: float, other_low: float | None,
                other_high: float | None, direction: int) -> float | None:
    """A new value for ``value`` (the written number of a count whose range is [low, high]) that puts
    the count clear of [other_low, other_high]: ×2 or ×3 (direction +1), ÷2 or ÷3 (direction -1),
    either (0, up first). None when no such change works."""
    factors = {1: (2.0, 3.0), -1: (0.5, 1 / 3), 0: (2.0, 3.0, 0.5, 1 / 3)}[direction]
    for f in factors:
        new = value * f
        if value == int(value):
            new = float(int(new)) if f < 1 else new
            if new < 1 or new == value:
                continue
        lo = None if low is None else low * new / value
        hi = None if high is None else high * new / value
        if not _meets(lo, hi, other_low, other_high):
            return new
    return None


def _meets(lo1, hi1, lo2, hi2) -> bool:
    inf = float("inf")
    return (-inf if lo1 is None else lo1) <= (inf if hi2 is None else hi2) and \
        (-inf if lo2 is None else lo2) <= (inf if hi1 is None else hi1)


def _format_like(old: str, new: float) -> str:
    if old[:1].isalpha():
        if int(new) == new and int(new) in _WORD_OF:
            word = _WORD_OF[int(new)]
            return word.capitalize() if old[0].isupper() else word
        return f"{int(new):,}" if int(new) == new else f"{new:g}"
    if "." in old:
        places = len(old.split(".")[1])
        return f"{new:,.{places}f}" if "," in old else f"{new:.{places}f}"
    return f"{int(round(new)):,}" if "," in old else str(int(round(new)))


def written_number(text: str) -> tuple[int, int, float] | None:
    """(start, end, value) of the first number written in ``text`` (digits or a number word)."""
    m = _DIGITS.search(text)
    w = _WORD_NUM.search(text)
    if m and (not w or m.start() < w.start()):
        return m.start(), m.end(), float((m[1] + (m[2] or "")).replace(",", ""))
    if w:
        return w.start(), w.end(), float(_NUMBER_WORDS[w[1].lower()] + (_NUMBER_WORDS[w[2].lower()] if w[2] else 0))
    return None


# Words that measure rather than count: a singular one after a number is still a quantity
# ("10 percent", "a 3.2 megapixel camera", "6 foot"), not the tail of a model name.
_UNIT_WORDS = frozenset("""percent per cent point points percentage inch foot feet mile meter metre kilometer
kilometre km kg lb pound ounce ton tonne gram litre liter gallon degree megapixel gigabyte terabyte megabyte gb mb
tb ghz mhz hz watt volt mph year month week day hour minute second times dollar euro yen cent""".split())
# Words that open a sentence and modify the number after them ("Nearly 8 percent", "In 2009").
_NUMBER_MODIFIERS = frozenset("""nearly roughly approximately fewer exactly estimated almost about around over
under some only just more less at in on by for since until after before""".split())
# What may trail a name as written: a trademark sign, or the replacement character a lost one left.
_NAME_TAIL = "®™©\ufffd*"


def _model_number(prefix: str, follow: str, value: float) -> bool:
    """A number in a name or model: directly after a capitalised name word ("Curve 8900",
    "BlackBerry® 10 platform"), unless that word only opens the sentence and the number counts
    what follows it ("In 2009", "Nearly 8 percent", "Democrats 5 seats" is no sentence start)."""
    m = re.search(r"(?:^|(?<=\s))([A-Z][\w-]*[a-z][\w-]*)[" + _NAME_TAIL + r"]*\s+$", prefix)
    if not m:
        return False
    word = m[1]
    if not re.search(r"(?:^|[.!?\n\"\u201c]\s*)$", prefix[:m.start(1)]):
        return True              # a capitalised word inside the sentence is a name
    if word.lower() in _NUMBER_MODIFIERS:
        return False
    from spacy.lang.en.stop_words import STOP_WORDS

    if word.lower() in STOP_WORDS:
        return False
    # Opening the sentence, a name word and a lower-case singular noun that counts nothing
    # ("BlackBerry 10 platform") make a model; a plural ("Apple 3 models") or a unit is a count.
    noun = re.match(r"\s*([a-z]+)\b", follow)
    return bool(noun) and value != 1 and not noun[1].endswith("s") and noun[1] not in _UNIT_WORDS


def _not_a_count(text: str, found: tuple[int, int, float], before: str = "", noun: str | None = None,
                 after_text: str = "") -> bool:
    """Numbers that are no count to change: a fraction ("two-thirds"), one end of a range ("$12
    billion to $13 billion"), part of a name or model ("Curve 8900", "4G", "Three Musketeers",
    "BlackBerry 10 platform"), a clock time or a number split by the text's tokenisation ("2: 09",
    "6. 1", "$1, 199"). ``before`` and ``after_text`` are the article's words around ``text``."""
    s, e = found[0], found[1]
    after = text[e:]
    follow = after + after_text
    if re.match(r"\s*(?:-|\s)?(?:thirds?|halves|half|quarters?|fifths?|tenths?)\b|\s*/", follow, re.I):
        return True
    if re.match(r"[A-Za-z]|\s*[:.]\s*\d", follow) or re.search(r"\d[.:,]\s*$", before + text[:s]):
        return True
    if re.match(r",\s?\d{3}(?!\d)", follow):
        return True              # "$1, 199": the thousands the tokenisation split off
    if _model_number(before + text[:s], follow, found[2]):
        return True
    if noun and noun[:1].isupper():
        return True
    return written_number(after) is not None


def rewrite_count(text: str, new_value: float) -> str | None:
    """``text`` (a quantity as written: "over 15 villages") with its number replaced by ``new_value``."""
    found = written_number(text)
    if found is None:
        return None
    s, e, _ = found
    return text[:s] + _format_like(text[s:e], new_value) + text[e:]


# ---------------------------------------------------------------------------- rewriting: places

_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|into|from|to|outside|inside|across|around|toward|towards|"
                              r"through|of|on)\s+(?:the\s+)?(?:city\s+of\s+)?$", re.I)
_CALENDAR_WORDS = {w.lower() for w in _WEEKDAYS + _MONTH_NAMES} | {"on", "in", "and", "or", "the"}


def _swappable_place(text: str, start: int, end: int) -> bool:
    """A city named as where something happens ("in Tijuana"), not part of a longer name."""
    if not _LOCATIVE_BEFORE.search(text[max(0, start - 30):start]):
        return False
    after = text[end:end + 30]
    if re.match(r"-\w", after):
        return False                      # "Aleppo-based"
    nxt = re.match(r"\s+([A-Z][\w.]*)", after)
    return not nxt or nxt[1].lower().rstrip(".") in _CALENDAR_WORDS   # not "Aleppo International Airport"


def other_city(name: str, country: str | None, avoid: Iterable[str], rng: random.Random, *,
               gazetteer=None, pool: int = 25, origin: tuple[float, float] | None = None) -> str | None:
    """Another city of ``country`` (one of its ``pool`` most populous) that the gazetteer reads back
    as that same city, whose name is none of ``avoid``, and at least :data:`MIN_SWAP_KM` from
    ``origin`` (the replaced city's latitude and longitude) when given: a suburb across the river
    ("Omdurman" for "Khartoum") is the same city's area, not another place; None when there is none."""
    if not country:
        return None
    if gazetteer is None:
        from ..nlp.gazetteer import get_gazetteer

        gazetteer = get_gazetteer()
    taboo = {a.lower() for a in avoid} | {name.lower()}
    cands = _cities_of(gazetteer, country)
    picks = [c for c in cands[:pool * 2] if c.lower() not in taboo
             and not any(c.lower() in t or t in c.lower() for t in taboo if len(t) > 3)]
    rng.shuffle(picks)
    for city in picks:
        place = gazetteer.lookup(city, fuzzy=False)
        if place is not None and place.kind == "city" and place.country == country and place.name == city \
                and (origin is None or _km(origin, (place.lat, place.lon)) >= MIN_SWAP_KM):
            return city
    return None


_CITY_CACHE: dict[tuple[int, str], list[str]] = {}
#: A city swapped in lies at least this far from the one it replaces: nearer, the two may be one
#: metropolitan area that reports name either way ("Bnei Brak" and "Tel Aviv").
MIN_SWAP_KM = 50.0


def _km(x: tuple[float, float], y: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in kilometres."""
    la1, lo1, la2, lo2 = map(math.radians, (*x, *y))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _cities_of(gazetteer, country: str) -> list[str]:
    key = (id(gazetteer), country)
    if key not in _CITY_CACHE:
        rows = [(gazetteer.pop[i], gazetteer.names[i]) for i in range(len(gazetteer.names))
                if gazetteer.cc[i] == country and gazetteer.pop[i] >= 50_000
                and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", gazetteer.names[i])]
        _CITY_CACHE[key] = [n for _, n in sorted(rows, reverse=True)]
    return _CITY_CACHE[key]


# -------------------------------------------------------------------------- rewriting: negation

_AUX_WORDS = {"is", "are", "was", "were", "am", "has", "have", "had", "will", "would", "can", "could",
              "shall", "should", "may", "might", "must", "be", "been", "does", "do", "did"}
_BE_FORMS = {"is", "are", "was", "were", "am"}


def negate_verb(doc, verb_index: int) -> tuple[int, int, str] | None:
    """How to negate the clause of ``doc[verb_index]``: (start, end, replacement) in ``doc.text``
    coordinates, or None when the verb is not a finite one we can negate cleanly.

    An auxiliary takes "not" after it ("has taken" → "has not taken"; "was seized" → "was not
    seized"); a finite "be" too ("is" → "is not"); a simple past or present takes do-support
    ("attacked" → "did not attack"). Control verbs are climbed first ("managed to capture": the
    "not" goes with "managed").
    """
    from ..claims.lemmas import lemma

    tok = doc[verb_index]
    for _ in range(4):
        if tok.dep_ == "xcomp" and tok.head.i != tok.i:
            tok = tok.head
        else:
            break
    if any(c.dep_ == "neg" for c in tok.children) or any(
            c.lower_ in ("no", "never", "not", "n't") for c in tok.children):
        return None
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass") and c.i < tok.i]
    if auxes:
        first = auxes[0]
        if first.lower_ not in _AUX_WORDS or first.lower_ in ("be", "been"):
            return None                     # "to take", "being held": no finite auxiliary
        return first.idx + len(first.text), first.idx + len(first.text), " not"
    if tok.lower_ in _BE_FORMS:
        return tok.idx + len(tok.text), tok.idx + len(tok.text), " not"
    support = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(tok.tag_)
    if support is None:
        return None
    base = lemma(tok)
    if not base.isalpha():
        return None
    word = support.capitalize() if tok.text[0].isupper() else support
    return tok.idx, tok.idx + len(tok.text), f"{word} not {base}"


# ---------------------------------------------------------------------------------- targets

@dataclass
class Target:
    kind: str
    story: str
    article_id: str           # the article rewritten
    partner_id: str           # the article whose claim it will contradict
    claim_id: str
    partner_claim_id: str
    similarity: float
    start: int                # span of the article text replaced
    end: int
    old: str
    new: str
    how: str = ""             # day / month / year / weekday; ×2; the new city; "did not"
    aligned_before: bool = False   # the unmodified pipeline grouped the two claims

    def region(self) -> tuple[int, int]:
        """The rewritten words in the modified text."""
        return self.start, self.start + len(self.new)


def apply_edit(text: str, target: Target) -> str:
    if text[target.start:target.end] != target.old:
        raise EvaluationError(f"article {target.article_id}: expected {target.old!r} at [{target.start}, "
                              f"{target.end}), found {text[target.start:target.end]!r}")
    return text[:target.start] + target.new + text[target.end:]


def _noun(n: str | None) -> str | None:
    if not n:
        return None
    n = n.lower().split()[-1]
    return n[:-1] if n.endswith("s") and not n.endswith("ss") else n


_MD = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})\b"
                 r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
                 re.I)


def _date_key(t) -> str | None:
    if t.status == "resolved" and t.value and t.precision in ("day", "month", "year"):
        return t.value
    m = _MD.search(t.text)
    if m:
        month = [x[:3] for x in _MONTH_NAMES].index((m[1] or m[4])[:3].capitalize()) + 1
        return f"--{month:02d}-{int(m[2] or m[3]):02d}"
    return None


def _same_date(x: str, y: str) -> bool:
    if x.startswith("--") or y.startswith("--"):
        x = x if x.startswith("--") else ("--" + x[5:10] if len(x) == 10 else "")
        y = y if y.startswith("--") else ("--" + y[5:10] if len(y) == 10 else "")
        return bool(x) and x == y
    n = min(len(x), len(y))
    return x[:n] == y[:n]


def _later(a: dict, b: dict) -> int:
    """+1 when article ``a`` was published after ``b``, -1 before, 0 unknown — as the judge orders them."""
    pa, pb = a.get("published"), b.get("published")
    if not pa or not pb or pa[:16] == pb[:16]:
        return 0
    return 1 if pa > pb else -1


class _Story:
    """One story's articles, readings and claims while targets are drawn from it."""

    def __init__(self, story: Story, analyses: dict, claims: dict, vectors: dict):
        self.story = story
        self.by_id = {a["id"]: a for a in story.articles}
        self.analyses = analyses
        self.claims = claims
        self.vectors = vectors
        self.places = {(aid, m["start"]): m["place"] for aid in self.by_id
                       for m in analyses[aid].get("mentions", []) if m.get("place")}
        self.names = {m["text"] for aid in self.by_id for m in analyses[aid].get("mentions", [])
                      if m.get("place")} | {m["place"]["name"] for aid in self.by_id
                                            for m in analyses[aid].get("mentions", []) if m.get("place")}

    def pairs(self) -> list[tuple[Any, Any, float]]:
        flat = [c for a in self.story.articles for c in self.claims.get(a["id"], [])]
        if len(flat) < 2:
            return []
        vecs = np.stack([self.vectors[c.text] for c in flat])
        sims = vecs @ vecs.T
        out = []
        for i in range(len(flat)):
            for j in range(len(flat)):
                if i == j:
                    continue
                a, b = flat[i], flat[j]
                if self.by_id[a.article_id]["outlet_key"] == self.by_id[b.article_id]["outlet_key"]:
                    continue
                if len(a.text.split()) < MIN_WORDS or len(b.text.split()) < MIN_WORDS:
                    continue
                s = float(sims[i, j])
                if FACT_COSINE <= s < COPY_COSINE and a.text.strip().lower() != b.text.strip().lower() \
                        and anchored(a, b, s):
                    out.append((a, b, s))
        return out


def anchored(a, b, similarity: float) -> bool:
    """Whether two similar claims are about one fact, not only in like words, even once the slot
    value that made them agree is changed: they share the content verb (not a light one: "is",
    "has"), or a named actor that is not a place and their meaning is close
    (:data:`ACTOR_COSINE`): a story's main actor is in many of its claims."""
    if a.predicate and a.predicate == b.predicate and a.predicate not in _LIGHT_VERBS:
        return True
    places = {p.name.lower() for p in [*a.places, *b.places]}
    shared = ({x.name.lower() for x in a.actors} - places) & ({x.name.lower() for x in b.actors} - places)
    return bool(shared) and similarity >= ACTOR_COSINE


def _date_targets(st: _Story, a, b, sim) -> Iterable[Target]:
    text = st.by_id[a.article_id]["text"]
    keys_b = [k for k in (_date_key(t) for t in b.time) if k]
    for t in a.time:
        k = _date_key(t)
        if not k or not any(_same_date(k, kb) for kb in keys_b):
            continue
        shifted = shift_date(t.text, weekday_resolved=t.status == "resolved")
        if shifted:
            yield Target("date", st.story.key, a.article_id, b.article_id, a.id, b.id, sim, t.start, t.end,
                         text[t.start:t.end], shifted[0], shifted[1])


def _number_targets(st: _Story, a, b, sim) -> Iterable[Target]:
    text = st.by_id[a.article_id]["text"]
    direction = -_later(st.by_id[a.article_id], st.by_id[b.article_id]) or 0
    for qa in a.quantities:
        noun = _noun(qa.noun)
        if noun is None:
            continue
        for qb in b.quantities:
            if _noun(qb.noun) != noun or not _meets(qa.low, qa.high, qb.low, qb.high):
                continue
            found = written_number(qa.text)
            if found is None or _not_a_count(qa.text, found, text[max(0, qa.start - 30):qa.start], qa.noun,
                                             text[qa.end:qa.end + 30]):
                continue
            new_value = scale_count(qa.low, qa.high, found[2], qb.low, qb.high, direction)
            if new_value is None:
                continue
            new = rewrite_count(qa.text, new_value)
            if new and new != qa.text:
                yield Target("number", st.story.key, a.article_id, b.article_id, a.id, b.id, sim, qa.start,
                             qa.end, text[qa.start:qa.end], new, f"{found[2]:g}→{new_value:g}")
            return


def _place_targets(st: _Story, a, b, sim, rng) -> Iterable[Target]:
    text = st.by_id[a.article_id]["text"]
    names_b = {p.name for p in b.places}
    for p in a.places:
        place = st.places.get((a.article_id, p.start))
        if not place or place["kind"] != "city" or p.name not in names_b:
            continue
        if not _swappable_place(text, p.start, p.end):
            continue
        origin = (place["lat"], place["lon"]) if place.get("lat") is not None else None
        city = other_city(p.name, place.get("country"), st.names, rng, origin=origin)
        if city:
            yield Target("place", st.story.key, a.article_id, b.article_id, a.id, b.id, sim, p.start, p.end,
                         text[p.start:p.end], city, city)


def _content_words(text: str) -> set[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return {w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOP_WORDS}


def _negation_target(st: _Story, a, b, sim) -> Target | None:
    from ..claims.clauses import REPORT_LEMMAS
    from ..claims.lemmas import lemma
    from ..nlp.model import load_pipeline

    if not a.predicate or a.predicate != b.predicate or a.negated or b.negated:
        return None
    if a.predicate in REPORT_LEMMAS or a.predicate in _LIGHT_VERBS:
        return None
    if not (_content_words(a.subject or "") & _content_words(b.subject or "")
            or _content_words(a.object or "") & _content_words(b.object or "")):
        return None                  # one verb is not one fact: the two must share who or what too
    text = st.by_id[a.article_id]["text"]
    sent = st.analyses[a.article_id]["sentences"][a.sentence]
    base = sent["start"]
    doc = load_pipeline(with_parser=True)(text[base:sent["end"]])
    for tok in doc:
        if not (a.start <= base + tok.idx < a.end) or tok.pos_ not in ("VERB", "AUX"):
            continue
        if lemma(tok) != a.predicate:
            continue
        edit = negate_verb(doc, tok.i)
        if edit is None:
            return None
        s, e, new = edit
        return Target("negation", st.story.key, a.article_id, b.article_id, a.id, b.id, sim, base + s, base + e,
                      text[base + s:base + e], new, new.strip())
    return None


def draw_targets(st: _Story, rng: random.Random, per_story: int) -> list[Target]:
    """Up to ``per_story`` targets of each kind, each on a different claim, drawn with ``rng``."""
    pairs = st.pairs()
    rng.shuffle(pairs)
    out: list[Target] = []
    for kind in INJECTED_KINDS:
        used: set[str] = set()
        n = 0
        for a, b, sim in pairs:
            if n >= per_story:
                break
            if a.id in used:
                continue
            if kind == "date":
                found = next(iter(_date_targets(st, a, b, sim)), None)
            elif kind == "number":
                found = next(iter(_number_targets(st, a, b, sim)), None)
            elif kind == "place":
                found = next(iter(_place_targets(st, a, b, sim, rng)), None)
            else:
                found = _negation_target(st, a, b, sim)
            if found is not None and a.start <= found.start and found.end <= a.end:
                out.append(found)
                used.add(a.id)
                n += 1
    return out


# -------------------------------------------------------------------------------- detection

def _overlaps(q: dict, article_id: str, region: tuple[int, int]) -> bool:
    return q["article_id"] == article_id and q["start"] < region[1] and region[0] < q["end"]


def _touches(entry: dict, article_id: str, region: tuple[int, int]) -> bool:
    return any(_overlaps(q, article_id, region) for s in entry["sides"] for q in s["evidence"])


def _separates(entry: dict, target: Target) -> bool:
    region = target.region()
    for i, side in enumerate(entry["sides"]):
        if not any(_overlaps(q, target.article_id, region) for q in side["evidence"]):
            continue
        for j, other in enumerate(entry["sides"]):
            if j != i and target.partner_id in other["article_ids"] and target.article_id not in other["article_ids"]:
                return True
    return False


def detect(result: dict, target: Target) -> tuple[bool, str]:
    """(found, reason) for one injection, from the judged modified story."""
    for c in result["conflicts"]:
        if c["kind"] == target.kind and _separates(c, target):
            return True, "found"
    region = target.region()
    others = sorted({c["kind"] for c in result["conflicts"] if _touches(c, target.article_id, region)
                     and any(target.partner_id in s["article_ids"] for s in c["sides"])})
    if others:
        return False, "found as " + "/".join(others)
    if any(u["kind"] == target.kind and _touches(u, target.article_id, region) for u in result["updates"]):
        return False, "labelled an update"
    for c in result["claims"]:
        mine = [s for s in c["sources"] if _overlaps(s, target.article_id, region)]
        if mine:
            if any(s["article_id"] == target.partner_id for s in c["sources"]):
                return False, "aligned, no difference"
            return False, "not aligned"
    return False, "no claim holds the rewritten words"


def _slot_read(target: Target, claims: list) -> bool:
    """Whether the modified article's reading carries the injected value."""
    region = target.region()
    mine = [c for c in claims if c.start < region[1] and region[0] < c.end]
    if target.kind == "negation":
        return any(c.negated for c in mine)
    for c in mine:
        if target.kind == "date" and any(t.start < region[1] and region[0] < t.end for t in c.time):
            return True
        if target.kind == "number" and any(q.start < region[1] and region[0] < q.end for q in c.quantities):
            return True
        if target.kind == "place" and any(p.name == target.new for p in c.places):
            return True
    return False


def target_key(target: Target) -> str:
    """An injection's identity for judgements: its story, kind, the two claims and the rewrite."""
    parts = [target.story, target.kind, target.article_id, target.claim_id, target.partner_claim_id,
             str(target.start), target.old, target.new]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def conflict_key(entry: dict, story: str) -> str:
    """A conflict's identity for judgements: its story, kind and the claim spans on its sides."""
    spans = sorted(f"{q['article_id']}:{q['start']}:{q['end']}" for s in entry["sides"] for q in s["evidence"])
    return hashlib.sha1("\x1f".join([story, entry["kind"], *spans]).encode("utf-8")).hexdigest()[:16]


# ----------------------------------------------------------------------------------- running

class _CachedEncoder:
    """Each distinct text is encoded once over the whole run."""

    def __init__(self, inner):
        self.inner = inner
        self.memo: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        texts = list(texts)
        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            for t, v in zip(todo, self.inner.encode(todo, batch_size=batch_size)):
                self.memo[t] = np.asarray(v, dtype=np.float32)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts])


class _Readings:
    """Readings and claims by article text, optionally kept on disk between runs (``cache_dir``):
    a reading under the analysis version, claims under a hash of the claims code as well."""

    def __init__(self, cache_dir: Path | None):
        from ..nlp import ANALYSIS_VERSION

        self.dir = Path(cache_dir) if cache_dir else None
        if self.dir:
            self.dir.mkdir(parents=True, exist_ok=True)
        code = hashlib.sha1()
        for p in sorted((Path(__file__).resolve().parents[1] / "claims").glob("*.py")):
            code.update(p.read_bytes())
        self.versions = {"analysis": "a" + ANALYSIS_VERSION, "claims": "c" + ANALYSIS_VERSION + code.hexdigest()[:10]}
        self.memo: dict[str, Any] = {}

    def _key(self, what: str, text: str, published: str | None) -> str:
        return hashlib.sha1(f"{self.versions[what]}\x1f{published}\x1f{text}".encode("utf-8")).hexdigest()

    def _get(self, key: str):
        if key in self.memo:
            return self.memo[key]
        path = self.dir / f"{key}.json" if self.dir else None
        if path is not None and path.exists():
            self.memo[key] = json.loads(path.read_text(encoding="utf-8"))
            return self.memo[key]
        return None

    def _put(self, key: str, value) -> None:
        self.memo[key] = value
        if self.dir:
            (self.dir / f"{key}.json").write_text(json.dumps(value), encoding="utf-8")

    def read(self, items: list[tuple[str, str, str | None]]) -> dict[str, tuple[dict, list]]:
        """(analysis JSON, claims) per article id for (id, text, published) items."""
        from ..claims import Claim, ClaimInput, extract_claims_many
        from ..nlp import ReadItem, read_articles

        akeys = {aid: self._key("analysis", text, pub) for aid, text, pub in items}
        ckeys = {aid: self._key("claims", text, pub) for aid, text, pub in items}
        todo = [(aid, text, pub) for aid, text, pub in items if self._get(akeys[aid]) is None]
        if todo:
            fresh = read_articles([ReadItem(aid, text, "en", pub, "day" if pub else None) for aid, text, pub in todo])
            for aid, _, _ in todo:
                self._put(akeys[aid], fresh[aid].to_json())
        todo = [(aid, text, pub) for aid, text, pub in items if self._get(ckeys[aid]) is None]
        if todo:
            claims = extract_claims_many([ClaimInput(aid, text, self._get(akeys[aid]), pub) for aid, text, pub in todo])
            for aid, _, _ in todo:
                self._put(ckeys[aid], [c.to_json() for c in claims[aid]])
        return {aid: (self._get(akeys[aid]), [Claim.from_json(c) for c in self._get(ckeys[aid])])
                for aid, _, _ in items}


def _judge(story: Story, analyses: dict, claims: dict, encoder, params) -> dict:
    from ..alignment import StoryArticle, judge_story
    from ..alignment.pipeline import place_key

    arts = [StoryArticle(a["id"], a["source"], a["published"], None, a["text"]) for a in story.articles
            if not analyses[a["id"]].get("note")]
    kinds = {(a.id, m["start"]): place_key(m["place"]) for a in arts
             for m in analyses[a.id].get("mentions", []) if m.get("place")}
    return judge_story(arts, {a.id: claims[a.id] for a in arts}, encoder, kinds, params)


def load_judgements(path: str | Path | None, labels: tuple[str, str] = ("real", "not")) -> dict[str, str]:
    """key → label from a judgements file (JSON lines ``{"key", "kind", "label"}``, label one of
    ``labels``); {} when absent."""
    if path is None or not Path(path).exists():
        return {}
    out = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationError(f"{path}:{n}: not JSON ({exc.msg})") from None
        if row.get("label") not in labels:
            raise EvaluationError(f"{path}:{n}: label must be one of {', '.join(map(repr, labels))}, "
                                  f"got {row.get('label')!r}")
        out[row["key"]] = row["label"]
    return out


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def evaluate(data: str | Path = DEFAULT_DATA, *, stories: int = 20, seed: int = 0, per_story: int = 2,
             judged: str | Path | None = DEFAULT_JUDGED, judge_out: str | Path | None = None,
             judged_targets: str | Path | None = DEFAULT_JUDGED_TARGETS,
             judge_sample: int = JUDGE_SAMPLE, cache_dir: str | Path | None = None,
             targets_out: str | Path | None = None,
             examples: str | Path | None = DEFAULT_EXAMPLES, encoder=None, params=None,
             progress=None) -> dict[str, Any]:
    """Recall of injected conflicts per kind and judged precision of flagged ones (module docstring)."""
    t0 = time.perf_counter()
    chosen = load_stories(data, stories=stories, seed=seed)
    if not chosen:
        raise EvaluationError(f"{data}: no story with articles from two outlets or more")
    if encoder is None:
        from ..embed import get_embedder

        encoder = get_embedder()
    enc = _CachedEncoder(encoder)
    readings = _Readings(Path(cache_dir) if cache_dir else None)
    items = [(a["id"], a["text"], a["published"]) for s in chosen for a in s.articles]
    read = readings.read(items)
    t_read = time.perf_counter() - t0

    valid = load_judgements(judged_targets, ("valid", "invalid"))
    recall: dict[str, dict[str, Any]] = {k: {"n": 0, "found": 0, "aligned_before": 0, "slot_read": 0,
                                             "judged": 0, "valid": 0, "found_valid": 0,
                                             "misses": Counter(), "by_file": defaultdict(lambda: [0, 0])}
                                         for k in INJECTED_KINDS}
    flagged: list[dict] = []
    t_base = t_inject = 0.0
    n_targets = 0
    injected_rows: list[dict] = []
    for si, story in enumerate(chosen):
        if progress:
            progress(story, si, len(chosen))
        analyses = {a["id"]: read[a["id"]][0] for a in story.articles}
        claims = {a["id"]: read[a["id"]][1] for a in story.articles}
        t1 = time.perf_counter()
        base = _judge(story, analyses, claims, enc, params)
        t_base += time.perf_counter() - t1
        for c in base["conflicts"]:
            flagged.append({"key": conflict_key(c, story.key), "story": story.key, **c})
        grouped = {frozenset(s["article_id"] + f":{s['start']}" for s in c["sources"]) for c in base["claims"]}
        enc.encode([c.text for cs in claims.values() for c in cs])
        st = _Story(story, analyses, claims, enc.memo)
        rng = random.Random(f"{seed}:{story.key}")
        t2 = time.perf_counter()
        for target in draw_targets(st, rng, per_story):
            n_targets += 1
            art = st.by_id[target.article_id]
            a_claim = next(c for c in claims[target.article_id] if c.id == target.claim_id)
            b_claim = next(c for c in claims[target.partner_id] if c.id == target.partner_claim_id)
            target.aligned_before = any({f"{a_claim.article_id}:{a_claim.start}",
                                         f"{b_claim.article_id}:{b_claim.start}"} <= g for g in grouped)
            new_text = apply_edit(art["text"], target)
            new_reading = readings.read([(target.article_id, new_text, art["published"])])[target.article_id]
            mod_story = Story(story.file, story.cluster,
                              [dict(a, text=new_text) if a["id"] == target.article_id else a for a in story.articles])
            mod_analyses = dict(analyses, **{target.article_id: new_reading[0]})
            mod_claims = dict(claims, **{target.article_id: new_reading[1]})
            result = _judge(mod_story, mod_analyses, mod_claims, enc, params)
            found, reason = detect(result, target)
            r = recall[target.kind]
            r["n"] += 1
            r["found"] += found
            r["aligned_before"] += target.aligned_before
            read_ok = _slot_read(target, new_reading[1])
            r["slot_read"] += read_ok
            if not found:
                r["misses"][reason if read_ok else "slot not read back: " + reason] += 1
            r["by_file"][story.file][0] += 1
            r["by_file"][story.file][1] += found
            key = target_key(target)
            if key in valid:
                r["judged"] += 1
                r["valid"] += valid[key] == "valid"
                r["found_valid"] += found and valid[key] == "valid"
            if targets_out:
                injected_rows.append({"key": key, "label": valid.get(key), **target.__dict__, "found": found,
                                      "reason": reason, "slot_read": read_ok,
                                      "claim": a_claim.text, "partner_claim": b_claim.text})
        t_inject += time.perf_counter() - t2

    if targets_out:
        with open(targets_out, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in injected_rows)
    judgements = load_judgements(judged)
    precision: dict[str, dict[str, Any]] = {}
    sample_out = []
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for c in flagged:
        by_kind[c["kind"]].append(c)
    for kind in sorted(set(INJECTED_KINDS) | set(by_kind)):
        items_k = sorted(by_kind.get(kind, []), key=lambda c: c["key"])
        sample = random.Random(f"{seed}:judge:{kind}").sample(items_k, min(judge_sample, len(items_k)))
        labels = [judgements[c["key"]] for c in sample if c["key"] in judgements]
        real = sum(1 for x in labels if x == "real")
        precision[kind] = {"flagged": len(items_k), "sampled": len(sample), "judged": len(labels), "real": real,
                           "precision": _ratio(real, len(labels))}
        sample_out.extend(sample)
    if judge_out:
        with open(judge_out, "w", encoding="utf-8") as fh:
            for c in sample_out:
                fh.write(json.dumps({"key": c["key"], "story": c["story"], "kind": c["kind"],
                                     "label": judgements.get(c["key"]), "sides": c["sides"],
                                     "explanation": c.get("explanation")}, ensure_ascii=False) + "\n")

    out_recall = {}
    for kind, r in recall.items():
        out_recall[kind] = {"n": r["n"], "found": r["found"], "recall": _ratio(r["found"], r["n"]),
                            "judged": r["judged"], "valid": r["valid"], "found_valid": r["found_valid"],
                            "recall_valid": _ratio(r["found_valid"], r["valid"]),
                            "slot_read": r["slot_read"], "aligned_before": r["aligned_before"],
                            "misses": dict(r["misses"].most_common()),
                            "by_file": {f: {"n": v[0], "found": v[1]} for f, v in sorted(r["by_file"].items())}}
    result = {
        "data": str(data), "seed": seed, "stories_per_file": stories, "per_story": per_story,
        "n_stories": len(chosen), "n_articles": len(items),
        "stories_by_file": dict(Counter(s.file for s in chosen)),
        "fact_cosine": FACT_COSINE, "copy_cosine": COPY_COSINE,
        "recall": out_recall, "precision": precision,
        "judged_file": str(judged) if judged else None, "judgements_loaded": len(judgements),
        "judged_targets_file": str(judged_targets) if judged_targets else None,
        "target_judgements_loaded": len(valid),
        "seconds": {"read_and_claims": round(t_read, 1), "judge_unmodified": round(t_base, 1),
                    "injections": round(t_inject, 1), "n_injections": n_targets},
    }
    if examples and Path(examples).is_dir():
        t3 = time.perf_counter()
        result["seed_story"] = seed_story(examples, encoder=enc, params=params, readings=readings)
        result["seconds"]["seed_story"] = round(time.perf_counter() - t3, 1)
    result["seconds"]["total"] = round(time.perf_counter() - t0, 1)
    return result


def seed_story(folder: str | Path, *, encoder=None, params=None, readings: _Readings | None = None) -> dict:
    """What the pipeline finds on the seed story (publication dates unknown): conflicts and updates."""
    paths = sorted(Path(folder).glob("*.txt"))
    story = Story("seed", Path(folder).name,
                  [{"id": p.stem, "source": None, "outlet_key": p.stem, "published": SEED_PUBLISHED,
                    "text": p.read_text(encoding="utf-8")} for p in paths])
    readings = readings or _Readings(None)
    read = readings.read([(a["id"], a["text"], a["published"]) for a in story.articles])
    if encoder is None:
        from ..embed import get_embedder

        encoder = get_embedder()
    result = _judge(story, {k: v[0] for k, v in read.items()}, {k: v[1] for k, v in read.items()}, encoder, params)

    def brief(entry):
        return {"kind": entry["kind"], "sides": [{"value": s["value"], "normalized": s["normalized"],
                                                  "article_ids": s["article_ids"]} for s in entry["sides"]]}
    return {"conflicts": [brief(c) for c in result["conflicts"]], "updates": [brief(u) for u in result["updates"]],
            "statuses": dict(Counter(c["status"] for c in result["claims"]))}


def _table(result: dict) -> str:
    lines = [f"{result['n_stories']} stories ({result['n_articles']} articles): "
             + ", ".join(f"{k} {v}" for k, v in result["stories_by_file"].items()),
             f"{'kind':10} {'injected':>8} {'found':>6} {'recall':>7} {'valid':>6} {'found':>6} {'recall':>7}   "
             f"{'flagged':>7} {'judged':>6} {'precision':>9}"]
    for kind in sorted(set(result["recall"]) | set(result["precision"]), key=lambda k: (k not in INJECTED_KINDS, k)):
        r = result["recall"].get(kind, {"n": 0, "found": 0, "recall": None})
        p = result["precision"].get(kind, {"flagged": 0, "judged": 0, "precision": None})
        rec = "-" if r["recall"] is None else f"{r['recall']:.3f}"
        prec = "-" if p["precision"] is None else f"{p['precision']:.3f}"
        rv = "-" if r.get("recall_valid") is None else f"{r['recall_valid']:.3f}"
        lines.append(f"{kind:10} {r['n']:>8} {r['found']:>6} {rec:>7} {r.get('valid', 0):>6} "
                     f"{r.get('found_valid', 0):>6} {rv:>7}   {p['flagged']:>7} {p['judged']:>6} {prec:>9}")
    for kind, r in result["recall"].items():
        if r.get("misses"):
            lines.append(f"  {kind} misses: " + "; ".join(f"{k} {v}" for k, v in r["misses"].items()))
    if "seed_story" in result:
        s = result["seed_story"]
        for entry in s["conflicts"] + s["updates"]:
            tag = "conflict" if entry in s["conflicts"] else "update"
            lines.append(f"  seed {tag} ({entry['kind']}): " + " vs ".join(
                f"{x['value']!r} [{', '.join(x['article_ids'])}]" for x in entry["sides"]))
    lines.append("seconds: " + json.dumps(result["seconds"]))
    return "\n".join(lines)

"""A story's timeline: the dates its articles give, one entry per date, ranked the way timeline
summarisers rank dates.

Input: the story's articles (``id``, ``published``, ``text``), their readings (``analysis["dates"]``
and ``analysis["sentences"]``, see :mod:`rashomon.nlp.types`) and, when the story has been judged,
its claims block (``{"claims", "conflicts", ...}`` as :func:`rashomon.alignment.story_claims` gives).

Entries. Every resolved date expression of precision day, month or year is a mention; mentions of
the same value and precision make one entry. Weeks, quarters, seasons and decades are left out:
the contract's precisions are day, month and year, and widening a week to its year would say less
than the text did. Each entry carries

* ``date``, ``precision`` and ``article_ids`` (the articles that mention it, in story order);
* ``text``: when judged claims are given, the claim whose evidence span holds a mention of the date
  (the claim's time slot is that date) — the one carried by most of the entry's articles, then by
  most independent sources; otherwise the sentence that shares most words with the other sentences
  giving this date (the centroid sentence, as DATEWISE picks its summary), ties to the earliest
  article. ``source`` says where that text sits (article and character offsets) and ``claim_ids``
  which claims hold the date;
* ``background``: the date ends more than :data:`BACKGROUND_DAYS` days before the story's first
  publication day (without publication dates: before the latest day the articles mention) —
  context such as "the opposition lost Aleppo in 2016", not the news;
* ``disputed`` and ``conflict_ids``: a ``date`` conflict of the story names this date on one of its
  sides (a side's evidence span holds one of the entry's mentions, or the side's normalised value
  is the entry's date and one of its articles gives it); ``alternatives`` lists what the other
  sides say;
* ``score``: the date's importance (below); ``mentions``: how many expressions give it.

Ranking (:func:`date_signals`, :func:`date_score`). Timeline summarisation selects dates before
sentences (Tran et al. 2013; Martschat & Markert 2018; Gholipour Ghalandari & Ifrim 2020, DATEWISE).
The signals of a day ``d`` (each a count over the story's articles):

* ``articles``: the articles that mention ``d``;
* ``later``: those published more than :data:`LATER_DAYS` days after ``d`` — a day still named a
  week on is one the story turns on;
* ``published``: the articles published on ``d``, plus half of those published the day after
  (a day's news is printed the next morning);
* also kept, for evaluation and callers with other weights: ``mentions``, ``recent`` (articles
  weighted ``exp(-gap / RECENCY_DAYS)`` by how soon after ``d`` they appeared), ``earlier``,
  ``same_day`` and ``graph`` (PageRank in the date-reference graph: each article links its
  publication day to every day it names).

:func:`date_score` is the weighted sum of the signals named in :data:`SIGNAL_WEIGHTS`, each divided
by its largest value in the story, so the score does not grow with the story's size. The weights
(articles 1, later 1, published 0.5) are set by hand, not fitted. Measured by ``rashomon eval
timeline`` on ten Timeline17 timelines (:mod:`rashomon.evaluation.timelines`, standard window
protocol): date-F1 .656, against .630 for counting mentions and .609 for counting publications;
weights picked on the other topics only (leave one topic out) score .609 and a logistic-regression
classifier on all the signals .625, so the hand weights are not better than those in a way these
ten timelines can show. A month or a year has only its articles (the other signals are about
days): in a long story, a month named by many articles still outranks a day named once. A
background entry's score is multiplied by :data:`BACKGROUND_FACTOR`: the past that explains the
story yields to the story's own dates unless many more articles recall it.

With ``max_entries`` the best-scoring entries are kept; the timeline is always returned in
chronological order (ties: coarser precision first, so "November 2024" precedes "2024-11-27").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..claims.background import BACKGROUND_DAYS
from ..errors import TimelineError
from ..nlp.dates import date_range

__all__ = ["story_timeline", "TimelineError", "DateMention", "DateSignals", "date_mentions", "date_signals",
           "date_score", "parse_day", "BACKGROUND_DAYS", "RECENCY_DAYS", "LATER_DAYS", "SIGNAL_WEIGHTS", "PRECISIONS",
           "MAX_TEXT_CHARS", "BACKGROUND_FACTOR"]

PRECISIONS = ("day", "month", "year")
_ORDER = {"year": 0, "month": 1, "day": 2}
#: Scale of the recency weight: an article published this many days after a date counts 1/e.
RECENCY_DAYS = 3.0
#: An article published more than this many days after a date and still naming it counts as ``later``.
LATER_DAYS = 7
#: Weights of the normalised signals in :func:`date_score`.
SIGNAL_WEIGHTS = {"articles": 1.0, "later": 1.0, "published": 0.5}
#: Background entries rank with this share of their score.
BACKGROUND_FACTOR = 0.5
#: A longer sentence is cut at a word boundary (its ``source`` span still covers all of it).
MAX_TEXT_CHARS = 300
_CENTROID_POOL = 60          # sentences compared per date; enough to find a typical one
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Function words carry no content: two sentences sharing only these are not alike.
_STOP = frozenset("""about above after again against all also among and any are around because been before
being below between both but can could did does doing down during each few for from further had has have
having her here hers him his how into its just more most much not now off once only other our ours out over
own same she should some such than that the their theirs them then there these they this those through too
under until very was were what when where which while who whom why will with would you your yours said says
told""".split())




@dataclass(frozen=True)
class DateMention:
    article_id: str
    value: str                # "2024-11-27", "2024-11", "2016"
    precision: str            # day | month | year
    start: int
    end: int
    sentence: int             # index into the article's sentences; -1 when unknown
    published: dt.date | None  # the article's publication day


@dataclass
class DateSignals:
    mentions: int = 0         # expressions giving the date
    articles: int = 0         # articles giving it
    recent: float = 0.0       # articles, weighted by how soon after the date they appeared
    later: int = 0            # articles naming it more than LATER_DAYS after it ended (remembered)
    earlier: int = 0          # articles naming it before it began (announced, scheduled)
    same_day: int = 0         # articles published within it
    published: float = 0.0    # articles published on the day (+ half of the next day's)
    graph: float = 0.0        # PageRank in the date-reference graph


def parse_day(value: Any) -> dt.date | None:
    """The calendar day of an ISO date or datetime (string, date or datetime); None when unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _reading(analyses: Mapping[str, Any], aid: str) -> dict | None:
    """The stored reading as plain JSON; None for an article without a usable one."""
    a = analyses.get(aid)
    if a is None:
        return None
    if hasattr(a, "to_json"):
        a = a.to_json()
    if a.get("note"):
        return None
    if not isinstance(a.get("dates"), list) or not isinstance(a.get("sentences"), list):
        raise TimelineError(f"the reading of article {aid!r} has no 'dates' or 'sentences' list; "
                            f"expected ArticleAnalysis.to_json() output (rashomon.nlp.read_articles)")
    return a


def date_mentions(articles: Sequence[Any], analyses: Mapping[str, Any]) -> list[DateMention]:
    """Every resolved day, month or year expression of the articles that have a usable reading."""
    out = []
    for art in articles:
        aid = _get(art, "id")
        reading = _reading(analyses, aid)
        if reading is None:
            continue
        published = parse_day(_get(art, "published"))
        for d in reading["dates"]:
            if d.get("status") != "resolved" or d.get("precision") not in PRECISIONS or not d.get("value"):
                continue
            if date_range(d["value"], d["precision"]) is None:
                raise TimelineError(f"article {aid!r}: date {d.get('text')!r} has value {d['value']!r}, "
                                    f"which is not a valid {d['precision']}")
            out.append(DateMention(aid, d["value"], d["precision"], int(d["start"]), int(d["end"]),
                                   int(d.get("sentence", -1)), published))
    return out


def _pagerank(edges: Mapping[tuple[Any, Any], float], nodes: Sequence[Any], damping: float = 0.85,
              iterations: int = 50) -> dict[Any, float]:
    """Weighted PageRank; a node without out-links spreads its rank evenly (the usual teleport)."""
    if not nodes:
        return {}
    n = len(nodes)
    out_w: dict[Any, float] = defaultdict(float)
    for (src, _), w in edges.items():
        out_w[src] += w
    rank = {v: 1.0 / n for v in nodes}
    for _ in range(iterations):
        dangling = sum(rank[v] for v in nodes if out_w[v] == 0)
        new = {v: (1 - damping) / n + damping * dangling / n for v in nodes}
        for (src, dst), w in edges.items():
            new[dst] += damping * rank[src] * w / out_w[src]
        rank = new
    return rank


def date_signals(mentions: Iterable[DateMention], published: Iterable[dt.date | None] = (), *,
                 recency_days: float = RECENCY_DAYS, later_days: int = LATER_DAYS
                 ) -> dict[tuple[str, str], DateSignals]:
    """The ranking signals of every (value, precision) mentioned, and of every publication day.

    ``published``: the publication day of every article of the story (one per article, None for an
    unknown one), which gives the publication signal and the graph's sources.
    """
    out: dict[tuple[str, str], DateSignals] = defaultdict(DateSignals)
    seen: set[tuple[str, str, str]] = set()
    edges: dict[tuple[dt.date, dt.date], float] = defaultdict(float)
    for m in mentions:
        key = (m.value, m.precision)
        sig = out[key]
        sig.mentions += 1
        if (m.article_id, *key) in seen:
            continue
        seen.add((m.article_id, *key))
        sig.articles += 1
        if m.published is None:
            sig.recent += 1.0
            continue
        # a month or a year counts from its last day: "in 2016" is old news in 2024, "this month" is not
        first, last = date_range(m.value, m.precision)
        gap = (m.published - last).days
        sig.recent += math.exp(-max(0, gap) / recency_days)
        if m.precision != "day":
            continue            # the other signals rank days; a month or year has only its mentions
        sig.later += gap > later_days
        sig.earlier += m.published < first
        sig.same_day += m.published == first
        edges[(m.published, first)] += 1.0
    for day in published:
        if day is None:
            continue
        out[(day.isoformat(), "day")].published += 1.0
        out[((day - dt.timedelta(days=1)).isoformat(), "day")].published += 0.5
    days = sorted({dt.date.fromisoformat(v) for v, p in out if p == "day"})
    for day, rank in _pagerank(edges, days).items():
        out[(day.isoformat(), "day")].graph = rank
    return dict(out)


def date_score(signals: Mapping[tuple[str, str], DateSignals],
               weights: Mapping[str, float] | None = None) -> dict[tuple[str, str], float]:
    """A weighted sum of the signals, each divided by its largest value among the story's dates."""
    weights = SIGNAL_WEIGHTS if weights is None else weights
    unknown = set(weights) - set(DateSignals.__dataclass_fields__)
    if unknown:
        raise TimelineError(f"unknown signal weight(s) {sorted(unknown)}; valid: "
                            f"{sorted(DateSignals.__dataclass_fields__)}")
    top = {name: max((getattr(s, name) for s in signals.values()), default=0.0) for name in weights}
    scores = {}
    for key, sig in signals.items():
        total = 0.0
        for name, w in weights.items():
            if w and top[name] > 0:
                total += w * getattr(sig, name) / top[name]
        scores[key] = total
    return scores


# ---------------------------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Span:
    article_id: str
    start: int
    end: int
    text: str


def _sentence_span(reading: dict, text: str, m: DateMention) -> _Span:
    sents = reading["sentences"]
    if 0 <= m.sentence < len(sents):
        s = sents[m.sentence]
    else:
        s = next((s for s in sents if s["start"] <= m.start < s["end"]), {"start": m.start, "end": m.end})
    start, end = int(s["start"]), int(s["end"])
    if not 0 <= start <= end <= len(text):
        raise TimelineError(f"article {m.article_id!r}: sentence {start}-{end} lies outside its "
                            f"{len(text)}-character text; the reading belongs to another text")
    return _Span(m.article_id, start, end, text[start:end].strip())


def _centroid(spans: Sequence[_Span]) -> _Span:
    """The sentence sharing most words with the others (other articles' sentences count)."""
    pool = spans[:_CENTROID_POOL]
    full = [s for s in pool if len(s.text.split()) >= 5] or list(pool)
    bags = [{w for w in _WORD.findall(s.text.lower()) if w not in _STOP} for s in full]
    best, best_score = full[0], -1.0
    for i, (s, a) in enumerate(zip(full, bags)):
        score = 0.0
        for j, (t, b) in enumerate(zip(full, bags)):
            if i != j and t.article_id != s.article_id and a and b:
                score += len(a & b) / len(a | b)
        if score > best_score:
            best, best_score = s, score
    return best


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = text[:MAX_TEXT_CHARS - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _claims(block: Any) -> list[dict]:
    if block is None:
        return []
    claims = block.get("claims", []) if isinstance(block, Mapping) else list(block)
    out = []
    for c in claims:
        c = c.to_json() if hasattr(c, "to_json") else c
        sources = c.get("sources") or [{"article_id": c.get("article_id"), "quote": c.get("text"),
                                        "start": c.get("start"), "end": c.get("end")}]
        spans = [s for s in sources if s.get("article_id") is not None and s.get("start") is not None]
        if not c.get("id") or not spans:
            raise TimelineError(f"claim {c.get('id')!r} has no id or no evidence span; expected the story's "
                                f"judged claims (rashomon.alignment.story_claims) or Claim objects")
        out.append({**c, "sources": spans})
    return out


def _date_conflicts(block: Any) -> list[dict]:
    if not isinstance(block, Mapping):
        return []
    return [x for x in block.get("conflicts", []) if x.get("kind") == "date"]


def _holds(span: Mapping[str, Any], m: DateMention) -> bool:
    return span.get("article_id") == m.article_id and span["start"] <= m.start and m.end <= span["end"]


def _reads_alone(quote: str) -> bool:
    """A clause cut from its sentence ("which the opposition lost in 2017") starts in lower case."""
    quote = quote.lstrip(" \"'“‘(")
    return bool(quote) and (quote[0].isupper() or quote[0].isdigit())


def _best_claim(claims: list[dict], ms: list[DateMention]) -> tuple[list[str], dict | None]:
    """(ids of the claims holding a mention, the preferred evidence span holding the date).

    Preferred: a span that reads as a sentence on its own, then the claim carried by most of the
    entry's articles, by most independent sources, not background, shortest. None when no claim
    holds the date as a sentence would: the caller then quotes the sentence itself.
    """
    ids, scored = set(), []
    for c in claims:
        held = [(s, m) for s in c["sources"] for m in ms if _holds(s, m)]
        if not held:
            continue
        ids.add(c["id"])
        covered = len({m.article_id for _, m in held})
        for span, _ in held:
            if _reads_alone(span.get("quote") or c.get("text") or ""):
                scored.append(((-covered, -int(c.get("independent_sources") or 1), bool(c.get("background")),
                                span["end"] - span["start"], c["id"], span["article_id"], span["start"]), span))
    scored.sort(key=lambda x: x[0])
    return sorted(ids), (scored[0][1] if scored else None)


def _side_matches(side: Mapping[str, Any], value: str, precision: str, ms: list[DateMention]) -> bool:
    for ev in side.get("evidence") or []:
        if ev.get("start") is not None and any(_holds(ev, m) for m in ms):
            return True
    norm = str(side.get("normalized") or "")
    same = norm == value or (norm.startswith("--") and precision == "day" and value[4:] == norm[1:])
    return same and bool(set(side.get("article_ids") or []) & {m.article_id for m in ms})


def _reference_day(published: Iterable[dt.date | None], mentions: Sequence[DateMention]) -> dt.date | None:
    days = [d for d in published if d is not None]
    if days:
        return min(days)
    ends = [date_range(m.value, m.precision)[1] for m in mentions]
    return max(ends) if ends else None


def story_timeline(articles: Sequence[Any], analyses: Mapping[str, Any], claims_block: Any = None, *,
                   max_entries: int | None = None, background_days: int = BACKGROUND_DAYS,
                   weights: Mapping[str, float] | None = None) -> list[dict[str, Any]]:
    """The story's ``timeline`` block: dated entries in chronological order (see the module notes).

    ``articles``: the story's articles, mappings or objects with ``id``, ``published`` (ISO or None)
    and ``text``; ``analyses``: their readings by id (``ArticleAnalysis`` or its ``to_json()``);
    articles without a reading, or whose reading has a ``note`` (not analysed), take no part.
    ``claims_block``: the story's judged ``{"claims", "conflicts"}`` (or a list of claims), which
    gives entries their claim wording and marks disputed dates. ``max_entries``: keep only that many
    of the best-scoring entries.
    """
    if max_entries is not None and (not isinstance(max_entries, int) or max_entries < 0):
        raise TimelineError(f"max_entries must be a whole number ≥ 0 or None, not {max_entries!r}")
    readings = {}
    for art in articles:
        reading = _reading(analyses, _get(art, "id"))
        if reading is not None:
            readings[_get(art, "id")] = reading
    arts = [a for a in articles if _get(a, "id") in readings]
    order = {_get(a, "id"): i for i, a in enumerate(arts)}
    texts = {_get(a, "id"): _get(a, "text") or "" for a in arts}
    mentions = date_mentions(arts, readings)
    if not mentions or max_entries == 0:
        return []
    published = [parse_day(_get(a, "published")) for a in arts]
    scores = date_score(date_signals(mentions, published), weights)
    reference = _reference_day(published, mentions)
    claims = _claims(claims_block)
    conflicts = _date_conflicts(claims_block)

    groups: dict[tuple[str, str], list[DateMention]] = defaultdict(list)
    for m in mentions:
        groups[(m.value, m.precision)].append(m)
    entries = []
    for (value, precision), ms in groups.items():
        ms.sort(key=lambda m: (order[m.article_id], m.start))
        article_ids = list(dict.fromkeys(m.article_id for m in ms))
        claim_ids, claim_span = _best_claim(claims, ms)
        if claim_span is not None:
            start, end = int(claim_span["start"]), int(claim_span["end"])
            text = claim_span.get("quote") or texts[claim_span["article_id"]][start:end]
            source = {"article_id": claim_span["article_id"], "start": start, "end": end}
        else:
            spans = list({(s.article_id, s.start): s for s in
                          (_sentence_span(readings[m.article_id], texts[m.article_id], m)
                           for m in ms)}.values())
            best = _centroid(spans)
            text, source = best.text, {"article_id": best.article_id, "start": best.start, "end": best.end}
        first, last = date_range(value, precision)
        background = reference is not None and (reference - last).days > background_days
        score = scores.get((value, precision), 0.0) * (BACKGROUND_FACTOR if background else 1.0)
        entry: dict[str, Any] = {
            "date": value, "precision": precision, "text": _short(text), "article_ids": article_ids,
            "source": source, "claim_ids": claim_ids, "mentions": len(ms), "score": round(score, 4),
            "background": background, "disputed": False, "conflict_ids": [],
        }
        alternatives = []
        for x in conflicts:
            sides = x.get("sides") or []
            mine = [s for s in sides if _side_matches(s, value, precision, ms)]
            if mine:
                entry["conflict_ids"].append(x["id"])
                alternatives += [{"value": s.get("value"), "normalized": s.get("normalized"),
                                  "article_ids": list(s.get("article_ids") or []), "conflict_id": x["id"]}
                                 for s in sides if s not in mine]
        if entry["conflict_ids"]:
            entry["disputed"] = True
            entry["alternatives"] = alternatives
        entries.append((first, entry))
    if max_entries is not None:
        entries.sort(key=lambda fe: (-fe[1]["score"], -len(fe[1]["article_ids"]), fe[0], _ORDER[fe[1]["precision"]]))
        entries = entries[:max_entries]
    entries.sort(key=lambda fe: (fe[0], _ORDER[fe[1]["precision"]], fe[1]["date"]))
    return [e for _, e in entries]

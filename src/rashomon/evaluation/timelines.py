"""Timeline date selection on Timeline17 (``rashomon eval timeline DATA``).

Data: ``<name>/articles.json`` (``uid``, ``dct`` = publication date, ``text``) and one
``<name>/*.timeline.json`` (the human timeline, ``[{"date", "text"}]``) per folder; the topic of a
timeline is the folder name before the first ``_`` (bpoil, H1N1, haiti, MJ).

Protocol (the date-selection task of Timeline17 as news-tls runs it, Gholipour Ghalandari & Ifrim
2020): the system is told the number ``k`` of distinct gold dates and selects ``k`` days;
``precision = |selected ∩ gold| / |selected|``, ``recall = |selected ∩ gold| / k``, F1 per timeline,
then macro averages over timelines (``f1`` is the mean of the per-timeline F1; ``f1_of_means`` the F1
of the mean precision and recall, the figure news-tls prints). Two settings, both in every run:

* ``window`` (the standard one, news-tls with ``time_span_extension=0``): only articles published
  between the first and the last gold date take part, and only days in that span are candidates;
* ``open``: every article and every day — the system must also find the span.

Candidates are days (the gold is day-level): every day an article mentions with day precision, and
every publication day. Months and years are left out (a month is not a day to select).

Readings: :func:`rashomon.nlp.read_articles` with ``dct`` as a day-precision publication date
(about 2,300 articles, some 20 minutes on one core), kept in ``--cache`` (default
``~/.cache/rashomon/timelines``, never the repository), keyed on the content of ``articles.json``
and :data:`rashomon.nlp.ANALYSIS_VERSION`.

Systems, all ranking the same candidates from the same readings:

* ``mention_count`` — baseline (a): days by how many date expressions name them;
* ``publication_count`` — baseline (b): days by how many articles were published on them;
* ``pagerank`` — the date-reference graph alone (publication day → mentioned day);
* ``rashomon`` — :func:`rashomon.brief.timeline.date_score` with its shipped weights, the ranking
  ``story_timeline`` uses;
* ``rashomon_loto`` — the same weighted sum with weights picked from a small grid on the timelines
  of the *other* topics (leave one topic out), then applied to the held-out topic;
* ``supervised_loto`` — a logistic-regression date classifier on the per-day signals (each divided
  by its largest value in the collection, as DATEWISE normalises its features), trained on the
  other topics' timelines, scored on the held-out one. Nothing is ever fitted on a held-out topic.

Ties are broken by the earlier day. Anchor: DATEWISE, date-F1 .544 on all 19 Timeline17 timelines
(window setting); these ten timelines are a subset, so the figures are near, not equal, tasks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import EvaluationError

__all__ = ["evaluate", "load_sets", "read_set", "cache_path", "collection", "select_dates", "date_prf", "TimelineSet",
           "Collection", "SYSTEMS", "PROTOCOLS", "FEATURES", "LOTO_GRID", "default_cache"]

SYSTEMS = ("mention_count", "publication_count", "pagerank", "rashomon", "rashomon_loto", "supervised_loto")
PROTOCOLS = ("window", "open")
#: The per-day signals (DateSignals fields) the supervised classifier reads.
FEATURES = ("mentions", "articles", "recent", "later", "earlier", "same_day", "published", "graph")
#: The signals and values of the leave-one-topic-out weight search.
LOTO_GRID = {"articles": (0.0, 0.5, 1.0, 2.0), "later": (0.0, 0.5, 1.0, 2.0), "published": (0.0, 0.5, 1.0, 2.0),
             "recent": (0.0, 0.5, 1.0), "graph": (0.0, 0.5, 1.0)}
ANCHORS = {"datewise_t17_date_f1": 0.544, "target_date_f1": 0.60}


@dataclass
class TimelineSet:
    name: str                       # folder name: "bpoil_bbc"
    topic: str                      # the part before the first "_": "bpoil"
    articles: list[dict]            # {"uid", "dct", "text"}
    gold: list[dict]                # {"date", "text"}
    digest: str = ""                # of articles.json: keys the reading cache
    gold_dates: list[dt.date] = field(default_factory=list)   # distinct, sorted


@dataclass
class Collection:
    """One timeline under one protocol: the candidate days with their signals, and the gold."""
    name: str
    topic: str
    days: list[dt.date]
    signals: dict[dt.date, Any]     # day -> DateSignals
    published: Counter              # day -> articles published that day
    gold: set[dt.date]
    n_articles: int


def default_cache() -> Path:
    from ..embed.quantize import default_cache_dir

    return default_cache_dir() / "timelines"


def load_sets(data_dir: Path) -> list[TimelineSet]:
    """Every ``<name>/articles.json`` + ``<name>/*.timeline.json`` under ``data_dir`` (or ``data_dir`` itself)."""
    data_dir = Path(data_dir)
    folders = [data_dir] if (data_dir / "articles.json").is_file() else sorted(
        p.parent for p in data_dir.glob("*/articles.json"))
    if not folders:
        raise EvaluationError(f"no <name>/articles.json under {data_dir}; expected a Timeline17 folder "
                              f"such as shared/data/timelines")
    sets = []
    for folder in folders:
        golds = sorted(folder.glob("*.timeline.json"))
        if len(golds) != 1:
            raise EvaluationError(f"{folder}: expected exactly one *.timeline.json, found {len(golds)}")
        raw = (folder / "articles.json").read_bytes()
        try:
            articles = json.loads(raw)
            gold = json.loads(golds[0].read_text(encoding="utf-8"))
            gold_dates = sorted({dt.date.fromisoformat(g["date"][:10]) for g in gold})
            for a in articles:
                dt.date.fromisoformat(a["dct"][:10])
                a["uid"], a["text"]
        except (ValueError, KeyError, TypeError) as exc:
            raise EvaluationError(f"{folder}: malformed Timeline17 files ({exc}); expected articles with "
                                  f"uid, dct (YYYY-MM-DD) and text, and a timeline of {{date, text}}") from exc
        if not gold_dates:
            raise EvaluationError(f"{golds[0]}: the timeline has no dates")
        sets.append(TimelineSet(folder.name, folder.name.split("_")[0], articles, gold,
                                hashlib.sha256(raw).hexdigest()[:16], gold_dates))
    return sets


def _slim(analysis: dict) -> dict:
    # the ranking needs dates and sentence spans only; the rest would make the cache ten times larger
    return {"note": analysis.get("note"),
            "sentences": [{"start": s["start"], "end": s["end"]} for s in analysis["sentences"]],
            "dates": analysis["dates"]}


def cache_path(ts: TimelineSet, cache_dir: Path) -> Path:
    """Where the readings of ``ts`` are kept: a new text or a new reading version is a new file."""
    from ..nlp import ANALYSIS_VERSION

    return Path(cache_dir) / f"t17-{ts.name}-{ts.digest}-a{ANALYSIS_VERSION}.json"


def read_set(ts: TimelineSet, cache_dir: Path | None, n_process: int = 1) -> tuple[dict[str, dict], float]:
    """``({uid: reading}, seconds spent reading)``; 0 seconds when the cache had it."""
    from ..nlp import ReadItem, read_articles

    path = None
    if cache_dir is not None:
        path = cache_path(ts, cache_dir)
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8")), 0.0
    items = [ReadItem(str(a["uid"]), a["text"], "en", a["dct"][:10], "day") for a in ts.articles]
    t0 = time.perf_counter()
    out = {k: _slim(v.to_json()) for k, v in read_articles(items, n_process=n_process).items()}
    spent = time.perf_counter() - t0
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(out), encoding="utf-8")
        tmp.replace(path)
    return out, spent


def collection(ts: TimelineSet, readings: Mapping[str, dict], protocol: str) -> Collection:
    """The candidate days and their signals for one timeline under ``protocol`` (window | open)."""
    from ..brief.timeline import date_mentions, date_signals

    if protocol not in PROTOCOLS:
        raise EvaluationError(f"unknown protocol {protocol!r}; valid: {', '.join(PROTOCOLS)}")
    first, last = ts.gold_dates[0], ts.gold_dates[-1]

    def inside(day: dt.date) -> bool:
        return protocol == "open" or first <= day <= last

    arts = [{"id": str(a["uid"]), "published": a["dct"][:10]} for a in ts.articles
            if inside(dt.date.fromisoformat(a["dct"][:10]))]
    published = Counter(dt.date.fromisoformat(a["published"]) for a in arts)
    signals = date_signals(date_mentions(arts, readings), [dt.date.fromisoformat(a["published"]) for a in arts])
    by_day = {dt.date.fromisoformat(v): s for (v, p), s in signals.items() if p == "day"}
    days = sorted(d for d, s in by_day.items() if inside(d) and (s.articles or published[d]))
    return Collection(ts.name, ts.topic, days, {d: by_day[d] for d in days}, published, set(ts.gold_dates), len(arts))


def select_dates(scores: Mapping[dt.date, float], k: int) -> list[dt.date]:
    """The ``k`` best-scoring days; ties go to the earlier day."""
    return sorted(scores, key=lambda d: (-scores[d], d))[:k]


def date_prf(selected: Sequence[dt.date], gold: set[dt.date]) -> dict[str, float]:
    tp = len(set(selected) & gold)
    p = tp / len(selected) if selected else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp}


# ---------------------------------------------------------------------------------------------
# Systems
# ---------------------------------------------------------------------------------------------

def _weighted(c: Collection, weights: Mapping[str, float]) -> dict[dt.date, float]:
    from ..brief.timeline import date_score

    scores = date_score({(d.isoformat(), "day"): s for d, s in c.signals.items()}, weights)
    return {d: scores[(d.isoformat(), "day")] for d in c.days}


def _matrix(c: Collection):
    import numpy as np

    x = np.array([[float(getattr(c.signals[d], f)) for f in FEATURES] for d in c.days], dtype=float)
    if len(x):
        x = x / np.maximum(x.max(axis=0), 1e-12)
    return x.reshape(len(c.days), len(FEATURES))


def _grid() -> tuple[list[str], list[tuple[float, ...]]]:
    return list(LOTO_GRID), [w for w in itertools.product(*LOTO_GRID.values()) if any(w)]


def _grid_f1(c: Collection):
    """F1 of every grid weighting on one collection (a vector in grid order)."""
    import numpy as np

    names, grid = _grid()
    if not c.days:
        return np.zeros(len(grid))
    scores = _matrix(c)[:, [FEATURES.index(n) for n in names]] @ np.array(grid).T   # days x grid
    hit = np.array([d in c.gold for d in c.days])
    k = len(c.gold)
    # a stable sort on -score keeps the earlier day first among ties, as select_dates does
    top = np.argsort(-scores, axis=0, kind="stable")[:k]                              # k x grid
    return 2 * hit[top].sum(axis=0) / (top.shape[0] + k)


def _loto_weights(collections: Sequence[Collection]) -> dict[str, dict[str, float]]:
    """Per topic: the grid weights with the best mean F1 on the timelines of every *other* topic."""
    import numpy as np

    names, grid = _grid()
    f1 = {c.name: _grid_f1(c) for c in collections}
    out = {}
    for topic in sorted({c.topic for c in collections}):
        total = sum((f1[c.name] for c in collections if c.topic != topic), np.zeros(len(grid)))
        out[topic] = dict(zip(names, grid[int(np.argmax(total))]))   # first best: grid order breaks ties
    return out


def _supervised(collections: Sequence[Collection], topic: str, held: Collection) -> dict[dt.date, float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    train = [c for c in collections if c.topic != topic and c.days]
    x = np.vstack([_matrix(c) for c in train])
    y = np.concatenate([[d in c.gold for d in c.days] for c in train]).astype(int)
    if len(set(y)) < 2 or not held.days:
        return {d: 0.0 for d in held.days}
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    return dict(zip(held.days, model.decision_function(_matrix(held)).tolist()))


def _system_scores(system: str, c: Collection, collections: Sequence[Collection],
                   loto: dict[str, dict[str, float]]) -> dict[dt.date, float]:
    if system == "mention_count":
        return {d: float(c.signals[d].mentions) for d in c.days}
    if system == "publication_count":
        return {d: float(c.published[d]) for d in c.days}
    if system == "pagerank":
        return {d: c.signals[d].graph for d in c.days}
    if system == "rashomon":
        return _weighted(c, _shipped_weights())
    if system == "rashomon_loto":
        return _weighted(c, loto[c.topic])
    if system == "supervised_loto":
        return _supervised(collections, c.topic, c)
    raise EvaluationError(f"unknown system {system!r}; valid: {', '.join(SYSTEMS)}")


def _shipped_weights() -> dict[str, float]:
    from ..brief.timeline import SIGNAL_WEIGHTS

    return dict(SIGNAL_WEIGHTS)


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------

def _round(d: Mapping[str, float]) -> dict[str, float]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in d.items()}


def evaluate(data_dir: Path, *, cache_dir: Path | None | str = "default", n_process: int = 1,
             systems: Sequence[str] = SYSTEMS, protocols: Sequence[str] = PROTOCOLS) -> dict[str, Any]:
    """Date-selection P/R/F1 per timeline and macro, for every system under every protocol.

    ``cache_dir``: where readings are kept between runs (``"default"``: :func:`default_cache`;
    None: read every time, keep nothing).
    """
    bad = [s for s in systems if s not in SYSTEMS] + [p for p in protocols if p not in PROTOCOLS]
    if bad:
        raise EvaluationError(f"unknown system or protocol {bad}; systems: {', '.join(SYSTEMS)}; "
                              f"protocols: {', '.join(PROTOCOLS)}")
    cache = default_cache() if cache_dir == "default" else (Path(cache_dir) if cache_dir else None)
    sets = load_sets(Path(data_dir))
    notes = []
    if len({ts.topic for ts in sets}) < 2 and any(s.endswith("_loto") for s in systems):
        # leave-one-topic-out needs another topic to learn from; never fit on the timeline scored
        systems = [s for s in systems if not s.endswith("_loto")]
        notes.append("one topic only: the leave-one-topic-out systems were not run")
    readings, read_s, chars = {}, 0.0, 0
    for ts in sets:
        readings[ts.name], spent = read_set(ts, cache, n_process)
        read_s += spent
        chars += sum(len(a["text"]) for a in ts.articles)
    t0 = time.perf_counter()
    result: dict[str, Any] = {"data": str(data_dir), "k": "number of distinct gold dates",
                              "anchors": ANCHORS, "notes": notes, "protocols": {}}
    for protocol in protocols:
        cols = [collection(ts, readings[ts.name], protocol) for ts in sets]
        loto = _loto_weights(cols) if "rashomon_loto" in systems else {}
        rows: dict[str, Any] = {}
        per_system: dict[str, list[dict]] = {s: [] for s in systems}
        for c in cols:
            k = len(c.gold)
            row = {"topic": c.topic, "k": k, "articles": c.n_articles, "candidates": len(c.days),
                   "reachable": len(c.gold & set(c.days)), "systems": {}}
            for s in systems:
                chosen = select_dates(_system_scores(s, c, cols, loto), k)
                prf = date_prf(chosen, c.gold)
                per_system[s].append(prf)
                row["systems"][s] = _round(prf)
            rows[c.name] = row
        macro = {}
        for s in systems:
            n = len(per_system[s])
            p = sum(x["precision"] for x in per_system[s]) / n
            r = sum(x["recall"] for x in per_system[s]) / n
            macro[s] = _round({"precision": p, "recall": r, "f1": sum(x["f1"] for x in per_system[s]) / n,
                               "f1_of_means": 2 * p * r / (p + r) if p + r else 0.0})
        reach = sum(r["reachable"] / r["k"] for r in rows.values()) / len(rows)
        result["protocols"][protocol] = {"timelines": rows, "macro": macro,
                                         "macro_reachable_recall": round(reach, 4),
                                         **({"loto_weights": loto} if loto else {})}
    result["shipped_weights"] = _shipped_weights()
    result["speed"] = {"articles": sum(len(ts.articles) for ts in sets), "chars": chars,
                       "read_s": round(read_s, 1), "rank_s": round(time.perf_counter() - t0, 2),
                       "cached_readings": read_s == 0.0}
    return result


def _table(result: dict[str, Any]) -> str:
    lines = []
    for protocol, block in result["protocols"].items():
        systems = list(block["macro"])
        short = {s: s.replace("_count", "").replace("publication", "pub").replace("supervised", "sup")[:13]
                 for s in systems}
        lines.append(f"[{protocol}] date F1 per timeline (k = distinct gold dates; reach = gold dates among candidates)")
        lines.append(f"{'timeline':22} {'k':>4} {'arts':>5} {'cand':>5} {'reach':>5} "
                     + " ".join(f"{short[s]:>13}" for s in systems))
        for name, r in block["timelines"].items():
            lines.append(f"{name:22} {r['k']:>4} {r['articles']:>5} {r['candidates']:>5} {r['reachable']:>5} "
                         + " ".join(f"{r['systems'][s]['f1']:>13.3f}" for s in systems))
        for key in ("precision", "recall", "f1", "f1_of_means"):
            lines.append(f"{'macro ' + key:40} " + " ".join(f"{block['macro'][s][key]:>13.3f}" for s in systems))
        lines.append(f"macro reachable recall (upper bound): {block['macro_reachable_recall']:.3f}")
        for topic, w in block.get("loto_weights", {}).items():
            lines.append(f"  rashomon_loto weights with {topic} held out: {w}")
        lines.append("")
    lines += [f"note: {n}" for n in result["notes"]]
    lines.append(f"shipped weights: {result['shipped_weights']}; anchors: {result['anchors']}")
    lines.append("speed: " + json.dumps(result["speed"]))
    return "\n".join(lines)

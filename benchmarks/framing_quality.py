"""Time the article quality flags and the attribution profile, and count flags per kind.

    .venv/bin/python benchmarks/framing_quality.py [--jsonl FILE ...] [--limit 300] [--sample 20]

Reads the seed story (examples/aleppo-2024) and, when given, the first ``--limit`` articles of each
JSONL file (the evaluation format: AllSides, BASIL, GVC, ...) through the project's own ingest and reading, then times
``quality_flags`` and ``attribution_profile`` apart from the reading. Prints one JSON object;
``--sample N`` adds N random flagged spans (fixed seed) for a person to judge.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.api import ingest, open_store  # noqa: E402
from rashomon.framing import attribution_profile, quality_flags  # noqa: E402
from rashomon.framing.quality import english_words  # noqa: E402
from rashomon.nlp import ensure_analyses  # noqa: E402


def _measure(name: str, paths: list[str], db: str, sample: int) -> dict:
    ingest(paths, db=db)
    with open_store(db) as store:
        rows = store.articles()
        t0 = time.perf_counter()
        analyses = ensure_analyses(store, rows)
        read_s = time.perf_counter() - t0
    english_words()  # the word list loads once per process; its cost is reported apart
    q_ms, p_ms, kinds, articles_with = [], [], Counter(), Counter()
    spans = []
    for r in rows:
        a = analyses.get(r["id"])
        t = time.perf_counter()
        flags = quality_flags(r["text"], a, r)
        q_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        attribution_profile(a, r["text"])
        p_ms.append((time.perf_counter() - t) * 1000)
        kinds.update(f["kind"] for f in flags)
        articles_with.update({f["kind"] for f in flags})
        spans += [(r["source"], f) for f in flags if f["start"] is not None]
    rng = random.Random(7)
    picked = rng.sample(spans, min(sample, len(spans)))
    words = sum(r["word_count"] or 0 for r in rows)
    return {
        "set": name, "articles": len(rows), "words": words,
        "reading_ms_per_article": round(read_s * 1000 / max(1, len(rows)), 1),
        "quality_ms_per_article": {"mean": round(statistics.mean(q_ms), 2),
                                   "p50": round(statistics.median(q_ms), 2),
                                   "p95": round(sorted(q_ms)[int(0.95 * (len(q_ms) - 1))], 2)},
        "profile_ms_per_article": round(statistics.mean(p_ms), 3),
        "articles_with_flag": dict(articles_with.most_common()),
        "flags": dict(kinds.most_common()),
        "sample": [{"source": s, "kind": f["kind"], "evidence": f["evidence"][:200], "note": f.get("note")}
                   for s, f in picked],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl", action="append", default=[],
                    help="JSONL file of articles (evaluation data; read, never copied); repeatable")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--sample", type=int, default=20)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    english_words()
    out = {"machine": "see README: 2-core x86_64", "wordlist_load_ms": round((time.perf_counter() - t) * 1000, 1),
           "sets": []}
    with tempfile.TemporaryDirectory() as tmp:
        out["sets"].append(_measure("seed aleppo-2024", [str(ROOT / "examples/aleppo-2024")],
                                    f"sqlite:///{tmp}/seed.db", args.sample))
        for n, path in enumerate(args.jsonl):
            part = Path(tmp) / f"part{n}.jsonl"
            with open(path, encoding="utf-8") as src, open(part, "w", encoding="utf-8") as dst:
                dst.writelines(itertools.islice(src, args.limit))
            out["sets"].append(_measure(f"{Path(path).name} first {args.limit}", [str(part)],
                                        f"sqlite:///{tmp}/set{n}.db", args.sample))
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

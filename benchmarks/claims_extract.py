"""Claim extraction: claims per article and milliseconds per article, on the seed story and AllSides.

    .venv/bin/python benchmarks/claims_extract.py [--data ../shared/data] [--limit 200]
        [--sample 30 --sample-out /tmp/claims_sample.jsonl] [--examples 10]

Analyses are computed first (``rashomon.nlp.read_articles``) and not timed; only
``extract_claims_many`` is, once over all the articles of a set (one parser stream), after a
warm-up call that loads the model. ``--sample`` writes that many random AllSides claims (seeded)
with their sentence, for judging by hand; ``--examples`` prints that many seed claims as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from rashomon.claims import ClaimInput, extract_claims_many
from rashomon.nlp import ReadItem, read_articles

ROOT = Path(__file__).resolve().parents[1]
SEED_PUBLISHED = "2024-11-29"   # the seed files carry no date; the story ran Nov 27-30, 2024


def seed_items() -> list[tuple[str, str, str | None]]:
    return [(p.stem, p.read_text(encoding="utf-8"), SEED_PUBLISHED)
            for p in sorted((ROOT / "examples" / "aleppo-2024").glob("*.txt"))]


def allsides_items(data: Path, limit: int) -> list[tuple[str, str, str | None]]:
    out = []
    with open(data / "stories" / "allsides_2021_apr_jul.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out.append((r["id"], r["text"], (r.get("date") or "")[:10] or None))
            if len(out) >= limit:
                break
    return out


def run(name: str, items) -> tuple[dict, dict, dict]:
    texts = {i: t for i, t, _ in items}
    analyses = read_articles([ReadItem(i, t, "en", p, "day" if p else None) for i, t, p in items])
    inputs = [ClaimInput(i, t, analyses[i].to_json(), p) for i, t, p in items]
    extract_claims_many(inputs[:1])   # model and lemma tables load outside the timing
    start = time.perf_counter()
    claims = extract_claims_many(inputs)
    secs = time.perf_counter() - start
    per = [len(claims[i]) for i in texts]
    all_claims = [c for i in texts for c in claims[i]]
    n = max(1, len(all_claims))
    stats = {
        "set": name, "articles": len(per), "words": sum(len(t.split()) for t in texts.values()),
        "sentences": sum(len(analyses[i].sentences) for i in texts),
        "claims": len(all_claims), "claims_per_article_mean": round(statistics.mean(per), 2),
        "claims_per_article_median": statistics.median(per),
        "ms_per_article": round(1000 * secs / len(per), 1), "seconds_total": round(secs, 3),
        "splits": dict(Counter(c.split for c in all_claims)),
        "share_attributed": round(sum(c.attribution.kind != "none" for c in all_claims) / n, 3),
        "share_hedged": round(sum(c.hedged for c in all_claims) / n, 3),
        "share_quoted": round(sum(c.quoted for c in all_claims) / n, 3),
        "share_background": round(sum(c.background for c in all_claims) / n, 3),
        "share_negated": round(sum(c.negated for c in all_claims) / n, 3),
        "share_with_time": round(sum(bool(c.time) for c in all_claims) / n, 3),
        "share_with_quantity": round(sum(bool(c.quantities) for c in all_claims) / n, 3),
        "share_with_place": round(sum(bool(c.places) for c in all_claims) / n, 3),
        "share_with_actor": round(sum(bool(c.actors) for c in all_claims) / n, 3),
    }
    return stats, claims, {i: (texts[i], analyses[i]) for i in texts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--sample-out", default="claims_sample.jsonl")
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    seed_stats, seed_claims, _ = run("seed (examples/aleppo-2024)", seed_items())
    print(json.dumps(seed_stats))
    stats, claims, sources = run(f"AllSides first {args.limit}", allsides_items(Path(args.data), args.limit))
    print(json.dumps(stats))
    rng = random.Random(args.seed)
    if args.examples:
        pool = [c for cl in seed_claims.values() for c in cl]
        for c in rng.sample(pool, min(args.examples, len(pool))):
            print(json.dumps(c.to_json(), ensure_ascii=False))
    if args.sample:
        pool = [c for cl in claims.values() for c in cl]
        with open(args.sample_out, "w", encoding="utf-8") as fh:
            for c in rng.sample(pool, min(args.sample, len(pool))):
                text, analysis = sources[c.article_id]
                s = analysis.sentences[c.sentence]
                fh.write(json.dumps({**c.to_json(), "sentence_text": text[s.start:s.end]}, ensure_ascii=False) + "\n")
        print(f"wrote {args.sample} sampled claims to {args.sample_out}")


if __name__ == "__main__":
    main()

"""Story clustering at scale: the real AllSides + Timeline17 articles, repeated to N with shifted dates.

    .venv/bin/python benchmarks/story_scale.py [--sizes 10000 30000 100000] [--data ../shared/data]

Features (embedding, terms, names) are computed once for the real articles and reused for their
copies — embedding cost is reported separately — so the figures measure the clustering itself.
Each copy is shifted by 60 days per round and its embedding slightly perturbed (renormalised
Gaussian noise), so rounds form new stories instead of joining the old ones.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

from rashomon.stories import OnlineClusterer, build_features


def load(data: Path) -> list[dict]:
    records = []
    for line in open(data / "stories" / "allsides_2021_apr_jul.jsonl", encoding="utf-8"):
        r = json.loads(line)
        records.append({"id": r["id"], "title": r.get("title"), "text": r["text"], "date": r.get("date")})
    for path in sorted((data / "timelines").glob("*/articles.json")):
        for r in json.loads(path.read_text(encoding="utf-8")):
            if r.get("text"):
                records.append({"id": f"{path.parent.name}/{r['uid']}", "title": None, "text": r["text"],
                                "date": r.get("dct")})
    return sorted(records, key=lambda r: r["date"] or "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    args = ap.parse_args()
    records = load(Path(args.data))
    start = time.perf_counter()
    base = build_features(records)
    embed_s = time.perf_counter() - start
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{len(base)} real articles; features (embedding + terms + names) {embed_s:.1f} s = "
          f"{len(base) / embed_s:.0f} articles/s")
    rng = np.random.default_rng(7)
    print("\n| articles | stories | seconds | articles/s | µs per article | peak RSS MB |\n|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        clusterer = OnlineClusterer()
        start = time.perf_counter()
        for i in range(n):
            f = base[i % len(base)]
            rnd = i // len(base)
            if rnd:
                noise = f.embedding + rng.normal(0, 0.02, f.embedding.shape).astype(np.float32)
                f = dataclasses.replace(f, id=f"{f.id}#{rnd}", embedding=noise / np.linalg.norm(noise),
                                        day=None if f.day is None else f.day + 60 * rnd)
            clusterer.add(f)
        secs = time.perf_counter() - start
        stories = sum(1 for s in clusterer.stories if s.members)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {n:,} | {stories:,} | {secs:.1f} | {n / secs:,.0f} | {secs / n * 1e6:,.0f} | {peak:,.0f} |",
              flush=True)


if __name__ == "__main__":
    sys.exit(main())

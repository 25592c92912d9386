"""Story clustering at scale: the real AllSides + Timeline17 articles, repeated to N with shifted dates.

    .venv/bin/python benchmarks/story_scale.py [--sizes 10000 100000 1000000] [--store-size 100000]

Features (embedding, terms, names) are computed once for the real articles (cached in
``--cache``) and reused for their copies — embedding cost is reported separately — so the first
table measures the online clusterer itself. Each round of copies is moved past the end of the
previous one in time (the real data's span plus a month), so the stream keeps the real data's
density of stories per week the way a longer archive would, and each copy's embedding is
perturbed (renormalised Gaussian noise) and its title marked.

The second part measures the stored, incremental path: a SQLite store holding ``--store-size``
articles already in stories, then one more article: how long placing it takes and how many stored
stories it reads (its neighbourhood) — compared with the whole store.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import pickle
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rashomon.stories import OnlineClusterer, build_features


#: Bump when what ``build_features`` makes changes (v2: date marks among the names), so a cache made
#: by older code is not reused.
FEATURES = "v2"


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


def features(records: list[dict], cache: Path):
    if cache.exists():
        return pickle.loads(cache.read_bytes()), None
    start = time.perf_counter()
    feats = build_features(records)
    secs = time.perf_counter() - start
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(feats))
    return feats, secs


def stream(base, n: int, rng):
    """The n-article stream: round 0 is the real data, later rounds are shifted, perturbed copies."""
    days = [f.day for f in base if f.day is not None]
    shift = max(days) - min(days) + 30
    for i in range(n):
        f = base[i % len(base)]
        rnd = i // len(base)
        if rnd:
            noise = f.embedding + rng.normal(0, 0.02, f.embedding.shape).astype(np.float32)
            f = dataclasses.replace(f, id=f"{f.id}#{rnd}", title=f"{f.title} ({rnd})",
                                    embedding=noise / np.linalg.norm(noise),
                                    day=None if f.day is None else f.day + shift * rnd)
        yield f


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_memory(base, sizes: list[int], split_every: int) -> None:
    how = (f"split pass and second look every {split_every:,} articles over the stories grown since"
           if split_every else "no split pass")
    print(f"\n## Online clusterer, in memory ({how})\n")
    print("| articles | stories | seconds | of which split pass and second look | stories cut | articles reattached "
          "| articles/s | µs per article | peak RSS MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        clusterer = OnlineClusterer()
        rng = np.random.default_rng(7)
        by_id, grown, cut, moved, split_s = {}, set(), 0, 0, 0.0

        def members(ids, by_id=by_id):
            return [by_id[m] for m in ids]

        start = time.perf_counter()
        for i, f in enumerate(stream(base, n, rng), 1):
            by_id[f.id] = f
            grown.add(clusterer.add(f))
            if split_every and (i % split_every == 0 or i == n):
                t0 = time.perf_counter()
                cuts, reattached = clusterer.revisit([clusterer.stories[k] for k in sorted(grown)], members)
                cut, moved = cut + len(cuts), moved + len(reattached)
                split_s += time.perf_counter() - t0
                grown.clear()
        secs = time.perf_counter() - start
        stories = sum(1 for s in clusterer.stories if s.members)
        print(f"| {n:,} | {stories:,} | {secs:.1f} | {split_s:.1f} | {cut:,} | {moved:,} | {n / secs:,.0f} | "
              f"{secs / n * 1e6:,.0f} | {peak_mb():,.0f} |", flush=True)
        del clusterer, by_id


class CachedEncoder:
    """Serves the benchmark's precomputed vectors, so the stored run measures clustering and SQL."""
    model_id = "benchmark-cache"

    def __init__(self, vectors: dict[str, np.ndarray]):
        self.vectors = vectors

    def encode(self, texts):
        return np.stack([self.vectors[t] for t in texts])


def stored(base, records: dict[str, dict], size: int) -> None:
    from rashomon.storage import Store, schema
    from rashomon.stories import update_stories
    from rashomon.stories.features import lead_text

    print(f"\n## Stored and incremental (SQLite): one article added to a store of {size:,}\n")
    rng = np.random.default_rng(11)
    now = dt.datetime.now(dt.timezone.utc)
    feats = list(stream(base, size + 1, rng))
    rows, vectors = [], {}
    for f in feats:
        r = records[f.id.split("#")[0]]
        title = f.title or None
        text = r["text"] if "#" not in f.id else r["text"] + f" [{f.id}]"
        published = None if f.day is None else (dt.date(1970, 1, 1) + dt.timedelta(days=f.day)).isoformat()
        aid = f"{abs(hash(f.id)):016x}"[:16]
        rows.append({"id": aid, "text_hash": aid * 4, "title": title, "published": published,
                     "language": "en", "language_score": 1.0, "word_count": len(text.split()), "text": text,
                     "extra": {}, "ingested_at": now})
        vectors[lead_text(title, text)] = f.embedding
    encoder = CachedEncoder(vectors)
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "bench.db")) as store:
        with store.begin() as conn:
            for start in range(0, size, 5000):
                conn.execute(schema.articles.insert(), rows[start:min(start + 5000, size)])
        rows = rows[size:]   # the texts now live in the store only, as they would
        start = time.perf_counter()
        bulk = update_stories(store, encoder=encoder)
        bulk_s = time.perf_counter() - start
        with store.begin() as conn:
            conn.execute(schema.articles.insert(), rows)
        start = time.perf_counter()
        one = update_stories(store, encoder=encoder)
        one_s = time.perf_counter() - start
        db_mb = (Path(tmp) / "bench.db").stat().st_size / 1e6
    print("| step | articles placed | stories in store after | stories cut | reattached | stored stories read "
          "| seconds |\n|---|---:|---:|---:|---:|---:|---:|")
    print(f"| first run over the store | {bulk.articles:,} | {bulk.new_stories:,} | {bulk.split_stories:,} | "
          f"{bulk.reattached:,} | {bulk.loaded_stories:,} | {bulk_s:.1f} |")
    print(f"| one more article | {one.articles} | {bulk.new_stories + one.new_stories:,} | {one.split_stories} | "
          f"{one.reattached} | {one.loaded_stories:,} | {one_s:.3f} |")
    print(f"\nstore file {db_mb:,.0f} MB; peak RSS {peak_mb():,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--store-size", type=int, default=100_000, help="0 skips the stored part")
    ap.add_argument("--split-every", type=int, default=1000,
                    help="in memory: run the split pass after this many articles (as one stored update would); 0: never")
    ap.add_argument("--cache", default=str(Path(os.environ.get("RASHOMON_CACHE_DIR", "~/.cache/rashomon"))
                                           .expanduser() / f"bench-story-features-{FEATURES}.pkl"))
    args = ap.parse_args()
    records = load(Path(args.data))
    base, secs = features(records, Path(args.cache))
    how = f"{secs:.1f} s = {len(base) / secs:.0f} articles/s" if secs else f"cached in {args.cache}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{len(base)} real articles; features (embedding + terms + names): {how}")
    in_memory(base, args.sizes, args.split_every)
    if args.store_size:
        stored(base, {r["id"]: r for r in records}, args.store_size)


if __name__ == "__main__":
    sys.exit(main())

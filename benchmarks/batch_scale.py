"""`rashomon batch` throughput: one process (baseline) vs a Dask LocalCluster of 1 and 2 workers, same input.

    .venv/bin/python benchmarks/batch_scale.py [--data ../shared/data] [--articles 20000] [--shard 200]
                                               [--cap-words N] [--configs 0 1 2] [--db-url postgresql://...]

The input is the AllSides file and the Timeline17 articles, repeated until ``--articles`` is reached:
each repeat is a distinct article (its text carries the repeat number, its date moves by 30 days a
repeat), written as JSONL shards of ``--shard`` articles under the system temp folder, never the repo.
Each configuration runs ingest + per-article reading + embedding + story placement into a fresh store
and prints articles/s for the whole run and for the partition phase (without story placement, which
runs in the client). ``--cap-words`` keeps the first N words of each text (shorter runs; say so when
reporting).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def base_articles(data: Path) -> list[dict]:
    rows = []
    with open(data / "stories" / "allsides_2021_apr_jul.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows.append({"title": r.get("title"), "source": r.get("outlet"), "date": (r.get("date") or "")[:10],
                         "text": r["text"]})
    for path in sorted((data / "timelines").glob("*/articles.json")):
        for r in json.loads(path.read_text(encoding="utf-8")):
            rows.append({"title": None, "source": path.parent.name.split("_")[-1], "date": r.get("dct"),
                         "text": r["text"]})
    return rows


def write_shards(rows: list[dict], n: int, shard: int, cap: int | None, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    out, fh, written = 0, None, 0
    for i in range(n):
        rep, r = divmod(i, len(rows))
        base = rows[r]
        text = base["text"]
        if cap:
            text = " ".join(text.split()[:cap])
        date = base["date"]
        if date and rep:
            try:
                date = (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=30 * rep)).isoformat()
            except ValueError:
                pass
        if written % shard == 0:
            if fh:
                fh.close()
            fh = open(folder / f"shard-{out:05d}.jsonl", "w", encoding="utf-8")
            out += 1
        fh.write(json.dumps({"title": (base["title"] or "") + (f" (repeat {rep})" if rep else ""),
                             "source": base["source"], "date": date,
                             "text": (f"Repeat {rep}. " if rep else "") + text}, ensure_ascii=False) + "\n")
        written += 1
    if fh:
        fh.close()
    return out


def run_config(workers: int, shards: Path, db: str) -> dict:
    from rashomon.engine import run_batch
    from rashomon.settings import load_settings
    from rashomon.storage import Store

    settings = load_settings(env={})
    with Store(db) as store:
        start = time.perf_counter()
        report = run_batch([shards], settings=settings, store=store, workers=workers)
        seconds = time.perf_counter() - start
        count = store.count()
    story_s = (report.stories or {}).get("seconds", 0.0)
    return {"workers": workers, "engine": report.engine, "articles": report.articles, "stored": count,
            "failed": len(report.failed), "seconds": seconds, "story_seconds": story_s,
            "articles_per_s": report.articles / seconds, "partition_articles_per_s":
            report.articles / max(seconds - story_s, 1e-9),
            "stories": (report.stories or {}).get("new_stories"),
            "peak_rss_client_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--shard", type=int, default=200)
    parser.add_argument("--cap-words", type=int, default=None)
    parser.add_argument("--configs", type=int, nargs="+", default=[0, 1, 2],
                        help="worker counts; 0 = one process, no Dask (the baseline)")
    parser.add_argument("--db-url", default=None, help="a PostgreSQL database to use (emptied between runs) "
                                                       "instead of fresh SQLite files")
    args = parser.parse_args()
    rows = base_articles(Path(args.data))
    work = Path(tempfile.mkdtemp(prefix="rashomon-batch-bench-"))
    shards = work / "in"
    n_shards = write_shards(rows, args.articles, args.shard, args.cap_words, shards)
    words = sum(len(json.loads(line)["text"].split()) for f in shards.glob("*.jsonl") for line in open(f))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"input: {args.articles:,} articles ({len(rows):,} AllSides + Timeline17 articles repeated), "
          f"{words:,} words, {n_shards} JSONL shards of {args.shard}"
          + (f", texts capped at {args.cap_words} words" if args.cap_words else ""))
    from rashomon.engine.work import warm_models

    warm_models()  # the int8 model is built once into the user cache before any timing
    results = []
    for workers in args.configs:
        if args.db_url:
            _reset_pg(args.db_url)
            db = args.db_url
        else:
            db = f"sqlite:///{work / f'store-{workers}.db'}"
        r = run_config(workers, shards, db)
        results.append(r)
        print(f"  {r['engine']:<18} workers={workers}: {r['articles']:,} articles in {r['seconds']:.1f}s = "
              f"{r['articles_per_s']:.1f} articles/s (partitions only: {r['partition_articles_per_s']:.1f}/s; "
              f"stories {r['story_seconds']:.1f}s, {r['stories']} stories), stored {r['stored']:,}, "
              f"failed partitions {r['failed']}", flush=True)
    by = {r["workers"]: r for r in results}
    if 1 in by and 2 in by:
        print(f"speed-up 1 -> 2 workers: {by[2]['articles_per_s'] / by[1]['articles_per_s']:.2f}x overall, "
              f"{by[2]['partition_articles_per_s'] / by[1]['partition_articles_per_s']:.2f}x partitions only")
    if 0 in by and 2 in by:
        print(f"2 workers vs one process (baseline): {by[2]['articles_per_s'] / by[0]['articles_per_s']:.2f}x")
    print(json.dumps({"results": results, "articles": args.articles, "cap_words": args.cap_words}))
    shutil.rmtree(work, ignore_errors=True)


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    from rashomon.storage.store import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    sys.exit(main())

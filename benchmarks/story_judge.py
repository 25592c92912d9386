"""Time to judge a story — claims, alignment, framing, brief — for a 5-article and a 50-article story.

    .venv/bin/python benchmarks/story_judge.py [--data ../shared/data] [--big bpoil_guardian] [--repeat 3]

Stories: the seed story (5 articles, examples/aleppo-2024) and 50 articles of one Timeline17 topic
(``timelines/<big>/articles.json``, the 50 longest of its first 120 articles by date: one long-running
story told over weeks). Each stage is timed separately:

* ``cold``: a fresh Python process, nothing loaded: reading (spaCy NER), claim extraction (parser),
  alignment (MiniLM embeddings) and judging, actor labels (parser), brief — the first story a user
  opens after starting Rashomon;
* ``warm``: the same story again in the same process, models loaded and readings in hand: every
  article's claims, parse and claim vectors are remembered, so this is what an unchanged story costs;
* ``joined``: in another fresh process, the story without its last article is judged, then the
  whole story: what judging again after one article joins costs (the watch loop's case);
* ``cached``: the story's blocks read back from the store (``story_analysis``): what the web app
  and ``rashomon story`` pay when nothing changed.

Baseline in the same run: reading alone (the per-article analysis every other stage builds on).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def seed_rows() -> list[dict]:
    return [{"id": p.stem[:16], "source": p.stem, "published": None, "syndication_group": None,
             "text": p.read_text(encoding="utf-8")}
            for p in sorted((ROOT / "examples" / "aleppo-2024").glob("*.txt"))]


def big_rows(data: Path, topic: str, n: int = 50) -> list[dict]:
    items = json.loads((data / "timelines" / topic / "articles.json").read_text(encoding="utf-8"))
    items = sorted(items, key=lambda a: a["dct"])[:120]
    items = sorted(items, key=lambda a: -len(a["text"]))[:n]
    return [{"id": f"t{a['uid']}", "source": f"{topic}-{a['uid']}", "published": a["dct"], "syndication_group": None,
             "text": a["text"]} for a in items]


def run(rows: list[dict]) -> dict:
    from rashomon.alignment import judge_story, story_inputs
    from rashomon.brief import compose_brief
    from rashomon.embed import get_embedder
    from rashomon.framing import LabelInput, story_framing
    from rashomon.nlp import ReadItem, read_articles

    t = {}
    s = time.perf_counter()
    analyses = {k: v.to_json() for k, v in read_articles(
        ReadItem(r["id"], r["text"], "en", r["published"], "day" if r["published"] else None) for r in rows).items()}
    t["read"] = time.perf_counter() - s
    s = time.perf_counter()
    articles, claims, kinds = story_inputs(rows, analyses)
    t["claims"] = time.perf_counter() - s
    s = time.perf_counter()
    judged = judge_story(articles, claims, get_embedder(), kinds)
    t["align_and_judge"] = time.perf_counter() - s
    s = time.perf_counter()
    actors = story_framing([LabelInput(r["id"], r["text"], analyses[r["id"]]) for r in rows])
    t["framing"] = time.perf_counter() - s
    s = time.perf_counter()
    brief = compose_brief({**judged, "actors": actors}, {r["id"]: r for r in rows})
    t["brief"] = time.perf_counter() - s
    t["judge_total"] = t["claims"] + t["align_and_judge"] + t["framing"] + t["brief"]
    out = {k: round(v, 3) for k, v in t.items()}
    out.update(n_claims=len(judged["claims"]), conflicts=len(judged["conflicts"]), updates=len(judged["updates"]),
               brief_sentences=len(brief), words=sum(len(r["text"].split()) for r in rows))
    return out


def cached(rows: list[dict]) -> float:
    """Seconds to read a story's stored blocks back (the web app's path when nothing changed)."""
    import tempfile

    from rashomon.output.story import blocks_key
    from rashomon.storage import Store

    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/b.db") as store:
        from rashomon.storage import schema
        with store.begin() as conn:   # a story row for the foreign key
            import datetime as dt
            conn.execute(schema.stories.insert().values(
                id="s1", title="t", size=len(rows), first_day=None, last_day=None, emb_sum=b"", terms=b"",
                names={}, seq=1, updated_at=dt.datetime.now(dt.timezone.utc)))
        key = blocks_key([r["id"] for r in rows])
        store.save_story_analysis("s1", key, {"claims": [{"text": "x" * 200}] * 300})
        s = time.perf_counter()
        for _ in range(20):
            store.story_analysis("s1", key)
        return (time.perf_counter() - s) / 20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--big", default="bpoil_guardian")
    ap.add_argument("--child", choices=["seed", "big"], help=argparse.SUPPRESS)
    ap.add_argument("--joined", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        rows = seed_rows() if args.child == "seed" else big_rows(args.data, args.big)
        if args.joined:
            run(rows[:-1])
            print(json.dumps({"joined": run(rows)}))
            return
        cold = run(rows)
        warm = run(rows)
        print(json.dumps({"cold": cold, "warm": warm, "cached_read_s": round(cached(rows), 4)}))
        return
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    for name in ("seed", "big"):
        s = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", name, "--data", str(args.data), "--big", args.big],
                              capture_output=True, text=True, check=True)
        result[name] = json.loads(proc.stdout.strip().splitlines()[-1])
        result[name]["process_wall_s"] = round(time.perf_counter() - s, 1)
        proc = subprocess.run([sys.executable, __file__, "--child", name, "--data", str(args.data), "--big", args.big,
                               "--joined"], capture_output=True, text=True, check=True)
        result[name].update(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

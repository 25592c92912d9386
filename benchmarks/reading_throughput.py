"""Per-article reading throughput on the AllSides file, with spaCy's full default pipeline as baseline.

    .venv/bin/python benchmarks/reading_throughput.py [--data ../shared/data] [--limit N]

Both runs see the same texts in the same process order, on 1 and on 2 processes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import spacy

from rashomon.nlp import ReadItem, read_articles
from rashomon.nlp.model import MODEL_NAMES, load_pipeline


def load_texts(data: Path, limit: int | None) -> list[str]:
    texts = []
    with open(data / "stories" / "allsides_2021_apr_jul.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            texts.append(((record.get("title") or "") + "\n" + record["text"]).strip())
    return texts[:limit]


def full_spacy():
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit("no spaCy model")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    texts = load_texts(Path(args.data), args.limit)
    words = sum(len(t.split()) for t in texts)
    items = [ReadItem(f"a{i}", t, "en") for i, t in enumerate(texts)]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"spaCy {spacy.__version__}; {len(texts)} AllSides articles, {words:,} words")
    load_pipeline()  # model load is not part of throughput
    baseline = full_spacy()
    rows = []
    for procs in (1, 2):
        start = time.perf_counter()
        for _ in baseline.pipe(texts, n_process=procs, batch_size=16):
            pass
        secs = time.perf_counter() - start
        rows.append((f"baseline: spaCy full pipeline ({', '.join(baseline.pipe_names)})", procs, secs))
        start = time.perf_counter()
        out = read_articles(items, n_process=procs)
        secs = time.perf_counter() - start
        assert len(out) == len(items)
        rows.append(("rashomon reading layer (NER+senter+tagger, entities, actors, dates, quantities, "
                     "attribution)", procs, secs))
    print("\n| run | processes | seconds | articles/s | words/s |\n|---|---:|---:|---:|---:|")
    for name, procs, secs in rows:
        print(f"| {name} | {procs} | {secs:.1f} | {len(texts) / secs:.1f} | {words / secs:,.0f} |")


if __name__ == "__main__":
    sys.exit(main())

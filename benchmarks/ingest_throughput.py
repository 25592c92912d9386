"""Ingest throughput on the Timeline17 and AllSides evaluation files, with trafilatura as baseline.

    .venv/bin/python benchmarks/ingest_throughput.py [--data ../shared/data] [--limit N]

Three measurements on the same machine, same run:
  1. record files (AllSides JSONL, Timeline17 articles.json) → SQLite store, articles/s;
  2. the same articles rendered as HTML pages: trafilatura.bare_extraction alone (baseline), pages/s;
  3. `rashomon ingest` of those HTML files (read, decode, extract, date, language, dedup, store).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

import rashomon
from rashomon.sources.html import _DATE_PARAMS

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"><meta name="author" content="Staff reporter">
<meta property="article:published_time" content="{date}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a>
<a href="/business">Business</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff reporter · {date}</p>{body}</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Markets close higher</a></li><li><a href="/b">Weather warning issued</a></li></ul></aside>
</main><footer><p>© {outlet}. All rights reserved.</p><p><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></p></footer></body></html>"""


def load_records(data: Path) -> list[dict]:
    records = []
    with open(data / "stories" / "allsides_2021_apr_jul.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            records.append({"title": r.get("title") or "", "text": r["text"], "outlet": r.get("outlet") or "",
                            "date": r.get("date") or ""})
    for path in sorted((data / "timelines").glob("*/articles.json")):
        for r in json.loads(path.read_text(encoding="utf-8")):
            if r.get("text"):
                records.append({"title": "", "text": r["text"], "outlet": path.parent.name, "date": r.get("dct") or ""})
    return records


def timed_ingest(paths: list[str], db: str) -> tuple[float, rashomon.IngestReport]:
    start = time.perf_counter()
    report = rashomon.ingest(paths, db=db)
    return time.perf_counter() - start, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--limit", type=int, default=None, help="Use only the first N articles for the HTML runs.")
    args = parser.parse_args()
    data = Path(args.data)
    work = Path(tempfile.mkdtemp(prefix="rashomon-bench-"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"rashomon {rashomon.__version__}, trafilatura {trafilatura.__version__}")

    # 1. record files straight into the store
    allsides = str(data / "stories" / "allsides_2021_apr_jul.jsonl")
    timelines = [str(p) for p in sorted((data / "timelines").glob("*/articles.json"))]
    rows = []
    for name, paths in (("AllSides JSONL", [allsides]), ("Timeline17 articles.json", timelines)):
        seconds, report = timed_ingest(paths, f"sqlite:///{work / (name.split()[0] + '.db')}")
        rows.append((f"rashomon ingest {name} → SQLite", report.seen, seconds))
        seconds2, report2 = timed_ingest(paths, f"sqlite:///{work / (name.split()[0] + '.db')}")
        rows.append((f"  same again (idempotent re-ingest: {report2.unchanged} unchanged)", report2.seen, seconds2))

    # 2. the same articles as HTML pages
    records = load_records(data)[: args.limit]
    pages_dir = work / "pages"
    pages_dir.mkdir()
    pages = []
    for n, r in enumerate(records):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in r["text"].split("\n") if p.strip())
        page = PAGE.format(title=html.escape(r["title"] or f"Report {n}"), outlet=html.escape(r["outlet"]),
                           date=html.escape(r["date"]), body=body)
        path = pages_dir / f"{n:05d}.html"
        path.write_text(page, encoding="utf-8")
        pages.append(page.encode("utf-8"))
    start = time.perf_counter()
    extracted = 0
    for page in pages:
        got = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                          include_tables=False, date_extraction_params=_DATE_PARAMS)
        extracted += bool(got)
    base = time.perf_counter() - start
    rows.append(("baseline: trafilatura.bare_extraction alone on the HTML", extracted, base))
    seconds, report = timed_ingest([str(pages_dir)], f"sqlite:///{work / 'html.db'}")
    rows.append(("rashomon ingest of the same HTML files → SQLite", report.seen, seconds))

    print(f"\n| run | articles | seconds | articles/s |\n|---|---:|---:|---:|")
    for name, n, secs in rows:
        print(f"| {name} | {n} | {secs:.2f} | {n / secs:,.0f} |")
    overhead = seconds / base if base else float("nan")
    print(f"\nHTML ingest costs {overhead:.2f}× trafilatura alone "
          f"(extraction is {base / seconds:.0%} of rashomon's HTML ingest time).")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB; work dir {work}")


if __name__ == "__main__":
    sys.exit(main())

"""Latency of the web app under an open-loop load on loopback: the story page, the list page and the API,
against a baseline of the same story-page bytes served from a plain route of the same server.

    .venv/bin/python benchmarks/web_latency.py [--db URL] [--rate 50] [--seconds 20] [--json]

Without --db it analyses examples/aleppo-2024 into a temporary store first. The server runs in a child
process (``--serve``, uvicorn, one worker) so the load generator does not share its interpreter. Requests
leave on a fixed schedule whatever the answers do (open loop); latency runs from the scheduled send time,
so a server that falls behind shows it instead of slowing the load down.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "/__baseline"


def serve(db: str, port: int, story_id: str) -> None:
    """Child process: the app plus one plain route returning the story page's bytes, fetched once in-process
    at start (which also builds the story, as its first visitor would)."""
    import uvicorn
    from fastapi.responses import Response
    from starlette.testclient import TestClient

    import rashomon
    from rashomon.web import create_app

    app = create_app(rashomon.resolve_settings(db=db))
    page = TestClient(app).get(f"/stories/{story_id}")
    page.raise_for_status()

    @app.get(BASELINE)
    def baseline() -> Response:
        return Response(page.content, media_type="text/html; charset=utf-8")

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def load(base: str, path: str, rate: float, seconds: float) -> dict:
    """Open loop: request n leaves at start + n / rate."""
    n = int(rate * seconds)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        start = time.perf_counter() + 0.2

        async def one(i: int) -> None:
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                r = await client.get(path)
                await r.aread()
                if r.status_code != 200:
                    errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            latencies.append(time.perf_counter() - due)

        await asyncio.gather(*(one(i) for i in range(n)))
    latencies.sort()

    def pct(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1)

    return {"path": path, "requests": n, "errors": sum(errors.values()), "error_kinds": errors,
            "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": round(1000 * latencies[-1], 1),
            "mean_ms": round(1000 * statistics.fmean(latencies), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="store URL to serve (default: analyse examples/aleppo-2024 into a temp store)")
    ap.add_argument("--rate", type=float, default=50.0, help="requests per second (default 50)")
    ap.add_argument("--seconds", type=float, default=20.0, help="seconds of load per target (default 20)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--serve", nargs=3, metavar=("DB", "PORT", "STORY"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2])
        return

    import rashomon

    tmp = None
    db = args.db
    if not db:
        tmp = tempfile.TemporaryDirectory(prefix="rashomon-bench-web-")
        db = f"sqlite:///{Path(tmp.name) / 'bench.db'}"
        t = time.perf_counter()
        rashomon.analyze([str(ROOT / "examples" / "aleppo-2024")], db=db)
        print(f"analysed the seed story into a temporary store in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    stories = rashomon.list_stories(db=db, update=False, limit=1)["stories"]
    if not stories:
        raise SystemExit(f"no stories in {db}; run `rashomon analyze FOLDER --db {db}` first")
    story_id = stories[0]["id"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    child = subprocess.Popen([sys.executable, __file__, "--serve", db, str(port), story_id],
                             env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(base + BASELINE, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        targets = [("story page", f"/stories/{story_id}"), ("list page", "/"),
                   ("API story", f"/api/stories/{story_id}"), ("API list", "/api/stories"),
                   ("baseline: same bytes, plain route", BASELINE)]
        for _, path in targets:  # warm: the first request of each builds or renders once
            httpx.get(base + path, timeout=300).raise_for_status()
        results = {}
        for name, path in targets:
            results[name] = asyncio.run(load(base, path, args.rate, args.seconds))
    finally:
        child.terminate()
        child.wait(10)
        if tmp:
            tmp.cleanup()
    report = {"machine": f"{os.cpu_count()}-core {platform.machine()}", "python": platform.python_version(),
              "rate_per_s": args.rate, "seconds": args.seconds, "story": story_id, "results": results}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"open loop {args.rate:g} req/s × {args.seconds:g} s per target · {report['machine']} · story {story_id}")
    print(f"{'target':36} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:36} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['p99_ms']:8.1f} {r['max_ms']:8.1f} {r['errors']:7d}")


if __name__ == "__main__":
    main()

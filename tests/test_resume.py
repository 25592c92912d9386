"""A run killed with SIGKILL mid-ingest, then rerun, ends with every article exactly once.

Real subprocesses of the command line, a real SQLite file, ``kill -9`` while batches are being
committed; then the same command again, twice.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from .hostile import prose

ARTICLES = 3000
BATCH = 50
DUPLICATES = (10, 1700, 2990)  # positions after which an exact copy of an earlier article repeats
BAD = {5: "{broken json", 900: json.dumps({"title": "no text here"}), 2500: json.dumps({"text": "too short"})}


def _write_jsonl(path) -> tuple[int, int]:
    """~3000 distinct articles, a few exact duplicates and bad lines; returns (lines, good lines)."""
    lines, good = [], 0
    for i in range(ARTICLES):
        lines.append(json.dumps({"id": f"a{i}", "title": f"Report {i}", "text": prose(f"resume-{i}")}))
        good += 1
        if i in DUPLICATES:  # the same text again, elsewhere in the file: one article, two origins
            lines.append(json.dumps({"id": f"dup{i}", "text": prose(f"resume-{i // 2}")}))
            good += 1
        if i in BAD:
            lines.append(BAD[i])
    path.write_text("\n".join(lines) + "\n")
    return len(lines), good


def _counts(db) -> dict[str, int]:
    with sqlite3.connect(db, timeout=30) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "origins", "rejections")}


def _ingest(src, db):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASHOMON_")}
    env["RASHOMON_BATCH_SIZE"] = str(BATCH)
    return subprocess.Popen([sys.executable, "-m", "rashomon.cli", "ingest", str(src), "--db", f"sqlite:///{db}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_sigkill_mid_ingest_then_rerun_stores_every_article_exactly_once(tmp_path):
    src, db = tmp_path / "wire.jsonl", tmp_path / "store.db"
    lines, good = _write_jsonl(src)
    assert good == ARTICLES + len(DUPLICATES)

    proc = _ingest(src, db)
    killed_at = None
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                n = _counts(db)["origins"] if db.exists() else 0
            except sqlite3.OperationalError:  # tables not created yet, or busy
                n = 0
            if n >= 5 * BATCH:
                proc.send_signal(signal.SIGKILL)
                killed_at = n
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None and killed_at is None:
            proc.kill()
        out, err = proc.communicate(timeout=30)
    assert killed_at is not None, f"the run ended (exit {proc.returncode}) before it could be killed:\n{err}"
    assert proc.returncode == -signal.SIGKILL

    after_kill = _counts(db)
    print(f"killed after {after_kill}")
    assert 0 < after_kill["articles"] < ARTICLES, after_kill
    # Only whole batches were committed: every add of the first run writes one origin.
    assert after_kill["origins"] % BATCH == 0, after_kill

    for attempt in (1, 2):  # the rerun finishes the job; a third run changes nothing
        proc = _ingest(src, db)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 3, f"rerun {attempt}: exit {proc.returncode}\n{out}\n{err}"  # partial: 3 bad lines
        assert "Traceback" not in out + err
        counts = _counts(db)
        assert counts == {"articles": ARTICLES, "origins": good, "rejections": len(BAD)}, (attempt, counts)

    with sqlite3.connect(db) as conn:
        origins = conn.execute("SELECT input, locator, count(*) FROM origins GROUP BY input, locator "
                               "HAVING count(*) > 1").fetchall()
        assert origins == [], "an origin was stored twice"
        per_article = dict(conn.execute("SELECT n, count(*) FROM (SELECT article_id, count(*) AS n "
                                        "FROM origins GROUP BY article_id) GROUP BY n").fetchall())
        assert per_article == {1: ARTICLES - len(DUPLICATES), 2: len(DUPLICATES)}
        reasons = [r for (r,) in conn.execute("SELECT reason FROM rejections ORDER BY reason")]
        assert len(set(reasons)) == len(BAD) == len(reasons)
        assert any("invalid JSON" in r for r in reasons) and any("no text field" in r for r in reasons)
        assert any("word(s) of text" in r for r in reasons)
        band_rows = conn.execute("SELECT count(DISTINCT article_id) FROM lsh_bands").fetchone()[0]
        assert band_rows == ARTICLES

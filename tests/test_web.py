"""The web app over real HTTP on 127.0.0.1: pages, JSON API, errors, security headers, caching, `rashomon serve`.

One store per test process, filled by ``rashomon.analyze`` with the seed story and a small JSONL file of
two synthetic articles (one carrying XSS payloads in its text, title, outlet and url); the browser tests
(tests/test_web_browser.py) use the same store.
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import httpx
import pytest

import rashomon
from rashomon.storage import stories as story_db
from rashomon.output.highlight import Citation, cited_paragraphs

from .conftest import EXAMPLES, article_text

PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    "<img src=x onerror=\"window.__pwned=2;alert(2)\">",
    "\"><svg onload=\"window.__pwned=3;alert(3)\">",
    "<a href=\"javascript:window.__pwned=4;alert(4)\">click me</a>",
    "'><iframe srcdoc=\"<script>parent.__pwned=5</script>\"></iframe>",
]
HOSTILE_TITLE = "Harbour report " + PAYLOADS[2] + PAYLOADS[0]
HOSTILE_SOURCE = "Evil Outlet " + PAYLOADS[1]
HOSTILE_URL = "javascript:window.__pwned=6;alert(6)"
CLEAN_SOURCE = "Orchard Weekly"


def _records() -> list[dict]:
    hostile = " ".join(PAYLOADS)
    return [
        {"id": "h1", "title": HOSTILE_TITLE, "outlet": HOSTILE_SOURCE, "url": HOSTILE_URL, "date": "2024-11-28",
         "text": f"{hostile}\n\n{article_text('harbour')}\n\nClosing line {hostile}"},
        {"id": "o1", "title": "Orchard growers count a record apple harvest", "outlet": CLEAN_SOURCE,
         "date": "2023-05-02", "url": "https://orchard.example/apples",
         "text": ("Orchard growers in the valley counted a record apple harvest this spring, the growers' "
                  "association said on Tuesday. The association said 42 farms picked more than 3,000 tonnes, "
                  "up from 2,100 tonnes a year earlier, after a mild winter and a wet April. Prices at the "
                  "valley market fell by a fifth, traders said, and some growers plan to press the surplus "
                  "into cider. The regional council will publish its own count in June.")},
    ]


@dataclass(frozen=True)
class Seeded:
    url: str                      # the store's URL
    path: Path                    # the SQLite file
    seed_story: str               # the five seed articles
    hostile_story: str
    clean_story: str
    hostile_article: str


@lru_cache(maxsize=1)
def seeded_store() -> Seeded:
    """The shared store, built once per process (analysing costs seconds; every test here only reads it)."""
    folder = Path(tempfile.mkdtemp(prefix="rashomon-web-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "extra").mkdir()
    (folder / "extra" / "synthetic.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    url = f"sqlite:///{folder / 'web.db'}"
    doc = rashomon.analyze([str(EXAMPLES), str(folder / "extra")], db=url)
    by_article = {a: s["id"] for s in doc["stories"] for a in s["article_ids"]}
    ids = {a["title"]: a["id"] for a in doc["articles"]}
    seed_ids = {by_article[a["id"]] for a in doc["articles"] if a["path"] and a["path"].endswith(".txt")}
    assert len(seed_ids) == 1, "the five seed articles should make one story"
    hostile = ids[HOSTILE_TITLE]
    clean = by_article[ids["Orchard growers count a record apple harvest"]]
    assert len({*seed_ids, by_article[hostile], clean}) == 3, "the seed, hostile and clean stories differ"
    return Seeded(url, folder / "web.db", seed_ids.pop(), by_article[hostile], clean, hostile)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, url: str, **app_options):
        import uvicorn

        from rashomon.web import create_app

        self.app = create_app(rashomon.resolve_settings(db=url), **app_options)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", server_header=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def seeded() -> Seeded:
    return seeded_store()


@pytest.fixture(scope="module")
def live(seeded):
    with LiveServer(seeded.url) as server:
        yield server


@pytest.fixture
def http(live):
    with httpx.Client(base_url=live.base, timeout=60) as client:
        yield client


def assert_secured(response: httpx.Response) -> None:
    csp = response.headers.get("content-security-policy", "")
    assert "default-src 'none'" in csp and "script-src" not in csp, csp
    assert response.headers.get("x-content-type-options") == "nosniff"


def assert_error(response: httpx.Response, status: int, *, needle: str = "") -> dict:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status and needle in body["error"]["message"]
    assert_secured(response)
    return body


# -- pages ----------------------------------------------------------------------------------------------------
def test_story_page_has_the_report_sections_and_every_citation_lands_on_an_anchor(http, seeded):
    r = http.get(f"/stories/{seeded.seed_story}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert_secured(r)
    html = r.text
    for heading in ("What the sources say", "How each source names the actors", "Articles", "Coverage"):
        assert heading in html
    doc = http.get(f"/api/stories/{seeded.seed_story}").json()
    (story,) = doc["stories"]
    targets = set(re.findall(r'href="#(a-[0-9a-f]+-\d+-\d+)"', html))
    anchors = re.findall(r'id="(a-[0-9a-f]+-\d+-\d+)"', html)
    assert targets and targets <= set(anchors), targets - set(anchors)
    assert len(anchors) == len(set(anchors)), "an anchor id is used twice"
    # each anchor wraps exactly the words its claim quotes
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    quoted = [s for c in story["claims"] for s in c["sources"]]
    assert quoted
    for s in quoted[:20]:
        assert texts[s["article_id"]][s["start"]:s["end"]] == s["quote"]
        assert f'id="a-{s["article_id"]}-{s["start"]}-{s["end"]}"' in html
    for a in doc["articles"]:
        assert f'id="article-{a["id"]}"' in html and f'href="/articles/{a["id"]}"' in html


def test_article_page_shows_highlights_flags_and_the_facts_citing_it(http, seeded):
    doc = http.get(f"/api/stories/{seeded.seed_story}").json()
    article = doc["articles"][0]
    r = http.get(f"/articles/{article['id']}")
    assert r.status_code == 200
    assert_secured(r)
    assert f'href="/stories/{seeded.seed_story}"' in r.text
    assert "Facts of the story that cite this article" in r.text
    assert '<mark class="label"' in r.text
    for flag in article["quality"]["flags"]:
        assert f'<span class="flag">{flag["kind"]}</span>' in r.text
    cited = re.findall(r'href="#(a-[0-9a-f]+-\d+-\d+)"', r.text)
    assert cited and all(f'id="{c}"' in r.text for c in cited)


def test_story_list_searches_filters_and_pages(http, seeded):
    def ids(**params):
        r = http.get("/api/stories", params=params)
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()["stories"]]

    assert set(ids()) == {seeded.seed_story, seeded.hostile_story, seeded.clean_story}
    assert ids(q="Aleppo") == [seeded.seed_story]                     # article text, not only titles
    assert ids(q="apple harvest") == [seeded.clean_story]             # every word must appear
    assert ids(q="apple Aleppo") == []
    assert ids(q="<script>") == [seeded.hostile_story]
    assert ids(source="orchard") == [seeded.clean_story]
    assert ids(date_from="2024-01-01") == [seeded.hostile_story]      # undated stories drop out of date filters
    assert ids(date_to="2023-12-31") == [seeded.clean_story]
    assert ids(date_from="2023-05-02", date_to="2023-05-02") == [seeded.clean_story]
    disputed = [s for s in ids() if http.get(f"/api/stories/{s}").json()["stories"][0]["conflicts"]]
    assert ids(disputed="1") == disputed  # tests/test_web.py::test_find_stories_* covers a disputed story

    first = http.get("/api/stories", params={"per_page": 2}).json()
    second = http.get("/api/stories", params={"per_page": 2, "page": 2}).json()
    assert (first["total"], first["pages"], len(first["stories"]), len(second["stories"])) == (3, 2, 2, 1)
    assert {s["id"] for s in first["stories"] + second["stories"]} == set(ids())

    page = http.get("/", params={"q": "Aleppo", "date_from": "", "date_to": "", "source": ""})  # as a form sends it
    assert page.status_code == 200 and f'href="/stories/{seeded.seed_story}"' in page.text
    assert f'href="/stories/{seeded.clean_story}"' not in page.text
    paged = http.get("/", params={"per_page": 1, "page": 2}).text
    assert 'rel="prev"' in paged and 'rel="next"' in paged and "page 2 of 3" in paged


def test_the_story_api_is_the_analysis_document(http, seeded):
    r = http.get(f"/api/stories/{seeded.seed_story}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    doc = r.json()
    rashomon.validate_document(doc)
    assert [s["id"] for s in doc["stories"]] == [seeded.seed_story] and len(doc["articles"]) == 5
    article = http.get(f"/api/articles/{seeded.hostile_article}").json()
    assert article["id"] == seeded.hostile_article and article["story_id"] == seeded.hostile_story
    assert article["title"] == HOSTILE_TITLE and "framing" in article and "quality" in article


def test_errors_have_one_shape_and_pages_get_an_error_page(http, seeded):
    assert_error(http.get("/api/stories/s0000000000000000"), 404, needle="no story 's0000000000000000'")
    assert_error(http.get("/api/articles/nope"), 404, needle="no article 'nope'")
    assert_error(http.get("/api/nothing-here"), 404)
    assert_error(http.get("/api/stories", params={"date_from": "yesterday"}), 422, needle="date_from")
    assert_error(http.get("/api/stories", params={"page": "0"}), 422, needle="page")
    assert_error(http.get("/api/stories", params={"date_from": "2024-02-01", "date_to": "2024-01-01"}), 422)
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        for path in ("/", "/api/stories", f"/stories/{seeded.seed_story}", "/nowhere"):
            r = http.request(method, path)
            assert_error(r, 405, needle=method)
            assert r.headers["allow"] == "GET, HEAD"
    for path in ("/stories/nope", "/articles/nope", "/nowhere"):
        page = http.get(path)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert_secured(page)
        assert "404 Not Found" in page.text
    bad = http.get("/", params={"date_to": "soon"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
    for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        assert http.get(path).status_code == 404


def test_an_unexpected_failure_is_a_500_in_the_error_shape(http, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(story_db, "find_stories", broken)
    fresh = {"q": "a query no earlier test sent"}  # list answers are reused for a moment: ask a new one
    body = assert_error(http.get("/api/stories", params=fresh), 500)
    assert "disk on fire" not in body["error"]["message"]  # details go to the log, not to the client
    page = http.get("/", params=fresh)
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert_secured(page)


def test_head_answers_without_a_body(http, seeded):
    r = http.head(f"/stories/{seeded.seed_story}")
    assert r.status_code == 200 and r.content == b"" and int(r.headers["content-length"]) > 1000
    assert_secured(r)


def test_untrusted_text_is_escaped_everywhere(http, seeded):
    pages = [http.get(f"/stories/{seeded.hostile_story}").text, http.get(f"/articles/{seeded.hostile_article}").text,
             http.get("/").text, http.get("/", params={"q": PAYLOADS[0], "source": PAYLOADS[2]}).text]
    for html in pages:
        lower = html.lower()
        for tag in ("<script", "<img", "<svg", "<iframe"):
            assert tag not in lower
        assert "javascript:" not in re.sub(r"&[^;]+;", "", "".join(re.findall(r'href="([^"]*)"', lower)))
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in pages[0]
    assert "Evil Outlet &lt;img src=x onerror=&#34;window.__pwned=2;alert(2)&#34;&gt;" in pages[0]
    assert 'value="&lt;script&gt;' in pages[3]                       # the search box echoes the query, inert


def test_story_pages_are_cached_until_the_store_changes(seeded, tmp_path):
    copy = tmp_path / "copy.db"
    with sqlite3.connect(seeded.path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    url = f"sqlite:///{copy}"
    with LiveServer(url) as live, httpx.Client(base_url=live.base, timeout=60) as client:
        cache = live.app.state.cache
        first = client.get(f"/stories/{seeded.seed_story}")
        assert first.status_code == 200 and cache.builds == 1
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            again = client.get(f"/stories/{seeded.seed_story}")
            timings.append(time.perf_counter() - start)
        assert again.content == first.content and cache.builds == 1
        assert sorted(timings)[len(timings) // 2] < 0.1, timings      # a cache hit is a couple of queries
        client.get(f"/api/stories/{seeded.seed_story}")
        client.get(f"/articles/{seeded.hostile_article}")
        assert cache.builds == 2                                       # the JSON reuses the story's document

        # the same seed article found at a second place is a new origin: the page must show it
        extra = tmp_path / "again"
        extra.mkdir()
        shutil.copy(next(EXAMPLES.glob("*.txt")), extra / "copy-of-seed.txt")
        rashomon.ingest([str(extra)], db=url)
        changed = client.get(f"/stories/{seeded.seed_story}")
        assert cache.builds == 3 and "copy-of-seed.txt" in changed.text

        # an article in no story yet still has its page, read on demand
        (extra / "lone.txt").write_text(article_text("lighthouse"), encoding="utf-8")
        (lone,) = rashomon.ingest([str(extra / "lone.txt")], db=url).article_ids
        page = client.get(f"/articles/{lone}")
        assert page.status_code == 200 and "in no story yet" in page.text
        assert client.get(f"/api/articles/{lone}").json()["story_id"] is None


def test_serve_refuses_a_store_that_does_not_exist(tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    missing = tmp_path / "none.db"
    result = CliRunner().invoke(app, ["serve", "--db", str(missing)])
    assert result.exit_code == 2 and "no store at" in result.output
    assert not missing.exists()
    result = CliRunner().invoke(app, ["serve", "--db", "sqlite://"])
    assert result.exit_code == 2 and "in memory" in result.output


def test_rashomon_serve_runs_the_app_on_loopback(seeded):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rashomon.cli", "serve", "--db", seeded.url, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=5)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"rashomon serve did not answer: {proc.stdout.read() if proc.poll() is not None else ''}")
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["total"] == 3
        assert "server" not in r.headers
    finally:
        proc.terminate()
        proc.wait(10)


# -- the list query, on SQLite and PostgreSQL -------------------------------------------------------------------
def _add_story(store, story_id: str, title: str, days: tuple[int, int] | None, members: list[tuple[str, str, str]],
               conflicts: int | None) -> None:
    """A story of ``members`` (id, source, text) with stored blocks holding ``conflicts`` conflicts (None: never
    judged), written the way the stories stage and output/story.py write them."""
    import numpy as np

    from rashomon.models import Article, Origin

    with store.begin() as conn:
        for aid, source, text in members:
            store.add(conn, Article(id=aid, text=text, title=f"{title} ({source})", source=source, url=None, path=None,
                                    author=None, published=None, published_precision=None, published_note=None,
                                    language="en", language_score=1.0, word_count=len(text.split()),
                                    text_hash=aid * 4),
                      Origin(aid, f"{aid}.txt", None, "txt", None, None, source, None, None))
        story_db.save_stories(conn, [{"id": story_id, "title": title, "members": [m[0] for m in members],
                                      "first_day": days and days[0], "last_day": days and days[1],
                                      "emb_sum": np.zeros(4, "<f4"), "term_idx": np.zeros(1, "<i4"),
                                      "term_val": np.zeros(1, "<f4"), "names": {}}])
        story_db.save_members(conn, [(m[0], story_id, n, None) for n, m in enumerate(members)])
    if conflicts is not None:
        store.save_story_analysis(story_id, "k", {"claims": [], "conflicts": [{"id": f"c{i}"} for i in range(conflicts)]})


def test_find_stories_filters_by_words_outlet_dates_and_disputes(store):
    _add_story(store, "s_port", "Port strike", (19700, 19702),
               [("a" * 16, "Harbour Daily", article_text("dockers")), ("b" * 16, "Wire", article_text("cranes"))], 2)
    _add_story(store, "s_farm", "Apple harvest", (19500, 19500), [("c" * 16, "Orchard Weekly", article_text("apples"))], 0)
    _add_story(store, "s_old", "Undated 100% note", None, [("d" * 16, None, article_text("archive"))], None)

    def ids(**kw):
        total, rows = story_db.find_stories(store, **kw)
        assert total == len(rows) or "limit" in kw
        return [r["id"] for r in rows]

    assert ids() == ["s_port", "s_farm", "s_old"]
    assert ids(disputed=True) == ["s_port"]
    total, rows = story_db.find_stories(store)
    assert [(r["conflicts"], r["sources"]) for r in rows] == [(2, ["Harbour Daily", "Wire"]), (0, ["Orchard Weekly"]),
                                                             (None, [])]
    assert ids(words=["cranes"]) == ["s_port"]                  # a member's text
    assert ids(words=["apple", "harvest"]) == ["s_farm"]        # the story title
    assert ids(words=["apple", "cranes"]) == []
    assert ids(words=["100%"]) == ["s_old"] and ids(words=["%"]) == ["s_old"]  # LIKE wildcards are literal
    assert ids(source="harbour") == ["s_port"]
    assert ids(from_day=19600) == ["s_port"] and ids(to_day=19600) == ["s_farm"]
    assert ids(from_day=19701, to_day=19701) == ["s_port"]      # the span meets the range
    total, rows = story_db.find_stories(store, limit=1, offset=1)
    assert total == 3 and [r["id"] for r in rows] == ["s_farm"]


def test_a_story_stamp_moves_with_what_its_document_is_made_of(store):
    from rashomon.models import Origin
    from rashomon.web.cache import story_stamp

    _add_story(store, "s_port", "Port strike", (19700, 19702), [("a" * 16, "Harbour Daily", article_text("dockers"))],
               None)
    first = story_stamp(store, "s_port")
    assert first and story_stamp(store, "s_port") == first and story_stamp(store, "s_none") is None
    assert story_stamp(store, "s_port", extra="outlets:2") != first
    store.save_story_analysis("s_port", "k1", {"conflicts": []})
    judged = story_stamp(store, "s_port")
    assert judged != first
    with store.begin() as conn:  # the same article found at a second place
        store.add(conn, store_article(store, "a" * 16), Origin("a" * 16, "mirror.txt", None, "txt", None, None,
                                                                 None, None, None))
    assert story_stamp(store, "s_port") not in (first, judged)


def store_article(store, article_id: str):
    from rashomon.models import Article

    row = store.articles([article_id])[0]
    return Article(**{k: row[k] for k in Article.__dataclass_fields__})


def test_recent_list_answers_are_reused_for_ttl_seconds_only():
    from rashomon.web.cache import RecentAnswers

    now = [100.0]
    calls = []
    recent = RecentAnswers(2.0, size=2, clock=lambda: now[0])

    def make(key):
        return lambda: calls.append(key) or f"answer {key} #{len(calls)}"

    assert recent.get("a", make("a")) == "answer a #1"
    now[0] += 1.9
    assert recent.get("a", make("a")) == "answer a #1"
    now[0] += 0.2
    assert recent.get("a", make("a")) == "answer a #2"           # expired
    recent.get("b", make("b"))
    recent.get("c", make("c"))                                   # over size: "a" is dropped
    assert recent.get("a", make("a")) == "answer a #5"
    assert RecentAnswers(0).get("x", make("x")) == "answer x #6" and RecentAnswers(0).get("x", make("x")) != "answer x #6"


# -- highlight: citation spans around marks ----------------------------------------------------------------------
def _flat(paragraphs) -> list[str]:
    out = []
    for para in paragraphs:
        s = ""
        for t in para:
            if t.kind == "open":
                s += f"[{t.anchor or '+'}|"
            elif t.kind == "close":
                s += "]"
            else:
                s += f"<{t.text}>" if t.cls else t.text
        out.append(s)
    return out


def test_citations_nest_hold_marks_and_carry_their_id_once():
    text = "Alpha beta gamma. Delta epsilon.\nZeta eta."
    marks = [{"start": 6, "end": 10, "cls": "loaded", "title": "t"},
             {"start": 15, "end": 22, "cls": "label", "title": "crosses the end of a citation"}]
    cites = [Citation("x", 0, 17), Citation("x", 0, 10), Citation("x", 18, 40), Citation("x", 0, 17)]
    got = _flat(cited_paragraphs(text, marks, cites))
    assert got == ["[a-x-0-17|[a-x-0-10|Alpha <beta>] gamm<a.>]< >[a-x-18-40|<Delt>a epsilon.]",
                   "[+|Zeta et]a."]


def test_overlapping_citations_are_reopened_without_a_second_id():
    got = _flat(cited_paragraphs("one two three four", [], [Citation("y", 0, 7), Citation("y", 4, 13)]))
    assert got == ["[a-y-0-7|one [a-y-4-13|two]][+| three] four"]
    # spans outside the text are dropped, blank paragraphs too
    assert _flat(cited_paragraphs("ab\n\n \ncd", [], [Citation("z", 1, 99)])) == ["ab", "cd"]

""""What changed since your last visit": a watch adds an article and a conflict to a story and makes a new
one; the web app (real HTTP on 127.0.0.1) marks them for a visitor whose cookie predates the poll, not
for one whose cookie is later, and never serves one visit's marks to another from its page cache."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

import httpx
import pytest

import rashomon
from rashomon import api
from rashomon.storage import stories as story_db
from rashomon.web.visits import VISIT_GAP, read_visit

from .httpserver import LoopbackServer
from .test_watch import ferry_items
from .test_web import LiveServer
from .watchsite import FakeClock, FeedSite, rss


@dataclass(frozen=True)
class Watched:
    db: str
    first_poll: float        # fake epoch seconds of the two polls
    second_poll: float
    ferry: str               # story ids
    chess: str
    ferry_c: str             # the article the second poll added to the ferry story


@pytest.fixture(scope="module")
def watched(tmp_path_factory) -> Watched:
    db = f"sqlite:///{tmp_path_factory.mktemp('changes') / 'watch.db'}"
    clock = FakeClock(time.time() - 5 * 86_400)
    with LoopbackServer() as server:
        site = FeedSite(server, clock)
        first, second = ferry_items("https://wire.example")
        site.feed("/wire.xml", rss(first))
        settings = dict(watch_interval=600.0, watch_host_delay=0.0)
        first_poll = clock()
        api.watch([site.url("/wire.xml")], db=db, polls=1, clock=clock, sleep=clock.sleep, **settings)
        clock.sleep(3600)
        site.feed("/wire.xml", rss(second))
        second_poll = clock()
        api.watch([site.url("/wire.xml")], db=db, polls=1, clock=clock, sleep=clock.sleep, **settings)
    with rashomon.open_store(db) as store:
        ids = {r["title"]: r["id"] for r in store.articles()}
        with store.begin() as conn:
            story_of = story_db.story_ids_for(conn, ids.values())
    ferry_c = ids["Lake Victoria ferry death toll rises to 41"]
    return Watched(db, first_poll, second_poll, story_of[ferry_c],
                   story_of[ids["Dahl wins European rapid chess title in Bergen"]], ferry_c)


class Visitor:
    """Requests with no cookie jar: each sends only the cookie a test gives it, as a separate visitor."""

    def __init__(self, base: str):
        self.base = base

    def get(self, path: str, **kwargs) -> httpx.Response:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            return client.get(path, **kwargs)


@pytest.fixture(scope="module")
def http(watched):
    with LiveServer(watched.db) as live:
        yield Visitor(live.base)


def _cookie(at: float) -> dict[str, str]:
    """A visitor whose last page view was at ``at`` (long enough ago to be a previous visit)."""
    return {"Cookie": f"rashomon_visit={int(at)}.{int(at)}"}


def _new_flags(html: str) -> list[str]:
    return re.findall(r'<span class="flag new">([^<]*)</span>', html)


def test_list_marks_stories_changed_since_the_visitors_last_visit(http, watched):
    before = http.get("/", headers=_cookie(watched.first_poll + 1800))
    assert before.status_code == 200
    flags = _new_flags(before.text)
    assert sorted(flags) == ["1 new article, 1 new conflict", "new story, 1 new article"]
    row = before.text[before.text.index(f"/stories/{watched.ferry}"):]
    assert _new_flags(row[:row.index("</tr>")]) == ["1 new article, 1 new conflict"]
    assert "2 stories changed since your last visit" in before.text.replace("<b>", "").replace("</b>", "")

    after = http.get("/", headers=_cookie(watched.second_poll + 1800))
    assert after.status_code == 200 and _new_flags(after.text) == []
    assert "Nothing changed since your last visit" in after.text


def test_changed_filter_lists_only_changed_stories(http, watched):
    before = http.get("/api/stories?changed=1", headers=_cookie(watched.first_poll + 1800)).json()
    assert {s["id"] for s in before["stories"]} == {watched.ferry, watched.chess}
    assert before["filters"]["changed"] is True
    after = http.get("/?changed=1", headers=_cookie(watched.second_poll + 1800))
    assert "0 stories match" in after.text
    first = http.get("/?changed=1")
    assert "first visit" in first.text and "0 stories match" in first.text


def test_story_page_marks_new_articles_and_conflicts_per_visit(http, watched):
    url = f"/stories/{watched.ferry}"
    for _ in range(2):  # the second round is served from the page cache: still each visit's own marks
        before = http.get(url, headers=_cookie(watched.first_poll + 1800))
        assert before.status_code == 200
        flags = _new_flags(before.text)
        assert flags.count("new") == 2 and "1 new article, 1 new conflict" in flags
        marked = before.text[:before.text.index('<span class="flag new">new</span>', before.text.index("Articles</h2>"))]
        assert f'href="#article-{watched.ferry_c}"' in marked[-400:]
        conflict = before.text[before.text.index('<div class="conflict"'):]
        assert conflict.index('<span class="flag new">new</span>') < conflict.index("</div>")
        after = http.get(url, headers=_cookie(watched.second_poll + 1800))
        assert after.status_code == 200 and _new_flags(after.text) == []
        fresh = http.get(url)                                     # a first visit: nothing to compare with
        assert _new_flags(fresh.text) == []


def test_visit_cookie_is_httponly_lax_and_pages_are_private(http, watched):
    r = http.get("/", headers=_cookie(watched.first_poll + 1800))
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("rashomon_visit=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/" in cookie
    since, seen = cookie.split(";")[0].split("=", 1)[1].split(".")
    assert int(since) == int(watched.first_poll + 1800) and abs(int(seen) - time.time()) < 60
    assert r.headers["cache-control"] == "private, no-cache" and r.headers["vary"] == "Cookie"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    story = http.get(f"/stories/{watched.ferry}", headers={"Cookie": "rashomon_visit=garbage<script>"})
    assert story.status_code == 200 and _new_flags(story.text) == []
    assert "<script>" not in story.headers["set-cookie"]


def test_api_changes_since(http, watched):
    def at(seconds: float) -> str:
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat().replace("+00:00", "Z")

    body = http.get("/api/changes", params={"since": at(watched.first_poll + 1800)}).json()
    kinds = sorted((c["story_id"] == watched.ferry, c["kind"]) for c in body["changes"])
    assert kinds == [(False, "new_article"), (False, "new_story"), (True, "new_article"), (True, "new_conflict")]
    assert body["stories"][watched.ferry]["summary"] == "1 new article, 1 new conflict"
    assert all(c["at"] > at(watched.first_poll + 1800) for c in body["changes"])
    everything = http.get("/api/changes", params={"since": "2000-01-01T00:00:00+00:00"}).json()
    assert len(everything["changes"]) == 7 and everything["truncated"] is False  # 3 from the first poll
    one = http.get("/api/changes", params={"since": "2000-01-01", "story": watched.chess, "limit": 1}).json()
    assert len(one["changes"]) == 1 and one["truncated"] is True
    assert http.get("/api/changes", params={"since": at(watched.second_poll + 60)}).json()["changes"] == []
    bad = http.get("/api/changes", params={"since": "yesterday"})
    assert bad.status_code == 422 and "ISO 8601" in bad.json()["error"]["message"]
    assert http.get("/api/changes").status_code == 422


def test_a_visit_keeps_its_baseline_until_a_long_pause():
    now = 2_000_000_000.0
    first = read_visit(None, now)
    assert first.since is None and first.cookie == f"{int(now)}.{int(now)}"
    same = read_visit(first.cookie, now + 60)                   # a minute later: the same visit
    assert same.since == now and same.seen == now + 60
    later = read_visit(f"{int(now - 86_400)}.{int(now)}", now + 120)
    assert later.since == now - 86_400                          # still the visit that began after yesterday's
    next_day = read_visit(later.cookie, now + 120 + VISIT_GAP + 1)
    assert next_day.since == now + 120                          # a new visit: new since the last page view
    assert read_visit(f"{int(now + 10**6)}.{int(now + 10**6)}", now).since == now  # no baseline in the future
    assert read_visit("1.2.3", now).since is None and read_visit("-5.7", now).since is None

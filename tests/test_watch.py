"""`rashomon watch`: conditional polls, politeness, backoff, resuming, and new items joining stories.

Every feed is served over real HTTP on 127.0.0.1 (tests/httpserver.py) by a server that answers
conditional GETs; time is a fake clock, so hours of polling run in milliseconds. Only
test_new_items_join_the_right_stories runs the reading and clustering models.
"""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

import rashomon
from rashomon import api
from rashomon.cli import app
from rashomon.errors import ConfigError
from rashomon.storage import stories as story_db
from rashomon.watch import change_counts, changes_since, load_feed_states, read_feed_list
from rashomon.watch.schedule import backoff_delay, retry_after_seconds

from .httpserver import Reply
from .watchsite import CHESS, FERRY_A, FERRY_B, FERRY_C, FakeClock, FeedSite, Item, rss

WORDS = ("council members argued about the harbour budget for two hours before a narrow vote approved new "
         "dredging, lighting and a ferry shelter, while fishermen asked for lower mooring fees this year")


def _item(n: int, topic: str) -> Item:
    return Item(f"urn:test:{topic}:{n}", f"{topic.title()} report {n}", f"{topic} {n}: {WORDS} ({topic} {n}).",
                "Sat, 08 Mar 2025 10:00:00 GMT")


def _quick(**more):
    """Settings with the models off: these tests measure polling, not reading."""
    return dict(read_articles=False, group_stories=False, watch_interval=60.0, watch_host_delay=1.0, **more)


@pytest.fixture
def site(http_server):
    return FeedSite(http_server, FakeClock())


def _watch(site, urls, db, polls, **settings):
    return api.watch(urls, db=db, polls=polls, clock=site.clock, sleep=site.clock.sleep,
                          **{**_quick(), **settings})


# -- (b) an unchanged feed costs one conditional request per poll, answered 304 ------------------------------
def test_unchanged_feed_costs_one_conditional_request_per_poll(site, sqlite_url):
    site.feed("/a.xml", rss([_item(1, "harbour"), _item(2, "harbour")]))
    report = _watch(site, [site.url("/a.xml")], sqlite_url, polls=4)
    hits = site.at("/a.xml")
    assert [h.status for h in hits] == [200, 304, 304, 304]
    assert len(hits) == report.polls == 4                         # exactly one request per poll
    etag = hits[0].headers.get("If-None-Match")
    assert etag is None
    for h in hits[1:]:
        assert h.headers["If-None-Match"].startswith('"')
        assert h.headers["If-Modified-Since"].endswith("GMT")
    assert [b.at - a.at for a, b in zip(hits, hits[1:])] == pytest.approx([60, 60, 60], abs=1.5)
    assert len(site.at("/robots.txt")) == 1                        # once per host, not per poll
    assert report.requests == 5                                    # 4 polls + robots.txt
    assert report.feeds[0].not_modified == 3 and report.new_articles == 2
    with rashomon.open_store(sqlite_url) as store:
        assert store.count() == 2
        (state,) = load_feed_states(store, [site.url("/a.xml")])
    assert state.last_status == 304 and state.failures == 0 and state.items_seen == 2


def test_changed_feed_adds_only_its_new_entries(site, sqlite_url):
    site.feed("/a.xml", rss([_item(1, "harbour")]))
    first = _watch(site, [site.url("/a.xml")], sqlite_url, polls=1)
    site.feed("/a.xml", rss([_item(2, "harbour"), _item(1, "harbour")]))   # a new entry on top
    second = _watch(site, [site.url("/a.xml")], sqlite_url, polls=2)
    assert (first.new_articles, second.new_articles) == (1, 1)
    assert [h.status for h in site.at("/a.xml")] == [200, 200, 304]
    with rashomon.open_store(sqlite_url) as store:
        assert store.count() == 2
        assert len(store.origins([a["id"] for a in store.articles()])) == 2  # no second origin for entry 1


def test_requests_to_one_host_are_spaced_by_the_host_delay(site, sqlite_url):
    for name in ("a", "b", "c"):
        site.feed(f"/{name}.xml", rss([_item(1, name)]))
    report = _watch(site, [site.url(f"/{n}.xml") for n in "abc"], sqlite_url, polls=2, watch_host_delay=5.0)
    times = [h.at for h in site.hits]
    assert len(times) == 7                                          # robots.txt + 3 feeds x 2 rounds
    assert min(b - a for a, b in zip(times, times[1:])) >= 5.0
    assert report.host_wait_seconds >= 5.0 * 5


# -- (c) a failing feed backs off, the others go on ---------------------------------------------------------
def test_failing_feeds_back_off_and_the_others_continue(site, sqlite_url):
    site.feed("/good.xml", rss([_item(1, "harbour")]))
    site.reply("/down.xml", Reply(503, b"down", {"Content-Type": "text/plain"}))
    site.reply("/busy.xml", Reply(429, b"slow down", {"Retry-After": "1000"}))
    site.reply("/broken.xml", Reply(200, b"<rss><channel><item><title>cut", {"Content-Type": "application/rss+xml"}))
    urls = [site.url(p) for p in ("/good.xml", "/down.xml", "/busy.xml", "/broken.xml")]
    report = _watch(site, urls, sqlite_url, polls=20)
    start = site.at("/good.xml")[0].at
    offsets = {p: [round(h.at - start) for h in site.at(p)] for p in ("/good.xml", "/down.xml", "/busy.xml")}
    # good: every 60 s (plus the host delay of its round); down: 120, 240, 480 s after each failure.
    good = offsets["/good.xml"]
    assert len(good) >= 18 and all(55 <= b - a <= 65 for a, b in zip(good, good[1:]))
    down = offsets["/down.xml"]
    assert [b - a for a, b in zip(down, down[1:])] == pytest.approx([120, 240, 480], abs=5)
    busy = offsets["/busy.xml"]
    assert busy[1] - busy[0] == pytest.approx(1000, abs=5)          # Retry-After beats the 120 s backoff
    assert all(h.status == 304 for h in site.at("/good.xml")[1:])
    with rashomon.open_store(sqlite_url) as store:
        states = {s.url: s for s in load_feed_states(store, urls)}
    assert states[urls[1]].failures == 4 and states[urls[1]].last_status == 503
    assert "HTTP 503" in states[urls[1]].last_error
    assert states[urls[2]].last_status == 429
    assert states[urls[3]].failures >= 1 and "not well-formed XML" in states[urls[3]].last_error
    assert states[urls[3]].etag is None                             # a broken body is fetched again next time
    assert states[urls[0]].failures == 0 and report.new_articles == 1
    assert {f.url: f.failures > 0 for f in report.feeds} == {urls[0]: False, urls[1]: True, urls[2]: True,
                                                               urls[3]: True}


def test_backoff_doubles_up_to_the_cap_and_honours_retry_after():
    assert [backoff_delay(n, 60, 1000) for n in range(6)] == [60, 120, 240, 480, 960, 1000]
    assert backoff_delay(5000, 60, 1000) == 1000                     # no overflow after many failures
    assert backoff_delay(1, 60, 1000, retry_after=500) == 500
    assert backoff_delay(1, 60, 1000, retry_after=10**9) == 1000     # a server cannot park a feed for ever
    assert retry_after_seconds("120", 0) == 120
    when = dt.datetime(2025, 1, 1, 0, 10, tzinfo=dt.timezone.utc)
    assert retry_after_seconds("Wed, 01 Jan 2025 00:10:00 GMT", when.timestamp() - 600) == pytest.approx(600)
    assert retry_after_seconds("soon", 0) is None and retry_after_seconds(None, 0) is None


# -- (d) a restarted watch resumes with the stored validators and schedule -----------------------------------
def test_restart_resumes_with_stored_etags_and_schedule(site, sqlite_url):
    site.feed("/a.xml", rss([_item(1, "harbour")]))
    site.reply("/down.xml", Reply(500, b"oops"))
    urls = [site.url("/a.xml"), site.url("/down.xml")]
    _watch(site, urls, sqlite_url, polls=1)
    with rashomon.open_store(sqlite_url) as store:
        saved = {s.url: s for s in load_feed_states(store, urls)}
    assert saved[urls[0]].etag and saved[urls[0]].last_modified
    assert saved[urls[1]].failures == 1

    site.clock.sleep(10)  # restarted 10 s later: nothing is due yet, so the new watch waits
    second = _watch(site, urls, sqlite_url, polls=1)
    (hit,) = site.at("/a.xml")[1:]
    assert hit.status == 304 and hit.headers["If-None-Match"] == saved[urls[0]].etag
    assert hit.at >= saved[urls[0]].next_poll_at.timestamp()
    assert len(site.at("/down.xml")) == 1                         # still backing off: not polled at 60 s
    assert second.polls == 1 and second.new_articles == 0


# -- feed lists -------------------------------------------------------------------------------------------
def test_feed_lists_opml_text_and_urls(tmp_path):
    opml = tmp_path / "subs.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
                    '<outline text="News"><outline text="A" type="rss" xmlUrl="https://a.example/rss"/>'
                    '<outline text="Deeper"><outline text="B" xmlUrl="https://b.example/atom.xml"/></outline>'
                    '</outline><outline text="no feed here"/></body></opml>', encoding="utf-8")
    listing = tmp_path / "feeds.txt"
    listing.write_text("# my feeds\n\nhttps://c.example/feed  # morning\nhttps://a.example/rss\n"
                       "https://d.example/sitemap.xml#part\n", encoding="utf-8")
    assert read_feed_list([opml, listing, "https://e.example/rss"]) == [
        "https://a.example/rss", "https://b.example/atom.xml", "https://c.example/feed",
        "https://d.example/sitemap.xml#part", "https://e.example/rss"]


@pytest.mark.parametrize("content, message", [
    ("https://ok.example/rss\nftp://files.example/x\n", "line 2: 'ftp://files.example/x' is not an http"),
    ("# nothing\n\n", "holds no URL"),
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body><outline xmlUrl="https://a.example/"/>'
     '</body></opml>', "DTD or entities"),
    ("<opml><body><outline xmlUrl='https://a.example/'>", "not well-formed"),
    ("<opml><body><outline text='x'/></body></opml>", "no outline with an xmlUrl"),
    ("<rss><channel/></rss>", "XML but not OPML"),
])
def test_bad_feed_lists_are_usage_errors(tmp_path, content, message):
    path = tmp_path / "list.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_feed_list([path])


def test_cli_watch_runs_rounds_and_reports(site, sqlite_url, tmp_path):
    site.feed("/a.xml", rss([_item(1, "harbour")]))
    listing = tmp_path / "feeds.txt"
    listing.write_text(site.url("/a.xml") + "\n", encoding="utf-8")
    env = {"RASHOMON_READ_ARTICLES": "0", "RASHOMON_GROUP_STORIES": "0", "RASHOMON_WATCH_HOST_DELAY": "0"}
    result = CliRunner().invoke(app, ["watch", str(listing), "--db", sqlite_url, "--polls", "1",
                                      "--interval", "30"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 round(s), 1 poll(s), 2 request(s); 1 new article(s)" in result.output
    bad = CliRunner().invoke(app, ["watch", str(tmp_path / "missing.txt"), "--db", sqlite_url, "--polls", "1"])
    assert bad.exit_code == 2 and "does not exist" in bad.output
    zero = CliRunner().invoke(app, ["watch", str(listing), "--db", sqlite_url, "--polls", "0"], env=env)
    assert zero.exit_code == 2 and "--polls 0" in zero.output


# -- (a) new items of a changed feed join the right stories ---------------------------------------------------
FERRY_DAY = "Sat, 08 Mar 2025 18:00:00 GMT"


def ferry_items(base: str) -> tuple[list[Item], list[Item]]:
    """The first version of a feed (two reports of one ferry disaster) and its next version (a third
    report of it, disputing a date, and an unrelated one on top)."""
    first = [Item("ferry-a", "Ferry capsizes on Lake Victoria near Mwanza, killing 38", FERRY_A, FERRY_DAY,
                  f"{base}/ferry-a"),
             Item("ferry-b", "Dozens drown as overloaded ferry sinks off Mwanza", FERRY_B,
                  "Sat, 08 Mar 2025 20:30:00 GMT", f"{base}/ferry-b")]
    second = [Item("chess", "Dahl wins European rapid chess title in Bergen", CHESS,
                   "Sun, 09 Mar 2025 19:00:00 GMT", f"{base}/chess"),
              Item("ferry-c", "Lake Victoria ferry death toll rises to 41", FERRY_C,
                   "Sun, 09 Mar 2025 16:00:00 GMT", f"{base}/ferry-c")] + first
    return first, second


def test_new_items_join_the_right_stories(site, sqlite_url):
    first, second = ferry_items("https://wire.example")
    site.feed("/wire.xml", rss(first))
    settings = dict(read_articles=True, group_stories=True, watch_interval=60.0, watch_host_delay=0.0)
    one = _watch(site, [site.url("/wire.xml")], sqlite_url, polls=1, **settings)
    assert (one.new_articles, one.new_stories) == (2, 1)
    site.feed("/wire.xml", rss(second))
    two = _watch(site, [site.url("/wire.xml")], sqlite_url, polls=2, **settings)
    assert [h.status for h in site.at("/wire.xml")] == [200, 200, 304]
    assert (two.new_articles, two.new_stories, two.grown_stories) == (2, 1, 1)
    with rashomon.open_store(sqlite_url) as store:
        by_title = {r["title"]: r["id"] for r in store.articles()}
        with store.begin() as conn:
            story_of = story_db.story_ids_for(conn, by_title.values())
        ferry = story_of[by_title["Ferry capsizes on Lake Victoria near Mwanza, killing 38"]]
        assert story_of[by_title["Lake Victoria ferry death toll rises to 41"]] == ferry
        assert story_of[by_title["Dozens drown as overloaded ferry sinks off Mwanza"]] == ferry
        chess = story_of[by_title["Dahl wins European rapid chess title in Bergen"]]
        assert chess != ferry
        changes = changes_since(store, dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    kinds = [(c["story_id"], c["kind"]) for c in changes]
    assert kinds.count((ferry, "new_story")) == 1 and kinds.count((chess, "new_story")) == 1
    assert kinds.count((ferry, "new_article")) == 3 and kinds.count((chess, "new_article")) == 1
    # The third ferry report puts 160 passengers aboard where the first two said 240: a dispute that the
    # story did not have before it joined.
    second_poll = [c for c in two.changes if c["story_id"] == ferry]
    assert [c["ref"] for c in second_poll if c["kind"] == "new_article"] == [
        by_title["Lake Victoria ferry death toll rises to 41"]]
    (conflict,) = [c for c in second_poll if c["kind"] == "new_conflict"]
    assert conflict["ref"].startswith("number:") and "160" in conflict["summary"] and "240" in conflict["summary"]
    assert all(c["kind"] != "new_conflict" for c in one.changes)


# -- sitemaps, stopping, timeouts, both stores ------------------------------------------------------------
def _page(title: str, topic: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{topic}: {WORDS}.</p><p>{WORDS} again, said the {topic} office.</p></article></body></html>"
            ).encode("utf-8")


def _sitemap(locs: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>2025-03-0{n + 1}</lastmod></url>" for n, loc in enumerate(locs))
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>").encode("utf-8")


def test_sitemap_pages_are_fetched_once(site, sqlite_url):
    for name in ("one", "two", "three"):
        site.reply(f"/news/{name}", Reply(200, _page(f"Harbour news {name}", name), {"Content-Type": "text/html"}))
    base = site.url("/news/")

    def serve(locs):
        site.feed("/sitemap.xml", _sitemap([base + n for n in locs]))

    serve(["one", "two"])
    first = _watch(site, [site.url("/sitemap.xml")], sqlite_url, polls=2)
    serve(["one", "two", "three"])
    second = _watch(site, [site.url("/sitemap.xml")], sqlite_url, polls=1)
    assert (first.new_articles, second.new_articles) == (2, 1)
    assert [len(site.at(f"/news/{n}")) for n in ("one", "two", "three")] == [1, 1, 1]
    assert [h.status for h in site.at("/sitemap.xml")] == [200, 304, 200]
    with rashomon.open_store(sqlite_url) as store:
        assert sorted(r["title"] for r in store.articles()) == [f"Harbour news {n}" for n in ("one", "three", "two")]
        assert {r["url"] for r in store.articles()} == {base + n for n in ("one", "two", "three")}


def test_stop_ends_the_watch_after_the_current_feed(site, sqlite_url):
    import threading

    for name in "abc":
        site.feed(f"/{name}.xml", rss([_item(1, name)]))
    stop = threading.Event()
    lines = []

    def progress(line: str) -> None:
        lines.append(line)
        stop.set()                     # as Ctrl-C does, while the first feed is being handled

    report = api.watch([site.url(f"/{n}.xml") for n in "abc"], db=sqlite_url, clock=site.clock,
                       sleep=site.clock.sleep, stop=stop, progress=progress, **_quick())
    assert report.stopped and report.polls == 1 and report.new_articles == 1
    assert [len(site.at(f"/{n}.xml")) for n in "abc"] == [1, 0, 0]
    with rashomon.open_store(sqlite_url) as store:
        states = load_feed_states(store, [site.url("/a.xml"), site.url("/b.xml")])
    assert states[0].etag and states[1].last_polled_at is None     # the first was finished and saved


def test_a_feed_that_times_out_backs_off(site, sqlite_url):
    site.reply("/slow.xml", Reply(200, rss([_item(1, "slow")]), {"Content-Type": "application/rss+xml"}, delay=1.0))
    site.feed("/a.xml", rss([_item(1, "harbour")]))
    report = _watch(site, [site.url("/slow.xml"), site.url("/a.xml")], sqlite_url, polls=2, http_timeout=0.2)
    slow, good = report.feeds
    assert slow.polls == 1 and slow.failures == 1 and "timed out" in slow.last_error
    assert good.polls == 2 and good.failures == 0


def test_feed_state_and_changes_on_both_stores(site, store_url):
    from rashomon.watch.state import Change, save_changes

    site.feed("/a.xml", rss([_item(1, "harbour"), _item(2, "harbour")]))
    _watch(site, [site.url("/a.xml")], store_url, polls=2)
    with rashomon.open_store(store_url) as store:
        (state,) = load_feed_states(store, [site.url("/a.xml")])
        assert state.items_seen == 2 and state.last_status == 304 and state.etag
        assert state.next_poll_at.tzinfo is not None and state.next_poll_at.timestamp() > site.clock() - 1
        # story_changes needs a story row to point at: one made by hand, as update_stories would.
        from rashomon.storage import schema
        with store.begin() as conn:
            conn.execute(schema.stories.insert().values(id="s1", title="Harbour", size=1, emb_sum=b"", terms=b"",
                                                        names={}, seq=1, updated_at=dt.datetime.now(dt.timezone.utc)))
        t0 = dt.datetime(2025, 3, 8, 12, tzinfo=dt.timezone.utc)
        save_changes(store, [Change("s1", t0, "new_story", "a1", "new story: Harbour"),
                             Change("s1", t0 + dt.timedelta(hours=1), "new_article", "a2", "Wire: more")])
        later = changes_since(store, t0)
        assert [(c["kind"], c["ref"], c["story_title"]) for c in later] == [("new_article", "a2", "Harbour")]
        assert later[0]["at"] == "2025-03-08T13:00:00Z"
        assert change_counts(store, t0 - dt.timedelta(seconds=1)) == {
            "s1": {"new_story": 1, "new_article": 1}}


def test_rashomon_watch_is_the_function_even_after_the_package_is_imported():
    import importlib

    importlib.import_module("rashomon.watch.loop")
    assert rashomon.watch is api.watch and callable(rashomon.watch)

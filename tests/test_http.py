"""The HTTP fetcher against a real loopback server: robots.txt, redirects, limits, timeouts."""

from __future__ import annotations

import time

import pytest

import rashomon
from rashomon.errors import FetchError, TooLarge, UnsupportedInput
from rashomon.sources.http import Fetcher

from .conftest import article_text
from .httpserver import Reply

HTML = {"Content-Type": "text/html; charset=utf-8"}


def _page(topic: str, title: str = "Council approves budget") -> bytes:
    return (f'<html><head><title>{title}</title><meta property="og:site_name" content="Loopback News">'
            f'</head><body><article><p>{article_text(topic)}</p></article></body></html>').encode()


@pytest.fixture
def fast(settings):
    return settings.replace(http_timeout=2.0)


def _paths(server) -> list[str]:
    return [p for p, _ in server.requests]


def test_fetch_sends_user_agent_and_returns_the_page(fast, http_server):
    http_server.routes["/a"] = Reply(200, _page("harbour"), HTML)
    with Fetcher(fast.replace(user_agent="RashomonTest/9.9 (+tests)")) as f:
        got = f.fetch(http_server.url + "/a")
    assert got.status == 200 and got.body == _page("harbour")
    assert got.content_type == "text/html" and got.charset == "utf-8"
    assert got.url == http_server.url + "/a"
    assert _paths(http_server) == ["/robots.txt", "/a"]
    assert all(h.get("User-Agent") == "RashomonTest/9.9 (+tests)" for _, h in http_server.requests)


def test_default_user_agent(settings, http_server):
    http_server.routes["/a"] = Reply(200, b"hello", {"Content-Type": "text/plain"})
    with Fetcher(settings) as f:
        f.fetch(http_server.url + "/a")
    assert http_server.requests[-1][1]["User-Agent"] == settings.user_agent


# --- robots.txt ----------------------------------------------------------------------------

ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: OtherBot\nDisallow: /\n"


def test_robots_disallow_is_respected(fast, http_server):
    http_server.routes["/robots.txt"] = Reply(200, ROBOTS, {"Content-Type": "text/plain"})
    http_server.routes["/private/story"] = Reply(200, _page("secret"), HTML)
    http_server.routes["/public/story"] = Reply(200, _page("open"), HTML)
    with Fetcher(fast) as f:
        with pytest.raises(FetchError) as info:
            f.fetch(http_server.url + "/private/story")
        assert f.fetch(http_server.url + "/public/story").status == 200  # other paths still allowed
    assert "robots.txt" in info.value.reason and "disallowed" in info.value.reason
    assert info.value.input == http_server.url + "/private/story"
    assert "/private/story" not in _paths(http_server)
    assert _paths(http_server).count("/robots.txt") == 1  # cached per site


def test_robots_rules_for_our_user_agent(fast, http_server):
    http_server.routes["/robots.txt"] = Reply(200, b"User-agent: Rashomon\nDisallow: /\n", {})
    http_server.routes["/a"] = Reply(200, _page("a"), HTML)
    with Fetcher(fast) as f, pytest.raises(FetchError, match="disallowed"):
        f.fetch(http_server.url + "/a")
    with Fetcher(fast.replace(user_agent="SomeoneElse/1.0")) as f:
        assert f.fetch(http_server.url + "/a").status == 200


def test_robots_ignored_when_respect_robots_is_off(fast, http_server):
    http_server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /\n", {})
    http_server.routes["/private/story"] = Reply(200, _page("secret"), HTML)
    with Fetcher(fast.replace(respect_robots=False)) as f:
        assert f.fetch(http_server.url + "/private/story").status == 200
    assert _paths(http_server) == ["/private/story"]  # robots.txt not even asked for


def test_robots_404_means_allowed(fast, http_server):
    http_server.routes["/a"] = Reply(200, _page("a"), HTML)  # no /robots.txt route: 404
    with Fetcher(fast) as f:
        assert f.fetch(http_server.url + "/a").status == 200
    assert _paths(http_server) == ["/robots.txt", "/a"]


@pytest.mark.parametrize("status", [500, 503])
def test_robots_server_error_means_refused(fast, http_server, status):
    http_server.routes["/robots.txt"] = Reply(status, b"oops", {"Content-Type": "text/plain"})
    http_server.routes["/a"] = Reply(200, _page("a"), HTML)
    with Fetcher(fast) as f, pytest.raises(FetchError) as info:
        f.fetch(http_server.url + "/a")
    assert f"HTTP {status}" in info.value.reason and "robots.txt" in info.value.reason
    assert "/a" not in _paths(http_server)


# --- redirects -----------------------------------------------------------------------------


def _chain(server, n: int, status: int = 302) -> None:
    for i in range(n):
        server.routes[f"/r{i}"] = Reply(status, b"", {"Location": f"/r{i + 1}"})
    server.routes[f"/r{n}"] = Reply(200, _page("end"), HTML)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_followed_up_to_the_limit(fast, http_server, status):
    _chain(http_server, 2, status)
    with Fetcher(fast.replace(http_max_redirects=2)) as f:
        got = f.fetch(http_server.url + "/r0")
    assert got.url == http_server.url + "/r2" and got.body == _page("end")


def test_redirects_beyond_the_limit_are_refused(fast, http_server):
    _chain(http_server, 3)
    with Fetcher(fast.replace(http_max_redirects=2)) as f, pytest.raises(FetchError) as info:
        f.fetch(http_server.url + "/r0")
    assert "more than 2 redirects" in info.value.reason and "http_max_redirects" in info.value.reason
    assert "/r3" not in _paths(http_server)


def test_zero_redirects_allowed(fast, http_server):
    _chain(http_server, 1)
    with Fetcher(fast.replace(http_max_redirects=0)) as f, pytest.raises(FetchError, match="redirects"):
        f.fetch(http_server.url + "/r0")


def test_redirect_loop_is_detected(fast, http_server):
    http_server.routes["/a"] = Reply(302, b"", {"Location": "/b"})
    http_server.routes["/b"] = Reply(301, b"", {"Location": http_server.url + "/a"})
    with Fetcher(fast.replace(http_max_redirects=10)) as f, pytest.raises(FetchError) as info:
        f.fetch(http_server.url + "/a")
    assert "redirect loop" in info.value.reason
    assert _paths(http_server).count("/a") == 1  # stopped at once, not after ten hops


def test_redirect_without_location(fast, http_server):
    http_server.routes["/a"] = Reply(302, b"", {})
    with Fetcher(fast) as f, pytest.raises(FetchError, match="without a Location"):
        f.fetch(http_server.url + "/a")


def test_redirect_to_another_scheme_is_refused(fast, http_server):
    http_server.routes["/a"] = Reply(302, b"", {"Location": "file:///etc/passwd"})
    with Fetcher(fast) as f, pytest.raises(UnsupportedInput, match="not an http"):
        f.fetch(http_server.url + "/a")


def test_redirect_target_checked_against_robots(fast, http_server):
    http_server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n", {})
    http_server.routes["/a"] = Reply(302, b"", {"Location": "/private/x"})
    http_server.routes["/private/x"] = Reply(200, _page("secret"), HTML)
    with Fetcher(fast) as f, pytest.raises(FetchError, match="robots.txt"):
        f.fetch(http_server.url + "/a")
    assert "/private/x" not in _paths(http_server)


# --- errors and limits ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 500])
def test_http_error_status(fast, http_server, status):
    http_server.routes["/x"] = Reply(status, b"no", {"Content-Type": "text/plain"})
    with Fetcher(fast) as f, pytest.raises(FetchError) as info:
        f.fetch(http_server.url + "/x")
    assert f"HTTP {status}" in info.value.reason
    assert info.value.input == http_server.url + "/x"


def test_404_names_the_redirect_target(fast, http_server):
    http_server.routes["/old"] = Reply(301, b"", {"Location": "/new"})
    with Fetcher(fast) as f, pytest.raises(FetchError) as info:
        f.fetch(http_server.url + "/old")
    assert "HTTP 404" in info.value.reason and "/new" in info.value.reason


def test_timeout(settings, http_server):
    http_server.routes["/slow"] = Reply(200, b"late", {"Content-Type": "text/plain"}, delay=1.5)
    started = time.monotonic()
    with Fetcher(settings.replace(http_timeout=0.5, respect_robots=False)) as f, pytest.raises(FetchError) as info:
        f.fetch(http_server.url + "/slow")
    assert time.monotonic() - started < 1.4
    assert "timed out" in info.value.reason and "0.5s" in info.value.reason and "http_timeout" in info.value.reason


def test_slow_robots_txt_means_refused(settings, http_server):
    http_server.routes["/robots.txt"] = Reply(200, b"", {}, delay=1.5)
    http_server.routes["/a"] = Reply(200, b"ok", {})
    with Fetcher(settings.replace(http_timeout=0.5)) as f, pytest.raises(FetchError) as info:
        f.fetch(http_server.url + "/a")
    assert "robots.txt unreachable" in info.value.reason and "timed out" in info.value.reason


def test_connection_refused(fast):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Fetcher(fast.replace(respect_robots=False)) as f, pytest.raises(FetchError, match="request failed"):
        f.fetch(f"http://127.0.0.1:{port}/x")


def test_too_large_with_content_length(fast, http_server):
    http_server.routes["/big"] = Reply(200, b"x" * 5000, {"Content-Type": "text/plain"})
    with Fetcher(fast.replace(http_max_bytes=1000)) as f, pytest.raises(TooLarge) as info:
        f.fetch(http_server.url + "/big")
    assert "5,000 bytes" in info.value.reason and "http_max_bytes" in info.value.reason


def test_too_large_streamed_without_length(fast, http_server):
    def endless():
        for _ in range(10_000):  # 10 MB if nobody stops it
            yield b"y" * 1024

    http_server.routes["/stream"] = lambda handler: Reply(200, endless(), {"Content-Type": "text/plain"})
    with Fetcher(fast.replace(http_max_bytes=4096)) as f, pytest.raises(TooLarge) as info:
        f.fetch(http_server.url + "/stream")
    assert "exceeded 4,096 bytes" in info.value.reason and "http_max_bytes" in info.value.reason


def test_streamed_body_under_the_limit(fast, http_server):
    http_server.routes["/stream"] = lambda handler: Reply(200, iter([b"abc", b"def"]), {"Content-Type": "text/plain"})
    with Fetcher(fast.replace(http_max_bytes=4096)) as f:
        assert f.fetch(http_server.url + "/stream").body == b"abcdef"


def test_exactly_at_the_limit_is_accepted(fast, http_server):
    http_server.routes["/x"] = Reply(200, b"z" * 1000, {"Content-Type": "text/plain"})
    with Fetcher(fast.replace(http_max_bytes=1000)) as f:
        assert len(f.fetch(http_server.url + "/x").body) == 1000


def test_gzip_encoded_body_is_decoded(fast, http_server):
    import gzip

    http_server.routes["/gz"] = Reply(200, gzip.compress(_page("harbour")),
                                      {**HTML, "Content-Encoding": "gzip"})
    with Fetcher(fast) as f:
        assert f.fetch(http_server.url + "/gz").body == _page("harbour")


def test_gzip_bomb_is_stopped_by_the_decoded_size(fast, http_server):
    import gzip

    bomb = gzip.compress(b"\0" * 5_000_000)  # ~5 KB on the wire, 5 MB decoded
    http_server.routes["/bomb"] = Reply(200, bomb, {"Content-Type": "text/plain", "Content-Encoding": "gzip"})
    with Fetcher(fast.replace(http_max_bytes=100_000)) as f, pytest.raises(TooLarge):
        f.fetch(http_server.url + "/bomb")


# --- end to end ----------------------------------------------------------------------------


def test_ingest_a_url(fast, sqlite_url, http_server):
    http_server.routes["/news/budget"] = Reply(200, _page("harbour"), HTML)
    url = http_server.url + "/news/budget"
    report = rashomon.ingest([url], db=sqlite_url, settings=fast)
    assert report.new == 1 and not report.rejected and report.inputs == 1
    with rashomon.open_store(sqlite_url) as store:
        (row,) = store.articles()
        (origin,) = store.origins([row["id"]])[row["id"]]
    assert row["text"] == article_text("harbour")
    assert row["url"] == url and row["title"] == "Council approves budget"
    assert row["source"] == "Loopback News"
    assert origin["format"] == "url" and origin["input"] == url


def test_ingest_a_redirected_url_keeps_the_final_address(fast, sqlite_url, http_server):
    http_server.routes["/short"] = Reply(301, b"", {"Location": "/news/long-address"})
    http_server.routes["/news/long-address"] = Reply(200, _page("railway"), HTML)
    report = rashomon.ingest([http_server.url + "/short"], db=sqlite_url, settings=fast)
    assert report.new == 1
    with rashomon.open_store(sqlite_url) as store:
        (row,) = store.articles()
    assert row["url"] == http_server.url + "/news/long-address"


def test_ingest_url_failures_are_rejections_not_crashes(fast, sqlite_url, http_server):
    http_server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n", {})
    http_server.routes["/ok"] = Reply(200, _page("harbour"), HTML)
    http_server.routes["/pic"] = Reply(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, {"Content-Type": "image/png"})
    http_server.routes["/empty"] = Reply(200, b"", HTML)
    urls = [http_server.url + p for p in ("/gone", "/private/x", "/ok", "/pic", "/empty")]
    report = rashomon.ingest(urls + ["ftp://example.org/file"], db=sqlite_url, settings=fast)
    assert report.new == 1
    kinds = {r.input.rsplit("/", 1)[-1]: r.kind for r in report.rejected}
    assert kinds == {"gone": "fetch", "x": "fetch", "pic": "unsupported", "empty": "no_article",
                     "file": "unsupported"}


def test_ingest_plain_text_url(fast, sqlite_url, http_server):
    body = ("Council approves budget after long debate\n\n" + article_text("harbour")).encode()
    http_server.routes["/story.txt"] = Reply(200, body, {"Content-Type": "text/plain; charset=utf-8"})
    doc = rashomon.analyze([http_server.url + "/story.txt"], db=sqlite_url, settings=fast)
    (article,) = doc["articles"]
    assert article["title"] == "Council approves budget after long debate"
    assert article["url"] == http_server.url + "/story.txt"
    assert article["origins"][0]["format"] == "url"

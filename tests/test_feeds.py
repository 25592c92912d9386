"""RSS 2.0 and Atom feeds: entries, linked pages over loopback HTTP, hostile and broken XML."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

import rashomon
from rashomon.errors import FetchError, MalformedInput, UnsafeInput
from rashomon.sources.feeds import read_feed

from .conftest import article_text
from .httpserver import Reply
from .sourcehelpers import read_paths


def _rss(items: str, title: str = "Riverton Gazette – News") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>{title}</title><link>https://gazette.example/</link>
<description>Local news</description><language>en</language>
{items}
</channel></rss>""".encode()


def _full_item(n: int, topic: str, author_tag: str = "") -> str:
    body = "".join(f"<p>{s}.</p>" for s in article_text(topic).rstrip(".").split(" tuesday "))
    return f"""<item><title>Story {n} about {topic}</title>
<link>https://gazette.example/{topic}</link><guid isPermaLink="false">gz-{n}</guid>
<pubDate>Wed, 27 Nov 2024 0{n}:30:00 +0000</pubDate>{author_tag}
<description>Short teaser {n}.</description>
<content:encoded>{escape(body)}</content:encoded></item>"""


def _page(topic: str, site: str = "Gazette Web") -> bytes:
    return (f'<html><head><meta property="og:site_name" content="{site}">'
            f"<title>Page about {topic}</title></head><body><article>"
            f"<p>{article_text(topic)}</p></article></body></html>").encode()


@pytest.fixture
def feed_settings(settings):
    return settings.replace(min_words=20, http_timeout=5)


# --- full-content feeds --------------------------------------------------------------------


def test_rss_with_full_content(tmp_path, feed_settings, http_server):
    items = (_full_item(1, "harbour", "<dc:creator>Jane Reporter</dc:creator>")
             + _full_item(2, "railway", "<author>sam@gazette.example (Sam Writer)</author>"))
    f = tmp_path / "news.rss"
    f.write_bytes(_rss(items))
    docs, errors = read_paths([f], feed_settings)
    assert errors == []
    assert [d.title for d in docs] == ["Story 1 about harbour", "Story 2 about railway"]
    assert [d.locator for d in docs] == ["entry 1", "entry 2"]
    assert all(d.format == "feed" and d.input == str(f) and d.path == str(f) for d in docs)
    assert all(d.source == "Riverton Gazette – News" for d in docs)
    assert docs[0].published == "Wed, 27 Nov 2024 01:30:00 +0000"
    assert docs[0].author == "Jane Reporter"
    assert docs[1].author == "Sam Writer"  # RSS "email (Name)": the name, not the address
    assert [d.external_id for d in docs] == ["gz-1", "gz-2"]
    assert docs[0].url == "https://gazette.example/harbour"
    assert "harbour" in docs[0].text and len(docs[0].text.split()) >= 50
    assert "Short teaser" not in docs[0].text  # the full content wins over the description
    assert docs[0].language == "en"
    assert http_server.requests == []  # nothing fetched: the entries are complete


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Metro Daily</title><id>urn:metro</id><updated>2024-11-28T10:00:00Z</updated>
  <entry>
    <title>Bridge repairs begin downtown</title><id>urn:metro:1</id>
    <link rel="alternate" href="https://metro.example/bridge"/>
    <published>2024-11-27T09:30:00+02:00</published><updated>2024-11-28T10:00:00Z</updated>
    <author><name>Sam Writer</name></author>
    <content type="html">{c1}</content>
  </entry>
  <entry>
    <title>Updated only</title><id>urn:metro:2</id>
    <updated>2024-11-26T07:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{c2}</p></div></content>
  </entry>
</feed>"""


def test_atom_with_full_content(tmp_path, feed_settings):
    f = tmp_path / "metro.atom"
    f.write_text(ATOM.format(c1=escape(f"<p>{article_text('bridge')}</p>"), c2=article_text("tunnel")),
                 encoding="utf-8")
    docs, errors = read_paths([f], feed_settings)
    assert errors == []
    one, two = docs
    assert (one.title, one.source, one.author, one.url, one.external_id) == (
        "Bridge repairs begin downtown", "Metro Daily", "Sam Writer", "https://metro.example/bridge", "urn:metro:1")
    assert one.published == "2024-11-27T09:30:00+02:00"  # published, not updated
    assert two.published == "2024-11-26T07:00:00Z"       # updated when that is all there is
    assert one.text == article_text("bridge")
    assert two.text == article_text("tunnel")


def test_feed_entries_reach_the_store(tmp_path, sqlite_url, feed_settings):
    f = tmp_path / "news.xml"
    f.write_bytes(_rss(_full_item(1, "harbour") + _full_item(2, "railway")))
    report = rashomon.ingest([f], db=sqlite_url, settings=feed_settings)
    assert report.new == 2 and not report.rejected
    with rashomon.open_store(sqlite_url) as store:
        rows = store.articles()
        origins = store.origins([r["id"] for r in rows])
    assert {r["published"] for r in rows} == {"2024-11-27T01:30:00+00:00", "2024-11-27T02:30:00+00:00"}
    assert {o["format"] for os_ in origins.values() for o in os_} == {"feed"}
    assert {o["locator"] for os_ in origins.values() for o in os_} == {"entry 1", "entry 2"}


# --- summary-only feeds: the linked page --------------------------------------------------


def _summary_feed(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Teaser {n}</title><link>{base}{p}</link><guid>t-{n}</guid>"
        f"<pubDate>Thu, 28 Nov 2024 10:00:00 GMT</pubDate>"
        f"<description>Read the full story on our site.</description></item>"
        for n, p in enumerate(paths, 1))
    return _rss(items, title="Teaser Feed")


def test_summary_only_entries_fetch_the_linked_page(tmp_path, feed_settings, http_server):
    http_server.routes["/story/1"] = Reply(200, _page("harbour"), {"Content-Type": "text/html; charset=utf-8"})
    http_server.routes["/story/2"] = Reply(200, _page("railway", site=""), {"Content-Type": "text/html"})
    f = tmp_path / "teasers.rss"
    f.write_bytes(_summary_feed(http_server.url, ["/story/1", "/story/2"]))
    docs, errors = read_paths([f], feed_settings.replace(fetch_feed_links="auto"))
    assert errors == []
    assert [d.text for d in docs] == [article_text("harbour"), article_text("railway")]
    assert [d.title for d in docs] == ["Teaser 1", "Teaser 2"]      # the entry's title
    assert docs[0].url == f"{http_server.url}/story/1"
    assert docs[0].source == "Gazette Web"                        # the page names its site
    assert docs[0].published == "Thu, 28 Nov 2024 10:00:00 GMT"
    assert all(d.format == "feed" and d.input == str(f) and d.locator for d in docs)
    fetched = [p for p, _ in http_server.requests]
    assert "/story/1" in fetched and "/story/2" in fetched
    assert fetched.count("/robots.txt") == 1  # one robots.txt check per site


def test_never_fetches_when_told_never(tmp_path, feed_settings, http_server):
    http_server.routes["/story/1"] = Reply(200, _page("harbour"), {"Content-Type": "text/html"})
    f = tmp_path / "teasers.rss"
    f.write_bytes(_summary_feed(http_server.url, ["/story/1"]))
    docs, errors = read_paths([f], feed_settings.replace(fetch_feed_links="never"))
    assert http_server.requests == []
    assert [d.text for d in docs] == ["Read the full story on our site."]


def test_full_entries_not_fetched_on_auto_but_fetched_on_always(tmp_path, feed_settings, http_server):
    http_server.routes["/harbour"] = Reply(200, _page("harbour-page"), {"Content-Type": "text/html"})
    item = _full_item(1, "harbour").replace("https://gazette.example/harbour", f"{http_server.url}/harbour")
    f = tmp_path / "full.rss"
    f.write_bytes(_rss(item))
    docs, _ = read_paths([f], feed_settings.replace(fetch_feed_links="auto"))
    assert http_server.requests == [] and "harbour" in docs[0].text
    docs, _ = read_paths([f], feed_settings.replace(fetch_feed_links="always"))
    assert "/harbour" in [p for p, _ in http_server.requests]
    assert docs[0].text == article_text("harbour-page")


def test_linked_page_failure_is_reported_per_entry(tmp_path, feed_settings, http_server):
    http_server.routes["/story/1"] = Reply(200, _page("harbour"), {"Content-Type": "text/html"})
    f = tmp_path / "teasers.rss"
    f.write_bytes(_summary_feed(http_server.url, ["/story/1", "/gone"]))
    docs, errors = read_paths([f], feed_settings)
    assert [d.text for d in docs] == [article_text("harbour")]
    (err,) = errors
    assert isinstance(err, FetchError)
    assert err.input == str(f) and "entry 2" in err.reason and "/gone" in err.reason and "HTTP 404" in err.reason


def test_linked_page_that_is_not_html_is_refused(tmp_path, feed_settings, http_server):
    http_server.routes["/pic"] = Reply(200, b"\x89PNG\r\n\x1a\n", {"Content-Type": "image/png"})
    f = tmp_path / "teasers.rss"
    f.write_bytes(_summary_feed(http_server.url, ["/pic"]))
    docs, errors = read_paths([f], feed_settings)
    assert docs == [] and "image/png" in errors[0].reason


def test_feed_served_over_http_end_to_end(feed_settings, sqlite_url, http_server):
    http_server.routes["/feed"] = Reply(200, _summary_feed(http_server.url, ["/story/1"]),
                                        {"Content-Type": "application/rss+xml"})
    http_server.routes["/story/1"] = Reply(200, _page("harbour"), {"Content-Type": "text/html"})
    report = rashomon.ingest([http_server.url + "/feed"], db=sqlite_url, settings=feed_settings)
    assert report.new == 1 and not report.rejected
    with rashomon.open_store(sqlite_url) as store:
        (row,) = store.articles()
    assert row["text"] == article_text("harbour")
    assert row["url"] == f"{http_server.url}/story/1"
    assert row["published"] == "2024-11-28T10:00:00+00:00"


# --- hostile and broken XML ----------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Leak</title>
<item><title>Secrets</title><description>&xxe;</description></item></channel></rss>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!eNtItY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>P</title><item><title>x</title></item></channel></rss>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE, PARAMETER_ENTITY], ids=["billion-laughs", "xxe", "param-entity"])
def test_hostile_feeds_are_refused(tmp_path, feed_settings, data):
    f = tmp_path / "evil.xml"
    f.write_bytes(data)
    docs, errors = read_paths([f], feed_settings)
    assert docs == []
    (err,) = errors
    assert isinstance(err, UnsafeInput)
    assert err.input == str(f) and "entit" in err.reason


def test_hostile_feed_refused_before_anything_is_expanded():
    gen = read_feed(BILLION_LAUGHS, "mem", path=None, min_words=20, fetch_links="never", fetch_page=None)
    with pytest.raises(UnsafeInput):
        next(gen)


def test_external_dtd_is_never_fetched(tmp_path, feed_settings, http_server):
    http_server.routes["/evil.dtd"] = Reply(200, b'<!ENTITY x "boom">', {"Content-Type": "application/xml-dtd"})
    data = (f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{http_server.url}/evil.dtd">\n'.encode()
            + _rss(_full_item(1, "harbour")).split(b"\n", 1)[1])
    f = tmp_path / "dtd.xml"
    f.write_bytes(data)
    docs, errors = read_paths([f], feed_settings.replace(fetch_feed_links="never"))
    assert http_server.requests == []
    assert len(docs) + len(errors) >= 1


def test_hostile_feed_over_http_is_refused(feed_settings, sqlite_url, http_server):
    http_server.routes["/feed"] = Reply(200, XXE, {"Content-Type": "application/rss+xml"})
    report = rashomon.ingest([http_server.url + "/feed"], db=sqlite_url, settings=feed_settings)
    assert report.new == 0
    assert [r.kind for r in report.rejected] == ["unsafe"]


@pytest.mark.parametrize("data", [
    b'<rss version="2.0"><channel><title>x</title></channel>><<</rss',
    b"<rss this is not xml at all & < >",
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</ti',
])
def test_malformed_xml_is_malformed_input(tmp_path, feed_settings, data):
    f = tmp_path / "broken.xml"
    f.write_bytes(data)
    docs, errors = read_paths([f], feed_settings)
    assert docs == []
    assert len(errors) >= 1
    assert isinstance(errors[-1], MalformedInput)
    assert errors[-1].input == str(f)


def test_truncated_feed_keeps_entries_and_reports_the_break(tmp_path, feed_settings):
    full = _rss(_full_item(1, "harbour") + _full_item(2, "railway"))
    cut = full[: full.index(b"<item>", full.index(b"</item>")) + 30]  # inside the second item
    f = tmp_path / "cut.xml"
    f.write_bytes(cut)
    docs, errors = read_paths([f], feed_settings)
    assert docs and docs[0].title == "Story 1 about harbour" and "harbour" in docs[0].text
    malformed = [e for e in errors if isinstance(e, MalformedInput)]
    assert len(malformed) == 1 and malformed[0].input == str(f), errors
    assert "entry 2" in malformed[0].reason and "not well-formed" in malformed[0].reason


def test_feed_with_no_entries(tmp_path, feed_settings):
    f = tmp_path / "empty.rss"
    f.write_bytes(_rss(""))
    _, errors = read_paths([f], feed_settings)
    assert isinstance(errors[0], MalformedInput) and "no entries" in errors[0].reason


def test_html_entities_in_a_feed_are_not_an_error(tmp_path, feed_settings):
    f = tmp_path / "nbsp.rss"
    f.write_bytes(_rss(_full_item(1, "harbour").replace("Story 1", "Story&nbsp;1"), title="Gazette&nbsp;News"))
    docs, errors = read_paths([f], feed_settings)
    assert errors == []
    assert docs[0].title == "Story\u00a01 about harbour"

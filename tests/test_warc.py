"""WARC / WARC.gz archives written with warcio: only 200 HTML responses become articles."""

from __future__ import annotations

import gzip
import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import rashomon
from rashomon.errors import MalformedInput, NoArticle, TooLarge
from rashomon.sources.warc import read_warc

from .conftest import article_text
from .sourcehelpers import read_paths


def _html(topic: str) -> bytes:
    return (f'<html><head><title>Story about {topic}</title>'
            f'<meta property="og:site_name" content="Archive Times"></head>'
            f"<body><article><p>{article_text(topic)}</p></article></body></html>").encode()


def _response(writer: WARCWriter, uri: str, body: bytes, *, status: str = "200 OK",
              ctype: str = "text/html; charset=utf-8", date: str = "2024-11-27T10:00:00Z"):
    http = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), length=len(body),
                                     http_headers=http, warc_headers_dict={"WARC-Date": date})


def _write_warc(path, *, gz: bool, records: list[tuple]) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "rashomon-tests"}))
        for rec in records:
            kind = rec[0]
            if kind == "response":
                _, uri, body, kw = rec
                writer.write_record(_response(writer, uri, body, **kw))
            elif kind == "request":
                _, uri = rec
                req = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "news.example")], is_http_request=True)
                writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b""),
                                                              length=0, http_headers=req))
            elif kind == "resource":
                _, uri, body, ctype = rec
                writer.write_record(writer.create_warc_record(
                    uri, "resource", payload=io.BytesIO(body), length=len(body), warc_content_type=ctype))


MIXED = [
    ("request", "https://news.example/harbour"),
    ("response", "https://news.example/harbour", _html("harbour"), {}),
    ("response", "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 200, {"ctype": "image/png"}),
    ("response", "https://news.example/missing", _html("missing"), {"status": "404 Not Found"}),
    ("response", "https://news.example/data.json", b'{"a": 1}', {"ctype": "application/json"}),
    ("response", "https://news.example/moved", b"", {"status": "301 Moved Permanently"}),
    ("response", "https://news.example/railway", _html("railway"),
     {"ctype": "application/xhtml+xml", "date": "2024-11-28T11:00:00Z"}),
]


@pytest.mark.parametrize("gz,name", [(False, "crawl.warc"), (True, "crawl.warc.gz")])
def test_only_200_html_responses_become_articles(tmp_path, settings, gz, name):
    f = tmp_path / name
    _write_warc(f, gz=gz, records=MIXED)
    docs, errors = read_paths([f], settings)
    assert errors == []
    assert [d.url for d in docs] == ["https://news.example/harbour", "https://news.example/railway"]
    assert [d.text for d in docs] == [article_text("harbour"), article_text("railway")]
    assert all(d.format == "warc" and d.input == str(f) and d.path == str(f) for d in docs)
    assert [d.title for d in docs] == ["Story about harbour", "Story about railway"]
    assert docs[0].source == "Archive Times"
    assert docs[0].locator.startswith("record ") and "https://news.example/harbour" in docs[0].locator
    assert docs[0].external_id.startswith("<urn:uuid:")
    # The crawl date bounds publication; it is not the publication date.
    assert docs[0].extra["crawled"] == "2024-11-27T10:00:00Z" and docs[0].published is None
    assert docs[0].raw_hash and docs[0].raw_hash != docs[1].raw_hash


def test_warc_articles_in_the_store(tmp_path, sqlite_url, settings):
    f = tmp_path / "crawl.warc.gz"
    _write_warc(f, gz=True, records=MIXED)
    report = rashomon.ingest([f], db=sqlite_url, settings=settings)
    assert report.new == 2 and not report.rejected
    with rashomon.open_store(sqlite_url) as store:
        rows = store.articles()
        origins = store.origins([r["id"] for r in rows])
    assert sorted(r["url"] for r in rows) == ["https://news.example/harbour", "https://news.example/railway"]
    assert {o["format"] for os_ in origins.values() for o in os_} == {"warc"}
    assert all(o["url"] == r["url"] for r in rows for o in origins[r["id"]])


def test_resource_records_with_html_are_read(tmp_path, settings):
    f = tmp_path / "res.warc"
    _write_warc(f, gz=False, records=[("resource", "file:///saved/page.html", _html("bridge"), "text/html"),
                                      ("resource", "file:///saved/notes.txt", b"plain notes", "text/plain")])
    docs, errors = read_paths([f], settings)
    assert errors == [] and [d.url for d in docs] == ["file:///saved/page.html"]


def test_warc_without_html_is_no_article(tmp_path, settings):
    f = tmp_path / "images.warc.gz"
    _write_warc(f, gz=True, records=[
        ("response", "https://news.example/a.png", b"\x89PNG\r\n\x1a\n", {"ctype": "image/png"}),
        ("response", "https://news.example/x", _html("x"), {"status": "404 Not Found"})])
    docs, errors = read_paths([f], settings)
    assert docs == []
    (err,) = errors
    assert isinstance(err, NoArticle) and "none an HTML response" in err.reason and err.input == str(f)


def _cut_points(data: bytes, last_start: int, n: int = 12) -> list[int]:
    """``n`` cuts spread over the last record, from its first bytes to just before its tail
    (the gzip trailer or the closing blank lines, whose loss costs no content)."""
    span = len(data) - 16 - last_start
    return sorted({last_start + 1 + span * i // (n - 1) for i in range(n)})


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_truncated_archive_keeps_records_before_the_cut(tmp_path, settings, gz):
    whole = tmp_path / "whole.warc"
    records = [("response", f"https://news.example/{t}", _html(t), {}) for t in ("alpha", "bravo", "charlie")]
    _write_warc(whole, gz=gz, records=records)
    data = whole.read_bytes()
    if gz:  # each record is its own gzip member
        starts = [i for i in range(len(data) - 2) if data[i:i + 3] == b"\x1f\x8b\x08"]
        assert len(starts) == 4  # warcinfo + three responses
    else:
        starts = [i for i in range(len(data)) if data.startswith(b"WARC/1.", i)]
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    for point in _cut_points(data, starts[-1]):
        cut.write_bytes(data[:point])
        docs, errors = read_paths([cut], settings)
        assert [d.url for d in docs] == ["https://news.example/alpha", "https://news.example/bravo"], point
        assert len(errors) == 1, (point, errors)
        assert isinstance(errors[0], MalformedInput) and errors[0].input == str(cut), point
        assert "records before it were kept" in errors[0].reason, point


def test_truncated_archive_in_the_store(tmp_path, sqlite_url, settings):
    whole = tmp_path / "whole.warc.gz"
    _write_warc(whole, gz=True, records=[("response", f"https://news.example/{t}", _html(t), {})
                                         for t in ("alpha", "bravo")])
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 100])
    report = rashomon.ingest([cut], db=sqlite_url, settings=settings)
    assert report.new == 1
    assert [(r.input, r.kind) for r in report.rejected] == [(str(cut), "malformed")]


def test_not_a_warc(tmp_path, settings):
    f = tmp_path / "fake.warc"
    f.write_bytes(b"this is just some text, not an archive\n" * 5)
    docs, errors = read_paths([f], settings)
    assert docs == [] and len(errors) == 1
    assert isinstance(errors[0], MalformedInput) and errors[0].input == str(f)
    assert "not a WARC file" in errors[0].reason


def test_empty_warc(tmp_path, settings):
    f = tmp_path / "empty.warc.gz"
    f.write_bytes(b"")
    _, errors = read_paths([f], settings)
    assert errors[0].input == str(f)


def test_gzip_that_is_not_a_warc(tmp_path, settings):
    f = tmp_path / "fake.warc.gz"
    f.write_bytes(gzip.compress(b"hello world, definitely not WARC\n" * 10))
    docs, errors = read_paths([f], settings)
    assert docs == [] and isinstance(errors[0], MalformedInput)


def test_oversized_record_is_skipped_and_the_rest_read(tmp_path, settings):
    f = tmp_path / "big.warc.gz"
    big = _html("big").replace(b"</article>", b"<p>" + b"padding words " * 2000 + b"</p></article>")
    _write_warc(f, gz=True, records=[("response", "https://news.example/big", big, {}),
                                     ("response", "https://news.example/small", _html("small"), {})])
    docs, errors = read_paths([f], settings.replace(max_record_bytes=10_000))
    assert [d.url for d in docs] == ["https://news.example/small"]
    assert isinstance(errors[0], TooLarge) and "https://news.example/big" in errors[0].reason


def test_warc_sniffed_without_suffix(tmp_path, settings):
    f = tmp_path / "crawl.dat"
    _write_warc(f, gz=False, records=MIXED)
    docs, errors = read_paths([f], settings)
    assert errors == [] and [d.format for d in docs] == ["warc", "warc"]


def test_read_warc_directly(tmp_path):
    f = tmp_path / "crawl.warc"
    _write_warc(f, gz=False, records=MIXED)
    results = list(read_warc(f, "crawl", max_record_bytes=1_000_000))
    assert [r.url for r in results] == ["https://news.example/harbour", "https://news.example/railway"]

"""WARC / WARC.gz web archives (e.g. CC-NEWS): HTML response records become articles."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import InputError, MalformedInput, NoArticle, TooLarge
from ..models import RawDocument
from .html import extract_html

__all__ = ["read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, input: str, *, max_record_bytes: int) -> Iterator[RawDocument | InputError]:
    html_records = records = 0
    record = None
    with open(path, "rb") as stream:
        head = stream.read(16)
        stream.seek(0)
        if head and not head.startswith((b"\x1f\x8b", b"WARC/", b"filedesc://")):
            # warcio would read stray text as ARC records and report them as non-HTML.
            raise MalformedInput(input, f"not a WARC file: starts with {head!r}, not 'WARC/' or gzip data")
        iterator = ArchiveIterator(stream)
        try:
            for record in _records(iterator):
                records += 1
                declared = record.rec_headers.get_header("Content-Length") or ""
                if record.format.startswith("warc") and not declared.strip().isdigit():
                    # Every WARC record declares its length; without one, the file ends in its headers.
                    yield MalformedInput(input, f"record {records}: WARC headers cut off (no valid "
                                                "Content-Length); truncated archive; records before it were kept")
                    return
                if record.rec_type not in ("response", "resource"):
                    continue
                if record.rec_type == "response":
                    if record.http_headers is None or record.http_headers.get_statuscode() != "200":
                        continue
                    ctype = record.http_headers.get_header("Content-Type") or ""
                else:
                    ctype = record.rec_headers.get_header("Content-Type") or ""
                if not ctype.lower().startswith(_HTML_TYPES):
                    continue
                html_records += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                locator = f"record {records} ({url})"
                body = record.content_stream().read(max_record_bytes + 1)
                if len(body) > max_record_bytes:
                    yield TooLarge(input, f"{locator}: HTML over {max_record_bytes:,} bytes (max_record_bytes)")
                    continue
                while record.raw_stream.read(1 << 16):  # what the decoded body left (chunk trailers)
                    pass
                if getattr(record.raw_stream, "limit", 0) > 0:  # the file ended inside this record
                    yield MalformedInput(input, f"{locator}: cut off {record.raw_stream.limit:,} bytes before "
                                                "its declared end (truncated archive; records before it "
                                                "were kept)")
                    return
                try:
                    doc = extract_html(body, input, url=url, path=str(path), format="warc")
                except InputError as exc:
                    yield type(exc)(input, f"{locator}: {exc.reason}")
                    continue
                doc.locator = locator
                doc.external_id = record.rec_headers.get_header("WARC-Record-ID")
                crawled = record.rec_headers.get_header("WARC-Date")
                if crawled:
                    # The crawl time bounds publication from above; it is not the publication date.
                    doc.extra["crawled"] = crawled
                yield doc
            left = getattr(record.raw_stream, "limit", 0) if record is not None else 0
            if left > 0:  # a skipped (non-HTML) last record the file ends inside; warcio drained it
                yield MalformedInput(input, f"record {records}: cut off {left:,} bytes before its declared "
                                            "end (truncated archive; records before it were kept)")
                return
            end = stream.seek(0, 2)
            if iterator.offset < end:  # warcio stops quietly at a record the file cuts off early
                yield MalformedInput(input, f"WARC ends inside an incomplete record at byte {iterator.offset:,} "
                                            f"of {end:,}, after {records} record(s) (truncated archive; "
                                            "records before it were kept)")
                return
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
            what = _plain(str(exc)) or type(exc).__name__
            yield MalformedInput(input, f"WARC unreadable after {records} record(s): {what} "
                                        "(truncated or corrupt archive; records before it were kept)")
            return
    if records == 0:
        raise MalformedInput(input, "no WARC records found (empty or not a WARC file)")
    if html_records == 0:
        raise NoArticle(input, f"WARC holds {records} record(s), none an HTML response")


def _records(iterator: ArchiveIterator) -> Iterator:
    """warcio's records; its crashes on headers that a cut or forged file leaves incomplete
    (a response without WARC-Target-URI) become ArchiveLoadFailed."""
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            return
        except (AttributeError, TypeError, KeyError, IndexError) as exc:
            raise ArchiveLoadFailed(f"record headers incomplete ({type(exc).__name__}: {exc})") from None
        yield record


def _plain(message: str, limit: int = 200) -> str:
    """An error message fit for a terminal: the binary junk of a corrupt record elided."""
    message = " ".join(message.split())
    junk = next((i for i, c in enumerate(message) if not (c.isascii() and c.isprintable())), None)
    if junk is not None:
        message = message[:junk].rstrip() + " [binary data]"
    return message if len(message) <= limit else message[:limit - 1] + "…"

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
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        try:
            for record in iterator:
                records += 1
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
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
            what = str(exc).strip() or type(exc).__name__
            yield MalformedInput(input, f"WARC unreadable after {records} record(s): {what} "
                                        "(truncated or corrupt archive; records before it were kept)")
            return
    if records == 0:
        raise MalformedInput(input, "no WARC records found (empty or not a WARC file)")
    if html_records == 0:
        raise NoArticle(input, f"WARC holds {records} record(s), none an HTML response")

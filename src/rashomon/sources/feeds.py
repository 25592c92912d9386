"""RSS/Atom feeds via feedparser; hostile XML refused before parsing."""

from __future__ import annotations

import re
from typing import Callable, Iterator

import feedparser
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ..errors import InputError, MalformedInput, UnsafeInput
from ..models import RawDocument
from .html import html_to_text

__all__ = ["read_feed", "looks_like_feed"]

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
# RSS 2.0 <author> is an address, usually written "jane@example.com (Jane Doe)".
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s+\((.+)\)\s*$")


def looks_like_feed(head: bytes) -> bool:
    return bool(_FEED_ROOT.search(head[:4096]))


def _author_name(author: str | None) -> str | None:
    match = _EMAIL_NAME.match(author or "")
    return match.group(1).strip() if match else author


def _refuse_hostile(data: bytes, input: str) -> str | None:
    """Refuse entity declarations (billion laughs, external entities); return a parse problem, if any."""
    if _ENTITY_DECL.search(data):
        raise UnsafeInput(input, "XML declares entities (<!ENTITY>): refused as a possible "
                                 "entity-expansion (billion laughs) or external-entity attack")
    try:
        SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:  # entities the ASCII check missed (e.g. UTF-16 XML)
        name = getattr(exc, "name", None)
        raise UnsafeInput(input, f"XML declares entities{f' ({name!r})' if name else ''}: refused as a "
                                 "possible entity-expansion (billion laughs) or external-entity attack"
                          ) from None
    except SafeET.ParseError as exc:
        return str(exc)
    return None


def read_feed(data: bytes, input: str, *, path: str | None, min_words: int, fetch_links: str,
              fetch_page: Callable[[str], RawDocument] | None) -> Iterator[RawDocument | InputError]:
    """Yield one document per entry: its own content, or the linked page when that is fuller."""
    problem = _refuse_hostile(data, input)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        why = problem or (str(parsed.get("bozo_exception")) if parsed.get("bozo") else None)
        if why:
            raise MalformedInput(input, f"not a readable RSS/Atom feed: {why}")
        if not (parsed.get("version") or parsed.feed):
            raise MalformedInput(input, "no RSS/Atom feed found (no <rss>, <feed> or <rdf:RDF> root)")
        raise MalformedInput(input, "feed has no entries")
    feed_title = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, 1):
        locator = f"entry {n}"
        body = ""
        if entry.get("content"):
            body = max((c.get("value", "") for c in entry.content), key=len)
        body = body or entry.get("summary", "")
        text = html_to_text(body)
        link = entry.get("link")
        want_page = link and fetch_page and (
            fetch_links == "always" or (fetch_links == "auto" and len(text.split()) < min_words))
        doc = None
        if want_page:
            try:
                doc = fetch_page(link)
            except InputError as exc:
                if len(text.split()) < min_words:
                    yield type(exc)(input, f"{locator}: linked page {link}: {exc.reason}")
                    continue
        if doc is None and problem and len(text.split()) < min_words:
            # Say why the entry is empty: the lenient parser recovered it from broken XML.
            yield MalformedInput(input, f"{locator}: {len(text.split())} word(s) of text, and the feed is not "
                                        f"well-formed XML ({problem}): the entry is probably cut off there")
            continue
        if doc is None:
            doc = RawDocument(input=input, format="feed", text=text, url=link, path=path)
        doc.input, doc.locator, doc.format, doc.path = input, locator, "feed", path
        doc.title = entry.get("title") or doc.title
        doc.source = doc.source or feed_title
        doc.author = _author_name(entry.get("author")) or doc.author
        doc.published = entry.get("published") or entry.get("updated") or doc.published
        doc.external_id = entry.get("id") or link
        doc.language = doc.language or parsed.feed.get("language")
        yield doc

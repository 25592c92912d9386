"""One poll of one feed: a conditional GET, then the entries (or sitemap pages) not seen before."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ..errors import InputError, MalformedInput, UnsafeInput, UnsupportedInput
from ..models import RawDocument
from ..settings import Settings
from ..sources import Fetcher
from ..sources.feeds import looks_like_feed, read_feed
from ..sources.html import extract_html
from .state import FeedState

__all__ = ["PollOutcome", "poll_feed", "MAX_PAGES_PER_POLL"]

# Pages fetched from one sitemap poll. A first look at a large sitemap would otherwise take hours of
# polite requests in one go; the rest are taken by the next polls.
MAX_PAGES_PER_POLL = 50
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class PollOutcome:
    status: int                                   # 200 or 304
    documents: list[RawDocument] = field(default_factory=list)
    rejected: list[InputError] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # entries taken now, to remember as seen
    etag: str | None = None
    last_modified: str | None = None
    complete: bool = True                         # False: pages were left for a later poll
    problem: str | None = None                    # the feed is damaged (what could be read is kept)
    entries: int = 0                              # entries or sitemap URLs in the response


def poll_feed(state: FeedState, fetcher: Fetcher, settings: Settings) -> PollOutcome:
    """Fetch ``state.url`` conditionally and read what is new in it. Raises InputError (FetchError,
    HTTPStatusError, MalformedInput, UnsafeInput, ...) when the feed as a whole cannot be read."""
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    got = fetcher.fetch(state.url, headers=headers)
    if got.status == 304:
        return PollOutcome(304, etag=state.etag, last_modified=state.last_modified)
    outcome = PollOutcome(got.status, etag=got.headers.get("etag"), last_modified=got.headers.get("last-modified"))
    head = got.body[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if looks_like_feed(head):
        _read_entries(got.body, state, fetcher, settings, outcome)
    elif b"<urlset" in head:
        _read_sitemap(got.body, state, fetcher, outcome)
    elif b"<sitemapindex" in head:
        raise UnsupportedInput(state.url, "a sitemap index (a list of sitemaps): watch the sitemaps it lists "
                                          "instead, or the site's RSS/Atom feed")
    elif not got.body.strip():
        raise MalformedInput(state.url, f"empty response (HTTP {got.status}); expected an RSS/Atom feed or a "
                                        "sitemap")
    else:
        raise MalformedInput(state.url, f"not an RSS/Atom feed or a sitemap (content type "
                                        f"{got.content_type or 'unknown'!r})")
    return outcome


def _entry_key(doc: RawDocument) -> str:
    if doc.external_id or doc.url:
        return str(doc.external_id or doc.url)
    return "sha1:" + hashlib.sha1(f"{doc.title}\x1f{doc.text}".encode("utf-8")).hexdigest()


def _fetch_page(url: str, fetcher: Fetcher) -> RawDocument:
    got = fetcher.fetch(url)
    if got.content_type and not got.content_type.startswith(_HTML_TYPES):
        raise UnsupportedInput(url, f"linked page is {got.content_type}, expected HTML")
    return extract_html(got.body, url, url=got.url, format="url", charset=got.charset)


def _read_entries(body: bytes, state: FeedState, fetcher: Fetcher, settings: Settings,
                  outcome: PollOutcome) -> None:
    seen = set(state.seen_keys)
    skipped: set[int] = set()

    def fetch_page(link: str) -> RawDocument:
        # A page already taken is not fetched again: read_feed gets a stand-in, dropped below.
        if link in seen:
            stand_in = RawDocument(input=link, format="url", text="")
            skipped.add(id(stand_in))
            return stand_in
        return _fetch_page(link, fetcher)

    try:
        results = list(read_feed(body, state.url, path=None, min_words=settings.min_words,
                                 fetch_links=settings.fetch_feed_links, fetch_page=fetch_page))
    except MalformedInput as exc:
        if exc.reason == "feed has no entries":  # a feed with nothing in it yet is not broken
            return
        raise
    outcome.problem = _not_well_formed(body)
    for result in results:
        if isinstance(result, InputError):
            outcome.rejected.append(result)
            continue
        outcome.entries += 1
        key = _entry_key(result)
        if id(result) in skipped or key in seen or (result.url and result.url in seen):
            continue
        outcome.documents.append(result)
        outcome.keys += [key] + ([result.url] if result.url and result.url != key else [])


def _not_well_formed(body: bytes) -> str | None:
    """Why the feed is not well-formed XML, or None. feedparser recovers what it can from a feed cut off
    mid-way; the entries it recovers are kept, but the poll counts as failed, so it is retried (with
    backoff) and the cut-off entries are not lost."""
    try:
        SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:  # read_feed has refused entity declarations already
        return None
    except SafeET.ParseError as exc:
        return f"the feed is not well-formed XML ({exc}); entries after that point may be missing"
    return None


def _read_sitemap(body: bytes, state: FeedState, fetcher: Fetcher, outcome: PollOutcome) -> None:
    try:
        root = SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeInput(state.url, "sitemap declares a DTD or entities: refused as possibly hostile XML") from None
    except SafeET.ParseError as exc:
        raise MalformedInput(state.url, f"sitemap is not well-formed XML: {exc}") from None
    pages: list[tuple[str, str]] = []
    for node in root:
        if not node.tag.endswith("url"):
            continue
        loc = next((c.text for c in node if c.tag.endswith("loc")), None)
        lastmod = next((c.text for c in node if c.tag.endswith("lastmod")), None)
        if loc and loc.strip():
            pages.append((loc.strip(), (lastmod or "").strip()))
    outcome.entries = len(pages)
    seen = set(state.seen_keys)
    fresh = [p for p in dict(pages).items() if p[0] not in seen]
    fresh.sort(key=lambda p: p[1], reverse=True)   # newest first where the sitemap dates its pages
    outcome.complete = len(fresh) <= MAX_PAGES_PER_POLL
    for n, (loc, lastmod) in enumerate(fresh[:MAX_PAGES_PER_POLL], 1):
        outcome.keys.append(loc)
        try:
            doc = _fetch_page(loc, fetcher)
        except InputError as exc:  # names the page; the sitemap itself was fine
            outcome.rejected.append(exc)
            continue
        doc.input, doc.locator = state.url, f"url {loc}"
        doc.published = doc.published or lastmod or None
        outcome.documents.append(doc)

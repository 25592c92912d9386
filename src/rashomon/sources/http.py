"""A polite, bounded HTTP client: timeouts, size cap, bounded redirects, robots.txt."""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Callable, Mapping
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchError, HTTPStatusError, TooLarge, UnsupportedInput
from ..settings import Settings

__all__ = ["Fetcher", "Fetched"]

_ROBOTS_MAX_BYTES = 500_000


@dataclass
class Fetched:
    url: str            # after redirects
    status: int
    content_type: str   # media type, lower case, no parameters
    charset: str | None
    body: bytes
    location: str | None = None  # Location header of a redirect
    headers: dict[str, str] = field(default_factory=dict)  # response headers, lower-case names


class Fetcher:
    """Fetches URLs under the limits in ``settings``.

    ``transport`` is injectable (``httpx.MockTransport`` in unit tests); ``clock`` too, so
    the overall deadline can be tested without waiting.
    """

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.clock = clock
        self.client = httpx.Client(
            transport=transport, follow_redirects=False,
            timeout=httpx.Timeout(settings.http_timeout),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url``, following at most ``http_max_redirects`` redirects; raise FetchError/TooLarge.

        ``headers`` are sent with the request (``If-None-Match`` for a conditional GET: a 304 is returned,
        not raised, with an empty body)."""
        seen = [url]
        current = url
        for _ in range(self.settings.http_max_redirects + 1):
            self._check_url(current, url)
            self._check_robots(current)
            response = self._get(current, self.settings.http_max_bytes, original=url, headers=headers)
            if response.status in (301, 302, 303, 307, 308):
                location = response.location
                if not location:
                    raise FetchError(url, f"HTTP {response.status} redirect without a Location header")
                nxt = urljoin(current, location)
                if nxt in seen:
                    raise FetchError(url, "redirect loop: " + " → ".join(seen + [nxt]))
                seen.append(nxt)
                current = nxt
                continue
            if response.status >= 400:
                raise HTTPStatusError(url, f"HTTP {response.status} {httpx.codes.get_reason_phrase(response.status)}".rstrip()
                                 + (f" (after redirect to {current})" if current != url else ""),
                                      status=response.status, headers=response.headers)
            return response
        raise FetchError(url, f"more than {self.settings.http_max_redirects} redirects "
                              f"(http_max_redirects); last went to {current}")

    def _check_url(self, current: str, original: str) -> None:
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UnsupportedInput(original, f"not an http(s) URL: {current!r}")

    def _get(self, url: str, limit: int, original: str, headers: Mapping[str, str] | None = None) -> Fetched:
        deadline = self.clock() + self.settings.http_timeout * 3
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if r.status_code in (301, 302, 303, 307, 308):
                    return Fetched(url, r.status_code, "", None, b"", location=r.headers.get("location"))
                declared = r.headers.get("content-length")
                if r.status_code >= 400:  # the body of an error page is not wanted, only why
                    return Fetched(str(r.url), r.status_code, "", None, b"", headers=dict(r.headers))
                if declared and declared.isdigit() and int(declared) > limit:
                    raise TooLarge(original, f"response is {int(declared):,} bytes; the limit is "
                                             f"{limit:,} (http_max_bytes)")
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge(original, f"response exceeded {limit:,} bytes (http_max_bytes); "
                                                 "download stopped")
                    if self.clock() > deadline:
                        raise FetchError(original, f"download took longer than "
                                                   f"{self.settings.http_timeout * 3:.0f}s; stopped")
                    chunks.append(chunk)
                ctype = r.headers.get("content-type", "")
                media = ctype.split(";")[0].strip().lower()
                charset = r.charset_encoding
                return Fetched(str(r.url), r.status_code, media, charset, b"".join(chunks),
                               headers=dict(r.headers))
        except httpx.TimeoutException:
            raise FetchError(original, f"timed out after {self.settings.http_timeout:g}s "
                                       "(http_timeout)") from None
        except httpx.HTTPError as exc:
            raise FetchError(original, f"request failed: {type(exc).__name__}: {exc}") from None

    def _check_robots(self, url: str) -> None:
        if not self.settings.respect_robots:
            return
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(base)
        if rules is None:
            rules = self._robots[base] = self._load_robots(base)
        if isinstance(rules, str):
            raise FetchError(url, rules)
        if not rules.can_fetch(self.settings.user_agent, url):
            raise FetchError(url, f"disallowed by {base}/robots.txt for user agent "
                                  f"{self.settings.user_agent!r} (respect_robots)")

    def _load_robots(self, base: str) -> urllib.robotparser.RobotFileParser | str:
        parser = urllib.robotparser.RobotFileParser(base + "/robots.txt")
        try:
            got = self._get(base + "/robots.txt", _ROBOTS_MAX_BYTES, original=base + "/robots.txt")
        except (FetchError, TooLarge) as exc:
            # RFC 9309: an unreachable robots.txt means the site is off limits for now.
            return f"robots.txt unreachable ({exc.reason}); not fetching from {base}"
        if got.status >= 500:
            return f"robots.txt answered HTTP {got.status}; not fetching from {base} (RFC 9309)"
        if got.status >= 300:  # 4xx (and unfollowed redirects): no rules apply
            parser.parse([])
        else:
            parser.parse(got.body.decode("utf-8", errors="replace").splitlines())
        return parser

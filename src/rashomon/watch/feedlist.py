"""The feeds to watch, from what the user gave: OPML files, text files of URLs, or URLs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ..errors import ConfigError

__all__ = ["read_feed_list", "is_http_url"]

# An OPML subscription list of thousands of feeds is a few hundred kilobytes; more is not a feed list.
_MAX_LIST_BYTES = 10_000_000
_TRAILING_COMMENT = re.compile(r"\s+#.*$")


def is_http_url(value: str) -> bool:
    parts = urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def read_feed_list(args: Iterable[str | os.PathLike]) -> list[str]:
    """Feed (or sitemap) URLs in the order given, each once.

    Each argument is an http(s) URL, an OPML file (every ``outline`` with an ``xmlUrl``, at any depth) or a
    text file with one URL a line (blank lines and ``#`` comments skipped). Raises ConfigError naming the
    argument (and line) that cannot be used, or when no URL is found at all.
    """
    urls: list[str] = []
    for arg in args:
        text = os.fspath(arg)
        if is_http_url(text):
            urls.append(text.strip())
        elif "://" in text:
            raise ConfigError(f"{text!r} is not an http(s) URL; watch reads http:// and https:// feeds, "
                              "OPML files and text files of URLs")
        else:
            urls += _read_file(Path(text))
    urls = list(dict.fromkeys(urls))
    if not urls:
        raise ConfigError("no feed URL to watch: give URLs, OPML files or text files with one URL a line")
    return urls


def _read_file(path: Path) -> list[str]:
    try:
        size = path.stat().st_size
        if size > _MAX_LIST_BYTES:
            raise ConfigError(f"feed list {str(path)!r} is {size:,} bytes; a list of feeds is at most "
                              f"{_MAX_LIST_BYTES:,}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"feed list {str(path)!r} does not exist (nor is it an http(s) URL)") from None
    except IsADirectoryError:
        raise ConfigError(f"feed list {str(path)!r} is a folder; give an OPML or text file") from None
    except OSError as exc:
        raise ConfigError(f"feed list {str(path)!r} cannot be read: {exc.strerror or exc}") from None
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith(b"<") and b"<opml" in data[:4096].lower():
        return _opml(data, path)
    if head.startswith(b"<"):
        raise ConfigError(f"feed list {str(path)!r} is XML but not OPML (no <opml> root); to watch a feed, "
                          "give its URL")
    return _lines(data, path)


def _opml(data: bytes, path: Path) -> list[str]:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ConfigError(f"OPML file {str(path)!r} declares a DTD or entities: refused as possibly hostile "
                          "XML") from None
    except SafeET.ParseError as exc:
        raise ConfigError(f"OPML file {str(path)!r} is not well-formed XML: {exc}") from None
    urls = []
    for outline in root.iter("outline"):
        # OPML 2.0 says xmlUrl; some exporters write it in other cases.
        url = next((v for k, v in outline.attrib.items() if k.lower() == "xmlurl"), None)
        if url is None:
            continue
        if not is_http_url(url):
            title = outline.get("title") or outline.get("text") or "?"
            raise ConfigError(f"OPML file {str(path)!r}: outline {title!r} has xmlUrl {url!r}, not an "
                              "http(s) URL")
        urls.append(url.strip())
    if not urls:
        raise ConfigError(f"OPML file {str(path)!r} has no outline with an xmlUrl attribute")
    return urls


def _lines(data: bytes, path: Path) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"feed list {str(path)!r} is not UTF-8 text") from None
    urls = []
    for n, line in enumerate(text.splitlines(), 1):
        # A comment is a line starting with #, or " # ..." after a URL; a # inside a URL is its fragment.
        line = "" if line.lstrip().startswith("#") else _TRAILING_COMMENT.sub("", line).strip()
        if not line:
            continue
        if not is_http_url(line):
            raise ConfigError(f"feed list {str(path)!r} line {n}: {line[:80]!r} is not an http(s) URL")
        urls.append(line)
    if not urls:
        raise ConfigError(f"feed list {str(path)!r} holds no URL (only blank lines and # comments)")
    return urls

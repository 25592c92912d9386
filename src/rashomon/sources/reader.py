"""Read one input into raw documents, whatever its format."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from ..errors import InputError, MalformedInput, NoArticle, UnsupportedInput, TooLarge
from ..models import RawDocument
from ..settings import Settings
from .decode import decode_bytes, sniff_binary
from .discover import InputItem, MANIFEST_NAMES
from .feeds import looks_like_feed, read_feed
from .fields import resolve_fields
from .html import extract_html
from .http import Fetcher
from .records import read_csv, read_json, read_jsonl
from .text import read_text_document
from .warc import read_warc

__all__ = ["SourceContext", "read_input"]

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/xml", "text/xml")


@dataclass
class SourceContext:
    settings: Settings
    field_map: Mapping[str, str] = field(default_factory=dict)
    fetcher: Fetcher | None = None
    _manifests: dict[Path, dict[str, dict[str, Any]]] = field(default_factory=dict)
    manifest_errors: list[InputError] = field(default_factory=list)

    def get_fetcher(self) -> Fetcher:
        if self.fetcher is None:
            self.fetcher = Fetcher(self.settings)
        return self.fetcher

    def manifest_for(self, path: Path) -> dict[str, Any] | None:
        folder = path.parent
        if folder not in self._manifests:
            self._manifests[folder] = self._load_manifest(folder)
        return self._manifests[folder].get(path.name)

    def _load_manifest(self, folder: Path) -> dict[str, dict[str, Any]]:
        for name in MANIFEST_NAMES:
            mpath = folder / name
            if not mpath.is_file():
                continue
            try:
                text, _ = decode_bytes(mpath.read_bytes(), str(mpath))
                rows = (json.loads(text) if name.endswith(".json")
                        else list(csv.DictReader(io.StringIO(text))))
                if isinstance(rows, dict):  # {"file.txt": {...}} form
                    rows = [{"file": k, **v} for k, v in rows.items() if isinstance(v, dict)]
                entries = {}
                for row in rows:
                    fields, _ = resolve_fields(row)
                    if "file" in fields:
                        entries[Path(str(fields["file"])).name] = row
                if not entries:
                    raise MalformedInput(str(mpath), "manifest has no rows with a 'file' column")
                return entries
            except InputError as exc:
                self.manifest_errors.append(exc)
            except (OSError, ValueError, csv.Error) as exc:
                self.manifest_errors.append(MalformedInput(str(mpath), f"manifest unreadable: {exc}"))
        return {}


def read_input(item: InputItem, ctx: SourceContext) -> Iterator[RawDocument | InputError]:
    """Documents from one input; per-record problems are yielded, whole-input ones raised."""
    if item.format == "url":
        yield from _read_url(item.name, ctx)
        return
    path = item.path
    assert path is not None
    s = ctx.settings
    if item.format == "warc":
        yield from read_warc(path, item.name, max_record_bytes=s.max_record_bytes)
        return
    if item.format == "jsonl":
        yield from read_jsonl(path, item.name, max_record_bytes=s.max_record_bytes, field_map=ctx.field_map)
        return
    data = _read_file(path, item.name, s.max_document_bytes)
    fmt = item.format if item.format != "sniff" else _sniff(data, item.name)
    if fmt == "warc":  # sniffed from content; stream it like any archive
        yield from read_warc(path, item.name, max_record_bytes=s.max_record_bytes)
    elif fmt == "jsonl":
        yield from read_jsonl(path, item.name, max_record_bytes=s.max_record_bytes, field_map=ctx.field_map)
    elif fmt == "txt":
        yield read_text_document(data, item.name, path, ctx.manifest_for(path))
    elif fmt == "html":
        doc = extract_html(data, item.name, path=str(path))
        _apply_manifest(doc, ctx.manifest_for(path))
        yield doc
    elif fmt == "feed":
        yield from read_feed(data, item.name, path=str(path), min_words=s.min_words,
                             fetch_links=s.fetch_feed_links, fetch_page=lambda u: _fetch_page(u, ctx))
    elif fmt == "json":
        yield from read_json(data, path, item.name, field_map=ctx.field_map)
    elif fmt == "csv":
        yield from read_csv(data, path, item.name, max_record_bytes=s.max_record_bytes, field_map=ctx.field_map)
    else:  # pragma: no cover - formats come from discover/_sniff
        raise UnsupportedInput(item.name, f"unknown format {fmt!r}")


def _read_file(path: Path, name: str, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size == 0:
            raise NoArticle(name, "empty file (0 bytes)")
        if size > limit:
            raise TooLarge(name, f"file is {size / 1e6:,.1f} MB; a single document may be at most "
                                 f"{limit / 1e6:,.1f} MB (max_document_bytes). Split it, or raise the limit")
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    except PermissionError:
        raise InputError(name, "permission denied: cannot read it as this user") from None
    except IsADirectoryError:
        raise UnsupportedInput(name, "is a directory") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None


def _sniff(data: bytes, name: str) -> str:
    what = sniff_binary(data[:16])
    if what:
        raise UnsupportedInput(name, f"binary content: this is {what}, not an article format")
    if data[:2] == b"\x1f\x8b":
        raise UnsupportedInput(name, "gzip-compressed data of unknown kind; name it .warc.gz or "
                                     ".jsonl.gz, or unpack it first")
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"WARC/"):
        return "warc"
    if looks_like_feed(head):
        return "feed"
    if _HTML_START.match(head):
        return "html"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return "txt"


def _apply_manifest(doc: RawDocument, manifest: Mapping[str, Any] | None) -> None:
    if not manifest:
        return
    fields, _ = resolve_fields(manifest)
    # The user's manifest is the authority: it overrides what the page says about itself.
    for name in ("title", "source", "url", "author", "published", "language"):
        if fields.get(name) not in (None, ""):
            setattr(doc, name, fields[name] if name == "published" else str(fields[name]))


def _fetch_page(url: str, ctx: SourceContext) -> RawDocument:
    got = ctx.get_fetcher().fetch(url)
    if got.content_type and not got.content_type.startswith(_HTML_TYPES):
        raise UnsupportedInput(url, f"linked page is {got.content_type}, expected HTML")
    return extract_html(got.body, url, url=got.url, format="url", charset=got.charset)


def _read_url(url: str, ctx: SourceContext) -> Iterator[RawDocument | InputError]:
    got = ctx.get_fetcher().fetch(url)
    ctype = got.content_type
    if not got.body:
        raise NoArticle(url, f"empty response (HTTP {got.status})")
    if ctype.startswith(_FEED_TYPES) or (ctype in ("", "text/plain") and looks_like_feed(got.body)):
        s = ctx.settings
        yield from read_feed(got.body, url, path=None, min_words=s.min_words,
                             fetch_links=s.fetch_feed_links, fetch_page=lambda u: _fetch_page(u, ctx))
    elif ctype.startswith(_HTML_TYPES) or (not ctype and _HTML_START.match(got.body[:4096])):
        yield extract_html(got.body, url, url=got.url, format="url", charset=got.charset)
    elif ctype.startswith("text/"):
        doc = read_text_document(got.body, url, None)
        doc.format, doc.url = "url", got.url
        yield doc
    else:
        raise UnsupportedInput(url, f"content type {ctype or 'unknown'!r} is not HTML, a feed or text")

"""HTML pages to articles: trafilatura first, <meta>/Open Graph tags where it finds nothing."""

from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree

from ..articles.ids import sha256_bytes
from ..errors import NoArticle
from ..models import RawDocument
from .decode import decode_bytes

__all__ = ["extract_html", "html_to_text", "declared_charset"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# htmldate's extensive search guesses from footers and copyright lines; a guess is an invented date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_META = {
    "title": ("og:title", "twitter:title", "dc.title", "headline"),
    "author": ("author", "article:author", "dc.creator", "byl", "parsely-author"),
    "published": ("article:published_time", "og:published_time", "datepublished", "pubdate",
                  "publishdate", "dc.date", "date", "parsely-pub-date", "sailthru.date"),
    "source": ("og:site_name", "application-name", "publisher"),
    "description": ("og:description", "description", "twitter:description"),
    "url": ("og:url",),
    "language": ("og:locale", "content-language", "language"),
}


def declared_charset(head: bytes) -> str | None:
    match = _CHARSET.search(head[:4096])
    return match.group(1).decode("ascii") if match else None


def extract_html(data: bytes, input: str, *, url: str | None = None, path: str | None = None,
                 format: str = "html", charset: str | None = None) -> RawDocument:
    """Extract one article from an HTML page; raises NoArticle when it holds none."""
    html, note = decode_bytes(data, input, declared=charset or declared_charset(data))
    if not html.strip():
        raise NoArticle(input, "empty HTML document")
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise NoArticle(input, f"HTML could not be parsed: {exc}") from None
    meta = _meta_tags(tree)
    extracted = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False,
        include_tables=False, date_extraction_params=_DATE_PARAMS,
    )
    found = extracted.as_dict() if extracted is not None else {}
    text = (found.get("text") or "").strip()
    if text and _only_link_labels(text, tree):
        text = ""  # trafilatura's fallback keeps menus and link lists: not an article
    if not text:
        text = _paragraph_text(tree)
    if not text:
        text = meta.get("description", "")
    if not text.strip():
        raise NoArticle(input, "no article text found in the HTML (trafilatura found nothing beyond "
                               "menus and links; <p> paragraphs and <meta> description empty)")
    title = found.get("title") or meta.get("title") or _title_tag(tree)
    if title and text.startswith(title):
        text = text[len(title):].lstrip("\n ")
    doc = RawDocument(
        input=input, format=format, text=text, title=title, url=url or found.get("url") or meta.get("url"),
        path=path, source=found.get("sitename") or meta.get("source"),
        author=found.get("author") or meta.get("author"),
        published=meta.get("published") or found.get("date"),
        language=found.get("language") or meta.get("language"), raw_hash=sha256_bytes(data),
    )
    if note:
        doc.notes.append(note)
    return doc


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one paragraph a line."""
    if "<" not in fragment:
        return fragment.strip()
    try:
        tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = [el.text_content().strip() for el in tree.iter("p", "li", "h1", "h2", "h3", "blockquote")]
    blocks = [b for b in blocks if b]
    return "\n".join(blocks) if blocks else tree.text_content().strip()


def _meta_tags(tree) -> dict[str, str]:
    values: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if not key or not content:
            continue
        for field, names in _META.items():
            if key in names and field not in values:
                values[field] = content
    return values


def _title_tag(tree) -> str | None:
    title = tree.find(".//title")
    return title.text_content().strip() or None if title is not None else None


def _only_link_labels(text: str, tree) -> bool:
    """True when every line of ``text`` is the label of a link on the page (a menu, a link list)."""
    labels = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    return all(" ".join(line.split()) in labels for line in text.splitlines() if line.strip())


def _paragraph_text(tree) -> str:
    paragraphs = [p.text_content().strip() for p in tree.iter("p")]
    return "\n".join(p for p in paragraphs if len(p.split()) >= 5)

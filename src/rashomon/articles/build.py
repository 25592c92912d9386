"""Raw documents → articles: cleaned text, content-hash id, checked date, language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from ..errors import NoArticle
from ..models import Article, Origin, RawDocument
from ..settings import Settings
from .dates import parse_published
from .ids import text_hash
from .language import detect_language

__all__ = ["build_article", "clean_text"]

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_BLANKS = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def build_article(doc: RawDocument, settings: Settings,
                  now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)
                  ) -> tuple[Article, Origin]:
    """Raise NoArticle when the document is empty or too short to analyse."""
    at = f"{doc.locator}: " if doc.locator else ""
    text = clean_text(doc.text)
    if not text:
        raise NoArticle(doc.input, f"{at}no text: the document is empty or only whitespace")
    words = len(text.split())
    if words < settings.min_words:
        raise NoArticle(doc.input, f"{at}only {words} word(s) of text; at least {settings.min_words} "
                                   "expected (min_words)")
    published = parse_published(doc.published, now=now(), min_year=settings.min_year,
                                max_future_days=settings.max_future_days)
    language, score = detect_language(text)
    digest = text_hash(text)
    extra = dict(doc.extra)
    if doc.notes:
        extra["notes"] = list(doc.notes)
    if doc.language and doc.language.split("-")[0].lower() != language:
        extra["declared_language"] = doc.language
    title = clean_text(doc.title) if doc.title else None
    article = Article(
        id=digest[:16], text=text, title=title or None, source=_clean(doc.source), url=doc.url,
        path=doc.path, author=_clean(doc.author), published=published.value,
        published_precision=published.precision, published_note=published.note,
        language=language, language_score=score, word_count=words, text_hash=digest,
        raw_hash=doc.raw_hash, extra=extra,
    )
    origin = Origin(article_id=article.id, input=doc.input, locator=doc.locator, format=doc.format,
                    path=doc.path, url=doc.url, source=article.source, external_id=doc.external_id,
                    raw_hash=doc.raw_hash)
    return article, origin


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None

"""Stage 2: raw documents → articles (ids, dates, language) and syndication links."""

from .build import build_article, clean_text
from .dates import Published, parse_published
from .dedup import band_keys, overlap, shingles
from .ids import normalise_text, text_hash
from .language import detect_language
from .naming import source_name

__all__ = ["build_article", "clean_text", "Published", "parse_published", "band_keys", "overlap",
           "shingles", "normalise_text", "text_hash", "detect_language", "source_name"]

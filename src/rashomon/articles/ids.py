"""Content hashes: the ids that make re-ingest idempotent."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["normalise_text", "text_hash", "short_hash", "sha256_bytes"]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                         "–": "-", "—": "-", "‐": "-", "−": "-", "\u00a0": " "})
_NON_WORD = re.compile(r"[^\w]+")


def normalise_text(text: str) -> str:
    """Fold what copy desks change without changing content: case, quotes, dashes, spacing."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _NON_WORD.sub(" ", text).strip()


def short_hash(value: str, length: int = 16) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

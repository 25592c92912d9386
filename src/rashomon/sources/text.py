"""Plain-text articles: YAML front matter, sidecar manifest, headline detection."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..models import RawDocument
from .decode import decode_bytes
from .fields import resolve_fields

__all__ = ["read_text_document", "split_front_matter", "split_headline"]

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
# Picture credits and disclosures sit where a headline would; they are not headlines.
_CREDIT = re.compile(
    r"^(image|photo|photograph|picture|illustration|video|graphic|cover|credit|caption|file photo)s?\b.{0,80}"
    r"\b(by|credit|courtesy|created|generated|getty|ap|afp|reuters|shutterstock)\b", re.I)


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """Return (metadata, body, note). Broken YAML keeps the body and says so in ``note``."""
    match = _FRONT.match(text)
    if not match:
        return {}, text, None
    body = text[match.end():]
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        return {}, body, f"front matter ignored: not valid YAML ({str(exc).splitlines()[0]})"
    if not isinstance(data, dict):
        return {}, body, "front matter ignored: expected key: value pairs"
    return data, body, None


def split_headline(text: str) -> tuple[str | None, str]:
    """Take the first line as the title when it reads like a headline, not a sentence or credit."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    words = first.split()
    if (
        3 <= len(words) <= 30
        and len(first) <= 250
        and not first.endswith((".", ",", ";", ":"))
        and not first[0].islower()
        and not _CREDIT.match(first)
        and len(rest.split()) >= 2 * len(words)
    ):
        return first, rest.lstrip("\n")
    return None, stripped


def read_text_document(data: bytes, input: str, path: Path | None,
                       manifest: Mapping[str, Any] | None = None) -> RawDocument:
    text, note = decode_bytes(data, input)
    meta, body, fm_note = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    fields, extra = resolve_fields({**(manifest or {}), **meta})
    title = fields.get("title")
    if title is None:
        title, body = split_headline(body)
    doc = RawDocument(
        input=input, format="txt", text=body, title=title and str(title),
        source=_str(fields.get("source")), url=_str(fields.get("url")),
        path=str(path) if path else None, author=_str(fields.get("author")),
        published=fields.get("published"), language=_str(fields.get("language")),
        external_id=_str(fields.get("id")), extra={k: v for k, v in extra.items() if k != "file"},
    )
    doc.notes.extend(n for n in (note, fm_note) if n)
    return doc


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)

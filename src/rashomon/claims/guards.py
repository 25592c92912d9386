"""Sentences that state nothing about the story: boilerplate lines, headings, questions, cut-off excerpts.

``boilerplate_spans`` is a small local guard; when the framing package provides its own
``boilerplate_spans(text)`` that one is used instead, so the two stages agree on what is boilerplate.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["boilerplate_spans", "local_boilerplate_spans", "skip_reason"]

# Whole lines that are site furniture rather than reporting. Anchored at the line start, so a
# sentence that merely mentions a photo or a subscription is not thrown away.
_FURNITURE = re.compile(
    r"""^[\s\[\(]*(?:
        (?:read\s+more | related(?:\s+(?:stories|articles|coverage|news))? | see\s+also | also\s+read |
           recommended | more\s+from | watch | listen | subscribe | sign\s+up | click\s+here |
           follow\s+us | share\s+this | advertisement | sponsored | all\s+rights\s+reserved)\b |
        (?:photo|image|cover|picture|video|graphic|illustration)s?(?:\s+credits?)?\s*: |
        (?:image|photo|picture|illustration)\s+(?:created|generated|made)\s+(?:by|with|using)\s+(?:ai|artificial)\b |
        (?:this|the)\s+(?:article|story|report|text)\s+(?:was|has\s+been)\s+(?:written|generated|created|produced)\s+
            (?:with|by|using)\s+(?:the\s+help\s+of\s+)?(?:ai|artificial)\b |
        (?:copyright\s*)?(?:©|\(c\))\s*\d{4} | copyright\s+\d{4}
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Furniture lines are short; a long line that happens to start with "Watch" is prose.
_MAX_FURNITURE = 250
# Credits that trail a line: "AP Photo/Omar Albam", "(Getty Images)".
_CREDIT = re.compile(r"\b(?:AP|AFP|Reuters|Getty)\s+(?:Photo|Images)\b|\bPhoto\s*/\s*\w", re.IGNORECASE)

_END_MARKS = ".!?…"
_CLOSERS = "\"'”’)]»"


def local_boilerplate_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        if body and ((len(body) <= _MAX_FURNITURE and _FURNITURE.match(body)) or
                     (len(body) < 120 and _CREDIT.search(body))):
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(body)))
        pos += len(line)
    return spans


@lru_cache(maxsize=1)
def _shared():
    try:
        from ..framing.quality import boilerplate_spans as shared
    except ImportError:
        return None
    return shared


def _pair(span) -> tuple[int, int]:
    if isinstance(span, (tuple, list)):
        return span[0], span[1]
    if isinstance(span, dict):
        return span["start"], span["end"]
    return span.start, span.end


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of boilerplate lines ("READ MORE: …", photo credits, AI-use notes, subscribe text)."""
    shared = _shared()
    if shared is None:
        return local_boilerplate_spans(text)
    return [_pair(s) for s in shared(text)]


def _is_heading(text: str, start: int, end: int) -> bool:
    """A line of its own with no closing punctuation: a title or cross-heading, not a sentence."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False
    body = text[start:end].rstrip(_CLOSERS)
    return bool(body) and body[-1] not in _END_MARKS and len(body.split()) <= 25


def skip_reason(text: str, start: int, end: int, boilerplate: list[tuple[int, int]]) -> str | None:
    """Why the sentence ``text[start:end]`` holds no claim, or None when it may."""
    if any(s < end and start < e for s, e in boilerplate):
        return "boilerplate"
    body = text[start:end].rstrip().rstrip(_CLOSERS)
    if body.endswith("?"):
        return "question"
    if _is_heading(text, start, end):
        return "heading"
    if body.endswith(("...", "…")) and _line_ends(text, end):
        return "truncated"   # an excerpt cut mid-sentence: "Fauci confirmed that new..."
    return None


def _line_ends(text: str, end: int) -> bool:
    nl = text.find("\n", end)
    return not text[end:len(text) if nl < 0 else nl].strip()

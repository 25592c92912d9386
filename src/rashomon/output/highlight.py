"""Article text cut into paragraphs of tokens for the templates: highlight marks inside citation spans.

Both the static report (``output/html.py``) and the web pages mark loaded words and actor descriptions,
and need every span a claim or the brief cites to be one element with an id, so a citation link can
land on it; citations are whole sentences or
clauses, so they contain marks, may nest in each other, and now and then overlap without nesting. The
text is cut at every boundary and walked once, keeping a stack of open citations. A citation that
overlaps another without nesting is closed and reopened; only its first element carries the id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

__all__ = ["Citation", "Token", "anchor_id", "cited_paragraphs", "select_marks"]


@dataclass(frozen=True)
class Citation:
    """A cited span of one article's text, ``[start, end)`` in characters."""

    article_id: str
    start: int
    end: int

    @property
    def anchor(self) -> str:
        return anchor_id(self.article_id, self.start, self.end)


@dataclass(frozen=True)
class Token:
    """``kind`` is ``open`` (a citation span; ``anchor`` set on its first element only), ``close`` or
    ``text`` (``text`` with an optional mark class ``cls`` and its ``title``)."""

    kind: str
    text: str = ""
    cls: str | None = None
    title: str | None = None
    anchor: str | None = None


def anchor_id(article_id: str, start: int, end: int) -> str:
    """The element id of a cited span; article ids are hex digests, so the id needs no escaping."""
    return f"a-{article_id}-{start}-{end}"


def select_marks(text: str, marks: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The marks that fit ``text``, earlier ones winning where they overlap (the report's rule)."""
    chosen: list[dict[str, Any]] = []
    for m in marks:
        if 0 <= m["start"] < m["end"] <= len(text) and all(m["end"] <= c["start"] or m["start"] >= c["end"]
                                                           for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m["start"])


def cited_paragraphs(text: str, marks: Iterable[dict[str, Any]],
                     citations: Iterable[Citation]) -> list[list[Token]]:
    """``text`` as paragraphs (split at newlines, blank ones dropped) of tokens; every piece of text is
    escaped by the template, so the article text stays inert."""
    chosen = select_marks(text, marks)
    cites = sorted({c for c in citations if 0 <= c.start < c.end <= len(text)}, key=lambda c: (c.start, -c.end))
    cuts = {0, len(text)}
    for m in chosen:
        cuts.update((m["start"], m["end"]))
    for c in cites:
        cuts.update((c.start, c.end))
    cuts.update(i for i, ch in enumerate(text) if ch == "\n")
    cuts.update(i + 1 for i, ch in enumerate(text) if ch == "\n")
    points = sorted(cuts)

    # Segments between cuts, each with its mark and the citations covering it, grouped into paragraphs.
    paragraphs: list[list[tuple[str, dict[str, Any] | None, tuple[Citation, ...]]]] = [[]]
    mark_at = _cover_index(points, [(m["start"], m["end"], m) for m in chosen])
    cite_at = _cover_all(points, cites)
    for n in range(len(points) - 1):
        lo, hi = points[n], points[n + 1]
        piece = text[lo:hi]
        if piece == "\n":
            paragraphs.append([])
            continue
        paragraphs[-1].append((piece, mark_at[n], cite_at[n]))
    kept = [p for p in paragraphs if any(piece.strip() for piece, _, _ in p)]
    return _tokens(kept)


def _cover_index(points: Sequence[int], spans: list[tuple[int, int, Any]]) -> list[Any]:
    """For each segment between ``points``, the one (non-overlapping) span covering it, else None."""
    out: list[Any] = [None] * max(0, len(points) - 1)
    index = {p: i for i, p in enumerate(points)}
    for start, end, value in spans:
        for n in range(index[start], index[end]):
            out[n] = value
    return out


def _cover_all(points: Sequence[int], cites: list[Citation]) -> list[tuple[Citation, ...]]:
    """For each segment, the citations covering it in nesting order (earlier start, then longer, first)."""
    out: list[list[Citation]] = [[] for _ in range(max(0, len(points) - 1))]
    index = {p: i for i, p in enumerate(points)}
    for c in cites:
        for n in range(index[c.start], index[c.end]):
            out[n].append(c)
    return [tuple(x) for x in out]


def _tokens(paragraphs: list[list[tuple[str, dict[str, Any] | None, tuple[Citation, ...]]]]) -> list[list[Token]]:
    anchored: set[Citation] = set()
    result = []
    for para in paragraphs:
        tokens: list[Token] = []
        stack: list[Citation] = []
        for piece, mark, covering in para:
            keep = 0
            while keep < min(len(stack), len(covering)) and stack[keep] == covering[keep]:
                keep += 1
            tokens.extend(Token("close") for _ in stack[keep:])
            for c in covering[keep:]:
                tokens.append(Token("open", anchor=None if c in anchored else c.anchor))
                anchored.add(c)
            stack = list(covering)
            tokens.append(Token("text", text=piece, cls=mark["cls"] if mark else None,
                                title=mark.get("title") if mark else None))
        tokens.extend(Token("close") for _ in stack)
        result.append(tokens)
    return result
